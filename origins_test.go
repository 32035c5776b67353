package gincors

// Tests of the origin decision and the regexp engine (origins.go).

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// originCases pins down origin matching (behaviour 7) for one config that
// uses every kind of pattern.
var originCases = []struct {
	name    string
	origin  string
	allowed bool
}{
	{"exact origin matches itself", "https://app.example.com", true},
	{"exact origin does not match another scheme", "http://app.example.com", false},
	{"exact origin does not match another port", "https://app.example.com:8443", false},
	{"exact origin does not match a subdomain", "https://x.app.example.com", false},
	{"exact origin does not match a longer host", "https://app.example.com.evil.com", false},
	{"exact origin does not match with a trailing slash", "https://app.example.com/", false},
	{"exact origin does not match in upper case", "https://APP.example.com", false},
	{"exact origin does not match with its default port spelled out", "https://app.example.com:443", false},
	{"exact origin with a port matches", "http://127.0.0.1:3000", true},
	{"exact IPv6 origin matches", "http://[::1]:8080", true},
	{"exact Punycode origin configured in Unicode matches", "https://xn--bcher-kva.example", true},

	{"wildcard matches one label", "https://a.example.org", true},
	{"wildcard matches several labels", "https://a.b.example.org", true},
	{"wildcard does not match the parent domain", "https://example.org", false},
	{"wildcard does not match a lookalike domain", "https://evilexample.org", false},
	{"wildcard does not match the domain as a prefix", "https://a.example.org.evil.com", false},
	{"wildcard does not match another scheme", "http://a.example.org", false},
	{"wildcard does not match another port", "https://a.example.org:8443", false},
	{"wildcard does not match an empty label", "https://.example.org", false},
	{"wildcard with a port matches that port", "https://a.example.net:8443", true},
	{"wildcard with a port does not match the default port", "https://a.example.net", false},
	{"wildcard subdomain and port matches any port", "https://a.dev.example.io:1234", true},
	{"wildcard subdomain and port matches no port", "https://a.dev.example.io", true},
	{"wildcard subdomain and port does not match the parent", "https://dev.example.io:1234", false},

	{"port wildcard matches no port", "http://localhost", true},
	{"port wildcard matches any port", "http://localhost:5173", true},
	{"port wildcard does not match a subdomain", "http://a.localhost:5173", false},
	{"port wildcard does not match another scheme", "https://localhost:5173", false},
	{"port wildcard does not match port 0", "http://localhost:0", false},
	{"port wildcard does not match port 65536", "http://localhost:65536", false},
	{"port wildcard does not match a port with a leading zero", "http://localhost:05173", false},

	{"regexp matches the whole origin", "https://pr-42.preview.example.dev", true},
	{"regexp is anchored at the start", "https://evil.com/https://pr-42.preview.example.dev", false},
	{"regexp is anchored at the end", "https://pr-42.preview.example.dev.evil.com", false},

	{"null matches no pattern", "null", false},
	{"empty origin is not allowed", "", false},
	{"origin with a path is not allowed", "https://app.example.com/path", false},
	{"origin with userinfo is not allowed", "https://user@app.example.com", false},
	{"origin with a space is not allowed", "https://a.example.org ", false},
	{"origin with percent-encoding is not allowed", "https://a%2eexample.org", false},
	{"origin with a Unicode host is not allowed", "https://bücher.example", false},
	{"origin with a NUL byte is not allowed", "https://a.example.org\x00", false},
	{"origin without a scheme is not allowed", "a.example.org", false},
	{"origin longer than any real origin is not allowed", "https://" + strings.Repeat("a", 300) + ".example.org", false},
}

func originTestConfig() Config {
	return Config{
		AllowOrigins: []string{
			"https://app.example.com", "http://127.0.0.1:3000", "http://[::1]:8080",
			"https://bücher.example", "https://*.example.org", "https://*.example.net:8443",
			"https://*.dev.example.io:*", "http://localhost:*",
		},
		AllowOriginRegexps: []string{`https://pr-\d+\.preview\.example\.dev`},
	}
}

