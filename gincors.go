package gincors

import (
	"net/http"
	"slices"
	"sync/atomic"

	"github.com/gin-gonic/gin"
)

// New returns a middleware that applies the CORS policy cfg. It validates
// and compiles cfg once, so that a request costs only reading its own
// headers and a few hash lookups: no regexp compilation, no scan of the
// configured origins, and at most one allocation per request (the values
// of the response's CORS headers). It panics with [Config.Validate]'s
// error if cfg is invalid, and logs each of cfg's [ConfigWarning]s once,
// at level WARN, to cfg.Logger, else to slog.Default(). The middleware is
// safe for concurrent use.
//
// New(cfg) is NewMiddleware(cfg) followed by Handler, for the common case
// of a policy that never changes.
func New(cfg Config) gin.HandlerFunc {
	m, err := NewMiddleware(cfg)
	if err != nil {
		panic(err)
	}
	return m.Handler()
}

// Default returns a middleware for a public API: every origin, no
// credentials, the methods and headers of [DefaultConfig].
func Default() gin.HandlerFunc {
	cfg := DefaultConfig()
	cfg.AllowOrigins = []string{"*"}
	return New(cfg)
}

// A Middleware is a CORS policy that can be replaced while requests run.
// Create one with [NewMiddleware]; the zero Middleware has no policy, and
// its methods other than Reconfigure panic. A Middleware is safe for concurrent use.
type Middleware struct {
	// The request path loads one immutable compiled policy per request,
	// so a request sees the old policy or the new one, never a mix.
	policy atomic.Pointer[policy]
}

// NewMiddleware validates and compiles cfg, as [New] does, and returns
// the error instead of panicking. Like New, it logs each of cfg's
// [ConfigWarning]s once.
func NewMiddleware(cfg Config) (*Middleware, error) {
	p, err := compile(cfg)
	if err != nil {
		return nil, err
	}
	p.logWarnings()
	m := &Middleware{}
	m.policy.Store(p)
	return m, nil
}

// Handler returns the gin.HandlerFunc that applies m's current policy.
// Install it with engine.Use; every Handler of m follows Reconfigure.
func (m *Middleware) Handler() gin.HandlerFunc {
	m.current()
	return m.handle
}

// current returns the policy, or panics with a message that says what is
// wrong if m was not made by NewMiddleware.
func (m *Middleware) current() *policy {
	p := m.policy.Load()
	if p == nil {
		panic("gincors: Middleware not made by NewMiddleware")
	}
	return p
}

// Reconfigure validates and compiles cfg and, if it is valid, makes it the
// policy of every later request, atomically. If cfg is invalid, it returns
// the errors, as [Config.Validate] does, and the current policy stays. It
// logs each of cfg's [ConfigWarning]s once, as [New] does.
func (m *Middleware) Reconfigure(cfg Config) error {
	p, err := compile(cfg)
	if err != nil {
		return err
	}
	p.logWarnings()
	m.policy.Store(p)
	return nil
}

// Warnings returns the [ConfigWarning]s of the current policy's
// configuration, or nil if it has none.
func (m *Middleware) Warnings() []ConfigWarning {
	return slices.Clone(m.current().warnings)
}

// Config returns a copy of the current policy's configuration; changing
// it changes nothing until it is passed to Reconfigure.
func (m *Middleware) Config() Config {
	return m.current().config.clone()
}

// OriginAllowed reports whether the current policy allows the origin of
// the request in c, by the same decision CORS responses are built from.
// It is for origin checks outside CORS, such as a WebSocket upgrade's
// CheckOrigin or a CSRF check. A request without an Origin header (or with
// several) reports false: browsers send Origin on WebSocket handshakes and
// on every cross-origin request, so a missing one means a non-browser
// client, which the caller may choose to let through. A policy with
// AllowOrigins "*" reports false for every origin: "*" lets any website
// read responses sent without credentials, and vouches for none, whereas a
// WebSocket handshake or a form post carries the user's cookies.
func (m *Middleware) OriginAllowed(c *gin.Context) bool {
	origins := c.Request.Header[headerOrigin]
	p := m.current()
	return len(origins) == 1 && !p.origins.allowAll && p.origins.allows(c, origins[0])
}

// handle classifies the request and hands it to the policy: a request
// without Origin is not a CORS request
// (https://fetch.spec.whatwg.org/#http-requests); a CORS-preflight request
// is an OPTIONS request with Origin and Access-Control-Request-Method
// (https://fetch.spec.whatwg.org/#cors-preflight-fetch); any other
// request, including any other OPTIONS request, is an actual request for
// the route's own handler.
func (m *Middleware) handle(c *gin.Context) {
	p := m.policy.Load()
	r := c.Request
	origins := r.Header[headerOrigin]
	if len(origins) == 0 {
		var v verdict
		p.writeActual(c.Writer.Header(), &v)
		c.Next()
		return
	}
	if r.Method == http.MethodOptions {
		if methods, ok := r.Header[headerRequestMethod]; ok {
			p.preflight(c, origins, methods)
			return
		}
	}
	p.actual(c, origins)
}

// preflight answers a CORS-preflight request: decided, written, reported,
// and the chain aborted, so the route handler does not run, unless
// OptionsPassthrough is set.
func (p *policy) preflight(c *gin.Context, origins, methods []string) {
	var v verdict
	p.decidePreflight(c, origins, methods, &v)
	status := p.writePreflight(c.Writer.Header(), &v)
	if p.reports && v.reason != 0 {
		p.report(c, &v)
	}
	if p.passthrough {
		c.Next()
		return
	}
	c.AbortWithStatus(status)
}

// actual handles a request that is not a preflight. It only adds headers,
// before calling the next handler so that they are present even if that
// handler fails or panics, and never refuses the request: the browser
// performs the CORS check on the response
// (https://fetch.spec.whatwg.org/#cors-check).
func (p *policy) actual(c *gin.Context, origins []string) {
	var v verdict
	p.decideActual(c, origins, &v)
	p.writeActual(c.Writer.Header(), &v)
	if p.reports && (v.reason != 0 || v.stacked) {
		p.reportActual(c, &v)
	}
	c.Next()
}
