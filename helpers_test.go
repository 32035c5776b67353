package gincors

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

// corsHeaders are the response headers gincors may set; tests compare this
// set exactly and ignore the rest (Date, Content-Length, ...).
var corsHeaders = []string{
	headerAllowOrigin, headerAllowCredentials, headerAllowMethods, headerAllowHeaders,
	headerAllowPrivateNetwork, headerExposeHeaders, headerMaxAge, headerVary,
}

// testServer is a real gin.Engine with gincors installed on the engine and
// a counter of route-handler runs.
type testServer struct {
	engine *gin.Engine
	ran    atomic.Int32
}

// serverOption adjusts a testServer before gincors is installed.
type serverOption func(*gin.Engine)

// withOuterVary installs, before gincors, a middleware that sets Vary as a
// compression middleware would.
func withOuterVary(value string) serverOption {
	return func(e *gin.Engine) {
		e.Use(func(c *gin.Context) { c.Writer.Header().Set("Vary", value) })
	}
}

// newTestServer builds an engine with routes:
//   - /api for GET, HEAD, POST, PUT, DELETE and PATCH (no OPTIONS handler),
//     answering 200 "ok" with an X-Total header;
//   - /opt with an OPTIONS handler answering 200 "options";
//   - /panic, whose GET handler panics (under gin.Recovery).
func newTestServer(t testing.TB, cfg Config, opts ...serverOption) *testServer {
	t.Helper()
	s := &testServer{engine: gin.New()}
	s.engine.Use(gin.RecoveryWithWriter(io.Discard))
	for _, opt := range opts {
		opt(s.engine)
	}
	s.engine.Use(New(cfg))
	handler := func(c *gin.Context) {
		s.ran.Add(1)
		c.Header("X-Total", "3")
		c.String(http.StatusOK, "ok")
	}
	for _, m := range []string{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"} {
		s.engine.Handle(m, "/api", handler)
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
	cors       http.Header // only corsHeaders, and only those present
	handlerRan bool
}

// request describes a request; header lines are kept in order and may
// repeat a name, as several field lines.
type request struct {
	method string
	path   string
	lines  [][2]string
}

func (r request) build(t testing.TB, base string) *http.Request {
	t.Helper()
	path := r.path
	if path == "" {
		path = "/api"
	}
	req, err := http.NewRequest(r.method, base+path, nil)
	require.NoError(t, err)
	for _, l := range r.lines {
		req.Header.Add(l[0], l[1])
	}
	return req
}

// serve runs r through the engine in memory.
func (s *testServer) serve(t testing.TB, r request) result {
	t.Helper()
	before := s.ran.Load()
	rec := httptest.NewRecorder()
	s.engine.ServeHTTP(rec, r.build(t, "http://api.test"))
	return result{status: rec.Code, cors: pick(rec.Header()), handlerRan: s.ran.Load() > before}
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

func pick(h http.Header) http.Header {
	out := http.Header{}
	for _, name := range corsHeaders {
		if v, ok := h[name]; ok {
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

// preflightReq builds a preflight for /api.
func preflightReq(origin, method string, more ...string) request {
	return request{method: http.MethodOptions, lines: lines(append([]string{"Origin", origin, headerRequestMethod, method}, more...)...)}
}

func repeatNames(n int) string {
	names := make([]string, n)
	for i := range names {
		names[i] = "x-h"
	}
	return strings.Join(names, ",")
}
