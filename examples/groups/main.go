// Command groups serves a public API and a credentialed admin API from one
// engine, with a CORS policy each, using gincors.ByPath. Run it with
//
//	go run ./examples/groups
//
// Why not group.Use: a group's middleware never sees preflights for its
// routes (Gin answers them with 404 first), and stacking engine.Use(public)
// with admin.Use(strict) lets the public "*" reach /admin. ByPath, on the
// engine, picks exactly one policy per request by the longest path prefix.
package main

import (
	"cmp"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gincors/gincors"
)

func newRouter() *gin.Engine {
	router := gin.New()
	router.Use(gin.Recovery())
	router.Use(gincors.ByPath(map[string]gincors.Config{
		// Everything not under a longer prefix: public, read by any site.
		"/": {
			AllowOrigins: []string{"*"},
			AllowMethods: []string{"GET"},
			MaxAge:       time.Hour,
		},
		// /admin and everything below it, never /administrator.
		"/admin": {
			AllowOrigins:     []string{"https://admin.example.com"},
			AllowMethods:     []string{"GET", "POST", "DELETE"},
			AllowHeaders:     []string{"Content-Type", "X-CSRF-Token"},
			AllowCredentials: true,
			MaxAge:           10 * time.Minute,
		},
	}))

	router.GET("/api/articles", func(c *gin.Context) {
		c.JSON(http.StatusOK, []string{"hello"})
	})
	admin := router.Group("/admin") // no CORS middleware here: ByPath covers it
	admin.GET("/users", func(c *gin.Context) { c.JSON(http.StatusOK, []string{"ada"}) })
	admin.DELETE("/users/:id", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"deleted": c.Param("id")}) })
	return router
}

func main() {
	addr := "127.0.0.1:" + cmp.Or(os.Getenv("PORT"), "8080")
	log.Printf("public API on http://%s/api, admin API on http://%s/admin", addr, addr)
	log.Fatal(newRouter().Run(addr))
}
