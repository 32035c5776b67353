package gincors

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The public matchers, composed with AnyOf, agree with the same config.
func TestPublicMatchersAgreeWithConfig(t *testing.T) {
	cfg := originTestConfig()
	exact, err := ExactOrigins(cfg.AllowOrigins[:4]...)
	require.NoError(t, err)
	wild, err := WildcardOrigins(cfg.AllowOrigins[4:]...)
	require.NoError(t, err)
	re, err := RegexpOrigins(cfg.AllowOriginRegexps...)
	require.NoError(t, err)
	m := AnyOf(exact, wild, re)
	for _, tc := range originCases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.allowed, m.MatchOrigin(tc.origin), "origin %q", tc.origin)
		})
	}
}

func TestMatcherConstructorErrors(t *testing.T) {
	cases := []struct {
		name string
		make func() (OriginMatcher, error)
		want string
	}{
		{"ExactOrigins refuses a wildcard", func() (OriginMatcher, error) { return ExactOrigins("https://*.example.com") },
			`gincors: ExactOrigins argument 0 "https://*.example.com": a wildcard pattern; use WildcardOrigins`},
		{"ExactOrigins refuses null", func() (OriginMatcher, error) { return ExactOrigins("https://a.example", "null") },
			`gincors: ExactOrigins argument 1 "null": the "null" origin is sent by sandboxed iframes`},
		{"WildcardOrigins refuses an exact origin", func() (OriginMatcher, error) { return WildcardOrigins("https://example.com") },
			`gincors: WildcardOrigins argument 0 "https://example.com": no wildcard; use ExactOrigins`},
		{"RegexpOrigins refuses an expression that does not compile", func() (OriginMatcher, error) { return RegexpOrigins(`https://(a`) },
			`gincors: RegexpOrigins argument 0 "https://(a": does not compile: error parsing regexp: missing closing )`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.make()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
