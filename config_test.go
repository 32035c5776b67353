package gincors

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Config validation: one table per kind of refusal, one for the warnings,
// one for configurations accepted as they are. Each refusal is asserted
// with its exact message, which names the field, the value and the fix;
// each warning with its field, value and message.

// refusal is one refused configuration and its exact error. optIn, if
// set, is the Dangerously setting that makes cfg valid, and origin an
// origin it then allows.
type refusal struct {
	name   string
	cfg    Config
	want   string
	optIn  func(*Config)
	origin string
}

// assertRefusals checks each refusal: Validate's exact error, New's panic
// with it, and the opt-in over a real engine.
func assertRefusals(t *testing.T, cases []refusal) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
			assert.PanicsWithError(t, tc.want, func() { New(tc.cfg) }, "New panics with Validate's error")
			if tc.optIn == nil {
				return
			}
			cfg := tc.cfg
			tc.optIn(&cfg)
			require.NoError(t, cfg.Validate(), "the Dangerously opt-in makes the config valid")
			got := newTestServer(t, cfg).serve(t, request{method: "GET", lines: lines("Origin", tc.origin)})
			assert.Equal(t, 200, got.status)
			assert.Equal(t, []string{tc.origin}, got.cors.Values(headerAllowOrigin), "the opt-in allows what it says")
			assert.True(t, got.handlerRan)
		})
	}
}

const starWithCredentials = `not allowed with AllowCredentials: browsers refuse "*" on credentialed requests, and reflecting every origin instead would let any website read your users' data. List the origins that need credentials: in development, AllowOrigins: []string{"http://localhost:*", "http://127.0.0.1:*"}; in production, AllowOrigins: []string{"https://app.example.com"} (or "https://*.example.com" for your subdomains)`

// TestRefusesMalformedOrigins: AllowOrigins entries that are not origins,
// each with the spelling to write.
func TestRefusesMalformedOrigins(t *testing.T) {
	assertRefusals(t, []refusal{
		{name: "no origin source", cfg: Config{},
			want: `gincors: Config: no origin source; set AllowOrigins (such as []string{"https://app.example.com"}, or []string{"*"} for a public API), AllowOriginRegexps, AllowOriginFunc, AllowOriginWithContextFunc or AllowOriginMatcher (if AllowOrigins comes from gincors.OriginsFromEnv, that variable is unset or empty)`},
		{name: "origin with a query", cfg: Config{AllowOrigins: []string{"https://example.com?x"}},
			want: `gincors: AllowOrigins[0] "https://example.com?x": an origin has no query; write "https://example.com"`},
		{name: "origin with a fragment", cfg: Config{AllowOrigins: []string{"https://example.com#x"}},
			want: `gincors: AllowOrigins[0] "https://example.com#x": an origin has no fragment; write "https://example.com"`},
		{name: "origin with userinfo", cfg: Config{AllowOrigins: []string{"https://user:pw@example.com"}},
			want: `gincors: AllowOrigins[0] "https://user:pw@example.com": an origin has no userinfo (user:password@); write "https://example.com"`},
		{name: "invalid scheme", cfg: Config{AllowOrigins: []string{"ht tp://example.com"}},
			want: `gincors: AllowOrigins[0] "ht tp://example.com": invalid scheme "ht tp"; a scheme is a letter followed by letters, digits, '+', '-' or '.', such as "https"`},
		{name: "port out of range", cfg: Config{AllowOrigins: []string{"https://example.com:99999"}},
			want: `gincors: AllowOrigins[0] "https://example.com:99999": port 99999 out of range; a port is a decimal number from 1 to 65535`},
		{name: "port 0", cfg: Config{AllowOrigins: []string{"https://example.com:0"}},
			want: `gincors: AllowOrigins[0] "https://example.com:0": port 0 out of range; a port is a decimal number from 1 to 65535`},
		{name: "port not a number", cfg: Config{AllowOrigins: []string{"https://example.com:abc"}},
			want: `gincors: AllowOrigins[0] "https://example.com:abc": invalid port "abc"; a port is a decimal number from 1 to 65535`},
		{name: "empty port", cfg: Config{AllowOrigins: []string{"https://example.com:"}},
			want: `gincors: AllowOrigins[0] "https://example.com:": empty port after ":"; remove the ":" or write a port such as ":8080"`},
		{name: "wildcard inside a label", cfg: Config{AllowOrigins: []string{"https://*example.com"}},
			want: `gincors: AllowOrigins[0] "https://*example.com": misplaced wildcard in host "*example.com"; a wildcard may only be a whole leading label, as in "https://*.example.com", or the port, as in "http://localhost:*"`},
		{name: "wildcard in a middle label", cfg: Config{AllowOrigins: []string{"https://a.*.example.com"}},
			want: `gincors: AllowOrigins[0] "https://a.*.example.com": misplaced wildcard in host "a.*.example.com"; a wildcard may only be a whole leading label, as in "https://*.example.com", or the port, as in "http://localhost:*"`},
		{name: "wildcard as the whole host", cfg: Config{AllowOrigins: []string{"https://*"}},
			want: `gincors: AllowOrigins[0] "https://*": misplaced wildcard in host "*"; a wildcard may only be a whole leading label, as in "https://*.example.com", or the port, as in "http://localhost:*"`},
		{name: "wildcard port spelled wrong", cfg: Config{AllowOrigins: []string{"http://localhost:80*"}},
			want: `gincors: AllowOrigins[0] "http://localhost:80*": invalid port "80*"; a wildcard port is written ":*"`},
		{name: "wildcard subdomain of an IP address", cfg: Config{AllowOrigins: []string{"https://*.1.2.3.4"}},
			want: `gincors: AllowOrigins[0] "https://*.1.2.3.4": an IP address has no subdomains; remove the "*."`},
		{name: "IPv4 address with a leading zero", cfg: Config{AllowOrigins: []string{"https://1.2.3.04"}},
			want: `gincors: AllowOrigins[0] "https://1.2.3.04": invalid IPv4 address "1.2.3.04"; write four decimal numbers from 0 to 255 without leading zeros, such as "127.0.0.1"`},
		{name: "unclosed IPv6 literal", cfg: Config{AllowOrigins: []string{"https://[::1"}},
			want: `gincors: AllowOrigins[0] "https://[::1": unclosed IPv6 literal "[::1"; write it as "[::1]"`},
		{name: "host with a space", cfg: Config{AllowOrigins: []string{"https://exa mple.com"}},
			want: `gincors: AllowOrigins[0] "https://exa mple.com": invalid host "exa mple.com"; a host is a domain name such as "example.com", an IPv4 address or a bracketed IPv6 address`},
		{name: "host with a trailing dot", cfg: Config{AllowOrigins: []string{"https://example.com."}},
			want: `gincors: AllowOrigins[0] "https://example.com.": invalid host "example.com."; remove the trailing dot`},
		{name: "empty origin", cfg: Config{AllowOrigins: []string{""}},
			want: `gincors: AllowOrigins[0]: empty origin; write a scheme and a host, such as "https://example.com"`},
		{name: "file origin", cfg: Config{AllowOrigins: []string{"file:///etc"}},
			want: `gincors: AllowOrigins[0] "file:///etc": file: pages send "Origin: null", not a file origin; serve the page over http(s) instead`},
		{name: "scheme longer than the bound", cfg: Config{AllowOrigins: []string{strings.Repeat("a", 65) + "://example.com"}},
			want: `gincors: AllowOrigins[0] "` + strings.Repeat("a", 65) + `://example.com": scheme "` + strings.Repeat("a", 65) + `" is longer than 64 bytes, the longest a browser origin can have here; check the value`},
		{name: "wildcard extension origin", cfg: Config{AllowOrigins: []string{"chrome-extension://*"}},
			want: `gincors: AllowOrigins[0] "chrome-extension://*": an extension's origin is chrome-extension://<extension ID>, and a wildcard would allow every extension anyone publishes; list your extension's ID, such as "chrome-extension://abcdefghijklmnopabcdefghijklmnop"`},
	})
}

// TestRefusesMigrationMistakes: what users moving from gin-contrib/cors,
// rs/cors or a configuration file write, each with the edit to make.
func TestRefusesMigrationMistakes(t *testing.T) {
	assertRefusals(t, []refusal{
		{name: "only commas in an origin entry", cfg: Config{AllowOrigins: []string{" , "}},
			want: `gincors: AllowOrigins[0] " , ": no origin, only ","; write a scheme and a host, such as "https://example.com"`},
		{name: "gin-contrib /regexp/ that does not compile", cfg: Config{AllowOrigins: []string{`/https://(a/`}},
			want: "gincors: AllowOrigins[0] \"/https://(a/\": a regexp between /…/ delimiters, as gin-contrib/cors writes them, that does not compile: error parsing regexp: missing closing ): `https://(a`"},
		{name: "origin with a path and an invalid host", cfg: Config{AllowOrigins: []string{"https://exa mple.com/app"}},
			want: `gincors: AllowOrigins[0] "https://exa mple.com/app": invalid host "exa mple.com"; a host is a domain name such as "example.com", an IPv4 address or a bracketed IPv6 address`},
		{name: "origin with a path and a query", cfg: Config{AllowOrigins: []string{"https://example.com/app?x"}},
			want: `gincors: AllowOrigins[0] "https://example.com/app?x": an origin has no path; write "https://example.com"`},
		{name: "loopback origin without a scheme, with spaces", cfg: Config{AllowOrigins: []string{" localhost:3000 "}},
			want: `gincors: AllowOrigins[0] " localhost:3000 ": missing scheme; write "http://localhost:3000"`},
		{name: "origin without a scheme", cfg: Config{AllowOrigins: []string{"example.com"}},
			want: `gincors: AllowOrigins[0] "example.com": missing scheme; write "https://example.com"`},
		{name: "wildcard without a scheme", cfg: Config{AllowOrigins: []string{"*.example.com"}},
			want: `gincors: AllowOrigins[0] "*.example.com": missing scheme; write "https://*.example.com"`},
		{name: "loopback origin without a scheme gets http", cfg: Config{AllowOrigins: []string{"localhost:3000"}},
			want: `gincors: AllowOrigins[0] "localhost:3000": missing scheme; write "http://localhost:3000"`},
		{name: "loopback address without a scheme gets http", cfg: Config{AllowOrigins: []string{"127.0.0.1:8080"}},
			want: `gincors: AllowOrigins[0] "127.0.0.1:8080": missing scheme; write "http://127.0.0.1:8080"`},
		{name: "regexp between gin-contrib's slashes", cfg: Config{AllowOriginRegexps: []string{`/https://.*\.example\.com/`}},
			want: "gincors: AllowOriginRegexps[0] \"/https://.*\\\\.example\\\\.com/\": written between /…/ delimiters, as gin-contrib/cors writes regexps; Go regexps have none: write `https://.*\\.example\\.com`"},
		{name: "glob pasted into a regexp", cfg: Config{AllowOriginRegexps: []string{`https://*.example.com`}},
			want: `gincors: AllowOriginRegexps[0] "https://*.example.com": a "*." wildcard pattern, not a regular expression (here "*" repeats the character before it); move "https://*.example.com" to AllowOrigins`},
		{name: "regexp with unescaped dots, without credentials", cfg: Config{AllowOriginRegexps: []string{`https://app.example.com`}},
			want: "gincors: AllowOriginRegexps[0] \"https://app.example.com\": an unescaped \".\" matches any character, so this also matches \"https://app-example.com\"; write \\. for a literal dot: `https://app\\.example\\.com`"},
	})
}

