package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var corsHeaders = []string{
	"Access-Control-Allow-Origin", "Access-Control-Allow-Methods",
	"Access-Control-Allow-Headers", "Access-Control-Expose-Headers",
	"Access-Control-Max-Age", "Vary",
}

const (
	allowMethods = "GET, HEAD, POST, PUT, PATCH, DELETE"
	allowHeaders = "Authorization, Content-Type, X-Requested-With"
)

func TestSPA(t *testing.T) {
	cases := []struct {
		name        string
		env         string
		preflight   bool
		origin      string
		wantStatus  int
		want        map[string]string
		wantHandler bool
	}{
		{
			name: "development: a Vite dev server's PATCH preflight is allowed, uncached", env: "development", preflight: true,
			origin: "http://localhost:5173", wantStatus: http.StatusNoContent,
			want: map[string]string{"Access-Control-Allow-Origin": "http://localhost:5173", "Access-Control-Allow-Methods": allowMethods, "Access-Control-Allow-Headers": allowHeaders},
		},
		{
			name: "development: a Next dev server on 127.0.0.1 reads the list", env: "development",
			origin: "http://127.0.0.1:3000", wantStatus: http.StatusOK, wantHandler: true,
			want: map[string]string{"Access-Control-Allow-Origin": "http://127.0.0.1:3000", "Access-Control-Expose-Headers": "X-Request-Id", "Vary": "Origin"},
		},
		{
			name: "development: the production origin is not allowed", env: "development", preflight: true,
			origin: "https://app.example.com", wantStatus: http.StatusForbidden, want: map[string]string{},
		},
		{
			name: "production: the production origin's preflight is cached 10 minutes", env: "production", preflight: true,
			origin: "https://app.example.com", wantStatus: http.StatusNoContent,
			want: map[string]string{"Access-Control-Allow-Origin": "https://app.example.com", "Access-Control-Allow-Methods": allowMethods, "Access-Control-Allow-Headers": allowHeaders, "Access-Control-Max-Age": "600"},
		},
		{
			name: "production: a preview deploy reads the list", env: "production",
			origin: "https://pr-42.preview.example.com", wantStatus: http.StatusOK, wantHandler: true,
			want: map[string]string{"Access-Control-Allow-Origin": "https://pr-42.preview.example.com", "Access-Control-Expose-Headers": "X-Request-Id", "Vary": "Origin"},
		},
		{
			name: "production: a look-alike of a preview deploy gets no CORS header", env: "production",
			origin: "https://pr-42.preview.example.com.evil.io", wantStatus: http.StatusOK, wantHandler: true,
			want: map[string]string{"Vary": "Origin"},
		},
		{
			name: "production: the dev server is not allowed", env: "production", preflight: true,
			origin: "http://localhost:5173", wantStatus: http.StatusForbidden, want: map[string]string{},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			router, err := newRouter(tc.env)
			require.NoError(t, err)
			req := httptest.NewRequest(http.MethodGet, "/api/todos", nil)
			if tc.preflight {
				req = httptest.NewRequest(http.MethodOptions, "/api/todos/1", nil)
				req.Header.Set("Access-Control-Request-Method", "PATCH")
				req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
			}
			req.Header.Set("Origin", tc.origin)
			rec := httptest.NewRecorder()
			router.ServeHTTP(rec, req)

			assert.Equal(t, tc.wantStatus, rec.Code)
			for _, name := range corsHeaders {
				assert.Equal(t, tc.want[name], rec.Header().Get(name), name)
			}
			assert.Equal(t, tc.wantHandler, rec.Body.Len() > 0, "handler ran")
		})
	}
}

func TestSPAUnknownEnvironment(t *testing.T) {
	_, err := newRouter("staging")
	assert.EqualError(t, err, `APP_ENV "staging": want development or production`)
}
