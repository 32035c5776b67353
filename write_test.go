package gincors

// Tests of the writers (write.go): header values never shared between
// responses, Vary merging, and the debug preflight answer.

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// 10. Header values are never shared between responses: a handler or an
// outer middleware that edits them in place, or appends to them, changes
// only its own response.
func TestHeaderValuesAreNotSharedBetweenResponses(t *testing.T) {
	tamper := func(c *gin.Context) {
		h := c.Writer.Header()
		for _, name := range corsHeaders {
			if v := h[name]; len(v) > 0 {
				v[0] = "tampered"
				h[name] = append(v, "appended")
			}
		}
	}
	cases := []struct {
		name string
		req  request
		want http.Header
	}{
		{"actual request", request{method: "GET", lines: lines("Origin", appOrigin)},
			hdr(headerAllowOrigin, appOrigin, headerAllowCredentials, "true", headerExposeHeaders, "X-Total", "Vary", "Origin")},
		{"request without origin", request{method: "GET"}, hdr("Vary", "Origin")},
		{"preflight", preflightReq(appOrigin, "PUT", headerRequestHeaders, "content-type"),
			hdr(headerAllowOrigin, appOrigin, headerAllowCredentials, "true", headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var atEntry http.Header
			engine := gin.New()
			// The outer middleware tampers after the chain has returned,
			// the handler while it runs.
			engine.Use(func(c *gin.Context) { c.Next(); tamper(c) })
			engine.Use(New(with(func(c *Config) { c.AllowCredentials = true })))
			engine.Any("/api", func(c *gin.Context) {
				atEntry = pick(c.Writer.Header())
				tamper(c)
				c.Status(http.StatusOK)
			})

			for i := 0; i < 3; i++ {
				atEntry = nil
				rec := httptest.NewRecorder()
				engine.ServeHTTP(rec, tc.req.build(t, "http://api.test"))
				if tc.req.method == http.MethodOptions {
					// What was written, before the outer middleware
					// tampered with the live header map.
					require.Equal(t, 204, rec.Code)
					assert.Equal(t, tc.want, pick(rec.Result().Header), "response %d", i)
					assert.Nil(t, atEntry, "handler ran")
				} else {
					assert.Equal(t, tc.want, atEntry, "headers the handler saw in response %d", i)
				}
			}
		})
	}
}

// An origin function that decides from another request header declares it
// in Vary, and gincors adds Origin next to it (RFC 9110 §12.5.5).
func TestOriginFuncMayAddToVary(t *testing.T) {
	cfg := Config{AllowOriginWithContextFunc: func(c *gin.Context, origin string) bool {
		c.Writer.Header().Add("Vary", "Host")
		return c.Request.Host == "tenant-a.api.test" && origin == appOrigin
	}}
	cases := []struct {
		name string
		host string
		want result
	}{
		{"allowed for the tenant", "tenant-a.api.test", result{200, hdr(headerAllowOrigin, appOrigin, "Vary", "Host", "Vary", "Origin"), true}},
		{"refused for another tenant, with the same Vary", "tenant-b.api.test", result{200, hdr("Vary", "Host", "Vary", "Origin"), true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, cfg)
			assert.Equal(t, tc.want, s.serve(t, request{method: "GET", host: tc.host, lines: lines("Origin", appOrigin)}))
		})
	}
}

