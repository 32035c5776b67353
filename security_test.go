package gincors

// Tests of the security guarantees stated in SECURITY.md, of the refused
// dangerous configurations, and of hostile input. Every request goes
// through the one harness (helpers_test.go): a real gin.Engine whose
// handler answers every method and every unrouted path, so that "the
// handler did not run" always means gincors stopped the request.

import (
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ---------------------------------------------------------------------------
// Adapters kept for the configuration tests below that issue 19 owns
// (TestSecurityCredentialedConfigsRejectAttackerOrigins,
// TestSecurityDangerousConfigsAreRefused, TestSecurityRegressionNestedPublicSuffix),
// so that their bodies stay as they were written. They are not a second
// harness: secServer is a testServer with withEveryRoute, and secResult
// is a result under the names those tests use. New tests use testServer
// and request directly.

// secServer is newTestServer(cfg, withEveryRoute()) bound to its test.
type secServer struct {
	*testServer
	t testing.TB
}

func secNewServer(t testing.TB, cfg Config) *secServer {
	t.Helper()
	require.NoError(t, cfg.Validate())
	return &secServer{newTestServer(t, cfg, withEveryRoute()), t}
}

// secRequest is a request with its header lines as an http.Header.
type secRequest struct {
	method string
	path   string
	header http.Header
}

// secResult is a result: the status, the Access-Control-* and Vary
// lines, and whether the handler ran.
type secResult struct {
	status int
	header http.Header
	ran    bool
}

func (s *secServer) serve(r secRequest) secResult {
	s.t.Helper()
	req := request{method: r.method, path: r.path}
	for name, values := range r.header {
		for _, v := range values {
			req.lines = append(req.lines, [2]string{name, v})
		}
	}
	got := s.testServer.serve(s.t, req)
	return secResult{got.status, got.cors, got.handlerRan}
}

// secCORS returns the CORS headers and Vary of h.
func secCORS(h http.Header) http.Header { return pick(h) }

func secOrigin(origins ...string) http.Header { return http.Header{"Origin": origins} }

func secPreflight(origin, method string, extra ...string) http.Header {
	h := http.Header{"Origin": {origin}, "Access-Control-Request-Method": {method}}
	for i := 0; i+1 < len(extra); i += 2 {
		h[http.CanonicalHeaderKey(extra[i])] = append(h[http.CanonicalHeaderKey(extra[i])], extra[i+1])
	}
	return h
}

// End of the adapters.
// ---------------------------------------------------------------------------

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

// What secCredentialedConfig answers: an actual request from an allowed
// origin, one from any other, a preflight for PUT from an allowed origin.
func secCredentialedActual(origin string) http.Header {
	return hdr(headerAllowOrigin, origin, headerAllowCredentials, "true", headerExposeHeaders, "X-Request-Id", "Vary", "Origin")
}

var secRefusedActual = hdr("Vary", "Origin")

func secCredentialedPreflight(origin string) http.Header {
	return hdr(headerAllowOrigin, origin, headerAllowCredentials, "true", headerAllowMethods, "GET, POST, PUT, DELETE",
		headerAllowHeaders, "Content-Type, X-Requested-With, Authorization", headerMaxAge, "3600")
}

// securityServer is the server the security tests run against.
func securityServer(t testing.TB, cfg Config) *testServer {
	t.Helper()
	return newTestServer(t, cfg, withEveryRoute())
}

// ---------------------------------------------------------------------------
// Guarantee 1: Access-Control-Allow-Origin is "*" or the exact allowed
// request origin.

func TestSecurityAllowOriginIsExactAllowedOrigin(t *testing.T) {
	s := securityServer(t, secCredentialedConfig())
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
			wantActual := result{200, secRefusedActual, true}
			wantPreflight := result{statusPreflightRefused, hdr(), false}
			if tc.allowed {
				wantActual.cors = secCredentialedActual(tc.origin)
				wantPreflight = result{204, secCredentialedPreflight(tc.origin), false}
			}
			assert.Equal(t, wantActual, s.serve(t, request{lines: lines("Origin", tc.origin)}), "actual request")
			assert.Equal(t, wantPreflight, s.serve(t, preflightReq(tc.origin, "PUT")), "preflight")
		})
	}
}

