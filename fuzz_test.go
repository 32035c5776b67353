package gincors

// Fuzz targets for the security guarantees in SECURITY.md.
//
// Every reference implementation in this file is deliberately slow and
// written without the code under test: origins are read with net/url,
// header lists with strings.Split, strings.Trim and strings.ToLower, and
// regexps are matched as whole strings with leftmost-longest semantics. Run
// one target with
//
//	go test -run '^$' -fuzz '^FuzzOriginMatch$' -fuzztime 20s .
//
// or all of them with .ci/fuzz. Under plain `go test` each target runs its
// seeds (f.Add and testdata/fuzz) deterministically.

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/publicsuffix"
)

// ---------------------------------------------------------------------------
// Reference origin and pattern parsing (net/url, obviously correct, slow).

// fuzzRefOrigin is an origin as the reference understands it.
type fuzzRefOrigin struct{ scheme, host, port string }

// fuzzRefDefaultPort is the port a serialized origin leaves out.
func fuzzRefDefaultPort(scheme string) string {
	switch scheme {
	case "http", "ws":
		return "80"
	case "https", "wss":
		return "443"
	}
	return ""
}

// fuzzRefValidDomain reports whether h is a lower-case ASCII host made of
// non-empty dot-separated labels of [a-z0-9_-], at most 63 bytes each and
// 253 in all; a host whose last label is numeric must be a dotted-quad IPv4
// address as browsers print it.
func fuzzRefValidDomain(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	labels := strings.Split(h, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 {
			return false
		}
		for _, r := range l {
			if !strings.ContainsRune("abcdefghijklmnopqrstuvwxyz0123456789-_", r) {
				return false
			}
		}
	}
	last := labels[len(labels)-1]
	if _, err := strconv.Atoi(last); err == nil || strings.Trim(last, "0123456789") == "" {
		a, err := netip.ParseAddr(h)
		return err == nil && a.Is4() && a.String() == h
	}
	return true
}

// fuzzRefValidIPv6 reports whether bracketed h is an IPv6 literal in the
// canonical form browsers send.
func fuzzRefValidIPv6(h string) bool {
	if !strings.HasPrefix(h, "[") || !strings.HasSuffix(h, "]") {
		return false
	}
	a, err := netip.ParseAddr(h[1 : len(h)-1])
	return err == nil && a.Is6() && a.Zone() == "" && "["+a.String()+"]" == h
}

// fuzzRefParseOrigin parses s with net/url and accepts it only if it is
// exactly the ASCII serialization of a tuple origin: nothing but scheme,
// "://", host and a non-default port, all lower case and canonical.
func fuzzRefParseOrigin(s string) (fuzzRefOrigin, bool) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Opaque != "" || u.User != nil ||
		u.Path != "" || u.RawPath != "" || u.ForceQuery || u.RawQuery != "" ||
		u.Fragment != "" || u.Host == "" {
		return fuzzRefOrigin{}, false
	}
	// url.Parse lower-cases the scheme; browsers send it lower-case.
	if u.Scheme+"://"+u.Host != s || len(u.Scheme) > 32 {
		return fuzzRefOrigin{}, false
	}
	o := fuzzRefOrigin{scheme: u.Scheme}
	hostport := u.Host
	if strings.HasPrefix(hostport, "[") {
		end := strings.Index(hostport, "]")
		if end < 0 {
			return fuzzRefOrigin{}, false
		}
		o.host = hostport[:end+1]
		if !fuzzRefValidIPv6(o.host) {
			return fuzzRefOrigin{}, false
		}
		hostport = hostport[end+1:]
		if hostport != "" && hostport[0] != ':' {
			return fuzzRefOrigin{}, false
		}
		hostport = strings.TrimPrefix(hostport, ":")
		if hostport == "" && strings.HasSuffix(u.Host, ":") {
			return fuzzRefOrigin{}, false
		}
		o.port = hostport
	} else {
		parts := strings.Split(hostport, ":")
		switch len(parts) {
		case 1:
		case 2:
			if parts[1] == "" {
				return fuzzRefOrigin{}, false
			}
			o.port = parts[1]
		default:
			return fuzzRefOrigin{}, false
		}
		o.host = parts[0]
		if !fuzzRefValidDomain(o.host) {
			return fuzzRefOrigin{}, false
		}
	}
	if o.port != "" {
		n, err := strconv.Atoi(o.port)
		if err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != o.port || o.port == fuzzRefDefaultPort(o.scheme) {
			return fuzzRefOrigin{}, false
		}
	}
	return o, true
}

// fuzzRefPattern is an origin pattern as the reference understands it.
type fuzzRefPattern struct {
	scheme, host, port string
	anySubdomain       bool
	anyPort            bool
}

func (p fuzzRefPattern) String() string {
	s := p.scheme + "://"
	if p.anySubdomain {
		s += "*."
	}
	s += p.host
	if p.anyPort {
		s += ":*"
	} else if p.port != "" {
		s += ":" + p.port
	}
	return s
}

