package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gincors/gincors"
)

func TestPerPathPolicies(t *testing.T) {
	t.Parallel()
	// A public API for everyone, and a credentialed /admin for the app
	// only: ByPath gives each request exactly one policy.
	policies := func() gin.HandlerFunc {
		return gincors.ByPath(map[string]gincors.Config{
			"/": {AllowOrigins: []string{"*"}, AllowMethods: []string{"PUT"}, AllowHeaders: []string{"X-Custom"}},
			"/admin": allowApp(gincors.Config{
				AllowMethods: []string{"PUT"}, AllowCredentials: true, DangerouslyAllowInsecureOrigins: true,
			}),
		})
	}
	run(t, []scenario{
		{
			name: "the public policy lets any origin read",
			cors: policies, host: "evil.test", req: fetchRequest{URL: "/r/public"}, handlerRan: true, readable: true,
			check: allowedOrigin("*"),
		},
		{
			name: "the /admin policy does not leak * to another origin",
			cors: policies, host: "evil.test", req: fetchRequest{URL: "/admin/users"}, handlerRan: true, readable: false,
			check: refusedOrigin,
		},
		{
			name: "the /admin policy refuses another origin's preflight",
			cors: policies, host: "evil.test", req: fetchRequest{URL: "/admin/users", Method: "PUT"}, preflight: 403,
		},
		{
			name: "the /admin policy lets the app read with credentials",
			cors: policies, req: fetchRequest{URL: "/admin/users", Credentials: "include"}, handlerRan: true, readable: true,
			check: func(t *testing.T, o observed) {
				allowedOrigin(pageOrigin(appHost))(t, o)
				assert.Equal(t, "true", o.actuals[0].Response.Get("Access-Control-Allow-Credentials"))
			},
		},
		{
			name: "the /admin policy answers the app's preflight",
			cors: policies, req: fetchRequest{URL: "/admin/users", Method: "PUT", Credentials: "include"},
			preflight: 204, handlerRan: true, readable: true, check: allowedOrigin(pageOrigin(appHost)),
		},
		{
			// The route has no OPTIONS handler: Gin answers the
			// preflight through its 404 handlers, which run engine
			// middleware such as ByPath, and a group's would not.
			name: "a preflight to a GET-only route is answered",
			cors: policies, host: "evil.test",
			req:       fetchRequest{URL: "/get-only", Headers: map[string]string{"X-Custom": "1"}},
			preflight: 204, handlerRan: true, readable: true,
			check: func(t *testing.T, o observed) {
				allowedOrigin("*")(t, o)
				assert.Equal(t, "GET /get-only", o.res.Body)
			},
		},
	})
}

// TestByPathPartnerCannotReachAdmin is the attack of issue 17: "/" lets a
// partner in with credentials, "/admin" only the app. A partner page asks
// for /admin/x/..%2F..%2Fitems, which browsers send as written (the URL
// parser resolves only "/"-delimited dot segments) and Gin dispatches to
// the /admin/*name handlers, while its decoded and cleaned form is /items,
// under "/". The partner must neither read that admin response nor get a
// preflight through for a PUT to it.
func TestByPathPartnerCannotReachAdmin(t *testing.T) {
	t.Parallel()
	const partnerHost = "other.example.test"
	policies := func() gin.HandlerFunc {
		return gincors.ByPath(map[string]gincors.Config{
			"/": {
				AllowOrigins: []string{pageOrigin(partnerHost)}, AllowCredentials: true,
				AllowMethods: []string{"PUT", "DELETE"}, DangerouslyAllowInsecureOrigins: true,
			},
			"/admin": allowApp(gincors.Config{AllowMethods: []string{"PUT"}, AllowCredentials: true, DangerouslyAllowInsecureOrigins: true}),
		})
	}
	const traversal = "/admin/x/..%2F..%2Fitems"
	run(t, []scenario{
		{
			name: "the partner cannot read an admin handler's response",
			cors: policies, host: partnerHost, req: fetchRequest{URL: traversal, Credentials: "include"},
			handlerRan: true, readable: false,
			check: func(t *testing.T, o observed) {
				refusedOrigin(t, o)
				require.NotEmpty(t, o.actuals)
				assert.Equal(t, traversal, o.actuals[0].EscapedPath, "sent as written")
			},
		},
		{
			name: "the partner's preflight for a PUT to an admin handler gets no answer",
			cors: policies, host: partnerHost, req: fetchRequest{URL: traversal, Method: "PUT", Credentials: "include"},
			preflight: 404,
		},
		{
			name: "the app itself cannot use the traversal either",
			cors: policies, req: fetchRequest{URL: traversal, Method: "PUT", Credentials: "include"},
			preflight: 404,
		},
		{
			name: "the partner still gets the / policy on /items",
			cors: policies, host: partnerHost, req: fetchRequest{URL: "/items", Method: "PUT", Credentials: "include"},
			preflight: 204, handlerRan: true, readable: true, check: allowedOrigin(pageOrigin(partnerHost)),
		},
	})
}