func TestSecurityAllowOriginNeverComesFromOtherHeaders(t *testing.T) {
	s := securityServer(t, secCredentialedConfig())
	spoof := lines(
		"Referer", "https://example.com/page",
		"X-Forwarded-Host", "example.com",
		"X-Forwarded-Proto", "https",
		"Forwarded", "host=example.com;proto=https",
		"X-Origin", "https://example.com",
		"Sec-Fetch-Site", "same-origin",
	)
	cases := []struct {
		name   string
		origin [][2]string
		host   string
	}{
		{"no Origin", nil, "example.com"},
		{"refused Origin while Host equals an allowed origin's host", lines("Origin", "https://evil.invalid"), "example.com"},
		{"two Origin lines, the first allowed", lines("Origin", "https://example.com", "Origin", "https://evil.invalid"), "api.example.com"},
		{"two Origin lines, both allowed", lines("Origin", "https://example.com", "Origin", "https://example.com"), "api.example.com"},
		{"lower-case origin header key", lines("origin", "https://example.com"), "api.example.com"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := s.serve(t, request{host: tc.host, lines: append(append([][2]string(nil), spoof...), tc.origin...)})
			assert.Equal(t, result{200, secRefusedActual, true}, got)
		})
	}
}

// ---------------------------------------------------------------------------
// Guarantee 2: credentials never with "*", never for an arbitrary origin.

func TestSecurityCredentialsNeverWithStar(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		req  request
		want result
	}{
		{"star actual request", Config{AllowOrigins: []string{"*"}},
			request{lines: lines("Origin", "https://evil.invalid")},
			result{200, hdr(headerAllowOrigin, "*"), true}},
		{"star preflight", Config{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}, AllowHeaders: []string{"*"}},
			preflightReq("https://evil.invalid", "PURGE", headerRequestHeaders, "x-a"),
			result{204, hdr(headerAllowOrigin, "*", headerAllowMethods, "*", headerAllowHeaders, "*"), false}},
		{"star with a request that sends cookies", Config{AllowOrigins: []string{"*"}},
			request{lines: lines("Origin", "https://evil.invalid", "Cookie", "session=1", "Authorization", "Bearer x")},
			result{200, hdr(headerAllowOrigin, "*"), true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, securityServer(t, tc.cfg).serve(t, tc.req))
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
	got := securityServer(t, cfg).serve(t, preflightReq("https://app.example.com", "PURGE", headerRequestHeaders, "x-a, x-b"))
	assert.Equal(t, result{204, http.Header{
		"Access-Control-Allow-Origin":      {"https://app.example.com"},
		"Access-Control-Allow-Credentials": {"true"},
		"Access-Control-Allow-Methods":     {"PURGE"},
		"Access-Control-Allow-Headers":     {"x-a, x-b"},
	}, false}, got)
}