// fuzzRefParsePattern parses an ASCII origin pattern: scheme "://"
// ["*."] host [":" port | ":*"], case-insensitive, default port elided. It
// does not know Unicode hosts (ok is false for them).
func fuzzRefParsePattern(s string) (p fuzzRefPattern, ok bool) {
	for _, r := range s {
		if r >= 0x80 {
			return p, false
		}
	}
	scheme, rest, found := strings.Cut(s, "://")
	if !found || scheme == "" {
		return p, false
	}
	p.scheme = strings.ToLower(scheme)
	if strings.HasPrefix(rest, "*.") {
		p.anySubdomain = true
		rest = rest[2:]
	}
	if strings.HasSuffix(rest, ":*") {
		p.anyPort = true
		rest = strings.TrimSuffix(rest, ":*")
	}
	u, err := url.Parse(p.scheme + "://" + rest)
	if err != nil || u.User != nil || u.Path != "" || u.RawQuery != "" || u.ForceQuery ||
		u.Fragment != "" || u.Opaque != "" || u.Scheme != p.scheme || u.Host != rest {
		return p, false
	}
	host := strings.ToLower(u.Hostname())
	if strings.Contains(rest, "[") {
		a, err := netip.ParseAddr(host)
		if err != nil || !a.Is6() || a.Zone() != "" || p.anySubdomain {
			return p, false
		}
		p.host = "[" + a.String() + "]"
	} else {
		if !fuzzRefValidDomain(host) {
			return p, false
		}
		if p.anySubdomain && strings.Trim(host[strings.LastIndex(host, ".")+1:], "0123456789") == "" {
			return p, false
		}
		p.host = host
	}
	if port := u.Port(); port != "" {
		if p.anyPort {
			return p, false
		}
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return p, false
		}
		p.port = strconv.Itoa(n)
		if p.port == fuzzRefDefaultPort(p.scheme) {
			p.port = ""
		}
	} else if strings.HasSuffix(rest, ":") {
		return p, false
	}
	return p, true
}

// fuzzRefMatch reports whether pattern p matches origin o, label by label.
func fuzzRefMatch(p fuzzRefPattern, o fuzzRefOrigin) bool {
	if p.scheme != o.scheme {
		return false
	}
	if !p.anyPort && p.port != o.port {
		return false
	}
	if p.anySubdomain {
		return strings.HasSuffix(o.host, "."+p.host) && !strings.HasPrefix(o.host, "[")
	}
	return p.host == o.host
}

// fuzzRefRegexpFullMatch reports whether expr matches the whole of s:
// with leftmost-longest semantics, a match spanning s exists if and only
// if the leftmost-longest match is [0, len(s)].
func fuzzRefRegexpFullMatch(expr, s string) bool {
	re, err := regexp.Compile(expr)
	if err != nil {
		return false
	}
	re.Longest()
	loc := re.FindStringIndex(s)
	return loc != nil && loc[0] == 0 && loc[1] == len(s)
}

// fuzzRefIsLoopback reports whether host names this machine.
func fuzzRefIsLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || host == "[::1]" {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Is4() && a.IsLoopback()
}

// fuzzRefIsPublicSuffix reports whether anyone can register a name directly
// under domain: domain, or a name just below it, is a public suffix.
func fuzzRefIsPublicSuffix(domain string) bool {
	if fuzzRefIsLoopback(domain) {
		return false
	}
	for _, d := range []string{domain, "fuzz-probe." + domain} {
		if s, _ := publicsuffix.PublicSuffix(d); s == d {
			return true
		}
	}
	return false
}

// fuzzCanaries are origins an attacker can own.
var fuzzCanaries = []string{
	"https://evil.invalid",
	"http://evil.invalid",
	"https://evil.invalid:8443",
	"https://example.com.evil.invalid",
	"https://evil.invalid.example.com.evil.invalid",
}

// ---------------------------------------------------------------------------
// Differential fuzz of origin matching.

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
				if refOK && !strings.Contains(s, "*") && ref.host != "" && len(ref.scheme) <= 32 && ref.scheme != "file" &&
					fuzzSchemeOK(ref.scheme) && strings.Trim(s, " ") == s {
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

// fuzzSchemeOK reports whether s is a URL scheme as RFC 3986 §3.1 spells it.
func fuzzSchemeOK(s string) bool {
	for i, r := range s {
		switch {
		case 'a' <= r && r <= 'z':
		case i > 0 && strings.ContainsRune("0123456789+-.", r):
		default:
			return false
		}
	}
	return s != ""
}

// ---------------------------------------------------------------------------
// Access-Control-Request-Headers parsing.

// fuzzHeaderConfigs is the family of AllowHeaders the header fuzzer uses.
var fuzzHeaderConfigs = [][]string{
	{"Content-Type", "X-Requested-With"},
	{"*"},
	{"*", "Authorization"},
	{"authorization", "x-a", "X-B"},
	{"X-" + strings.Repeat("l", 70), "content-type"},
	nil,
	fuzzNumberedHeaders(101), // more than maxRequestHeaderNames: the bound grows
}

// fuzzNumberedHeaders returns n header names x-h000, x-h001, ...
func fuzzNumberedHeaders(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("x-h%03d", i)
	}
	return names
}

