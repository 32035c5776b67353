package gincors_test

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gincors/gincors"
)

// A typical setup: a browser app on one origin calling an API with
// cookies. Install the middleware on the engine, before the routes.
func ExampleNew() {
	router := gin.New()
	router.Use(gincors.New(gincors.Config{
		AllowOrigins:     []string{"https://app.example.com"},
		AllowMethods:     []string{"GET", "POST", "PUT", "DELETE"},
		AllowHeaders:     []string{"Content-Type"},
		AllowCredentials: true,
		MaxAge:           time.Hour,
	}))
	router.PUT("/items/:id", func(c *gin.Context) { c.Status(http.StatusOK) })

	req := httptest.NewRequest(http.MethodOptions, "/items/1", nil)
	req.Header.Set("Origin", "https://app.example.com")
	req.Header.Set("Access-Control-Request-Method", "PUT")
	req.Header.Set("Access-Control-Request-Headers", "content-type")
	rec := httptest.NewRecorder()
	router.ServeHTTP(rec, req)

	fmt.Println(rec.Code)
	for _, name := range []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age"} {
		fmt.Printf("%s: %s\n", name, rec.Header().Get(name))
	}
	// Output:
	// 204
	// Access-Control-Allow-Origin: https://app.example.com
	// Access-Control-Allow-Credentials: true
	// Access-Control-Allow-Methods: GET, POST, PUT, DELETE
	// Access-Control-Allow-Headers: Content-Type
	// Access-Control-Max-Age: 3600
}

// Default is a one-line start for a public API read by any website
// without credentials.
func ExampleDefault() {
	router := gin.New()
	router.Use(gincors.Default())
	router.GET("/status", func(c *gin.Context) { c.String(http.StatusOK, "up") })

	req := httptest.NewRequest(http.MethodGet, "/status", nil)
	req.Header.Set("Origin", "https://anyone.example")
	rec := httptest.NewRecorder()
	router.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("Access-Control-Allow-Origin"))
	// Output: 200 *
}

// Validate explains every problem in a configuration, with the fix.
func ExampleConfig_Validate() {
	err := gincors.Config{
		AllowOrigins:     []string{"*", "app.example.com"},
		AllowCredentials: true,
	}.Validate()
	fmt.Println(strings.ReplaceAll(err.Error(), "; ", ";\n  "))
	// Output:
	// gincors: AllowOrigins[0] "*": not allowed with AllowCredentials: browsers refuse "*" on credentialed requests, and reflecting every origin instead would let any website read your users' data. List the origins that need credentials: in development, AllowOrigins: []string{"http://localhost:*", "http://127.0.0.1:*"};
	//   in production, AllowOrigins: []string{"https://app.example.com"} (or "https://*.example.com" for your subdomains)
	// gincors: AllowOrigins[1] "app.example.com": missing scheme;
	//   write "https://app.example.com"
}

// The built-in matchers compose into an OriginMatcher of your own, here
// allowing preview deployments next to a fixed list.
func ExampleAnyOf() {
	exact, err := gincors.ExactOrigins("https://example.com", "https://www.example.com")
	if err != nil {
		panic(err)
	}
	previews, err := gincors.RegexpOrigins(`https://pr-\d+\.preview\.example\.com`)
	if err != nil {
		panic(err)
	}
	m := gincors.AnyOf(exact, previews)
	for _, origin := range []string{"https://www.example.com", "https://pr-17.preview.example.com", "https://pr-17.preview.example.com.evil.io"} {
		fmt.Println(origin, m.MatchOrigin(origin))
	}
	// Output:
	// https://www.example.com true
	// https://pr-17.preview.example.com true
	// https://pr-17.preview.example.com.evil.io false
}

// Wildcard patterns match whole labels, never a raw prefix or suffix.
func ExampleWildcardOrigins() {
	m, err := gincors.WildcardOrigins("https://*.example.com", "http://localhost:*")
	if err != nil {
		panic(err)
	}
	for _, origin := range []string{"https://a.b.example.com", "https://example.com", "https://evilexample.com", "http://localhost:5173"} {
		fmt.Println(origin, m.MatchOrigin(origin))
	}
	// Output:
	// https://a.b.example.com true
	// https://example.com false
	// https://evilexample.com false
	// http://localhost:5173 true
}

// AllowOriginWithContextFunc decides per request, here per tenant: each
// tenant's API has its own host, and only its own front end may read it.
func ExampleConfig_allowOriginWithContextFunc() {
	frontEnds := map[string]string{"acme.api.example.com": "https://acme.example.com"}
	router := gin.New()
	router.Use(gincors.New(gincors.Config{
		AllowOriginWithContextFunc: func(c *gin.Context, origin string) bool {
			return frontEnds[c.Request.Host] == origin
		},
		AllowMethods: []string{"PUT"},
	}))
	router.PUT("/data", func(c *gin.Context) { c.Status(http.StatusOK) })

	for _, origin := range []string{"https://acme.example.com", "https://other.example.com"} {
		req := httptest.NewRequest(http.MethodOptions, "http://acme.api.example.com/data", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "PUT")
		rec := httptest.NewRecorder()
		router.ServeHTTP(rec, req)
		fmt.Println(origin, rec.Code)
	}
	// Output:
	// https://acme.example.com 204
	// https://other.example.com 403
}

