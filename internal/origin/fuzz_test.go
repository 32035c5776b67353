package origin

// Fuzz targets for the origin parsers. The differential tests of matching
// against a net/url reference live in the gincors package (FuzzOriginMatch);
// these check the parsers' own contracts.

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzParse checks that whatever Parse accepts is a serialized origin that
// net/url reads the same way, that it never accepts anything longer than
// MaxLength, and that it is a pure function of its input.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"https://example.com", "http://localhost:8080", "http://[::1]:3000", "null", "",
		"https://example.com:443", "http://localhost:0", "http://localhost:65536", "http://localhost:65535",
		"https://EXAMPLE.com", "https://example.com/", "https://a@example.com", "https://exa%6dple.com",
		"https://bücher.example", "https://xn--bcher-kva.example", "https://a..b", "https://a.b.",
		"https://example.com\x00", "https:// example.com", "https://[::1", "https://[::1]x", "https://[]",
		"chrome-extension://abcdef", "a://b", "https://" + strings.Repeat("a", 64) + ".com",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, ok := Parse(s)
		o2, ok2 := Parse(s)
		if o != o2 || ok != ok2 {
			t.Fatalf("Parse(%q) is not deterministic", s)
		}
		if !ok {
			return
		}
		if len(s) > MaxLength {
			t.Fatalf("Parse accepted %d bytes, more than MaxLength", len(s))
		}
		rebuilt := o.Scheme + "://" + o.Host
		if o.Port != "" {
			rebuilt += ":" + o.Port
		}
		if rebuilt != s {
			t.Fatalf("Parse(%q) = %+v, which serializes as %q", s, o, rebuilt)
		}
		u, err := url.Parse(s)
		if err != nil {
			t.Fatalf("Parse accepted %q, which net/url refuses: %v", s, err)
		}
		if u.Scheme != o.Scheme || u.Host != strings.TrimPrefix(s, o.Scheme+"://") || u.Port() != o.Port ||
			u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
			t.Fatalf("Parse(%q) = %+v, net/url reads %#v", s, o, u)
		}
		if strings.ToLower(s) != s {
			t.Fatalf("Parse accepted upper case in %q", s)
		}
		if o.Port == DefaultPort(o.Scheme) && o.Port != "" {
			t.Fatalf("Parse accepted the default port in %q", s)
		}
	})
}

// FuzzParsePattern checks that ParsePattern's canonical spelling parses
// back to the same pattern, and that an exact pattern's spelling is an
// origin Parse accepts, so that it can match a browser's Origin header.
func FuzzParsePattern(f *testing.F) {
	for _, s := range []string{
		"https://example.com", "HTTPS://Example.COM:443", "https://*.example.com", "http://localhost:*",
		"https://*.example.com:*", "https://example.com:08443", "http://[0:0::1]:80", "https://bücher.example",
		"https://*.例え.テスト", "https://example.com/", "https://user@example.com", "https://ex*ample.com",
		"https://*example.com", "http://127.1", "http://1.2.3.4.5", "https://example.com.", "null", "*",
		"file:///etc", "https://[::1]:*", "https://*.[::1]", "https://*.1.2.3.4", "https://example.com:0",
		"https://example.com:+80", "https://[::ffff:1.2.3.4]", "ws://example.com:80", "https://a_b.example.com",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePattern(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("ParsePattern(%q): empty error", s)
			}
			return
		}
		canon := p.String()
		q, err := ParsePattern(canon)
		if err != nil {
			t.Fatalf("ParsePattern(%q) = %q, which does not parse: %v", s, canon, err)
		}
		if q != p {
			t.Fatalf("ParsePattern(%q) = %+v, but its spelling %q parses as %+v", s, p, canon, q)
		}
		if strings.ToLower(canon) != canon {
			t.Fatalf("ParsePattern(%q) = %q, not lower case", s, canon)
		}
		for i := 0; i < len(canon); i++ {
			if canon[i] >= 0x80 {
				t.Fatalf("ParsePattern(%q) = %q, not ASCII", s, canon)
			}
		}
		if p.IsExact() {
			o, ok := Parse(canon)
			if !ok {
				t.Fatalf("exact pattern %q is not an origin Parse accepts", canon)
			}
			if o.Scheme != p.Scheme || o.Host != p.Host || o.Port != p.Port {
				t.Fatalf("exact pattern %+v parses as origin %+v", p, o)
			}
			return
		}
		// A wildcard pattern matches an origin built from it, never its
		// own parent domain on a subdomain pattern.
		var set Set
		set.Add(p)
		host := p.Host
		if p.AnySubdomain {
			host = "a." + p.Host
		}
		port := p.Port
		if p.AnyPort {
			port = "8123"
		}
		s2 := p.Scheme + "://" + host
		if port != "" {
			s2 += ":" + port
		}
		if o, ok := Parse(s2); ok && !set.Match(o) {
			t.Fatalf("pattern %q does not match %q", canon, s2)
		}
		if p.AnySubdomain {
			parent := strings.Replace(s2, "a.", "", 1)
			if o, ok := Parse(parent); ok && set.Match(o) {
				t.Fatalf("pattern %q matches its parent domain %q", canon, parent)
			}
		}
	})
}