// fuzzRefRequestHeaders is the reference reading of
// Access-Control-Request-Headers: split each line on commas, trim spaces
// and tabs, drop empty elements, require tokens, lower-case, at most
// maxRequestHeaderNames names (or as many as are allowed, if more), each
// allowed; with credentials, "*" allows every name but a literal "*".
func fuzzRefRequestHeaders(lines []string, allow []string, credentials bool) (ok bool, namedLines int, last string, auth bool) {
	allowed := map[string]bool{}
	star := false
	for _, h := range allow {
		if h == "*" {
			star = true
			continue
		}
		allowed[strings.ToLower(h)] = true
	}
	maxNames := max(maxRequestHeaderNames, len(allowed))
	const tchars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	total := 0
	for _, line := range lines {
		n := 0
		for _, elem := range strings.Split(line, ",") {
			name := strings.Trim(elem, " \t")
			if name == "" {
				continue
			}
			for i := 0; i < len(name); i++ {
				if !strings.ContainsRune(tchars, rune(name[i])) {
					return false, 0, "", false
				}
			}
			n++
			lower := strings.ToLower(name)
			if lower == "authorization" {
				auth = true
				if !allowed[lower] {
					return false, 0, "", false
				}
			} else if !allowed[lower] && (!star || credentials && lower == "*") {
				return false, 0, "", false
			}
		}
		total += n
		if n > 0 {
			namedLines++
			last = line
		}
	}
	if total > maxNames || len(lines) > maxNames || !fuzzRefWithinBounds(lines, star) {
		return false, 0, "", false
	}
	return true, namedLines, last, auth
}

// fuzzRefWithinBounds applies the documented bounds on the field's shape:
// with "*", no name longer than maxRequestHeaderNameLength; and at every
// separator byte (comma, space, tab), the separators so far are at most
// maxSeparatorSlack plus maxSeparatorsPerName for each name before it and
// one more.
func fuzzRefWithinBounds(lines []string, star bool) bool {
	seps, names := 0, 0
	for _, line := range lines {
		run := 0
		for i := 0; i < len(line); i++ {
			if c := line[i]; c == ' ' || c == '\t' || c == ',' {
				if run > 0 {
					names++
				}
				run = 0
				seps++
				if seps > maxSeparatorSlack+maxSeparatorsPerName*(names+1) {
					return false
				}
				continue
			}
			run++
			if star && run > maxRequestHeaderNameLength {
				return false
			}
		}
		if run > 0 {
			names++
		}
	}
	return true
}

// FuzzRequestHeaders checks checkRequestHeaders, and readRequestHeaders
// with its shortcuts (the browser-form lookup, then the memo from the third
// reading on), against the reference.
func FuzzRequestHeaders(f *testing.F) {
	f.Add("content-type", uint8(0))
	f.Add("Content-Type, X-Requested-With", uint8(0))
	f.Add(" content-type ,\t,x-requested-with\t", uint8(0))
	f.Add("content-type x-requested-with", uint8(0))
	f.Add("content-type\nx-requested-with", uint8(0))
	f.Add(",,,,\n\n,", uint8(0))
	f.Add("authorization", uint8(1))
	f.Add("authorization, x-anything", uint8(2))
	f.Add("AUTHORIZATION,X-A", uint8(3))
	f.Add("x-b\x00", uint8(3))
	f.Add("x-a;x-b", uint8(3))
	f.Add("x-"+strings.Repeat("l", 70), uint8(4))
	f.Add("X-"+strings.Repeat("L", 70), uint8(4))
	f.Add(strings.Repeat("x-a,", 100), uint8(3))
	f.Add(strings.Repeat("x-a,", 101), uint8(3))
	f.Add(strings.Repeat("x-a\n", 101), uint8(3))
	f.Add("x-ä", uint8(1))
	f.Add("content-type", uint8(5))
	f.Add("content-type,x-requested-with", uint8(0))
	f.Add("content-type,", uint8(0))
	f.Add(",content-type", uint8(0))
	f.Add("x-a,x-a,x-a", uint8(3))
	f.Add("x-b,authorization", uint8(3))
	f.Add(strings.Repeat("x-a,", 100)+"x-a", uint8(3))
	f.Add("authorization", uint8(2))
	f.Add("*", uint8(0x81))
	f.Add("*,x-a", uint8(0x82))
	f.Add(strings.Join(fuzzNumberedHeaders(101), ","), uint8(6))
	f.Add(strings.Join(fuzzNumberedHeaders(101), ",")+",x-h000", uint8(6))
	f.Fuzz(func(t *testing.T, field string, sel uint8) {
		allow := fuzzHeaderConfigs[int(sel&0x7f)%len(fuzzHeaderConfigs)]
		credentials := sel&0x80 != 0
		p, err := compile(Config{AllowOrigins: []string{"https://example.com"}, AllowHeaders: allow, AllowCredentials: credentials})
		if err != nil {
			t.Fatalf("compile: %v", err)
		}
		lines := strings.Split(field, "\n")
		wantOK, wantLines, wantLast, _ := fuzzRefRequestHeaders(lines, allow, credentials)
		// The memo stores an allowed line on its second reading, so the
		// third is answered from it.
		for _, reading := range []string{"first", "second", "from the memo"} {
			v := verdict{requestHeaders: lines}
			p.checkRequestHeaders(&v)
			ok := v.reason == 0
			if ok != wantOK {
				t.Fatalf("%s reading: AllowHeaders %q, lines %q: ok = %v, reference %v", reading, allow, lines, ok, wantOK)
			}
			if ok && (v.asked.lines != wantLines || v.asked.lastLine != wantLast) {
				t.Fatalf("%s reading: AllowHeaders %q, lines %q: got %+v, reference lines=%d last=%q",
					reading, allow, lines, v.asked, wantLines, wantLast)
			}
		}
	})
}

