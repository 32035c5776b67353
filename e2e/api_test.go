package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"github.com/gincors/gincors"
)

// sessionCookie is the cookie GET /login sets, to sessionValue.
const (
	sessionCookie = "gincors_session"
	sessionValue  = "s3cr3t"
)

// exchange is one request the API server received, recorded by a
// middleware placed before gincors, and the response it sent.
type exchange struct {
	Method         string
	Path           string
	EscapedPath    string // the path as sent, %2F and all
	Origin         string // "" when absent
	RequestMethod  string // Access-Control-Request-Method
	RequestHeaders string // Access-Control-Request-Headers
	Cookie         string // value of sessionCookie, "" when not sent
	Preflight      bool   // OPTIONS with Origin and Access-Control-Request-Method
	HandlerRan     bool   // the route handler ran
	Status         int
	Response       http.Header
}

// apiServer is a real gin.Engine with gincors, served over HTTP on
// 127.0.0.1, which records every exchange.
type apiServer struct {
	URL    string // http://api.example.test:PORT, as pages reach it
	RawURL string // http://127.0.0.1:PORT, for direct Go requests

	mu   sync.Mutex
	seen []*exchange
	wire []string // every request as it reached the server: "METHOD /path STATUS"
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

// wireLog records every request before Gin routes it, so it sees those
// Gin answers before any middleware runs, such as its trailing-slash
// redirects.
func (s *apiServer) wireLog(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		path := r.URL.Path // Gin rewrites it when it redirects
		h.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		s.mu.Lock()
		s.wire = append(s.wire, fmt.Sprintf("%s %s %d", r.Method, path, rec.status))
		s.mu.Unlock()
	})
}

// wireRequests returns what wireLog recorded for path.
func (s *apiServer) wireRequests(path string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, w := range s.wire {
		if strings.Contains(w, " "+path+" ") {
			out = append(out, w)
		}
	}
	return out
}

// exchangeKey is the gin.Context key under which the recording middleware
// keeps the request's exchange. A string, because gin.Context.Set takes
// only string keys before Gin v1.11 and go.mod supports Gin from v1.9.1.
const exchangeKey = "gincors-e2e-exchange"

// newAPI starts an API server with gincors.New(cfg) installed on the
// engine, after the recording middleware, and these routes:
//   - GET, HEAD, POST, PUT, DELETE, PATCH /r/*name, and any other method
//     (such as "patch") through NoRoute: 200 "METHOD /r/name", with
//     X-Exposed and X-Hidden response headers;
//   - GET /login: sets the sessionCookie cookie and answers "logged in";
//   - GET and PUT /whoami: answers "session=" and the cookie's value;
//   - GET /cacheable: cacheable for a minute, answers "for " and the
//     request's origin;
//   - GET /cacheable-without-vary: the same, but the handler removes Vary,
//     as a broken middleware might.
func newAPI(t *testing.T, cfg gincors.Config) *apiServer {
	t.Helper()
	return newAPIWith(t, gincors.New(cfg))
}