// NewMiddleware is New without the panic: the error lists every problem,
// each a *ConfigError naming the field.
func ExampleNewMiddleware() {
	_, err := gincors.NewMiddleware(gincors.Config{
		AllowOrigins: []string{"https://app.example.com", "localhost:3000"},
		AllowHeaders: []string{"Content Type"},
	})
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ce *gincors.ConfigError
		if errors.As(e, &ce) {
			fmt.Printf("%s %q\n", ce.Field, ce.Value)
		}
	}

	m, err := gincors.NewMiddleware(gincors.Config{AllowOrigins: []string{"https://app.example.com"}})
	if err != nil {
		panic(err)
	}
	router := gin.New()
	router.Use(m.Handler())
	router.GET("/items", func(c *gin.Context) { c.Status(http.StatusOK) })
	fmt.Println(get(router, "/items", "https://app.example.com").Header().Get("Access-Control-Allow-Origin"))
	// Output:
	// AllowOrigins[1] "localhost:3000"
	// AllowHeaders[0] "Content Type"
	// https://app.example.com
}

// Reconfigure swaps the policy while the server runs; an invalid
// configuration is refused and the current policy stays.
func ExampleMiddleware_Reconfigure() {
	m, err := gincors.NewMiddleware(gincors.Config{AllowOrigins: []string{"https://old.example.com"}})
	if err != nil {
		panic(err)
	}
	router := gin.New()
	router.Use(m.Handler())
	router.GET("/items", func(c *gin.Context) { c.Status(http.StatusOK) })

	err = m.Reconfigure(gincors.Config{AllowOrigins: []string{"new.example.com"}})
	fmt.Println(err != nil, m.Config().AllowOrigins)

	err = m.Reconfigure(gincors.Config{AllowOrigins: []string{"https://new.example.com"}})
	fmt.Println(err, m.Config().AllowOrigins)
	for _, origin := range []string{"https://old.example.com", "https://new.example.com"} {
		fmt.Printf("%s: %q\n", origin, get(router, "/items", origin).Header().Get("Access-Control-Allow-Origin"))
	}
	// Output:
	// true [https://old.example.com]
	// <nil> [https://new.example.com]
	// https://old.example.com: ""
	// https://new.example.com: "https://new.example.com"
}

// ByPath gives a public API and a credentialed /admin their own policies
// on one engine; exactly one applies to each request, so the public "*"
// never reaches /admin.
func ExampleByPath() {
	router := gin.New()
	router.Use(gincors.ByPath(map[string]gincors.Config{
		"/": {AllowOrigins: []string{"*"}},
		"/admin": {
			AllowOrigins:     []string{"https://admin.example.com"},
			AllowMethods:     []string{"DELETE"},
			AllowCredentials: true,
		},
	}))
	router.GET("/api/articles", func(c *gin.Context) { c.Status(http.StatusOK) })
	router.GET("/admin/users", func(c *gin.Context) { c.Status(http.StatusOK) })

	fmt.Printf("%q\n", get(router, "/api/articles", "https://blog.example.org").Header().Get("Access-Control-Allow-Origin"))
	fmt.Printf("%q\n", get(router, "/admin/users", "https://blog.example.org").Header().Get("Access-Control-Allow-Origin"))
	fmt.Printf("%q\n", get(router, "/admin/users", "https://admin.example.com").Header().Get("Access-Control-Allow-Origin"))
	// Output:
	// "*"
	// ""
	// "https://admin.example.com"
}

// OnRejected is called once per rejection, with the reason and the fix.
func ExampleConfig_onRejected() {
	router := gin.New()
	router.Use(gincors.New(gincors.Config{
		AllowOrigins: []string{"https://app.example.com"},
		AllowHeaders: []string{"*"},
		OnRejected: func(c *gin.Context, r gincors.Rejection) {
			fmt.Println(r.Reason, r.Header)
			fmt.Println(r)
		},
	}))
	router.GET("/items", func(c *gin.Context) { c.Status(http.StatusOK) })

	req := httptest.NewRequest(http.MethodOptions, "/items", nil)
	req.Header.Set("Origin", "https://app.example.com")
	req.Header.Set("Access-Control-Request-Method", "GET")
	req.Header.Set("Access-Control-Request-Headers", "authorization")
	router.ServeHTTP(httptest.NewRecorder(), req)
	// Output:
	// header authorization
	// gincors: preflight from "https://app.example.com" refused (header): request header "authorization" is not allowed: the Fetch standard never lets "*" in AllowHeaders cover Authorization; add "Authorization" to AllowHeaders
}

