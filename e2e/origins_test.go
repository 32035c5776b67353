package e2e

import (
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"

	"github.com/gincors/gincors"
)

// allowedOrigin asserts that the server allowed the page's origin on every
// exchange it answered, naming it in Access-Control-Allow-Origin.
func allowedOrigin(want string) func(*testing.T, observed) {
	return func(t *testing.T, o observed) {
		for _, x := range append(o.preflights, o.actuals...) {
			assert.Equal(t, []string{want}, x.Response.Values("Access-Control-Allow-Origin"), "%s %s", x.Method, x.Path)
		}
	}
}

// refusedOrigin asserts that no response named an allowed origin.
func refusedOrigin(t *testing.T, o observed) {
	for _, x := range append(o.preflights, o.actuals...) {
		assert.Empty(t, x.Response.Values("Access-Control-Allow-Origin"), "%s %s", x.Method, x.Path)
	}
}

// originCases expands each host into a simple GET, which the handler
// always serves, and a preflighted PUT, which a refused origin never gets
// past its preflight.
func originCases(cfg gincors.Config, hosts []string, allowed bool, why string) []scenario {
	var out []scenario
	for _, host := range hosts {
		get := scenario{
			name: host + " " + why + " (GET)",
			cfg:  cfg, host: host, handlerRan: true, readable: allowed,
			check: refusedOrigin,
		}
		put := scenario{
			name: host + " " + why + " (preflighted PUT)",
			cfg:  cfg, host: host, req: fetchRequest{Method: "PUT"},
			preflight: 403, check: refusedOrigin,
		}
		if allowed {
			get.check = allowedOrigin(pageOrigin(host))
			put.preflight, put.handlerRan, put.readable = 204, true, true
			put.check = allowedOrigin(pageOrigin(host))
		}
		out = append(out, get, put)
	}
	return out
}

func TestWildcardSubdomains(t *testing.T) {
	t.Parallel()
	cfg := gincors.Config{
		AllowOrigins: []string{"http://*.example.test:" + suite.pagePort},
		AllowMethods: []string{"PUT"},
	}
	var cases []scenario
	cases = append(cases, originCases(cfg, []string{"a.example.test", "a.b.example.test"}, true, "is a subdomain")...)
	cases = append(cases, originCases(cfg, []string{"example.test"}, false, "is the parent domain itself")...)
	cases = append(cases, originCases(cfg, []string{"evilexample.test"}, false, "only ends with the domain's name")...)
	cases = append(cases, originCases(cfg, []string{"example.test.evil.test"}, false, "only starts with the domain")...)
	run(t, cases)
}

// recordingMatcher is a user's AllowOriginMatcher: it allows hosts whose first
// label is "trusted" and records what it was asked.
type recordingMatcher struct {
	mu    sync.Mutex
	asked []string
}

func (m *recordingMatcher) MatchOrigin(origin string) bool {
	m.mu.Lock()
	m.asked = append(m.asked, origin)
	m.mu.Unlock()
	return strings.HasPrefix(origin, "http://trusted.")
}

func (m *recordingMatcher) calls() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.asked...)
}

func TestOriginMatchers(t *testing.T) {
	t.Parallel()
	put := fetchRequest{Method: "PUT"}
	methods := []string{"PUT"}

	portWildcard := gincors.Config{AllowOrigins: []string{"http://" + appHost + ":*"}, AllowMethods: methods}
	// The optional port is a common spelling that only the implicit anchor
	// keeps from matching "http://admin.example.test.evil.test:PORT".
	regexp := gincors.Config{AllowOriginRegexps: []string{`http://(app|admin)\.example\.test(:\d+)?`}, AllowMethods: methods}

	runBuilt(t, func() []scenario {
		// Each matcher case gets its own matcher, to see what it was asked.
		allowedMatcher, refusedMatcher := &recordingMatcher{}, &recordingMatcher{}
		askedFor := func(m *recordingMatcher, host string) func(*testing.T, observed) {
			return func(t *testing.T, o observed) {
				// Once for the preflight, once for the actual request if
				// it was sent; always the exact serialized origin.
				want := []string{pageOrigin(host)}
				if len(o.actuals) > 0 {
					want = append(want, pageOrigin(host))
				}
				assert.Equal(t, want, m.calls(), "origins the matcher was asked about")
			}
		}
		matcherCfg := func(m *recordingMatcher) gincors.Config {
			return gincors.Config{AllowOriginMatcher: m, AllowMethods: methods}
		}

		// A decision that depends on the route.
		byPath := gincors.Config{
			AllowOriginWithContextFunc: func(c *gin.Context, origin string) bool {
				return origin == pageOrigin(appHost) && strings.HasPrefix(c.Request.URL.Path, "/r/public")
			},
			AllowMethods: methods,
		}

		return []scenario{
			{
				name: "port wildcard allows the host on the page server's port",
				cfg:  portWildcard, req: put, preflight: 204, handlerRan: true, readable: true,
				check: allowedOrigin(pageOrigin(appHost)),
			},
			{
				name: "port wildcard does not allow another host",
				cfg:  portWildcard, host: "other.example.test", req: put, preflight: 403,
			},
			{
				name: "regexp allows a matching origin",
				cfg:  regexp, host: "admin.example.test", req: put, preflight: 204, handlerRan: true, readable: true,
				check: allowedOrigin(pageOrigin("admin.example.test")),
			},
			{
				name: "regexp escaped dot does not match another character",
				cfg:  regexp, host: "adminxexample.test", req: put, preflight: 403,
			},
			{
				name: "regexp is anchored at the end",
				cfg:  regexp, host: "admin.example.test.evil.test", req: put, preflight: 403,
			},
			{
				name: "custom OriginMatcher allows what it accepts and sees the exact origin",
				cfg:  matcherCfg(allowedMatcher), host: "trusted.example.test", req: put,
				preflight: 204, handlerRan: true, readable: true,
				check: func(t *testing.T, o observed) {
					allowedOrigin(pageOrigin("trusted.example.test"))(t, o)
					askedFor(allowedMatcher, "trusted.example.test")(t, o)
				},
			},
			{
				name: "custom OriginMatcher refuses what it rejects",
				cfg:  matcherCfg(refusedMatcher), host: "untrusted.example.test", req: put, preflight: 403,
				check: askedFor(refusedMatcher, "untrusted.example.test"),
			},
			{
				name: "AllowOriginWithContextFunc allows by route",
				cfg:  byPath, req: fetchRequest{URL: "/r/public", Method: "PUT"}, preflight: 204, handlerRan: true, readable: true,
			},
			{
				name: "AllowOriginWithContextFunc refuses by route",
				cfg:  byPath, req: fetchRequest{URL: "/r/private", Method: "PUT"}, preflight: 403,
			},
		}
	})
}

