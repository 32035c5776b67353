package gincors

import (
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Prototypes for reading Access-Control-Request-Headers faster, in test
// code only, to estimate what each would save on the request path. Each
// takes a fast path for what browsers send (lower-case names, sorted,
// joined by single commas, on one line) and falls back to the full check,
// checkRequestHeaders, for anything else, so none can allow a list that
// the full check refuses: the fast paths only ever answer "allowed" for a
// list whose every name is an exact key of p.headers.

// protoLookup splits the line on commas and looks each name up as it is.
// Every key of p.headers is a lower-case token, so a hit proves the name
// well-formed without reading its bytes one by one.
func protoLookup(p *policy, lines []string) bool {
	if len(lines) == 1 && !p.anyHeader {
		line, names := lines[0], 0
		for {
			name, rest, more := strings.Cut(line, ",")
			names++
			if _, ok := p.headers[name]; !ok || names > p.maxRequestHeaders {
				break
			}
			if !more {
				return true
			}
			line = rest
		}
	}
	_, _, check := p.checkRequestHeaders(lines)
	return check == headersAllowed
}

// protoMerge walks the requested names and the sorted allowed names
// together: browsers sort the list (fetch.spec.whatwg.org/#cors-unsafe-request-header-names),
// so each allowed name is passed at most once.
func protoMerge(p *policy, sorted []string, lines []string) bool {
	if len(lines) == 1 && !p.anyHeader {
		line, names, j := lines[0], 0, 0
		for {
			name, rest, more := strings.Cut(line, ",")
			names++
			for j < len(sorted) && sorted[j] < name {
				j++
			}
			if j == len(sorted) || sorted[j] != name || names > p.maxRequestHeaders {
				break
			}
			j++
			if !more {
				return true
			}
			line = rest
		}
	}
	_, _, check := p.checkRequestHeaders(lines)
	return check == headersAllowed
}

// protoHeaderMemo remembers, per policy, a few Access-Control-Request-Headers
// lines that the full check allowed. A browser sends the same line for the
// same call every time, so a hit skips the scan. It is bounded (protoMemoSlots
// entries of at most protoMemoMaxLine bytes), race-free (each slot is an atomic
// pointer to an immutable entry) and never grants what the full check
// refuses: only allowed lines are stored, compared whole, and a memo
// belongs to one immutable policy.
type protoHeaderMemo struct {
	seed  maphash.Seed
	slots [protoMemoSlots]atomic.Pointer[string]
}

const (
	protoMemoSlots   = 64
	protoMemoMaxLine = 4096
)

func protoMemo(p *policy, m *protoHeaderMemo, lines []string) bool {
	if len(lines) != 1 || len(lines[0]) > protoMemoMaxLine {
		_, _, check := p.checkRequestHeaders(lines)
		return check == headersAllowed
	}
	line := lines[0]
	slot := &m.slots[maphash.String(m.seed, line)%protoMemoSlots]
	if s := slot.Load(); s != nil && *s == line {
		return true
	}
	_, _, check := p.checkRequestHeaders(lines)
	if check == headersAllowed {
		// The copy keeps the request's memory out of the memo.
		kept := strings.Clone(line)
		slot.Store(&kept)
	}
	return check == headersAllowed
}

type acrhCase struct {
	name  string
	cfg   Config
	lines []string
}

func acrhCases() []acrhCase {
	names := make([]string, 100)
	for i := range names {
		names[i] = fmt.Sprintf("x-header-%03d", i)
	}
	two := Config{AllowOrigins: []string{appOrigin}, AllowHeaders: []string{"Content-Type", "Authorization"}}
	hundred := Config{AllowOrigins: []string{appOrigin}, AllowHeaders: names}
	return []acrhCase{
		{"names=2", two, []string{"authorization,content-type"}},
		{"names=100", hundred, []string{strings.Join(names, ",")}},
	}
}

// BenchmarkRequestHeadersProto compares the full check with the
// prototypes on lists that browsers send.
func BenchmarkRequestHeadersProto(b *testing.B) {
	for _, tc := range acrhCases() {
		p, err := compile(tc.cfg)
		require.NoError(b, err)
		sorted := slices.Sorted(func(yield func(string) bool) {
			for k := range p.headers {
				if !yield(k) {
					return
				}
			}
		})
		memo := &protoHeaderMemo{seed: maphash.MakeSeed()}
		impls := []struct {
			name  string
			check func([]string) bool
		}{
			{"full", func(l []string) bool { _, _, c := p.checkRequestHeaders(l); return c == headersAllowed }},
			{"lookup", func(l []string) bool { return protoLookup(p, l) }},
			{"merge", func(l []string) bool { return protoMerge(p, sorted, l) }},
			{"memo", func(l []string) bool { return protoMemo(p, memo, l) }},
		}
		for _, impl := range impls {
			b.Run(tc.name+"/impl="+impl.name, func(b *testing.B) {
				require.True(b, impl.check(tc.lines))
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					if !impl.check(tc.lines) {
						b.Fatal("refused")
					}
				}
			})
		}
	}
}

// TestRequestHeadersProtoAgree checks that the prototypes decide as the
// full check on lists that take their fast paths and lists that do not.
func TestRequestHeadersProtoAgree(t *testing.T) {
	cfg := Config{AllowOrigins: []string{appOrigin}, AllowHeaders: []string{"Content-Type", "Authorization", "X-B"}}
	p, err := compile(cfg)
	require.NoError(t, err)
	sorted := []string{"authorization", "content-type", "x-b"}
	memo := &protoHeaderMemo{seed: maphash.MakeSeed()}
	for _, lines := range [][]string{
		{"authorization,content-type"}, {"content-type,authorization"}, {"authorization,x-a"},
		{"authorization, content-type"}, {"Authorization"}, {"x-b,"}, {",x-b"}, {"x-b,,x-b"},
		{"x-b", "authorization"}, {""}, {"x-b x-b"}, {"x-b;"}, {strings.Repeat("x-b,", 101) + "x-b"},
	} {
		_, _, c := p.checkRequestHeaders(lines)
		want := c == headersAllowed
		for range 2 { // the second round reads the memo
			assert.Equal(t, want, protoLookup(p, lines), "lookup %q", lines)
			assert.Equal(t, want, protoMerge(p, sorted, lines), "merge %q", lines)
			assert.Equal(t, want, protoMemo(p, memo, lines), "memo %q", lines)
		}
	}
}