func TestReconfigure(t *testing.T) {
	t.Parallel()
	const newcomer = "other.example.test"
	forEachEngine(t, func(t *testing.T, e *engine) {
		t.Run("an origin added at run time is allowed without a restart, and removed again", func(t *testing.T) {
			t.Parallel()
			b := newBrowserContext(t, e)
			cfg := allowApp(gincors.Config{AllowMethods: []string{"PUT"}})
			m, err := gincors.NewMiddleware(cfg)
			require.NoError(t, err)
			api := newAPIWith(t, m.Handler())
			p := b.open(newcomer)
			get := func(path string) fetchResult { return p.fetch(fetchRequest{URL: api.URL + path}) }
			put := func(path string) fetchResult { return p.fetch(fetchRequest{URL: api.URL + path, Method: "PUT"}) }

			assert.False(t, get("/r/before").Resolved, "GET before the origin is added")
			assert.False(t, put("/r/before").Resolved, "PUT before the origin is added")
			require.Len(t, api.preflights("/r/before"), 1)
			assert.Equal(t, http.StatusForbidden, api.preflights("/r/before")[0].Status)

			added := cfg
			added.AllowOrigins = append(append([]string(nil), cfg.AllowOrigins...), pageOrigin(newcomer))
			require.NoError(t, m.Reconfigure(added))
			if res := get("/r/after"); assert.True(t, res.Resolved, "GET after: %s", res.Error) {
				assert.Equal(t, "GET /r/after", res.Body)
			}
			if res := put("/r/after"); assert.True(t, res.Resolved, "PUT after: %s", res.Error) {
				assert.Equal(t, "PUT /r/after", res.Body)
			}
			require.Len(t, api.preflights("/r/after"), 1)
			assert.Equal(t, http.StatusNoContent, api.preflights("/r/after")[0].Status)

			require.NoError(t, m.Reconfigure(cfg))
			assert.False(t, get("/r/removed").Resolved, "GET after the origin is removed again")
			assert.Equal(t, 1, api.handlerRuns("/r/removed"), "the handler runs; the browser withholds the response")
		})
	})
}