// TestRefusesMalformedValues: values that are not what their field holds.
func TestRefusesMalformedValues(t *testing.T) {
	origins := []string{"https://a.example"}
	assertRefusals(t, []refusal{
		{name: "regexp that does not compile", cfg: Config{AllowOriginRegexps: []string{"https://(a"}},
			want: "gincors: AllowOriginRegexps[0] \"https://(a\": does not compile: error parsing regexp: missing closing ): `https://(a`"},
		{name: "empty regexp", cfg: Config{AllowOriginRegexps: []string{""}},
			want: `gincors: AllowOriginRegexps[0]: empty expression; it would match nothing`},
		{name: "regexp with a trailing space", cfg: Config{AllowOriginRegexps: []string{`https://b\.example `}},
			want: `gincors: AllowOriginRegexps[0] "https://b\\.example ": leading or trailing space, which no origin has; remove it`},
		{name: "method that is not a token", cfg: Config{AllowOrigins: origins, AllowMethods: []string{"GET POST"}},
			want: "gincors: AllowMethods[0] \"GET POST\": not a method name: a method is a token (RFC 9110 §9.1) of letters, digits and !#$%&'*+-.^_`|~, such as \"PATCH\""},
		{name: "method longer than the bound", cfg: Config{AllowOrigins: origins, AllowMethods: []string{strings.Repeat("M", 65)}},
			want: `gincors: AllowMethods[0] "` + strings.Repeat("M", 65) + `": longer than 64 bytes, the longest method gincors accepts (the longest registered method has 16); check the value`},
		{name: "header that is not a token", cfg: Config{AllowOrigins: origins, AllowHeaders: []string{"X Y"}},
			want: "gincors: AllowHeaders[0] \"X Y\": not a header name: a header name is a token (RFC 9110 §5.1) of letters, digits and !#$%&'*+-.^_`|~, such as \"X-Request-Id\""},
		{name: "piece of a joined list that is not a token", cfg: Config{AllowOrigins: origins, AllowHeaders: []string{"Content-Type, X Y"}},
			want: "gincors: AllowHeaders[0] \"X Y\": not a header name: a header name is a token (RFC 9110 §5.1) of letters, digits and !#$%&'*+-.^_`|~, such as \"X-Request-Id\""},
		{name: "exposed header that is not a token", cfg: Config{AllowOrigins: origins, ExposeHeaders: []string{"X Y"}},
			want: `gincors: ExposeHeaders[0] "X Y": not a header name: a header name is a token (RFC 9110 §5.1), such as "X-Request-Id"`},
		{name: "preflight status not ok", cfg: Config{AllowOrigins: origins, OptionsSuccessStatus: 301},
			want: `gincors: OptionsSuccessStatus "301": browsers fail a preflight without an ok status; use a status from 200 to 299, or 0 for 204`},
	})
}

