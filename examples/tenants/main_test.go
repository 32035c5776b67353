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
}

func TestTenants(t *testing.T) {
	router := newRouter(&tenantOrigins{origins: map[string][]string{
		"acme.api.example.com":   {"https://app.acme.com"},
		"globex.api.example.com": {"https://globex.example.net"},
	}})
	cases := []struct {
		name        string
		preflight   bool
		host        string
		origin      string
		wantStatus  int
		want        map[string]string
		wantVary    []string
		wantHandler bool
	}{
		{
			name: "a tenant's front end reads its own API", host: "acme.api.example.com", origin: "https://app.acme.com",
			wantStatus: http.StatusOK, wantHandler: true,
			want:     map[string]string{"Access-Control-Allow-Origin": "https://app.acme.com", "Access-Control-Allow-Credentials": "true"},
			wantVary: []string{"Host", "Origin"},
		},
		{
			name: "a tenant's front end cannot read another tenant's API", host: "globex.api.example.com", origin: "https://app.acme.com",
			wantStatus: http.StatusOK, wantHandler: true, want: map[string]string{},
			wantVary: []string{"Host", "Origin"},
		},
		{
			name: "a port in Host does not change the tenant", host: "acme.api.example.com:8443", origin: "https://app.acme.com",
			wantStatus: http.StatusOK, wantHandler: true,
			want:     map[string]string{"Access-Control-Allow-Origin": "https://app.acme.com", "Access-Control-Allow-Credentials": "true"},
			wantVary: []string{"Host", "Origin"},
		},
		{
			name: "a tenant's PUT preflight is allowed", preflight: true, host: "globex.api.example.com", origin: "https://globex.example.net",
			wantStatus: http.StatusNoContent,
			want: map[string]string{
				"Access-Control-Allow-Origin": "https://globex.example.net", "Access-Control-Allow-Credentials": "true",
				"Access-Control-Allow-Methods": "GET, PUT", "Access-Control-Allow-Headers": "Content-Type",
			},
			wantVary: []string{"Host"},
		},
		{
			name: "another tenant's PUT preflight is refused", preflight: true, host: "acme.api.example.com", origin: "https://globex.example.net",
			wantStatus: http.StatusForbidden, want: map[string]string{},
			wantVary: []string{"Host"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/api/profile", nil)
			if tc.preflight {
				req = httptest.NewRequest(http.MethodOptions, "/api/profile", nil)
				req.Header.Set("Access-Control-Request-Method", "PUT")
				req.Header.Set("Access-Control-Request-Headers", "content-type")
			}
			req.Host = tc.host
			req.Header.Set("Origin", tc.origin)
			rec := httptest.NewRecorder()
			router.ServeHTTP(rec, req)

			assert.Equal(t, tc.wantStatus, rec.Code)
			for _, name := range corsHeaders {
				assert.Equal(t, tc.want[name], rec.Header().Get(name), name)
			}
			assert.Equal(t, tc.wantVary, rec.Header().Values("Vary"))
			assert.Equal(t, tc.wantHandler, rec.Body.Len() > 0, "handler ran")
		})
	}
}