func TestOriginMatching(t *testing.T) {
	p, err := compile(originTestConfig())
	require.NoError(t, err)
	for _, tc := range originCases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.allowed, p.origins.allows(nil, tc.origin), "origin %q", tc.origin)
		})
	}
}

// OriginFunc and custom matchers only ever see well-formed origins.
func TestMatchersSeeOnlyWellFormedOrigins(t *testing.T) {
	var seen []string
	p, err := compile(Config{AllowOriginMatcher: OriginFunc(func(o string) bool {
		seen = append(seen, o)
		return true
	})})
	require.NoError(t, err)
	for _, o := range []string{"null", "", "https://a.example/x", "HTTPS://A.EXAMPLE", "https://a.example:443", strings.Repeat("x", 10000),
		"http://[0:0::1]", "https://999.1.1.1", "https://1.2.3", "https://0x7f.1"} {
		assert.False(t, p.origins.allows(nil, o), "origin %q", o)
	}
	assert.Empty(t, seen)
	assert.True(t, p.origins.allows(nil, "https://a.example"))
	assert.Equal(t, []string{"https://a.example"}, seen)
}

// A regexp whose suffix would close the anchoring group early cannot
// escape the anchors.
func TestRegexpCannotEscapeAnchors(t *testing.T) {
	for _, expr := range []string{`https://a\.example)|(.*`, `\Qhttps://a.example`} {
		m, err := RegexpOrigins(expr)
		if err != nil {
			continue // refused outright is also safe
		}
		assert.False(t, m.MatchOrigin("https://evil.example"), "expr %q", expr)
	}
	m, err := RegexpOrigins(`\Qhttps://a.example`)
	require.NoError(t, err)
	assert.True(t, m.MatchOrigin("https://a.example"))
	assert.False(t, m.MatchOrigin("https://a.example.evil"))
}

// fuzzDeriveOrigin turns a pattern into an origin that may match it,
// replacing the wildcards with label.
func fuzzDeriveOrigin(pattern, label string) string {
	s := strings.Replace(pattern, "*.", label+".", 1)
	if strings.HasSuffix(s, ":*") {
		s = strings.TrimSuffix(s, "*") + label
		if label == "" {
			s = strings.TrimSuffix(s, ":")
		}
	}
	return strings.ToLower(s)
}