// ---------------------------------------------------------------------------
// Whole-middleware fuzz.

// fuzzPolicyCase is one configuration of the whole-middleware fuzzer with a
// reference of the origins it allows.
type fuzzPolicyCase struct {
	name    string
	cfg     func() Config
	allowed func(origin string) bool // for a single, exact Origin line
}

func fuzzRefAllowedBy(patterns ...string) func(string) bool {
	var refs []fuzzRefPattern
	for _, s := range patterns {
		p, ok := fuzzRefParsePattern(s)
		if !ok {
			panic("fuzzRefAllowedBy: bad pattern " + s)
		}
		refs = append(refs, p)
	}
	return func(s string) bool {
		o, ok := fuzzRefParseOrigin(s)
		if !ok {
			return false
		}
		for _, p := range refs {
			if fuzzRefMatch(p, o) {
				return true
			}
		}
		return false
	}
}

var fuzzPolicyCases = []fuzzPolicyCase{
	{
		name: "star",
		cfg: func() Config {
			return Config{AllowOrigins: []string{"*"}, AllowMethods: []string{"PUT"}, ExposeHeaders: []string{"*"}}
		},
		allowed: func(string) bool { return true },
	},
	{
		name: "credentials exact and wildcards",
		cfg: func() Config {
			return Config{
				AllowOrigins:     []string{"https://app.example.com", "https://*.example.org", "http://localhost:*"},
				AllowCredentials: true,
				AllowMethods:     []string{"PUT", "patch"},
				AllowHeaders:     []string{"Content-Type", "Authorization"},
				ExposeHeaders:    []string{"X-Id"},
				MaxAge:           time.Hour,
			}
		},
		allowed: fuzzRefAllowedBy("https://app.example.com", "https://*.example.org", "http://localhost:*"),
	},
	{
		name: "wildcard any method any header",
		cfg: func() Config {
			return Config{AllowOrigins: []string{"https://*.example.com:*"}, AllowMethods: []string{"*"}, AllowHeaders: []string{"*"}}
		},
		allowed: fuzzRefAllowedBy("https://*.example.com:*"),
	},
	{
		name: "credentials regexp",
		cfg: func() Config {
			return Config{
				AllowOriginRegexps: []string{`https://(a|b)\.example\.com`},
				AllowCredentials:   true,
				AllowMethods:       []string{"*"},
				AllowHeaders:       []string{"*", "Authorization"},
			}
		},
		allowed: func(s string) bool {
			_, ok := fuzzRefParseOrigin(s)
			return ok && fuzzRefRegexpFullMatch(`https://(a|b)\.example\.com`, s)
		},
	},
	{
		name: "passthrough private network",
		cfg: func() Config {
			return Config{
				AllowOrigins:         []string{"https://app.example.com"},
				OptionsPassthrough:   true,
				AllowPrivateNetwork:  true,
				OptionsSuccessStatus: 200,
			}
		},
		allowed: fuzzRefAllowedBy("https://app.example.com"),
	},
	{
		name: "credentials null opt-in",
		cfg: func() Config {
			return Config{
				AllowOrigins:               []string{"null", "https://app.example.com"},
				DangerouslyAllowNullOrigin: true,
				AllowCredentials:           true,
			}
		},
		allowed: func(s string) bool { return s == "null" || fuzzRefAllowedBy("https://app.example.com")(s) },
	},
	{
		name: "credentials origin func",
		cfg: func() Config {
			return Config{
				AllowOriginFunc: func(o string) bool {
					return strings.HasPrefix(o, "https://") && strings.HasSuffix(o, ".example.net")
				},
				AllowCredentials: true,
			}
		},
		allowed: func(s string) bool {
			o, ok := fuzzRefParseOrigin(s)
			return ok && o.scheme == "https" && o.port == "" && strings.HasSuffix(o.host, ".example.net")
		},
	},
	{
		name: "credentials wildcard matcher",
		cfg: func() Config {
			m, err := WildcardOrigins("https://*.example.com")
			if err != nil {
				panic(err)
			}
			return Config{OriginMatcher: m, AllowCredentials: true}
		},
		allowed: fuzzRefAllowedBy("https://*.example.com"),
	},
}

// fuzzSplitField splits a fuzzed field into header lines; the empty string
// means the header is absent.
func fuzzSplitField(s string) []string {
	if s == "" {
		return nil
	}
	if s == "\x00empty" {
		return []string{""}
	}
	return strings.Split(s, "\n")
}

