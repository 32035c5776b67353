// Command spa shows the CORS setup of a single-page app in development and
// production, chosen by APP_ENV:
//
//   - development (the default): the Vite or Next dev server on
//     http://localhost with any port;
//   - production: the production origin, plus preview deploys
//     (https://pr-123.preview.example.com) matched by a regexp.
//
// Run it with
//
//	go run ./examples/spa                      # development
//	APP_ENV=production go run ./examples/spa   # production
package main

import (
	"cmp"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gincors/gincors"
)

// corsConfig returns the policy for the environment env.
func corsConfig(env string) (gincors.Config, error) {
	cfg := gincors.DefaultConfig() // methods, JSON and bearer-token headers, 1h cache
	switch env {
	case "development":
		// Dev servers pick a free port (Vite 5173, Next 3000, …). Loopback
		// over plain http is fine, even with credentials.
		cfg.AllowOrigins = []string{"http://localhost:*", "http://127.0.0.1:*"}
		cfg.MaxAge = 0 // see configuration changes at once
	case "production":
		cfg.AllowOrigins = []string{"https://app.example.com"}
		// Anchored and escaped: pr-42.preview.example.com, never
		// pr-42.preview.example.com.evil.io.
		cfg.AllowOriginRegexps = []string{`https://pr-[0-9]+\.preview\.example\.com`}
		cfg.MaxAge = 10 * time.Minute
	default:
		return gincors.Config{}, fmt.Errorf("APP_ENV %q: want development or production", env)
	}
	cfg.ExposeHeaders = []string{"X-Request-Id"}
	return cfg, nil
}

// newRouter builds the API for the environment env.
func newRouter(env string) (*gin.Engine, error) {
	cfg, err := corsConfig(env)
	if err != nil {
		return nil, err
	}
	cors, err := gincors.NewMiddleware(cfg)
	if err != nil {
		return nil, err
	}
	router := gin.New()
	router.Use(gin.Recovery(), cors.Handler())
	router.GET("/api/todos", func(c *gin.Context) {
		c.Header("X-Request-Id", "7")
		c.JSON(http.StatusOK, []gin.H{{"id": 1, "title": "write the docs"}})
	})
	router.PATCH("/api/todos/:id", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"id": c.Param("id"), "done": true})
	})
	return router, nil
}

func main() {
	env := cmp.Or(os.Getenv("APP_ENV"), "development")
	router, err := newRouter(env)
	if err != nil {
		log.Fatal(err)
	}
	addr := "127.0.0.1:" + cmp.Or(os.Getenv("PORT"), "8080")
	fmt.Printf("%s API on http://%s\n", env, addr)
	log.Fatal(router.Run(addr))
}
