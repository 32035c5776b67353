//go:build unix

package benchmarks

import (
	"runtime"
	"slices"
	"syscall"
	"testing"
)

// parallelScenarios are the requests BenchmarkParallel serves: the common
// paths, one of each kind.
var parallelScenarios = []string{"NonCORS", "ActualAllowed", "PreflightAllowed", "Wildcard"}

// BenchmarkParallel serves one request from every P at once through one
// shared engine, as a server does, for bare Gin and gincors. Run it with
// -cpu 1,2: ns/op is wall time over all goroutines, so the ratio of the two
// is the throughput gained from the second core, and gincors's gain over
// bare Gin's shows what the middleware's shared state costs under
// contention (run.sh, cmd/report's parallel table). On a machine that other
// processes keep busy, the wall time says more about them than about the
// code; cpu-ns/op, the process's CPU time per request, does not depend on
// how many cores the process got, and grows from 1 to 2 cores only by what
// the goroutines cost each other (shared cache lines, locks).
func BenchmarkParallel(b *testing.B) {
	for _, s := range scenarios() {
		if !slices.Contains(parallelScenarios, s.name) {
			continue
		}
		b.Run("scenario="+s.name, func(b *testing.B) {
			for _, lib := range libraries[:2] { // bare Gin, gincors
				b.Run("lib="+lib.name, func(b *testing.B) {
					e, _, _, err := setup(lib, s)
					if err != nil {
						b.Fatal(err)
					}
					runtime.GC()
					b.ReportAllocs()
					b.ResetTimer()
					cpu0 := cpuTime(b)
					b.RunParallel(func(pb *testing.PB) {
						// Each goroutine has its own request and writer,
						// as each connection of a server does.
						r, w := s.request(), newRecorder()
						for pb.Next() {
							w.reset()
							e.ServeHTTP(w, r)
						}
					})
					b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(b.N), "cpu-ns/op")
				})
			}
		})
	}
}

// cpuTime is the user and system CPU time the process has used, in
// nanoseconds.
func cpuTime(b *testing.B) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
