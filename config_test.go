package gincors

import (
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each case is one refused configuration and the exact message, which
// names the field, the value and the fix.
func TestValidateRefuses(t *testing.T) {
	origins := []string{"https://a.example"}
	cases := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no origin source", Config{},
			`gincors: Config: no origin source; set AllowOrigins (such as []string{"https://app.example.com"}, or []string{"*"} for a public API), AllowOriginRegexps, AllowOriginFunc, AllowOriginWithContextFunc or OriginMatcher`},
		{"* origins with credentials", Config{AllowOrigins: []string{"*"}, AllowCredentials: true},
			`gincors: AllowOrigins[0] "*": not allowed with AllowCredentials: browsers refuse "*" on credentialed requests, and reflecting every origin instead would let any website read your users' data; list the origins that need credentials`},
		{"* origins next to other origin sources", Config{AllowOrigins: []string{"*"}, AllowOriginFunc: func(string) bool { return true }},
			`gincors: AllowOrigins[0] "*": "*" allows every origin, so the other origin settings have no effect; remove them, or remove "*"`},
		{"origin with a trailing slash", Config{AllowOrigins: []string{"https://Example.com/"}},
			`gincors: AllowOrigins[0] "https://Example.com/": an origin has no trailing slash; write "https://example.com"`},
		{"origin with a path", Config{AllowOrigins: []string{"https://example.com/api"}},
			`gincors: AllowOrigins[0] "https://example.com/api": an origin has no path; write "https://example.com"`},
		{"origin with a query", Config{AllowOrigins: []string{"https://example.com?x"}},
			`gincors: AllowOrigins[0] "https://example.com?x": an origin has no query; write "https://example.com"`},
		{"origin with a fragment", Config{AllowOrigins: []string{"https://example.com#x"}},
			`gincors: AllowOrigins[0] "https://example.com#x": an origin has no fragment; write "https://example.com"`},
		{"origin with userinfo", Config{AllowOrigins: []string{"https://user:pw@example.com"}},
			`gincors: AllowOrigins[0] "https://user:pw@example.com": an origin has no userinfo (user:password@); write "https://example.com"`},
		{"origin without a scheme", Config{AllowOrigins: []string{"example.com"}},
			`gincors: AllowOrigins[0] "example.com": missing scheme; write "https://example.com"`},
		{"wildcard without a scheme", Config{AllowOrigins: []string{"*.example.com"}},
			`gincors: AllowOrigins[0] "*.example.com": missing scheme; write "https://*.example.com"`},
		{"invalid scheme", Config{AllowOrigins: []string{"ht tp://example.com"}},
			`gincors: AllowOrigins[0] "ht tp://example.com": invalid scheme "ht tp"; a scheme is a letter followed by letters, digits, '+', '-' or '.', such as "https"`},
		{"port out of range", Config{AllowOrigins: []string{"https://example.com:99999"}},
			`gincors: AllowOrigins[0] "https://example.com:99999": port 99999 out of range; a port is a decimal number from 1 to 65535`},
		{"port 0", Config{AllowOrigins: []string{"https://example.com:0"}},
			`gincors: AllowOrigins[0] "https://example.com:0": port 0 out of range; a port is a decimal number from 1 to 65535`},
		{"port not a number", Config{AllowOrigins: []string{"https://example.com:abc"}},
			`gincors: AllowOrigins[0] "https://example.com:abc": invalid port "abc"; a port is a decimal number from 1 to 65535`},
		{"empty port", Config{AllowOrigins: []string{"https://example.com:"}},
			`gincors: AllowOrigins[0] "https://example.com:": empty port after ":"; remove the ":" or write a port such as ":8080"`},
		{"wildcard inside a label", Config{AllowOrigins: []string{"https://*example.com"}},
			`gincors: AllowOrigins[0] "https://*example.com": misplaced wildcard in host "*example.com"; a wildcard may only be a whole leading label, as in "https://*.example.com", or the port, as in "http://localhost:*"`},
		{"wildcard in a middle label", Config{AllowOrigins: []string{"https://a.*.example.com"}},
			`gincors: AllowOrigins[0] "https://a.*.example.com": misplaced wildcard in host "a.*.example.com"; a wildcard may only be a whole leading label, as in "https://*.example.com", or the port, as in "http://localhost:*"`},
		{"wildcard as the whole host", Config{AllowOrigins: []string{"https://*"}},
			`gincors: AllowOrigins[0] "https://*": misplaced wildcard in host "*"; a wildcard may only be a whole leading label, as in "https://*.example.com", or the port, as in "http://localhost:*"`},
		{"wildcard port spelled wrong", Config{AllowOrigins: []string{"http://localhost:80*"}},
			`gincors: AllowOrigins[0] "http://localhost:80*": invalid port "80*"; a wildcard port is written ":*"`},
		{"wildcard subdomain of an IP address", Config{AllowOrigins: []string{"https://*.1.2.3.4"}},
			`gincors: AllowOrigins[0] "https://*.1.2.3.4": an IP address has no subdomains; remove the "*."`},
		{"IPv4 address with a leading zero", Config{AllowOrigins: []string{"https://1.2.3.04"}},
			`gincors: AllowOrigins[0] "https://1.2.3.04": invalid IPv4 address "1.2.3.04"; write four decimal numbers from 0 to 255 without leading zeros, such as "127.0.0.1"`},
		{"unclosed IPv6 literal", Config{AllowOrigins: []string{"https://[::1"}},
			`gincors: AllowOrigins[0] "https://[::1": unclosed IPv6 literal "[::1"; write it as "[::1]"`},
		{"host with a space", Config{AllowOrigins: []string{"https://exa mple.com"}},
			`gincors: AllowOrigins[0] "https://exa mple.com": invalid host "exa mple.com"; a host is a domain name such as "example.com", an IPv4 address or a bracketed IPv6 address`},
		{"host with a trailing dot", Config{AllowOrigins: []string{"https://example.com."}},
			`gincors: AllowOrigins[0] "https://example.com.": invalid host "example.com."; remove the trailing dot`},
		{"empty origin", Config{AllowOrigins: []string{""}},
			`gincors: AllowOrigins[0]: empty origin; write a scheme and a host, such as "https://example.com"`},
		{"null origin", Config{AllowOrigins: []string{"null"}},
			`gincors: AllowOrigins[0] "null": the "null" origin is sent by sandboxed iframes and data: and file: documents, which any site can create; allowing it allows everyone (set DangerouslyAllowNullOrigin if you must)`},
		{"file origin", Config{AllowOrigins: []string{"file:///etc"}},
			`gincors: AllowOrigins[0] "file:///etc": file: pages send "Origin: null", not a file origin; serve the page over http(s) instead`},
		{"public suffix wildcard with credentials", Config{AllowOrigins: []string{"https://*.github.io"}, AllowCredentials: true},
			`gincors: AllowOrigins[0] "https://*.github.io": "github.io" is a public suffix, where anyone can register a subdomain, and AllowCredentials is set; list your own subdomains, or set DangerouslyAllowPublicSuffixWildcards`},
		{"plain-http origin with credentials", Config{AllowOrigins: []string{"http://app.example.com"}, AllowCredentials: true},
			`gincors: AllowOrigins[0] "http://app.example.com": plain-http origin with AllowCredentials: anyone on the network path can impersonate it and read your users' data; use "https://app.example.com", or set DangerouslyAllowInsecureOrigins`},
		{"regexp that does not compile", Config{AllowOriginRegexps: []string{"https://(a"}},
			"gincors: AllowOriginRegexps[0] \"https://(a\": does not compile: error parsing regexp: missing closing ): `https://(a`"},
		{"empty regexp", Config{AllowOriginRegexps: []string{""}},
			`gincors: AllowOriginRegexps[0]: empty expression; it would match nothing`},
		{"regexp whose host can end in anything, with credentials", Config{AllowOriginRegexps: []string{`https://.*example\.com.*`}, AllowCredentials: true},
			`gincors: AllowOriginRegexps[0] "https://.*example\\.com.*": matches "https://evilexample.com", which is not below example.com: nothing separates the wildcard from the domain; with AllowCredentials, put \. between them (such as .*\.example\.com) or list origins in AllowOrigins`},
		{"regexp without a host boundary before the domain, with credentials", Config{AllowOriginRegexps: []string{`https://.*example\.com`}, AllowCredentials: true},
			"gincors: AllowOriginRegexps[0] \"https://.*example\\\\.com\": matches \"https://evilexample.com\", which is not below example.com: nothing separates the wildcard from the domain; with AllowCredentials, put \\. between them: `https://.*\\.example\\.com`, or list origins in AllowOrigins"},
		{"regexp allowing plain http, with credentials", Config{AllowOriginRegexps: []string{`https?://(www\.)?example\.com`}, AllowCredentials: true},
			`gincors: AllowOriginRegexps[0] "https?://(www\\.)?example\\.com": matches plain-http "http://example.com": anyone on the network path can impersonate it; with AllowCredentials, match https only, or set DangerouslyAllowInsecureOrigins`},
		{"regexp on a public suffix, with private network access", Config{AllowOriginRegexps: []string{`https://.+\.vercel\.app`}, AllowPrivateNetwork: true},
			`gincors: AllowOriginRegexps[0] "https://.+\\.vercel\\.app": matches "https://attacker.vercel.app", and "vercel.app" is a public suffix where anyone can register a subdomain; with AllowPrivateNetwork, list origins in AllowOrigins (such as "https://yourapp.vercel.app") or check them in AllowOriginFunc; a wildcard below a name of your own (such as \.yourapp\.vercel\.app) helps only where the platform serves subdomains of it`},
		{"regexp with unescaped dots, without credentials", Config{AllowOriginRegexps: []string{`https://app.example.com`}},
			"gincors: AllowOriginRegexps[0] \"https://app.example.com\": an unescaped \".\" matches any character, so this also matches \"https://app-example.com\"; write \\. for a literal dot: `https://app\\.example\\.com`"},
		{"glob pasted into a regexp", Config{AllowOriginRegexps: []string{`https://*.example.com`}},
			`gincors: AllowOriginRegexps[0] "https://*.example.com": a "*." wildcard pattern, not a regular expression (here "*" repeats the character before it); move "https://*.example.com" to AllowOrigins`},
		{"regexp between gin-contrib's slashes", Config{AllowOriginRegexps: []string{`/https://.*\.example\.com/`}},
			"gincors: AllowOriginRegexps[0] \"/https://.*\\\\.example\\\\.com/\": written between /…/ delimiters, as gin-contrib/cors writes regexps; Go regexps have none: write `https://.*\\.example\\.com`"},
		{"method that is not a token", Config{AllowOrigins: origins, AllowMethods: []string{"GET POST"}},
			"gincors: AllowMethods[0] \"GET POST\": not a method name: a method is a token (RFC 9110 §9.1) of letters, digits and !#$%&'*+-.^_`|~, such as \"PATCH\""},
		{"forbidden method", Config{AllowOrigins: origins, AllowMethods: []string{"connect"}},
			`gincors: AllowMethods[0] "connect": a forbidden method in the Fetch standard, which browsers never send; remove it`},
		{"* method next to others", Config{AllowOrigins: origins, AllowMethods: []string{"*", "GET"}},
			`gincors: AllowMethods[0] "*": "*" allows every method, so the other entries have no effect; remove them, or remove "*"`},
		{"forbidden request header", Config{AllowOrigins: origins, AllowHeaders: []string{"Cookie"}},
			`gincors: AllowHeaders[0] "Cookie": a forbidden request header in the Fetch standard: browsers set it themselves and never ask to send it; remove it`},
		{"forbidden Sec- request header", Config{AllowOrigins: origins, AllowHeaders: []string{"Sec-Fetch-Mode"}},
			`gincors: AllowHeaders[0] "Sec-Fetch-Mode": a forbidden request header in the Fetch standard: browsers set it themselves and never ask to send it; remove it`},
		{"header that is not a token", Config{AllowOrigins: origins, AllowHeaders: []string{"X Y"}},
			"gincors: AllowHeaders[0] \"X Y\": not a header name: a header name is a token (RFC 9110 §5.1) of letters, digits and !#$%&'*+-.^_`|~, such as \"X-Request-Id\""},
		{"* header next to others", Config{AllowOrigins: origins, AllowHeaders: []string{"*", "X-A"}},
			`gincors: AllowHeaders "*,X-A": "*" allows every header but Authorization, so the other entries have no effect; keep "*" and, if needed, "Authorization"`},
		{"exposing Set-Cookie", Config{AllowOrigins: origins, ExposeHeaders: []string{"Set-Cookie"}},
			`gincors: ExposeHeaders[0] "Set-Cookie": browsers never let scripts read Set-Cookie, whatever the server says; remove it`},
		{"exposing * with credentials", Config{AllowOrigins: origins, ExposeHeaders: []string{"*"}, AllowCredentials: true},
			`gincors: ExposeHeaders[0] "*": with AllowCredentials browsers read "*" as a header named "*"; list the headers to expose`},
		{"negative MaxAge", Config{AllowOrigins: origins, MaxAge: -time.Second},
			`gincors: MaxAge "-1s": negative; use 0 to send no Access-Control-Max-Age, or gincors.DisablePreflightCache to send 0 and disable the preflight cache`},
		{"MaxAge above 24h", Config{AllowOrigins: origins, MaxAge: 25 * time.Hour},
			`gincors: MaxAge "25h0m0s": above 24h, which no browser honours (Firefox caps at 24h, Chromium at 2h, Safari at 10m); use at most 24*time.Hour`},
		{"MaxAge not whole seconds", Config{AllowOrigins: origins, MaxAge: 1500 * time.Millisecond},
			`gincors: MaxAge "1.5s": not a whole number of seconds, which is what Access-Control-Max-Age counts; use 1s`},
		{"preflight status not ok", Config{AllowOrigins: origins, OptionsSuccessStatus: 301},
			`gincors: OptionsSuccessStatus "301": browsers fail a preflight without an ok status; use a status from 200 to 299, or 0 for 204`},
		{"private network with * origins", Config{AllowOrigins: []string{"*"}, AllowPrivateNetwork: true},
			`gincors: AllowPrivateNetwork: with AllowOrigins "*" it would let every website on the internet reach this private-network server; list the origins that need it`},
		// Issue 8 §2: private network access gets the checks credentials get.
		{"public-suffix wildcard with private network access", Config{AllowOrigins: []string{"https://*.com"}, AllowPrivateNetwork: true},
			`gincors: AllowOrigins[0] "https://*.com": "com" is a public suffix, where anyone can register a subdomain, and AllowPrivateNetwork is set; list your own subdomains, or set DangerouslyAllowPublicSuffixWildcards`},
		{"plain-http origin with private network access", Config{AllowOrigins: []string{"http://app.example.com"}, AllowPrivateNetwork: true},
			`gincors: AllowOrigins[0] "http://app.example.com": plain-http origin with AllowPrivateNetwork: anyone on the network path can impersonate it and read your users' data; use "https://app.example.com", or set DangerouslyAllowInsecureOrigins`},
		// Issue 8 §3 and issue 13: bounds, stated in the message.
		{"method longer than the bound", Config{AllowOrigins: origins, AllowMethods: []string{strings.Repeat("M", 65)}},
			`gincors: AllowMethods[0] "` + strings.Repeat("M", 65) + `": longer than 64 bytes, the longest method gincors accepts (the longest registered method has 16); check the value`},
		{"scheme longer than the bound", Config{AllowOrigins: []string{strings.Repeat("a", 65) + "://example.com"}},
			`gincors: AllowOrigins[0] "` + strings.Repeat("a", 65) + `://example.com": scheme "` + strings.Repeat("a", 65) + `" is longer than 64 bytes, the longest a browser origin can have here; check the value`},
		// Issue 8 §5: messages that point the right way.
		{"Origin in AllowHeaders, from gin-contrib's DefaultConfig", Config{AllowOrigins: origins, AllowHeaders: []string{"Origin"}},
			`gincors: AllowHeaders[0] "Origin": a forbidden request header in the Fetch standard: browsers set it themselves and never ask to send it. gin-contrib/cors's DefaultConfig lists it; remove it`},
		{"Content-Length in AllowHeaders, from gin-contrib's DefaultConfig", Config{AllowOrigins: origins, AllowHeaders: []string{"Content-Type", "Content-Length"}},
			`gincors: AllowHeaders[1] "Content-Length": a forbidden request header in the Fetch standard: browsers set it themselves and never ask to send it. gin-contrib/cors's DefaultConfig lists it; remove it`},
		{"MaxAge as a bare number of seconds", Config{AllowOrigins: origins, MaxAge: 600},
			`gincors: MaxAge "600ns": less than a second: MaxAge is a time.Duration, so a bare number counts nanoseconds; write 600 * time.Second`},
		{"origin with a leading space, from splitting a list", Config{AllowOrigins: []string{"https://a.example", " https://b.example"}},
			`gincors: AllowOrigins[1] " https://b.example": leading or trailing space; write "https://b.example"`},
		{"origin with a trailing space", Config{AllowOrigins: []string{"https://b.example "}},
			`gincors: AllowOrigins[0] "https://b.example ": leading or trailing space; write "https://b.example"`},
		{"regexp with a trailing space", Config{AllowOriginRegexps: []string{`https://b\.example `}},
			`gincors: AllowOriginRegexps[0] "https://b\\.example ": leading or trailing space, which no origin has; remove it`},
		{"loopback origin without a scheme gets http", Config{AllowOrigins: []string{"localhost:3000"}},
			`gincors: AllowOrigins[0] "localhost:3000": missing scheme; write "http://localhost:3000"`},
		{"loopback address without a scheme gets http", Config{AllowOrigins: []string{"127.0.0.1:8080"}},
			`gincors: AllowOrigins[0] "127.0.0.1:8080": missing scheme; write "http://127.0.0.1:8080"`},
		{"wildcard extension origin", Config{AllowOrigins: []string{"chrome-extension://*"}},
			`gincors: AllowOrigins[0] "chrome-extension://*": an extension's origin is chrome-extension://<extension ID>, and a wildcard would allow every extension anyone publishes; list your extension's ID, such as "chrome-extension://abcdefghijklmnopabcdefghijklmnop"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
			assert.PanicsWithError(t, tc.want, func() { New(tc.cfg) }, "New panics with Validate's error")
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	err := Config{
		AllowOrigins: []string{"https://ok.example", "https://a.example/", "null"},
		AllowMethods: []string{"TRACE"},
		MaxAge:       48 * time.Hour,
	}.Validate()
	require.Error(t, err)
	got := strings.Split(err.Error(), "\n")
	require.Len(t, got, 4)
	assert.True(t, strings.HasPrefix(got[0], `gincors: AllowOrigins[1] "https://a.example/"`), got[0])
	assert.True(t, strings.HasPrefix(got[1], `gincors: AllowOrigins[2] "null"`), got[1])
	assert.True(t, strings.HasPrefix(got[2], `gincors: AllowMethods[0] "TRACE"`), got[2])
	assert.True(t, strings.HasPrefix(got[3], `gincors: MaxAge "48h0m0s"`), got[3])
}

func TestValidateAccepts(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
	}{
		{"DefaultConfig with an origin", func() Config { c := DefaultConfig(); c.AllowOrigins = []string{"https://a.example"}; return c }()},
		{"* origins without credentials", Config{AllowOrigins: []string{"*"}, ExposeHeaders: []string{"*"}, AllowMethods: []string{"*"}, AllowHeaders: []string{"*", "Authorization"}}},
		{"only a context func", Config{AllowOriginWithContextFunc: func(*gin.Context, string) bool { return false }}},
		{"only a matcher", Config{OriginMatcher: OriginFunc(func(string) bool { return false })}},
		{"loopback http origins with credentials", Config{AllowOrigins: []string{"http://localhost:*", "http://*.localhost:*", "http://127.0.0.1:8080", "http://[::1]:3000"}, AllowCredentials: true}},
		{"insecure origin with credentials when dangerously allowed", Config{AllowOrigins: []string{"http://app.example.test:8080"}, AllowCredentials: true, DangerouslyAllowInsecureOrigins: true}},
		{"public suffix wildcard with credentials when dangerously allowed", Config{AllowOrigins: []string{"https://*.github.io"}, AllowCredentials: true, DangerouslyAllowPublicSuffixWildcards: true}},
		{"public suffix wildcard without credentials", Config{AllowOrigins: []string{"https://*.github.io"}}},
		{"null when dangerously allowed", Config{AllowOrigins: []string{"null"}, DangerouslyAllowNullOrigin: true}},
		{"a subdomain wildcard regexp with credentials", Config{AllowOriginRegexps: []string{`https://([a-z0-9-]+\.)+example\.com`}, AllowCredentials: true}},
		{"an optional subdomain regexp with credentials", Config{AllowOriginRegexps: []string{`https://([a-z0-9-]+\.)?example\.com(:\d+)?`}, AllowCredentials: true}},
		{"a plain-http regexp with credentials when dangerously allowed", Config{AllowOriginRegexps: []string{`https?://example\.com`}, AllowCredentials: true, DangerouslyAllowInsecureOrigins: true}},
		{"a loopback regexp with credentials", Config{AllowOriginRegexps: []string{`http://localhost(:\d+)?`}, AllowCredentials: true}},
		{"largest MaxAge", Config{AllowOrigins: []string{"*"}, MaxAge: MaxMaxAge}},
		{"preflight status 200", Config{AllowOrigins: []string{"*"}, OptionsSuccessStatus: 200}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.NoError(t, tc.cfg.Validate())
		})
	}
}

