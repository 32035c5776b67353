package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var corsHeaders = []string{
	"Access-Control-Allow-Origin", "Access-Control-Allow-Methods",
	"Access-Control-Allow-Headers", "Access-Control-Max-Age",
}

func TestDebug(t *testing.T) {
	cases := []struct {
		name       string
		debug      bool
		origin     string
		reqHeaders string
		wantStatus int
		want       map[string]string
		wantLog    map[string]any // the fields of the one log record; nil: no record
		wantMetric string
	}{
		{
			name: "debug: a refused header gets an ok answer that leaves it out, so the console names it", debug: true,
			origin: "http://localhost:5173", reqHeaders: "content-type,x-csrf-token", wantStatus: http.StatusNoContent,
			want: map[string]string{"Access-Control-Allow-Origin": "http://localhost:5173", "Access-Control-Allow-Methods": "POST", "Access-Control-Allow-Headers": "content-type"},
			wantLog: map[string]any{"level": "WARN", "reason": "header", "preflight": true, "origin": "http://localhost:5173", "header": "x-csrf-token",
				"path": "/api/orders", "fix": `request header "x-csrf-token" is not allowed; add "x-csrf-token" to AllowHeaders`},
			wantMetric: `gincors_rejections_total{reason="header"} 1`,
		},
		{
			name:   "without debug the same preflight is a bare 403, still logged and counted",
			origin: "http://localhost:5173", reqHeaders: "content-type,x-csrf-token", wantStatus: http.StatusForbidden,
			want: map[string]string{},
			wantLog: map[string]any{"level": "WARN", "reason": "header", "preflight": true, "origin": "http://localhost:5173", "header": "x-csrf-token",
				"path": "/api/orders", "fix": `request header "x-csrf-token" is not allowed; add "x-csrf-token" to AllowHeaders`},
			wantMetric: `gincors_rejections_total{reason="header"} 1`,
		},
		{
			name: "debug: a disallowed origin still gets nothing", debug: true,
			origin: "https://evil.example.org", reqHeaders: "content-type", wantStatus: http.StatusForbidden,
			want: map[string]string{},
			wantLog: map[string]any{"level": "INFO", "reason": "origin", "preflight": true, "origin": "https://evil.example.org",
				"path": "/api/orders", "fix": `origin "https://evil.example.org" is not allowed; add it to AllowOrigins if that site may read responses`},
			wantMetric: `gincors_rejections_total{reason="origin"} 1`,
		},
		{
			name: "an allowed preflight is neither logged nor counted", debug: true,
			origin: "http://localhost:5173", reqHeaders: "content-type", wantStatus: http.StatusNoContent,
			want:       map[string]string{"Access-Control-Allow-Origin": "http://localhost:5173", "Access-Control-Allow-Methods": "GET, POST", "Access-Control-Allow-Headers": "Content-Type"},
			wantMetric: `gincors_rejections_total{reason="header"} 0`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			router := newRouter(&logs, tc.debug)
			req := httptest.NewRequest(http.MethodOptions, "/api/orders", nil)
			req.Header.Set("Origin", tc.origin)
			req.Header.Set("Access-Control-Request-Method", "POST")
			req.Header.Set("Access-Control-Request-Headers", tc.reqHeaders)
			rec := httptest.NewRecorder()
			router.ServeHTTP(rec, req)

			assert.Equal(t, tc.wantStatus, rec.Code)
			for _, name := range corsHeaders {
				assert.Equal(t, tc.want[name], rec.Header().Get(name), name)
			}
			assert.Empty(t, rec.Body.String(), "the order handler never runs for a preflight")

			if tc.wantLog == nil {
				assert.Empty(t, logs.String())
			} else {
				var record map[string]any
				require.NoError(t, json.Unmarshal(logs.Bytes(), &record), "one JSON record: %s", logs.String())
				delete(record, "time")
				tc.wantLog["msg"] = "gincors: CORS request refused"
				assert.Equal(t, tc.wantLog, record)
			}

			metrics := httptest.NewRecorder()
			router.ServeHTTP(metrics, httptest.NewRequest(http.MethodGet, "/metrics", nil))
			assert.Contains(t, metrics.Body.String(), tc.wantMetric+"\n")
		})
	}
}
