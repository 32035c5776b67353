package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corsHeaders are the response headers each case pins exactly; a header
// missing from a case's want must be absent.
var corsHeaders = []string{
	"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
	"Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
	"Access-Control-Expose-Headers", "Access-Control-Max-Age", "Vary",
}

func TestConfig(t *testing.T) {
	t.Setenv("CORS_ORIGINS", "http://localhost:5173, http://127.0.0.1:5173")
	cfg, err := loadConfig("")
	require.NoError(t, err)
	require.Equal(t, []string{"https://app.example.com", "http://localhost:5173", "http://127.0.0.1:5173"}, cfg.AllowOrigins)
	require.Empty(t, cfg.Warnings())
	router, err := newRouter(cfg)
	require.NoError(t, err)

	cases := []struct {
		name        string
		method      string
		headers     map[string]string
		wantStatus  int
		want        map[string]string
		wantHandler bool
	}{
		{
			name:   "preflight from the origin in cors.json gets the whole policy, cached 2h",
			method: http.MethodOptions,
			headers: map[string]string{"Origin": "https://app.example.com", "Access-Control-Request-Method": "PUT",
				"Access-Control-Request-Headers": "content-type,authorization"},
			wantStatus: http.StatusNoContent,
			want: map[string]string{
				"Access-Control-Allow-Origin":      "https://app.example.com",
				"Access-Control-Allow-Credentials": "true",
				"Access-Control-Allow-Methods":     "GET, POST, PUT, DELETE",
				"Access-Control-Allow-Headers":     "Content-Type, Authorization",
				"Access-Control-Max-Age":           "7200",
			},
		},
		{
			name:        "actual request from an origin of CORS_ORIGINS",
			method:      http.MethodGet,
			headers:     map[string]string{"Origin": "http://127.0.0.1:5173"},
			wantStatus:  http.StatusOK,
			want:        map[string]string{"Access-Control-Allow-Origin": "http://127.0.0.1:5173", "Access-Control-Allow-Credentials": "true", "Access-Control-Expose-Headers": "X-Request-Id", "Vary": "Origin"},
			wantHandler: true,
		},
		{
			name:        "actual request from an origin in neither runs the handler without CORS headers",
			method:      http.MethodGet,
			headers:     map[string]string{"Origin": "https://evil.example.org"},
			wantStatus:  http.StatusOK,
			want:        map[string]string{"Vary": "Origin"},
			wantHandler: true,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, "/api/me", nil)
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			router.ServeHTTP(rec, req)
			assert.Equal(t, tc.wantStatus, rec.Code)
			for _, h := range corsHeaders {
				assert.Equal(t, tc.want[h], rec.Header().Get(h), h)
			}
			assert.Equal(t, tc.wantHandler, rec.Body.String() == `{"user":"ada"}`, "handler ran")
		})
	}
}

// TestConfigFileMistakes: a file with a misspelt key, or a policy that
// opens a hole, stops the start with a message naming the fix.
func TestConfigFileMistakes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
		return path
	}
	t.Setenv("CORS_ORIGINS", "")

	_, err := loadConfig(write("typo.json", `{"allowOrigin": ["https://app.example.com"]}`))
	assert.EqualError(t, err, `gincors: reading a Config from JSON: json: unknown field "allowOrigin"`)

	cfg, err := loadConfig(write("star.json", `{"allowOrigins": ["*"], "allowCredentials": true}`))
	require.NoError(t, err)
	_, err = newRouter(cfg)
	assert.EqualError(t, err, `gincors: AllowOrigins[0] "*": not allowed with AllowCredentials: browsers refuse "*" on credentialed requests, and reflecting every origin instead would let any website read your users' data. List the origins that need credentials: in development, AllowOrigins: []string{"http://localhost:*", "http://127.0.0.1:*"}; in production, AllowOrigins: []string{"https://app.example.com"} (or "https://*.example.com" for your subdomains)`)
}
