package gincors

// Tests of the security guarantees stated in SECURITY.md, of the refused
// dangerous configurations, and of hostile input. Every request goes
// through a real gin.Engine.

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// secServer is an engine with gincors installed before a route on /api
// (every method) and a NoRoute handler, both of which count their runs.
type secServer struct {
	engine *gin.Engine
	ran    int
}

func secNewServer(t testing.TB, cfg Config) *secServer {
	t.Helper()
	require.NoError(t, cfg.Validate())
	s := &secServer{engine: gin.New()}
	s.engine.Use(New(cfg))
	h := func(c *gin.Context) {
		s.ran++
		c.String(http.StatusOK, "handler")
	}
	s.engine.Any("/api", h)
	s.engine.NoRoute(h)
	return s
}

// secRequest is a request whose header lines are given exactly, so that
// tests can send several lines, empty values and bytes that http.Header.Set
// would not keep.
type secRequest struct {
	method string
	path   string
	header http.Header
}

func (r secRequest) build() *http.Request {
	method := r.method
	if method == "" {
		method = http.MethodGet
	}
	path := r.path
	if path == "" {
		path = "/api"
	}
	h := http.Header{}
	for k, v := range r.header {
		h[k] = v
	}
	return &http.Request{Method: method, URL: &url.URL{Path: path}, RequestURI: path, Host: "api.example.com", Header: h}
}

// secResult is what a test checks: status, headers, whether the handler ran.
type secResult struct {
	status int
	header http.Header
	ran    bool
}

func (s *secServer) serve(r secRequest) secResult {
	s.ran = 0
	w := httptest.NewRecorder()
	s.engine.ServeHTTP(w, r.build())
	return secResult{status: w.Code, header: w.Result().Header, ran: s.ran > 0}
}

// secCORS returns the CORS headers and Vary of h.
func secCORS(h http.Header) http.Header {
	out := http.Header{}
	for k, v := range h {
		if strings.HasPrefix(k, "Access-Control-") || k == "Vary" {
			out[k] = v
		}
	}
	return out
}

func secOrigin(origins ...string) http.Header { return http.Header{"Origin": origins} }

func secPreflight(origin, method string, extra ...string) http.Header {
	h := http.Header{"Origin": {origin}, "Access-Control-Request-Method": {method}}
	for i := 0; i+1 < len(extra); i += 2 {
		h[http.CanonicalHeaderKey(extra[i])] = append(h[http.CanonicalHeaderKey(extra[i])], extra[i+1])
	}
	return h
}

// secCredentialedConfig is a typical credentialed policy.
func secCredentialedConfig() Config {
	return Config{
		AllowOrigins: []string{
			"https://example.com",
			"https://*.example.com",
			"http://localhost:*",
			"http://[::1]:*",
			"https://bücher.example",
		},
		AllowCredentials: true,
		AllowMethods:     []string{"GET", "POST", "PUT", "DELETE"},
		AllowHeaders:     []string{"Content-Type", "X-Requested-With", "Authorization"},
		ExposeHeaders:    []string{"X-Request-Id"},
		MaxAge:           time.Hour,
	}
}

// ---------------------------------------------------------------------------
// Guarantee 1: Access-Control-Allow-Origin is "*" or the exact allowed
// request origin.