// TestRefusesHoles: settings that would let someone read what they should
// not, each refused with why and the fix; where a Dangerously opt-in
// exists, it makes the config valid and allows what it says.
func TestRefusesHoles(t *testing.T) {
	cases := []refusal{
		{name: "* origins with credentials", cfg: Config{AllowOrigins: []string{"*"}, AllowCredentials: true},
			want: `gincors: AllowOrigins[0] "*": ` + starWithCredentials},
		{name: "* origins with credentials, in a development branch next to localhost", cfg: Config{AllowOrigins: []string{"http://localhost:3000", "*"}, AllowCredentials: true},
			want: `gincors: AllowOrigins[1] "*": ` + starWithCredentials},
		{name: "* origins with private network access", cfg: Config{AllowOrigins: []string{"*"}, AllowPrivateNetwork: true},
			want: `gincors: AllowPrivateNetwork: with AllowOrigins "*" it would let every website on the internet reach this private-network server; list the origins that need it`},
		{name: "null origin", cfg: Config{AllowOrigins: []string{"null"}},
			want:  `gincors: AllowOrigins[0] "null": the "null" origin is sent by sandboxed iframes and data: and file: documents, which any site can create; allowing it allows everyone (set DangerouslyAllowNullOrigin if you must)`,
			optIn: func(c *Config) { c.DangerouslyAllowNullOrigin = true }, origin: "null"},
		{name: "null origin with credentials", cfg: Config{AllowOrigins: []string{"https://example.com", "null"}, AllowCredentials: true},
			want:  `gincors: AllowOrigins[1] "null": the "null" origin is sent by sandboxed iframes and data: and file: documents, which any site can create; allowing it allows everyone (set DangerouslyAllowNullOrigin if you must)`,
			optIn: func(c *Config) { c.DangerouslyAllowNullOrigin = true }, origin: "null"},
		{name: "* hidden in a joined origin list, with credentials", cfg: Config{AllowOrigins: []string{"https://a.com, *"}, AllowCredentials: true},
			want: `gincors: AllowOrigins[0] "*": ` + starWithCredentials},
		{name: "null hidden in a joined origin list", cfg: Config{AllowOrigins: []string{"https://a.com,null"}},
			want: `gincors: AllowOrigins[0] "null": the "null" origin is sent by sandboxed iframes and data: and file: documents, which any site can create; allowing it allows everyone (set DangerouslyAllowNullOrigin if you must)`},
		{name: "null with spaces", cfg: Config{AllowOrigins: []string{" null "}},
			want: `gincors: AllowOrigins[0] " null ": the "null" origin is sent by sandboxed iframes and data: and file: documents, which any site can create; allowing it allows everyone (set DangerouslyAllowNullOrigin if you must)`},
		{name: "plain-http origin in a joined list, with credentials", cfg: Config{AllowOrigins: []string{"https://a.com,http://b.com"}, AllowCredentials: true},
			want:  `gincors: AllowOrigins[0] "http://b.com": plain-http origin with AllowCredentials: anyone on the network path can impersonate it and read your users' data; use "https://b.com", or set DangerouslyAllowInsecureOrigins`,
			optIn: func(c *Config) { c.DangerouslyAllowInsecureOrigins = true }, origin: "http://b.com"},
		{name: "gin-contrib /regexp/ that allows any host, with credentials", cfg: Config{AllowOrigins: []string{`/https://.*/`}, AllowCredentials: true},
			want: `gincors: AllowOrigins[0] "https://.*": matches "https://attacker.com": the host can end in anything; with AllowCredentials, end every host with a literal \. and your domain (such as .*\.example\.com), allow a port only as (:\d+)?, or list origins in AllowOrigins`},
		{name: "plain-http origin with credentials", cfg: Config{AllowOrigins: []string{"http://app.example.com"}, AllowCredentials: true},
			want:  `gincors: AllowOrigins[0] "http://app.example.com": plain-http origin with AllowCredentials: anyone on the network path can impersonate it and read your users' data; use "https://app.example.com", or set DangerouslyAllowInsecureOrigins`,
			optIn: func(c *Config) { c.DangerouslyAllowInsecureOrigins = true }, origin: "http://app.example.com"},
		{name: "plain-http wildcard with credentials", cfg: Config{AllowOrigins: []string{"http://*.example.com:*"}, AllowCredentials: true},
			want:  `gincors: AllowOrigins[0] "http://*.example.com:*": plain-http origin with AllowCredentials: anyone on the network path can impersonate it and read your users' data; use "https://*.example.com:*", or set DangerouslyAllowInsecureOrigins`,
			optIn: func(c *Config) { c.DangerouslyAllowInsecureOrigins = true }, origin: "http://a.example.com:8080"},
		{name: "plain-http public IP with credentials", cfg: Config{AllowOrigins: []string{"http://192.0.2.1:8080"}, AllowCredentials: true},
			want:  `gincors: AllowOrigins[0] "http://192.0.2.1:8080": plain-http origin with AllowCredentials: anyone on the network path can impersonate it and read your users' data; use "https://192.0.2.1:8080", or set DangerouslyAllowInsecureOrigins`,
			optIn: func(c *Config) { c.DangerouslyAllowInsecureOrigins = true }, origin: "http://192.0.2.1:8080"},
		{name: "plain-http origin with private network access", cfg: Config{AllowOrigins: []string{"http://app.example.com"}, AllowPrivateNetwork: true},
			want:  `gincors: AllowOrigins[0] "http://app.example.com": plain-http origin with AllowPrivateNetwork: anyone on the network path can impersonate it and read your users' data; use "https://app.example.com", or set DangerouslyAllowInsecureOrigins`,
			optIn: func(c *Config) { c.DangerouslyAllowInsecureOrigins = true }, origin: "http://app.example.com"},
		{name: "wildcard on a TLD with credentials", cfg: Config{AllowOrigins: []string{"https://*.com"}, AllowCredentials: true},
			want:  `gincors: AllowOrigins[0] "https://*.com": "com" is a public suffix, where anyone can register a subdomain, and AllowCredentials is set; list your own subdomains, or set DangerouslyAllowPublicSuffixWildcards`,
			optIn: func(c *Config) { c.DangerouslyAllowPublicSuffixWildcards = true }, origin: "https://evil.com"},
		{name: "wildcard on a TLD with private network access", cfg: Config{AllowOrigins: []string{"https://*.com"}, AllowPrivateNetwork: true},
			want:  `gincors: AllowOrigins[0] "https://*.com": "com" is a public suffix, where anyone can register a subdomain, and AllowPrivateNetwork is set; list your own subdomains, or set DangerouslyAllowPublicSuffixWildcards`,
			optIn: func(c *Config) { c.DangerouslyAllowPublicSuffixWildcards = true }, origin: "https://evil.com"},
		{name: "wildcard on a private public suffix with credentials", cfg: Config{AllowOrigins: []string{"https://*.github.io"}, AllowCredentials: true},
			want:  `gincors: AllowOrigins[0] "https://*.github.io": "github.io" is a public suffix, where anyone can register a subdomain, and AllowCredentials is set; list your own subdomains, or set DangerouslyAllowPublicSuffixWildcards`,
			optIn: func(c *Config) { c.DangerouslyAllowPublicSuffixWildcards = true }, origin: "https://attacker.github.io"},
		{name: "wildcard on a two-label public suffix with credentials", cfg: Config{AllowOrigins: []string{"https://*.co.uk:*"}, AllowCredentials: true},
			want:  `gincors: AllowOrigins[0] "https://*.co.uk:*": "co.uk" is a public suffix, where anyone can register a subdomain, and AllowCredentials is set; list your own subdomains, or set DangerouslyAllowPublicSuffixWildcards`,
			optIn: func(c *Config) { c.DangerouslyAllowPublicSuffixWildcards = true }, origin: "https://evil.co.uk:444"},
		{name: "wildcard on an unlisted TLD with credentials", cfg: Config{AllowOrigins: []string{"https://*.internal"}, AllowCredentials: true},
			want:  `gincors: AllowOrigins[0] "https://*.internal": "internal" is a public suffix, where anyone can register a subdomain, and AllowCredentials is set; list your own subdomains, or set DangerouslyAllowPublicSuffixWildcards`,
			optIn: func(c *Config) { c.DangerouslyAllowPublicSuffixWildcards = true }, origin: "https://a.internal"},
		{name: "wildcard under a wildcard public-suffix rule with credentials", cfg: Config{AllowOrigins: []string{"https://*.kawasaki.jp"}, AllowCredentials: true},
			want:  `gincors: AllowOrigins[0] "https://*.kawasaki.jp": "kawasaki.jp" is a public suffix, where anyone can register a subdomain, and AllowCredentials is set; list your own subdomains, or set DangerouslyAllowPublicSuffixWildcards`,
			optIn: func(c *Config) { c.DangerouslyAllowPublicSuffixWildcards = true }, origin: "https://shop.evil.kawasaki.jp"},
		{name: "regexp whose host can end in anything, with credentials", cfg: Config{AllowOriginRegexps: []string{`https://.*example\.com.*`}, AllowCredentials: true},
			want: `gincors: AllowOriginRegexps[0] "https://.*example\\.com.*": matches "https://evilexample.com", which is not below example.com: nothing separates the wildcard from the domain; with AllowCredentials, put \. between them (such as .*\.example\.com) or list origins in AllowOrigins`},
		{name: "regexp without a host boundary before the domain, with credentials", cfg: Config{AllowOriginRegexps: []string{`https://.*example\.com`}, AllowCredentials: true},
			want: "gincors: AllowOriginRegexps[0] \"https://.*example\\\\.com\": matches \"https://evilexample.com\", which is not below example.com: nothing separates the wildcard from the domain; with AllowCredentials, put \\. between them: `https://.*\\.example\\.com`, or list origins in AllowOrigins"},
		{name: "regexp allowing plain http, with credentials", cfg: Config{AllowOriginRegexps: []string{`https?://(www\.)?example\.com`}, AllowCredentials: true},
			want: `gincors: AllowOriginRegexps[0] "https?://(www\\.)?example\\.com": matches plain-http "http://example.com": anyone on the network path can impersonate it; with AllowCredentials, match https only, or set DangerouslyAllowInsecureOrigins`},
		{name: "regexp on a public suffix, with private network access", cfg: Config{AllowOriginRegexps: []string{`https://.+\.vercel\.app`}, AllowPrivateNetwork: true},
			want: `gincors: AllowOriginRegexps[0] "https://.+\\.vercel\\.app": matches "https://attacker.vercel.app", and "vercel.app" is a public suffix where anyone can register a subdomain; with AllowPrivateNetwork, list origins in AllowOrigins (such as "https://yourapp.vercel.app") or check them in AllowOriginFunc; a wildcard below a name of your own (such as \.yourapp\.vercel\.app) helps only where the platform serves subdomains of it`},
	}
	// Regexps that cannot be proved confined to the user's own https
	// origins, with the message under AllowCredentials; under
	// AllowPrivateNetwork it names that setting instead.
	unprovable := []struct{ expr, want string }{
		{`https://.*`, `gincors: AllowOriginRegexps[0] "https://.*": matches "https://attacker.com": the host can end in anything; with AllowCredentials, end every host with a literal \. and your domain (such as .*\.example\.com), allow a port only as (:\d+)?, or list origins in AllowOrigins`},
		{`.*`, `gincors: AllowOriginRegexps[0] ".*": matches "https://attacker.com": the host can end in anything; with AllowCredentials, end every host with a literal \. and your domain (such as .*\.example\.com), allow a port only as (:\d+)?, or list origins in AllowOrigins`},
		{`https://.*\.example\.com|http://[a-z]+\.invalid`, `gincors: AllowOriginRegexps[0] "https://.*\\.example\\.com|http://[a-z]+\\.invalid": matches "http://attacker.invalid", and "invalid" is a public suffix where anyone can register a subdomain; with AllowCredentials, match your own domain (such as \.yourapp\.invalid) or list origins in AllowOrigins`},
		{`https://example\.com.*`, "gincors: AllowOriginRegexps[0] \"https://example\\\\.com.*\": matches \"https://example.com.attacker.com\": the host can end in anything; with AllowCredentials, end it where your domain ends and allow a port only: `https://example\\.com(:\\d+)?`, or list origins in AllowOrigins"},
		{`https?://[a-z.]+`, `gincors: AllowOriginRegexps[0] "https?://[a-z.]+": matches "http://attacker.com": the host can end in anything; with AllowCredentials, end every host with a literal \. and your domain (such as .*\.example\.com), allow a port only as (:\d+)?, or list origins in AllowOrigins`},
		{`https://.*example\.com.*`, `gincors: AllowOriginRegexps[0] "https://.*example\\.com.*": matches "https://evilexample.com", which is not below example.com: nothing separates the wildcard from the domain; with AllowCredentials, put \. between them (such as .*\.example\.com) or list origins in AllowOrigins`},
		{`https://(app\.example\.com|[a-z]+\.invalid)`, `gincors: AllowOriginRegexps[0] "https://(app\\.example\\.com|[a-z]+\\.invalid)": matches "https://attacker.invalid", and "invalid" is a public suffix where anyone can register a subdomain; with AllowCredentials, match your own domain (such as \.yourapp\.invalid) or list origins in AllowOrigins`},
		{`https://.*\.com`, `gincors: AllowOriginRegexps[0] "https://.*\\.com": matches "https://attacker.com", and "com" is a public suffix where anyone can register a subdomain; with AllowCredentials, match your own domain (such as \.yourapp\.com) or list origins in AllowOrigins`},
		{`https://[a-z0-9-]+\.github\.io`, `gincors: AllowOriginRegexps[0] "https://[a-z0-9-]+\\.github\\.io": matches "https://attacker.github.io", and "github.io" is a public suffix where anyone can register a subdomain; with AllowCredentials, list origins in AllowOrigins (such as "https://yourapp.github.io") or check them in AllowOriginFunc; a wildcard below a name of your own (such as \.yourapp\.github\.io) helps only where the platform serves subdomains of it`},
	}
	for _, r := range unprovable {
		for _, setting := range []string{"AllowCredentials", "AllowPrivateNetwork"} {
			cfg := Config{AllowOriginRegexps: []string{r.expr}}
			cfg.AllowCredentials = setting == "AllowCredentials"
			cfg.AllowPrivateNetwork = !cfg.AllowCredentials
			cases = append(cases, refusal{name: "regexp " + r.expr + " that cannot be proved safe, with " + setting, cfg: cfg,
				want: strings.ReplaceAll(r.want, "AllowCredentials", setting)})
		}
	}
	assertRefusals(t, cases)
}

