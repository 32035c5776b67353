// Package cors is a stub of github.com/gin-contrib/cors.
package cors

import (
	"time"

	"github.com/gin-gonic/gin"
)

type Config struct {
	AllowAllOrigins  bool
	AllowOrigins     []string
	AllowOriginFunc  func(origin string) bool
	AllowMethods     []string
	AllowHeaders     []string
	AllowCredentials bool
	MaxAge           time.Duration
}

func New(config Config) gin.HandlerFunc { return nil }
func Default() gin.HandlerFunc          { return nil }
func DefaultConfig() Config             { return Config{} }
