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

func TestGroups(t *testing.T) {
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
			name: "public API: any site reads it with *", method: http.MethodGet, path: "/api/articles",
			headers: map[string]string{"Origin": "https://blog.example.org"}, wantStatus: http.StatusOK, wantHandler: true,
			want: map[string]string{"Access-Control-Allow-Origin": "*"},
		},
		{
			name: "admin: the public * never reaches it", method: http.MethodGet, path: "/admin/users",
			headers: map[string]string{"Origin": "https://blog.example.org"}, wantStatus: http.StatusOK, wantHandler: true,
			want: map[string]string{"Vary": "Origin"},
		},
		{
			name: "admin: the admin front end reads it with credentials", method: http.MethodGet, path: "/admin/users",
			headers: map[string]string{"Origin": "https://admin.example.com"}, wantStatus: http.StatusOK, wantHandler: true,
			want: map[string]string{"Access-Control-Allow-Origin": "https://admin.example.com", "Access-Control-Allow-Credentials": "true", "Vary": "Origin"},
		},
		{
			name: "admin: a DELETE preflight is answered although the group has no OPTIONS route", method: http.MethodOptions, path: "/admin/users/7",
			headers:    map[string]string{"Origin": "https://admin.example.com", "Access-Control-Request-Method": "DELETE", "Access-Control-Request-Headers": "x-csrf-token"},
			wantStatus: http.StatusNoContent,
			want: map[string]string{
				"Access-Control-Allow-Origin": "https://admin.example.com", "Access-Control-Allow-Credentials": "true",
				"Access-Control-Allow-Methods": "GET, POST, DELETE", "Access-Control-Allow-Headers": "Content-Type, X-CSRF-Token",
				"Access-Control-Max-Age": "600",
			},
		},
		{
			name: "admin: a DELETE preflight from another site is refused", method: http.MethodOptions, path: "/admin/users/7",
			headers:    map[string]string{"Origin": "https://blog.example.org", "Access-Control-Request-Method": "DELETE"},
			wantStatus: http.StatusForbidden, want: map[string]string{},
		},
		{
			name: "a path that only starts like /admin gets the public policy", method: http.MethodGet, path: "/administrator",
			headers: map[string]string{"Origin": "https://blog.example.org"}, wantStatus: http.StatusNotFound,
			want: map[string]string{"Access-Control-Allow-Origin": "*"},
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
