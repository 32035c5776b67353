// Package branches is the config check's branch part: "*" with credentials
// on one path of a Config that depends on the branch taken.
package branches

import (
	"errors"
	"log"
	"os"

	"github.com/gin-gonic/gin"
	"github.com/gincors/gincors"
)

// The development branch chosen by gin.Mode().
func debugMode(router *gin.Engine) {
	cfg := gincors.Config{AllowCredentials: true, AllowOrigins: []string{"https://app.example.com"}}
	if gin.Mode() == gin.DebugMode {
		cfg.AllowOrigins = []string{"*"} // want `^config: gincors.New panics when the program runs this branch: AllowOrigins\[0\] "\*": not allowed with AllowCredentials: browsers refuse .*in development, AllowOrigins: \[\]string\{"http://localhost:\*", "http://127.0.0.1:\*"\}; in production, AllowOrigins: \[\]string\{"https://app.example.com"\}`
	}
	router.Use(gincors.New(cfg))
}

// A switch on an environment variable, credentials set by assignment, and
// "*" appended in one case.
func envSwitch(router *gin.Engine) {
	cfg := gincors.DefaultConfig()
	cfg.AllowOrigins = []string{"https://app.example.com"}
	cfg.AllowCredentials = true
	switch os.Getenv("APP_ENV") {
	case "dev", "development":
		cfg.AllowOrigins = append(cfg.AllowOrigins, "*") // want `^config: gincors.New panics when the program runs this branch: AllowOrigins "\*": not allowed with AllowCredentials`
	case "staging":
		cfg.AllowOrigins = []string{"https://staging.example.com"}
	}
	router.Use(gincors.New(cfg))
}

// A helper of the same package that builds the Config.
func withHelper(router *gin.Engine) {
	router.Use(gincors.New(corsConfig()))
}

func corsConfig() gincors.Config {
	cfg := gincors.Config{AllowOrigins: []string{"https://app.example.com"}}
	cfg.AllowCredentials = true
	if os.Getenv("APP_ENV") == "dev" {
		cfg.AllowOrigins = []string{"http://localhost:3000", "*"} // want `^config: gincors.New panics when the program runs this branch: AllowOrigins\[1\] "\*": not allowed with AllowCredentials`
	}
	return cfg
}

// A helper returning a literal on its development branch, through a
// variable; the element is reported once though the helper is used twice.
func withHelperVariable(router *gin.Engine) {
	cfg := literalHelper(gin.Mode())
	router.Use(gincors.New(cfg))
	_, _ = gincors.NewMiddleware(literalHelper(gin.ReleaseMode))
}

func literalHelper(mode string) gincors.Config {
	if mode == gin.DebugMode {
		return gincors.Config{AllowOrigins: []string{"*"}, AllowCredentials: true} // want `^config: gincors.New panics when the program runs this branch: AllowOrigins\[0\] "\*"`
	}
	return gincors.Config{AllowOrigins: []string{"https://app.example.com"}, AllowCredentials: true}
}

// Credentials turned on in the same branch as "*"; an error return on the
// way does not matter.
func credentialsInBranch() (gin.HandlerFunc, error) {
	cfg := gincors.Config{AllowOrigins: []string{"https://app.example.com"}}
	if os.Getenv("DEV") != "" {
		cfg.AllowCredentials = true
		cfg.AllowOrigins = []string{"*"} // want `^config: gincors.NewMiddleware returns this as an error when the program runs this branch: AllowOrigins\[0\] "\*"`
	}
	if os.Getenv("PORT") == "" {
		return nil, errors.New("PORT is not set")
	}
	mw, err := gincors.NewMiddleware(cfg)
	if err != nil {
		return nil, err
	}
	return mw.Handler(), nil
}

// Reconfigure in an if statement's init, and a ByPath map value.
func reconfigure(m *gincors.Middleware) gin.HandlerFunc {
	cfg := gincors.Config{AllowOrigins: []string{"https://app.example.com"}, AllowCredentials: true}
	if gin.Mode() != gin.ReleaseMode {
		cfg.AllowOrigins = []string{"*"} // want `^config: Reconfigure returns this as an error and keeps the old policy when the program runs this branch: AllowOrigins\[0\] "\*"`
	}
	if err := m.Reconfigure(cfg); err != nil {
		log.Print(err)
	}
	admin := gincors.Config{AllowOrigins: []string{"https://admin.example.com"}, AllowCredentials: true}
	if gin.Mode() == gin.DebugMode {
		admin.AllowOrigins = []string{"*"} // want `^config: gincors.ByPath panics when the program runs this branch: AllowOrigins\[0\] "\*"`
	}
	return gincors.ByPath(map[string]gincors.Config{"/admin": admin})
}

// "*" with credentials from the start, replaced only on one branch.
func replacedOnBranch(router *gin.Engine) {
	cfg := gincors.Config{AllowOrigins: []string{"*"}, AllowCredentials: true} // want `^config: gincors.New panics when the program takes a path that keeps this: AllowOrigins\[0\] "\*"`
	if gin.Mode() == gin.ReleaseMode {
		cfg.AllowOrigins = []string{"https://app.example.com"}
	}
	router.Use(gincors.New(cfg))
}

// A literal whose other fields are not constants.
func literalWithVariables(router *gin.Engine, headers []string) {
	router.Use(gincors.New(gincors.Config{
		AllowOrigins:     []string{"*"}, // want `^config: gincors.New panics when the program starts: AllowOrigins\[0\] "\*"`
		AllowCredentials: true,
		AllowHeaders:     headers,
	}))
}

