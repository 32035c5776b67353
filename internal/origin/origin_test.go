package origin

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want Origin
		ok   bool
	}{
		{"https without port", "https://example.com", Origin{Scheme: "https", Host: "example.com", hostPort: "example.com"}, true},
		{"http with port", "http://localhost:8080", Origin{Scheme: "http", Host: "localhost", Port: "8080", hostPort: "localhost:8080"}, true},
		{"IPv4", "http://127.0.0.1:3000", Origin{Scheme: "http", Host: "127.0.0.1", Port: "3000", hostPort: "127.0.0.1:3000"}, true},
		{"IPv6", "http://[::1]:3000", Origin{Scheme: "http", Host: "[::1]", Port: "3000", hostPort: "[::1]:3000"}, true},
		{"Punycode", "https://xn--bcher-kva.example", Origin{Scheme: "https", Host: "xn--bcher-kva.example", hostPort: "xn--bcher-kva.example"}, true},
		{"other scheme", "chrome-extension://abcdefghijklmnop", Origin{Scheme: "chrome-extension", Host: "abcdefghijklmnop", hostPort: "abcdefghijklmnop"}, true},
		{"underscore in a label", "https://my_host.example", Origin{Scheme: "https", Host: "my_host.example", hostPort: "my_host.example"}, true},
		{"IPv4-mapped IPv6 in hex", "http://[::ffff:102:304]", Origin{Scheme: "http", Host: "[::ffff:102:304]", hostPort: "[::ffff:102:304]"}, true},
		{"hyphens in a label", "https://-a.ab--cd.example", Origin{Scheme: "https", Host: "-a.ab--cd.example", hostPort: "-a.ab--cd.example"}, true},
		{"largest port", "http://a.example:65535", Origin{Scheme: "http", Host: "a.example", Port: "65535", hostPort: "a.example:65535"}, true},

		{"null", "null", Origin{}, false},
		{"empty", "", Origin{}, false},
		{"scheme only", "https://", Origin{}, false},
		{"upper-case scheme", "HTTPS://example.com", Origin{}, false},
		{"upper-case host", "https://Example.com", Origin{}, false},
		{"default https port", "https://example.com:443", Origin{}, false},
		{"default http port", "http://example.com:80", Origin{}, false},
		{"port 0", "http://example.com:0", Origin{}, false},
		{"port 65536", "http://example.com:65536", Origin{}, false},
		{"leading zero in port", "http://example.com:080", Origin{}, false},
		{"empty port", "http://example.com:", Origin{}, false},
		{"path", "https://example.com/", Origin{}, false},
		{"userinfo", "https://u@example.com", Origin{}, false},
		{"empty label", "https://a..example.com", Origin{}, false},
		{"trailing dot", "https://example.com.", Origin{}, false},
		{"leading dot", "https://.example.com", Origin{}, false},
		{"space", "https://exa mple.com", Origin{}, false},
		{"NUL", "https://example.com\x00", Origin{}, false},
		{"control character", "https://exa\tmple.com", Origin{}, false},
		{"percent-encoding", "https://ex%61mple.com", Origin{}, false},
		{"non-ASCII", "https://bücher.example", Origin{}, false},
		{"unclosed IPv6", "http://[::1", Origin{}, false},
		{"upper-case IPv6", "http://[::FFFF]", Origin{}, false},
		{"IPv6 not compressed as browsers do", "http://[0:0::1]", Origin{}, false},
		{"IPv4-mapped IPv6 in dotted form", "http://[::ffff:1.2.3.4]", Origin{}, false},
		{"bracketed non-address", "http://[00]", Origin{}, false},
		{"IPv4 out of range", "https://999.1.1.1", Origin{}, false},
		{"IPv4 with three parts", "https://1.2.3", Origin{}, false},
		{"IPv4 with a leading zero", "https://01.2.3.4", Origin{}, false},
		{"hex IPv4", "https://0x7f.1", Origin{}, false},
		{"host ending in a hex number", "https://a.0x1", Origin{}, false},
		{"label of 64 bytes", "https://" + strings.Repeat("a", 64) + ".example", Origin{}, false},
		{"too long", "https://" + strings.Repeat("a.", 150) + "example", Origin{}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Parse(tc.in)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestParsePatternNormalises(t *testing.T) {
	cases := []struct{ in, want string }{
		{"HTTPS://EXAMPLE.COM", "https://example.com"},
		{"https://example.com:443", "https://example.com"},
		{"http://example.com:0080", "http://example.com"},
		{"https://*.Example.com:8443", "https://*.example.com:8443"},
		{"http://localhost:*", "http://localhost:*"},
		{"https://*.example.com:*", "https://*.example.com:*"},
		{"https://bücher.example", "https://xn--bcher-kva.example"},
		{"https://*.Bücher.example", "https://*.xn--bcher-kva.example"},
		{"http://[0:0:0:0:0:0:0:1]:8080", "http://[::1]:8080"},
		{"http://127.0.0.1:80", "http://127.0.0.1"},
		{"http://[::ffff:1.2.3.4]", "http://[::ffff:102:304]"},
		{"http://[::FFFF:0:1]", "http://[::ffff:0:1]"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			p, err := ParsePattern(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, p.String())
		})
	}
}

func TestSetMatchesLabelByLabel(t *testing.T) {
	var s Set
	for _, pat := range []string{"https://*.example.com", "https://*.b.example.net:8443", "http://localhost:*", "https://*.dev.example.org:*"} {
		p, err := ParsePattern(pat)
		require.NoError(t, err)
		s.Add(p)
	}
	cases := []struct {
		origin string
		want   bool
	}{
		{"https://a.example.com", true},
		{"https://a.b.c.example.com", true},
		{"https://example.com", false},
		{"https://evilexample.com", false},
		{"https://a.example.com.evil.com", false},
		{"https://a.example.com:8443", false},
		{"https://a.b.example.net:8443", true},
		{"https://b.example.net:8443", false},
		{"https://a.b.example.net", false},
		{"http://localhost", true},
		{"http://localhost:1", true},
		{"http://a.localhost:1", false},
		{"https://x.dev.example.org:9", true},
		{"https://x.dev.example.org", true},
		{"https://dev.example.org", false},
		{"http://a.example.com", false},
		{"http://[::1]:8080", false},
	}
	for _, tc := range cases {
		o, ok := Parse(tc.origin)
		require.True(t, ok, tc.origin)
		assert.Equal(t, tc.want, s.Match(o), tc.origin)
	}
}
