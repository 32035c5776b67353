package doctor

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

const testOrigin = "https://app.example.com"

// TestAccessCheckPerEngine pins down where the engines word the same
// answer differently.
func TestAccessCheckPerEngine(t *testing.T) {
	cases := []struct {
		name        string
		lines       []string // Access-Control-Allow-Origin lines
		credentials bool
		acac        string
		want        map[string]Failure
	}{
		{"missing", nil, false, "", map[string]Failure{Chromium: FailAllowOriginMissing, Firefox: FailAllowOriginMissing, WebKit: FailAllowOriginMissing}},
		{"the origin", []string{testOrigin}, false, "", map[string]Failure{}},
		{"* without credentials", []string{"*"}, false, "", map[string]Failure{}},
		{"* with credentials", []string{"*"}, true, "true", map[string]Failure{Chromium: FailWildcardCredentials, Firefox: FailWildcardCredentials, WebKit: FailWildcardCredentials}},
		{"two lines", []string{testOrigin, "*"}, false, "", map[string]Failure{Chromium: FailAllowOriginMultiple, Firefox: FailAllowOriginMultiple, WebKit: FailAllowOriginMultiple}},
		// Firefox counts lines: one line holding a list is a mismatch.
		{"one line holding two origins", []string{testOrigin + ", https://b.example.com"}, false, "", map[string]Failure{Chromium: FailAllowOriginMultiple, Firefox: FailAllowOriginMismatch, WebKit: FailAllowOriginMultiple}},
		// Chromium treats a space as a separator too.
		{"one line holding two origins with a space", []string{testOrigin + " https://b.example.com"}, false, "", map[string]Failure{Chromium: FailAllowOriginMultiple, Firefox: FailAllowOriginMismatch, WebKit: FailAllowOriginMismatch}},
		{"another origin", []string{"https://b.example.com"}, false, "", map[string]Failure{Chromium: FailAllowOriginMismatch, Firefox: FailAllowOriginMismatch, WebKit: FailAllowOriginMismatch}},
		{"a trailing slash", []string{testOrigin + "/"}, false, "", map[string]Failure{Chromium: FailAllowOriginMismatch, Firefox: FailAllowOriginMismatch, WebKit: FailAllowOriginMismatch}},
		{"credentials without Allow-Credentials", []string{testOrigin}, true, "", map[string]Failure{Chromium: FailCredentialsMissing, Firefox: FailCredentialsMissing, WebKit: FailCredentialsMissing}},
		{"credentials with Allow-Credentials: TRUE", []string{testOrigin}, true, "TRUE", map[string]Failure{Chromium: FailCredentialsMissing, Firefox: FailCredentialsMissing, WebKit: FailCredentialsMissing}},
		{"credentials allowed", []string{testOrigin}, true, "true", map[string]Failure{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			for _, l := range tc.lines {
				h.Add("Access-Control-Allow-Origin", l)
			}
			if tc.acac != "" {
				h.Set("Access-Control-Allow-Credentials", tc.acac)
			}
			for _, e := range Engines {
				got, _ := e.accessCheck(h, testOrigin, tc.credentials)
				assert.Equal(t, tc.want[e.ID], got, e.ID)
			}
		})
	}
}

// TestWebKitWordsMissingAndMismatchAlike: a Safari console paste cannot
// tell them apart.
func TestWebKitWordsMissingAndMismatchAlike(t *testing.T) {
	missing := webkitModel.console(FailAllowOriginMissing, StageActual, "https://api.example.com/x", testOrigin, "", 200)
	mismatch := webkitModel.console(FailAllowOriginMismatch, StageActual, "https://api.example.com/x", testOrigin, "https://b.example.com", 200)
	assert.Equal(t, missing, mismatch)
	assert.Equal(t, "Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 200\nFetch API cannot load https://api.example.com/x due to access control checks.", missing)
}

func TestPreflightOrder(t *testing.T) {
	c := Call{URL: "https://api.example.com/x", Origin: testOrigin, Method: "PUT"}
	noCORS := http.Header{}
	withCORS := http.Header{"Access-Control-Allow-Origin": {testOrigin}}
	cases := []struct {
		name   string
		status int
		h      http.Header
		want   map[string]Failure
	}{
		{"401 with CORS headers", 401, withCORS, map[string]Failure{Chromium: FailPreflightStatus, Firefox: FailPreflightStatus, WebKit: FailPreflightStatus}},
		{"403 without CORS headers", 403, noCORS, map[string]Failure{Chromium: FailAllowOriginMissing, Firefox: FailAllowOriginMissing, WebKit: FailPreflightStatus}},
		{"307 without CORS headers", 307, noCORS, map[string]Failure{Chromium: FailPreflightRedirect, Firefox: FailAllowOriginMissing, WebKit: FailPreflightRedirect}},
		{"307 with CORS headers", 307, withCORS, map[string]Failure{Chromium: FailPreflightRedirect, Firefox: FailPreflightRedirect, WebKit: FailPreflightRedirect}},
		{"204 without the method", 204, withCORS, map[string]Failure{Chromium: FailMethod, Firefox: FailMethod, WebKit: FailMethod}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, e := range Engines {
				got, _ := e.preflightCheck(c, tc.status, tc.h)
				assert.Equal(t, tc.want[e.ID], got, e.ID)
			}
		})
	}
}