// FuzzOriginMatch checks that the compiled policy, ExactOrigins and
// WildcardOrigins allow exactly the origins that the net/url reference
// matches against the same patterns.
func FuzzOriginMatch(f *testing.F) {
	f.Add("https://example.com", "https://example.com", "a")
	f.Add("https://*.example.com", "https://a.example.com", "a")
	f.Add("https://*.example.com", "https://example.com", "")
	f.Add("https://*.example.com", "https://evilexample.com", "a.b")
	f.Add("https://*.example.com", "https://a.example.com.evil.invalid", "x")
	f.Add("https://*.example.co", "https://a.example.community", "a")
	f.Add("http://localhost:*", "http://localhost:5173", "8080")
	f.Add("http://localhost:*", "http://localhost", "")
	f.Add("http://localhost:*", "http://localhost:0", "0")
	f.Add("http://localhost:*", "http://localhost:65536", "65536")
	f.Add("http://localhost:*", "http://localhost:080", "080")
	f.Add("https://*.example.com:*", "https://a.b.example.com:8443", "a.b")
	f.Add("HTTPS://Example.COM:443", "https://example.com", "")
	f.Add("https://example.com:8443\nhttps://*.example.org", "https://x.example.org", "x")
	f.Add("http://[::1]:*", "http://[::1]:3000", "3000")
	f.Add("http://[0:0::1]", "http://[::1]", "")
	f.Add("http://127.0.0.1:8080", "http://127.0.0.1:8080", "")
	f.Add("https://xn--bcher-kva.example", "https://xn--bcher-kva.example", "")
	f.Add("https://*.foo.bar\nhttps://*.barfoo.bar", "https://barfoo.bar", "bar")
	f.Add("http://localhost*", "http://localhost.evil.com", "x")
	f.Add("https://*.example.com", "https://a_b.example.com", "a_b")
	f.Add("https://*.example.com", "https://-.example.com", "-")
	f.Add("https://*.example.com", "https://A.example.com", "A")
	f.Add("https://*.example.com", "https://a..example.com", "a.")
	f.Add("https://*.example.com", "https://a.example.com:443", "a")
	f.Add("https://*.example.com", "https://a.example.com:8443", "a")
	f.Add("https://*.example.com:8443", "https://a.example.com", "a")
	f.Add("http://*.example.com:*", "https://a.example.com", "a")
	f.Add("wss://*.example.com:*", "wss://a.example.com:1", "1")
	f.Fuzz(func(t *testing.T, patterns, rawOrigin, label string) {
		lines := strings.Split(patterns, "\n")
		if len(lines) > 4 {
			lines = lines[:4]
		}
		var accepted []string
		var refs []fuzzRefPattern
		for _, s := range lines {
			pat, err := parseOriginPattern(s)
			ref, refOK := fuzzRefParsePattern(s)
			if err != nil {
				// The reference does not decode Punycode: a label that starts
				// with "xn--" is checked by the library through IDNA, as
				// browsers' URL parsers do ("xn--" alone is not a valid
				// label), so only an acceptance of one would be a finding.
				if refOK && !strings.Contains(s, "*") && ref.host != "" && len(ref.scheme) <= 32 && ref.scheme != "file" &&
					fuzzSchemeOK(ref.scheme) && strings.Trim(s, " ") == s && !fuzzHasACELabel(ref.host) {
					t.Errorf("ParsePattern(%q) refused a pattern the reference reads as %q: %v", s, ref, err)
				}
				continue
			}
			if !refOK {
				// Unicode hosts and the like: check the canonical form
				// instead, which must be ASCII and readable.
				if ref, refOK = fuzzRefParsePattern(pat.String()); !refOK {
					t.Fatalf("ParsePattern(%q) = %q, which the reference cannot read", s, pat.String())
				}
			}
			if pat.String() != ref.String() {
				t.Fatalf("ParsePattern(%q) = %q, reference %q", s, pat.String(), ref.String())
			}
			accepted = append(accepted, s)
			refs = append(refs, ref)
		}
		if len(accepted) == 0 {
			return
		}
		p, err := compile(Config{AllowOrigins: accepted})
		if err != nil {
			t.Fatalf("compile(%q): %v", accepted, err)
		}
		var exact, wild []string
		for i, s := range accepted {
			if refs[i].anySubdomain || refs[i].anyPort {
				wild = append(wild, s)
			} else {
				exact = append(exact, s)
			}
		}
		em, err := ExactOrigins(exact...)
		if err != nil {
			t.Fatalf("ExactOrigins(%q): %v", exact, err)
		}
		wm, err := WildcardOrigins(wild...)
		if err != nil {
			t.Fatalf("WildcardOrigins(%q): %v", wild, err)
		}
		candidates := []string{rawOrigin}
		for _, s := range accepted {
			candidates = append(candidates, fuzzDeriveOrigin(s, label))
		}
		for _, ref := range refs {
			candidates = append(candidates, fuzzDeriveOrigin(ref.String(), label))
		}
		for _, o := range candidates {
			want := false
			if ro, ok := fuzzRefParseOrigin(o); ok {
				for _, ref := range refs {
					want = want || fuzzRefMatch(ref, ro)
				}
			}
			if got := p.origins.allows(nil, o); got != want {
				t.Errorf("patterns %q, origin %q: policy allows = %v, reference = %v", accepted, o, got, want)
			}
			if got := em.MatchOrigin(o) || wm.MatchOrigin(o); got != want {
				t.Errorf("patterns %q, origin %q: ExactOrigins/WildcardOrigins = %v, reference = %v", accepted, o, got, want)
			}
		}
	})
}

// fuzzHasACELabel reports whether host has a label in Punycode form
// ("xn--…"), which the reference does not decode.
func fuzzHasACELabel(host string) bool {
	for _, l := range strings.Split(host, ".") {
		if strings.HasPrefix(l, "xn--") {
			return true
		}
	}
	return false
}
