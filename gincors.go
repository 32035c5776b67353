// Package gincors is a CORS middleware for the Gin web framework that
// follows the CORS protocol of the WHATWG Fetch standard
// (https://fetch.spec.whatwg.org/#http-cors-protocol).
//
// Build a middleware once from a [Config] and install it on the engine,
// before registering routes:
//
//	router := gin.New()
//	router.Use(gincors.New(gincors.Config{
//		AllowOrigins: []string{"https://app.example.com", "https://*.example.com"},
//		AllowMethods: []string{"GET", "POST", "PUT", "DELETE"},
//		AllowHeaders: []string{"Content-Type", "Authorization"},
//		MaxAge:       time.Hour,
//	}))
//
// The middleware answers CORS preflight requests (OPTIONS with Origin and
// Access-Control-Request-Method) itself and stops the chain. It lets every
// other request through to its handler, adding Access-Control-Allow-Origin
// and the related headers when the origin is allowed. It never refuses an
// actual request: enforcing CORS is the browser's job, and same-origin
// requests carry an Origin header too.
//
// Install it with engine.Use, not on a router group: Gin answers a
// preflight for a route that has no OPTIONS handler with 404 before a
// group's middleware runs, whereas middleware installed on the engine also
// runs for such requests.
package gincors

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/gincors/gincors/internal/origin"
)

// New returns a middleware that applies the CORS policy cfg. It validates
// and compiles cfg once, so that a request costs only reading its own
// headers and a few hash lookups: no regexp compilation, no scan of the
// configured origins, no per-request allocation in the common case. It
// panics with [Config.Validate]'s error if cfg is invalid. The middleware is
// safe for concurrent use.
func New(cfg Config) gin.HandlerFunc {
	p, err := compile(cfg)
	if err != nil {
		panic(err)
	}
	return p.handle
}

// Default returns a middleware for a public API: every origin, no
// credentials, the methods and headers of [DefaultConfig].
func Default() gin.HandlerFunc {
	cfg := DefaultConfig()
	cfg.AllowOrigins = []string{"*"}
	return New(cfg)
}

// policy is a compiled Config: everything the request path needs, in the
// form it needs it. It is immutable after compile.
type policy struct {
	allowAllOrigins bool                // "*" without credentials
	exact           map[string]struct{} // serialized origins, and "null" if allowed
	patterns        origin.Set          // wildcard subdomains and ports
	regexps         regexpOrigins
	matchers        []OriginMatcher // AllowOriginFunc, then OriginMatcher
	contextFunc     func(*gin.Context, string) bool
	exactOnly       bool // no source but exact: an exact-map miss is final

	credentials bool

	anyMethod    bool
	methods      map[string]struct{}
	allowMethods string // Access-Control-Allow-Methods, or "" to reflect (or omit)

	anyHeader            bool
	headers              map[string]struct{} // lower-case names
	longestHeader        int                 // longest name in headers
	longestRequestHeader int                 // longest name a preflight may ask for
	allowHeaders         string              // Access-Control-Allow-Headers, or "" to reflect (or omit)

	exposeHeaders  string // Access-Control-Expose-Headers value, or ""
	maxAge         string // Access-Control-Max-Age value, or ""
	privateNetwork bool
	passthrough    bool
	successStatus  int

	varyActual    varyNames // Vary for actual requests; empty if none is needed
	varyPreflight varyNames // Vary for preflight responses

	// Header values a response takes from a slab (headers.go): for an
	// allowed actual request, and for an allowed preflight (Vary included,
	// Access-Control-Allow-Private-Network not).
	actualValues, preflightValues int
}

// Canonical header names, so the request path can index header maps
// directly.
const (
	headerOrigin                = "Origin"
	headerVary                  = "Vary"
	headerRequestMethod         = "Access-Control-Request-Method"
	headerRequestHeaders        = "Access-Control-Request-Headers"
	headerRequestPrivateNetwork = "Access-Control-Request-Private-Network"
	headerAllowOrigin           = "Access-Control-Allow-Origin"
	headerAllowCredentials      = "Access-Control-Allow-Credentials"
	headerAllowMethods          = "Access-Control-Allow-Methods"
	headerAllowHeaders          = "Access-Control-Allow-Headers"
	headerAllowPrivateNetwork   = "Access-Control-Allow-Private-Network"
	headerExposeHeaders         = "Access-Control-Expose-Headers"
	headerMaxAge                = "Access-Control-Max-Age"
)

func (p *policy) handle(c *gin.Context) {
	r := c.Request
	origins := r.Header[headerOrigin]
	// A CORS-preflight request is an OPTIONS request with Origin and
	// Access-Control-Request-Method
	// (fetch.spec.whatwg.org/#cors-preflight-fetch). Any other OPTIONS
	// request is an actual request for the route's own handler.
	if r.Method == http.MethodOptions && len(origins) > 0 {
		if methods, ok := r.Header[headerRequestMethod]; ok {
			p.preflight(c, origins, methods)
			return
		}
	}
	p.actual(c, origins)
}

// actual handles a request that is not a preflight. It only adds headers,
// before calling the next handler so that they are present even if that
// handler fails or panics, and never refuses the request: the browser
// performs the CORS check on the response
// (fetch.spec.whatwg.org/#cors-check).
func (p *policy) actual(c *gin.Context, origins []string) {
	h := c.Writer.Header()
	if p.allowAllOrigins {
		// The response does not depend on the origin, so it carries the
		// same headers with or without one and needs no Vary.
		v := newValues(p.actualValues)
		p.setActualHeaders(h, &v, "*")
		c.Next()
		return
	}
	// Browsers send exactly one Origin line; several are malformed.
	allowed := len(origins) == 1 && p.allowOrigin(c, origins[0])
	n := 1
	if allowed {
		n += p.actualValues
	}
	v := newValues(n)
	addVary(h, &v, p.varyActual)
	if allowed {
		p.setActualHeaders(h, &v, origins[0])
	}
	c.Next()
}

// setActualHeaders sets the headers of a response to an allowed actual request
// (fetch.spec.whatwg.org/#http-responses), taking p.actualValues values from v.
func (p *policy) setActualHeaders(h http.Header, v *values, allowOrigin string) {
	h[headerAllowOrigin] = v.reflect(allowOrigin)
	if p.credentials {
		h[headerAllowCredentials] = v.next("true")
	}
	if p.exposeHeaders != "" {
		h[headerExposeHeaders] = v.next(p.exposeHeaders)
	}
}

// allowOrigin reports whether the request's origin s is allowed. Only a
// well-formed serialized origin reaches the configured matchers.
func (p *policy) allowOrigin(c *gin.Context, s string) bool {
	if len(s) > origin.MaxLength {
		return false
	}
	if _, ok := p.exact[s]; ok {
		return true
	}
	if p.exactOnly {
		return false
	}
	o, ok := origin.Parse(s)
	if !ok {
		return false
	}
	if p.patterns.Match(o) || p.regexps.matchValid(s) {
		return true
	}
	for _, m := range p.matchers {
		if m.MatchOrigin(s) {
			return true
		}
	}
	return p.contextFunc != nil && p.contextFunc(c, s)
}
