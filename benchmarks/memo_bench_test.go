package benchmarks

import (
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// gincors remembers the Access-Control-Request-Headers lines and the
// wildcard or regexp origins it has allowed, in direct-mapped memos of 256
// slots. BenchmarkCORS repeats one request, so those memos always hit. The
// scenarios below cycle through a pool of poolSize distinct requests, built
// before the timer starts, so that each slot is overwritten many times
// before its request comes round again: every request is a first sight, and
// the count is the cost of a memo miss (for a header list, gincors's
// check of every name, scanHeaderNames in decide.go; for an origin, the
// strict parse and the pattern or regexp). The peers keep no memo, so for them these
// figures are the same work as their BenchmarkCORS ones.
const poolSize = 4096

// poolScenario is a scenario whose request differs on every iteration.
type poolScenario struct {
	name   string
	policy policy
	pool   func() []*http.Request
	// want is the expected answer to r; the same for every library.
	want func(r *http.Request) want
	note string
}

// pooledOrigins are poolSize distinct origins under example.com, each
// matched by "https://*.example.com" and by the Regexp scenario's pattern,
// with labels of 4 or 5 bytes (allowedOrigin's is 3).
func pooledOrigins() []string {
	origins := make([]string, poolSize)
	for i := range origins {
		origins[i] = fmt.Sprintf("https://a%03d.example.com", i)
	}
	return origins
}

// echoOrigin expects actualAllowed with r's own origin allowed.
func echoOrigin(r *http.Request) want {
	w := actualAllowed
	w.allowOrigin = r.Header.Get("Origin")
	return w
}

// pairNames are 64 allowed header names; the pool's lists are the 2,016
// sorted pairs of them, each as long as requestHeaders give or take a byte.
func pairNames() []string {
	names := []string{"authorization", "content-type"}
	for i := len(names); i < 64; i++ {
		names = append(names, fmt.Sprintf("x-header-%02d", i))
	}
	return names
}

// pairLists returns every sorted pair of names, joined by a comma.
func pairLists(names []string) []string {
	sorted := append([]string(nil), names...)
	slices.Sort(sorted)
	var lists []string
	for i := range sorted {
		for j := i + 1; j < len(sorted); j++ {
			lists = append(lists, sorted[i]+","+sorted[j])
		}
	}
	return lists
}

// dropTwoLists returns the sorted lists of all but two of names (which
// must be sorted), at most limit of them.
func dropTwoLists(names []string, limit int) []string {
	var lists []string
	for i := 0; i < len(names) && len(lists) < limit; i++ {
		for j := i + 1; j < len(names) && len(lists) < limit; j++ {
			kept := make([]string, 0, len(names)-2)
			for k, n := range names {
				if k != i && k != j {
					kept = append(kept, n)
				}
			}
			lists = append(lists, strings.Join(kept, ","))
		}
	}
	return lists
}

// requestedHeadersPreflight expects the allowed preflight answer, listing
// every name r asks for.
func requestedHeadersPreflight(r *http.Request) want {
	return want{
		status: http.StatusNoContent, allowOrigin: allowedOrigin, allowMethod: "PUT",
		allowHeaders: strings.Split(r.Header.Get("Access-Control-Request-Headers"), ","), maxAge: "3600",
	}
}

func preflights(lists []string) []*http.Request {
	rs := make([]*http.Request, len(lists))
	for i, l := range lists {
		rs[i] = preflight(allowedOrigin, l)()
	}
	return rs
}

func gets(origins []string) []*http.Request {
	rs := make([]*http.Request, len(origins))
	for i, o := range origins {
		rs[i] = get(o)()
	}
	return rs
}

// memoMissScenarios are the memo-defeating counterparts of four BenchmarkCORS
// scenarios.
func memoMissScenarios() []poolScenario {
	return []poolScenario{
		{
			name:   "PreflightAllowed",
			policy: policy{origins: []string{allowedOrigin}, headers: pairNames()},
			pool:   func() []*http.Request { return preflights(pairLists(pairNames())) },
			want:   requestedHeadersPreflight,
			note:   "2,016 lists of two names out of 64 allowed (BenchmarkCORS allows the default few)",
		},
		{
			name:   "PreflightHeaders100",
			policy: policy{origins: []string{allowedOrigin}, headers: manyHeaders()},
			pool:   func() []*http.Request { return preflights(dropTwoLists(manyHeaders(), poolSize)) },
			want:   requestedHeadersPreflight,
			note:   "4,096 lists of 98 of the 100 allowed names (two left out)",
		},
		{
			name:   "Wildcard",
			policy: policy{wildcards: []string{"https://*.example.com"}},
			pool:   func() []*http.Request { return gets(pooledOrigins()) },
			want:   echoOrigin,
		},
		{
			name:   "Regexp",
			policy: policy{regexps: []string{`https://[a-z0-9-]+\.example\.com`}},
			pool:   func() []*http.Request { return gets(pooledOrigins()) },
			want:   echoOrigin,
		},
	}
}

// TestMemoMissScenarios checks every library's answer to every request of
// every pool.
func TestMemoMissScenarios(t *testing.T) {
	for _, s := range memoMissScenarios() {
		pool := s.pool()
		if len(pool) < 2*256 {
			t.Fatalf("%s: a pool of %d requests does not defeat a 256-slot memo", s.name, len(pool))
		}
		for _, lib := range libraries {
			t.Run(s.name+"/"+lib.name, func(t *testing.T) {
				err := checkPool(lib, s, pool)
				if errors.Is(err, errUnsupported) {
					t.Skip(err)
				}
				if err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// checkPool serves each request of pool to lib's engine for s and checks
// the answer.
func checkPool(lib library, s poolScenario, pool []*http.Request) error {
	mw, err := lib.middleware(s.policy)
	if err != nil {
		return err
	}
	e, w := newEngine(mw), newRecorder()
	for i, r := range pool {
		w.reset()
		e.ServeHTTP(w, r)
		wt := s.want(r)
		if lib.name == libBare {
			wt = bareWant(r)
		}
		if err := check(w, wt); err != nil {
			return fmt.Errorf("request %d of the pool: %w", i, err)
		}
	}
	return nil
}

// BenchmarkMemoMiss serves a different request of a large pool on every
// iteration, so that gincors's header and origin memos never hit.
func BenchmarkMemoMiss(b *testing.B) {
	for _, s := range memoMissScenarios() {
		b.Run(s.name, func(b *testing.B) {
			pool := s.pool()
			for _, lib := range libraries {
				b.Run("lib="+lib.name, func(b *testing.B) {
					mw, err := lib.middleware(s.policy)
					if errors.Is(err, errUnsupported) {
						b.Skip(err)
					}
					if err != nil {
						b.Fatal(err)
					}
					e, w := newEngine(mw), newRecorder()
					// Check a few answers; TestMemoMissScenarios checks all.
					for _, r := range pool[:4] {
						w.reset()
						e.ServeHTTP(w, r)
						wt := s.want(r)
						if lib.name == libBare {
							wt = bareWant(r)
						}
						if err := check(w, wt); err != nil {
							b.Fatal(err)
						}
					}
					runtime.GC()
					b.ReportAllocs()
					b.ResetTimer()
					for i := range b.N {
						w.reset()
						e.ServeHTTP(w, pool[(i+4)%len(pool)])
					}
				})
			}
		})
	}
}
