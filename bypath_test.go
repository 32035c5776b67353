package gincors

import (
	"bytes"
	"log/slog"
	"net/http"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const adminOrigin = "https://admin.example.com"

// byPathServer has a public API under "/" and a credentialed /admin, as
// one engine, with GET-only routes (no OPTIONS handlers).
func byPathServer(t *testing.T, policies map[string]Config, handle405 bool) *testServer {
	t.Helper()
	s := &testServer{engine: gin.New()}
	s.engine.HandleMethodNotAllowed = handle405
	s.engine.Use(ByPath(policies))
	for _, path := range []string{"/items", "/admin", "/admin/users", "/administrator", "/reports/x"} {
		s.engine.GET(path, func(c *gin.Context) { s.ran.Add(1); c.String(http.StatusOK, "ok") })
	}
	return s
}

func publicAndAdmin() map[string]Config {
	return map[string]Config{
		"/":      {AllowOrigins: []string{"*"}, AllowMethods: []string{"GET"}},
		"/admin": {AllowOrigins: []string{adminOrigin}, AllowCredentials: true, AllowMethods: []string{"GET", "DELETE"}, AllowHeaders: []string{"X-Csrf-Token"}},
	}
}

func TestByPath(t *testing.T) {
	adminAllowed := hdr(headerAllowOrigin, adminOrigin, headerAllowCredentials, "true", "Vary", "Origin")
	adminPreflight := hdr(headerAllowOrigin, adminOrigin, headerAllowCredentials, "true", headerAllowMethods, "GET, DELETE", headerAllowHeaders, "X-Csrf-Token")
	cases := []struct {
		name     string
		policies map[string]Config
		req      request
		want     result
	}{
		{"the public policy answers outside /admin", publicAndAdmin(),
			request{method: "GET", path: "/items", lines: lines("Origin", evilOrigin)},
			result{200, hdr(headerAllowOrigin, "*"), true}},
		{"the public * never reaches /admin", publicAndAdmin(),
			request{method: "GET", path: "/admin/users", lines: lines("Origin", evilOrigin)},
			result{200, hdr("Vary", "Origin"), true}},
		{"/admin itself is under the /admin policy", publicAndAdmin(),
			request{method: "GET", path: "/admin", lines: lines("Origin", adminOrigin)},
			result{200, adminAllowed, true}},
		{"a subpath of /admin is under the /admin policy", publicAndAdmin(),
			request{method: "GET", path: "/admin/users", lines: lines("Origin", adminOrigin)},
			result{200, adminAllowed, true}},
		{"an unrouted path with a trailing slash stays under /admin", publicAndAdmin(),
			request{method: "GET", path: "/admin/nothing/", lines: lines("Origin", evilOrigin)},
			result{404, hdr("Vary", "Origin"), false}},
		{"/administrator is not under /admin", publicAndAdmin(),
			request{method: "GET", path: "/administrator", lines: lines("Origin", evilOrigin)},
			result{200, hdr(headerAllowOrigin, "*"), true}},
		{"a preflight to a GET-only admin route is answered", publicAndAdmin(),
			preflightTo("/admin/users", adminOrigin, "DELETE", headerRequestHeaders, "x-csrf-token"),
			result{204, adminPreflight, false}},
		{"a preflight to /admin from another origin is refused, whatever / allows", publicAndAdmin(),
			preflightTo("/admin/users", evilOrigin, "DELETE"),
			result{403, hdr(), false}},
		{"a preflight for an unrouted path falls back to /", publicAndAdmin(),
			preflightTo("/nowhere", evilOrigin, "GET"),
			result{204, hdr(headerAllowOrigin, "*", headerAllowMethods, "GET"), false}},
		{"the longest prefix wins", map[string]Config{
			"/admin":        {AllowOrigins: []string{adminOrigin}},
			"/admin/public": {AllowOrigins: []string{"*"}},
		}, request{method: "GET", path: "/admin/public/x", lines: lines("Origin", evilOrigin)},
			result{404, hdr(headerAllowOrigin, "*"), false}},
		{"without a / key, a path under no key gets no CORS handling", map[string]Config{"/admin": {AllowOrigins: []string{adminOrigin}}},
			request{method: "GET", path: "/items", lines: lines("Origin", adminOrigin)},
			result{200, hdr(), true}},
		{"without a / key, a preflight under no key is routed as Gin would", map[string]Config{"/admin": {AllowOrigins: []string{adminOrigin}}},
			preflightTo("/items", adminOrigin, "GET"),
			result{404, hdr(), false}},
	}
	for _, tc := range cases {
		for _, handle405 := range []bool{false, true} {
			t.Run(tc.name, func(t *testing.T) {
				s := byPathServer(t, tc.policies, handle405)
				want := tc.want
				if handle405 && want.status == 404 && tc.req.method == "OPTIONS" && tc.req.path == "/items" {
					want.status = 405 // Gin's own answer for a GET-only route
				}
				assert.Equal(t, want, s.serve(t, tc.req), "HandleMethodNotAllowed=%v", handle405)
			})
		}
	}
}

func preflightTo(path, origin, method string, more ...string) request {
	r := preflightReq(origin, method, more...)
	r.path = path
	return r
}

func TestByPathRefusesBadKeysAndConfigs(t *testing.T) {
	cases := []struct {
		name     string
		policies map[string]Config
		want     string
	}{
		{"no policy", map[string]Config{}, `gincors: ByPath: no policy; map at least one path prefix, such as "/", to a Config`},
		{"no leading slash", map[string]Config{"admin": {AllowOrigins: []string{"*"}}}, `gincors: ByPath "admin": a path prefix starts with "/"; write "/admin"`},
		{"trailing slash", map[string]Config{"/admin/": {AllowOrigins: []string{"*"}}}, `gincors: ByPath "/admin/": prefixes match whole segments, so a trailing slash adds nothing; write "/admin"`},
		{"empty segment", map[string]Config{"/a//b": {AllowOrigins: []string{"*"}}}, `gincors: ByPath "/a//b": empty path segment; remove the extra "/"`},
		{"route pattern", map[string]Config{"/users/:id": {AllowOrigins: []string{"*"}}}, `gincors: ByPath "/users/:id": a literal path prefix, not a Gin route pattern or a URL; write the fixed part, such as "/admin"`},
		{"dot segment", map[string]Config{"/a/../b": {AllowOrigins: []string{"*"}}}, `gincors: ByPath "/a/../b": a dot segment, which Gin never routes; write the path it stands for`},
		{"an invalid policy names its key", map[string]Config{"/admin": {AllowOrigins: []string{"*"}, AllowCredentials: true}},
			`gincors: ByPath["/admin"].AllowOrigins[0] "*": not allowed with AllowCredentials: browsers refuse "*" on credentialed requests, and reflecting every origin instead would let any website read your users' data. List the origins that need credentials: in development, AllowOrigins: []string{"http://localhost:*", "http://127.0.0.1:*"}; in production, AllowOrigins: []string{"https://app.example.com"} (or "https://*.example.com" for your subdomains)`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := newPathPolicies(tc.policies)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
			assert.PanicsWithError(t, tc.want, func() { ByPath(tc.policies) })
		})
	}
}

