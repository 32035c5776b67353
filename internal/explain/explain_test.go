package explain

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestExplain(t *testing.T) {
	cases := []struct {
		name, text    string
		engine, class string
		url, origin   string
		status        int
		firstCause    string // a substring of the first cause
		// causes, when set, are substrings of every cause, in order.
		causes         []string
		doctorContains string
	}{
		{
			name:   "Chromium: no Access-Control-Allow-Origin",
			text:   "Access to fetch at 'https://api.example.com/items' from origin 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource. If an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled.",
			engine: "chromium", class: ClassAllowOriginMissing, url: "https://api.example.com/items", origin: "https://app.example.com",
			firstCause: "not allowed", doctorContains: "go run github.com/gincors/gincors/cmd/gincors doctor -origin https://app.example.com https://api.example.com/items",
		},
		{
			name:   "Chromium: preflight without ok status",
			text:   "Access to fetch at 'https://api.example.com/items' from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
			engine: "chromium", class: ClassPreflightNotOK, url: "https://api.example.com/items", origin: "https://app.example.com",
			firstCause: "Authentication or a rate limiter answered the preflight after a layer that sets CORS headers", doctorContains: "-method METHOD",
			causes: []string{"after a layer that sets CORS headers", "OptionsPassthrough", "failed on the OPTIONS request"},
		},
		{
			name:   "Chromium: preflight without Access-Control-Allow-Origin",
			text:   "Access to fetch at 'https://api.example.com/items' from origin 'https://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
			engine: "chromium", class: ClassAllowOriginMissing, url: "https://api.example.com/items", origin: "https://app.example.com",
			firstCause: "The method or a request header was not allowed", doctorContains: "-method METHOD",
			causes: []string{"method or a request header", "origin is not allowed", "never ran", "error", "redirect"},
		},
		{
			name:   "Chromium: multiple values",
			text:   "Access to XMLHttpRequest at 'http://localhost:8080/api/login' from origin 'http://localhost:3000' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains multiple values 'http://localhost:3000, *', but only one is allowed.",
			engine: "chromium", class: ClassAllowOriginMultiple, url: "http://localhost:8080/api/login", origin: "http://localhost:3000",
			firstCause: "Two layers",
		},
		{
			name:   "Chromium: method",
			text:   "Access to fetch at 'https://api.example.com/x' from origin 'https://app.example.com' has been blocked by CORS policy: Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response.",
			engine: "chromium", class: ClassMethodNotAllowed, firstCause: "not in the allowed list", doctorContains: "-method PATCH",
			url: "https://api.example.com/x", origin: "https://app.example.com",
		},
		{
			name:   "Chromium: header",
			text:   "Access to fetch at 'https://api.example.com/x' from origin 'https://app.example.com' has been blocked by CORS policy: Request header field x-csrf-token is not allowed by Access-Control-Allow-Headers in preflight response.",
			engine: "chromium", class: ClassHeaderNotAllowed, firstCause: "not in the allowed list", doctorContains: "-header x-csrf-token:VALUE",
			url: "https://api.example.com/x", origin: "https://app.example.com",
			causes: []string{`Add "x-csrf-token" to Config.AllowHeaders`},
		},
		{
			name:   "Chromium: Authorization header",
			text:   "Access to fetch at 'https://api.example.com/x' from origin 'https://app.example.com' has been blocked by CORS policy: Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response.",
			engine: "chromium", class: ClassHeaderNotAllowed, firstCause: "not in the allowed list", doctorContains: "-header authorization:VALUE",
			url: "https://api.example.com/x", origin: "https://app.example.com",
			causes: []string{`Add "authorization" to Config.AllowHeaders`, "Authorization under *"},
		},
		{
			name:   "Chromium: wildcard with credentials",
			text:   "Access to fetch at 'https://api.example.com/x' from origin 'https://app.example.com' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
			engine: "chromium", class: ClassWildcardWithCredentials, firstCause: "any origin", doctorContains: "-credentials",
			url: "https://api.example.com/x", origin: "https://app.example.com",
		},
		{
			name:   "Chromium: preflight redirect",
			text:   "Access to fetch at 'http://api.example.com/items/' from origin 'http://app.example.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request.",
			engine: "chromium", class: ClassPreflightRedirect, firstCause: "RedirectTrailingSlash",
			url: "http://api.example.com/items/", origin: "http://app.example.com",
		},
		{
			name:   "Chromium before 2018: Failed to load, Origin is therefore not allowed access",
			text:   "Failed to load http://api.example.com/items: No 'Access-Control-Allow-Origin' header is present on the requested resource. Origin 'http://app.example.com' is therefore not allowed access.",
			engine: "chromium", class: ClassAllowOriginMissing, url: "http://api.example.com/items", origin: "http://app.example.com", firstCause: "not allowed",
		},
		{
			name:   "Chromium before 2018: invalid preflight status",
			text:   "Response for preflight has invalid HTTP status code 405",
			engine: "chromium", class: ClassPreflightNotOK, status: 405, firstCause: "router",
			causes: []string{"router", "Authentication", "failed"},
		},
		{
			name:   "Chromium: Local Network Access",
			text:   "Access to fetch at 'http://192.168.1.10/api' from origin 'https://app.example.com' has been blocked by CORS policy: Permission was denied for this request to access the `local` address space.",
			engine: "chromium", class: ClassLocalNetwork, firstCause: "Local Network Access",
			url: "http://192.168.1.10/api", origin: "https://app.example.com",
		},
		{
			name:   "Firefox: missing, typographic quotes",
			text:   "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/items. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 500.",
			engine: "firefox", class: ClassAllowOriginMissing, url: "https://api.example.com/items", status: 500, firstCause: "not allowed",
		},
		{
			name:   "Firefox: missing, ASCII quotes",
			text:   "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/items. (Reason: CORS header 'Access-Control-Allow-Origin' missing).",
			engine: "firefox", class: ClassAllowOriginMissing, url: "https://api.example.com/items", firstCause: "not allowed",
		},
		{
			name:   "Firefox: preflight did not succeed, 401",
			text:   "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/auth/x. (Reason: CORS preflight response did not succeed). Status code: 401.",
			engine: "firefox", class: ClassPreflightNotOK, url: "https://api.example.com/auth/x", status: 401, firstCause: "Authentication",
			causes: []string{"after a layer that sets CORS headers", "OptionsPassthrough", "failed on the OPTIONS request"},
		},
		{
			name:   "Firefox: preflight did not succeed, 404",
			text:   "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/x. (Reason: CORS preflight response did not succeed). Status code: 404.",
			engine: "firefox", class: ClassPreflightNotOK, url: "https://api.example.com/x", status: 404, firstCause: "OptionsPassthrough",
			causes: []string{"OptionsPassthrough", "after a layer that sets CORS headers", "failed on the OPTIONS request"},
		},
		{
			name:   "Firefox: preflight did not succeed, 500",
			text:   "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/x. (Reason: CORS preflight response did not succeed). Status code: 500.",
			engine: "firefox", class: ClassPreflightNotOK, url: "https://api.example.com/x", status: 500, firstCause: "failed on the OPTIONS request",
			causes: []string{"failed on the OPTIONS request", "OptionsPassthrough", "after a layer that sets CORS headers"},
		},
		{
			name:   "Firefox: header not allowed",
			text:   "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/x. (Reason: header ‘x-csrf-token’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).",
			engine: "firefox", class: ClassHeaderNotAllowed, url: "https://api.example.com/x", doctorContains: "-header x-csrf-token:VALUE", firstCause: "not in the allowed list",
		},
		{
			name:   "Firefox: old missing token wording",
			text:   "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/x. (Reason: missing token ‘authorization’ in CORS header ‘Access-Control-Allow-Headers’ from CORS preflight channel).",
			engine: "firefox", class: ClassHeaderNotAllowed, url: "https://api.example.com/x", doctorContains: "-header authorization:VALUE", firstCause: "not in the allowed list",
		},
		{
			name:   "Firefox: did not succeed (no response)",
			text:   "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/x. (Reason: CORS request did not succeed). Status code: (null).",
			engine: "firefox", class: ClassNoResponse, url: "https://api.example.com/x", firstCause: "No response",
		},
		{
			name:   "Firefox: does not match",
			text:   "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/x. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘https://www.example.com’).",
			engine: "firefox", class: ClassAllowOriginMismatch, url: "https://api.example.com/x", firstCause: "fixed origin",
		},
		{
			name:   "Safari: not allowed, error status first",
			text:   "Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 500\nFetch API cannot load https://api.example.com/x due to access control checks.",
			engine: "webkit", class: ClassAllowOriginNotAllowed, url: "https://api.example.com/x", origin: "https://app.example.com", status: 500, firstCause: "error",
		},
		{
			name:   "Safari: not allowed, 200",
			text:   "Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 200",
			engine: "webkit", class: ClassAllowOriginNotAllowed, origin: "https://app.example.com", status: 200, firstCause: "not allowed",
		},
		{
			name:   "Safari: preflight not successful",
			text:   "Preflight response is not successful. Status code: 404",
			engine: "webkit", class: ClassPreflightNotOK, status: 404, firstCause: "router",
			causes: []string{"router", "Authentication", "failed"},
		},
		{
			name:   "Safari: preflight refused with 403",
			text:   "Preflight response is not successful. Status code: 403",
			engine: "webkit", class: ClassPreflightNotOK, status: 403, firstCause: "refused it with 403",
			causes: []string{"refused it with 403", "Authentication", "router"},
		},
		{
			name:   "Safari: page-side Load failed",
			text:   "TypeError: Load failed",
			engine: "webkit", class: ClassPageSideError, firstCause: "second, specific message",
		},
		{
			name:   "Chromium: page-side Failed to fetch",
			text:   "TypeError: Failed to fetch",
			engine: "chromium", class: ClassPageSideError, firstCause: "second, specific message",
		},
		{
			name:   "not a CORS message",
			text:   "Uncaught ReferenceError: foo is not defined",
			engine: "", class: ClassUnknown, firstCause: "page-side",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ex := Explain(tc.text)
			assert.Equal(t, tc.engine, ex.Engine, "engine")
			assert.Equal(t, tc.class, ex.Class, "class")
			assert.Equal(t, tc.url, ex.URL, "url")
			assert.Equal(t, tc.origin, ex.Origin, "origin")
			assert.Equal(t, tc.status, ex.Status, "status")
			if assert.NotEmpty(t, ex.Causes) {
				assert.Contains(t, ex.Causes[0].Cause, tc.firstCause)
			}
			if tc.causes != nil && assert.Len(t, ex.Causes, len(tc.causes)) {
				for i, c := range tc.causes {
					assert.Contains(t, ex.Causes[i].Cause+" "+ex.Causes[i].Fix, c, "cause %d", i+1)
				}
			}
			assert.True(t, strings.HasPrefix(ex.Doctor, DoctorCommand+" -origin "), ex.Doctor)
			assert.Contains(t, ex.Doctor, tc.doctorContains)
			var b strings.Builder
			assert.NoError(t, ex.WriteText(&b))
			assert.Contains(t, b.String(), ex.Doctor)
		})
	}
}

func TestExplainFirefoxQuotedURL(t *testing.T) {
	ex := Explain("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘http://api.example.test:34977/items’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).")
	assert.Equal(t, "firefox", ex.Engine)
	assert.Equal(t, ClassWildcardWithCredentials, ex.Class)
	assert.Equal(t, "http://api.example.test:34977/items", ex.URL)
}

// FuzzExplain: any text gets an explanation, never a panic.
func FuzzExplain(f *testing.F) {
	f.Add("Access to fetch at 'https://a.example/x' from origin 'https://b.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.")
	f.Add("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘x’. (Reason: header ‘’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).")
	f.Add("Origin  is not allowed by Access-Control-Allow-Origin. Status code: 99999999999999999999")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		ex := Explain(text)
		if ex.Class == "" || len(ex.Causes) == 0 || !strings.HasPrefix(ex.Doctor, DoctorCommand+" -origin ") {
			t.Fatalf("incomplete explanation of %q: %+v", text, ex)
		}
	})
}

func TestExplainLargeInput(t *testing.T) {
	text := strings.Repeat("Access to fetch at '", 50000) + strings.Repeat("x", 1<<20)
	ex := Explain(text)
	assert.Equal(t, ClassUnknown, ex.Class)
}
