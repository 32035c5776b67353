// Package gincors is a stub of github.com/gincors/gincors's API for the
// analyzer's tests; the config check validates with the real package.
package gincors

import (
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"
)

type Config struct {
	AllowOrigins                          []string
	AllowOriginRegexps                    []string
	AllowOriginFunc                       func(origin string) bool
	AllowOriginWithContextFunc            func(c *gin.Context, origin string) bool
	AllowOriginMatcher                    OriginMatcher
	AllowMethods                          []string
	AllowHeaders                          []string
	ExposeHeaders                         []string
	AllowCredentials                      bool
	MaxAge                                time.Duration
	AllowPrivateNetwork                   bool
	OptionsPassthrough                    bool
	OptionsSuccessStatus                  int
	Debug                                 bool
	Logger                                *slog.Logger
	OnRejected                            func(c *gin.Context, r Rejection)
	DangerouslyAllowNullOrigin            bool
	DangerouslyAllowInsecureOrigins       bool
	DangerouslyAllowPublicSuffixWildcards bool
	DangerouslySkipOriginFuncCheck        bool
}

type OriginMatcher interface{ MatchOrigin(string) bool }

type Rejection struct{}

type Middleware struct{}

func New(cfg Config) gin.HandlerFunc                    { return nil }
func Default() gin.HandlerFunc                          { return nil }
func ByPath(policies map[string]Config) gin.HandlerFunc { return nil }
func NewMiddleware(cfg Config) (*Middleware, error)     { return nil, nil }
func (m *Middleware) Handler() gin.HandlerFunc          { return nil }
func (m *Middleware) Reconfigure(cfg Config) error      { return nil }
func DefaultConfig() Config                             { return Config{} }
func (c Config) Validate() error                        { return nil }
