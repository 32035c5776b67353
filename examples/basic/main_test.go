package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

// corsHeaders are the response headers each case pins exactly; a header
// missing from a case's want must be absent.
var corsHeaders = []string{
	"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
	"Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
	"Access-Control-Expose-Headers", "Access-Control-Max-Age", "Vary",
}

func TestBasic(t *testing.T) {
	router := newRouter()
	cases := []struct {
		name        string
		method      string
		path        string
		headers     map[string]string
		wantStatus  int
		want        map[string]string
		wantHandler bool // the route's handler wrote its JSON body
	}{
		{
			name:   "preflight from the dev server is answered with the whole policy",
			method: http.MethodOptions, path: "/api/items/1",
			headers:    map[string]string{"Origin": "http://localhost:5173", "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "content-type"},
			wantStatus: http.StatusNoContent,
			want: map[string]string{
				"Access-Control-Allow-Origin":  "http://localhost:5173",
				"Access-Control-Allow-Methods": "GET, POST, PUT, DELETE",
				"Access-Control-Allow-Headers": "Content-Type, Authorization",
				"Access-Control-Max-Age":       "3600",
			},
		},
		{
			name:   "preflight from an unknown origin is refused with no CORS header",
			method: http.MethodOptions, path: "/api/items/1",
			headers:    map[string]string{"Origin": "https://evil.example.org", "Access-Control-Request-Method": "PUT"},
			wantStatus: http.StatusForbidden,
			want:       map[string]string{},
		},
		{
			name:   "actual request from a subdomain gets its origin and the exposed header",
			method: http.MethodGet, path: "/api/items",
			headers:    map[string]string{"Origin": "https://app.example.com"},
			wantStatus: http.StatusOK,
			want: map[string]string{
				"Access-Control-Allow-Origin":   "https://app.example.com",
				"Access-Control-Expose-Headers": "X-Request-Id",
				"Vary":                          "Origin",
			},
			wantHandler: true,
		},
		{
			name:   "actual request from an unknown origin still runs the handler, without CORS headers",
			method: http.MethodGet, path: "/api/items",
			headers:     map[string]string{"Origin": "https://evilexample.com"},
			wantStatus:  http.StatusOK,
			want:        map[string]string{"Vary": "Origin"},
			wantHandler: true,
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
			assert.Equal(t, tc.wantHandler, rec.Body.Len() > 0, "handler ran")
		})
	}
}