func TestSecurityAllowOriginIsExactAllowedOrigin(t *testing.T) {
	srv := secNewServer(t, secCredentialedConfig())
	cases := []struct {
		name    string
		origin  string
		allowed bool
	}{
		{"exact origin is reflected", "https://example.com", true},
		{"subdomain is reflected", "https://app.example.com", true},
		{"deep subdomain is reflected", "https://a.b.example.com", true},
		{"loopback with any port is reflected", "http://localhost:5173", true},
		{"ipv6 loopback with a port is reflected", "http://[::1]:3000", true},
		{"punycode of a unicode pattern is reflected", "https://xn--bcher-kva.example", true},
		{"punycode subdomain is reflected", "https://xn--nxasmq6b.example.com", true},
		{"port 65535 on a port wildcard is reflected", "http://localhost:65535", true},
		{"suffix of an allowed origin is refused", "https://example.com.evil.invalid", false},
		{"subdomain followed by an attacker domain is refused", "https://a.example.com.evil.invalid", false},
		{"prefix-sharing domain is refused", "https://evilexample.com", false},
		{"longer TLD is refused", "https://example.community", false},
		{"shorter TLD is refused", "https://example.co", false},
		{"substring host is refused", "https://xample.com", false},
		{"other scheme is refused", "http://example.com", false},
		{"explicit port is refused", "https://example.com:8443", false},
		{"explicit default port is refused", "https://example.com:443", false},
		{"upper case is refused", "HTTPS://EXAMPLE.COM", false},
		{"trailing slash is refused", "https://example.com/", false},
		{"path is refused", "https://example.com/x", false},
		{"query is refused", "https://example.com?x", false},
		{"fragment is refused", "https://example.com#x", false},
		{"trailing dot is refused", "https://example.com.", false},
		{"userinfo with allowed host is refused", "https://evil.invalid@example.com", false},
		{"userinfo with attacker host is refused", "https://example.com@evil.invalid", false},
		{"backslash trick is refused", "https://evil.invalid\\.example.com", false},
		{"fragment trick is refused", "https://evil.invalid#.example.com", false},
		{"wildcard itself is refused", "https://*.example.com", false},
		{"leading space is refused", " https://example.com", false},
		{"trailing space is refused", "https://example.com ", false},
		{"inner space is refused", "https://exa mple.com", false},
		{"NUL after the origin is refused", "https://example.com\x00", false},
		{"NUL inside the host is refused", "https://a\x00.example.com", false},
		{"CR is refused", "https://example.com\r", false},
		{"tab is refused", "https://example.com\t", false},
		{"control character is refused", "https://\x01.example.com", false},
		{"percent-encoded dot is refused", "https://example%2ecom", false},
		{"percent-encoded letter is refused", "https://%61.example.com", false},
		{"unicode host is refused (browsers send punycode)", "https://bücher.example", false},
		{"unicode subdomain is refused", "https://ü.example.com", false},
		{"fullwidth dot is refused", "https://a.example\uff0ecom", false},
		{"non-canonical ipv6 is refused", "http://[0:0:0:0:0:0:0:1]:3000", false},
		{"ipv6 with zone is refused", "http://[::1%25eth0]:3000", false},
		{"unbracketed ipv6 is refused", "http://::1", false},
		{"null is refused", "null", false},
		{"empty origin is refused", "", false},
		{"port 0 is refused", "http://localhost:0", false},
		{"port 65536 is refused", "http://localhost:65536", false},
		{"port with leading zero is refused", "http://localhost:080", false},
		{"empty port is refused", "http://localhost:", false},
		{"negative port is refused", "http://localhost:-1", false},
		{"scheme only is refused", "https://", false},
		{"64 KB origin is refused", "https://" + strings.Repeat("a", 64<<10) + ".example.com", false},
		{"over-long label is refused", "https://" + strings.Repeat("a", 64) + ".example.com", false},
		{"empty label is refused", "https://a..example.com", false},
		{"leading dot is refused", "https://.example.com", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			actual := srv.serve(secRequest{header: secOrigin(tc.origin)})
			assert.Equal(t, http.StatusOK, actual.status)
			assert.True(t, actual.ran, "an actual request always reaches the handler")
			assert.Equal(t, []string{"Origin"}, actual.header.Values("Vary"))
			pre := srv.serve(secRequest{method: http.MethodOptions, header: secPreflight(tc.origin, "PUT")})
			assert.False(t, pre.ran, "a preflight never reaches the handler")
			if tc.allowed {
				assert.Equal(t, []string{tc.origin}, actual.header.Values(headerAllowOrigin))
				assert.Equal(t, []string{"true"}, actual.header.Values(headerAllowCredentials))
				assert.Equal(t, http.StatusNoContent, pre.status)
				assert.Equal(t, []string{tc.origin}, pre.header.Values(headerAllowOrigin))
				assert.Equal(t, []string{"true"}, pre.header.Values(headerAllowCredentials))
				return
			}
			assert.Empty(t, actual.header.Values(headerAllowOrigin))
			assert.Empty(t, actual.header.Values(headerAllowCredentials))
			assert.Equal(t, statusPreflightRefused, pre.status)
			assert.Empty(t, secCORS(pre.header), "a refused preflight carries no CORS header")
		})
	}
}

func TestSecurityAllowOriginNeverComesFromOtherHeaders(t *testing.T) {
	srv := secNewServer(t, secCredentialedConfig())
	spoof := http.Header{
		"Referer":           {"https://example.com/page"},
		"X-Forwarded-Host":  {"example.com"},
		"X-Forwarded-Proto": {"https"},
		"Forwarded":         {"host=example.com;proto=https"},
		"X-Origin":          {"https://example.com"},
		"Sec-Fetch-Site":    {"same-origin"},
	}
	cases := []struct {
		name    string
		origins []string
		host    string
	}{
		{"no Origin", nil, "example.com"},
		{"refused Origin while Host equals an allowed origin's host", []string{"https://evil.invalid"}, "example.com"},
		{"two Origin lines, the first allowed", []string{"https://example.com", "https://evil.invalid"}, "api.example.com"},
		{"two Origin lines, both allowed", []string{"https://example.com", "https://example.com"}, "api.example.com"},
		{"lower-case origin header key", nil, "api.example.com"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := spoof.Clone()
			if tc.origins != nil {
				h["Origin"] = tc.origins
			}
			if tc.name == "lower-case origin header key" {
				h["origin"] = []string{"https://example.com"}
			}
			r := secRequest{header: h}.build()
			r.Host = tc.host
			srv.ran = 0
			w := httptest.NewRecorder()
			srv.engine.ServeHTTP(w, r)
			assert.Equal(t, http.StatusOK, w.Code)
			assert.Equal(t, 1, srv.ran)
			assert.Empty(t, w.Header().Values(headerAllowOrigin))
			assert.Empty(t, w.Header().Values(headerAllowCredentials))
			assert.Equal(t, []string{"Origin"}, w.Header().Values("Vary"))
		})
	}
}

