// Command migrate-gin-contrib is gin-contrib/cors's README example moved to
// gincors. The gin-contrib original is in ./gincontrib, a nested module
// so that gincors itself never depends on gin-contrib/cors; its test pins
// how the two differ. Run either with
//
//	go run ./examples/migrate-gin-contrib
//	cd examples/migrate-gin-contrib/gincontrib && go run .
//
// What changed, line by line, is in docs/migrate-from-gin-contrib-cors.md.
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
	router.Use(gincors.New(gincors.Config{
		// gin-contrib: AllowOrigins plus an AllowOriginFunc that returned
		// origin == "https://github.com". A fixed origin belongs in the list.
		AllowOrigins: []string{"https://foo.com", "https://github.com"},
		AllowMethods: []string{"PUT", "PATCH"},
		// gin-contrib: AllowHeaders: []string{"Origin"}. Origin is a
		// forbidden request header, which browsers set themselves and never
		// ask for; gincors drops it with a warning. List what your pages
		// really send.
		AllowHeaders: []string{"Content-Type"},
		// gin-contrib: ExposeHeaders: []string{"Content-Length"}, which is
		// CORS-safelisted: scripts can always read it. Nothing to expose.
		AllowCredentials: true,
		MaxAge:           12 * time.Hour, // a time.Duration in both; browsers cap it at 2h to 24h
	}))
	router.PATCH("/items/:id", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"patched": c.Param("id")}) })
	router.GET("/items", func(c *gin.Context) { c.JSON(http.StatusOK, []string{"a"}) })
	return router
}

func main() {
	addr := "127.0.0.1:" + cmp.Or(os.Getenv("PORT"), "8080")
	log.Printf("gincors version on http://%s", addr)
	log.Fatal(newRouter().Run(addr))
}