// Harmless spelling differences are normalised to what browsers send, so
// the configured origin matches the real one.
func TestOriginSpellingIsNormalised(t *testing.T) {
	cases := []struct{ configured, sent string }{
		{"HTTPS://Example.COM", "https://example.com"},
		{"https://example.com:443", "https://example.com"},
		{"http://example.com:80", "http://example.com"},
		{"http://example.com:08080", "http://example.com:8080"},
		{"https://bücher.example", "https://xn--bcher-kva.example"},
		{"http://[0:0:0:0:0:0:0:1]:8080", "http://[::1]:8080"},
		{"https://*.Example.COM:443", "https://a.example.com"},
		{"https://my_host.example", "https://my_host.example"},
		{"https://*.ab--cd.example", "https://-a.ab--cd.example"},
		{"http://[::ffff:1.2.3.4]:8080", "http://[::ffff:102:304]:8080"},
	}
	for _, tc := range cases {
		t.Run(tc.configured, func(t *testing.T) {
			s := newTestServer(t, Config{AllowOrigins: []string{tc.configured}})
			got := s.serve(t, request{method: "GET", lines: lines("Origin", tc.sent)})
			assert.Equal(t, 200, got.status)
			assert.Equal(t, hdr(headerAllowOrigin, tc.sent, "Vary", "Origin"), got.cors)
			assert.True(t, got.handlerRan)
		})
	}
}