// ---------------------------------------------------------------------------
// Guarantee 2: credentials never with "*", never for an arbitrary origin.

func TestSecurityCredentialsNeverWithStar(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		req  secRequest
	}{
		{"star actual request", Config{AllowOrigins: []string{"*"}}, secRequest{header: secOrigin("https://evil.invalid")}},
		{"star preflight", Config{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}, AllowHeaders: []string{"*"}},
			secRequest{method: http.MethodOptions, header: secPreflight("https://evil.invalid", "PURGE", "Access-Control-Request-Headers", "x-a")}},
		{"star with a request that sends cookies", Config{AllowOrigins: []string{"*"}},
			secRequest{header: http.Header{"Origin": {"https://evil.invalid"}, "Cookie": {"session=1"}, "Authorization": {"Bearer x"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := secNewServer(t, tc.cfg).serve(tc.req)
			require.Equal(t, []string{"*"}, res.header.Values(headerAllowOrigin))
			assert.Empty(t, res.header.Values(headerAllowCredentials))
		})
	}
}

func TestSecurityCredentialedWildcardsNeverAnswerStar(t *testing.T) {
	cfg := Config{
		AllowOrigins:     []string{"https://app.example.com"},
		AllowCredentials: true,
		AllowMethods:     []string{"*"},
		AllowHeaders:     []string{"*", "Authorization"},
	}
	res := secNewServer(t, cfg).serve(secRequest{method: http.MethodOptions,
		header: secPreflight("https://app.example.com", "PURGE", "Access-Control-Request-Headers", "x-a, x-b")})
	require.Equal(t, http.StatusNoContent, res.status)
	assert.Equal(t, http.Header{
		"Access-Control-Allow-Origin":      {"https://app.example.com"},
		"Access-Control-Allow-Credentials": {"true"},
		"Access-Control-Allow-Methods":     {"PURGE"},
		"Access-Control-Allow-Headers":     {"x-a, x-b"},
	}, secCORS(res.header))
}

// TestSecurityStarHeadersNeverCoverAuthorization pins issue 8 §4 from both
// sides: "*" alone refuses Authorization, as the Fetch standard says, and
// "*" with "Authorization" allows it and names it in the answer, so the
// answer stays right in a browser that enforces the rule.
func TestSecurityStarHeadersNeverCoverAuthorization(t *testing.T) {
	cases := []struct {
		name  string
		allow []string
		want  secResult
	}{
		{"* alone refuses Authorization", []string{"*"}, secResult{statusPreflightRefused, http.Header{}, false}},
		{"* with Authorization allows it and names it", []string{"*", "Authorization"}, secResult{204, http.Header{
			headerAllowOrigin: {"*"}, headerAllowHeaders: {"*, Authorization"},
		}, false}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := secNewServer(t, Config{AllowOrigins: []string{"*"}, AllowHeaders: tc.allow})
			res := srv.serve(secRequest{method: http.MethodOptions,
				header: secPreflight("https://a.example", "GET", "Access-Control-Request-Headers", "x-a, Authorization")})
			res.header = secCORS(res.header)
			assert.Equal(t, tc.want, res)
		})
	}
}

// secAttackOrigins are origins an attacker can serve a page from.
var secAttackOrigins = []string{
	"https://evil.invalid", "http://evil.invalid", "https://evil.invalid:8443",
	"https://example.com.evil.invalid", "https://evil.invalid.example.com.evil.invalid",
	"https://attacker.github.io", "https://evil.com", "null",
}