// Browsers send "//admin/users" as written, and an engine with
// RemoveExtraSlash routes it to the /admin routes: it must get the /admin
// policy, never the fallback's.
func TestByPathCleansPathsAsGinRoutesThem(t *testing.T) {
	cases := []struct {
		name string
		req  request
		want result
	}{
		{"a doubled slash before the prefix", preflightTo("//admin/users", evilOrigin, "DELETE"), result{403, hdr(), false}},
		{"a doubled slash inside", preflightTo("/admin//users", evilOrigin, "DELETE"), result{403, hdr(), false}},
		{"a dot segment", request{method: "GET", path: "/items/../admin/users", lines: lines("Origin", evilOrigin)}, result{200, hdr("Vary", "Origin"), true}},
		{"the allowed origin still gets the /admin answer", request{method: "GET", path: "//admin/users", lines: lines("Origin", adminOrigin)},
			result{200, hdr(headerAllowOrigin, adminOrigin, headerAllowCredentials, "true", "Vary", "Origin"), true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := byPathServer(t, publicAndAdmin(), false)
			s.engine.RemoveExtraSlash = true
			assert.Equal(t, tc.want, s.serve(t, tc.req))
		})
	}
}

// TestByPathLogsWarningsWithTheirKey: each policy's warnings are logged
// once, at start, naming the key as errors do.
func TestByPathLogsWarningsWithTheirKey(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
	engine := gin.New()
	engine.Use(ByPath(map[string]Config{
		"/":      {AllowOrigins: []string{"*"}, Logger: logger},
		"/admin": {AllowOrigins: []string{"https://app.example.com"}, AllowHeaders: []string{"Cookie"}, Logger: logger},
	}))
	assert.Equal(t, `level=WARN msg="gincors: ByPath[\"/admin\"].AllowHeaders[0] \"Cookie\": a forbidden request header in the Fetch standard: browsers set it themselves and never ask a preflight for it, so listing it does nothing; remove it. Cookies are sent as credentials: set AllowCredentials, and credentials: \"include\" in the page's fetch() call" field="ByPath[\"/admin\"].AllowHeaders[0]" value=Cookie`+"\n", buf.String())
}