// TestSecurityStarHeadersNeverCoverAuthorization pins issue 8 §4 from both
// sides: "*" alone refuses Authorization, as the Fetch standard says, and
// "*" with "Authorization" allows it and names it in the answer, so the
// answer stays right in a browser that enforces the rule.
func TestSecurityStarHeadersNeverCoverAuthorization(t *testing.T) {
	cases := []struct {
		name  string
		allow []string
		want  result
	}{
		{"* alone refuses Authorization", []string{"*"}, result{statusPreflightRefused, hdr(), false}},
		{"* with Authorization allows it and names it", []string{"*", "Authorization"},
			result{204, hdr(headerAllowOrigin, "*", headerAllowHeaders, "*, Authorization"), false}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := securityServer(t, Config{AllowOrigins: []string{"*"}, AllowHeaders: tc.allow})
			got := s.serve(t, preflightReq("https://a.example", "GET", headerRequestHeaders, "x-a, Authorization"))
			assert.Equal(t, tc.want, got)
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
		{"library matchers", Config{AllowOriginMatcher: AnyOf(exact, wild, res)}},
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
	const app = "https://app.example.com"
	cfg := Config{
		AllowOrigins:        []string{app},
		AllowMethods:        []string{"PUT"},
		AllowHeaders:        []string{"X-A"},
		AllowPrivateNetwork: true,
	}
	allowed := hdr(headerAllowOrigin, app, headerAllowMethods, "PUT", headerAllowHeaders, "X-A")
	refused := result{statusPreflightRefused, hdr(), false}
	cases := []struct {
		name string
		req  request
		want result
	}{
		{"allowed preflight", preflightReq(app, "PUT"), result{204, allowed, false}},
		{"allowed preflight to an unrouted path", request{method: http.MethodOptions, path: "/nowhere", lines: lines("Origin", app, headerRequestMethod, "PUT")}, result{204, allowed, false}},
		{"refused origin", preflightReq("https://evil.invalid", "PUT"), refused},
		{"refused method", preflightReq(app, "DELETE"), refused},
		{"lower-case method is a different method", preflightReq(app, "put"), refused},
		{"refused header", preflightReq(app, "PUT", headerRequestHeaders, "x-b"), refused},
		{"malformed header list", preflightReq(app, "PUT", headerRequestHeaders, "x-a x-a"), refused},
		{"empty method", preflightReq(app, ""), refused},
		{"two method lines", request{method: http.MethodOptions, lines: lines("Origin", app, headerRequestMethod, "PUT", headerRequestMethod, "PUT")}, refused},
		{"two origin lines", request{method: http.MethodOptions, lines: lines("Origin", app, "Origin", app, headerRequestMethod, "PUT")}, refused},
		{"empty origin", preflightReq("", "PUT"), refused},
		{"private network allowed", preflightReq(app, "PUT", headerRequestPrivateNetwork, "true"),
			result{204, hdr(headerAllowOrigin, app, headerAllowMethods, "PUT", headerAllowHeaders, "X-A", headerAllowPrivateNetwork, "true"), false}},
	}
	s := securityServer(t, cfg)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, s.serve(t, tc.req))
		})
	}
}

func TestSecurityOptionsPassthroughReachesHandler(t *testing.T) {
	const app = "https://app.example.com"
	s := securityServer(t, Config{AllowOrigins: []string{app}, OptionsPassthrough: true})
	cases := []struct {
		name   string
		origin string
		want   result
	}{
		{"allowed origin", app, result{200, hdr(headerAllowOrigin, app), true}},
		{"refused origin", "https://evil.invalid", result{200, hdr(), true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, s.serve(t, preflightReq(tc.origin, "GET")))
		})
	}
}

func TestSecurityActualRequestAlwaysReachesHandler(t *testing.T) {
	const ok, evil = "https://example.com", "https://evil.invalid"
	s := securityServer(t, secCredentialedConfig())
	cases := []struct {
		name string
		req  request
		want http.Header
	}{
		{"GET without Origin", request{method: "GET"}, secRefusedActual},
		{"GET from a refused origin", request{method: "GET", lines: lines("Origin", evil)}, secRefusedActual},
		{"POST from an allowed origin", request{method: "POST", lines: lines("Origin", ok)}, secCredentialedActual(ok)},
		{"OPTIONS without Access-Control-Request-Method", request{method: "OPTIONS", lines: lines("Origin", ok)}, secCredentialedActual(ok)},
		{"OPTIONS with the method but no Origin", request{method: "OPTIONS", lines: lines(headerRequestMethod, "PUT")}, secRefusedActual},
		{"unknown method", request{method: "BREW", lines: lines("Origin", ok)}, secCredentialedActual(ok)},
		{"lower-case options is not a preflight", request{method: "options", lines: lines("Origin", ok, headerRequestMethod, "PUT")}, secCredentialedActual(ok)},
		{"unrouted path", request{method: "GET", path: "/nowhere", lines: lines("Origin", evil)}, secRefusedActual},
		{"10 000 Origin lines", request{method: "GET", lines: repeatedLine("Origin", ok, 10000)}, secRefusedActual},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, result{200, tc.want, true}, s.serve(t, tc.req))
		})
	}
}

