package gincors

import (
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Parallel load on the header-value slab (headers.go).
//
// Every response reserves its header values with one atomic add on the
// counter of the one current slab, so under parallel load every core
// writes the same cache line once per request. These benchmarks put that
// next to alternatives that need no shared write, without changing the
// production code: the alternatives live here, in test code, and
// BenchmarkSlabParallel runs each of them with b.RunParallel at
// GOMAXPROCS. benchmarks/BENCHMARKS.md has the figures and a model of
// what 64 cores would do.

// valueSource hands out n fresh single-element header values for one
// response and fills them, as setPreflightHeaders does. key stands for
// something the request already has that tends to stay on one P, such as
// the address of its *gin.Context, which Gin takes from a sync.Pool.
type valueSource interface {
	reserve(key uintptr, n int) values
}

// sharedSlab is the production path: newValues, one atomic add on the
// current slab's counter.
type sharedSlab struct{}

func (sharedSlab) reserve(_ uintptr, n int) values { return newValues(n) }

// shardedSlabs keeps one current slab per shard, each on cache lines of
// its own, and picks the shard from the key: still one atomic add, but
// requests on different Ps mostly write different lines.
type shardedSlabs struct {
	shards [slabShards]struct {
		current atomic.Pointer[slab]
		_       [56]byte // one shard per 64-byte cache line
	}
}

const slabShards = 16

func (s *shardedSlabs) reserve(key uintptr, n int) values {
	shard := &s.shards[(key>>6)%slabShards].current
	for {
		sl := shard.Load()
		if sl != nil {
			if end := sl.used.Add(int64(n)); end <= slabSize {
				return values{sl.vals[end-int64(n) : end : end]}
			}
		}
		shard.CompareAndSwap(sl, new(slab))
	}
}

// poolSlab is a slab that one goroutine owns between sync.Pool's Get and
// Put, so its counter needs no atomic operation. sync.Pool keeps a private
// object per P, so a request mostly takes and returns the slab of its own
// P: no cache line moves between cores.
type poolSlab struct {
	used int
	vals [slabSize]string
}

type pooledSlabs struct{ pool sync.Pool }

func (s *pooledSlabs) reserve(_ uintptr, n int) values {
	sl, _ := s.pool.Get().(*poolSlab)
	if sl == nil || sl.used+n > slabSize {
		// A full slab is dropped, not returned: the values handed out
		// from it belong to their responses and are never reused.
		sl = new(poolSlab)
	}
	end := sl.used + n
	v := values{sl.vals[sl.used:end:end]}
	sl.used = end
	s.pool.Put(sl)
	return v
}

// allocated gives each value an allocation of its own: what the slab
// exists to avoid.
type allocated struct{}

func (allocated) reserve(_ uintptr, n int) values { return values{make([]string, n)} }

// fill takes n values from v, as a response's header writes do.
func fill(v *values, n int, sink []string) {
	for i := range n {
		sink[i] = v.next(allowedPreflightValue)[0]
	}
}

const allowedPreflightValue = "https://app.example.com"

// slabImpls are the implementations BenchmarkSlabParallel compares.
func slabImpls() []struct {
	name string
	src  func() valueSource
} {
	return []struct {
		name string
		src  func() valueSource
	}{
		{"shared-atomic", func() valueSource { return sharedSlab{} }},
		{"sharded-atomic", func() valueSource { return &shardedSlabs{} }},
		{"sync-pool", func() valueSource { return &pooledSlabs{} }},
		{"alloc-each", func() valueSource { return allocated{} }},
	}
}

// BenchmarkSlabParallel reserves and fills the values of one response per
// iteration from GOMAXPROCS goroutines at once. reserve=1 is a request
// without Origin (Vary only), 3 an allowed actual request with exposed
// headers, 5 an allowed preflight with Max-Age.
func BenchmarkSlabParallel(b *testing.B) {
	for _, n := range []int{1, 3, 5} {
		for _, impl := range slabImpls() {
			b.Run("reserve="+strconv.Itoa(n)+"/impl="+impl.name, func(b *testing.B) {
				src := impl.src()
				var goroutines atomic.Uintptr
				b.ReportAllocs()
				b.RunParallel(func(pb *testing.PB) {
					// Each goroutine stands for one P: its key is the
					// same on every iteration, as a P's pooled
					// gin.Context usually is.
					key := goroutines.Add(1) << 6
					var sink [8]string
					for pb.Next() {
						v := src.reserve(key, n)
						fill(&v, n, sink[:])
					}
				})
			})
		}
	}
}

// BenchmarkMiddlewareParallel serves whole requests through gin.Engine
// from GOMAXPROCS goroutines, each with its own writer and request: the
// production slab under the load a server puts on it.
func BenchmarkMiddlewareParallel(b *testing.B) {
	for _, bc := range benchCases() {
		switch bc.name {
		case "NonCORS", "ActualAllowed", "PreflightAllowed":
		default:
			continue
		}
		b.Run(bc.name, func(b *testing.B) {
			bc.prepare(b) // checks the response once
			e := engineFor(b, bc.cfg)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				w := &discardWriter{h: http.Header{}}
				r := bc.req.build(b, "http://api.test")
				for pb.Next() {
					clear(w.h)
					e.ServeHTTP(w, r)
				}
			})
		})
	}
}

// TestSlabAlternatives checks that every implementation the benchmark
// compares hands out distinct values of capacity one, so that an append
// or an in-place edit by a handler cannot reach another response.
func TestSlabAlternatives(t *testing.T) {
	for _, impl := range slabImpls() {
		t.Run(impl.name, func(t *testing.T) {
			src := impl.src()
			var got [][]string
			for range 2 * slabSize / 5 {
				v := src.reserve(uintptr(len(got)), 5)
				for range 5 {
					got = append(got, v.next("x"))
				}
			}
			require.Len(t, got, 2*slabSize/5*5)
			for i, one := range got {
				assert.Equal(t, 1, cap(one), "value %d", i)
				one[0] = strconv.Itoa(i)
			}
			for i, one := range got {
				assert.Equal(t, strconv.Itoa(i), one[0], "value %d shares its element with a later one", i)
			}
		})
	}
}