// TestRefusesOriginFuncHoles: with credentials or private network access,
// New asks each origin function about origins no one can own a page at,
// and refuses one that allows such an origin, naming it. The opt-out
// stops the asking, and the function then decides alone.
func TestRefusesOriginFuncHoles(t *testing.T) {
	skip := func(c *Config) { c.DangerouslySkipOriginFuncCheck = true }
	exact, err := ExactOrigins("https://app.example.com")
	require.NoError(t, err)
	assertRefusals(t, []refusal{
		{name: "function that allows every origin, with credentials",
			cfg:   Config{AllowCredentials: true, AllowOriginFunc: func(string) bool { return true }},
			want:  `gincors: AllowOriginFunc: allowed "https://gincors-check.invalid", an origin no one can own a page at (.invalid is reserved, RFC 6761 §6.4): the function seems to allow every origin, and with AllowCredentials any website could read your users' data. Return true only for origins you list, or list them in AllowOrigins: []string{"https://app.example.com"}; in development, AllowOrigins: []string{"http://localhost:*", "http://127.0.0.1:*"}`,
			optIn: skip, origin: "https://any.example"},
		{name: "prefix check on http://localhost, with credentials",
			cfg:   Config{AllowCredentials: true, AllowOriginFunc: func(s string) bool { return strings.HasPrefix(s, "http://localhost") }},
			want:  `gincors: AllowOriginFunc: allowed "http://localhost.gincors-check.invalid", which only begins like "http://localhost": a prefix check such as strings.HasPrefix(origin, "http://localhost") also lets in "http://localhost.attacker.example", and with AllowCredentials that site could read your users' data. Compare the whole origin, or use AllowOrigins: []string{"http://localhost:*", "http://127.0.0.1:*"}`,
			optIn: skip, origin: "http://localhost:5173"},
		{name: "function that allows every plain-http origin, with credentials",
			cfg:   Config{AllowCredentials: true, AllowOriginFunc: func(s string) bool { return strings.HasPrefix(s, "http://") }},
			want:  `gincors: AllowOriginFunc: allowed "http://gincors-check.invalid", an origin no one can own a page at (.invalid is reserved, RFC 6761 §6.4): the function seems to allow every plain-http origin, and with AllowCredentials any website served over http could read your users' data. Return true only for origins you list, or list them in AllowOrigins; in development, AllowOrigins: []string{"http://localhost:*", "http://127.0.0.1:*"}`,
			optIn: skip, origin: "http://any.example"},
		{name: "prefix check on a listed origin, with credentials",
			cfg:   Config{AllowOrigins: []string{"https://app.example.com"}, AllowCredentials: true, AllowOriginFunc: func(s string) bool { return strings.HasPrefix(s, "https://app.example.com") }},
			want:  `gincors: AllowOriginFunc: allowed "https://app.example.com.gincors-check.invalid", which only begins like "https://app.example.com", listed in AllowOrigins: a prefix check also lets in "https://app.example.com.attacker.example", and with AllowCredentials that site could read your users' data. Compare the whole origin: origin == "https://app.example.com"`,
			optIn: skip, origin: "https://app.example.com.evil.example"},
		{name: "suffix check that lets in the plain-http twin of a listed origin, with credentials",
			cfg:   Config{AllowOrigins: []string{"https://app.example.com"}, AllowCredentials: true, AllowOriginFunc: func(s string) bool { return strings.HasSuffix(s, ".example.com") }},
			want:  `gincors: AllowOriginFunc: allowed "http://app.example.com", plain http: anyone on the network path can impersonate it, and with AllowCredentials read your users' data (AllowOrigins refuses it too). A suffix check such as strings.HasSuffix(origin, ".example.com") lets in http too: check the scheme as well (strings.HasPrefix(origin, "https://")), or set DangerouslyAllowInsecureOrigins if plain http is meant`,
			optIn: skip, origin: "http://app.example.com"},
		{name: "suffix check without its dot, with credentials",
			cfg:   Config{AllowOrigins: []string{"https://app.example.com"}, AllowCredentials: true, AllowOriginFunc: func(s string) bool { return strings.HasSuffix(s, "example.com") }},
			want:  `gincors: AllowOriginFunc: allowed "https://gincors-checkexample.com", a look-alike of "example.com" that anyone can register: a suffix check without its dot, such as strings.HasSuffix(origin, "example.com"), lets in "https://evilexample.com", and with AllowCredentials that site could read your users' data. Check the dot too: strings.HasSuffix(origin, ".example.com"), or list origins in AllowOrigins`,
			optIn: skip, origin: "https://evilexample.com"},
		{name: "function that panics on .invalid and allows the rest is still asked the other questions",
			cfg: Config{AllowOrigins: []string{"https://app.example.com"}, AllowCredentials: true, AllowOriginFunc: func(s string) bool {
				if strings.HasSuffix(s, ".invalid") {
					panic("unknown origin")
				}
				return true
			}},
			want:  `gincors: AllowOriginFunc: allowed "https://gincors-checkexample.com", a look-alike of "example.com" that anyone can register: a suffix check without its dot, such as strings.HasSuffix(origin, "example.com"), lets in "https://evilexample.com", and with AllowCredentials that site could read your users' data. Check the dot too: strings.HasSuffix(origin, ".example.com"), or list origins in AllowOrigins`,
			optIn: skip, origin: "https://any.example"},
		{name: "user's matcher that allows every origin, with private network access",
			cfg:   Config{AllowPrivateNetwork: true, AllowOriginMatcher: OriginFunc(func(string) bool { return true })},
			want:  `gincors: AllowOriginMatcher: allowed "https://gincors-check.invalid", an origin no one can own a page at (.invalid is reserved, RFC 6761 §6.4): the function seems to allow every origin, and with AllowPrivateNetwork any website could read your users' data. Return true only for origins you list, or list them in AllowOrigins: []string{"https://app.example.com"}; in development, AllowOrigins: []string{"http://localhost:*", "http://127.0.0.1:*"}`,
			optIn: skip, origin: "https://any.example"},
		{name: "user's matcher inside AnyOf that allows every origin, with credentials",
			cfg:   Config{AllowCredentials: true, AllowOriginMatcher: AnyOf(exact, OriginFunc(func(string) bool { return true }))},
			want:  `gincors: AllowOriginMatcher: allowed "https://gincors-check.invalid", an origin no one can own a page at (.invalid is reserved, RFC 6761 §6.4): the function seems to allow every origin, and with AllowCredentials any website could read your users' data. Return true only for origins you list, or list them in AllowOrigins: []string{"https://app.example.com"}; in development, AllowOrigins: []string{"http://localhost:*", "http://127.0.0.1:*"}`,
			optIn: skip, origin: "https://any.example"},
		{name: "context function that allows every origin, with credentials",
			cfg:   Config{AllowCredentials: true, AllowOriginWithContextFunc: func(*gin.Context, string) bool { return true }},
			want:  `gincors: AllowOriginWithContextFunc: allowed "https://gincors-check.invalid", an origin no one can own a page at (.invalid is reserved, RFC 6761 §6.4): the function seems to allow every origin, and with AllowCredentials any website could read your users' data. Return true only for origins you list, or list them in AllowOrigins: []string{"https://app.example.com"}; in development, AllowOrigins: []string{"http://localhost:*", "http://127.0.0.1:*"}`,
			optIn: skip, origin: "https://any.example"},
	})
}

// warningCase is one configuration accepted with warnings, and, where a
// request shows what the warning says, that request over a real engine.
type warningCase struct {
	name string
	cfg  Config
	want []ConfigWarning
	req  *request
	res  result
}