// fuzzCheckResponse asserts the guarantees of SECURITY.md on one response
// and returns a description of the first violation, or "".
func fuzzCheckResponse(pc fuzzPolicyCase, cfg Config, method string, origins, acrm, acrh, acrpn []string, w *httptest.ResponseRecorder, ran bool) string {
	h := w.Result().Header
	preflight := method == http.MethodOptions && len(origins) > 0 && acrm != nil
	allowAll := len(cfg.AllowOrigins) == 1 && cfg.AllowOrigins[0] == "*"

	for name, vs := range h {
		if !strings.HasPrefix(name, "Access-Control-") && name != "Vary" {
			continue
		}
		for _, v := range vs {
			for i := 0; i < len(v); i++ {
				if c := v[i]; c < 0x20 && c != '\t' || c == 0x7f {
					return "control byte in " + name + ": " + strconv.Quote(v)
				}
			}
		}
	}

	// Guarantee 1.
	acao := h.Values(headerAllowOrigin)
	if len(acao) > 1 {
		return "several Access-Control-Allow-Origin lines"
	}
	if len(acao) == 1 {
		switch {
		case acao[0] == "*":
			if !allowAll || cfg.AllowCredentials {
				return "Access-Control-Allow-Origin: * from a policy that does not allow every origin"
			}
		case len(origins) != 1 || acao[0] != origins[0]:
			return "Access-Control-Allow-Origin " + strconv.Quote(acao[0]) + " is not the request's one Origin"
		case !pc.allowed(acao[0]):
			return "Access-Control-Allow-Origin " + strconv.Quote(acao[0]) + " not allowed by the reference"
		}
	}

	// Guarantee 2.
	acac := h.Values(headerAllowCredentials)
	if cfg.AllowCredentials {
		if len(acao) == 1 && acao[0] == "*" {
			return "credentials with *"
		}
		if (len(acac) == 1 && acac[0] == "true") != (len(acao) == 1) {
			return "Access-Control-Allow-Credentials does not accompany Access-Control-Allow-Origin"
		}
		for _, name := range []string{headerAllowMethods, headerAllowHeaders, headerExposeHeaders} {
			for _, v := range h.Values(name) {
				if v == "*" {
					return name + ": * with credentials"
				}
			}
		}
	} else if len(acac) != 0 {
		return "Access-Control-Allow-Credentials without AllowCredentials"
	}

	// Guarantee 3.
	if preflight {
		if ran != cfg.OptionsPassthrough {
			return "preflight: handler ran = " + strconv.FormatBool(ran)
		}
		originOK := len(origins) == 1 && (allowAll || pc.allowed(origins[0]))
		if !originOK && len(acao) != 0 {
			return "preflight from a refused origin got Access-Control-Allow-Origin"
		}
		if len(acao) == 0 {
			for name := range h {
				if strings.HasPrefix(name, "Access-Control-") || name == "Vary" {
					return "refused preflight carries " + name
				}
			}
			if !cfg.OptionsPassthrough && w.Code != statusPreflightRefused {
				return "refused preflight status " + strconv.Itoa(w.Code)
			}
		} else {
			if !cfg.OptionsPassthrough && (w.Code < 200 || w.Code > 299) {
				return "allowed preflight status " + strconv.Itoa(w.Code)
			}
			// Responses to OPTIONS are not cacheable (RFC 9110 §9.3.7), so a
			// preflight's answer needs no Vary, and gincors sets none.
			if len(h.Values("Vary")) != 0 {
				return "preflight answer with Vary"
			}
			if ahs := h.Values(headerAllowHeaders); len(ahs) == 1 && ahs[0] == "*" {
				for _, line := range acrh {
					for _, e := range strings.Split(line, ",") {
						if strings.EqualFold(strings.Trim(e, " \t"), "authorization") {
							return "Access-Control-Allow-Headers: * for a request naming Authorization"
						}
					}
				}
			}
		}
		if len(h.Values(headerAllowPrivateNetwork)) != 0 && !(len(acrpn) == 1 && acrpn[0] == "true" && cfg.AllowPrivateNetwork) {
			return "Access-Control-Allow-Private-Network without the request asking or without AllowPrivateNetwork"
		}
		return ""
	}
	if !ran {
		return "actual request did not reach the handler"
	}
	originOK := allowAll || len(origins) == 1 && pc.allowed(origins[0])
	if originOK != (len(acao) == 1) {
		return "actual request: Access-Control-Allow-Origin present = " + strconv.FormatBool(len(acao) == 1) +
			", reference allows = " + strconv.FormatBool(originOK)
	}
	if !allowAll && !strings.Contains(strings.Join(h.Values("Vary"), ","), "Origin") {
		return "actual request without Vary: Origin"
	}
	for _, name := range []string{headerAllowMethods, headerAllowHeaders, headerMaxAge, headerAllowPrivateNetwork} {
		if len(h.Values(name)) != 0 {
			return "actual request carries " + name
		}
	}
	return ""
}

