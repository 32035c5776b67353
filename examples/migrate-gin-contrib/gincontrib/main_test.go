package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestGinContrib sends the requests of the parent folder's TestMigrated to
// gin-contrib/cors v1.7.7, pinning the behaviour a migrant leaves behind.
func TestGinContrib(t *testing.T) {
	router := newRouter()
	cases := []struct {
		name        string
		method      string
		path        string
		headers     map[string]string
		wantStatus  int
		wantACAO    string
		wantHandler bool
	}{
		{
			name: "a PATCH preflight from a listed origin", method: http.MethodOptions, path: "/items/1",
			headers:    map[string]string{"Origin": "https://foo.com", "Access-Control-Request-Method": "PATCH", "Access-Control-Request-Headers": "content-type"},
			wantStatus: http.StatusNoContent, wantACAO: "https://foo.com",
		},
		{
			name: "an actual request from another origin is refused with 403, the handler never runs", method: http.MethodGet, path: "/items",
			headers: map[string]string{"Origin": "https://evil.example.org"}, wantStatus: http.StatusForbidden,
		},
		{
			name: "an OPTIONS without Access-Control-Request-Method is answered as a preflight", method: http.MethodOptions, path: "/items",
			headers: map[string]string{"Origin": "https://foo.com"}, wantStatus: http.StatusNoContent, wantACAO: "https://foo.com",
		},
		{
			name: "a preflight for a method not listed still gets 204", method: http.MethodOptions, path: "/items/1",
			headers:    map[string]string{"Origin": "https://foo.com", "Access-Control-Request-Method": "DELETE"},
			wantStatus: http.StatusNoContent, wantACAO: "https://foo.com",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(tc.method, tc.path, nil)
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			router.ServeHTTP(rec, req)

			assert.Equal(t, tc.wantStatus, rec.Code)
			assert.Equal(t, tc.wantACAO, rec.Header().Get("Access-Control-Allow-Origin"))
			assert.Equal(t, tc.wantHandler, rec.Header().Get("Content-Type") == "application/json; charset=utf-8", "handler ran")
		})
	}
}
