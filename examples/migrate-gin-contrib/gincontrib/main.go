// Command gincontrib is gin-contrib/cors's README example, the starting
// point of the migration in the parent folder. It is a module of its own
// so that gincors never depends on gin-contrib/cors.
package main

import (
	"cmp"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"
)

func newRouter() *gin.Engine {
	router := gin.New()
	router.Use(gin.Recovery())
	router.Use(cors.New(cors.Config{
		AllowOrigins:     []string{"https://foo.com"},
		AllowMethods:     []string{"PUT", "PATCH"},
		AllowHeaders:     []string{"Origin"},
		ExposeHeaders:    []string{"Content-Length"},
		AllowCredentials: true,
		AllowOriginFunc: func(origin string) bool {
			return origin == "https://github.com"
		},
		MaxAge: 12 * time.Hour,
	}))
	router.PATCH("/items/:id", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"patched": c.Param("id")}) })
	router.GET("/items", func(c *gin.Context) { c.JSON(http.StatusOK, []string{"a"}) })
	return router
}

func main() {
	addr := "127.0.0.1:" + cmp.Or(os.Getenv("PORT"), "8080")
	log.Printf("gin-contrib/cors version on http://%s", addr)
	log.Fatal(newRouter().Run(addr))
}
