package groupparam

import (
	"github.com/gin-gonic/gin"
	"github.com/gincors/gincors"
)

func handler(c *gin.Context) {}

// A group handed to a helper: no OPTIONS route anywhere in the package,
// so the group cannot have one.
func apiRoutes(g *gin.RouterGroup) {
	g.Use(gincors.Default()) // want `^group-use: gincors.Default\(...\) on a router group never sees preflights`
	g.GET("/items", handler)
}

func main() {
	r := gin.New()
	apiRoutes(r.Group("/api"))
}