// TestSecurityRefusedPreflightRevealsNothing pins what a refused preflight
// tells a prober: the same 403 with no CORS header and no body whatever the
// check that failed, so the policy cannot be enumerated from the answers.
func TestSecurityRefusedPreflightRevealsNothing(t *testing.T) {
	const app = "https://app.example.com"
	cfg := Config{
		AllowOrigins:     []string{app},
		AllowCredentials: true,
		AllowMethods:     []string{"PUT"},
		AllowHeaders:     []string{"X-A"},
		MaxAge:           time.Hour,
	}
	s := securityServer(t, cfg)
	cases := []struct {
		name string
		req  request
	}{
		{"origin", preflightReq("https://evil.invalid", "PUT")},
		{"method", preflightReq(app, "DELETE")},
		{"headers", preflightReq(app, "PUT", headerRequestHeaders, "x-b")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, body := s.serveWithBody(t, tc.req)
			assert.Equal(t, result{statusPreflightRefused, hdr(), false}, got)
			assert.Empty(t, body)
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

// secAdversarialCase is a hostile request with its defined answer.
type secAdversarialCase struct {
	name string
	cfg  func() Config
	req  request
	want result
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
	pre := func(acrh ...[2]string) request {
		return request{method: http.MethodOptions, lines: append(lines("Origin", ok, headerRequestMethod, "PUT"), acrh...)}
	}
	acrh := func(values ...string) [][2]string {
		var ls [][2]string
		for _, v := range values {
			ls = append(ls, [2]string{headerRequestHeaders, v})
		}
		return ls
	}
	get := func(origin string) request { return request{method: http.MethodGet, lines: lines("Origin", origin)} }
	refusedPreflight := result{statusPreflightRefused, hdr(), false}
	refusedActual := result{200, secRefusedActual, true}
	return []secAdversarialCase{
		{"1 MB ACRH of commas", secCredentialedConfig, pre(acrh(strings.Repeat(",", mb))...), refusedPreflight},
		{"1 MB ACRH of spaces and tabs", secCredentialedConfig, pre(acrh(strings.Repeat(" \t", mb/2))...), refusedPreflight},
		{"1 MB ACRH of allowed names", secCredentialedConfig, pre(acrh(strings.Repeat("content-type,", mb/13))...), refusedPreflight},
		{"1 MB ACRH of one unknown name", secCredentialedConfig, pre(acrh(strings.Repeat("x", mb))...), refusedPreflight},
		{"1 MB ACRH of one name with AllowHeaders star", secAnyHeaderConfig, pre(acrh("x-" + strings.Repeat("a", mb))...), refusedPreflight},
		{"1 MB ACRH of invalid bytes", secCredentialedConfig, pre(acrh(strings.Repeat("\x00", mb))...), refusedPreflight},
		{"10 000 ACRH lines of one name", secCredentialedConfig, pre(repeatedLine(headerRequestHeaders, "content-type", 10000)...), refusedPreflight},
		{"10 000 empty ACRH lines", secCredentialedConfig, pre(repeatedLine(headerRequestHeaders, "", 10000)...), refusedPreflight},
		{"10 000 ACRH lines with AllowHeaders star", secAnyHeaderConfig, pre(repeatedLine(headerRequestHeaders, "x-a", 10000)...), refusedPreflight},
		// Upper case makes every name go through lower-casing before the
		// lookup, 40 and 256 bytes long so that no stack buffer of Go's
		// string conversion fits it.
		{"100 upper-case allowed names of 40 bytes", secLongHeaderConfig, pre(acrh(strings.Repeat(strings.ToUpper(secLongHeader)+",", 100), "x-b")...), refusedPreflight},
		{"100 upper-case allowed names of 256 bytes", secLongestHeaderConfig, pre(acrh(strings.Repeat(strings.ToUpper(secLongestHeader)+",", 100), "x-b")...), refusedPreflight},
		{"10 000 Origin lines on an actual request", secCredentialedConfig, request{method: http.MethodGet, lines: repeatedLine("Origin", ok, 10000)}, refusedActual},
		{"10 000 Origin lines on a preflight", secCredentialedConfig,
			request{method: http.MethodOptions, lines: append(repeatedLine("Origin", ok, 10000), [2]string{headerRequestMethod, "PUT"})}, refusedPreflight},
		{"10 000 ACRM lines", secCredentialedConfig,
			request{method: http.MethodOptions, lines: append(lines("Origin", ok), repeatedLine(headerRequestMethod, "PUT", 10000)...)}, refusedPreflight},
		{"1 MB ACRM", secCredentialedConfig, request{method: http.MethodOptions, lines: lines("Origin", ok, headerRequestMethod, strings.Repeat("P", mb))}, refusedPreflight},
		{"64 KB origin on an actual request", secCredentialedConfig, get("https://" + strings.Repeat("a", 64<<10) + ".example.com"), refusedActual},
		{"64 KB origin on a preflight", secCredentialedConfig, preflightReq("https://"+strings.Repeat("a", 64<<10)+".example.com", "PUT"), refusedPreflight},
		{"1 MB origin of dots", secCredentialedConfig, get("https://" + strings.Repeat(".", mb) + "example.com"), refusedActual},
		{"origin with NUL", secCredentialedConfig, get("https://example.com\x00"), refusedActual},
		{"origin with control characters", secCredentialedConfig, get("https://exam\x01ple.com"), refusedActual},
		{"origin with spaces", secCredentialedConfig, get(" https://example.com "), refusedActual},
		{"origin with percent-encoding", secCredentialedConfig, get("https://example%2ecom"), refusedActual},
		{"origin with a unicode host", secCredentialedConfig, get("https://bücher.example"), refusedActual},
		{"origin with a punycode host", secCredentialedConfig, get("https://xn--bcher-kva.example"), result{200, secCredentialedActual("https://xn--bcher-kva.example"), true}},
		{"origin with an ipv6 literal", secCredentialedConfig, get("http://[::1]:8080"), result{200, secCredentialedActual("http://[::1]:8080"), true}},
		{"origin null", secCredentialedConfig, get("null"), refusedActual},
		{"origin with port 0", secCredentialedConfig, get("http://localhost:0"), refusedActual},
		{"origin with port 65536", secCredentialedConfig, get("http://localhost:65536"), refusedActual},
		{"origin with a 1 MB port", secCredentialedConfig, get("http://localhost:" + strings.Repeat("9", mb)), refusedActual},
	}
}

// secServeFunc checks c's answer once through the harness and returns a
// function that serves c's request again on the same engine, with a
// reusable request and writer, as allocation counts need.
func secServeFunc(t testing.TB, s *testServer, c secAdversarialCase) func() {
	t.Helper()
	require.Equal(t, c.want, s.serve(t, c.req), "the defined answer")
	req := c.req.build(t, "http://api.test")
	w := &discardWriter{h: http.Header{}}
	return func() {
		clear(w.h)
		s.engine.ServeHTTP(w, req)
	}
}

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
			serve := secServeFunc(t, securityServer(t, c.cfg()), c)
			if raceEnabled {
				return // the race detector allocates
			}
			// The route handler's c.String allocates in Gin itself: the
			// bound is on what gincors adds to the same engine without it.
			bare := newBareServer(withEveryRoute())
			req := c.req.build(t, "http://api.test")
			w := &discardWriter{h: http.Header{}}
			baseline := testing.AllocsPerRun(50, func() { clear(w.h); bare.engine.ServeHTTP(w, req) })
			assert.LessOrEqual(t, testing.AllocsPerRun(50, serve)-baseline, 1.0, "allocations per request added to bare Gin")
			assert.Less(t, secBytesPerRun(50, serve), uint64(1024), "bytes allocated per request")
		})
	}
}