// FuzzMiddleware sends random requests through a real gin.Engine for each
// configuration of fuzzPolicyCases and checks guarantees 1 to 3 on every
// response (guarantee 4's "never panics" is checked by the fuzzer itself).
func FuzzMiddleware(f *testing.F) {
	type seed struct {
		sel                             uint8
		method, origin, acrm, acrh, pna string
		unrouted                        bool
	}
	seeds := []seed{
		{1, "GET", "https://app.example.com", "", "", "", false},
		{1, "GET", "https://app.example.com.evil.invalid", "", "", "", false},
		{1, "OPTIONS", "https://app.example.com", "PUT", "content-type", "", false},
		{1, "OPTIONS", "https://a.example.org", "patch", "authorization,content-type", "", true},
		{1, "OPTIONS", "https://evil.invalid", "PUT", "", "", false},
		{1, "OPTIONS", "https://app.example.com\nhttps://evil.invalid", "PUT", "", "", false},
		{1, "OPTIONS", "https://app.example.com", "\x00empty", "", "", false},
		{1, "OPTIONS", "https://app.example.com", "PUT\nDELETE", "", "", false},
		{1, "OPTIONS", "", "PUT", "", "", false},
		{1, "OPTIONS", "https://app.example.com", "", "", "", false},
		{1, "GET", "null", "", "", "", false},
		{1, "GET", "http://localhost:0", "", "", "", false},
		{1, "GET", "http://localhost:65535", "", "", "", false},
		{0, "OPTIONS", "https://any.invalid", "DELETE", "x-a, authorization", "", false},
		{0, "OPTIONS", "\x00empty", "PUT", "", "true", false},
		{0, "GET", "", "", "", "", false},
		{2, "OPTIONS", "https://a.example.com:8443", "PURGE", "x-a,authorization", "", false},
		{2, "OPTIONS", "https://a.example.com:8443", "PURGE", "x-a, x-b\nx-c", "", false},
		{3, "OPTIONS", "https://a.example.com", "PURGE", "authorization", "", false},
		{3, "GET", "https://c.example.com", "", "", "", false},
		{4, "OPTIONS", "https://app.example.com", "GET", "", "true", false},
		{4, "OPTIONS", "https://evil.invalid", "GET", "", "true", false},
		{5, "OPTIONS", "null", "GET", "", "", false},
		{6, "GET", "https://x.example.net", "", "", "", false},
		{6, "GET", "https://x.example.net/", "", "", "", false},
		{7, "GET", "https://a.b.example.com", "", "", "", true},
		{7, "BREW", "https://a.example.com", "", "", "", false},
	}
	for _, s := range seeds {
		f.Add(s.sel, s.method, s.origin, s.acrm, s.acrh, s.pna, s.unrouted)
	}
	engines := make([]*secServer, len(fuzzPolicyCases))
	cfgs := make([]Config, len(fuzzPolicyCases))
	for i, pc := range fuzzPolicyCases {
		cfgs[i] = pc.cfg()
		engines[i] = secNewServer(f, cfgs[i])
	}
	f.Fuzz(func(t *testing.T, sel uint8, method, origin, acrm, acrh, pna string, unrouted bool) {
		i := int(sel) % len(fuzzPolicyCases)
		pc, fe := fuzzPolicyCases[i], engines[i]
		if method == "" {
			method = http.MethodGet
		}
		path := "/api"
		if unrouted {
			path = "/unrouted"
		}
		req := &http.Request{Method: method, URL: &url.URL{Path: path}, Header: http.Header{}, Host: "api.example.com", RequestURI: path}
		origins, methods, headers, pnas := fuzzSplitField(origin), fuzzSplitField(acrm), fuzzSplitField(acrh), fuzzSplitField(pna)
		if origins != nil {
			req.Header[headerOrigin] = origins
		}
		if methods != nil {
			req.Header[headerRequestMethod] = methods
		}
		if headers != nil {
			req.Header[headerRequestHeaders] = headers
		}
		if pnas != nil {
			req.Header[headerRequestPrivateNetwork] = pnas
		}
		// Other headers must never be a source of Access-Control-Allow-Origin.
		req.Header["Referer"] = []string{"https://app.example.com/"}
		req.Header["X-Forwarded-Host"] = []string{"app.example.com"}
		fe.ran = 0
		w := httptest.NewRecorder()
		fe.engine.ServeHTTP(w, req)
		if msg := fuzzCheckResponse(pc, cfgs[i], method, origins, methods, headers, pnas, w, fe.ran > 0); msg != "" {
			t.Fatalf("policy %q, %s %s, Origin %q, ACRM %q, ACRH %q, ACRPN %q: %s (status %d, headers %v)",
				pc.name, method, path, origins, methods, headers, pnas, msg, w.Code, w.Header())
		}
	})
}

// ---------------------------------------------------------------------------
// Validate over random configurations.

// fuzzConfigFromInput builds a Config from fuzzed fields.
func fuzzConfigFromInput(origins, regexps, methods, headers, expose string, flags uint16, maxAge int64, status int) Config {
	split := func(s string) []string {
		if s == "" {
			return nil
		}
		parts := strings.Split(s, "\n")
		if len(parts) > 6 {
			parts = parts[:6]
		}
		return parts
	}
	return Config{
		AllowOrigins:                          split(origins),
		AllowOriginRegexps:                    split(regexps),
		AllowMethods:                          split(methods),
		AllowHeaders:                          split(headers),
		ExposeHeaders:                         split(expose),
		AllowCredentials:                      flags&1 != 0,
		AllowPrivateNetwork:                   flags&2 != 0,
		OptionsPassthrough:                    flags&4 != 0,
		DangerouslyAllowNullOrigin:            flags&8 != 0,
		DangerouslyAllowInsecureOrigins:       flags&16 != 0,
		DangerouslyAllowPublicSuffixWildcards: flags&32 != 0,
		MaxAge:                                time.Duration(maxAge),
		OptionsSuccessStatus:                  status,
	}
}

