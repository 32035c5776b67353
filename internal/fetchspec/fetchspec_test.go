package fetchspec

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIsToken(t *testing.T) {
	for s, want := range map[string]bool{
		"GET": true, "x-custom": true, "!#$%&'*+-.^_`|~09az": true,
		"": false, "a b": false, "a,b": false, "a:b": false, "é": false, "a\x00": false, "(a)": false,
	} {
		assert.Equal(t, want, IsToken(s), "%q", s)
	}
}

func TestNormalizeMethod(t *testing.T) {
	for in, want := range map[string]string{
		"delete": "DELETE", "Get": "GET", "head": "HEAD", "options": "OPTIONS", "post": "POST", "pUt": "PUT",
		"patch": "patch", "PATCH": "PATCH", "propfind": "propfind",
	} {
		assert.Equal(t, want, NormalizeMethod(in), in)
	}
}

func TestForbidden(t *testing.T) {
	for _, m := range []string{"CONNECT", "trace", "Track"} {
		assert.True(t, IsForbiddenMethod(m), m)
	}
	assert.False(t, IsForbiddenMethod("PATCH"))
	for _, h := range []string{"Cookie", "host", "Sec-Fetch-Site", "proxy-authorization", "Access-Control-Request-Headers", "Origin"} {
		assert.True(t, IsForbiddenRequestHeader(h), h)
	}
	for _, h := range []string{"Authorization", "Content-Type", "X-Secret", "Secret"} {
		assert.False(t, IsForbiddenRequestHeader(h), h)
	}
	assert.True(t, IsForbiddenResponseHeader("set-cookie"))
	assert.False(t, IsForbiddenResponseHeader("X-Total"))
}

func TestIsSafelistedMethodIsCaseSensitive(t *testing.T) {
	for m, want := range map[string]bool{"GET": true, "HEAD": true, "POST": true, "get": false, "PUT": false} {
		assert.Equal(t, want, IsSafelistedMethod(m), m)
	}
}

func TestIsSafelistedRequestHeader(t *testing.T) {
	cases := []struct {
		name, value string
		want        bool
	}{
		{"Accept", "application/json", true},
		{"accept", "a{b}", false},
		{"Accept-Language", "en-US,en;q=0.5", true},
		{"Content-Language", "de/at", false},
		{"Content-Type", "text/plain; charset=utf-8", true},
		{"content-type", "multipart/form-data; boundary=x", true},
		{"Content-Type", "application/json", false},
		{"Content-Type", "text/plain\x01", false},
		{"Accept", string(make([]byte, 129)), false},
		{"Authorization", "Bearer t", false},
		{"X-Requested-With", "XMLHttpRequest", false},
		{"Range", "bytes=0-1", false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, IsSafelistedRequestHeader(tc.name, tc.value), "%s: %q", tc.name, tc.value)
	}
}
