// Command dynamic keeps its allowed origins in a store that changes while
// the server runs, and applies each change with Reconfigure: requests in
// flight see the old policy or the new one, never a mix, and an invalid
// change is refused with its ConfigErrors while the old policy stays.
//
//	ADMIN_TOKEN=secret go run ./examples/dynamic
//	curl -i -X PUT localhost:8080/admin/origins -H 'Authorization: Bearer secret' \
//	     -d '["https://app.example.com", "https://*.example.org"]'
//
// ORIGINS_FILE names a JSON file (an array of origins) to start from.
package main

import (
	"cmp"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gincors/gincors"
)

// policyFor is the CORS policy for a list of allowed origins.
func policyFor(origins []string) gincors.Config {
	cfg := gincors.DefaultConfig()
	cfg.AllowOrigins = origins
	cfg.MaxAge = time.Minute // a removed origin loses access within a minute
	return cfg
}

// newRouter builds the API with the initial origins and the admin endpoint
// that replaces them, protected by adminToken.
func newRouter(initial []string, adminToken string) (*gin.Engine, error) {
	cors, err := gincors.NewMiddleware(policyFor(initial))
	if err != nil {
		return nil, err
	}
	router := gin.New()
	router.Use(gin.Recovery(), cors.Handler())

	router.GET("/api/news", func(c *gin.Context) { c.JSON(http.StatusOK, []string{"cors is live"}) })

	admin := router.Group("/admin", requireToken(adminToken))
	admin.GET("/origins", func(c *gin.Context) {
		c.JSON(http.StatusOK, cors.Config().AllowOrigins)
	})
	admin.PUT("/origins", func(c *gin.Context) {
		var origins []string
		if err := c.ShouldBindJSON(&origins); err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": "send a JSON array of origins"})
			return
		}
		if err := cors.Reconfigure(policyFor(origins)); err != nil {
			// Each problem is a *gincors.ConfigError naming the entry.
			var problems []gin.H
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				var ce *gincors.ConfigError
				if errors.As(e, &ce) {
					problems = append(problems, gin.H{"field": ce.Field, "value": ce.Value, "message": ce.Message})
				}
			}
			c.JSON(http.StatusUnprocessableEntity, gin.H{"problems": problems, "kept": cors.Config().AllowOrigins})
			return
		}
		c.JSON(http.StatusOK, cors.Config().AllowOrigins)
	})
	return router, nil
}

// requireToken refuses requests without "Authorization: Bearer token". It
// runs after gincors, so preflights (which carry no credentials) are
// answered before it.
func requireToken(token string) gin.HandlerFunc {
	want := []byte("Bearer " + token)
	return func(c *gin.Context) {
		if token == "" || subtle.ConstantTimeCompare([]byte(c.GetHeader("Authorization")), want) != 1 {
			c.AbortWithStatusJSON(http.StatusUnauthorized, gin.H{"error": "bad admin token"})
		}
	}
}

func main() {
	initial := []string{"http://localhost:5173"}
	if path := os.Getenv("ORIGINS_FILE"); path != "" {
		data, err := os.ReadFile(path)
		if err == nil {
			err = json.Unmarshal(data, &initial)
		}
		if err != nil {
			log.Fatalf("ORIGINS_FILE: %v", err)
		}
	}
	router, err := newRouter(initial, os.Getenv("ADMIN_TOKEN"))
	if err != nil {
		log.Fatal(err) // every problem in the file, one per line
	}
	addr := "127.0.0.1:" + cmp.Or(os.Getenv("PORT"), "8080")
	log.Printf("API on http://%s; PUT /admin/origins with the ADMIN_TOKEN to change the origins", addr)
	log.Fatal(router.Run(addr))
}
