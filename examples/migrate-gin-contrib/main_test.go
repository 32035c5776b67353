package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

var corsHeaders = []string{
	"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
	"Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
	"Access-Control-Max-Age", "Vary",
}

// TestMigrated pins the gincors half; gincontrib/main_test.go sends the
// same requests to the gin-contrib half.
func TestMigrated(t *testing.T) {
	router := newRouter()
	cases := []struct {
		name        string
		method      string
		path        string
		headers     map[string]string
		wantStatus  int
		want        map[string]string
		wantHandler bool
	}{
		{
			name: "a PATCH preflight from a listed origin", method: http.MethodOptions, path: "/items/1",
			headers:    map[string]string{"Origin": "https://foo.com", "Access-Control-Request-Method": "PATCH", "Access-Control-Request-Headers": "content-type"},
			wantStatus: http.StatusNoContent,
			want: map[string]string{
				"Access-Control-Allow-Origin": "https://foo.com", "Access-Control-Allow-Credentials": "true",
				"Access-Control-Allow-Methods": "PUT, PATCH", "Access-Control-Allow-Headers": "Content-Type",
				"Access-Control-Max-Age": "43200",
			},
		},
		{
			name: "the origin the AllowOriginFunc allowed is in the list", method: http.MethodGet, path: "/items",
			headers: map[string]string{"Origin": "https://github.com"}, wantStatus: http.StatusOK, wantHandler: true,
			want: map[string]string{"Access-Control-Allow-Origin": "https://github.com", "Access-Control-Allow-Credentials": "true", "Vary": "Origin"},
		},
		{
			name: "an actual request from another origin runs the handler (gin-contrib: 403)", method: http.MethodGet, path: "/items",
			headers: map[string]string{"Origin": "https://evil.example.org"}, wantStatus: http.StatusOK, wantHandler: true,
			want: map[string]string{"Vary": "Origin"},
		},
		{
			name: "an OPTIONS without Access-Control-Request-Method is not a preflight (gin-contrib: answered as one)", method: http.MethodOptions, path: "/items",
			headers: map[string]string{"Origin": "https://foo.com"}, wantStatus: http.StatusNotFound,
			want: map[string]string{"Access-Control-Allow-Origin": "https://foo.com", "Access-Control-Allow-Credentials": "true", "Vary": "Origin"},
		},
		{
			name: "a preflight for a method not listed is refused (gin-contrib: 204)", method: http.MethodOptions, path: "/items/1",
			headers:    map[string]string{"Origin": "https://foo.com", "Access-Control-Request-Method": "DELETE"},
			wantStatus: http.StatusForbidden, want: map[string]string{},
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
			for _, name := range corsHeaders {
				assert.Equal(t, tc.want[name], rec.Header().Get(name), name)
			}
			assert.Equal(t, tc.wantHandler, rec.Header().Get("Content-Type") == "application/json; charset=utf-8", "handler ran")
		})
	}
}
