package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serve starts h on 127.0.0.1 and returns its base URL.
func serve(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	s := &httptest.Server{Listener: l, Config: &http.Server{Handler: h}}
	s.Start()
	t.Cleanup(s.Close)
	return s.URL
}

const origin = "http://localhost:3000"

func TestDoctorExitStatus(t *testing.T) {
	var unsafeRuns int
	good := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Origin")
		if r.Header.Get("Origin") == origin {
			w.Header().Set("Access-Control-Allow-Origin", origin)
			w.Header().Set("Access-Control-Allow-Methods", "DELETE")
		}
		if r.Method == http.MethodDelete {
			unsafeRuns++
		}
	})
	noCORS := serve(t, func(http.ResponseWriter, *http.Request) {})
	// A port nothing listens on any more: no answer.
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	closedURL := "http://" + l.Addr().String()
	require.NoError(t, l.Close())

	cases := []struct {
		name   string
		args   []string
		status int
		stdout string // a substring
		stderr string
	}{
		{"allowed", []string{"doctor", "-origin", origin, good + "/x"}, 0, "Chromium  allowed", ""},
		{"allowed DELETE: preflight only", []string{"doctor", "-origin", origin, "-method", "DELETE", good + "/x"}, 0, "a GET to the same URL stood in", ""},
		{"blocked", []string{"doctor", "-origin", origin, noCORS + "/x"}, 1, "ERROR allow-origin-missing", ""},
		{"no origin", []string{"doctor", good + "/x"}, 2, "", "-origin is required"},
		{"no URL", []string{"doctor", "-origin", origin}, 2, "", "exactly one URL"},
		{"bad flag", []string{"doctor", "-nope", good}, 2, "", "flag provided but not defined"},
		{"no answer", []string{"doctor", "-origin", origin, closedURL + "/x"}, 2, "", "no answer from the server"},
		{"unknown command", []string{"cure"}, 2, "", "unknown command"},
		{"-browser with an unsafe method needs -send-actual", []string{"doctor", "-origin", origin, "-method", "DELETE", "-browser", "chromium", good + "/x"}, 2, "", "add -send-actual"},
		{"-browser with an unknown engine", []string{"doctor", "-origin", origin, "-browser", "opera", good + "/x"}, 2, "", "unknown engine"},
		{"no command", nil, 2, "", "usage:"},
		{"explain a known message", []string{"explain", "Preflight response is not successful. Status code: 404"}, 0, "Engine: WebKit (Safari)", ""},
		{"explain an unknown message", []string{"explain", "hello"}, 1, "Failure: unknown", ""},
		{"explain without text", []string{"explain"}, 2, "", "usage: gincors explain"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			got := run(context.Background(), tc.args, strings.NewReader(""), &stdout, &stderr)
			assert.Equal(t, tc.status, got, "exit status; stderr: %s", stderr.String())
			assert.Contains(t, stdout.String(), tc.stdout)
			assert.Contains(t, stderr.String(), tc.stderr)
		})
	}
	assert.Zero(t, unsafeRuns, "DELETE was never sent without -send-actual")

	var stdout, stderr bytes.Buffer
	require.Equal(t, 0, run(context.Background(), []string{"doctor", "-origin", origin, "-method", "DELETE", "-send-actual", good + "/x"}, nil, &stdout, &stderr), stderr.String())
	assert.Equal(t, 1, unsafeRuns, "-send-actual sends DELETE once")
}

// TestDoctorJSON keeps issue 21's JSON contract.
func TestDoctorJSON(t *testing.T) {
	base := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Allow-Headers", "*")
	})
	var stdout, stderr bytes.Buffer
	status := run(context.Background(), []string{"doctor", "-json", "-origin", origin, "-header", "Authorization: Bearer t", "-read-header", "X-Total", base + "/x"}, nil, &stdout, &stderr)
	assert.Equal(t, 1, status, stderr.String())
	var rep map[string]any
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &rep), stdout.String())
	for _, key := range []string{"url", "origin", "method", "credentials", "exchanges", "engines", "findings"} {
		assert.Contains(t, rep, key)
	}
	x := rep["exchanges"].([]any)[0].(map[string]any)
	for _, key := range []string{"kind", "method", "url", "request_headers", "status", "response_headers"} {
		assert.Contains(t, x, key)
	}
	assert.Equal(t, "preflight", x["kind"])
	assert.Equal(t, "authorization", x["request_headers"].(map[string]any)["Access-Control-Request-Headers"])
	e := rep["engines"].([]any)[2].(map[string]any)
	for _, key := range []string{"engine", "allowed", "stage", "console", "preflight_cache_seconds"} {
		if key == "stage" || key == "console" {
			continue // omitted for an allowed call
		}
		assert.Contains(t, e, key)
	}
	assert.Equal(t, "webkit", e["engine"])
	var codes []string
	for _, f := range rep["findings"].([]any) {
		m := f.(map[string]any)
		for _, key := range []string{"code", "severity", "engines", "evidence", "fix"} {
			assert.Contains(t, m, key)
		}
		codes = append(codes, m["code"].(string))
	}
	assert.Equal(t, []string{"authorization-wildcard", "header-not-exposed"}, codes)
}

func TestExplainJSONFromStdin(t *testing.T) {
	var stdout, stderr bytes.Buffer
	msg := "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/x. (Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’)."
	require.Equal(t, 0, run(context.Background(), []string{"explain", "-json", "-"}, strings.NewReader(msg), &stdout, &stderr), stderr.String())
	var ex map[string]any
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &ex))
	assert.Equal(t, "firefox", ex["engine"])
	assert.Equal(t, "method-not-allowed", ex["class"])
	assert.Equal(t, "go run github.com/gincors/gincors/cmd/gincors doctor -origin ORIGIN -method METHOD https://api.example.com/x", ex["doctor"])
}