// Silent: "*" with credentials turned off in the same branch.
func starWithoutCredentials(router *gin.Engine) {
	cfg := gincors.Config{AllowCredentials: true, AllowOrigins: []string{"https://app.example.com"}}
	if gin.Mode() == gin.DebugMode {
		cfg.AllowOrigins = []string{"*"}
		cfg.AllowCredentials = false
	}
	router.Use(gincors.New(cfg))
}

// Silent: "*" and no credentials anywhere.
func noCredentials(router *gin.Engine) {
	cfg := gincors.Config{AllowOrigins: []string{"https://app.example.com"}}
	switch os.Getenv("APP_ENV") {
	case "dev":
		cfg.AllowOrigins = []string{"*"}
	}
	router.Use(gincors.New(cfg))
}

// Silent: a later branch may turn credentials off on the path with "*"
// (the two conditions may be one and the same).
func laterBranchTurnsOff(router *gin.Engine, dev bool) {
	cfg := gincors.Config{AllowCredentials: true, AllowOrigins: []string{"https://app.example.com"}}
	if dev {
		cfg.AllowOrigins = []string{"*"}
	}
	if dev {
		cfg.AllowCredentials = false
	}
	router.Use(gincors.New(cfg))
}

// Silent: credentials on only where "*" is not.
func credentialsElsewhere(router *gin.Engine) {
	cfg := gincors.Config{AllowOrigins: []string{"https://app.example.com"}}
	if gin.Mode() == gin.DebugMode {
		cfg.AllowOrigins = []string{"*"}
	} else {
		cfg.AllowCredentials = true
	}
	router.Use(gincors.New(cfg))
}

// Silent: "*" replaced on every path after it.
func replacedAfter(router *gin.Engine) {
	cfg := gincors.Config{AllowCredentials: true}
	if gin.Mode() == gin.DebugMode {
		cfg.AllowOrigins = []string{"*"}
	}
	cfg.AllowOrigins = []string{"https://app.example.com"}
	router.Use(gincors.New(cfg))
}

// Silent: credentials not a constant.
func credentialsFromEnvironment(router *gin.Engine) {
	cfg := gincors.Config{AllowOrigins: []string{"https://app.example.com"}, AllowCredentials: os.Getenv("COOKIES") == "1"}
	if gin.Mode() == gin.DebugMode {
		cfg.AllowOrigins = []string{"*"}
	}
	router.Use(gincors.New(cfg))
}

// Silent: credentials turned on only on a branch. Some path carries "*"
// without them, and the walk does not tell branch conditions apart, so it
// cannot rule out that this is the only path with "*".
func credentialsOnlyInBranch(router *gin.Engine) {
	cfg := gincors.Config{AllowOrigins: []string{"*"}}
	if os.Getenv("COOKIES") == "1" {
		cfg.AllowCredentials = true
	}
	router.Use(gincors.New(cfg))
}

// Silent: the Config handed to a function that may change it.
func handedOver(router *gin.Engine) {
	cfg := gincors.Config{AllowCredentials: true, AllowOrigins: []string{"https://app.example.com"}}
	if gin.Mode() == gin.DebugMode {
		cfg.AllowOrigins = []string{"*"}
	}
	tighten(&cfg)
	router.Use(gincors.New(cfg))
}

func tighten(cfg *gincors.Config) { cfg.AllowCredentials = false }

// Silent: the branch with "*" returns before the Config reaches gincors.
func returnsFirst(router *gin.Engine) {
	cfg := gincors.Config{AllowCredentials: true, AllowOrigins: []string{"https://app.example.com"}}
	if gin.Mode() == gin.TestMode {
		cfg.AllowOrigins = []string{"*"}
		return
	}
	router.Use(gincors.New(cfg))
}

// Silent: the same condition returns before the Config reaches gincors.
func sameConditionReturns(router *gin.Engine) {
	cfg := gincors.Config{AllowCredentials: true, AllowOrigins: []string{"https://app.example.com"}}
	switch os.Getenv("APP_ENV") {
	case "test":
		cfg.AllowOrigins = []string{"*"}
	}
	if os.Getenv("APP_ENV") == "test" {
		return // tests run without CORS
	}
	router.Use(gincors.New(cfg))
}

// The opposite condition returns: the path with "*" goes on.
func oppositeConditionReturns(router *gin.Engine, dev bool) {
	cfg := gincors.Config{AllowCredentials: true, AllowOrigins: []string{"https://app.example.com"}}
	if dev {
		cfg.AllowOrigins = []string{"*"} // want `^config: gincors.New panics when the program runs this branch: AllowOrigins\[0\] "\*"`
	}
	if !dev {
		log.Print("production")
	}
	if dev {
		log.Print("development")
	} else {
		return
	}
	router.Use(gincors.New(cfg))
}

// Silent: changed in a loop.
func inLoop(router *gin.Engine, envs []string) {
	cfg := gincors.Config{AllowCredentials: true, AllowOrigins: []string{"https://app.example.com"}}
	for _, env := range envs {
		if env == "dev" {
			cfg.AllowOrigins = []string{"*"}
		}
	}
	router.Use(gincors.New(cfg))
}

// Silent: a helper whose "*" branch has credentials off.
func withQuietHelper(router *gin.Engine) {
	router.Use(gincors.New(quietConfig()))
}

func quietConfig() gincors.Config {
	cfg := gincors.Config{AllowCredentials: true, AllowOrigins: []string{"https://app.example.com"}}
	if os.Getenv("APP_ENV") == "dev" {
		return gincors.Config{AllowOrigins: []string{"*"}}
	}
	return cfg
}
