// Package zoo is a zoo of CORS deployments, misconfigured and correct, as
// real net/http and Gin handlers, each with what `gincors doctor` must
// report about it. The doctor's tests run every case against a loopback
// server, and the end-to-end suite runs them in the real engines to check
// that the model's per-engine verdicts agree (e2e/doctor_test.go).
package zoo

import (
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gincors/gincors"
)

// Runs counts, per "METHOD path", how often a route handler ran: the side
// effects a call caused.
type Runs struct {
	mu sync.Mutex
	n  map[string]int
}

// Add counts one run of the route handler for r.
func (r *Runs) Add(req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == nil {
		r.n = map[string]int{}
	}
	r.n[req.Method+" "+req.URL.Path]++
}

// Unsafe is how often a handler ran for a method other than GET, HEAD and
// OPTIONS.
func (r *Runs) Unsafe() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	total := 0
	for k, n := range r.n {
		m, _, _ := strings.Cut(k, " ")
		if m != "GET" && m != "HEAD" && m != "OPTIONS" {
			total += n
		}
	}
	return total
}

// Case is one deployment and one call against it.
type Case struct {
	Name string
	// Server builds the deployment for a page at origin, counting its
	// route handlers' runs in runs.
	Server func(origin string, runs *Runs) http.Handler
	// Path is the URL path the page calls.
	Path string
	// The call.
	Method      string
	Headers     map[string]string
	Credentials bool
	ReadHeaders []string
	SendActual  bool
	// PublicPage makes the page's host resolve to a public address.
	PublicPage bool

	// Codes are the finding codes the doctor reports, in order.
	Codes []string
	// Blocked maps each engine that blocks the call to the stage it fails
	// at; the others allow it.
	Blocked map[string]string
	// CacheSeconds is each engine's preflight-cache lifetime, if the call
	// is preflighted and allowed.
	CacheSeconds map[string]int
	// UnsafeRuns is how often an unsafe method's handler must run: 0
	// unless SendActual.
	UnsafeRuns int
	// Evidence, if set, is how the actual answer must be judged (the
	// report's actual_evidence).
	Evidence string
}

const (
	chromium = "chromium"
	firefox  = "firefox"
	webkit   = "webkit"
)

func all(stage string) map[string]string {
	return map[string]string{chromium: stage, firefox: stage, webkit: stage}
}

// handle is a route handler that counts its runs.
func handle(runs *Runs) gin.HandlerFunc {
	return func(c *gin.Context) {
		runs.Add(c.Request)
		c.Header("X-Total", "42")
		c.String(http.StatusOK, "%s %s", c.Request.Method, c.Request.URL.Path)
	}
}

// ginAPI is a Gin engine with middleware before the routes GET and PUT
// /items and GET /private.
func ginAPI(runs *Runs, middleware ...gin.HandlerFunc) *gin.Engine {
	e := gin.New()
	e.Use(middleware...)
	e.GET("/items", handle(runs))
	e.PUT("/items", handle(runs))
	e.GET("/private", handle(runs))
	return e
}

// gincorsConfig allows origin for PUT with X-Token, exposing X-Total.
func gincorsConfig(origin string) gincors.Config {
	return gincors.Config{
		AllowOrigins:     []string{origin},
		AllowMethods:     []string{"PUT"},
		AllowHeaders:     []string{"X-Token"},
		ExposeHeaders:    []string{"X-Total"},
		AllowCredentials: true,
		MaxAge:           10 * time.Minute,
		// The end-to-end suite's pages are plain http.
		DangerouslyAllowInsecureOrigins: strings.HasPrefix(origin, "http://"),
	}
}

// plain is a net/http deployment: cors decides the CORS headers of every
// answer, then preflights get 204 and other requests reach the handler.
func plain(runs *Runs, cors func(w http.ResponseWriter, r *http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cors(w, r)
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		runs.Add(r)
		w.Header().Set("X-Total", "42")
		_, _ = w.Write([]byte(r.Method + " " + r.URL.Path))
	})
}