// TestSecurityCredentialedConfigsRejectAttackerOrigins covers every origin
// source that gincors itself implements; AllowOriginFunc and custom
// matchers are the user's responsibility (SECURITY.md).
func TestSecurityCredentialedConfigsRejectAttackerOrigins(t *testing.T) {
	exact, err := ExactOrigins("https://example.com")
	require.NoError(t, err)
	wild, err := WildcardOrigins("https://*.example.com")
	require.NoError(t, err)
	res, err := RegexpOrigins(`https://(www|app)\.example\.com`)
	require.NoError(t, err)
	cases := []struct {
		name string
		cfg  Config
	}{
		{"exact origins", Config{AllowOrigins: []string{"https://example.com", "https://app.example.com"}}},
		{"wildcard subdomains", Config{AllowOrigins: []string{"https://*.example.com"}}},
		{"wildcard subdomains and ports", Config{AllowOrigins: []string{"https://*.example.com:*"}}},
		{"loopback", Config{AllowOrigins: []string{"http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"}}},
		{"anchored regexp", Config{AllowOriginRegexps: []string{`https://(www|app)\.example\.com`}}},
		{"library matchers", Config{OriginMatcher: AnyOf(exact, wild, res)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.AllowCredentials = true
			srv := secNewServer(t, tc.cfg)
			for _, o := range secAttackOrigins {
				r := srv.serve(secRequest{header: secOrigin(o)})
				assert.Empty(t, r.header.Values(headerAllowOrigin), "actual request from %q", o)
				assert.Empty(t, r.header.Values(headerAllowCredentials), "actual request from %q", o)
				p := srv.serve(secRequest{method: http.MethodOptions, header: secPreflight(o, "GET")})
				assert.Equal(t, statusPreflightRefused, p.status, "preflight from %q", o)
			}
		})
	}
}

// ---------------------------------------------------------------------------
// Guarantee 3: a preflight never reaches the handler; an actual request
// always does.

func TestSecurityPreflightNeverReachesHandler(t *testing.T) {
	cfg := Config{
		AllowOrigins:        []string{"https://app.example.com"},
		AllowMethods:        []string{"PUT"},
		AllowHeaders:        []string{"X-A"},
		AllowPrivateNetwork: true,
	}
	cases := []struct {
		name   string
		path   string
		header http.Header
		status int
	}{
		{"allowed preflight", "/api", secPreflight("https://app.example.com", "PUT"), http.StatusNoContent},
		{"allowed preflight to an unrouted path", "/nowhere", secPreflight("https://app.example.com", "PUT"), http.StatusNoContent},
		{"refused origin", "/api", secPreflight("https://evil.invalid", "PUT"), statusPreflightRefused},
		{"refused method", "/api", secPreflight("https://app.example.com", "DELETE"), statusPreflightRefused},
		{"lower-case method is a different method", "/api", secPreflight("https://app.example.com", "put"), statusPreflightRefused},
		{"refused header", "/api", secPreflight("https://app.example.com", "PUT", "Access-Control-Request-Headers", "x-b"), statusPreflightRefused},
		{"malformed header list", "/api", secPreflight("https://app.example.com", "PUT", "Access-Control-Request-Headers", "x-a x-a"), statusPreflightRefused},
		{"empty method", "/api", secPreflight("https://app.example.com", ""), statusPreflightRefused},
		{"two method lines", "/api", http.Header{"Origin": {"https://app.example.com"}, "Access-Control-Request-Method": {"PUT", "PUT"}}, statusPreflightRefused},
		{"two origin lines", "/api", http.Header{"Origin": {"https://app.example.com", "https://app.example.com"}, "Access-Control-Request-Method": {"PUT"}}, statusPreflightRefused},
		{"empty origin", "/api", secPreflight("", "PUT"), statusPreflightRefused},
		{"private network allowed", "/api", secPreflight("https://app.example.com", "PUT", "Access-Control-Request-Private-Network", "true"), http.StatusNoContent},
	}
	srv := secNewServer(t, cfg)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := srv.serve(secRequest{method: http.MethodOptions, path: tc.path, header: tc.header})
			assert.Equal(t, tc.status, res.status)
			assert.False(t, res.ran, "handler ran")
		})
	}
}

func TestSecurityOptionsPassthroughReachesHandler(t *testing.T) {
	srv := secNewServer(t, Config{AllowOrigins: []string{"https://app.example.com"}, OptionsPassthrough: true})
	for _, o := range []string{"https://app.example.com", "https://evil.invalid"} {
		res := srv.serve(secRequest{method: http.MethodOptions, header: secPreflight(o, "GET")})
		assert.True(t, res.ran, "passthrough preflight from %q", o)
		assert.Equal(t, http.StatusOK, res.status)
	}
}

func TestSecurityActualRequestAlwaysReachesHandler(t *testing.T) {
	srv := secNewServer(t, secCredentialedConfig())
	cases := []struct {
		name   string
		method string
		path   string
		header http.Header
	}{
		{"GET without Origin", "GET", "/api", nil},
		{"GET from a refused origin", "GET", "/api", secOrigin("https://evil.invalid")},
		{"POST from an allowed origin", "POST", "/api", secOrigin("https://example.com")},
		{"OPTIONS without Access-Control-Request-Method", "OPTIONS", "/api", secOrigin("https://example.com")},
		{"OPTIONS with the method but no Origin", "OPTIONS", "/api", http.Header{"Access-Control-Request-Method": {"PUT"}}},
		{"unknown method", "BREW", "/api", secOrigin("https://example.com")},
		{"lower-case options is not a preflight", "options", "/api", secPreflight("https://example.com", "PUT")},
		{"unrouted path", "GET", "/nowhere", secOrigin("https://evil.invalid")},
		{"10 000 Origin lines", "GET", "/api", http.Header{"Origin": secRepeat("https://example.com", 10000)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := srv.serve(secRequest{method: tc.method, path: tc.path, header: tc.header})
			assert.True(t, res.ran, "handler did not run")
			assert.Equal(t, http.StatusOK, res.status)
		})
	}
}