// TestDebugPreflightAnswers checks the debug answer: for an allowed origin
// refused on its method, a header or private network access, an ok status
// listing explicitly only what is allowed of what was asked, so that the
// browser's own check fails on the refused item and names it.
func TestDebugPreflightAnswers(t *testing.T) {
	debug := func(edit func(*Config)) Config {
		return with(func(c *Config) { c.Debug = true; c.Logger = slog.New(slog.DiscardHandler); edit(c) })
	}
	cases := []struct {
		name string
		cfg  Config
		req  request
		want result
	}{
		{
			name: "refused header: the other asked headers are listed, the refused one is not",
			cfg:  debug(func(*Config) {}),
			req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, "content-type,x-csrf-token,x-custom"),
			want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, "PUT", headerAllowHeaders, "content-type,x-custom"), false},
		},
		{
			name: "refused method: the allowed methods are listed, never the refused one",
			cfg:  debug(func(*Config) {}),
			req:  preflightReq(appOrigin, "PROPFIND", headerRequestHeaders, "content-type"),
			want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, "PUT, DELETE, patch"), false},
		},
		{
			name: "refused method with no method listed: the safelisted methods are listed",
			cfg:  debug(func(c *Config) { c.AllowMethods = nil }),
			req:  preflightReq(appOrigin, "PUT"),
			want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, "GET, HEAD, POST"), false},
		},
		{
			name: "a method named * under AllowMethods * with credentials: the safelisted methods are listed",
			cfg: debug(func(c *Config) {
				c.AllowMethods = []string{"*"}
				c.AllowCredentials = true
				c.AllowOrigins = []string{appOrigin}
			}),
			req:  preflightReq(appOrigin, "*"),
			want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowCredentials, "true", headerAllowMethods, "GET, HEAD, POST"), false},
		},
		{
			name: "Authorization under * stays refused, listed explicitly never as *",
			cfg:  debug(func(c *Config) { c.AllowHeaders = []string{"*"}; c.AllowMethods = []string{"*"} }),
			req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, "authorization,x-any"),
			want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, "PUT", headerAllowHeaders, "x-any"), false},
		},
		{
			name: "with credentials the answer carries them, as the normal one would",
			cfg:  debug(func(c *Config) { c.AllowCredentials = true; c.AllowOrigins = []string{appOrigin} }),
			req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, "x-csrf-token"),
			want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowCredentials, "true", headerAllowMethods, "PUT"), false},
		},
		{
			name: "private network access without AllowPrivateNetwork: the ordinary answer, no Allow-Private-Network",
			cfg:  debug(func(*Config) {}),
			req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, "content-type", headerRequestPrivateNetwork, "true"),
			want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, "PUT, DELETE, patch", headerAllowHeaders, "Content-Type, X-Custom", headerMaxAge, "600"), false},
		},
		{
			name: "origin not allowed: still nothing",
			cfg:  debug(func(*Config) {}),
			req:  preflightReq(evilOrigin, "PUT", headerRequestHeaders, "x-csrf-token"),
			want: result{403, hdr(), false},
		},
		{
			name: "malformed: still nothing",
			cfg:  debug(func(*Config) {}),
			req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, "content-type x-custom"),
			want: result{403, hdr(), false},
		},
		{
			name: "allowed preflight: the normal answer",
			cfg:  debug(func(*Config) {}),
			req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, "content-type"),
			want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, tc.cfg)
			assert.Equal(t, tc.want, s.serve(t, tc.req))
		})
	}
}

// varyCases pin how Vary: Origin joins a Vary set before gincors
// (RFC 9110 §12.5.5, https://www.rfc-editor.org/rfc/rfc9110#section-12.5.5).
var varyCases = []behaviourCase{
	{
		name: "request without Origin keeps an existing Vary and appends Origin",
		cfg:  baseConfig(),
		opts: []serverOption{withOuterVary("Accept-Encoding")},
		req:  request{method: "GET"},
		want: result{200, hdr("Vary", "Accept-Encoding", "Vary", "Origin"), true},
	},
	{
		name: "Vary already listing origin in another case is not duplicated",
		cfg:  baseConfig(),
		opts: []serverOption{withOuterVary("accept-encoding, origin")},
		req:  request{method: "GET", lines: lines("Origin", appOrigin)},
		want: result{200, hdr("Vary", "accept-encoding, origin", headerAllowOrigin, appOrigin, headerExposeHeaders, "X-Total"), true},
	},
	{
		name: "Vary: * set by someone else is left alone",
		cfg:  baseConfig(),
		opts: []serverOption{withOuterVary("*")},
		req:  request{method: "GET"},
		want: result{200, hdr("Vary", "*"), true},
	},
	{
		name: "preflight adds no Vary, since OPTIONS responses are not cacheable, and keeps an existing one",
		cfg:  baseConfig(),
		opts: []serverOption{withOuterVary("Accept-Encoding, origin")},
		req:  preflightReq(appOrigin, "PUT"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600",
			"Vary", "Accept-Encoding, origin"), false},
	},
	{
		name: "preflight leaves Vary: * alone",
		cfg:  baseConfig(),
		opts: []serverOption{withOuterVary("*")},
		req:  preflightReq(appOrigin, "PUT"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600", "Vary", "*"), false},
	},
}

func TestVary(t *testing.T)             { runInMemory(t, varyCases) }
func TestVaryOverLoopback(t *testing.T) { runOverLoopback(t, varyCases) }