// reflect answers for origins that allow(origin) accepts: the origin,
// credentials, PUT and X-Token, and Vary: Origin when vary.
func reflect(allow func(page, origin string) bool, page string, vary bool) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		if vary {
			w.Header().Add("Vary", "Origin")
		}
		o := r.Header.Get("Origin")
		if o == "" || !allow(page, o) {
			return
		}
		w.Header().Set("Access-Control-Allow-Origin", o)
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		if r.Method == http.MethodOptions {
			w.Header().Set("Access-Control-Allow-Methods", "PUT")
			w.Header().Set("Access-Control-Allow-Headers", "X-Token")
		}
	}
}

func exact(page, origin string) bool { return origin == page }

// Cases is the zoo.
var Cases = []Case{
	{
		Name: "gincors on the engine: an allowed credentialed PUT",
		Server: func(o string, runs *Runs) http.Handler {
			return ginAPI(runs, gincors.New(gincorsConfig(o)))
		},
		Path: "/items", Method: "PUT", Headers: map[string]string{"X-Token": "t"}, Credentials: true, ReadHeaders: []string{"X-Total"},
		Codes:        []string{},
		Evidence:     "get",
		CacheSeconds: map[string]int{chromium: 600, firefox: 600, webkit: 600},
	},
	{
		Name: "gincors on the engine: PUT with -send-actual runs the handler once",
		Server: func(o string, runs *Runs) http.Handler {
			return ginAPI(runs, gincors.New(gincorsConfig(o)))
		},
		Path: "/items", Method: "PUT", Headers: map[string]string{"X-Token": "t"}, SendActual: true,
		Codes:        []string{},
		CacheSeconds: map[string]int{chromium: 600, firefox: 600, webkit: 600},
		UnsafeRuns:   1,
		Evidence:     "sent",
	},
	{
		// No GET route and no preflight: an OPTIONS stands in to show
		// the CORS headers, and the POST is never sent.
		Name: "gincors on the engine: a simple POST to a route without GET",
		Server: func(o string, runs *Runs) http.Handler {
			e := ginAPI(runs, gincors.New(gincorsConfig(o)))
			e.POST("/orders", handle(runs))
			return e
		},
		Path: "/orders", Method: "POST", Headers: map[string]string{"Content-Type": "text/plain"},
		Codes:    []string{},
		Evidence: "preflight",
	},
	{
		Name: "gincors with any origin: a simple GET",
		Server: func(o string, runs *Runs) http.Handler {
			return ginAPI(runs, gincors.New(gincors.Config{AllowOrigins: []string{"*"}}))
		},
		Path: "/items", Method: "GET", Codes: []string{},
	},
	{
		Name: "a plain Go handler: the exact origin with Vary, a credentialed GET",
		Server: func(o string, runs *Runs) http.Handler {
			return plain(runs, reflect(exact, o, true))
		},
		Path: "/items", Method: "GET", Credentials: true, Codes: []string{},
	},
	{
		Name: "gincors on a group: Gin answers the preflight 404",
		Server: func(o string, runs *Runs) http.Handler {
			e := gin.New()
			g := e.Group("/api", gincors.New(gincorsConfig(o)))
			g.PUT("/items", handle(runs))
			g.GET("/items", handle(runs))
			return e
		},
		Path: "/api/items", Method: "PUT", Headers: map[string]string{"X-Token": "t"},
		Codes:   []string{"preflight-not-ok"},
		Blocked: all("preflight"),
	},
	{
		Name: "gincors on a group with HandleMethodNotAllowed: Gin answers the preflight 405",
		Server: func(o string, runs *Runs) http.Handler {
			e := gin.New()
			e.HandleMethodNotAllowed = true
			g := e.Group("/api", gincors.New(gincorsConfig(o)))
			g.PUT("/items", handle(runs))
			return e
		},
		Path: "/api/items", Method: "PUT",
		Codes:   []string{"preflight-not-ok"},
		Blocked: all("preflight"),
	},
	authFirst("authentication before gincors: preflight 401", http.StatusUnauthorized),
	authFirst("a firewall before gincors: preflight 403", http.StatusForbidden),
	authFirst("a rate limiter before gincors: preflight 429", http.StatusTooManyRequests),
	{
		Name: "a preflight handler that crashes: 500",
		Server: func(o string, runs *Runs) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodOptions {
					http.Error(w, "internal error", http.StatusInternalServerError)
					return
				}
				runs.Add(r)
			})
		},
		Path: "/items", Method: "DELETE",
		Codes:   []string{"preflight-not-ok"},
		Blocked: all("preflight"),
	},
	{
		Name: "a proxy adds Access-Control-Allow-Origin: * in front of gincors",
		Server: func(o string, runs *Runs) http.Handler {
			app := ginAPI(runs, gincors.New(gincorsConfig(o)))
			return proxyAdds(app, func(*http.Request) string { return "*" })
		},
		Path: "/items", Method: "GET",
		Codes:   []string{"allow-origin-multiple"},
		Blocked: all("actual"),
	},
	{
		Name: "a gateway and the app both echo the origin",
		Server: func(o string, runs *Runs) http.Handler {
			app := ginAPI(runs, gincors.New(gincorsConfig(o)))
			return proxyAdds(app, func(r *http.Request) string {
				if origin := r.Header.Get("Origin"); origin == o {
					return origin
				}
				return ""
			})
		},
		Path: "/items", Method: "GET",
		Codes:   []string{"allow-origin-multiple"},
		Blocked: all("actual"),
	},
	{
		Name: "Gin's trailing-slash redirect answers the preflight",
		Server: func(o string, runs *Runs) http.Handler {
			e := ginAPI(runs, gincors.New(gincorsConfig(o)))
			// An OPTIONS route, as many apps add for CORS, makes Gin
			// redirect OPTIONS /items/ too.
			e.OPTIONS("/items", handle(runs))
			return e
		},
		Path: "/items/", Method: "PUT",
		Codes:   []string{"preflight-redirect"},
		Blocked: all("preflight"),
	},
	{
		Name: "Gin's trailing-slash redirect answers a GET without CORS headers",
		Server: func(o string, runs *Runs) http.Handler {
			return ginAPI(runs, gincors.New(gincorsConfig(o)))
		},
		Path: "/items/", Method: "GET",
		Codes:   []string{"redirect-without-cors"},
		Blocked: all("redirect"),
	},
	{
		Name: "authentication after the preflight but before CORS: 401 without CORS headers",
		Server: func(o string, runs *Runs) http.Handler {
			cors := reflect(exact, o, true)
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodOptions && r.Header.Get("X-Token") != "valid" {
					w.WriteHeader(http.StatusUnauthorized)
					return
				}
				plain(runs, cors).ServeHTTP(w, r)
			})
		},
		Path: "/private", Method: "GET", Headers: map[string]string{"X-Token": "expired"},
		Codes:        []string{"error-status-without-cors"},
		Blocked:      all("actual"),
		CacheSeconds: map[string]int{chromium: 5, firefox: 5, webkit: 5},
	},
	{
		Name: "* with credentials",
		Server: func(o string, runs *Runs) http.Handler {
			return plain(runs, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", "*")
				w.Header().Set("Access-Control-Allow-Credentials", "true")
			})
		},
		Path: "/items", Method: "GET", Credentials: true,
		Codes:   []string{"wildcard-with-credentials"},
		Blocked: all("actual"),
	},
	{
		Name: "the origin echoed without Access-Control-Allow-Credentials",
		Server: func(o string, runs *Runs) http.Handler {
			return plain(runs, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Add("Vary", "Origin")
				if r.Header.Get("Origin") == o {
					w.Header().Set("Access-Control-Allow-Origin", o)
				}
			})
		},
		Path: "/items", Method: "GET", Credentials: true,
		Codes:   []string{"allow-credentials-missing"},
		Blocked: all("actual"),
	},
	{
		Name: "a fixed other origin in Access-Control-Allow-Origin",
		Server: func(o string, runs *Runs) http.Handler {
			return plain(runs, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", "https://www.example.com")
			})
		},
		Path: "/items", Method: "GET",
		Codes:   []string{"allow-origin-mismatch"},
		Blocked: all("actual"),
	},
	{
		Name: "a configured origin with a trailing slash",
		Server: func(o string, runs *Runs) http.Handler {
			return plain(runs, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Add("Vary", "Origin")
				w.Header().Set("Access-Control-Allow-Origin", o+"/")
			})
		},
		Path: "/items", Method: "GET",
		Codes:   []string{"allow-origin-mismatch"},
		Blocked: all("actual"),
	},
	{
		// Go 1.25's http.CrossOriginProtection lets preflights and GETs
		// through and refuses cross-origin unsafe methods with 403 and no
		// CORS header: only the actual PUT shows it. (A stand-in that
		// answers as it does, since the module supports Go 1.24.)
		Name: "Go's CrossOriginProtection in front of gincors, with -send-actual",
		Server: func(o string, runs *Runs) http.Handler {
			return crossOriginProtection(ginAPI(runs, gincors.New(gincorsConfig(o))))
		},
		Path: "/items", Method: "PUT", SendActual: true,
		Codes:        []string{"error-status-without-cors"},
		Blocked:      all("actual"),
		CacheSeconds: map[string]int{chromium: 600, firefox: 600, webkit: 600},
	},
	{
		Name: "no CORS at all",
		Server: func(o string, runs *Runs) http.Handler {
			return plain(runs, func(http.ResponseWriter, *http.Request) {})
		},
		Path: "/items", Method: "GET",
		Codes:   []string{"allow-origin-missing"},
		Blocked: all("actual"),
	},
	{
		Name: "any origin reflected with credentials",
		Server: func(o string, runs *Runs) http.Handler {
			return plain(runs, reflect(func(string, string) bool { return true }, o, true))
		},
		Path: "/items", Method: "GET", Credentials: true,
		Codes: []string{"reflects-any-origin", "allows-null-origin"},
	},
	{
		Name: "the null origin allowed besides the page's",
		Server: func(o string, runs *Runs) http.Handler {
			return plain(runs, reflect(func(page, origin string) bool { return origin == page || origin == "null" }, o, true))
		},
		Path: "/items", Method: "PUT", Headers: map[string]string{"X-Token": "t"}, Credentials: true,
		Codes:        []string{"allows-null-origin"},
		CacheSeconds: map[string]int{chromium: 5, firefox: 5, webkit: 5},
	},
	{
		Name: "a prefix check: strings.HasPrefix(origin, page)",
		Server: func(o string, runs *Runs) http.Handler {
			host := strings.TrimSuffix(o, ":"+portOf(o))
			return plain(runs, reflect(func(_, origin string) bool { return strings.HasPrefix(origin, host) }, o, true))
		},
		Path: "/items", Method: "GET", Credentials: true,
		Codes: []string{"allows-lookalike-origin"},
	},
	{
		Name: "a suffix check on the site without the dot, without credentials",
		Server: func(o string, runs *Runs) http.Handler {
			return plain(runs, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Add("Vary", "Origin")
				if origin := r.Header.Get("Origin"); strings.HasSuffix(origin, "example.com") || strings.HasSuffix(origin, "example.test:"+portOf(o)) {
					w.Header().Set("Access-Control-Allow-Origin", origin)
				}
			})
		},
		Path: "/items", Method: "GET",
		// The suffix check lets the http:// twin in too.
		Codes: []string{"allows-lookalike-origin", "allows-insecure-origin"},
	},
	{
		Name: "the http:// twin allowed",
		Server: func(o string, runs *Runs) http.Handler {
			twin := "http://" + strings.TrimPrefix(o, "https://")
			return plain(runs, reflect(func(page, origin string) bool { return origin == page || origin == twin }, o, true))
		},
		Path: "/items", Method: "GET", Credentials: true,
		Codes: []string{"allows-insecure-origin"},
	},
	{
		Name: "the origin echoed without Vary: Origin",
		Server: func(o string, runs *Runs) http.Handler {
			return plain(runs, reflect(exact, o, false))
		},
		Path: "/items", Method: "GET",
		Codes: []string{"vary-origin-missing"},
	},
	{
		Name: "Access-Control-Max-Age of a day",
		Server: func(o string, runs *Runs) http.Handler {
			cfg := gincorsConfig(o)
			cfg.MaxAge = 24 * time.Hour
			return ginAPI(runs, gincors.New(cfg))
		},
		Path: "/items", Method: "PUT",
		Codes:        []string{"max-age-capped"},
		CacheSeconds: map[string]int{chromium: 7200, firefox: 86400, webkit: 600},
	},
	{
		Name: "a response header the script reads is not exposed",
		Server: func(o string, runs *Runs) http.Handler {
			cfg := gincorsConfig(o)
			cfg.ExposeHeaders = nil
			return ginAPI(runs, gincors.New(cfg))
		},
		Path: "/items", Method: "GET", ReadHeaders: []string{"X-Total", "Content-Type"},
		Codes: []string{"header-not-exposed"},
	},
	{
		Name: "Authorization covered only by * in Access-Control-Allow-Headers",
		Server: func(o string, runs *Runs) http.Handler {
			return plain(runs, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Access-Control-Allow-Origin", "*")
				w.Header().Set("Access-Control-Allow-Headers", "*")
			})
		},
		Path: "/items", Method: "GET", Headers: map[string]string{"Authorization": "Bearer t"},
		Codes:        []string{"authorization-wildcard"},
		CacheSeconds: map[string]int{chromium: 5, firefox: 5, webkit: 5},
	},
	{
		Name: "a method missing from Access-Control-Allow-Methods",
		Server: func(o string, runs *Runs) http.Handler {
			return ginAPI(runs, gincors.New(gincors.Config{AllowOrigins: []string{o}, AllowMethods: []string{"PUT"}, Debug: true, Logger: discard}))
		},
		Path: "/items", Method: "PATCH",
		Codes:   []string{"method-not-allowed"},
		Blocked: all("preflight"),
	},
	{
		Name: "a header missing from Access-Control-Allow-Headers",
		Server: func(o string, runs *Runs) http.Handler {
			return ginAPI(runs, gincors.New(gincors.Config{AllowOrigins: []string{o}, AllowMethods: []string{"PUT"}, Debug: true, Logger: discard}))
		},
		Path: "/items", Method: "PUT", Headers: map[string]string{"X-CSRF-Token": "1"},
		Codes:   []string{"header-not-allowed"},
		Blocked: all("preflight"),
	},
	{
		Name: "a public page calling a loopback server",
		Server: func(o string, runs *Runs) http.Handler {
			return ginAPI(runs, gincors.New(gincorsConfig(o)))
		},
		Path: "/items", Method: "GET", PublicPage: true,
		Codes: []string{"local-network"},
	},
}