// TestSecurityRefusedPreflightRevealsNothing pins what a refused preflight
// tells a prober: the same 403 with no CORS header and no body whatever the
// check that failed, so the policy cannot be enumerated from the answers.
func TestSecurityRefusedPreflightRevealsNothing(t *testing.T) {
	cfg := Config{
		AllowOrigins:     []string{"https://app.example.com"},
		AllowCredentials: true,
		AllowMethods:     []string{"PUT"},
		AllowHeaders:     []string{"X-A"},
		MaxAge:           time.Hour,
	}
	srv := secNewServer(t, cfg)
	reqs := map[string]http.Header{
		"origin":  secPreflight("https://evil.invalid", "PUT"),
		"method":  secPreflight("https://app.example.com", "DELETE"),
		"headers": secPreflight("https://app.example.com", "PUT", "Access-Control-Request-Headers", "x-b"),
	}
	for name, h := range reqs {
		t.Run(name, func(t *testing.T) {
			w := httptest.NewRecorder()
			srv.engine.ServeHTTP(w, secRequest{method: http.MethodOptions, header: h}.build())
			assert.Equal(t, statusPreflightRefused, w.Code)
			assert.Empty(t, w.Body.String())
			assert.Empty(t, secCORS(w.Header()))
		})
	}
}

// ---------------------------------------------------------------------------
// Dangerous configurations.

// TestSecurityDangerousConfigsAreRefused and TestSecuritySafeConfigsAreAccepted
// moved to config_test.go (TestRefusesHoles, TestRefusesOriginFuncHoles,
// TestValidateAccepts), beside the other Config tables.

// ---------------------------------------------------------------------------
// Guarantee 4: hostile input.

func secRepeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// secAdversarialCase is a hostile request with its defined answer.
type secAdversarialCase struct {
	name    string
	cfg     func() Config
	method  string
	header  http.Header
	status  int
	acao    string // "" if absent
	handler bool
}

// secLongHeader is an allowed header name of 40 bytes.
var secLongHeader = "x-" + strings.Repeat("a", 38)

func secLongHeaderConfig() Config {
	return Config{AllowOrigins: []string{"https://example.com"}, AllowMethods: []string{"PUT"}, AllowHeaders: []string{secLongHeader}}
}

// secLongestHeader is an allowed header name of the longest length
// gincors accepts, 256 bytes.
var secLongestHeader = "x-" + strings.Repeat("a", maxRequestHeaderNameLength-2)

func secLongestHeaderConfig() Config {
	return Config{AllowOrigins: []string{"https://example.com"}, AllowMethods: []string{"PUT"}, AllowHeaders: []string{secLongestHeader}}
}

func secAnyHeaderConfig() Config {
	return Config{AllowOrigins: []string{"https://example.com"}, AllowMethods: []string{"PUT"}, AllowHeaders: []string{"*"}, AllowCredentials: true}
}