// TestWarnings: harmless mistakes are accepted, each with its exact
// warning, and behave as the warning says.
func TestWarnings(t *testing.T) {
	o := "https://a.example"
	origins := []string{o}
	n := int(12 * time.Hour) // rs/cors's MaxAge, an int of seconds
	pre := func(method string, more ...string) *request { r := preflightReq(o, method, more...); return &r }
	get := func(origin string) *request { return &request{method: "GET", lines: lines("Origin", origin)} }
	forbidden := func(field, value string) ConfigWarning {
		return ConfigWarning{Field: field, Value: value, Message: `a forbidden request header in the Fetch standard: browsers set it themselves and never ask a preflight for it, so listing it does nothing; remove it`}
	}
	cases := []warningCase{
		{name: "MaxAge as a bare number of seconds sends no Max-Age",
			cfg: Config{AllowOrigins: origins, MaxAge: 600},
			want: []ConfigWarning{
				{Field: "MaxAge", Value: "600ns", Message: `less than a second: MaxAge is a time.Duration, so a bare number counts nanoseconds; gincors sends no Access-Control-Max-Age, and browsers keep a preflight answer about 5 seconds. Write 600 * time.Second`},
			},
			req: pre("POST"),
			res: result{204, hdr(headerAllowOrigin, o), false}},
		{name: "MaxAge not whole seconds is sent truncated",
			cfg: Config{AllowOrigins: origins, MaxAge: 1500 * time.Millisecond},
			want: []ConfigWarning{
				{Field: "MaxAge", Value: "1.5s", Message: `not a whole number of seconds, which is what Access-Control-Max-Age counts; gincors sends 1. Write 1s`},
			},
			req: pre("POST"),
			res: result{204, hdr(headerAllowOrigin, o, headerMaxAge, "1"), false}},
		{name: "ExposeHeaders * with credentials exposes nothing and is left out",
			cfg: Config{AllowOrigins: origins, AllowCredentials: true, ExposeHeaders: []string{"*"}},
			want: []ConfigWarning{
				{Field: "ExposeHeaders[0]", Value: "*", Message: `with AllowCredentials browsers read "*" as a header named "*", so it would expose nothing; gincors leaves it out. List the headers to expose, such as "X-Request-Id"`},
			},
			req: get(o),
			res: result{200, hdr(headerAllowOrigin, o, headerAllowCredentials, "true", "Vary", "Origin"), true}},
		{name: "Cookie in AllowHeaders, from a widely copied Gin template, is dropped",
			cfg: Config{AllowOrigins: origins, AllowMethods: []string{"PUT"}, AllowHeaders: []string{"Content-Type", "Cookie"}},
			want: []ConfigWarning{
				{Field: "AllowHeaders[1]", Value: "Cookie", Message: `a forbidden request header in the Fetch standard: browsers set it themselves and never ask a preflight for it, so listing it does nothing; remove it. Cookies are sent as credentials: set AllowCredentials, and credentials: "include" in the page's fetch() call`},
			},
			req: pre("PUT", headerRequestHeaders, "content-type"),
			res: result{204, hdr(headerAllowOrigin, o, headerAllowMethods, "PUT", headerAllowHeaders, "Content-Type"), false}},
		{name: "Origin in AllowHeaders, from gin-contrib's DefaultConfig, is dropped",
			cfg: Config{AllowOrigins: origins, AllowHeaders: []string{"Origin"}},
			want: []ConfigWarning{
				{Field: "AllowHeaders[0]", Value: "Origin", Message: `a forbidden request header in the Fetch standard: browsers set it themselves and never ask a preflight for it, so listing it does nothing. gin-contrib/cors's DefaultConfig lists it; remove it`},
			}},
		{name: "Content-Length in AllowHeaders, from gin-contrib's DefaultConfig, is dropped",
			cfg: Config{AllowOrigins: origins, AllowHeaders: []string{"Content-Type", "Content-Length"}},
			want: []ConfigWarning{
				{Field: "AllowHeaders[1]", Value: "Content-Length", Message: `a forbidden request header in the Fetch standard: browsers set it themselves and never ask a preflight for it, so listing it does nothing. gin-contrib/cors's DefaultConfig lists it; remove it`},
			}},
		{name: "comma-joined AllowHeaders entry is split, as gin-contrib effectively did",
			cfg: Config{AllowOrigins: origins, AllowMethods: []string{"PUT"}, AllowHeaders: []string{"Content-Type, Authorization, X-Token"}},
			want: []ConfigWarning{
				{Field: "AllowHeaders[0]", Value: "Content-Type, Authorization, X-Token", Message: `several names joined by ","; gincors reads them as "Content-Type", "Authorization", "X-Token"; write them as separate entries: []string{"Content-Type", "Authorization", "X-Token"}`},
			},
			req: pre("PUT", headerRequestHeaders, "authorization,x-token"),
			res: result{204, hdr(headerAllowOrigin, o, headerAllowMethods, "PUT", headerAllowHeaders, "Content-Type, Authorization, X-Token"), false}},
		{name: "comma-joined AllowMethods entry is split",
			cfg: Config{AllowOrigins: origins, AllowMethods: []string{"GET, POST, PUT"}},
			want: []ConfigWarning{
				{Field: "AllowMethods[0]", Value: "GET, POST, PUT", Message: `several names joined by ","; gincors reads them as "GET", "POST", "PUT"; write them as separate entries: []string{"GET", "POST", "PUT"}`},
			},
			req: pre("PUT"),
			res: result{204, hdr(headerAllowOrigin, o, headerAllowMethods, "GET, POST, PUT"), false}},
		{name: "comma-joined ExposeHeaders entry is split",
			cfg: Config{AllowOrigins: origins, ExposeHeaders: []string{"X-Total, X-Request-Id"}},
			want: []ConfigWarning{
				{Field: "ExposeHeaders[0]", Value: "X-Total, X-Request-Id", Message: `several names joined by ","; gincors reads them as "X-Total", "X-Request-Id"; write them as separate entries: []string{"X-Total", "X-Request-Id"}`},
			},
			req: get(o),
			res: result{200, hdr(headerAllowOrigin, o, headerExposeHeaders, "X-Total, X-Request-Id", "Vary", "Origin"), true}},
		{name: "header with surrounding spaces is trimmed",
			cfg: Config{AllowOrigins: origins, AllowMethods: []string{"PUT"}, AllowHeaders: []string{" X-Token "}},
			want: []ConfigWarning{
				{Field: "AllowHeaders[0]", Value: " X-Token ", Message: `leading or trailing space; gincors reads it as "X-Token"; write "X-Token"`},
			},
			req: pre("PUT", headerRequestHeaders, "x-token"),
			res: result{204, hdr(headerAllowOrigin, o, headerAllowMethods, "PUT", headerAllowHeaders, "X-Token"), false}},
		{name: "MIME type listed as a request header is dropped",
			cfg: Config{AllowOrigins: origins, AllowMethods: []string{"PUT"}, AllowHeaders: []string{"application/json"}},
			want: []ConfigWarning{
				{Field: "AllowHeaders[0]", Value: "application/json", Message: `a media type, not a header name, so no preflight asks for it; a request with a JSON body asks for "Content-Type": list "Content-Type" instead`},
			},
			req: pre("PUT"),
			res: result{204, hdr(headerAllowOrigin, o, headerAllowMethods, "PUT"), false}},
		{name: "MIME type with a parameter listed as a request header is dropped",
			cfg: Config{AllowOrigins: origins, AllowHeaders: []string{"application/json; charset=utf-8"}},
			want: []ConfigWarning{
				{Field: "AllowHeaders[0]", Value: "application/json; charset=utf-8", Message: `a media type, not a header name, so no preflight asks for it; a request with a JSON body asks for "Content-Type": list "Content-Type" instead`},
			}},
		{name: "response header listed as a request header stays allowed",
			cfg: Config{AllowOrigins: origins, AllowMethods: []string{"PUT"}, AllowHeaders: []string{"Access-Control-Allow-Origin"}},
			want: []ConfigWarning{
				{Field: "AllowHeaders[0]", Value: "Access-Control-Allow-Origin", Message: `a response header, which pages have no reason to send; a preflight asks for it only when a page sets it on its request by mistake (the fix is then in the page). It stays allowed; remove it once no page sends it`},
			},
			req: pre("PUT", headerRequestHeaders, "access-control-allow-origin"),
			res: result{204, hdr(headerAllowOrigin, o, headerAllowMethods, "PUT", headerAllowHeaders, "Access-Control-Allow-Origin"), false}},
		{name: "* next to other origins without credentials allows every origin",
			cfg: Config{AllowOrigins: []string{"https://a.example", "*"}},
			want: []ConfigWarning{
				{Field: "AllowOrigins[1]", Value: "*", Message: `"*" allows every origin, so the other origin settings have no effect; remove them, or remove "*"`},
			},
			req: get("https://b.example"),
			res: result{200, hdr(headerAllowOrigin, "*"), true}},
		{name: "* next to an origin function without credentials allows every origin",
			cfg: Config{AllowOrigins: []string{"*"}, AllowOriginFunc: func(string) bool { return false }},
			want: []ConfigWarning{
				{Field: "AllowOrigins[0]", Value: "*", Message: `"*" allows every origin, so the other origin settings have no effect; remove them, or remove "*"`},
			},
			req: get("https://b.example"),
			res: result{200, hdr(headerAllowOrigin, "*"), true}},
		{name: "* next to other methods allows every method",
			cfg: Config{AllowOrigins: origins, AllowMethods: []string{"*", "GET"}},
			want: []ConfigWarning{
				{Field: "AllowMethods[0]", Value: "*", Message: `"*" allows every method, so the other entries have no effect; remove them, or remove "*"`},
			},
			req: pre("PROPFIND"),
			res: result{204, hdr(headerAllowOrigin, o, headerAllowMethods, "*"), false}},
		{name: "* next to other headers allows every header",
			cfg: Config{AllowOrigins: origins, AllowMethods: []string{"PUT"}, AllowHeaders: []string{"*", "X-A"}},
			want: []ConfigWarning{
				{Field: "AllowHeaders", Value: "*,X-A", Message: `"*" allows every header but Authorization, so the other entries have no effect; keep "*" and, if needed, "Authorization"`},
			},
			req: pre("PUT", headerRequestHeaders, "x-b"),
			res: result{204, hdr(headerAllowOrigin, o, headerAllowMethods, "PUT", headerAllowHeaders, "*"), false}},
		{name: "* next to other exposed headers exposes every header",
			cfg: Config{AllowOrigins: origins, ExposeHeaders: []string{"X-A", "*"}},
			want: []ConfigWarning{
				{Field: "ExposeHeaders[1]", Value: "*", Message: `"*" exposes every header, so the other entries have no effect; remove them, or remove "*"`},
			},
			req: get(o),
			res: result{200, hdr(headerAllowOrigin, o, headerExposeHeaders, "*", "Vary", "Origin"), true}},
		{name: "MaxAge of a year is clamped to 24h",
			cfg: Config{AllowOrigins: origins, AllowMethods: []string{"PUT"}, MaxAge: 365 * 24 * time.Hour},
			want: []ConfigWarning{
				{Field: "MaxAge", Value: "8760h0m0s", Message: `above 24h, which no browser honours (Firefox caps at 24h, Chromium at 2h, Safari at 10m); gincors sends 24h (86400); write 24*time.Hour or less`},
			},
			req: pre("PUT"),
			res: result{204, hdr(headerAllowOrigin, o, headerAllowMethods, "PUT", headerMaxAge, "86400"), false}},
		{name: "negative MaxAge, as rs/cors wrote no cache, sends 0",
			cfg: Config{AllowOrigins: origins, AllowMethods: []string{"PUT"}, MaxAge: -time.Second},
			want: []ConfigWarning{
				{Field: "MaxAge", Value: "-1s", Message: `negative; gincors sends "Access-Control-Max-Age: 0", as rs/cors did, so browsers send a preflight before every such request. Write gincors.DisablePreflightCache for that, 0 to send no Access-Control-Max-Age, or a duration up to 24*time.Hour`},
			},
			req: pre("PUT"),
			res: result{204, hdr(headerAllowOrigin, o, headerAllowMethods, "PUT", headerMaxAge, "0"), false}},
		{name: "rs/cors's MaxAge int(12*time.Hour) times time.Second overflows into a negative MaxAge, which sends 0",
			cfg: Config{AllowOrigins: origins, AllowMethods: []string{"PUT"}, MaxAge: time.Duration(n) * time.Second},
			want: []ConfigWarning{
				{Field: "MaxAge", Value: "-631839h3m47.769884672s", Message: `negative; gincors sends "Access-Control-Max-Age: 0", as rs/cors did, so browsers send a preflight before every such request. Write gincors.DisablePreflightCache for that, 0 to send no Access-Control-Max-Age, or a duration up to 24*time.Hour`},
			},
			req: pre("PUT"),
			res: result{204, hdr(headerAllowOrigin, o, headerAllowMethods, "PUT", headerMaxAge, "0"), false}},
		{name: "AllowHeaders * without Authorization, with credentials: a bearer token's preflight fails",
			cfg: Config{AllowOrigins: origins, AllowMethods: []string{"PUT"}, AllowHeaders: []string{"*"}, AllowCredentials: true},
			want: []ConfigWarning{
				{Field: "AllowHeaders", Value: "*", Message: `"*" never covers Authorization (https://fetch.spec.whatwg.org/#http-access-control-allow-headers), and AllowCredentials is set, so pages may send a bearer token in Authorization, whose preflight then fails; add "Authorization" next to "*" if they do`},
			},
			req: pre("PUT", headerRequestHeaders, "authorization"),
			res: result{403, hdr(), false}},
		{name: "AllowHeaders * without Authorization, exposing a token header",
			cfg: Config{AllowOrigins: origins, AllowHeaders: []string{"*"}, ExposeHeaders: []string{"X-Auth-Token"}},
			want: []ConfigWarning{
				{Field: "AllowHeaders", Value: "*", Message: `"*" never covers Authorization (https://fetch.spec.whatwg.org/#http-access-control-allow-headers), and ExposeHeaders lists "X-Auth-Token", so pages may send a bearer token in Authorization, whose preflight then fails; add "Authorization" next to "*" if they do`},
			}},
		{name: "lower-case put is upper-cased, as fetch() does",
			cfg: Config{AllowOrigins: origins, AllowMethods: []string{"put"}},
			want: []ConfigWarning{
				{Field: "AllowMethods[0]", Value: "put", Message: `fetch() upper-cases this method, so pages send "PUT" however they write it; gincors reads it as "PUT"; write "PUT"`},
			},
			req: pre("PUT"),
			res: result{204, hdr(headerAllowOrigin, o, headerAllowMethods, "PUT"), false}},
		{name: "lower-case patch allows only patch: a page writing PATCH is refused",
			cfg: Config{AllowOrigins: origins, AllowMethods: []string{"patch"}},
			want: []ConfigWarning{
				{Field: "AllowMethods[0]", Value: "patch", Message: `method names are case-sensitive (RFC 9110 §9.1), so this allows only "patch": a page whose fetch() writes "PATCH" is refused, and one that writes "patch" passes the preflight but Gin routes it apart from "PATCH" (router.PATCH does not match it), answering 404 or 405. gin-contrib/cors upper-cased it; write "PATCH"`},
			},
			req: pre("PATCH"),
			res: result{403, hdr(), false}},
		{name: "forbidden method is dropped",
			cfg: Config{AllowOrigins: origins, AllowMethods: []string{"GET", "CONNECT"}},
			want: []ConfigWarning{
				{Field: "AllowMethods[1]", Value: "CONNECT", Message: `a forbidden method in the Fetch standard, which browsers never send, so listing it does nothing; remove it`},
			},
			req: pre("CONNECT"),
			res: result{403, hdr(), false}},
		{name: "exposing Set-Cookie is dropped",
			cfg: Config{AllowOrigins: origins, ExposeHeaders: []string{"Set-Cookie"}},
			want: []ConfigWarning{
				{Field: "ExposeHeaders[0]", Value: "Set-Cookie", Message: `browsers never let scripts read Set-Cookie, whatever the server says, so listing it does nothing; remove it`},
			},
			req: get(o),
			res: result{200, hdr(headerAllowOrigin, o, "Vary", "Origin"), true}},
		{name: "origin function that panics at start is not checked, and the start goes on",
			cfg: Config{AllowCredentials: true, AllowOriginFunc: func(string) bool { panic("origin store not loaded") }},
			want: []ConfigWarning{
				{Field: "AllowOriginFunc", Value: "", Message: `panicked when asked at start about "https://gincors-check.invalid" (origin store not loaded), so it was not fully checked (docs/configuration.md); return false for an origin you do not know, or set DangerouslySkipOriginFuncCheck if it cannot run before the server starts`},
			}},
		{name: "origin with a trailing slash is read without it",
			cfg: Config{AllowOrigins: []string{"https://Example.com/"}},
			want: []ConfigWarning{
				{Field: "AllowOrigins[0]", Value: "https://Example.com/", Message: `a trailing slash, which no Origin header has; gincors reads it as "https://example.com"; write "https://example.com"`},
			},
			req: get("https://example.com"),
			res: result{200, hdr(headerAllowOrigin, "https://example.com", "Vary", "Origin"), true}},
		{name: "origin with a path is read without it",
			cfg: Config{AllowOrigins: []string{"https://app.example.com/app"}, AllowCredentials: true},
			want: []ConfigWarning{
				{Field: "AllowOrigins[0]", Value: "https://app.example.com/app", Message: `a path, "/app" (an origin is a scheme, a host and a port), which no Origin header has; gincors reads it as "https://app.example.com"; write "https://app.example.com"`},
			},
			req: get("https://app.example.com"),
			res: result{200, hdr(headerAllowOrigin, "https://app.example.com", headerAllowCredentials, "true", "Vary", "Origin"), true}},
		{name: "origin with surrounding spaces, from splitting a list by hand, is trimmed",
			cfg: Config{AllowOrigins: []string{"https://a.example", " https://b.example "}},
			want: []ConfigWarning{
				{Field: "AllowOrigins[1]", Value: " https://b.example ", Message: `leading or trailing space, which no Origin header has; gincors reads it as "https://b.example"; write "https://b.example"`},
			},
			req: get("https://b.example"),
			res: result{200, hdr(headerAllowOrigin, "https://b.example", "Vary", "Origin"), true}},
		{name: "wildcard origin with spaces and a trailing slash is tidied",
			cfg: Config{AllowOrigins: []string{" https://*.example.com/ "}},
			want: []ConfigWarning{
				{Field: "AllowOrigins[0]", Value: " https://*.example.com/ ", Message: `leading or trailing space and a trailing slash, which no Origin header has; gincors reads it as "https://*.example.com"; write "https://*.example.com"`},
			},
			req: get("https://app.example.com"),
			res: result{200, hdr(headerAllowOrigin, "https://app.example.com", "Vary", "Origin"), true}},
		{name: "origins joined in one entry are split",
			cfg: Config{AllowOrigins: []string{"https://a.com,https://b.com"}},
			want: []ConfigWarning{
				{Field: "AllowOrigins[0]", Value: "https://a.com,https://b.com", Message: `2 origins joined by ","; no Origin header is ever a list, so gincors reads them as separate entries, each checked on its own; write AllowOrigins: []string{"https://a.com", "https://b.com"}, or, for a list in an environment variable, gincors.OriginsFromEnv`},
			},
			req: get("https://b.com"),
			res: result{200, hdr(headerAllowOrigin, "https://b.com", "Vary", "Origin"), true}},
		{name: "origins joined with spaces, a trailing slash and a trailing comma are split and tidied",
			cfg: Config{AllowOrigins: []string{"https://a.com/, https://b.com, "}, AllowCredentials: true},
			want: []ConfigWarning{
				{Field: "AllowOrigins[0]", Value: "https://a.com/, https://b.com, ", Message: `2 origins joined by ","; no Origin header is ever a list, so gincors reads them as separate entries, each checked on its own; write AllowOrigins: []string{"https://a.com", "https://b.com"}, or, for a list in an environment variable, gincors.OriginsFromEnv`},
			},
			req: get("https://a.com"),
			res: result{200, hdr(headerAllowOrigin, "https://a.com", headerAllowCredentials, "true", "Vary", "Origin"), true}},
		{name: "origin with a stray comma is read without it",
			cfg: Config{AllowOrigins: []string{"https://a.com,"}},
			want: []ConfigWarning{
				{Field: "AllowOrigins[0]", Value: "https://a.com,", Message: `a stray ",", which no Origin header holds; gincors reads it as "https://a.com"; write "https://a.com"`},
			},
			req: get("https://a.com"),
			res: result{200, hdr(headerAllowOrigin, "https://a.com", "Vary", "Origin"), true}},
		{name: "gin-contrib /regexp/ in AllowOrigins is read as an AllowOriginRegexps entry, anchored",
			cfg: Config{AllowOrigins: []string{`/https://[a-z]+\.example\.com/`}, AllowCredentials: true},
			want: []ConfigWarning{
				{Field: "AllowOrigins[0]", Value: `/https://[a-z]+\.example\.com/`, Message: "a regexp between /…/ delimiters, as gin-contrib/cors writes them; gincors checks it as AllowOriginRegexps: []string{\"https://[a-z]+\\\\.example\\\\.com\"} and matches it against the whole origin, as if written ^(?:…)$. Move it there, without delimiters: AllowOriginRegexps: []string{\"https://[a-z]+\\\\.example\\\\.com\"}; for subdomains, a pattern is simpler: AllowOrigins: []string{\"https://*.example.com\"}"},
			},
			req: get("https://app.example.com"),
			res: result{200, hdr(headerAllowOrigin, "https://app.example.com", headerAllowCredentials, "true", "Vary", "Origin"), true}},
		{name: "gin-contrib /regexp/ is anchored: a longer origin is not allowed",
			cfg: Config{AllowOrigins: []string{`/https://app\.example\.com/`}},
			want: []ConfigWarning{
				{Field: "AllowOrigins[0]", Value: `/https://app\.example\.com/`, Message: "a regexp between /…/ delimiters, as gin-contrib/cors writes them; gincors checks it as AllowOriginRegexps: []string{\"https://app\\\\.example\\\\.com\"} and matches it against the whole origin, as if written ^(?:…)$. Move it there, without delimiters: AllowOriginRegexps: []string{\"https://app\\\\.example\\\\.com\"}; for subdomains, a pattern is simpler: AllowOrigins: []string{\"https://*.example.com\"}"},
			},
			req: get("https://app.example.com.evil.io"),
			res: result{200, hdr("Vary", "Origin"), true}},
		{name: "Cookie in AllowHeaders with credentials already set",
			cfg: Config{AllowOrigins: origins, AllowHeaders: []string{"Cookie"}, AllowCredentials: true},
			want: []ConfigWarning{
				{Field: "AllowHeaders[0]", Value: "Cookie", Message: `a forbidden request header in the Fetch standard: browsers set it themselves and never ask a preflight for it, so listing it does nothing; remove it. Cookies travel as credentials, which AllowCredentials already allows; the page needs credentials: "include" in fetch()`},
			}},
		{name: "warnings come in the order of the fields and their indices, whichever check finds them",
			cfg: Config{AllowOrigins: []string{"https://a.example", "https://b.example/", "*"}, AllowMethods: []string{"put", "GET, POST"},
				AllowHeaders: []string{"application/json", "Cookie", "X-A, X-B"}, ExposeHeaders: []string{"Set-Cookie"}, MaxAge: 48 * time.Hour},
			want: []ConfigWarning{
				{Field: "AllowOrigins[1]", Value: "https://b.example/", Message: `a trailing slash, which no Origin header has; gincors reads it as "https://b.example"; write "https://b.example"`},
				{Field: "AllowOrigins[2]", Value: "*", Message: `"*" allows every origin, so the other origin settings have no effect; remove them, or remove "*"`},
				{Field: "AllowMethods[0]", Value: "put", Message: `fetch() upper-cases this method, so pages send "PUT" however they write it; gincors reads it as "PUT"; write "PUT"`},
				{Field: "AllowMethods[1]", Value: "GET, POST", Message: `several names joined by ","; gincors reads them as "GET", "POST"; write them as separate entries: []string{"GET", "POST"}`},
				{Field: "AllowHeaders[0]", Value: "application/json", Message: `a media type, not a header name, so no preflight asks for it; a request with a JSON body asks for "Content-Type": list "Content-Type" instead`},
				{Field: "AllowHeaders[1]", Value: "Cookie", Message: `a forbidden request header in the Fetch standard: browsers set it themselves and never ask a preflight for it, so listing it does nothing; remove it. Cookies are sent as credentials: set AllowCredentials, and credentials: "include" in the page's fetch() call`},
				{Field: "AllowHeaders[2]", Value: "X-A, X-B", Message: `several names joined by ","; gincors reads them as "X-A", "X-B"; write them as separate entries: []string{"X-A", "X-B"}`},
				{Field: "ExposeHeaders[0]", Value: "Set-Cookie", Message: "browsers never let scripts read Set-Cookie, whatever the server says, so listing it does nothing; remove it"},
				{Field: "MaxAge", Value: "48h0m0s", Message: "above 24h, which no browser honours (Firefox caps at 24h, Chromium at 2h, Safari at 10m); gincors sends 24h (86400); write 24*time.Hour or less"},
			}},
	}
	for _, h := range []string{"Accept-Encoding", "Upgrade", "Connection", "Host", "Access-Control-Request-Method", "Access-Control-Request-Headers", "Sec-Fetch-Mode", "Proxy-Authorization"} {
		cases = append(cases, warningCase{name: "forbidden request header " + h + " is dropped",
			cfg:  Config{AllowOrigins: origins, AllowHeaders: []string{h}},
			want: []ConfigWarning{forbidden("AllowHeaders[0]", h)}})
	}
	for _, m := range []string{"connect", "TRACE", "trace", "TRACK"} {
		cases = append(cases, warningCase{name: "forbidden method " + m + " is dropped",
			cfg:  Config{AllowOrigins: origins, AllowMethods: []string{m}},
			want: []ConfigWarning{{Field: "AllowMethods[0]", Value: m, Message: "a forbidden method in the Fetch standard, which browsers never send, so listing it does nothing; remove it"}}})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, tc.cfg.Validate(), "a warning never makes a Config invalid")
			assert.Equal(t, tc.want, tc.cfg.Warnings())
			var buf bytes.Buffer
			cfg := tc.cfg
			cfg.Logger = slog.New(slog.NewJSONHandler(&buf, nil))
			m, err := NewMiddleware(cfg)
			require.NoError(t, err)
			assert.Equal(t, tc.want, m.Warnings())
			assert.Equal(t, len(tc.want), strings.Count(buf.String(), `"level":"WARN"`), "NewMiddleware logs each warning once: %s", buf.String())
			if tc.req == nil {
				return
			}
			assert.Equal(t, tc.res, newTestServer(t, tc.cfg).serve(t, *tc.req))
		})
	}
}
func TestValidateReportsEveryProblem(t *testing.T) {
	err := Config{
		AllowOrigins: []string{"https://ok.example", "https://a.example?x", "null"},
		AllowMethods: []string{"GET POST"},
		AllowHeaders: []string{"X Y"},
	}.Validate()
	require.Error(t, err)
	got := strings.Split(err.Error(), "\n")
	require.Len(t, got, 4)
	assert.True(t, strings.HasPrefix(got[0], `gincors: AllowOrigins[1] "https://a.example?x"`), got[0])
	assert.True(t, strings.HasPrefix(got[1], `gincors: AllowOrigins[2] "null"`), got[1])
	assert.True(t, strings.HasPrefix(got[2], `gincors: AllowMethods[0] "GET POST"`), got[2])
	assert.True(t, strings.HasPrefix(got[3], `gincors: AllowHeaders[0] "X Y"`), got[3])
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
			`gincors: AllowOriginMatcher: a nil gincors.OriginFunc, which would panic on every request; set a matcher, or leave AllowOriginMatcher nil`},
		{"typed nil pointer", (*nilPointerMatcher)(nil),
			`gincors: AllowOriginMatcher: a nil *gincors.nilPointerMatcher, which would panic on every request; set a matcher, or leave AllowOriginMatcher nil`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Config{AllowOriginMatcher: tc.matcher}.Validate()
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, ConfigError{Field: "AllowOriginMatcher", Message: strings.TrimPrefix(tc.want, "gincors: AllowOriginMatcher: ")}, *ce)
		})
	}
}

