package gincors

// The one test harness: a real gin.Engine with gincors installed, requests
// described as exact header lines, and results that record the status, the
// CORS headers and whether a route handler ran. Every test of the root
// package that sends a request goes through it, in memory (serve) or over
// loopback (serveHTTP).

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"
)

func init() { gin.SetMode(gin.TestMode) }

// corsHeaders are the response headers gincors sets.
var corsHeaders = []string{
	headerAllowOrigin, headerAllowCredentials, headerAllowMethods, headerAllowHeaders,
	headerAllowPrivateNetwork, headerExposeHeaders, headerMaxAge, headerVary,
}

// xTotal is the value of the X-Total header the route handler sets.
var xTotal = []string{"3"}

// testServer is a real gin.Engine with gincors installed on the engine and
// a counter of route-handler runs.
type testServer struct {
	engine *gin.Engine
	ran    atomic.Int32
}

// serverSettings are what serverOptions adjust.
type serverSettings struct {
	outer      []gin.HandlerFunc // installed before gincors
	everyRoute bool
}

// serverOption adjusts a testServer before it is built.
type serverOption func(*serverSettings)

// withOuterVary installs, before gincors, a middleware that sets Vary as a
// compression middleware would.
func withOuterVary(value string) serverOption {
	return func(s *serverSettings) {
		s.outer = append(s.outer, func(c *gin.Context) { c.Writer.Header().Set("Vary", value) })
	}
}

// withEveryRoute makes the counting handler answer /api for every method
// Gin's Any knows, OPTIONS included, and every request Gin does not route
// (NoRoute), as an application with a catch-all does: then "the handler
// did not run" means gincors stopped the request, not that Gin had no
// route for it.
func withEveryRoute() serverOption {
	return func(s *serverSettings) { s.everyRoute = true }
}

// newTestServer builds an engine with gincors and these routes, each
// counting its runs:
//   - /api for GET, HEAD, POST, PUT, DELETE and PATCH (no OPTIONS handler),
//     answering 200 "ok" with an X-Total header (withEveryRoute: every
//     method, and every unrouted request);
//   - /opt with an OPTIONS handler answering 200 "options";
//   - /panic, whose GET handler panics (under gin.Recovery).
func newTestServer(t testing.TB, cfg Config, opts ...serverOption) *testServer {
	t.Helper()
	return buildTestServer(New(cfg), opts...)
}

// newBareServer is newTestServer's engine without gincors, the baseline
// that allocation bounds are measured against.
func newBareServer(opts ...serverOption) *testServer {
	return buildTestServer(nil, opts...)
}

func buildTestServer(cors gin.HandlerFunc, opts ...serverOption) *testServer {
	var settings serverSettings
	for _, opt := range opts {
		opt(&settings)
	}
	s := &testServer{engine: gin.New()}
	s.engine.Use(gin.RecoveryWithWriter(io.Discard))
	s.engine.Use(settings.outer...)
	if cors != nil {
		s.engine.Use(cors)
	}
	handler := func(c *gin.Context) {
		s.ran.Add(1)
		// Assigned rather than Set, so that the handler allocates nothing
		// of its own and allocation bounds against newBareServer measure
		// gincors alone.
		c.Writer.Header()["X-Total"] = xTotal
		c.String(http.StatusOK, "ok")
	}
	if settings.everyRoute {
		s.engine.Any("/api", handler)
		s.engine.NoRoute(handler)
	} else {
		for _, m := range []string{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"} {
			s.engine.Handle(m, "/api", handler)
		}
	}
	s.engine.OPTIONS("/opt", func(c *gin.Context) {
		s.ran.Add(1)
		c.String(http.StatusOK, "options")
	})
	s.engine.GET("/panic", func(c *gin.Context) {
		s.ran.Add(1)
		panic("handler failed")
	})
	return s
}

// result is what a test observes of one exchange.
type result struct {
	status     int
	cors       http.Header // the Access-Control-* and Vary lines sent, exactly
	handlerRan bool
}

// request describes a request. Its header lines are kept exactly as given:
// in order, repeating a name as several field lines, with empty values and
// bytes that http.Header.Set would not normalise, and with the name as
// spelled (in memory a lower-case name stays lower case, as no server
// would leave it).
type request struct {
	method string // GET if empty
	path   string // /api if empty
	host   string // api.test if empty
	lines  [][2]string
}

func (r request) build(t testing.TB, base string) *http.Request {
	t.Helper()
	path := r.path
	if path == "" {
		path = "/api"
	}
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	require.NoError(t, err)
	if r.method != "" {
		// Any token, or none: a test may send what no client would.
		req.Method = r.method
	}
	if r.host != "" {
		req.Host = r.host
	}
	for _, l := range r.lines {
		req.Header[l[0]] = append(req.Header[l[0]], l[1])
	}
	return req
}

// serve runs r through the engine in memory.
func (s *testServer) serve(t testing.TB, r request) result {
	t.Helper()
	res, _ := s.serveWithBody(t, r)
	return res
}

// serveWithBody is serve that also returns the response body.
func (s *testServer) serveWithBody(t testing.TB, r request) (result, string) {
	t.Helper()
	before := s.ran.Load()
	rec := httptest.NewRecorder()
	s.engine.ServeHTTP(rec, r.build(t, "http://api.test"))
	resp := rec.Result()
	return result{status: resp.StatusCode, cors: pick(resp.Header), handlerRan: s.ran.Load() > before}, rec.Body.String()
}

// serveHTTP runs r over real HTTP on loopback against a server started on
// 127.0.0.1:0.
func (s *testServer) serveHTTP(t testing.TB, base string, r request) result {
	t.Helper()
	before := s.ran.Load()
	resp, err := noRedirects.Do(r.build(t, base))
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	require.NoError(t, resp.Body.Close())
	return result{status: resp.StatusCode, cors: pick(resp.Header), handlerRan: s.ran.Load() > before}
}

// noRedirects is a client that returns a redirect as it is, so that a test
// sees the server's own answer.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// pick returns the Access-Control-* and Vary lines of h: every header
// gincors sets, and any other Access-Control-* line, which a test must
// then expect.
func pick(h http.Header) http.Header {
	out := http.Header{}
	for name, v := range h {
		if strings.HasPrefix(name, "Access-Control-") || name == headerVary {
			out[name] = append([]string(nil), v...)
		}
	}
	return out
}

// hdr builds an expected header set from name/value pairs.
func hdr(pairs ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(pairs); i += 2 {
		h.Add(pairs[i], pairs[i+1])
	}
	return h
}

// lines builds request header lines from name/value pairs.
func lines(pairs ...string) [][2]string {
	var ls [][2]string
	for i := 0; i < len(pairs); i += 2 {
		ls = append(ls, [2]string{pairs[i], pairs[i+1]})
	}
	return ls
}

// repeatedLine is n lines of one header with one value.
func repeatedLine(name, value string, n int) [][2]string {
	ls := make([][2]string, n)
	for i := range ls {
		ls[i] = [2]string{name, value}
	}
	return ls
}

// preflightReq builds a preflight for /api.
func preflightReq(origin, method string, more ...string) request {
	return request{method: http.MethodOptions, lines: lines(append([]string{"Origin", origin, headerRequestMethod, method}, more...)...)}
}