// TestEngineProbes confirms, against minimal servers, each engine
// difference the scenarios make allowance for, so that an allowance
// cannot outlive the behaviour behind it.
func TestEngineProbes(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *engine) {
		t.Run("whether * in Access-Control-Allow-Headers covers Authorization", func(t *testing.T) {
			t.Parallel()
			// Every engine lets * cover Authorization today; the Fetch
			// standard, and Firefox with the strict pref, do not.
			want := e.id != "firefox-strict"
			if !want {
				noteDifference(t, e, "Firefox with "+strictAuthorizationPref+"=false applies the standard: "+
					"* in Access-Control-Allow-Headers does not cover Authorization (the others accept it, with at most a warning); "+
					"gincors never answers * for Authorization, so its scenarios pass either way")
			}
			b := newBrowserContext(t, e)
			api := newAPIWith(t, func(c *gin.Context) {
				c.Header("Access-Control-Allow-Origin", c.GetHeader("Origin"))
				if c.Request.Method == http.MethodOptions {
					c.Header("Access-Control-Allow-Headers", "*")
					c.AbortWithStatus(http.StatusNoContent)
				}
			})
			p := b.open(appHost)
			res := p.fetch(fetchRequest{URL: api.URL + "/r/x", Headers: map[string]string{"Authorization": "Bearer t"}})
			assert.Equal(t, want, res.Resolved, "fetch with Authorization under *: %s", res.Error)
			require.Len(t, api.preflights("/r/x"), 1)
			assert.Equal(t, "authorization", api.preflights("/r/x")[0].RequestHeaders)
			assert.Equal(t, boolCount(want), api.handlerRuns("/r/x"))
		})

		t.Run("whether a cookie set by a same-site sibling host is sent back", func(t *testing.T) {
			t.Parallel()
			want := e.family() != familyWebKit
			if !want {
				noteDifference(t, e, webkitCookieReason)
			}
			b := newBrowserContext(t, e)
			api := newAPI(t, credentialsConfig(appHost, true))
			p := b.open(appHost)
			res := p.fetch(fetchRequest{URL: api.URL + "/login", Credentials: "include"})
			require.True(t, res.Resolved, res.Error)
			res = p.fetch(fetchRequest{URL: api.URL + "/whoami", Credentials: "include"})
			require.True(t, res.Resolved, res.Error)
			sent := res.Body == "session="+sessionValue
			assert.Equal(t, want, sent, "cookie sent back from %s to %s: %q", appHost, apiHost, res.Body)
		})

		t.Run("whether a repeated cacheable fetch is served from the HTTP cache", func(t *testing.T) {
			t.Parallel()
			want := e.family() != familyWebKit
			if !want {
				noteDifference(t, e, webkitNoHTTPCacheReason)
			}
			b := newBrowserContext(t, e)
			api := newAPI(t, gincors.Config{AllowOrigins: []string{"*"}})
			p := b.open(appHost)
			for i := range 2 {
				res := p.fetch(fetchRequest{URL: api.URL + "/cacheable"})
				require.True(t, res.Resolved, "fetch %d: %s", i, res.Error)
			}
			assert.Equal(t, want, len(api.exchanges("/cacheable")) == 1, "requests served: %d", len(api.exchanges("/cacheable")))
		})

		t.Run("a preflight answer without Max-Age is cached for a moment", func(t *testing.T) {
			t.Parallel()
			b := newBrowserContext(t, e)
			p := b.open(appHost)
			// On a loaded machine two fetches can take longer than the
			// lifetime; each attempt uses a fresh server, so a fresh cache key.
			for attempt := 1; ; attempt++ {
				api := newAPI(t, allowApp(gincors.Config{AllowMethods: []string{"PUT"}}))
				start := time.Now()
				for i := range 2 {
					res := p.fetch(fetchRequest{URL: api.URL + "/r/x", Method: "PUT"})
					require.True(t, res.Resolved, "fetch %d: %s", i, res.Error)
				}
				if time.Since(start) < defaultPreflightCache {
					assert.Len(t, api.preflights("/r/x"), 1, "preflights")
					return
				}
				require.Less(t, attempt, 3, "precondition: both fetches within the default lifetime, in one of 3 attempts")
			}
		})

		t.Run("the page-side error of a blocked fetch", func(t *testing.T) {
			t.Parallel()
			want := map[string]string{
				familyChromium: "TypeError: Failed to fetch",
				familyFirefox:  "TypeError: NetworkError when attempting to fetch resource.",
				familyWebKit:   "TypeError: Load failed",
			}[e.family()]
			b := newBrowserContext(t, e)
			api := newAPI(t, allowApp(gincors.Config{}))
			p := b.open("evil.test")
			res := p.fetch(fetchRequest{URL: api.URL + "/r/x"})
			assert.False(t, res.Resolved)
			assert.Equal(t, want, strings.TrimSpace(res.Error))
		})
	})
}

func boolCount(b bool) int {
	if b {
		return 1
	}
	return 0
}