func TestDefault(t *testing.T) {
	s := &testServer{engine: gin.New()}
	s.engine.Use(Default())
	s.engine.PUT("/api", func(c *gin.Context) { s.ran.Add(1); c.Status(200) })
	s.engine.OPTIONS("/api", func(c *gin.Context) { s.ran.Add(1); c.Status(200) })

	got := s.serve(t, preflightReq(evilOrigin, "PUT", headerRequestHeaders, "authorization,content-type"))
	assert.Equal(t, 204, got.status)
	assert.Equal(t, hdr(headerAllowOrigin, "*", headerAllowMethods, "GET, HEAD, POST, PUT, PATCH, DELETE", headerAllowHeaders, "Authorization, Content-Type, X-Requested-With",
		headerMaxAge, "3600"), got.cors)
	assert.False(t, got.handlerRan, "the OPTIONS handler must not answer a preflight")

	got = s.serve(t, preflightReq(evilOrigin, "PROPFIND"))
	assert.Equal(t, 403, got.status)
	assert.Equal(t, hdr(), got.cors)
	assert.False(t, got.handlerRan)

	got = s.serve(t, request{method: "PUT", lines: lines("Origin", evilOrigin)})
	assert.Equal(t, 200, got.status)
	assert.Equal(t, hdr(headerAllowOrigin, "*"), got.cors)
	assert.True(t, got.handlerRan)
}