// newAPIWith is newAPI with cors, such as a ByPath policy or a
// Middleware's Handler, in gincors' place, and these further routes:
//   - GET and PUT /admin/*name, like /r/*name;
//   - GET /get-only, like /r/*name;
//   - GET, PUT and OPTIONS /items, like /r/*name, which Gin's
//     RedirectTrailingSlash answers for /items/ with a redirect before any
//     middleware runs (for OPTIONS too, since the route has an OPTIONS
//     handler, as many apps add for CORS);
//   - GET and PUT /auth/*name, like /r/*name, and OPTIONS /auth/*name,
//     which answers 401 as an authentication middleware that does not
//     know preflights would.
func newAPIWith(t *testing.T, cors gin.HandlerFunc) *apiServer {
	t.Helper()
	s := &apiServer{}
	e := gin.New()
	e.Use(gin.Recovery(), s.record, cors)

	generic := func(c *gin.Context) {
		s.handled(c)
		c.Header("X-Exposed", "exposed-value")
		c.Header("X-Hidden", "hidden-value")
		c.String(http.StatusOK, "%s %s", c.Request.Method, c.Request.URL.Path)
	}
	for _, m := range []string{"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"} {
		e.Handle(m, "/r/*name", generic)
	}
	// Gin only registers upper-case methods; a lower-case "patch" reaches
	// the NoRoute handlers, which run after the engine's middleware.
	e.NoRoute(func(c *gin.Context) {
		if strings.HasPrefix(c.Request.URL.Path, "/r/") && c.Request.Method != http.MethodOptions {
			generic(c)
			return
		}
		c.Status(http.StatusNotFound)
	})
	e.GET("/admin/*name", generic)
	e.PUT("/admin/*name", generic)
	e.GET("/get-only", generic)
	e.GET("/items", generic)
	e.PUT("/items", generic)
	e.OPTIONS("/items", generic)
	e.GET("/auth/*name", generic)
	e.PUT("/auth/*name", generic)
	e.OPTIONS("/auth/*name", func(c *gin.Context) { c.AbortWithStatus(http.StatusUnauthorized) })
	e.GET("/login", func(c *gin.Context) {
		s.handled(c)
		c.SetCookie(sessionCookie, sessionValue, 0, "/", "", false, true)
		c.String(http.StatusOK, "logged in")
	})
	whoami := func(c *gin.Context) {
		s.handled(c)
		v, _ := c.Cookie(sessionCookie)
		c.String(http.StatusOK, "session=%s", v)
	}
	e.GET("/whoami", whoami)
	e.PUT("/whoami", whoami)
	cacheable := func(c *gin.Context) {
		s.handled(c)
		c.Header("Cache-Control", "public, max-age=60")
		c.String(http.StatusOK, "for %s", c.GetHeader("Origin"))
	}
	e.GET("/cacheable", cacheable)
	e.GET("/cacheable-without-vary", func(c *gin.Context) {
		c.Writer.Header().Del("Vary")
		cacheable(c)
	})

	srv, err := startServer(s.wireLog(e))
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	port := portOf(srv.Listener)
	s.URL = "http://api.example.test:" + port
	s.RawURL = "http://127.0.0.1:" + port
	return s
}

// record is the first middleware: it logs the request before gincors sees
// it and the response after the chain. net/http sends a small response
// only when the handler chain has returned, so by the time the browser has
// a response, its exchange is complete.
func (s *apiServer) record(c *gin.Context) {
	r := c.Request
	x := &exchange{
		Method:         r.Method,
		Path:           r.URL.Path,
		EscapedPath:    r.URL.EscapedPath(),
		Origin:         r.Header.Get("Origin"),
		RequestMethod:  r.Header.Get("Access-Control-Request-Method"),
		RequestHeaders: r.Header.Get("Access-Control-Request-Headers"),
	}
	if ck, err := r.Cookie(sessionCookie); err == nil {
		x.Cookie = ck.Value
	}
	_, hasOrigin := r.Header["Origin"]
	_, hasMethod := r.Header["Access-Control-Request-Method"]
	x.Preflight = r.Method == http.MethodOptions && hasOrigin && hasMethod
	s.mu.Lock()
	s.seen = append(s.seen, x)
	s.mu.Unlock()
	c.Set(exchangeKey, x)

	c.Next()

	s.mu.Lock()
	x.Status = c.Writer.Status()
	x.Response = c.Writer.Header().Clone()
	s.mu.Unlock()
}

// handled marks the current exchange as having reached its route handler.
func (s *apiServer) handled(c *gin.Context) {
	x := c.MustGet(exchangeKey).(*exchange)
	s.mu.Lock()
	x.HandlerRan = true
	s.mu.Unlock()
}

// exchanges returns copies of the exchanges for path, as sent (escaped),
// oldest first.
func (s *apiServer) exchanges(path string) []exchange {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []exchange
	for _, x := range s.seen {
		if x.EscapedPath == path {
			out = append(out, *x)
		}
	}
	return out
}

// preflights returns the preflights received for path.
func (s *apiServer) preflights(path string) []exchange {
	var out []exchange
	for _, x := range s.exchanges(path) {
		if x.Preflight {
			out = append(out, x)
		}
	}
	return out
}

// handlerRuns returns how many times path's route handler ran.
func (s *apiServer) handlerRuns(path string) int {
	n := 0
	for _, x := range s.exchanges(path) {
		if x.HandlerRan {
			n++
		}
	}
	return n
}

// actuals returns the requests for path that were not preflights.
func (s *apiServer) actuals(path string) []exchange {
	var out []exchange
	for _, x := range s.exchanges(path) {
		if !x.Preflight {
			out = append(out, x)
		}
	}
	return out
}