// fuzzAllowedBecause explains with the references why an accepted config
// allows origin o, or returns "" if nothing in cfg allows it.
// It returns "pattern", "regexp" or "null".
func fuzzAllowedBecause(t *testing.T, cfg Config, o string) (string, fuzzRefPattern) {
	if o == "null" {
		for _, s := range cfg.AllowOrigins {
			if s == "null" {
				return "null", fuzzRefPattern{}
			}
		}
		return "", fuzzRefPattern{}
	}
	ro, ok := fuzzRefParseOrigin(o)
	if !ok {
		return "", fuzzRefPattern{}
	}
	for _, s := range cfg.AllowOrigins {
		ref, ok := fuzzRefParsePattern(s)
		if !ok {
			pat, err := parseOriginPattern(s)
			if err != nil {
				continue
			}
			if ref, ok = fuzzRefParsePattern(pat.String()); !ok {
				t.Fatalf("accepted pattern %q normalised to %q, which the reference cannot read", s, pat.String())
			}
		}
		if fuzzRefMatch(ref, ro) {
			return "pattern", ref
		}
	}
	for _, expr := range cfg.AllowOriginRegexps {
		if fuzzRefRegexpFullMatch(expr, o) {
			return "regexp", fuzzRefPattern{}
		}
	}
	return "", fuzzRefPattern{}
}

