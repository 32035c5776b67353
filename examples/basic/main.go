// Command basic is a small public JSON API protected by gincors. Run it with
//
//	go run ./examples/basic
//
// and follow the curl commands it prints to see a preflight allowed, a
// preflight refused and an actual request from an allowed origin. PORT
// chooses the port (default 8080).
package main

import (
	"cmp"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gincors/gincors"
)

// newRouter builds the API. Tests call it; main serves it.
func newRouter() *gin.Engine {
	router := gin.New()
	router.Use(gin.Recovery())
	// Install CORS on the engine, before the routes, so that it also sees
	// preflights for routes that have no OPTIONS handler.
	router.Use(gincors.New(gincors.Config{
		AllowOrigins:  []string{"http://localhost:5173", "https://*.example.com"},
		AllowMethods:  []string{"GET", "POST", "PUT", "DELETE"},
		AllowHeaders:  []string{"Content-Type", "Authorization"},
		ExposeHeaders: []string{"X-Request-Id"},
		MaxAge:        time.Hour,
	}))

	router.GET("/api/items", func(c *gin.Context) {
		c.Header("X-Request-Id", "42")
		c.JSON(http.StatusOK, gin.H{"items": []string{"apple", "pear"}})
	})
	router.PUT("/api/items/:id", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"updated": c.Param("id")})
	})
	return router
}

func main() {
	addr := "127.0.0.1:" + cmp.Or(os.Getenv("PORT"), "8080")
	base := "http://" + addr
	fmt.Printf(`gincors example listening on %s

A preflight from an allowed origin (204 with Access-Control-Allow-* headers):
  curl -i -X OPTIONS %s/api/items/1 -H 'Origin: http://localhost:5173' -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type'

A preflight from an origin that is not allowed (403, no CORS headers):
  curl -i -X OPTIONS %s/api/items/1 -H 'Origin: https://evil.example.org' -H 'Access-Control-Request-Method: PUT'

An actual request from an allowed subdomain (200 with Access-Control-Allow-Origin):
  curl -i %s/api/items -H 'Origin: https://app.example.com'

`, base, base, base, base)
	log.Fatal(newRouter().Run(addr))
}
