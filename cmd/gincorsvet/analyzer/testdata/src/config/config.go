package config

import (
	"os"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gincors/gincors"
)

// Each problem at the field it names, with the library's message.
func literal() gin.HandlerFunc {
	return gincors.New(gincors.Config{
		AllowOrigins: []string{
			"https://app.example.com",
			"https://b.example.com/", // want `^config: gincors accepts it and warns: AllowOrigins\[1\] "https://b.example.com/": a trailing slash, which no Origin header has; gincors reads it as "https://b.example.com"; write "https://b.example.com"`
			"b.example.com",          // want `^config: gincors.New panics when the program starts: AllowOrigins\[2\] "b.example.com": missing scheme; write "https://b.example.com"`
		},
		MaxAge: 3600, // want `^config: gincors accepts it and warns: MaxAge "3.6µs": less than a second`
	})
}

// DefaultConfig followed by assignments.
func defaultThenAssign() gin.HandlerFunc {
	cfg := gincors.DefaultConfig()
	cfg.AllowOrigins = []string{"*"} // want `^config: gincors.New panics when the program starts: AllowOrigins\[0\] "\*": not allowed with AllowCredentials`
	cfg.AllowCredentials = true
	return gincors.New(cfg)
}

// A zero Config has no origin source: reported at the argument.
func zero() {
	var cfg gincors.Config
	cfg.AllowMethods = []string{"GET"}
	_, _ = gincors.NewMiddleware(cfg) // want `^config: gincors.NewMiddleware returns this as an error: Config: no origin source`
}

func reconfigure(m *gincors.Middleware) error {
	return m.Reconfigure(gincors.Config{
		AllowOrigins: []string{"https://a.example.com"},
		AllowHeaders: []string{"Content-Type, Authorization"}, // want `^config: gincors accepts it and warns: AllowHeaders\[0\] "Content-Type, Authorization": several names joined by ","`
		MaxAge:       48 * time.Hour,                          // want `^config: gincors accepts it and warns: MaxAge "48h0m0s": above 24h`
	})
}

func byPath() gin.HandlerFunc {
	return gincors.ByPath(map[string]gincors.Config{
		"admin/": {AllowOrigins: []string{"https://a.example.com"}}, // want `^config: gincors.ByPath panics when the program starts: ByPath "admin/": a path prefix starts with "/"`
		"/x":     {AllowOrigins: []string{"x.example.com"}},         // want `^config: gincors.ByPath panics .*: ByPath\["/x"\].AllowOrigins\[0\] "x.example.com": missing scheme`
	})
}

// Valid configurations: nothing to say.
func valid() gin.HandlerFunc {
	cfg := gincors.DefaultConfig()
	cfg.AllowOrigins = []string{"https://app.example.com"}
	cfg.AllowOriginFunc = func(origin string) bool { return origin == "https://b.example.com" }
	return gincors.New(cfg)
}

// Values that are not constants, completed later, or changed on a branch
// are not judged.
func fromEnvironment() gin.HandlerFunc {
	return gincors.New(gincors.Config{
		AllowOrigins:     strings.Split(os.Getenv("ORIGINS"), ","),
		AllowCredentials: true,
	})
}

func oneNonConstant(appOrigin string) gin.HandlerFunc {
	return gincors.New(gincors.Config{AllowOrigins: []string{appOrigin}, AllowCredentials: true})
}

func completedByHelper() gin.HandlerFunc {
	cfg := gincors.DefaultConfig()
	addOrigins(&cfg)
	return gincors.New(cfg)
}

func addOrigins(cfg *gincors.Config) { cfg.AllowOrigins = []string{os.Getenv("ORIGIN")} }

func branch(dev bool) gin.HandlerFunc {
	cfg := gincors.DefaultConfig()
	if dev {
		cfg.AllowOrigins = []string{"http://localhost:*"}
	} else {
		cfg.AllowOrigins = []string{"https://app.example.com"}
	}
	return gincors.New(cfg)
}

func fromHelper() gin.HandlerFunc {
	return gincors.New(helperConfig())
}

func helperConfig() gincors.Config {
	return gincors.Config{AllowOrigins: []string{os.Getenv("ORIGIN")}}
}

func parameter(cfg gincors.Config) gin.HandlerFunc {
	return gincors.New(cfg)
}

type matcher struct{}

func (matcher) MatchOrigin(string) bool { return false }

func userMatcher() gin.HandlerFunc {
	return gincors.New(gincors.Config{AllowOriginMatcher: matcher{}, AllowCredentials: true})
}
