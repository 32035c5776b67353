package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDynamic runs its steps in order on one engine: the admin changes the
// origins and the API's CORS answers follow.
func TestDynamic(t *testing.T) {
	router, err := newRouter([]string{"http://localhost:5173"}, "secret")
	require.NoError(t, err)

	send := func(method, path, origin, token, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		if method == http.MethodOptions {
			req.Header.Set("Access-Control-Request-Method", "DELETE")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		router.ServeHTTP(rec, req)
		return rec
	}

	steps := []struct {
		name       string
		method     string
		path       string
		origin     string
		token      string
		body       string
		wantStatus int
		wantACAO   string
		wantBody   string // exact JSON, or "" for an empty body
	}{
		{name: "the initial origin reads the API", method: http.MethodGet, path: "/api/news", origin: "http://localhost:5173",
			wantStatus: http.StatusOK, wantACAO: "http://localhost:5173", wantBody: `["cors is live"]`},
		{name: "a new origin is refused before the change", method: http.MethodOptions, path: "/api/news", origin: "https://app.example.com",
			wantStatus: http.StatusForbidden},
		{name: "the admin endpoint needs the token", method: http.MethodPut, path: "/admin/origins", body: `["https://app.example.com"]`,
			wantStatus: http.StatusUnauthorized, wantBody: `{"error":"bad admin token"}`},
		{name: "the admin replaces the origins", method: http.MethodPut, path: "/admin/origins", token: "secret", body: `["https://app.example.com"]`,
			wantStatus: http.StatusOK, wantBody: `["https://app.example.com"]`},
		{name: "the new origin's preflight is allowed at once", method: http.MethodOptions, path: "/api/news", origin: "https://app.example.com",
			wantStatus: http.StatusNoContent, wantACAO: "https://app.example.com"},
		{name: "the removed origin is refused", method: http.MethodOptions, path: "/api/news", origin: "http://localhost:5173",
			wantStatus: http.StatusForbidden},
		{name: "an invalid list is refused with its ConfigErrors", method: http.MethodPut, path: "/admin/origins", token: "secret",
			body: `["https://ok.example.com", "app.example.com"]`, wantStatus: http.StatusUnprocessableEntity,
			wantBody: `{"kept":["https://app.example.com"],"problems":[{"field":"AllowOrigins[1]","message":"missing scheme; write \"https://app.example.com\"","value":"app.example.com"}]}`},
		{name: "after the refused change the old policy stays", method: http.MethodGet, path: "/api/news", origin: "https://app.example.com",
			wantStatus: http.StatusOK, wantACAO: "https://app.example.com", wantBody: `["cors is live"]`},
		{name: "and the refused list's valid origin is not allowed", method: http.MethodGet, path: "/api/news", origin: "https://ok.example.com",
			wantStatus: http.StatusOK, wantBody: `["cors is live"]`},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			rec := send(step.method, step.path, step.origin, step.token, step.body)
			assert.Equal(t, step.wantStatus, rec.Code)
			assert.Equal(t, step.wantACAO, rec.Header().Get("Access-Control-Allow-Origin"))
			if step.wantBody == "" {
				assert.Empty(t, rec.Body.String(), "handler ran")
			} else {
				assert.JSONEq(t, step.wantBody, rec.Body.String())
			}
		})
	}
}

func TestDynamicRefusesAnInvalidStart(t *testing.T) {
	_, err := newRouter([]string{"localhost:5173"}, "secret")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `AllowOrigins[0] "localhost:5173"`)
}
