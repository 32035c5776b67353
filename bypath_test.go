package gincors

import (
	"bufio"
	"bytes"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

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
		{"an escaped key", map[string]Config{"/caf%C3%A9": {AllowOrigins: []string{"*"}}}, `gincors: ByPath "/caf%C3%A9": a key is a decoded path, as URL.Path is: write the characters themselves ("/café", not "/caf%C3%A9"); an encoded "/" cannot be part of a key`},
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
// policy, never the fallback's. A preflight for it, answered before any
// route is chosen, cannot tell "/admin/users" (RemoveExtraSlash) from
// "//admin/users" (under "/" otherwise), so it gets no CORS answer.
func TestByPathCleansPathsAsGinRoutesThem(t *testing.T) {
	cases := []struct {
		name string
		req  request
		want result
	}{
		{"a doubled slash before the prefix", preflightTo("//admin/users", evilOrigin, "DELETE"), result{404, hdr(), false}},
		{"a doubled slash before the prefix, from the /admin origin", preflightTo("//admin/users", adminOrigin, "DELETE"), result{404, hdr(), false}},
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

// Each ByPath policy in the routing tests allows the same origin and says
// which it is: by its Access-Control-Expose-Headers on an actual response
// and its Access-Control-Max-Age on a preflight.
var routingPolicies = map[string]string{"/": "root", "/admin": "admin", "/admin/public": "admin-public", "/api": "api"}

const routingOrigin = "https://app.example.com"

func routingConfigs() map[string]Config {
	out := map[string]Config{}
	i := 0
	for _, key := range slices.Sorted(maps.Keys(routingPolicies)) {
		i++
		out[key] = Config{
			AllowOrigins: []string{routingOrigin}, AllowCredentials: true, AllowMethods: []string{"DELETE"},
			ExposeHeaders: []string{"X-Policy-" + routingPolicies[key]}, MaxAge: time.Duration(i) * time.Minute,
		}
	}
	return out
}

// policyAnswered names the policy whose answer resp carries, or "" if none.
func policyAnswered(h http.Header) string {
	if x := h.Get(headerExposeHeaders); x != "" {
		return strings.TrimPrefix(x, "X-Policy-")
	}
	if a := h.Get(headerMaxAge); a != "" {
		i, _ := strconv.Atoi(a)
		return routingPolicies[slices.Sorted(maps.Keys(routingPolicies))[i/60-1]]
	}
	return ""
}

// referencePolicy is the policy of the key that is the longest whole-segment
// prefix of p: the definition ByPath documents, written independently of
// its lookup.
func referencePolicy(p string) string {
	best := ""
	for key := range routingPolicies {
		if (key == "/" || p == key || strings.HasPrefix(p, key+"/")) && len(key) > len(best) {
			best = key
		}
	}
	return routingPolicies[best]
}

// engineSettings is one combination of the engine settings that change
// which path Gin routes on or whether it redirects.
type engineSettings struct {
	useRawPath, unescapePathValues, removeExtraSlash, redirectFixedPath, redirectTrailingSlash, useEscapedPath bool
}

func allEngineSettings() []engineSettings {
	var out []engineSettings
	for bits := 0; bits < 1<<6; bits++ {
		out = append(out, engineSettings{bits&1 != 0, bits&2 != 0, bits&4 != 0, bits&8 != 0, bits&16 != 0, bits&32 != 0})
	}
	return out
}

// apply sets s on e. UseEscapedPath is set through reflection: Gin 1.12
// added it, and the library supports older Gin versions.
func (s engineSettings) apply(e *gin.Engine) bool {
	e.UseRawPath, e.UnescapePathValues, e.RemoveExtraSlash = s.useRawPath, s.unescapePathValues, s.removeExtraSlash
	e.RedirectFixedPath, e.RedirectTrailingSlash = s.redirectFixedPath, s.redirectTrailingSlash
	f := reflect.ValueOf(e).Elem().FieldByName("UseEscapedPath")
	if !f.IsValid() {
		return !s.useEscapedPath
	}
	f.SetBool(s.useEscapedPath)
	return true
}

// routedPath is the path Gin routes u on under s, as handleHTTPRequest
// computes it.
func (s engineSettings) routedPath(u *url.URL) string {
	p := u.Path
	switch {
	case s.useEscapedPath:
		p = u.EscapedPath()
	case s.useRawPath && u.RawPath != "":
		p = u.RawPath
	}
	if s.removeExtraSlash {
		p = path.Clean(p) // Gin's cleanPath also keeps a trailing slash, which no key sees
	}
	return p
}

// routingServer is an engine with ByPath(routingConfigs()) and GET and
// DELETE routes of every kind (static, parameter, catch-all, and a
// parameter at the root that shares a path with the /admin routes); a
// handler records the path Gin routed the request on.
func routingServer(t testing.TB, s engineSettings) (*gin.Engine, *string) {
	t.Helper()
	e := gin.New()
	if !s.apply(e) {
		return nil, nil
	}
	e.Use(ByPath(routingConfigs()))
	routed := new(string)
	for _, route := range []string{"/items", "/items/:id", "/admin/users/:id", "/admin/files/*path", "/admin/public/docs", "/api/v1/*rest", "/:tenant/reports"} {
		handler := func(c *gin.Context) {
			*routed = s.routedPath(c.Request.URL)
			c.Status(http.StatusNoContent)
		}
		e.GET(route, handler)
		e.DELETE(route, handler)
	}
	return e, routed
}

// routingPaths are spellings of paths to every route, and traversals from
// each route's path to every other, as a browser or any HTTP client can send
// them: encoded slashes and dots, doubled slashes, dot segments, case,
// encoded letters and trailing slashes.
func routingPaths() []string {
	bases := []string{"/items", "/items/7", "/admin/users/7", "/admin/files/a/b", "/admin/public/docs", "/api/v1/x", "/acme/reports", "/admin/reports"}
	var out []string
	for _, b := range bases {
		first := strings.Index(b[1:], "/") + 1
		if first == 0 {
			first = len(b)
		}
		out = append(out, b, b+"/", "/"+b, b[:first]+"/"+b[first:], strings.ToUpper(b[:first])+b[first:],
			fmt.Sprintf("/%%%02X%s", b[1], b[2:]), b+"/./", "/."+b)
		if last := strings.LastIndex(b, "/"); last > 0 {
			out = append(out, b[:last]+"%2F"+b[last+1:])
		}
		depth := strings.Count(b, "/")
		for _, to := range bases {
			for _, dots := range []string{"..", "%2E%2E", ".%2e"} {
				for _, sep := range []string{"/", "%2F"} {
					out = append(out, b+sep+strings.Repeat(dots+sep, depth)+to[1:])
				}
			}
		}
	}
	return out
}

// plain reports whether p reads the same under every engine setting.
func plain(p string) bool {
	return !strings.ContainsAny(p, "%") && !strings.Contains(p, "//") && !strings.Contains(p, "/.")
}

// TestByPathChoosesThePolicyOfTheRoutedPath is the property of issue 17:
// for every spelling of a path and every engine setting, the policy that
// answers a request Gin dispatches to a handler is the policy of the path
// Gin routed it on, or none; the preflight for it is answered by that same
// policy or by none; and a path that reads the same under every setting
// always gets its policy.
func TestByPathChoosesThePolicyOfTheRoutedPath(t *testing.T) {
	paths := routingPaths()
	require.Greater(t, len(paths), 400)
	answered, dispatched := 0, 0
	for _, s := range allEngineSettings() {
		e, routed := routingServer(t, s)
		if e == nil {
			continue
		}
		for _, p := range paths {
			*routed = ""
			actual, ok := serveRecovering(e, rawRequest(t, "DELETE", p, "Origin", routingOrigin))
			if !ok {
				continue // Gin itself panicked while routing: nothing to check
			}
			pre, ok := serveRecovering(e, rawRequest(t, "OPTIONS", p, "Origin", routingOrigin, headerRequestMethod, "DELETE"))
			if !ok {
				continue
			}
			gotActual, gotPreflight := policyAnswered(actual.Header()), policyAnswered(pre.Header())
			if plain(p) {
				assert.Equal(t, referencePolicy(p), gotPreflight, "%+v: preflight %s", s, p)
			}
			if *routed == "" {
				continue // not dispatched to a handler: redirected, or 404
			}
			dispatched++
			want := referencePolicy(*routed)
			if plain(p) {
				assert.Equal(t, want, gotActual, "%+v: DELETE %s (routed on %s)", s, p, *routed)
			}
			if gotActual != "" {
				answered++
				assert.Equal(t, want, gotActual, "%+v: DELETE %s (routed on %s)", s, p, *routed)
			}
			if gotPreflight != "" {
				assert.Equal(t, want, gotPreflight, "%+v: preflight for DELETE %s (routed on %s)", s, p, *routed)
			}
		}
	}
	t.Logf("%d paths, %d dispatched requests, %d answered by a policy", len(paths), dispatched, answered)
	require.Greater(t, answered, dispatched/2, "most dispatched requests get their policy")
}

// serveRecovering serves r and reports false if the engine panicked. Gin
// v1.9.1's RedirectFixedPath panics ("invalid node type") on some paths of
// an engine with a parameter at the root beside static routes, before any
// middleware runs; later versions do not.
func serveRecovering(e *gin.Engine, r *http.Request) (rec *httptest.ResponseRecorder, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	rec = httptest.NewRecorder()
	e.ServeHTTP(rec, r)
	return rec, true
}

// rawRequest parses a request line and header lines as net/http's server
// does, so that the path reaches the engine exactly as sent.
func rawRequest(t testing.TB, method, target string, header ...string) *http.Request {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: api.example.com\r\n", method, target)
	for i := 0; i < len(header); i += 2 {
		fmt.Fprintf(&b, "%s: %s\r\n", header[i], header[i+1])
	}
	b.WriteString("\r\n")
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(b.String())))
	require.NoError(t, err)
	return r
}

const partnerOrigin = "https://partner.example.com"

// TestByPathSpellings pins, over real HTTP, one case per class of path
// spelling that can read differently under different engine settings.
// "/" lets the partner in with credentials and DELETE, "/admin" only the
// admin origin: no spelling may give the partner an /admin handler's
// response or a preflight for it.
func TestByPathSpellings(t *testing.T) {
	policies := map[string]Config{
		"/":      {AllowOrigins: []string{partnerOrigin}, AllowCredentials: true, AllowMethods: []string{"DELETE"}},
		"/admin": {AllowOrigins: []string{adminOrigin}, AllowCredentials: true, AllowMethods: []string{"DELETE"}},
	}
	partnerAllowed := hdr(headerAllowOrigin, partnerOrigin, headerAllowCredentials, "true", "Vary", "Origin")
	partnerPreflight := hdr(headerAllowOrigin, partnerOrigin, headerAllowCredentials, "true", headerAllowMethods, "DELETE")
	adminAllowed := hdr(headerAllowOrigin, adminOrigin, headerAllowCredentials, "true", "Vary", "Origin")
	onlyVary := hdr("Vary", "Origin")
	actual := func(method, path, origin string) request {
		return request{method: method, path: path, lines: lines("Origin", origin)}
	}
	cases := []struct {
		name     string
		settings engineSettings
		req      request
		want     result
	}{
		{"control: the partner on /items", engineSettings{}, actual("DELETE", "/items/7", partnerOrigin), result{200, partnerAllowed, true}},
		{"control: the partner's preflight on /items", engineSettings{}, preflightTo("/items/7", partnerOrigin, "DELETE"), result{204, partnerPreflight, false}},

		{"encoded slashes and dot segments into a catch-all", engineSettings{},
			actual("DELETE", "/admin/files/x/..%2F..%2F..%2Fitems", partnerOrigin), result{200, onlyVary, true}},
		{"encoded slashes and dot segments into a catch-all: preflight", engineSettings{},
			preflightTo("/admin/files/x/..%2F..%2F..%2Fitems", partnerOrigin, "DELETE"), result{404, hdr(), false}},

		{"a parameter holding ..%2F under UseRawPath", engineSettings{useRawPath: true},
			actual("DELETE", "/admin/users/..%2F..%2Fitems", partnerOrigin), result{200, onlyVary, true}},
		{"a parameter holding ..%2F under UseRawPath and RemoveExtraSlash", engineSettings{useRawPath: true, removeExtraSlash: true},
			actual("DELETE", "/admin/users/..%2F..%2Fitems", partnerOrigin), result{200, onlyVary, true}},
		{"a parameter holding ..%2F under UseRawPath: preflight", engineSettings{useRawPath: true},
			preflightTo("/admin/users/..%2F..%2Fitems", partnerOrigin, "DELETE"), result{404, hdr(), false}},

		{"encoded dots that RemoveExtraSlash resolves out of /admin", engineSettings{removeExtraSlash: true},
			actual("DELETE", "/admin/users/%2E%2E/%2E%2E/items/7", partnerOrigin), result{200, partnerAllowed, true}},
		{"encoded dots that RemoveExtraSlash resolves: preflight", engineSettings{removeExtraSlash: true},
			preflightTo("/admin/users/%2E%2E/%2E%2E/items/7", partnerOrigin, "DELETE"), result{404, hdr(), false}},

		{"a doubled slash that RemoveExtraSlash routes to /admin", engineSettings{removeExtraSlash: true},
			actual("DELETE", "//admin/users/7", adminOrigin), result{200, adminAllowed, true}},
		{"a doubled slash: the partner", engineSettings{removeExtraSlash: true},
			actual("DELETE", "//admin/users/7", partnerOrigin), result{200, onlyVary, true}},

		{"an encoded letter in the prefix", engineSettings{},
			actual("DELETE", "/%61dmin/users/7", partnerOrigin), result{200, onlyVary, true}},
		{"an encoded letter in the prefix: preflight", engineSettings{},
			preflightTo("/%61dmin/users/7", partnerOrigin, "DELETE"), result{404, hdr(), false}},

		// The preflight is answered under "/" (keys and routes are
		// case-sensitive), but the DELETE it announces is redirected
		// before any middleware runs, and a redirect without CORS
		// headers fails the browser's CORS check
		// (https://fetch.spec.whatwg.org/#http-fetch).
		{"upper case, redirected by RedirectFixedPath", engineSettings{redirectFixedPath: true},
			actual("DELETE", "/ADMIN/users/7", partnerOrigin), result{307, hdr(), false}},
		{"upper case: preflight", engineSettings{redirectFixedPath: true},
			preflightTo("/ADMIN/users/7", partnerOrigin, "DELETE"), result{204, partnerPreflight, false}},

		{"a trailing slash, redirected by RedirectTrailingSlash", engineSettings{redirectTrailingSlash: true},
			actual("DELETE", "/admin/users/7/", partnerOrigin), result{307, hdr(), false}},
		{"a trailing slash: preflight", engineSettings{redirectTrailingSlash: true},
			preflightTo("/admin/users/7/", partnerOrigin, "DELETE"), result{403, hdr(), false}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &testServer{engine: gin.New()}
			require.True(t, tc.settings.apply(s.engine))
			s.engine.Use(ByPath(policies))
			for _, route := range []string{"/items/:id", "/admin/users/:id", "/admin/files/*path"} {
				s.engine.DELETE(route, func(c *gin.Context) { s.ran.Add(1); c.String(http.StatusOK, "ok") })
			}
			srv := httptest.NewServer(s.engine)
			defer srv.Close()
			assert.Equal(t, tc.want, s.serveHTTP(t, srv.URL, tc.req))
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

// TestByPathEscapedPathWithInvalidRawPath pins a finding of the review of
// issue 17: under Gin 1.12's UseEscapedPath, a path whose raw form is not
// a valid encoding ("|" is sent as is) is routed on Path escaped afresh,
// so "/caf%C3%A9/admin%2Fsecret|" reaches a route registered as
// "/caf%C3%A9/*rest" as "/caf%C3%A9/admin/secret%7C", under "/café/admin";
// it got the "/café" policy of its raw spelling, and must get none.
func TestByPathEscapedPathWithInvalidRawPath(t *testing.T) {
	for _, s := range []engineSettings{{useEscapedPath: true}, {useEscapedPath: true, removeExtraSlash: true}, {useEscapedPath: true, unescapePathValues: true}} {
		e := gin.New()
		if !s.apply(e) {
			t.Skip("Gin before 1.12 has no UseEscapedPath")
		}
		e.Use(ByPath(map[string]Config{
			"/café":       {AllowOrigins: []string{partnerOrigin}, AllowCredentials: true},
			"/café/admin": {AllowOrigins: []string{adminOrigin}, AllowCredentials: true},
		}))
		ran := 0
		e.GET("/caf%C3%A9/*rest", func(c *gin.Context) { ran++; c.String(http.StatusOK, "secret") })
		for target, want := range map[string]result{
			"/caf%C3%A9/admin/secret": {200, hdr("Vary", "Origin"), true}, // the /café/admin policy refuses the partner
			// Its raw spelling fits the route under "/café" too: no policy.
			"/caf%C3%A9/admin%2Fsecret|": {200, hdr(), true},
		} {
			ran = 0
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, rawRequest(t, "GET", target, "Origin", partnerOrigin))
			assert.Equal(t, want, result{rec.Code, pick(rec.Header()), ran == 1}, "%+v: %s", s, target)
		}
	}
}
