package originfunc

import (
	"net/url"
	"strings"

	contrib "github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"
	"github.com/gincors/gincors"
)

func prefixWithCredentials() gin.HandlerFunc {
	return gincors.New(gincors.Config{
		AllowOriginFunc: func(origin string) bool {
			return strings.HasPrefix(origin, "http://localhost") // want `^origin-func: strings.HasPrefix\(origin, "http://localhost"\) lets in "http://localhost.evil.example"; this is an error: with AllowCredentials`
		},
		AllowCredentials: true,
	})
}

func suffixWithoutCredentials() gin.HandlerFunc {
	return gincors.New(gincors.Config{
		AllowOriginFunc: func(o string) bool {
			return o == "https://example.io" || strings.HasSuffix(o, ".example.io") // want `^origin-func: strings.HasSuffix\(o, ".example.io"\) lets in "http://evil.example.io" and "https://a.b.example.io"; this is a warning`
		},
	})
}

func alwaysTrue() gin.HandlerFunc {
	return gincors.New(gincors.Config{
		AllowOriginWithContextFunc: func(c *gin.Context, origin string) bool {
			return true // want `^origin-func: returning true for every origin lets in "https://evil.example" \(every website\); this is an error`
		},
		AllowCredentials: true,
	})
}

func containsCheck(origin string) bool {
	if strings.Contains(origin, "example.com") { // want `^origin-func: strings.Contains\(origin, "example.com"\) lets in "https://example.com.evil.example"`
		return true
	}
	return false
}

func namedFunction() gin.HandlerFunc {
	cfg := gincors.DefaultConfig()
	cfg.AllowOriginFunc = containsCheck
	return gincors.New(cfg)
}

func suffixWithoutDot() contrib.Config {
	return contrib.Config{
		AllowOriginFunc: func(origin string) bool {
			return strings.HasSuffix(origin, "example.com") // want `^origin-func: strings.HasSuffix\(origin, "example.com"\) lets in "https://evilexample.com"`
		},
		AllowCredentials: true,
	}
}

func portPrefix() gin.HandlerFunc {
	return gincors.New(gincors.Config{
		AllowOriginFunc: func(origin string) bool {
			return strings.HasPrefix(origin, "http://localhost:3000") // want `lets in "http://localhost:30001"`
		},
	})
}

// Right, or not judged: nothing to say.
func right() []gincors.Config {
	return []gincors.Config{
		{AllowOriginFunc: func(origin string) bool { return origin == "https://app.example.com" }},
		// Any port of localhost is what it says.
		{AllowOriginFunc: func(origin string) bool { return strings.HasPrefix(origin, "http://localhost:") }},
		// Narrowed with &&: not judged.
		{AllowOriginFunc: func(origin string) bool {
			return strings.HasPrefix(origin, "https://") && strings.HasSuffix(origin, ".example.com")
		}},
		// Parsed: not judged.
		{AllowOriginFunc: func(origin string) bool {
			u, err := url.Parse(origin)
			return err == nil && u.Hostname() == "example.com"
		}},
		// An exclusion before the match: not judged.
		{AllowOriginFunc: func(origin string) bool {
			if strings.Contains(origin, "evil") {
				return false
			}
			return strings.HasSuffix(origin, ".example.com")
		}},
		// Port 8080 has no longer port to become.
		{AllowOriginFunc: func(origin string) bool { return strings.HasPrefix(origin, "http://localhost:8080") }},
	}
}
