package benchmarks

import (
	"errors"
	"net/http"
	"regexp"
	"time"

	gincontrib "github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"
	rscors "github.com/rs/cors"

	"github.com/gincors/gincors"
)

// policy is a CORS policy in library-neutral form. Every library is
// configured from it, so all of them get the same origins, methods,
// headers, exposed headers, credentials and max age.
type policy struct {
	origins     []string // exact origins
	wildcards   []string // wildcard subdomains: "https://*.example.com"
	regexps     []string // RE2, matched against the whole origin, no top-level |
	anyOrigin   bool     // AllowOrigins "*"
	credentials bool
	headers     []string // allowed request headers; nil means allowHeaders
}

// allowedHeaders is the policy's list of allowed request headers.
func (p policy) allowedHeaders() []string {
	if p.headers != nil {
		return p.headers
	}
	return allowHeaders
}

// The rest of the policy is the same in every scenario.
var (
	allowMethods  = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}
	allowHeaders  = []string{"Content-Type", "Authorization"}
	exposeHeaders = []string{"X-Request-Id"}
)

const maxAge = time.Hour

// errUnsupported marks a scenario that a library has no feature for.
var errUnsupported = errors.New("unsupported by this library")

// library builds a library's Gin middleware for a policy. A nil
// middleware with a nil error is bare Gin: no CORS middleware at all.
type library struct {
	name       string
	middleware func(policy) (gin.HandlerFunc, error)
}

const (
	libBare       = "bare-gin"
	libGincors    = "gincors"
	libGinContrib = "gin-contrib"
	libRsCors     = "rs-cors"
)

// libraries are benchmarked in this order; bare Gin is the floor.
var libraries = []library{
	{libBare, func(policy) (gin.HandlerFunc, error) { return nil, nil }},
	{libGincors, newGincors},
	{libGinContrib, newGinContrib},
	{libRsCors, newRsCors},
}

func newGincors(p policy) (gin.HandlerFunc, error) {
	cfg := gincors.Config{
		AllowOrigins:       append(append([]string(nil), p.origins...), p.wildcards...),
		AllowOriginRegexps: p.regexps,
		AllowMethods:       allowMethods,
		AllowHeaders:       p.allowedHeaders(),
		ExposeHeaders:      exposeHeaders,
		AllowCredentials:   p.credentials,
		MaxAge:             maxAge,
	}
	if p.anyOrigin {
		cfg.AllowOrigins = []string{"*"}
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return gincors.New(cfg), nil
}

func newGinContrib(p policy) (gin.HandlerFunc, error) {
	cfg := gincontrib.Config{
		AllowMethods:     allowMethods,
		AllowHeaders:     p.allowedHeaders(),
		ExposeHeaders:    exposeHeaders,
		AllowCredentials: p.credentials,
		MaxAge:           maxAge,
	}
	if p.anyOrigin {
		cfg.AllowAllOrigins = true
	} else {
		cfg.AllowOrigins = append(append([]string(nil), p.origins...), p.wildcards...)
		cfg.AllowWildcard = len(p.wildcards) > 0
		// gin-contrib reads "/expr/" entries of AllowOrigins as regexps
		// (and compiles them on every request).
		for _, re := range p.regexps {
			cfg.AllowOrigins = append(cfg.AllowOrigins, "/^"+re+"$/")
		}
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return gincontrib.New(cfg), nil
}

func newRsCors(p policy) (gin.HandlerFunc, error) {
	opts := rscors.Options{
		AllowedOrigins:   append(append([]string(nil), p.origins...), p.wildcards...),
		AllowedMethods:   allowMethods,
		AllowedHeaders:   p.allowedHeaders(),
		ExposedHeaders:   exposeHeaders,
		AllowCredentials: p.credentials,
		MaxAge:           int(maxAge / time.Second),
	}
	if p.anyOrigin {
		opts.AllowedOrigins = []string{"*"}
	}
	if len(p.regexps) > 0 {
		// rs/cors has no regexp origins; its documented way is an
		// AllowOriginFunc, here one anchored RE2 per expression, compiled
		// once, which is what an application would write. With a function
		// set, rs/cors ignores AllowedOrigins.
		if len(opts.AllowedOrigins) > 0 {
			return nil, errUnsupported // a function and a list do not combine
		}
		res := make([]*regexp.Regexp, len(p.regexps))
		for i, expr := range p.regexps {
			re, err := regexp.Compile(`^(?:` + expr + `)$`)
			if err != nil {
				return nil, err
			}
			res[i] = re
		}
		opts.AllowOriginFunc = func(origin string) bool {
			for _, re := range res {
				if re.MatchString(origin) {
					return true
				}
			}
			return false
		}
	}
	return rsCorsGin(opts), nil
}

// rsCorsGin adapts rs/cors to Gin the way its own wrapper module
// (github.com/rs/cors/wrapper/gin, which the module proxy does not serve)
// does: rs/cors handles the request through Cors.HandlerFunc; a preflight
// (OPTIONS with Access-Control-Request-Method) then stops the chain with
// the options success status unless OptionsPassthrough is set, and any
// other request continues to its handler.
func rsCorsGin(opts rscors.Options) gin.HandlerFunc {
	c := rscors.New(opts)
	status := opts.OptionsSuccessStatus
	if status == 0 {
		status = http.StatusNoContent
	}
	return func(ctx *gin.Context) {
		c.HandlerFunc(ctx.Writer, ctx.Request)
		if !opts.OptionsPassthrough && ctx.Request.Method == http.MethodOptions &&
			ctx.Request.Header.Get("Access-Control-Request-Method") != "" {
			ctx.AbortWithStatus(status)
		}
	}
}

// newEngine returns a release-mode gin.Engine with mw installed (unless
// nil) and one route, GET /api/items. Preflights for it reach the
// middleware through Gin's 404 chain, as in a real application without
// OPTIONS routes.
func newEngine(mw gin.HandlerFunc) *gin.Engine {
	e := gin.New()
	if mw != nil {
		e.Use(mw)
	}
	e.GET(routePath, func(c *gin.Context) { c.Status(http.StatusOK) })
	return e
}

const routePath = "/api/items"

// recorder is the response writer every benchmark reuses: the same type
// for every library and for bare Gin. reset empties its header map without
// freeing it, so a request that adds no header allocates nothing here.
type recorder struct {
	header http.Header
	status int
	body   int
}

func newRecorder() *recorder { return &recorder{header: make(http.Header, 16)} }

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *recorder) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.body += len(p)
	return len(p), nil
}

func (w *recorder) reset() {
	clear(w.header)
	w.status = 0
	w.body = 0
}