func TestNullOrigin(t *testing.T) {
	t.Parallel()
	refused := allowApp(gincors.Config{AllowMethods: []string{"PUT"}})
	allowed := allowApp(gincors.Config{
		AllowOrigins:               []string{"null"},
		DangerouslyAllowNullOrigin: true,
		AllowMethods:               []string{"PUT"},
	})
	run(t, []scenario{
		{
			name: "sandboxed iframe is refused by default although the handler ran",
			cfg:  refused, frame: inSandboxed, handlerRan: true, readable: false, check: refusedOrigin,
		},
		{
			name: "sandboxed iframe's preflight is refused by default",
			cfg:  refused, frame: inSandboxed, req: fetchRequest{Method: "PUT"}, preflight: 403,
		},
		{
			name: "data: iframe is refused by default although the handler ran",
			cfg:  refused, frame: inDataFrame, handlerRan: true, readable: false, check: refusedOrigin,
		},
		{
			name: "sandboxed iframe is allowed when null is explicitly allowed",
			cfg:  allowed, frame: inSandboxed, handlerRan: true, readable: true, check: allowedOrigin("null"),
		},
		{
			name: "sandboxed iframe's preflight is allowed when null is explicitly allowed",
			cfg:  allowed, frame: inSandboxed, req: fetchRequest{Method: "PUT"},
			preflight: 204, handlerRan: true, readable: true, check: allowedOrigin("null"),
		},
		{
			name: "data: iframe is allowed when null is explicitly allowed",
			cfg:  allowed, frame: inDataFrame, handlerRan: true, readable: true, check: allowedOrigin("null"),
		},
	})
}

func TestAnyOrigin(t *testing.T) {
	t.Parallel()
	cfg := gincors.Config{
		AllowOrigins:  []string{"*"},
		AllowMethods:  []string{"*"},
		AllowHeaders:  []string{"*"},
		ExposeHeaders: []string{"*"},
	}
	noVary := func(t *testing.T, o observed) {
		allowedOrigin("*")(t, o)
		for _, x := range o.actuals {
			assert.Empty(t, x.Response.Values("Vary"), "a response for every origin does not vary by Origin")
		}
	}
	run(t, []scenario{
		{
			name: "any origin reads a simple GET",
			cfg:  cfg, host: "evilexample.test", handlerRan: true, readable: true,
			req: fetchRequest{Read: []string{"x-hidden"}},
			check: func(t *testing.T, o observed) {
				noVary(t, o)
				assert.Equal(t, "hidden-value", o.res.header("x-hidden"), "ExposeHeaders *")
			},
		},
		{
			name: "any origin's preflighted request with any method and header is answered with *",
			cfg:  cfg, host: "evilexample.test",
			req:       fetchRequest{Method: "patch", Headers: map[string]string{"X-Custom": "1"}},
			preflight: 204, handlerRan: true, readable: true,
			check: func(t *testing.T, o observed) {
				noVary(t, o)
				h := o.preflights[0].Response
				assert.Equal(t, "*", h.Get("Access-Control-Allow-Methods"))
				assert.Equal(t, "*", h.Get("Access-Control-Allow-Headers"))
			},
		},
		{
			name: "a sandboxed iframe reads it too",
			cfg:  cfg, frame: inSandboxed, handlerRan: true, readable: true, check: noVary,
		},
		{
			name: "a credentialed fetch fails: * does not cover credentials",
			cfg:  cfg, host: "evilexample.test", req: fetchRequest{Credentials: "include"},
			handlerRan: true, readable: false,
			check: func(t *testing.T, o observed) {
				noVary(t, o)
				assert.Empty(t, o.actuals[0].Response.Values("Access-Control-Allow-Credentials"))
			},
		},
	})
}
