package groupuse

import (
	contrib "github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"
	"github.com/gincors/gincors"
	rscors "github.com/rs/cors/wrapper/gin"
)

func handler(c *gin.Context) {}

// The common shape: CORS on the group whose routes need it.
func groupUse() *gin.Engine {
	r := gin.New()
	api := r.Group("/api")
	api.Use(gincors.New(gincors.Config{AllowOrigins: []string{"https://app.example.com"}})) // want `^group-use: gincors.New\(...\) on the "/api" group never sees preflights for the group's routes: Gin answers them with 404`
	api.GET("/items", handler)
	return r
}

// Middleware given to Group itself, and a middleware in a variable.
func groupArgument(r *gin.Engine) {
	cors := gincors.Default()
	admin := r.Group("/admin", cors) // want `^group-use: gincors.Default\(...\) on the "/admin" group`
	admin.GET("/users", handler)
}

// gin-contrib/cors and rs/cors have the same problem (gin-contrib/cors
// #35, rs/cors #102).
func peers(r *gin.Engine) {
	v1 := r.Group("/v1")
	v1.Use(contrib.Default()) // want `^group-use: gin-contrib/cors Default\(...\) on the "/v1" group`
	v2 := r.Group("/v2")
	v2.Use(rscors.AllowAll()) // want `^group-use: rs/cors AllowAll\(...\) on the "/v2" group`
	v1.GET("/x", handler)
	v2.GET("/x", handler)
}

// A middleware made by NewMiddleware.
func handlerMethod(r *gin.Engine) error {
	m, err := gincors.NewMiddleware(gincors.Config{AllowOrigins: []string{"https://app.example.com"}})
	if err != nil {
		return err
	}
	g := r.Group("/g")
	g.Use(m.Handler()) // want `^group-use: gincors \(\*Middleware\).Handler\(\) on the "/g" group`
	return nil
}

// A group that routes OPTIONS itself lets preflights reach its
// middleware: not reported.
func groupWithOptions(r *gin.Engine) {
	api := r.Group("/api")
	api.Use(gincors.Default())
	api.OPTIONS("/*path", handler)
	api.GET("/items", handler)
}

// On the engine: right.
func engineUse() {
	r := gin.New()
	r.Use(gincors.Default())
	api := r.Group("/api")
	api.GET("/items", handler)
}

// A group reached through an interface is not followed.
func throughInterface(r *gin.Engine) {
	var g gin.IRoutes = r.Group("/api")
	g.Use(gincors.Default())
}

// A group made elsewhere, in a package that routes OPTIONS somewhere: it
// may be this group, so nothing is said.
func madeElsewhere(g *gin.RouterGroup) {
	g.Use(gincors.Default())
	g.GET("/items", handler)
}

// Chained on the Group call.
func chained(r *gin.Engine) {
	r.Group("/v3").Use(contrib.Default()) // want `^group-use: gin-contrib/cors Default\(...\) on the "/v3" group`
}