// FuzzValidate checks that Validate never panics, that its errors are one
// "gincors: " line per problem, and that a config it accepts upholds
// guarantees 1 and 2 on probe origins.
func FuzzValidate(f *testing.F) {
	type seed struct {
		origins, regexps, methods, headers, expose string
		flags                                      uint16
		maxAge                                     int64
		status                                     int
		probe                                      string
	}
	seeds := []seed{
		{"*", "", "", "", "", 0, 0, 0, "https://evil.invalid"},
		{"*", "", "", "", "", 1, 0, 0, "https://evil.invalid"},
		{"*", "", "", "", "", 2, 0, 0, "https://evil.invalid"},
		{"https://*.com", "", "", "", "", 1, 0, 0, "https://evil.com"},
		{"https://*.github.io", "", "", "", "", 1, 0, 0, "https://evil.github.io"},
		{"https://*.github.io", "", "", "", "", 33, 0, 0, "https://evil.github.io"},
		{"https://*.kawasaki.jp", "", "", "", "", 1, 0, 0, "https://a.evil.kawasaki.jp"},
		{"https://*.amazonaws.com", "", "", "", "", 1, 0, 0, "https://attacker.s3.amazonaws.com"},
		{"https://*.amazonaws.com", "", "", "", "", 2, 0, 0, "https://attacker.s3.amazonaws.com"},
		{"https://*.com", "", "", "", "", 2, 0, 0, "https://evil.com"},
		{"", ".*", "", "", "", 2, 0, 0, "https://evil.invalid"},
		{"http://app.example.com", "", "", "", "", 1, 0, 0, "http://app.example.com"},
		{"http://app.example.com", "", "", "", "", 17, 0, 0, "http://app.example.com"},
		{"http://localhost:*\nhttp://127.0.0.1:8080\nhttp://[::1]", "", "", "", "", 1, 0, 0, "http://localhost:3000"},
		{"null", "", "", "", "", 1, 0, 0, "null"},
		{"null", "", "", "", "", 9, 0, 0, "null"},
		{"", "https://.*", "", "", "", 1, 0, 0, "https://evil.invalid"},
		{"", `https://example\.com.*`, "", "", "", 1, 0, 0, "https://example.com.evil.invalid"},
		{"", `https://example\.com`, "", "", "", 1, 0, 0, "https://example.com"},
		{"", `a)|(b`, "", "", "", 0, 0, 0, "b"},
		{"", `\Qhttps://example.com`, "", "", "", 0, 0, 0, "https://example.com"},
		{"https://example.com", "", "CONNECT\nTRACE\ntrack\n*", "Cookie\nSec-Fetch-Mode\nProxy-Authorization\n*", "Set-Cookie\n*", 1, -5, 99, ""},
		{"https://example.com", "", "PATCH\npatch\nget", "*\nAuthorization", "*", 0, int64(time.Hour), 204, ""},
		{"https://example.com/\nhttps://user@example.com\nhttps://ex*ample.com\nhttps://example.com:0\nhttps://[::1", "", "", "", "", 0, int64(48 * time.Hour), 0, ""},
		{"HTTPS://BÜCHER.example\nhttps://*.例え.テスト", "", "", "", "", 1, 0, 0, "https://xn--bcher-kva.example"},
		{"https://example.com:*", "", "", "", "", 1, int64(1500 * time.Millisecond), 302, "https://example.com:65535"},
	}
	for _, s := range seeds {
		f.Add(s.origins, s.regexps, s.methods, s.headers, s.expose, s.flags, s.maxAge, s.status, s.probe)
	}
	f.Fuzz(func(t *testing.T, origins, regexps, methods, headers, expose string, flags uint16, maxAge int64, status int, probe string) {
		cfg := fuzzConfigFromInput(origins, regexps, methods, headers, expose, flags, maxAge, status)
		if err := cfg.Validate(); err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "gincors: ") {
					t.Fatalf("error line %q does not start with %q", line, "gincors: ")
				}
			}
			return
		}
		p, err := compile(cfg)
		if err != nil {
			t.Fatalf("Validate accepted what compile refuses: %v", err)
		}
		if cfg.AllowCredentials && p.origins.allowAll {
			t.Fatal("credentials with every origin")
		}
		if cfg.AllowCredentials && strings.Contains(","+strings.ReplaceAll(p.exposeHeaders, " ", "")+",", ",*,") {
			t.Fatal("credentials with Access-Control-Expose-Headers: *")
		}
		if p.origins.allowAll && p.privateNetwork {
			t.Fatal("every origin with private network access")
		}
		for _, m := range p.methods {
			if strings.EqualFold(m, "CONNECT") || strings.EqualFold(m, "TRACE") || strings.EqualFold(m, "TRACK") {
				t.Fatalf("forbidden method %q accepted", m)
			}
		}
		for _, h := range cfg.AllowHeaders {
			if _, ok := p.headers[strings.ToLower(h)]; !ok {
				continue
			}
			if h = strings.ToLower(h); h == "cookie" || h == "host" || h == "origin" || strings.HasPrefix(h, "sec-") || strings.HasPrefix(h, "proxy-") {
				t.Fatalf("forbidden header %q accepted", h)
			}
		}
		if p.successStatus < 200 || p.successStatus > 299 {
			t.Fatalf("preflight success status %d", p.successStatus)
		}

		probes := append([]string{probe, "null"}, fuzzCanaries...)
		for _, s := range cfg.AllowOrigins {
			probes = append(probes, fuzzDeriveOrigin(s, "evil"), fuzzDeriveOrigin(s, "a.evil"), strings.TrimSuffix(s, "/")+".evil.invalid")
		}
		for _, o := range probes {
			if p.origins.allowAll || !p.origins.allows(nil, o) {
				continue
			}
			why, ref := fuzzAllowedBecause(t, cfg, o)
			switch why {
			case "":
				t.Fatalf("config %+v allows %q, which nothing in it allows", cfg, o)
			case "null":
				if !cfg.DangerouslyAllowNullOrigin {
					t.Fatalf("null allowed without DangerouslyAllowNullOrigin")
				}
			}
			// Private network access gets every check credentials get.
			if !cfg.AllowCredentials && !cfg.AllowPrivateNetwork {
				continue
			}
			ro, _ := fuzzRefParseOrigin(o)
			switch why {
			case "pattern":
				if ro.scheme == "http" && !fuzzRefIsLoopback(ro.host) && !cfg.DangerouslyAllowInsecureOrigins {
					t.Fatalf("credentials for plain-http %q without DangerouslyAllowInsecureOrigins", o)
				}
				if ref.anySubdomain && fuzzRefIsPublicSuffix(ref.host) && !cfg.DangerouslyAllowPublicSuffixWildcards {
					t.Fatalf("credentials for %q through a public-suffix wildcard %q", o, ref)
				}
				if suffix, _ := publicsuffix.PublicSuffix(ro.host); ref.anySubdomain && !cfg.DangerouslyAllowPublicSuffixWildcards &&
					strings.HasSuffix(suffix, "."+ref.host) && !fuzzAlsoAllowedExactly(cfg, o) {
					t.Fatalf("credentials for %q under the nested public suffix %q of wildcard %q", o, suffix, ref)
				}
			case "regexp":
				// A canary gets through only if an expression names its
				// host literally, as an exact origin would.
				for _, c := range fuzzCanaries {
					if o == c && !fuzzNamesHost(cfg.AllowOriginRegexps, ro.host) {
						t.Fatalf("credentials for canary %q through a regexp in %q", o, cfg.AllowOriginRegexps)
					}
				}
				if ro.scheme == "http" && !fuzzRefIsLoopback(ro.host) && !cfg.DangerouslyAllowInsecureOrigins {
					t.Fatalf("credentials for plain-http %q through a regexp in %q", o, cfg.AllowOriginRegexps)
				}
			}
		}
	})
}

// fuzzAlsoAllowedExactly reports whether cfg lists o as an exact origin,
// which the nested-suffix rule does not apply to.
func fuzzAlsoAllowedExactly(cfg Config, o string) bool {
	for _, s := range cfg.AllowOrigins {
		if p, ok := fuzzRefParsePattern(s); ok && !p.anySubdomain && !p.anyPort && p.String() == o {
			return true
		}
	}
	return false
}

// fuzzNamesHost reports whether one of exprs spells host literally (dots
// escaped or not, in any case).
func fuzzNamesHost(exprs []string, host string) bool {
	for _, e := range exprs {
		if strings.Contains(strings.ToLower(strings.ReplaceAll(e, `\`, "")), host) {
			return true
		}
	}
	return false
}
