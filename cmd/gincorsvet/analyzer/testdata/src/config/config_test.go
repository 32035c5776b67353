package config

import (
	"strings"
	"testing"

	"github.com/gincors/gincors"
)

// Tests build invalid and permissive configurations on purpose: the config
// and origin-func checks skip _test.go files.
func TestInvalidConfigIsRefused(t *testing.T) {
	if _, err := gincors.NewMiddleware(gincors.Config{AllowOrigins: []string{"https://b.example.com/"}}); err == nil {
		t.Fatal("want an error")
	}
	_ = gincors.New(gincors.Config{AllowOriginFunc: func(o string) bool { return strings.HasPrefix(o, "http://localhost") }})
}
