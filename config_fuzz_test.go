package gincors

// FuzzValidate: Validate over random configurations (config.go). It lives
// apart from config_test.go only so that the two can change independently;
// its references are in reference_test.go.

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/net/publicsuffix"
)

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
	entries, regexps := fuzzRefTidyOrigins(cfg.AllowOrigins)
	for _, expr := range regexps {
		if fuzzRefRegexpFullMatch(expr, o) {
			return "regexp", fuzzRefPattern{}
		}
	}
	for _, s := range entries {
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

// fuzzRefTidyOrigins reads AllowOrigins entries as gincors accepts them
// with a warning: a comma-joined entry is split, spaces around a piece are
// trimmed, a /…/ piece is a regexp, and a path after the host is dropped
// unless a query or fragment follows it.
func fuzzRefTidyOrigins(list []string) (entries, regexps []string) {
	for _, s := range list {
		for _, piece := range strings.Split(s, ",") {
			piece = strings.Trim(piece, " \t")
			switch {
			case piece == "":
			case len(piece) >= 2 && piece[0] == '/' && piece[len(piece)-1] == '/':
				regexps = append(regexps, piece[1:len(piece)-1])
			default:
				if i := strings.Index(piece, "://"); i >= 0 && !strings.ContainsAny(piece, "?#") {
					if j := strings.IndexByte(piece[i+3:], '/'); j >= 0 {
						piece = piece[:i+3+j]
					}
				}
				entries = append(entries, piece)
			}
		}
	}
	return entries, regexps
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

// fuzzCanaries are origins an attacker can own.
var fuzzCanaries = []string{
	"https://evil.invalid",
	"http://evil.invalid",
	"https://evil.invalid:8443",
	"https://example.com.evil.invalid",
	"https://evil.invalid.example.com.evil.invalid",
}
