package stacked

import (
	contrib "github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"
	"github.com/gincors/gincors"
	rscors "github.com/rs/cors/wrapper/gin"
)

func twice() {
	r := gin.New()
	r.Use(gincors.Default())
	r.Use(gincors.New(gincors.Config{AllowOrigins: []string{"https://app.example.com"}})) // want `^stacked-cors: gincors.New\(...\) is a second CORS middleware on this router \(gincors.Default\(...\), line 12\): a preflight the first one answers never reaches the second`
}

// The gin-contrib/cors middleware left in after a migration.
func leftover() {
	r := gin.New()
	r.Use(gincors.Default())
	r.Use(contrib.Default()) // want `^stacked-cors: gin-contrib/cors Default\(...\) is a second CORS middleware`
}

func rsFirst() {
	r := gin.New()
	r.Use(rscors.Default())
	r.Use(gincors.Default()) // want `^stacked-cors: gincors.Default\(...\) is a second CORS middleware on this router \(rs/cors Default\(...\)`
}

// A hand-written CORS middleware next to gincors.
func handwritten() {
	r := gin.New()
	r.Use(gincors.Default())
	r.Use(func(c *gin.Context) { // want `^stacked-cors: the function literal is a second CORS middleware`
		c.Header("Access-Control-Allow-Origin", "*")
		c.Next()
	})
}

// Right: two engines, one CORS middleware each.
func twoEngines() {
	public := gin.New()
	public.Use(gincors.Default())
	admin := gin.New()
	admin.Use(gincors.New(gincors.Config{AllowOrigins: []string{"https://admin.example.com"}}))
}

// The hand-written CORS middleware copied from many tutorials, left in.
func corsMiddleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Writer.Header().Set("Access-Control-Allow-Origin", "*")
		if c.Request.Method == "OPTIONS" {
			c.AbortWithStatus(204)
			return
		}
		c.Next()
	}
}

func tutorial() {
	r := gin.Default()
	r.Use(corsMiddleware())
	r.Use(gincors.Default()) // want `^stacked-cors: gincors.Default\(...\) is a second CORS middleware on this router \(corsMiddleware\(...\), line \d+\)`
}

// One CORS middleware or the other, never both.
func branches(dev bool, env string) {
	r := gin.New()
	if dev {
		r.Use(gincors.Default())
	} else {
		r.Use(gincors.New(gincors.Config{AllowOrigins: []string{"https://app.example.com"}}))
	}
	s := gin.New()
	switch env {
	case "dev":
		s.Use(gincors.Default())
	case "legacy":
		s.Use(contrib.Default())
	default:
		s.Use(gincors.New(gincors.Config{AllowOrigins: []string{"https://app.example.com"}}))
	}
	// After the branches, a second one is stacked on either.
	s.Use(rscors.Default()) // want `^stacked-cors: rs/cors Default\(...\) is a second CORS middleware`
}
