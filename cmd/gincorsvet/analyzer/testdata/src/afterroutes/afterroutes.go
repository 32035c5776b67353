package afterroutes

import (
	"github.com/gin-gonic/gin"
	"github.com/gincors/gincors"
)

func handler(c *gin.Context) {}

func afterRoute() {
	r := gin.New()
	r.GET("/items", handler)
	r.Use(gincors.Default()) // want `^use-after-routes: gincors.Default\(...\) is installed after the GET route at line 12: routes and groups made before Use keep the handlers they had, so their responses get no CORS headers`
}

func afterGroup() {
	r := gin.New()
	api := r.Group("/api")
	r.Use(gincors.Default()) // want `^use-after-routes: gincors.Default\(...\) is installed after the group made at line 18`
	api.GET("/items", handler)
}

// A middleware stored in a variable.
func middlewareVariable() {
	cfg := gincors.Config{AllowOrigins: []string{"https://app.example.com"}}
	cors := gincors.New(cfg)
	r := gin.Default()
	r.POST("/items", handler)
	r.Use(cors) // want `^use-after-routes: gincors.New\(...\) is installed after the POST route`
}

// A router built by a helper and returned.
func newRouter() *gin.Engine {
	r := gin.New()
	r.GET("/", handler)
	return r
}

func helperResult() {
	r := newRouter()
	r.Use(gincors.Default()) // want `^use-after-routes: gincors.Default\(...\) is installed after routes made by newRouter\(\) at line 40`
}

// Routes added by a helper given the router.
func addRoutes(r *gin.Engine) {
	r.GET("/a", handler)
}

func helperParameter() {
	r := gin.New()
	addRoutes(r)
	r.Use(gincors.Default()) // want `^use-after-routes: .* after routes made by addRoutes\(\)`
}

// A group that routes OPTIONS itself, with CORS added after its routes.
func groupAfterRoutes(r *gin.Engine) {
	g := r.Group("/g")
	g.OPTIONS("/*p", handler)
	g.Use(gincors.Default()) // want `^use-after-routes: gincors.Default\(...\) is installed after the OPTIONS route`
}

// Right: Use first.
func useFirst() {
	r := gin.New()
	r.Use(gincors.Default())
	r.GET("/items", handler)
	api := r.Group("/api")
	api.GET("/x", handler)
}

// Right: the helper installs CORS, then routes follow.
func installCORS(r *gin.Engine) { r.Use(gincors.Default()) }

func helperInstalls() {
	r := gin.New()
	installCORS(r)
	r.GET("/items", handler)
}

// A new engine starts clean.
func reassigned() {
	r := gin.New()
	r.GET("/items", handler)
	r = gin.New()
	r.Use(gincors.Default())
}

// A router of unknown origin is not judged.
func unknown(r *gin.Engine) {
	r.Use(gincors.Default())
}

// Routes on one branch, CORS on the other.
func branches(public bool) {
	r := gin.New()
	if public {
		r.GET("/items", handler)
	} else {
		r.Use(gincors.Default())
	}
}