func secAdversarialCases() []secAdversarialCase {
	const mb = 1 << 20
	ok := "https://example.com"
	pre := func(acrh ...string) http.Header {
		return http.Header{"Origin": {ok}, "Access-Control-Request-Method": {"PUT"}, "Access-Control-Request-Headers": acrh}
	}
	return []secAdversarialCase{
		{"1 MB ACRH of commas", secCredentialedConfig, "OPTIONS", pre(strings.Repeat(",", mb)), 403, "", false},
		{"1 MB ACRH of spaces and tabs", secCredentialedConfig, "OPTIONS", pre(strings.Repeat(" \t", mb/2)), 403, "", false},
		{"1 MB ACRH of allowed names", secCredentialedConfig, "OPTIONS", pre(strings.Repeat("content-type,", mb/13)), 403, "", false},
		{"1 MB ACRH of one unknown name", secCredentialedConfig, "OPTIONS", pre(strings.Repeat("x", mb)), 403, "", false},
		{"1 MB ACRH of one name with AllowHeaders star", secAnyHeaderConfig, "OPTIONS", pre("x-" + strings.Repeat("a", mb)), 403, "", false},
		{"1 MB ACRH of invalid bytes", secCredentialedConfig, "OPTIONS", pre(strings.Repeat("\x00", mb)), 403, "", false},
		{"10 000 ACRH lines of one name", secCredentialedConfig, "OPTIONS", pre(secRepeat("content-type", 10000)...), 403, "", false},
		{"10 000 empty ACRH lines", secCredentialedConfig, "OPTIONS", pre(secRepeat("", 10000)...), 403, "", false},
		{"10 000 ACRH lines with AllowHeaders star", secAnyHeaderConfig, "OPTIONS", pre(secRepeat("x-a", 10000)...), 403, "", false},
		// Upper case sends every name to the folded lookup, 40 bytes
		// long so that no stack buffer of Go's string conversion fits it.
		{"100 upper-case allowed names of 40 bytes", secLongHeaderConfig, "OPTIONS", pre(strings.Repeat(strings.ToUpper(secLongHeader)+",", 100), "x-b"), 403, "", false},
		{"100 upper-case allowed names of 256 bytes", secLongestHeaderConfig, "OPTIONS", pre(strings.Repeat(strings.ToUpper(secLongestHeader)+",", 100), "x-b"), 403, "", false},
		{"10 000 Origin lines on an actual request", secCredentialedConfig, "GET", http.Header{"Origin": secRepeat(ok, 10000)}, 200, "", true},
		{"10 000 Origin lines on a preflight", secCredentialedConfig, "OPTIONS", http.Header{"Origin": secRepeat(ok, 10000), "Access-Control-Request-Method": {"PUT"}}, 403, "", false},
		{"10 000 ACRM lines", secCredentialedConfig, "OPTIONS", http.Header{"Origin": {ok}, "Access-Control-Request-Method": secRepeat("PUT", 10000)}, 403, "", false},
		{"1 MB ACRM", secCredentialedConfig, "OPTIONS", http.Header{"Origin": {ok}, "Access-Control-Request-Method": {strings.Repeat("P", mb)}}, 403, "", false},
		{"64 KB origin on an actual request", secCredentialedConfig, "GET", secOrigin("https://" + strings.Repeat("a", 64<<10) + ".example.com"), 200, "", true},
		{"64 KB origin on a preflight", secCredentialedConfig, "OPTIONS", secPreflight("https://"+strings.Repeat("a", 64<<10)+".example.com", "PUT"), 403, "", false},
		{"1 MB origin of dots", secCredentialedConfig, "GET", secOrigin("https://" + strings.Repeat(".", mb) + "example.com"), 200, "", true},
		{"origin with NUL", secCredentialedConfig, "GET", secOrigin("https://example.com\x00"), 200, "", true},
		{"origin with control characters", secCredentialedConfig, "GET", secOrigin("https://exam\x01ple.com"), 200, "", true},
		{"origin with spaces", secCredentialedConfig, "GET", secOrigin(" https://example.com "), 200, "", true},
		{"origin with percent-encoding", secCredentialedConfig, "GET", secOrigin("https://example%2ecom"), 200, "", true},
		{"origin with a unicode host", secCredentialedConfig, "GET", secOrigin("https://bücher.example"), 200, "", true},
		{"origin with a punycode host", secCredentialedConfig, "GET", secOrigin("https://xn--bcher-kva.example"), 200, "https://xn--bcher-kva.example", true},
		{"origin with an ipv6 literal", secCredentialedConfig, "GET", secOrigin("http://[::1]:8080"), 200, "http://[::1]:8080", true},
		{"origin null", secCredentialedConfig, "GET", secOrigin("null"), 200, "", true},
		{"origin with port 0", secCredentialedConfig, "GET", secOrigin("http://localhost:0"), 200, "", true},
		{"origin with port 65536", secCredentialedConfig, "GET", secOrigin("http://localhost:65536"), 200, "", true},
		{"origin with a 1 MB port", secCredentialedConfig, "GET", secOrigin("http://localhost:" + strings.Repeat("9", mb)), 200, "", true},
	}
}

// secServeFunc returns a function that serves c once more with a reusable
// writer and request, after checking the answer once.
func secServeFunc(t testing.TB, c secAdversarialCase) func() {
	t.Helper()
	srv := secNewServer(t, c.cfg())
	req := secRequest{method: c.method, header: c.header}.build()
	w := &discardWriter{h: http.Header{}}
	serve := func() {
		clear(w.h)
		srv.ran = 0
		srv.engine.ServeHTTP(w, req)
	}
	serve()
	require.Equal(t, c.status, w.status, "status")
	if c.acao == "" {
		require.Empty(t, w.h.Values(headerAllowOrigin))
	} else {
		require.Equal(t, []string{c.acao}, w.h.Values(headerAllowOrigin))
	}
	require.Equal(t, c.handler, srv.ran > 0, "handler ran")
	return serve
}

// secWriter is a reusable http.ResponseWriter.

// secBytesPerRun returns the bytes allocated by one run of f, averaged.
func secBytesPerRun(runs int, f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / uint64(runs)
}

