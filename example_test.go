package gincors_test

import (
	"fmt"
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
		AllowOrigins:     []string{"*", "https://app.example.com/"},
		AllowCredentials: true,
	}.Validate()
	fmt.Println(strings.ReplaceAll(err.Error(), "; ", ";\n  "))
	// Output:
	// gincors: AllowOrigins[0] "*": not allowed with AllowCredentials: browsers refuse "*" on credentialed requests, and reflecting every origin instead would let any website read your users' data;
	//   list the origins that need credentials
	// gincors: AllowOrigins[1] "https://app.example.com/": an origin has no trailing slash;
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