// nilPointerMatcher is a user's matcher whose methods need a non-nil
// receiver.
type nilPointerMatcher struct{ allowed map[string]bool }

func (m *nilPointerMatcher) MatchOrigin(o string) bool { return m.allowed[o] }

func TestNilMatchersAreRefused(t *testing.T) {
	cases := []struct {
		name    string
		matcher OriginMatcher
		want    string
	}{
		{"nil OriginFunc", OriginFunc(nil),
			`gincors: OriginMatcher: a nil gincors.OriginFunc, which would panic on every request; set a matcher, or leave OriginMatcher nil`},
		{"typed nil pointer", (*nilPointerMatcher)(nil),
			`gincors: OriginMatcher: a nil *gincors.nilPointerMatcher, which would panic on every request; set a matcher, or leave OriginMatcher nil`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Config{OriginMatcher: tc.matcher}.Validate()
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, ConfigError{Field: "OriginMatcher", Message: strings.TrimPrefix(tc.want, "gincors: OriginMatcher: ")}, *ce)
		})
	}
}

func TestAnyOfSkipsNilMatchers(t *testing.T) {
	exact, err := ExactOrigins("https://a.example")
	require.NoError(t, err)
	m := AnyOf(nil, OriginFunc(nil), (*nilPointerMatcher)(nil), exact)
	assert.True(t, m.MatchOrigin("https://a.example"))
	assert.False(t, m.MatchOrigin("https://b.example"))
	s := newTestServer(t, Config{OriginMatcher: m})
	got := s.serve(t, request{method: "GET", lines: lines("Origin", "https://a.example")})
	assert.Equal(t, result{status: 200, cors: hdr(headerAllowOrigin, "https://a.example", "Vary", "Origin"), handlerRan: true}, got)
}