// TestSecurityAdversarialInputs gives every hostile input its defined
// answer and shows that the middleware does not allocate in proportion to
// it: at most a few small allocations whatever the input's size.
func TestSecurityAdversarialInputs(t *testing.T) {
	for _, c := range secAdversarialCases() {
		t.Run(c.name, func(t *testing.T) {
			serve := secServeFunc(t, c)
			if raceEnabled {
				return // the race detector allocates
			}
			assert.LessOrEqual(t, testing.AllocsPerRun(50, serve), 2.0, "allocations per request")
			assert.Less(t, secBytesPerRun(50, serve), uint64(1024), "bytes allocated per request")
		})
	}
}

// BenchmarkAdversarial reports time and allocations per hostile request.
func BenchmarkAdversarial(b *testing.B) {
	for _, c := range secAdversarialCases() {
		b.Run(c.name, func(b *testing.B) {
			serve := secServeFunc(b, c)
			b.ReportAllocs()
			for b.Loop() {
				serve()
			}
		})
	}
}

// ---------------------------------------------------------------------------
// Regressions for what the fuzzers and these tests found.

// TestSecurityRegressionWildcardPublicSuffixRule: "https://*.kawasaki.jp"
// with credentials was accepted because "kawasaki.jp" is not itself a
// public suffix, yet the rule "*.kawasaki.jp" makes every name below it one,
// so anyone could own a matching origin. Found by FuzzValidate.
func TestSecurityRegressionWildcardPublicSuffixRule(t *testing.T) {
	err := Config{AllowOrigins: []string{"https://*.kawasaki.jp"}, AllowCredentials: true}.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"kawasaki.jp" is a public suffix`)
	// The exception "!city.kawasaki.jp" is registrable: its subdomains are
	// its owner's.
	assert.NoError(t, Config{AllowOrigins: []string{"https://*.city.kawasaki.jp"}, AllowCredentials: true}.Validate())
}

// TestSecurityRegressionCredentialedLibraryMatchers: the refusals of
// AllowOrigins and AllowOriginRegexps with credentials did not apply to the
// same patterns given through OriginMatcher with ExactOrigins,
// WildcardOrigins, RegexpOrigins or AnyOf, so
// OriginMatcher: RegexpOrigins("https://.*") with AllowCredentials reflected
// every origin with credentials. Found by TestSecurityDangerousConfigsAreRefused's
// review of every origin source.
func TestSecurityRegressionCredentialedLibraryMatchers(t *testing.T) {
	mustMatcher := func(m OriginMatcher, err error) OriginMatcher {
		require.NoError(t, err)
		return m
	}
	safe := mustMatcher(ExactOrigins("https://app.example.com"))
	cases := []struct {
		name    string
		matcher OriginMatcher
		want    []string
		optIn   func(*Config)
	}{
		{
			name:    "RegexpOrigins matching an attacker origin",
			matcher: mustMatcher(RegexpOrigins(`https://.*`)),
			want:    []string{"gincors: OriginMatcher (RegexpOrigins)", `matches "https://attacker.com"`, "with AllowCredentials"},
		},
		{
			name:    "RegexpOrigins inside AnyOf",
			matcher: AnyOf(safe, mustMatcher(RegexpOrigins(`https://(app\.)?example\.com.*`))),
			want:    []string{"gincors: OriginMatcher (RegexpOrigins)", `matches "https://example.com.attacker.com"`},
		},
		{
			name:    "WildcardOrigins on a public suffix",
			matcher: mustMatcher(WildcardOrigins("https://*.github.io")),
			want:    []string{`gincors: OriginMatcher (WildcardOrigins) "https://*.github.io"`, `"github.io" is a public suffix`, "DangerouslyAllowPublicSuffixWildcards"},
			optIn:   func(c *Config) { c.DangerouslyAllowPublicSuffixWildcards = true },
		},
		{
			name:    "ExactOrigins with plain http",
			matcher: AnyOf(safe, mustMatcher(ExactOrigins("http://app.example.com"))),
			want:    []string{`gincors: OriginMatcher (ExactOrigins) "http://app.example.com"`, "plain-http origin", "DangerouslyAllowInsecureOrigins"},
			optIn:   func(c *Config) { c.DangerouslyAllowInsecureOrigins = true },
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{OriginMatcher: tc.matcher, AllowCredentials: true}
			err := cfg.Validate()
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			cfg.AllowCredentials = false
			assert.NoError(t, cfg.Validate(), "the same matcher is fine without credentials")
			if tc.optIn != nil {
				cfg.AllowCredentials = true
				tc.optIn(&cfg)
				assert.NoError(t, cfg.Validate(), "the Dangerously opt-in applies to OriginMatcher too")
			}
		})
	}
	assert.NoError(t, Config{OriginMatcher: AnyOf(safe, mustMatcher(WildcardOrigins("https://*.example.com")),
		mustMatcher(RegexpOrigins(`https://(www|app)\.example\.com`))), AllowCredentials: true}.Validate())
}

