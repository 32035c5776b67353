package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const appOrigin = "http://app.gincors.localhost:8080"

var corsHeaders = []string{
	"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
	"Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
	"Access-Control-Max-Age", "Vary",
}

// TestCredentialsFlow plays the browser over real HTTP on loopback: a
// preflight for the JSON login, the login, then /me with the cookie, in
// order, from the front end's origin and from another one.
func TestCredentialsFlow(t *testing.T) {
	srv := httptest.NewServer(newAPI(appOrigin))
	defer srv.Close()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	client := &http.Client{Jar: jar}

	steps := []struct {
		name       string
		method     string
		path       string
		origin     string
		headers    map[string]string
		body       string
		wantStatus int
		want       map[string]string
		wantBody   string // a substring the handler writes; "" if it must not run
	}{
		{
			name: "the login's preflight is allowed with credentials", method: http.MethodOptions, path: "/login", origin: appOrigin,
			headers:    map[string]string{"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
			wantStatus: http.StatusNoContent,
			want: map[string]string{
				"Access-Control-Allow-Origin": appOrigin, "Access-Control-Allow-Credentials": "true",
				"Access-Control-Allow-Methods": "GET, POST", "Access-Control-Allow-Headers": "Content-Type",
				"Access-Control-Max-Age": "600",
			},
		},
		{
			name: "a preflight from another origin is refused", method: http.MethodOptions, path: "/login", origin: "http://evil.localhost:8080",
			headers:    map[string]string{"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
			wantStatus: http.StatusForbidden, want: map[string]string{},
		},
		{
			name: "before login /me is 401, still readable by the front end", method: http.MethodGet, path: "/me", origin: appOrigin,
			wantStatus: http.StatusUnauthorized,
			want:       map[string]string{"Access-Control-Allow-Origin": appOrigin, "Access-Control-Allow-Credentials": "true", "Vary": "Origin"},
			wantBody:   "not logged in",
		},
		{
			name: "the login sets the session cookie", method: http.MethodPost, path: "/login", origin: appOrigin,
			headers: map[string]string{"Content-Type": "application/json"}, body: `{"name":"ada"}`,
			wantStatus: http.StatusOK,
			want:       map[string]string{"Access-Control-Allow-Origin": appOrigin, "Access-Control-Allow-Credentials": "true", "Vary": "Origin"},
			wantBody:   `"user":"ada"`,
		},
		{
			name: "after login /me names the user", method: http.MethodGet, path: "/me", origin: appOrigin,
			wantStatus: http.StatusOK,
			want:       map[string]string{"Access-Control-Allow-Origin": appOrigin, "Access-Control-Allow-Credentials": "true", "Vary": "Origin"},
			wantBody:   `"user":"ada"`,
		},
		{
			name: "another origin gets the data but no CORS header, so its browser hides it", method: http.MethodGet, path: "/me", origin: "http://evil.localhost:8080",
			wantStatus: http.StatusOK,
			want:       map[string]string{"Vary": "Origin"},
			wantBody:   `"user":"ada"`,
		},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			req, err := http.NewRequest(step.method, srv.URL+step.path, strings.NewReader(step.body))
			require.NoError(t, err)
			req.Header.Set("Origin", step.origin)
			for k, v := range step.headers {
				req.Header.Set(k, v)
			}
			res, err := client.Do(req)
			require.NoError(t, err)
			defer res.Body.Close()
			raw, err := io.ReadAll(res.Body)
			require.NoError(t, err)
			body := string(raw)

			assert.Equal(t, step.wantStatus, res.StatusCode)
			for _, name := range corsHeaders {
				assert.Equal(t, step.want[name], res.Header.Get(name), name)
			}
			if step.wantBody == "" {
				assert.Empty(t, body, "handler ran")
			} else {
				assert.Contains(t, body, step.wantBody)
			}
		})
	}
}

func TestFrontendPagePointsAtTheAPI(t *testing.T) {
	rec := httptest.NewRecorder()
	newFrontend("http://api.gincors.localhost:8081").ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Contains(t, rec.Body.String(), "const api = 'http://api.gincors.localhost:8081';")
	assert.Contains(t, rec.Body.String(), "credentials: 'include'")
}
