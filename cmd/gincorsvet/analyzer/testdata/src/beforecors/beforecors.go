package beforecors

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/gincors/gincors"
)

func handler(c *gin.Context) {}

func basicAuth() {
	r := gin.New()
	r.Use(gin.BasicAuth(gin.Accounts{"ada": "secret"})) // want `^before-cors: gin.BasicAuth runs before the CORS middleware gincors.Default\(...\) \(line 15\) and can answer 401: preflights carry no credentials`
	r.Use(gincors.Default())
}

func sameCall() {
	r := gin.New()
	r.Use(gin.BasicAuthForRealm(gin.Accounts{"a": "b"}, "x"), gincors.Default()) // want `^before-cors: gin.BasicAuthForRealm runs before`
}

func requireToken(token string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.GetHeader("Authorization") != "Bearer "+token {
			c.AbortWithStatusJSON(http.StatusUnauthorized, gin.H{"error": "bad token"})
		}
	}
}

func constructor() {
	r := gin.New()
	r.Use(requireToken("t")) // want `^before-cors: requireToken\(...\) runs before the CORS middleware .* can answer 401`
	r.Use(gincors.Default())
}

func rateLimit(c *gin.Context) {
	c.JSON(http.StatusTooManyRequests, gin.H{})
	c.Abort()
}

func namedHandler() {
	r := gin.New()
	r.Use(rateLimit) // want `^before-cors: rateLimit runs before .* can answer 429`
	r.Use(gincors.Default())
}

func literal() {
	r := gin.New()
	r.Use(func(c *gin.Context) { // want `^before-cors: the function literal runs before .* can answer 403`
		if c.GetHeader("X-Key") == "" {
			c.AbortWithStatus(403)
		}
	})
	r.Use(gincors.Default())
}

// A refuser that lets preflights through is not reported.
func letsOptionsThrough() {
	r := gin.New()
	r.Use(func(c *gin.Context) {
		if c.Request.Method == http.MethodOptions {
			c.Next()
			return
		}
		c.AbortWithStatus(401)
	})
	r.Use(gincors.Default())
}

// Right: CORS first, authentication after.
func corsFirst() {
	r := gin.New()
	r.Use(gincors.Default())
	r.Use(gin.BasicAuth(gin.Accounts{"ada": "secret"}))
	r.GET("/x", handler)
}

// Authentication on a group, CORS on the engine: right.
func groupAuth() {
	r := gin.New()
	r.Use(gincors.Default())
	admin := r.Group("/admin", requireToken("t"))
	admin.GET("/x", handler)
}

// A middleware that answers 500 is not a refuser.
func recovery() {
	r := gin.New()
	r.Use(func(c *gin.Context) { c.AbortWithStatus(500) })
	r.Use(gincors.Default())
}

// A check on some methods only (here CSRF on POST) spares preflights.
func methodSpecific() {
	r := gin.New()
	r.Use(func(c *gin.Context) {
		if c.Request.Method == http.MethodPost && c.GetHeader("X-CSRF-Token") == "" {
			c.AbortWithStatus(http.StatusForbidden)
		}
	})
	r.Use(gincors.Default())
}

// Authentication on one branch, CORS on the other.
func branches(mode string) {
	r := gin.New()
	switch mode {
	case "private":
		r.Use(gin.BasicAuth(gin.Accounts{"ada": "secret"}))
	case "public":
		r.Use(gincors.Default())
	}
}