func TestAnyOfSkipsNilMatchers(t *testing.T) {
	exact, err := ExactOrigins("https://a.example")
	require.NoError(t, err)
	m := AnyOf(nil, OriginFunc(nil), (*nilPointerMatcher)(nil), exact)
	assert.True(t, m.MatchOrigin("https://a.example"))
	assert.False(t, m.MatchOrigin("https://b.example"))
	s := newTestServer(t, Config{AllowOriginMatcher: m})
	got := s.serve(t, request{method: "GET", lines: lines("Origin", "https://a.example")})
	assert.Equal(t, result{status: 200, cors: hdr(headerAllowOrigin, "https://a.example", "Vary", "Origin"), handlerRan: true}, got)
}

// TestConfigErrorsAreTyped checks that every problem is a *ConfigError
// that errors.As finds, from Validate and from the matcher constructors.
func TestConfigErrorsAreTyped(t *testing.T) {
	err := Config{AllowOrigins: []string{"https://a.example?x", "*"}, AllowCredentials: true}.Validate()
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
		{Field: "AllowOrigins[0]", Value: "https://a.example?x", Message: `an origin has no query; write "https://a.example"`},
		{Field: "AllowOrigins[1]", Value: "*", Message: starWithCredentials},
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

// TestValidateAccepts: configurations accepted as they are, with no
// warning, including those that look like refused ones but are safe.
func TestValidateAccepts(t *testing.T) {
	known := map[string]bool{"https://app.example.com": true, "http://localhost:5173": true}
	cases := []struct {
		name string
		cfg  Config
	}{
		{"DefaultConfig with an origin", func() Config { c := DefaultConfig(); c.AllowOrigins = []string{"https://a.example"}; return c }()},
		{"* origins without credentials", Config{AllowOrigins: []string{"*"}, ExposeHeaders: []string{"*"}, AllowMethods: []string{"*"}, AllowHeaders: []string{"*", "Authorization"}}},
		{"only a context func", Config{AllowOriginWithContextFunc: func(*gin.Context, string) bool { return false }}},
		{"only a matcher", Config{AllowOriginMatcher: OriginFunc(func(string) bool { return false })}},
		{"loopback http origins with credentials", Config{AllowOrigins: []string{"http://localhost:*", "http://*.localhost:*", "http://127.0.0.1:8080", "http://[::1]:3000"}, AllowCredentials: true}},
		{"the development config with credentials", Config{AllowOrigins: []string{"http://localhost:*", "http://127.0.0.1:*"}, AllowCredentials: true}},
		{"insecure origin with credentials when dangerously allowed", Config{AllowOrigins: []string{"http://app.example.test:8080"}, AllowCredentials: true, DangerouslyAllowInsecureOrigins: true}},
		{"public suffix wildcard with credentials when dangerously allowed", Config{AllowOrigins: []string{"https://*.github.io"}, AllowCredentials: true, DangerouslyAllowPublicSuffixWildcards: true}},
		{"null when dangerously allowed", Config{AllowOrigins: []string{"null"}, DangerouslyAllowNullOrigin: true}},
		{"star without credentials", Config{AllowOrigins: []string{"*"}}},
		{"wildcard on a registrable domain with credentials", Config{AllowOrigins: []string{"https://*.example.com"}, AllowCredentials: true}},
		{"wildcard on an exception of a wildcard public-suffix rule", Config{AllowOrigins: []string{"https://*.city.kawasaki.jp"}, AllowCredentials: true}},
		{"wildcard on a user's github.io site", Config{AllowOrigins: []string{"https://*.me.github.io"}, AllowCredentials: true}},
		{"wildcard on a public suffix without credentials", Config{AllowOrigins: []string{"https://*.github.io"}}},
		{"plain http without credentials", Config{AllowOrigins: []string{"http://app.example.com"}}},
		{"a subdomain wildcard regexp with credentials", Config{AllowOriginRegexps: []string{`https://([a-z0-9-]+\.)+example\.com`}, AllowCredentials: true}},
		{"an optional subdomain regexp with credentials", Config{AllowOriginRegexps: []string{`https://([a-z0-9-]+\.)?example\.com(:\d+)?`}, AllowCredentials: true}},
		{"a plain-http regexp with credentials when dangerously allowed", Config{AllowOriginRegexps: []string{`https?://example\.com`}, AllowCredentials: true, DangerouslyAllowInsecureOrigins: true}},
		{"a loopback regexp with credentials", Config{AllowOriginRegexps: []string{`http://localhost(:\d+)?`}, AllowCredentials: true}},
		{"anchored regexps with credentials", Config{AllowOriginRegexps: []string{`https://(www|app)\.example\.com`, `https://[a-z0-9-]+\.example\.com`}, AllowCredentials: true}},
		{"broad regexp without credentials", Config{AllowOriginRegexps: []string{`https://.*`}}},
		{"regexp for staging subdomains with credentials", Config{AllowOriginRegexps: []string{`https://[a-z0-9]+-staging\.example\.com`}, AllowCredentials: true}},
		{"regexp for preview deploys with credentials", Config{AllowOriginRegexps: []string{`https://.*-preview\.example\.com`}, AllowCredentials: true}},
		{"loopback regexps with a port and credentials", Config{AllowOriginRegexps: []string{`http://localhost:3000`, `http://127\.0\.0\.1:8080`, `http://localhost:\d+`}, AllowCredentials: true}},
		{"subdomain regexp with an optional port and credentials", Config{AllowOriginRegexps: []string{`https://.*\.example\.com(:\d+)?`}, AllowCredentials: true}},
		{"case-insensitive regexp with credentials", Config{AllowOriginRegexps: []string{`(?i)https://.*\.EXAMPLE\.com`}, AllowCredentials: true}},
		{"plain-http regexp with the insecure opt-in", Config{AllowOriginRegexps: []string{`https?://.*\.example\.com`}, AllowCredentials: true, DangerouslyAllowInsecureOrigins: true}},
		{"regexp on a registrable domain with private network access", Config{AllowOriginRegexps: []string{`https://[a-z]+\.example\.com`}, AllowPrivateNetwork: true}},
		{"largest MaxAge", Config{AllowOrigins: []string{"*"}, MaxAge: 24 * time.Hour}},
		{"DisablePreflightCache", Config{AllowOrigins: []string{"*"}, MaxAge: DisablePreflightCache}},
		{"preflight status 200", Config{AllowOrigins: []string{"*"}, OptionsSuccessStatus: 200}},
		{"upper-case custom method", Config{AllowOrigins: []string{"*"}, AllowMethods: []string{"PROPFIND", "M-SEARCH"}}},
		{"origin function that looks its origins up, with credentials", Config{AllowCredentials: true, AllowOriginFunc: func(s string) bool { return known[s] }}},
		{"context function that looks its origins up, with credentials", Config{AllowCredentials: true, AllowOriginWithContextFunc: func(_ *gin.Context, s string) bool { return known[s] }}},
		{"suffix check with https and a dot, with credentials", Config{AllowOrigins: []string{"https://app.example.com"}, AllowCredentials: true,
			AllowOriginFunc: func(s string) bool { return strings.HasPrefix(s, "https://") && strings.HasSuffix(s, ".example.com") }}},
		{"suffix check letting in http, with the insecure opt-in", Config{AllowOrigins: []string{"https://app.example.com"}, AllowCredentials: true, DangerouslyAllowInsecureOrigins: true,
			AllowOriginFunc: func(s string) bool { return strings.HasSuffix(s, ".example.com") }}},
		{"AllowHeaders * exposing an anti-forgery token", Config{AllowOrigins: []string{"https://a.example"}, AllowHeaders: []string{"*"}, ExposeHeaders: []string{"X-CSRF-Token"}}},
		{"function that allows every origin, without credentials", Config{AllowOriginFunc: func(string) bool { return true }}},
		{"tenant context function that reads the Host and adds to Vary, with credentials", Config{AllowCredentials: true,
			AllowOriginWithContextFunc: func(c *gin.Context, s string) bool {
				c.Writer.Header().Add("Vary", "Host")
				return c.Request.Host == "api.tenant.example" && known[s]
			}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.NoError(t, tc.cfg.Validate())
			assert.Empty(t, tc.cfg.Warnings())
		})
	}
}

// TestOriginFuncsAskedOnlyAtNew pins the cost of the check: a function is
// asked at New, once per question, and then once per request as before;
// without credentials it is not asked at New at all.
func TestOriginFuncsAskedOnlyAtNew(t *testing.T) {
	for _, credentials := range []bool{false, true} {
		var calls atomic.Int32
		cfg := Config{AllowCredentials: credentials, AllowOriginFunc: func(s string) bool { calls.Add(1); return s == "https://app.example.com" }}
		s := newTestServer(t, cfg)
		atNew := int(calls.Load())
		if credentials {
			assert.Equal(t, len(originQuestions(cfg, "AllowCredentials")), atNew, "one call per question")
		} else {
			assert.Zero(t, atNew)
		}
		got := s.serve(t, request{method: "GET", lines: lines("Origin", "https://app.example.com")})
		want := hdr(headerAllowOrigin, "https://app.example.com", "Vary", "Origin")
		if credentials {
			want = hdr(headerAllowOrigin, "https://app.example.com", headerAllowCredentials, "true", "Vary", "Origin")
		}
		assert.Equal(t, result{200, want, true}, got)
		assert.Equal(t, atNew+1, int(calls.Load()), "one call per request")
	}
}

// TestOriginFuncQuestions pins what a function is asked, in order, as
// docs/configuration.md lists it: the context function gets the same
// origins, on a request for http://gincors-check.invalid/.
func TestOriginFuncQuestions(t *testing.T) {
	var asked, askedWithContext []string
	cfg := Config{
		AllowOrigins:     []string{"https://app.example.com", "https://*.example.org", "http://localhost:3000", "https://admin.example.com:8443"},
		AllowCredentials: true,
		AllowOriginFunc:  func(s string) bool { asked = append(asked, s); return false },
		AllowOriginWithContextFunc: func(c *gin.Context, s string) bool {
			assert.Equal(t, "GET http://gincors-check.invalid/ "+s, c.Request.Method+" "+c.Request.URL.String()+" "+c.Request.Header.Get("Origin"))
			askedWithContext = append(askedWithContext, s)
			return false
		},
	}
	m, err := NewMiddleware(cfg)
	require.NoError(t, err)
	assert.Nil(t, m.Warnings())
	want := []string{
		"https://gincors-check.invalid",
		"http://gincors-check.invalid",
		"http://localhost.gincors-check.invalid",
		"https://localhost.gincors-check.invalid",
		"http://127.0.0.1.gincors-check.invalid",
		"https://gincors-checkexample.com",
		"https://app.example.com.gincors-check.invalid",
		"http://app.example.com",
		"https://gincors-checkexample.org",
		"http://gincors-check.example.org",
	}
	assert.Equal(t, want, asked)
	assert.Equal(t, want, askedWithContext)
}

// TestOriginFuncThatBlocksDoesNotHangNew: a function that never answers
// costs New at most originFuncCheckTimeout, and is reported.
func TestOriginFuncThatBlocksDoesNotHangNew(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	cfg := Config{AllowCredentials: true, AllowOriginFunc: func(string) bool { <-release; return false }}
	start := time.Now()
	m, err := NewMiddleware(cfg)
	elapsed := time.Since(start)
	require.NoError(t, err)
	assert.Less(t, elapsed, originFuncCheckTimeout+time.Second)
	assert.Equal(t, []ConfigWarning{{Field: "AllowOriginFunc", Message: "did not answer within 1s when asked at start about origins no one can own, so it was not checked (docs/configuration.md); an origin function runs on every request and should answer quickly. If it waits for something that is ready only later, set DangerouslySkipOriginFuncCheck"}}, m.Warnings())
}

// TestNewLogsWarningsOnce: New logs each warning once, at WARN, to Logger,
// else to slog.Default(), and requests log none.
func TestNewLogsWarningsOnce(t *testing.T) {
	cfg := Config{AllowOrigins: []string{"https://a.example"}, AllowHeaders: []string{"Cookie"}, MaxAge: 48 * time.Hour}
	want := []map[string]any{
		{"level": "WARN", "field": "AllowHeaders[0]", "value": "Cookie",
			"msg": `gincors: AllowHeaders[0] "Cookie": a forbidden request header in the Fetch standard: browsers set it themselves and never ask a preflight for it, so listing it does nothing; remove it. Cookies are sent as credentials: set AllowCredentials, and credentials: "include" in the page's fetch() call`},
		{"level": "WARN", "field": "MaxAge", "value": "48h0m0s",
			"msg": `gincors: MaxAge "48h0m0s": above 24h, which no browser honours (Firefox caps at 24h, Chromium at 2h, Safari at 10m); gincors sends 24h (86400); write 24*time.Hour or less`},
	}
	records := func(buf *bytes.Buffer) []map[string]any {
		var got []map[string]any
		for line := range strings.SplitSeq(strings.TrimSpace(buf.String()), "\n") {
			if line == "" {
				continue
			}
			var rec map[string]any
			require.NoError(t, json.Unmarshal([]byte(line), &rec))
			delete(rec, "time")
			got = append(got, rec)
		}
		return got
	}

	t.Run("to Logger", func(t *testing.T) {
		var buf bytes.Buffer
		cfg := cfg
		cfg.Logger = slog.New(slog.NewJSONHandler(&buf, nil))
		s := newTestServer(t, cfg)
		assert.Equal(t, want, records(&buf))
		buf.Reset()
		got := s.serve(t, request{method: "GET", lines: lines("Origin", "https://a.example")})
		assert.Equal(t, result{200, hdr(headerAllowOrigin, "https://a.example", "Vary", "Origin"), true}, got)
		assert.Empty(t, buf.String(), "a request logs no warning")
	})
	t.Run("to slog.Default", func(t *testing.T) {
		var buf bytes.Buffer
		old := slog.Default()
		slog.SetDefault(slog.New(slog.NewJSONHandler(&buf, nil)))
		t.Cleanup(func() { slog.SetDefault(old) })
		New(cfg)
		assert.Equal(t, want, records(&buf))
	})
	t.Run("Reconfigure logs the new Config's warnings", func(t *testing.T) {
		var buf bytes.Buffer
		cfg := cfg
		cfg.Logger = slog.New(slog.NewJSONHandler(&buf, nil))
		m, err := NewMiddleware(Config{AllowOrigins: []string{"*"}, Logger: cfg.Logger})
		require.NoError(t, err)
		assert.Empty(t, buf.String())
		assert.Nil(t, m.Warnings())
		require.NoError(t, m.Reconfigure(cfg))
		assert.Equal(t, want, records(&buf))
		assert.Len(t, m.Warnings(), 2)
	})
}