// TestSecurityRegressionBracketedHostMustBeIPv6: origin.Parse accepted any
// bracketed run of hex digits, colons and dots, such as "https://[00]" or
// "https://[:::]", so AllowOriginFunc, OriginMatcher and regexps were
// handed origins that are not well formed, against their documented
// contract. Found by FuzzParse (internal/origin/testdata/fuzz/FuzzParse).
func TestSecurityRegressionBracketedHostMustBeIPv6(t *testing.T) {
	var seen []string
	srv := secNewServer(t, Config{
		AllowOriginFunc:  func(o string) bool { seen = append(seen, o); return true },
		AllowCredentials: true,
		// The function allows everything, to see what reaches it; the
		// check at New would refuse it and add its questions to seen.
		DangerouslySkipOriginFuncCheck: true,
	})
	cases := []struct {
		origin  string
		allowed bool
	}{
		{"https://[00]", false},
		{"https://[:::]", false},
		{"https://[1.2.3.4]", false},
		{"https://[::1]", true},
		{"https://[::ffff:102:304]:8443", true},
		{"https://[2001:db8::1]", true},
	}
	for _, tc := range cases {
		t.Run(tc.origin, func(t *testing.T) {
			seen = nil
			res := srv.serve(secRequest{header: secOrigin(tc.origin)})
			if tc.allowed {
				assert.Equal(t, []string{tc.origin}, seen)
				assert.Equal(t, []string{tc.origin}, res.header.Values(headerAllowOrigin))
				return
			}
			assert.Empty(t, seen, "AllowOriginFunc must not see a malformed origin")
			assert.Empty(t, res.header.Values(headerAllowOrigin))
		})
	}
}

// TestSecurityRegressionNestedPublicSuffix pins issue 8 §3: under
// "https://*.amazonaws.com", s3.amazonaws.com is itself a public suffix,
// so anyone can own attacker.s3.amazonaws.com. With credentials or private
// network access such a match is refused at request time; without them,
// or with DangerouslyAllowPublicSuffixWildcards, it stands.
func TestSecurityRegressionNestedPublicSuffix(t *testing.T) {
	const attacker, own = "https://attacker.s3.amazonaws.com", "https://www.amazonaws.com"
	credentialed := Config{AllowOrigins: []string{"https://*.amazonaws.com"}, AllowCredentials: true}
	credentialedRegexp := Config{AllowOriginRegexps: []string{`https://[a-z0-9.-]+\.amazonaws\.com`}, AllowCredentials: true}
	optedIn := credentialed
	optedIn.DangerouslyAllowPublicSuffixWildcards = true
	privateNetwork := Config{AllowOrigins: []string{"https://*.amazonaws.com"}, AllowPrivateNetwork: true}
	public := Config{AllowOrigins: []string{"https://*.amazonaws.com"}}
	credHeaders := func(o string) http.Header {
		return http.Header{headerAllowOrigin: {o}, headerAllowCredentials: {"true"}, "Vary": {"Origin"}}
	}
	cases := []struct {
		name string
		cfg  Config
		req  secRequest
		want secResult
	}{
		{"credentialed wildcard refuses a host under a nested suffix", credentialed,
			secRequest{header: secOrigin(attacker)}, secResult{200, http.Header{"Vary": {"Origin"}}, true}},
		{"credentialed wildcard allows the domain's own subdomain", credentialed,
			secRequest{header: secOrigin(own)}, secResult{200, credHeaders(own), true}},
		{"credentialed regexp refuses a host under a nested suffix", credentialedRegexp,
			secRequest{header: secOrigin(attacker)}, secResult{200, http.Header{"Vary": {"Origin"}}, true}},
		{"credentialed regexp allows the domain's own subdomain", credentialedRegexp,
			secRequest{header: secOrigin(own)}, secResult{200, credHeaders(own), true}},
		{"a host the regexp spells out is listed, not wildcarded", Config{AllowOriginRegexps: []string{`https://([a-z]+\.amazonaws\.com|mybucket\.s3\.amazonaws\.com)`}, AllowCredentials: true},
			secRequest{header: secOrigin("https://mybucket.s3.amazonaws.com")}, secResult{200, credHeaders("https://mybucket.s3.amazonaws.com"), true}},
		{"the public-suffix opt-in allows it", optedIn,
			secRequest{header: secOrigin(attacker)}, secResult{200, credHeaders(attacker), true}},
		{"a private-network preflight from under a nested suffix is refused", privateNetwork,
			secRequest{method: "OPTIONS", header: secPreflight(attacker, "GET", "Access-Control-Request-Private-Network", "true")}, secResult{403, http.Header{}, false}},
		{"without credentials or private network access it is allowed", public,
			secRequest{header: secOrigin(attacker)}, secResult{200, http.Header{headerAllowOrigin: {attacker}, "Vary": {"Origin"}}, true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := secNewServer(t, tc.cfg).serve(tc.req)
			got.header = secCORS(got.header)
			assert.Equal(t, tc.want, got)
		})
	}
}