// With Debug, a preflight from an allowed origin refused for a header gets
// an ok answer that leaves that header out, so the browser's console names
// it instead of reporting a failed preflight.
func ExampleConfig_debug() {
	router := gin.New()
	router.Use(gincors.New(gincors.Config{
		AllowOrigins: []string{"https://app.example.com"},
		AllowMethods: []string{"POST"},
		AllowHeaders: []string{"Content-Type"},
		Debug:        true,
		Logger:       slog.New(slog.DiscardHandler),
	}))
	router.POST("/orders", func(c *gin.Context) { c.Status(http.StatusCreated) })

	req := httptest.NewRequest(http.MethodOptions, "/orders", nil)
	req.Header.Set("Origin", "https://app.example.com")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type,x-csrf-token")
	rec := httptest.NewRecorder()
	router.ServeHTTP(rec, req)
	fmt.Println(rec.Code)
	fmt.Printf("%q\n", rec.Header().Get("Access-Control-Allow-Headers"))
	// Output:
	// 204
	// "content-type"
}

// OriginAllowed applies the CORS policy's origin decision elsewhere, here
// to a WebSocket-style upgrade, which browsers do not subject to CORS.
func ExampleMiddleware_OriginAllowed() {
	m, err := gincors.NewMiddleware(gincors.Config{AllowOrigins: []string{"https://app.example.com"}})
	if err != nil {
		panic(err)
	}
	router := gin.New()
	router.GET("/ws", func(c *gin.Context) {
		if !m.OriginAllowed(c) {
			c.AbortWithStatus(http.StatusForbidden)
			return
		}
		c.Status(http.StatusOK) // upgrade here
	})
	for _, origin := range []string{"https://app.example.com", "https://evil.example.org", ""} {
		fmt.Printf("%q %d\n", origin, get(router, "/ws", origin).Code)
	}
	// Output:
	// "https://app.example.com" 200
	// "https://evil.example.org" 403
	// "" 403
}

// ConfigError values can be found with errors.As, to report a bad entry
// next to the input it came from.
func ExampleConfigError() {
	err := gincors.Config{
		AllowOrigins: []string{"https://app.example.com", "app.example.com"},
	}.Validate()
	var ce *gincors.ConfigError
	if errors.As(err, &ce) {
		fmt.Println(ce.Field, ce.Value)
	}
	// Output:
	// AllowOrigins[1] app.example.com
}

// Warnings returns the harmless mistakes New accepts and logs: here a
// header list joined into one entry, which is split, and a forbidden
// header, which is dropped.
func ExampleConfig_Warnings() {
	cfg := gincors.Config{
		AllowOrigins: []string{"https://app.example.com"},
		AllowHeaders: []string{"Content-Type, Authorization", "Cookie"},
	}
	fmt.Println(cfg.Validate())
	for _, w := range cfg.Warnings() {
		fmt.Println(w.Field, w.Value)
	}
	// Output:
	// <nil>
	// AllowHeaders[0] Content-Type, Authorization
	// AllowHeaders[1] Cookie
}

// ExactOrigins normalises spelling to what browsers send.
func ExampleExactOrigins() {
	m, err := gincors.ExactOrigins("HTTPS://Example.COM:443", "http://localhost:8080")
	if err != nil {
		panic(err)
	}
	fmt.Println(m.MatchOrigin("https://example.com"), m.MatchOrigin("http://localhost:8081"))
	// Output: true false
}

// RegexpOrigins anchors each expression: it must match the whole origin.
func ExampleRegexpOrigins() {
	m, err := gincors.RegexpOrigins(`https://pr-[0-9]+\.preview\.example\.com`)
	if err != nil {
		panic(err)
	}
	for _, origin := range []string{"https://pr-7.preview.example.com", "https://pr-7.preview.example.com.evil.io"} {
		fmt.Println(origin, m.MatchOrigin(origin))
	}
	// Output:
	// https://pr-7.preview.example.com true
	// https://pr-7.preview.example.com.evil.io false
}

// DefaultConfig holds everything but the origins.
func ExampleDefaultConfig() {
	cfg := gincors.DefaultConfig()
	fmt.Println(cfg.AllowMethods)
	fmt.Println(cfg.AllowHeaders)
	fmt.Println(cfg.MaxAge, cfg.AllowCredentials, cfg.Debug)
	cfg.AllowOrigins = []string{"https://app.example.com"}
	fmt.Println(cfg.Validate())
	// Output:
	// [GET HEAD POST PUT PATCH DELETE]
	// [Authorization Content-Type X-Requested-With]
	// 1h0m0s false false
	// <nil>
}

// get sends a GET with origin (none if "") to router.
func get(router *gin.Engine, path, origin string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	rec := httptest.NewRecorder()
	router.ServeHTTP(rec, req)
	return rec
}