func TestCacheSeconds(t *testing.T) {
	cases := []struct {
		value string
		want  map[string]int
	}{
		{"", map[string]int{Chromium: 5, Firefox: 5, WebKit: 5}},
		{"0", map[string]int{Chromium: 0, Firefox: 0, WebKit: 0}},
		{"300", map[string]int{Chromium: 300, Firefox: 300, WebKit: 300}},
		{"31536000", map[string]int{Chromium: 7200, Firefox: 86400, WebKit: 600}},
		{"soon", map[string]int{Chromium: 5, Firefox: 5, WebKit: 5}},
	}
	for _, tc := range cases {
		h := http.Header{}
		if tc.value != "" {
			h.Set("Access-Control-Max-Age", tc.value)
		}
		for _, e := range Engines {
			assert.Equal(t, tc.want[e.ID], e.cacheSeconds(h), "%s: %q", e.ID, tc.value)
		}
	}
}

func TestRequestHeadersValue(t *testing.T) {
	c := Call{Method: "GET", Headers: []Header{{"X-B", "1"}, {"Content-Type", "application/json"}, {"Accept", "text/plain"}, {"x-a", "2"}, {"X-B", "3"}}}
	assert.True(t, c.NeedsPreflight())
	assert.Equal(t, "content-type,x-a,x-b", c.requestHeadersValue())
	simple := Call{Method: "POST", Headers: []Header{{"Content-Type", "text/plain"}}}
	assert.False(t, simple.NeedsPreflight())
	assert.True(t, Call{Method: "patch"}.NeedsPreflight())
}

// TestModelIsCited: every engine field and rule says where it comes from.
func TestModelIsCited(t *testing.T) {
	for _, e := range Engines {
		for _, key := range []string{"PreflightOrder", "Multiple", "MaxAgeCap", "Authorization", "LocalNetwork", "Reasons"} {
			assert.Contains(t, e.Sources[key], "https://", "%s: %s", e.ID, key)
		}
		for _, f := range []Failure{FailPreflightRedirect, FailPreflightStatus, FailAllowOriginMissing, FailAllowOriginMultiple, FailAllowOriginMismatch, FailWildcardCredentials, FailCredentialsMissing, FailMethod, FailHeader} {
			assert.NotEmpty(t, e.Reasons[f], "%s words %s", e.ID, f)
		}
	}
	for _, r := range Rules {
		assert.True(t, strings.HasPrefix(r.Source, "https://"), r.ID)
		assert.NotEmpty(t, r.Confirmed, r.ID)
	}
}

func TestNormalize(t *testing.T) {
	cases := []struct {
		name string
		call Call
		ok   bool
	}{
		{"fine", Call{URL: "https://api.example.com/x#frag", Origin: testOrigin, Method: "delete"}, true},
		{"no origin", Call{URL: "https://api.example.com/x"}, false},
		{"origin with a slash", Call{URL: "https://api.example.com/x", Origin: testOrigin + "/"}, false},
		{"origin upper-case", Call{URL: "https://api.example.com/x", Origin: "https://App.example.com"}, false},
		{"null origin", Call{URL: "https://api.example.com/x", Origin: "null"}, true},
		{"ftp URL", Call{URL: "ftp://api.example.com/x", Origin: testOrigin}, false},
		{"relative URL", Call{URL: "/x", Origin: testOrigin}, false},
		{"forbidden method", Call{URL: "https://api.example.com/x", Origin: testOrigin, Method: "TRACE"}, false},
		{"forbidden header", Call{URL: "https://api.example.com/x", Origin: testOrigin, Headers: []Header{{"Cookie", "a=b"}}}, false},
		{"bad header name", Call{URL: "https://api.example.com/x", Origin: testOrigin, Headers: []Header{{"X Y", "1"}}}, false},
	}
	for _, tc := range cases {
		got, err := tc.call.normalize()
		if tc.ok {
			assert.NoError(t, err, tc.name)
		} else {
			assert.ErrorIs(t, err, ErrUsage, tc.name)
		}
		if tc.name == "fine" {
			assert.Equal(t, "DELETE", got.Method)
			assert.Equal(t, "https://api.example.com/x", got.URL)
		}
	}
}
