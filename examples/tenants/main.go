// Command tenants serves one API for several tenants, each on its own host
// (acme.api.example.com, globex.api.example.com), and lets each tenant's
// front ends read only that tenant's API. The decision depends on the
// request's Host, so it is an AllowOriginWithContextFunc, and it declares
// "Vary: Host" so that a shared cache never serves one tenant's answer to
// another. Run it with
//
//	go run ./examples/tenants
//
// and try curl -i localhost:8080/api/profile -H 'Host: acme.api.example.com' -H 'Origin: https://app.acme.com'.
package main

import (
	"cmp"
	"log"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/gincors/gincors"
)

// tenantOrigins maps a tenant's API host to its front-end origins. In a
// real app it is a database table; it may change while the server runs.
type tenantOrigins struct {
	mu      sync.RWMutex
	origins map[string][]string
}

func (t *tenantOrigins) allowed(host, origin string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	return slices.Contains(t.origins[strings.ToLower(host)], origin)
}

func newRouter(tenants *tenantOrigins) *gin.Engine {
	router := gin.New()
	router.Use(gin.Recovery())
	router.Use(gincors.New(gincors.Config{
		AllowOriginWithContextFunc: func(c *gin.Context, origin string) bool {
			// The answer depends on Host as well as Origin: say so.
			// gincors adds its own "Origin" next to it.
			c.Writer.Header().Add("Vary", "Host")
			// Decide from c.Request: a preflight for a route without an
			// OPTIONS handler has no route params.
			return tenants.allowed(c.Request.Host, origin)
		},
		AllowMethods:     []string{"GET", "PUT"},
		AllowHeaders:     []string{"Content-Type"},
		AllowCredentials: true,
	}))
	router.GET("/api/profile", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"tenant": strings.Split(c.Request.Host, ".")[0]})
	})
	router.PUT("/api/profile", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	return router
}

func main() {
	tenants := &tenantOrigins{origins: map[string][]string{
		"acme.api.example.com":   {"https://app.acme.com", "http://localhost:5173"},
		"globex.api.example.com": {"https://globex.example.net"},
	}}
	addr := "127.0.0.1:" + cmp.Or(os.Getenv("PORT"), "8080")
	log.Printf("tenants API on http://%s (send a Host header)", addr)
	log.Fatal(newRouter(tenants).Run(addr))
}
