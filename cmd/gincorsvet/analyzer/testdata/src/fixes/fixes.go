package fixes

import (
	contrib "github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"
	"github.com/gincors/gincors"
)

func handler(c *gin.Context) {}

func afterRoutes() {
	r := gin.New()
	r.GET("/items", handler)
	// CORS for the whole API.
	r.Use(gincors.Default()) // want `^use-after-routes:`
}

func beforeCORS() {
	r := gin.New()
	r.Use(gin.BasicAuth(gin.Accounts{"a": "b"})) // want `^before-cors:`
	r.Use(gin.Logger())
	r.Use(gincors.Default())
	r.GET("/items", handler)
}

func sameCall() {
	r := gin.New()
	r.Use(gin.BasicAuth(gin.Accounts{"a": "b"}), gincors.Default()) // want `^before-cors:`
}

func leftover() {
	r := gin.New()
	r.Use(gincors.Default())
	r.Use(contrib.Default()) // want `^stacked-cors:`
	r.GET("/items", handler)
}

func groupUse() {
	r := gin.New()
	r.Use(gin.Logger())
	api := r.Group("/api")
	api.Use(gincors.New(gincors.Config{AllowOrigins: []string{"https://app.example.com"}})) // want `^group-use:`
	api.GET("/items", handler)
}

// A middleware declared after the first route cannot move before it.
func notMovable() {
	r := gin.New()
	r.GET("/items", handler)
	cors := gincors.Default()
	r.Use(cors) // want `^use-after-routes:`
}

func leftoverFirst() {
	r := gin.New()
	r.Use(contrib.New(contrib.Config{AllowOrigins: []string{"https://app.example.com"}}))
	r.Use(gincors.Default()) // want `^stacked-cors:`
	r.GET("/items", handler)
}