// BenchmarkAdversarial reports time and allocations per hostile request.
func BenchmarkAdversarial(b *testing.B) {
	for _, c := range secAdversarialCases() {
		b.Run(c.name, func(b *testing.B) {
			serve := secServeFunc(b, securityServer(b, c.cfg()), c)
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
// AllowOriginMatcher: RegexpOrigins("https://.*") with AllowCredentials reflected
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
			want:    []string{"gincors: AllowOriginMatcher (RegexpOrigins)", `matches "https://attacker.com"`, "with AllowCredentials"},
		},
		{
			name:    "RegexpOrigins inside AnyOf",
			matcher: AnyOf(safe, mustMatcher(RegexpOrigins(`https://(app\.)?example\.com.*`))),
			want:    []string{"gincors: AllowOriginMatcher (RegexpOrigins)", `matches "https://example.com.attacker.com"`},
		},
		{
			name:    "WildcardOrigins on a public suffix",
			matcher: mustMatcher(WildcardOrigins("https://*.github.io")),
			want:    []string{`gincors: AllowOriginMatcher (WildcardOrigins) "https://*.github.io"`, `"github.io" is a public suffix`, "DangerouslyAllowPublicSuffixWildcards"},
			optIn:   func(c *Config) { c.DangerouslyAllowPublicSuffixWildcards = true },
		},
		{
			name:    "ExactOrigins with plain http",
			matcher: AnyOf(safe, mustMatcher(ExactOrigins("http://app.example.com"))),
			want:    []string{`gincors: AllowOriginMatcher (ExactOrigins) "http://app.example.com"`, "plain-http origin", "DangerouslyAllowInsecureOrigins"},
			optIn:   func(c *Config) { c.DangerouslyAllowInsecureOrigins = true },
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{AllowOriginMatcher: tc.matcher, AllowCredentials: true}
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
	assert.NoError(t, Config{AllowOriginMatcher: AnyOf(safe, mustMatcher(WildcardOrigins("https://*.example.com")),
		mustMatcher(RegexpOrigins(`https://(www|app)\.example\.com`))), AllowCredentials: true}.Validate())
}

// TestSecurityRegressionBracketedHostMustBeIPv6: origin.Parse accepted any
// bracketed run of hex digits, colons and dots, such as "https://[00]" or
// "https://[:::]", so AllowOriginFunc, OriginMatcher and regexps were
// handed origins that are not well formed, against their documented
// contract. Found by FuzzParse (internal/origin/testdata/fuzz/FuzzParse).
func TestSecurityRegressionBracketedHostMustBeIPv6(t *testing.T) {
	var seen []string
	s := securityServer(t, Config{
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
			got := s.serve(t, request{lines: lines("Origin", tc.origin)})
			if tc.allowed {
				assert.Equal(t, []string{tc.origin}, seen)
				assert.Equal(t, result{200, hdr(headerAllowOrigin, tc.origin, headerAllowCredentials, "true", "Vary", "Origin"), true}, got)
				return
			}
			assert.Empty(t, seen, "AllowOriginFunc must not see a malformed origin")
			assert.Equal(t, result{200, secRefusedActual, true}, got)
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

// TestSecurityRegressionOptionalDotBetweenLabels pins issue 17 §2:
// `https://www\.?example\.com` with credentials was accepted, and
// reflected "https://wwwexample.com", a domain anyone can register, with
// credentials: the proof took each spelling of the host for one the user
// wrote. Now the refusal names the field, the value, the joined origin and
// the expression to paste instead; pasted, that expression grants the
// origin the user meant and not the joined one. Without credentials or
// private network access the expression still starts: nothing the
// attacker's page could read is at stake.
func TestSecurityRegressionOptionalDotBetweenLabels(t *testing.T) {
	credHeaders := func(o string) http.Header {
		return http.Header{headerAllowOrigin: {o}, headerAllowCredentials: {"true"}, "Vary": {"Origin"}}
	}
	cases := []struct {
		name     string
		expr     string
		want     []string // substrings of the refusal
		fix      string   // the expression the refusal suggests
		meant    string   // an origin the user meant
		attacker string   // the joined spelling
	}{
		{"optional dot after www", `https://www\.?example\.com`,
			[]string{`gincors: AllowOriginRegexps[0] "https://www\\.?example\\.com":`, `matches "https://wwwexample.com"`, `the "." between "www" and "example" is optional`},
			`https://www\.example\.com`, "https://www.example.com", "https://wwwexample.com"},
		{"optional dot below repeated subdomains", `https://([a-z0-9-]+\.)*app\.?example\.com`,
			[]string{`gincors: AllowOriginRegexps[0] "https://([a-z0-9-]+\\.)*app\\.?example\\.com":`, `matches "https://appexample.com"`, `the "." between "app" and "example" is optional`},
			`https://([a-z0-9-]+\.)*app\.example\.com`, "https://eu.app.example.com", "https://attacker.appexample.com"},
		{"optional dot written as an optional group", `https://www(\.)?example\.com`,
			[]string{`gincors: AllowOriginRegexps[0] "https://www(\\.)?example\\.com":`, `matches "https://wwwexample.com"`},
			`https://www\.example\.com`, "https://www.example.com", "https://wwwexample.com"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, setting := range []string{"AllowCredentials", "AllowPrivateNetwork"} {
				cfg := Config{AllowOriginRegexps: []string{tc.expr}, AllowCredentials: setting == "AllowCredentials", AllowPrivateNetwork: setting == "AllowPrivateNetwork"}
				err := cfg.Validate()
				require.Error(t, err, setting)
				for _, w := range tc.want {
					assert.Contains(t, err.Error(), w, setting)
				}
				assert.Contains(t, err.Error(), "with "+setting+", make the dot mandatory: `"+tc.fix+"`")
			}

			srv := secNewServer(t, Config{AllowOriginRegexps: []string{tc.fix}, AllowCredentials: true})
			got := srv.serve(secRequest{header: secOrigin(tc.meant)})
			got.header = secCORS(got.header)
			assert.Equal(t, secResult{200, credHeaders(tc.meant), true}, got, "the pasted fix grants the origin meant")
			got = srv.serve(secRequest{header: secOrigin(tc.attacker)})
			got.header = secCORS(got.header)
			assert.Equal(t, secResult{200, http.Header{"Vary": {"Origin"}}, true}, got, "the pasted fix grants nothing to the joined spelling")

			public := secNewServer(t, Config{AllowOriginRegexps: []string{tc.expr}})
			got = public.serve(secRequest{header: secOrigin(tc.attacker)})
			got.header = secCORS(got.header)
			assert.Equal(t, secResult{200, http.Header{headerAllowOrigin: {tc.attacker}, "Vary": {"Origin"}}, true}, got, "without credentials the expression stands as written")
		})
	}
}

// TestSecurityRegressionRefusalsSuggestWhatWasMeant pins issue 17 §4:
// `https://myapp-[a-z0-9]+-myteam\.vercel\.app` with credentials was
// rightly refused, but the refusal suggested `.*\.-myteam\.vercel\.app`,
// which was then accepted and matches no deployment at all. A refusal now
// suggests only what does what the user meant: following it, the origin
// they meant gets credentials and the one the refusal named does not. The
// cases cover each refusal the audit changed: a wildcard inside a name
// below a public suffix, a wildcard on a platform suffix, a wildcard glued
// to a registrable domain and a host that can end in anything.
func TestSecurityRegressionRefusalsSuggestWhatWasMeant(t *testing.T) {
	credHeaders := func(o string) http.Header {
		return http.Header{headerAllowOrigin: {o}, headerAllowCredentials: {"true"}, "Vary": {"Origin"}}
	}
	const deployment = "https://myapp-4f9a1c-myteam.vercel.app"
	cases := []struct {
		name     string
		expr     string
		want     []string // substrings of the refusal
		notWant  []string // suggestions it must not make
		follow   Config   // the configuration the refusal's advice leads to
		meant    string   // an origin the user meant
		attacker string   // the origin the refusal names
	}{
		{"wildcard inside a name below vercel.app", `https://myapp-[a-z0-9]+-myteam\.vercel\.app`,
			[]string{`matches "https://myapp-attacker-myteam.vercel.app"`, "directly below vercel.app", "list origins in AllowOrigins or check them against your naming rule in AllowOriginFunc"},
			[]string{`\.-myteam`, `put \.`},
			Config{AllowOrigins: []string{deployment}, AllowCredentials: true},
			deployment, "https://myapp-attacker-myteam.vercel.app"},
		{"wildcard inside a name, following AllowOriginFunc", `https://myapp-[a-z0-9]+-myteam\.vercel\.app`,
			[]string{"AllowOriginFunc"}, []string{`\.-myteam`},
			Config{AllowOriginFunc: func(o string) bool { return o == deployment }, AllowCredentials: true},
			deployment, "https://myapp-attacker-myteam.vercel.app"},
		{"any name below vercel.app", `https://.+\.vercel\.app`,
			[]string{`matches "https://attacker.vercel.app"`, `list origins in AllowOrigins (such as "https://yourapp.vercel.app")`},
			[]string{"match your own domain"},
			Config{AllowOrigins: []string{"https://myapp.vercel.app"}, AllowCredentials: true},
			"https://myapp.vercel.app", "https://attacker.vercel.app"},
		{"wildcard glued to a registrable domain", `https://.*example\.com`,
			[]string{`matches "https://evilexample.com"`, "put \\. between them: `https://.*\\.example\\.com`"},
			nil,
			Config{AllowOriginRegexps: []string{`https://.*\.example\.com`}, AllowCredentials: true},
			"https://app.example.com", "https://evilexample.com"},
		{"anything after the domain", `https://example\.com.*`,
			[]string{`matches "https://example.com.attacker.com"`, "allow a port only: `https://example\\.com(:\\d+)?`"},
			[]string{`.*\.example\.com`},
			Config{AllowOriginRegexps: []string{`https://example\.com(:\d+)?`}, AllowCredentials: true},
			"https://example.com:8443", "https://example.com.attacker.com"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Config{AllowOriginRegexps: []string{tc.expr}, AllowCredentials: true}.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), `gincors: AllowOriginRegexps[0] "`+strings.ReplaceAll(tc.expr, `\`, `\\`)+`":`)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			for _, w := range tc.notWant {
				assert.NotContains(t, err.Error(), w)
			}
			srv := secNewServer(t, tc.follow)
			got := srv.serve(secRequest{header: secOrigin(tc.meant)})
			got.header = secCORS(got.header)
			assert.Equal(t, secResult{200, credHeaders(tc.meant), true}, got, "following the advice grants the origin meant")
			got = srv.serve(secRequest{header: secOrigin(tc.attacker)})
			got.header = secCORS(got.header)
			assert.Equal(t, secResult{200, http.Header{"Vary": {"Origin"}}, true}, got, "following the advice grants nothing to the origin the refusal named")
		})
	}
}

// TestSecurityRegressionDotNextToALiteralDot pins the lone-dot part of the
// issue 17 §4 audit: `https://app.\.example\.com` was refused with the
// suggestion `https://app\.\.example\.com`, which was then accepted and
// matches no origin ("app..example.com" never parses). Next to a literal
// dot a '.' can only be a host character, so the expression is no dot
// written wrong: it starts, with and without credentials, and grants what
// it matches below example.com and nothing else.
func TestSecurityRegressionDotNextToALiteralDot(t *testing.T) {
	credHeaders := func(o string) http.Header {
		return http.Header{headerAllowOrigin: {o}, headerAllowCredentials: {"true"}, "Vary": {"Origin"}}
	}
	srv := secNewServer(t, Config{AllowOriginRegexps: []string{`https://app.\.example\.com`}, AllowCredentials: true})
	cases := []struct {
		origin string
		want   secResult
	}{
		{"https://app1.example.com", secResult{200, credHeaders("https://app1.example.com"), true}},
		{"https://appx.example.com", secResult{200, credHeaders("https://appx.example.com"), true}},
		{"https://app.example.com", secResult{200, http.Header{"Vary": {"Origin"}}, true}},
		{"https://app1.example.com.attacker.com", secResult{200, http.Header{"Vary": {"Origin"}}, true}},
	}
	for _, tc := range cases {
		t.Run(tc.origin, func(t *testing.T) {
			got := srv.serve(secRequest{header: secOrigin(tc.origin)})
			got.header = secCORS(got.header)
			assert.Equal(t, tc.want, got)
		})
	}
}
