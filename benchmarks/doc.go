// Package benchmarks compares the per-request cost of gincors with its
// peers, github.com/gin-contrib/cors and github.com/rs/cors, and with a bare
// Gin engine that has no CORS middleware at all.
//
// It is a module of its own so that the gincors module never depends on its
// peers. Every scenario runs through a real gin.Engine, and every benchmark
// first checks that the library answered with the right CORS headers. `go
// test ./...` runs only those checks; run.sh runs the benchmarks and
// benchstat, instructions.sh counts instructions per request under
// callgrind. BENCHMARKS.md has the results.
package benchmarks