// TestConfigErrorsAreTyped checks that every problem is a *ConfigError
// that errors.As finds, from Validate and from the matcher constructors.
func TestConfigErrorsAreTyped(t *testing.T) {
	err := Config{AllowOrigins: []string{"https://a.example/", "*"}, AllowCredentials: true}.Validate()
	require.Error(t, err)
	joined, ok := err.(interface{ Unwrap() []error })
	require.True(t, ok, "Validate joins its errors")
	var got []ConfigError
	for _, e := range joined.Unwrap() {
		var ce *ConfigError
		require.ErrorAs(t, e, &ce)
		got = append(got, *ce)
	}
	assert.Equal(t, []ConfigError{
		{Field: "AllowOrigins[0]", Value: "https://a.example/", Message: `an origin has no trailing slash; write "https://a.example"`},
		{Field: "AllowOrigins[1]", Value: "*", Message: `not allowed with AllowCredentials: browsers refuse "*" on credentialed requests, and reflecting every origin instead would let any website read your users' data; list the origins that need credentials`},
	}, got)

	constructors := []struct {
		name string
		err  error
		want ConfigError
	}{
		{"ExactOrigins", func() error { _, err := ExactOrigins("https://x.example/"); return err }(),
			ConfigError{Field: "ExactOrigins argument 0", Value: "https://x.example/", Message: `an origin has no trailing slash; write "https://x.example"`}},
		{"WildcardOrigins", func() error { _, err := WildcardOrigins("https://x.example"); return err }(),
			ConfigError{Field: "WildcardOrigins argument 0", Value: "https://x.example", Message: "no wildcard; use ExactOrigins"}},
		{"RegexpOrigins", func() error { _, err := RegexpOrigins(""); return err }(),
			ConfigError{Field: "RegexpOrigins argument 0", Message: "empty expression; it would match nothing"}},
	}
	for _, tc := range constructors {
		t.Run(tc.name, func(t *testing.T) {
			var ce *ConfigError
			require.ErrorAs(t, tc.err, &ce)
			assert.Equal(t, tc.want, *ce)
		})
	}
}

// TestLongSchemes pins issue 13's first item: schemes up to 64 bytes are
// accepted in config and reach the origin functions at request time.
func TestLongSchemes(t *testing.T) {
	scheme := strings.Repeat("a", 64)
	long := scheme + "://example.com"
	require.NoError(t, Config{AllowOrigins: []string{strings.Repeat("a", 33) + "://example.com", long}}.Validate())

	var seen []string
	s := newTestServer(t, Config{AllowOriginFunc: func(o string) bool { seen = append(seen, o); return true }})
	got := s.serve(t, request{method: "GET", lines: lines("Origin", long)})
	assert.Equal(t, result{200, hdr(headerAllowOrigin, long, "Vary", "Origin"), true}, got)
	tooLong := "a" + long
	got = s.serve(t, request{method: "GET", lines: lines("Origin", tooLong)})
	assert.Equal(t, result{200, hdr("Vary", "Origin"), true}, got)
	assert.Equal(t, []string{long}, seen, "a 65-byte scheme never reaches the function")
}
