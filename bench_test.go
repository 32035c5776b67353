package gincors

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// discardWriter is a reusable http.ResponseWriter: benchmarks measure the
// engine and the middleware, not a recorder.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }

// benchCase is one request against one policy, with the CORS headers its
// response must carry.
type benchCase struct {
	name   string
	cfg    Config
	req    request
	status int
	want   http.Header
}

// engineFor builds a release-mode engine with gincors and a GET/PUT route,
// as an application would.
func engineFor(tb testing.TB, cfg Config) *gin.Engine {
	tb.Helper()
	gin.SetMode(gin.ReleaseMode)
	tb.Cleanup(func() { gin.SetMode(gin.TestMode) })
	e := gin.New()
	e.Use(New(cfg))
	e.GET("/api", func(c *gin.Context) { c.Status(http.StatusOK) })
	e.PUT("/api", func(c *gin.Context) { c.Status(http.StatusOK) })
	return e
}

// prepare serves bc once, checks the response, and returns a function that
// serves it again with the same writer and request.
func (bc benchCase) prepare(tb testing.TB) func() {
	tb.Helper()
	e := engineFor(tb, bc.cfg)
	w := &discardWriter{h: http.Header{}}
	r := bc.req.build(tb, "http://api.test")
	serve := func() {
		clear(w.h)
		e.ServeHTTP(w, r)
	}
	serve()
	require.Equal(tb, bc.status, w.status, "status")
	require.Equal(tb, bc.want, pick(w.h), "CORS headers")
	return serve
}

func manyOrigins(n int) []string {
	origins := make([]string, n)
	for i := range origins {
		origins[i] = fmt.Sprintf("https://app%d.example.com", i)
	}
	return origins
}

func benchCases() []benchCase {
	app := "https://app0.example.com"
	cfg := func(origins ...string) Config {
		return Config{AllowOrigins: origins, AllowMethods: []string{"PUT"}, AllowHeaders: []string{"Content-Type", "Authorization"}, MaxAge: 24 * time.Hour}
	}
	acrh := strings.Repeat(" ,", 1<<19) // 1 MiB of empty list elements
	return []benchCase{
		{"NonCORS", cfg(app), request{method: "GET"}, 200, hdr("Vary", "Origin")},
		{"ActualAllowed", cfg(app), request{method: "GET", lines: lines("Origin", app)}, 200,
			hdr(headerAllowOrigin, app, "Vary", "Origin")},
		{"ActualDisallowed", cfg(app), request{method: "GET", lines: lines("Origin", evilOrigin)}, 200, hdr("Vary", "Origin")},
		{"PreflightAllowed", cfg(app), preflightReq(app, "PUT", headerRequestHeaders, "content-type,authorization"), 204,
			hdr(headerAllowOrigin, app, headerAllowMethods, "PUT", headerAllowHeaders, "Content-Type, Authorization", headerMaxAge, "86400")},
		{"PreflightDisallowed", cfg(app), preflightReq(evilOrigin, "PUT"), 403, hdr()},
		{"ExactOrigins/1", cfg(app), request{method: "GET", lines: lines("Origin", app)}, 200,
			hdr(headerAllowOrigin, app, "Vary", "Origin")},
		{"ExactOrigins/1000", cfg(manyOrigins(1000)...), request{method: "GET", lines: lines("Origin", "https://app999.example.com")}, 200,
			hdr(headerAllowOrigin, "https://app999.example.com", "Vary", "Origin")},
		{"ExactOrigins/10000", cfg(manyOrigins(10000)...), request{method: "GET", lines: lines("Origin", "https://app9999.example.com")}, 200,
			hdr(headerAllowOrigin, "https://app9999.example.com", "Vary", "Origin")},
		{"WildcardSubdomain", cfg("https://*.example.com"), request{method: "GET", lines: lines("Origin", "https://a.b.example.com")}, 200,
			hdr(headerAllowOrigin, "https://a.b.example.com", "Vary", "Origin")},
		{"Regexp", Config{AllowOriginRegexps: []string{`https://[a-z0-9-]+\.example\.com`}}, request{method: "GET", lines: lines("Origin", "https://a-1.example.com")}, 200,
			hdr(headerAllowOrigin, "https://a-1.example.com", "Vary", "Origin")},
		{"AllOrigins", Config{AllowOrigins: []string{"*"}}, request{method: "GET", lines: lines("Origin", evilOrigin)}, 200,
			hdr(headerAllowOrigin, "*")},
		{"Credentialed", func() Config { c := cfg(app); c.AllowCredentials = true; return c }(), request{method: "GET", lines: lines("Origin", app)}, 200,
			hdr(headerAllowOrigin, app, headerAllowCredentials, "true", "Vary", "Origin")},
		{"CredentialedWildcard", func() Config { c := cfg("https://*.example.com"); c.AllowCredentials = true; return c }(), request{method: "GET", lines: lines("Origin", "https://a.b.example.com")}, 200,
			hdr(headerAllowOrigin, "https://a.b.example.com", headerAllowCredentials, "true", "Vary", "Origin")},
		{"Preflight1MiBRequestHeaders", cfg(app), preflightReq(app, "PUT", headerRequestHeaders, acrh), 403, hdr()},
	}
}

func BenchmarkMiddleware(b *testing.B) { runBenchCases(b, benchCases()) }

// runBenchCases runs each case as a sub-benchmark, after prepare has checked
// its response.
func runBenchCases(b *testing.B, cases []benchCase) {
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			serve := bc.prepare(b)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				serve()
			}
		})
	}
}

// requestHeadersCases are preflights whose Access-Control-Request-Headers
// grows: with n allowed names the cost grows with n up to the limit of 100;
// with n bytes of separators the preflight is refused once the separators
// outrun the names, so the cost stops growing.
func requestHeadersCases() []benchCase {
	cfg := Config{AllowOrigins: []string{appOrigin}, AllowMethods: []string{"PUT"}, AllowHeaders: []string{"*"}}
	allowed := hdr(headerAllowOrigin, appOrigin, headerAllowMethods, "PUT", headerAllowHeaders, "*")
	var cases []benchCase
	for _, n := range []int{1, 10, 100} {
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("x-header-%d", i)
		}
		cases = append(cases, benchCase{fmt.Sprintf("names=%d", n), cfg,
			preflightReq(appOrigin, "PUT", headerRequestHeaders, strings.Join(names, ",")), 204, allowed})
	}
	for _, n := range []int{16, 1 << 10, 64 << 10, 1 << 20} {
		want, status := allowed, 204
		if n > maxSeparatorSlack+maxSeparatorsPerName {
			want, status = hdr(), 403
		}
		cases = append(cases, benchCase{fmt.Sprintf("separators=%d", n), cfg,
			preflightReq(appOrigin, "PUT", headerRequestHeaders, strings.Repeat(",", n)), status, want})
	}
	return cases
}

// BenchmarkRequestHeadersLength shows the cost of reading
// Access-Control-Request-Headers: linear in the names, bounded for abuse.
func BenchmarkRequestHeadersLength(b *testing.B) { runBenchCases(b, requestHeadersCases()) }

// TestAllocations pins the allocation target that the benchmarks report:
// at most one per request, the response's header values (write.go), and
// none when the response carries none of gincors's headers.
func TestAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	for _, bc := range append(benchCases(), requestHeadersCases()...) {
		t.Run(bc.name, func(t *testing.T) {
			serve := bc.prepare(t)
			limit := 1.0
			if len(bc.want) == 0 {
				limit = 0
			}
			assert.LessOrEqual(t, testing.AllocsPerRun(1000, serve), limit)
		})
	}
}
