// Command config reads its CORS policy from a JSON file and adds the
// origins listed in an environment variable, as deployments often do. Run
// it with
//
//	CORS_ORIGINS="http://localhost:5173, http://127.0.0.1:5173" go run ./examples/config
//
// and follow the curl commands it prints. CORS_CONFIG names another JSON
// file (default: cors.json next to this file, embedded); PORT chooses the
// port (default 8080).
package main

import (
	"cmp"
	_ "embed"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/gin-gonic/gin"

	"github.com/gincors/gincors"
)

// defaultPolicy is cors.json, used when CORS_CONFIG is not set.
//
//go:embed cors.json
var defaultPolicy []byte

// loadConfig reads the policy from the JSON file at path (the embedded
// cors.json if path is empty) and appends the origins of the
// comma-separated CORS_ORIGINS variable, such as a developer's local
// front-end server.
func loadConfig(path string) (gincors.Config, error) {
	data := defaultPolicy
	if path != "" {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return gincors.Config{}, err
		}
	}
	var cfg gincors.Config
	if err := json.Unmarshal(data, &cfg); err != nil {
		return gincors.Config{}, err
	}
	cfg.AllowOrigins = append(cfg.AllowOrigins, gincors.OriginsFromEnv("CORS_ORIGINS")...)
	return cfg, nil
}

// newRouter builds the API with cfg. Tests call it; main serves it.
// NewMiddleware returns the Config's problems instead of panicking, and
// logs its warnings once.
func newRouter(cfg gincors.Config) (*gin.Engine, error) {
	cors, err := gincors.NewMiddleware(cfg)
	if err != nil {
		return nil, err
	}
	router := gin.New()
	router.Use(gin.Recovery())
	router.Use(cors.Handler()) // on the engine, before the routes
	router.GET("/api/me", func(c *gin.Context) {
		c.Header("X-Request-Id", "7")
		c.JSON(http.StatusOK, gin.H{"user": "ada"})
	})
	router.PUT("/api/me", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"updated": true})
	})
	return router, nil
}

func main() {
	cfg, err := loadConfig(os.Getenv("CORS_CONFIG"))
	if err != nil {
		log.Fatal(err)
	}
	router, err := newRouter(cfg)
	if err != nil {
		log.Fatal(err) // one line per problem, each with its fix
	}
	addr := "127.0.0.1:" + cmp.Or(os.Getenv("PORT"), "8080")
	base := "http://" + addr
	fmt.Printf(`gincors example listening on %s, allowing %q

A preflight from the production origin (204 with Access-Control-Allow-* headers):
  curl -i -X OPTIONS %s/api/me -H 'Origin: https://app.example.com' -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type'

An actual request from the first origin of CORS_ORIGINS, if set (200 with Access-Control-Allow-Origin):
  curl -i %s/api/me -H 'Origin: http://localhost:5173'

`, base, cfg.AllowOrigins, base, base)
	log.Fatal(router.Run(addr))
}