// discard is a logger that drops gincors' Debug lines.
var discard = slog.New(slog.DiscardHandler)

// proxyAdds is a proxy in front of app that adds an
// Access-Control-Allow-Origin line, value(r) unless empty, to each answer
// (nginx's add_header ... always, a CDN or gateway rule).
func proxyAdds(app http.Handler, value func(*http.Request) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		app.ServeHTTP(&addingWriter{ResponseWriter: w, value: value(r)}, r)
	})
}

// addingWriter adds its line as the answer's header is written.
type addingWriter struct {
	http.ResponseWriter
	value string
	done  bool
}

// WriteHeader adds the line, then writes the header.
func (w *addingWriter) WriteHeader(status int) {
	if !w.done && w.value != "" {
		w.Header().Add("Access-Control-Allow-Origin", w.value)
	}
	w.done = true
	w.ResponseWriter.WriteHeader(status)
}

// Write writes the header first if needed.
func (w *addingWriter) Write(b []byte) (int, error) {
	if !w.done {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// authFirst is a deployment whose first middleware answers every request
// without a valid token, preflights included, with status.
func authFirst(name string, status int) Case {
	return Case{
		Name: name,
		Server: func(o string, runs *Runs) http.Handler {
			auth := func(c *gin.Context) {
				if c.GetHeader("X-Token") != "valid" {
					c.AbortWithStatus(status)
				}
			}
			return ginAPI(runs, auth, gincors.New(gincorsConfig(o)))
		},
		Path: "/items", Method: "PUT", Headers: map[string]string{"X-Token": "t"},
		Codes:    []string{"preflight-not-ok"},
		Blocked:  all("preflight"),
		Evidence: "none",
	}
}

// portOf is the port of an origin, or "".
func portOf(origin string) string {
	i := strings.LastIndexByte(origin, ':')
	if i < 0 || strings.HasSuffix(origin[:i], ":") || strings.Contains(origin[i:], "/") {
		return ""
	}
	return origin[i+1:]
}

// crossOriginProtection answers as Go 1.25's http.CrossOriginProtection
// does without trusted origins: a request with an unsafe method whose
// Origin is not the request's own host gets 403 with no CORS header.
func crossOriginProtection(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if o := r.Header.Get("Origin"); o != "" && o != "http://"+r.Host && o != "https://"+r.Host {
				http.Error(w, "cross-origin request detected from Sec-Fetch-Site header", http.StatusForbidden)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
