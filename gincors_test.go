package gincors

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	appOrigin  = "https://app.example.com"
	evilOrigin = "https://evil.example.net"
	// What a successful preflight lists for baseConfig, whatever it asked.
	baseMethods = "PUT, DELETE, patch"
	baseHeaders = "Content-Type, X-Custom"
)

// baseConfig is the policy most behaviour cases run against.
func baseConfig() Config {
	return Config{
		AllowOrigins:  []string{appOrigin, "https://*.example.org", "http://localhost:*"},
		AllowMethods:  []string{"PUT", "DELETE", "patch"},
		AllowHeaders:  []string{"Content-Type", "X-Custom"},
		ExposeHeaders: []string{"X-Total"},
		MaxAge:        10 * time.Minute,
	}
}

func with(edit func(*Config)) Config {
	c := baseConfig()
	edit(&c)
	return c
}

type behaviourCase struct {
	name string
	cfg  Config
	opts []serverOption
	req  request
	want result
}

var behaviourCases = []behaviourCase{
	// 1. Requests without Origin are not CORS requests.
	{
		name: "request without Origin runs the handler and gets Vary: Origin",
		cfg:  baseConfig(),
		req:  request{method: "GET"},
		want: result{200, hdr("Vary", "Origin"), true},
	},
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
	{
		name: "all origins: request without Origin gets * and no Vary",
		cfg:  Config{AllowOrigins: []string{"*"}},
		req:  request{method: "GET"},
		want: result{200, hdr(headerAllowOrigin, "*"), true},
	},

	// 2. What is a preflight.
	{
		name: "preflight is answered by the middleware and the handler does not run",
		cfg:  baseConfig(),
		req:  preflightReq(appOrigin, "PUT"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
	},
	{
		name: "OPTIONS with Origin but no Access-Control-Request-Method goes to the OPTIONS handler",
		cfg:  baseConfig(),
		req:  request{method: "OPTIONS", path: "/opt", lines: lines("Origin", appOrigin)},
		want: result{200, hdr(headerAllowOrigin, appOrigin, headerExposeHeaders, "X-Total", "Vary", "Origin"), true},
	},
	{
		name: "OPTIONS with Access-Control-Request-Method but no Origin goes to the OPTIONS handler",
		cfg:  baseConfig(),
		req:  request{method: "OPTIONS", path: "/opt", lines: lines(headerRequestMethod, "PUT")},
		want: result{200, hdr("Vary", "Origin"), true},
	},
	{
		name: "OptionsPassthrough sets preflight headers and lets the OPTIONS handler answer",
		cfg:  with(func(c *Config) { c.OptionsPassthrough = true }),
		req:  request{method: "OPTIONS", path: "/opt", lines: lines("Origin", appOrigin, headerRequestMethod, "PUT")},
		want: result{200, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600"), true},
	},
	{
		name: "OptionsPassthrough passes a refused preflight on without CORS headers",
		cfg:  with(func(c *Config) { c.OptionsPassthrough = true }),
		req:  request{method: "OPTIONS", path: "/opt", lines: lines("Origin", evilOrigin, headerRequestMethod, "PUT")},
		want: result{200, hdr(), true},
	},

	// 3. Successful preflights.
	{
		name: "safelisted method with a custom header is allowed",
		cfg:  baseConfig(),
		req:  preflightReq(appOrigin, "GET", headerRequestHeaders, "x-custom"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
	},
	{
		name: "safelisted POST is allowed without being listed",
		cfg:  with(func(c *Config) { c.AllowMethods = nil }),
		req:  preflightReq(appOrigin, "POST", headerRequestHeaders, "content-type"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
	},
	{
		name: "credentials add Allow-Credentials to a preflight",
		cfg:  with(func(c *Config) { c.AllowCredentials = true }),
		req:  preflightReq(appOrigin, "DELETE"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowCredentials, "true", headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
	},
	{
		name: "lower-case method allowed as configured is matched byte for byte",
		cfg:  baseConfig(),
		req:  preflightReq(appOrigin, "patch"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
	},
	{
		name: "configured lower-case delete is normalised to DELETE as fetch does",
		cfg:  with(func(c *Config) { c.AllowMethods = []string{"delete"} }),
		req:  preflightReq(appOrigin, "DELETE"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, "DELETE", headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
	},
	{
		name: "any method without credentials answers Allow-Methods *",
		cfg:  with(func(c *Config) { c.AllowMethods = []string{"*"} }),
		req:  preflightReq(appOrigin, "PROPFIND"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, "*", headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
	},
	{
		name: "any method with credentials reflects the method, since * would be literal",
		cfg:  with(func(c *Config) { c.AllowMethods = []string{"*"}; c.AllowCredentials = true }),
		req:  preflightReq(appOrigin, "PROPFIND"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowCredentials, "true", headerAllowMethods, "PROPFIND", headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
	},
	{
		name: "any method with credentials refuses a method named *, which would be reflected",
		cfg:  with(func(c *Config) { c.AllowMethods = []string{"*"}; c.AllowCredentials = true }),
		req:  preflightReq(appOrigin, "*"),
		want: result{403, hdr(), false},
	},
	{
		name: "any header with credentials refuses a header named *, which would be reflected",
		cfg:  with(func(c *Config) { c.AllowHeaders = []string{"*"}; c.AllowCredentials = true }),
		req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, "x-a,*"),
		want: result{403, hdr(), false},
	},
	{
		name: "any header without credentials answers Allow-Headers *",
		cfg:  with(func(c *Config) { c.AllowHeaders = []string{"*"} }),
		req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, "x-a,x-b"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, "*", headerMaxAge, "600"), false},
	},
	{
		name: "any header with credentials reflects the names, since * would be literal",
		cfg:  with(func(c *Config) { c.AllowHeaders = []string{"*"}; c.AllowCredentials = true }),
		req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, "x-a,x-b"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowCredentials, "true", headerAllowMethods, baseMethods, headerAllowHeaders, "x-a,x-b", headerMaxAge, "600"), false},
	},
	{
		name: "Authorization listed next to * is named explicitly, not covered by *",
		cfg:  with(func(c *Config) { c.AllowHeaders = []string{"*", "Authorization"} }),
		req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, "authorization,x-a"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, "*, Authorization", headerMaxAge, "600"), false},
	},
	{
		name: "any header without credentials answers * even when none was asked for",
		cfg:  with(func(c *Config) { c.AllowHeaders = []string{"*"} }),
		req:  preflightReq(appOrigin, "PUT"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, "*", headerMaxAge, "600"), false},
	},
	{
		name: "any header with credentials and no request headers sends no Allow-Headers",
		cfg:  with(func(c *Config) { c.AllowHeaders = []string{"*"}; c.AllowCredentials = true }),
		req:  preflightReq(appOrigin, "PUT"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowCredentials, "true", headerAllowMethods, baseMethods, headerMaxAge, "600"), false},
	},
	{
		name: "any header with credentials reflects every line of a split list",
		cfg:  with(func(c *Config) { c.AllowHeaders = []string{"*", "Authorization"}; c.AllowCredentials = true }),
		req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, "x-a", headerRequestHeaders, " , ", headerRequestHeaders, "authorization"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowCredentials, "true", headerAllowMethods, baseMethods, headerAllowHeaders, "x-a", headerAllowHeaders, "authorization", headerMaxAge, "600"), false},
	},
	{
		name: "no MaxAge sends no Max-Age",
		cfg:  with(func(c *Config) { c.MaxAge = 0 }),
		req:  preflightReq(appOrigin, "PUT"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders), false},
	},
	{
		name: "DisablePreflightCache sends Max-Age 0",
		cfg:  with(func(c *Config) { c.MaxAge = DisablePreflightCache }),
		req:  preflightReq(appOrigin, "PUT"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "0"), false},
	},
	{
		name: "OptionsSuccessStatus replaces 204",
		cfg:  with(func(c *Config) { c.OptionsSuccessStatus = 200 }),
		req:  preflightReq(appOrigin, "PUT"),
		want: result{200, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
	},
	{
		name: "all origins answer a preflight with *",
		cfg:  Config{AllowOrigins: []string{"*"}, AllowMethods: []string{"PUT"}},
		req:  preflightReq(evilOrigin, "PUT"),
		want: result{204, hdr(headerAllowOrigin, "*", headerAllowMethods, "PUT"), false},
	},
	{
		name: "private network preflight is allowed when enabled",
		cfg:  with(func(c *Config) { c.AllowPrivateNetwork = true }),
		req:  preflightReq(appOrigin, "PUT", headerRequestPrivateNetwork, "true"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600", headerAllowPrivateNetwork, "true"), false},
	},
	{
		name: "private network enabled adds nothing to a preflight that does not ask for it",
		cfg:  with(func(c *Config) { c.AllowPrivateNetwork = true }),
		req:  preflightReq(appOrigin, "PUT"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
	},

	// 4. Refused preflights: 403, no CORS header, no handler.
	{
		name: "preflight from an origin not allowed is refused",
		cfg:  baseConfig(),
		req:  preflightReq(evilOrigin, "PUT"),
		want: result{403, hdr(), false},
	},
	{
		name: "preflight for a method not allowed is refused",
		cfg:  baseConfig(),
		req:  preflightReq(appOrigin, "PROPFIND"),
		want: result{403, hdr(), false},
	},
	{
		name: "preflight for lower-case patch is refused when only PATCH is allowed",
		cfg:  with(func(c *Config) { c.AllowMethods = []string{"PATCH"} }),
		req:  preflightReq(appOrigin, "patch"),
		want: result{403, hdr(), false},
	},
	{
		name: "preflight for a header not allowed is refused",
		cfg:  baseConfig(),
		req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, "x-custom,x-other"),
		want: result{403, hdr(), false},
	},
	{
		name: "preflight for Authorization is refused when only * is allowed",
		cfg:  with(func(c *Config) { c.AllowHeaders = []string{"*"} }),
		req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, "authorization"),
		want: result{403, hdr(), false},
	},
	{
		name: "private network preflight gets no Allow-Private-Network when not enabled",
		cfg:  baseConfig(),
		req:  preflightReq(appOrigin, "PUT", headerRequestPrivateNetwork, "true"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
	},
	{
		name: "preflight with two Origin lines is refused",
		cfg:  baseConfig(),
		req:  preflightReq(appOrigin, "PUT", "Origin", appOrigin),
		want: result{403, hdr(), false},
	},
	{
		name: "preflight with two Access-Control-Request-Method lines is refused",
		cfg:  baseConfig(),
		req:  preflightReq(appOrigin, "PUT", headerRequestMethod, "PUT"),
		want: result{403, hdr(), false},
	},
	{
		name: "preflight with an empty Access-Control-Request-Method is refused",
		cfg:  with(func(c *Config) { c.AllowMethods = []string{"*"} }),
		req:  preflightReq(appOrigin, ""),
		want: result{403, hdr(), false},
	},
	{
		name: "preflight for a malformed header list is refused",
		cfg:  with(func(c *Config) { c.AllowHeaders = []string{"*"} }),
		req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, "x-a x-b"),
		want: result{403, hdr(), false},
	},
	{
		name: "preflight listing more than the maximum number of names is refused",
		cfg:  with(func(c *Config) { c.AllowHeaders = []string{"*"} }),
		req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, repeatNames(maxRequestHeaderNames+1)),
		want: result{403, hdr(), false},
	},
	{
		name: "preflight from an origin longer than any real origin is refused",
		cfg:  with(func(c *Config) { c.AllowOriginFunc = func(string) bool { return true } }),
		req:  preflightReq("https://"+strings.Repeat("a.", 200)+"example.com", "PUT"),
		want: result{403, hdr(), false},
	},

	// 5 and 6. Actual requests always reach the handler.
	{
		name: "actual request from an allowed origin gets Allow-Origin and Expose-Headers",
		cfg:  baseConfig(),
		req:  request{method: "GET", lines: lines("Origin", appOrigin)},
		want: result{200, hdr(headerAllowOrigin, appOrigin, headerExposeHeaders, "X-Total", "Vary", "Origin"), true},
	},
	{
		name: "credentialed actual request gets Allow-Credentials",
		cfg:  with(func(c *Config) { c.AllowCredentials = true }),
		req:  request{method: "PUT", lines: lines("Origin", appOrigin)},
		want: result{200, hdr(headerAllowOrigin, appOrigin, headerAllowCredentials, "true", headerExposeHeaders, "X-Total", "Vary", "Origin"), true},
	},
	{
		name: "actual request keeps its CORS headers when the handler panics",
		cfg:  baseConfig(),
		req:  request{method: "GET", path: "/panic", lines: lines("Origin", appOrigin)},
		want: result{500, hdr(headerAllowOrigin, appOrigin, headerExposeHeaders, "X-Total", "Vary", "Origin"), true},
	},
	{
		name: "actual request from an origin not allowed runs the handler without CORS headers",
		cfg:  with(func(c *Config) { c.AllowCredentials = true }),
		req:  request{method: "POST", lines: lines("Origin", evilOrigin)},
		want: result{200, hdr("Vary", "Origin"), true},
	},
	{
		name: "same-origin POST whose origin is not configured still succeeds",
		cfg:  baseConfig(),
		req:  request{method: "POST", lines: lines("Origin", "http://api.test")},
		want: result{200, hdr("Vary", "Origin"), true},
	},
	{
		name: "actual request with two Origin lines gets no CORS headers",
		cfg:  baseConfig(),
		req:  request{method: "GET", lines: lines("Origin", appOrigin, "Origin", appOrigin)},
		want: result{200, hdr("Vary", "Origin"), true},
	},
	{
		name: "actual request with a null origin gets no CORS headers",
		cfg:  baseConfig(),
		req:  request{method: "GET", lines: lines("Origin", "null")},
		want: result{200, hdr("Vary", "Origin"), true},
	},
	{
		name: "null origin allowed through DangerouslyAllowNullOrigin",
		cfg:  with(func(c *Config) { c.AllowOrigins = []string{"null"}; c.DangerouslyAllowNullOrigin = true }),
		req:  request{method: "GET", lines: lines("Origin", "null")},
		want: result{200, hdr(headerAllowOrigin, "null", headerExposeHeaders, "X-Total", "Vary", "Origin"), true},
	},
	{
		name: "all origins answer an actual request with * and no Vary",
		cfg:  Config{AllowOrigins: []string{"*"}, ExposeHeaders: []string{"*"}},
		req:  request{method: "GET", lines: lines("Origin", evilOrigin)},
		want: result{200, hdr(headerAllowOrigin, "*", headerExposeHeaders, "*"), true},
	},
	{
		name: "actual request matched by a wildcard subdomain",
		cfg:  baseConfig(),
		req:  request{method: "GET", lines: lines("Origin", "https://a.b.example.org")},
		want: result{200, hdr(headerAllowOrigin, "https://a.b.example.org", headerExposeHeaders, "X-Total", "Vary", "Origin"), true},
	},
	{
		name: "actual request matched by a port wildcard",
		cfg:  baseConfig(),
		req:  request{method: "GET", lines: lines("Origin", "http://localhost:5173")},
		want: result{200, hdr(headerAllowOrigin, "http://localhost:5173", headerExposeHeaders, "X-Total", "Vary", "Origin"), true},
	},
	{
		name: "actual request matched by an anchored regexp",
		cfg:  Config{AllowOriginRegexps: []string{`https://(staging|prod)\.example\.io`}},
		req:  request{method: "GET", lines: lines("Origin", "https://prod.example.io")},
		want: result{200, hdr(headerAllowOrigin, "https://prod.example.io", "Vary", "Origin"), true},
	},
	{
		name: "regexp is anchored at the end",
		cfg:  Config{AllowOriginRegexps: []string{`https://(staging|prod)\.example\.io`}},
		req:  request{method: "GET", lines: lines("Origin", "https://prod.example.io.evil.com")},
		want: result{200, hdr("Vary", "Origin"), true},
	},
	{
		name: "actual request matched by AllowOriginWithContextFunc",
		cfg: Config{AllowOriginWithContextFunc: func(c *gin.Context, origin string) bool {
			return c.Request.URL.Path == "/api" && origin == "https://tenant.example.io"
		}},
		req:  request{method: "GET", lines: lines("Origin", "https://tenant.example.io")},
		want: result{200, hdr(headerAllowOrigin, "https://tenant.example.io", "Vary", "Origin"), true},
	},

	// 8. Access-Control-Request-Headers parsing.
	{
		name: "header names are case-insensitive and whitespace around commas is ignored",
		cfg:  baseConfig(),
		req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, "Content-Type ,\tX-CUSTOM"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
	},
	{
		name: "empty list elements are ignored",
		cfg:  baseConfig(),
		req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, ",,content-type,,"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
	},
	{
		name: "a list of only separators asks for no header",
		cfg:  baseConfig(),
		req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, " , ,"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
	},
	{
		name: "a list split over several lines is read whole",
		cfg:  baseConfig(),
		req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, "content-type", headerRequestHeaders, "", headerRequestHeaders, "x-custom"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
	},
	{
		name: "a name not allowed on a later line refuses the preflight",
		cfg:  baseConfig(),
		req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, "content-type", headerRequestHeaders, "x-other"),
		want: result{403, hdr(), false},
	},
	{
		name: "a name longer than any allowed name is refused",
		cfg:  baseConfig(),
		req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, "x-custom,"+strings.Repeat("x", 1<<16)),
		want: result{403, hdr(), false},
	},
	{
		name: "exactly the maximum number of names is allowed",
		cfg:  with(func(c *Config) { c.AllowHeaders = []string{"X-H"} }),
		req:  preflightReq(appOrigin, "PUT", headerRequestHeaders, repeatNames(maxRequestHeaderNames)),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, "X-H", headerMaxAge, "600"), false},
	},
}

func TestBehaviour(t *testing.T) {
	for _, tc := range behaviourCases {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, tc.cfg, tc.opts...)
			got := s.serve(t, tc.req)
			assert.Equal(t, tc.want.status, got.status, "status")
			assert.Equal(t, tc.want.cors, got.cors, "CORS headers")
			assert.Equal(t, tc.want.handlerRan, got.handlerRan, "handler ran")
		})
	}
}

// TestBehaviourOverLoopback runs the same cases through net/http on
// 127.0.0.1, as users run the middleware.
func TestBehaviourOverLoopback(t *testing.T) {
	for _, tc := range behaviourCases {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, tc.cfg, tc.opts...)
			srv := httptest.NewServer(s.engine)
			defer srv.Close()
			got := s.serveHTTP(t, srv.URL, tc.req)
			assert.Equal(t, tc.want.status, got.status, "status")
			assert.Equal(t, tc.want.cors, got.cors, "CORS headers")
			assert.Equal(t, tc.want.handlerRan, got.handlerRan, "handler ran")
		})
	}
}

// A preflight to a route with no OPTIONS handler reaches the middleware
// through Gin's 404/405 handling, which is why gincors belongs on the engine.
func TestPreflightForRouteWithoutOptionsHandler(t *testing.T) {
	for _, handle405 := range []bool{false, true} {
		s := newTestServer(t, baseConfig())
		s.engine.HandleMethodNotAllowed = handle405
		got := s.serve(t, request{method: "OPTIONS", path: "/api", lines: lines("Origin", appOrigin, headerRequestMethod, "PUT")})
		assert.Equal(t, 204, got.status, "HandleMethodNotAllowed=%v", handle405)
		assert.Equal(t, []string{appOrigin}, got.cors[headerAllowOrigin])
		assert.False(t, got.handlerRan)
	}
}

// Installed on a router group, the middleware never sees a preflight for a
// route without an OPTIONS handler: Gin answers 404 from the engine's
// handlers. This pins the reason the README says to use engine.Use.
func TestGroupMiddlewareMissesPreflights(t *testing.T) {
	s := &testServer{engine: gin.New()}
	api := s.engine.Group("/v1", New(baseConfig()))
	api.PUT("/items", func(c *gin.Context) { s.ran.Add(1); c.Status(http.StatusOK) })

	got := s.serve(t, request{method: "OPTIONS", path: "/v1/items", lines: lines("Origin", appOrigin, headerRequestMethod, "PUT")})
	assert.Equal(t, 404, got.status)
	assert.Equal(t, hdr(), got.cors)
	assert.False(t, got.handlerRan)

	got = s.serve(t, request{method: "PUT", path: "/v1/items", lines: lines("Origin", appOrigin)})
	assert.Equal(t, 200, got.status)
	assert.Equal(t, hdr(headerAllowOrigin, appOrigin, headerExposeHeaders, "X-Total", "Vary", "Origin"), got.cors)
	assert.True(t, got.handlerRan)
}

// 9. New copies the config.
func TestNewIsUnaffectedByLaterConfigChanges(t *testing.T) {
	cfg := baseConfig()
	s := newTestServer(t, cfg)
	cfg.AllowOrigins[0] = evilOrigin
	cfg.AllowMethods[0] = "PROPFIND"
	cfg.AllowHeaders[0] = "X-Evil"
	cfg.ExposeHeaders[0] = "X-Secret"
	cfg.AllowCredentials = true

	got := s.serve(t, preflightReq(appOrigin, "PUT", headerRequestHeaders, "content-type"))
	assert.Equal(t, 204, got.status)
	assert.Equal(t, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600"), got.cors)
	assert.False(t, got.handlerRan)

	got = s.serve(t, preflightReq(evilOrigin, "PROPFIND"))
	assert.Equal(t, 403, got.status)
	assert.Equal(t, hdr(), got.cors)

	got = s.serve(t, request{method: "GET", lines: lines("Origin", appOrigin)})
	assert.Equal(t, hdr(headerAllowOrigin, appOrigin, headerExposeHeaders, "X-Total", "Vary", "Origin"), got.cors)
	assert.True(t, got.handlerRan)
}

// 9. One middleware serves concurrent requests (run with -race).
func TestConcurrentRequests(t *testing.T) {
	s := newTestServer(t, baseConfig())
	reqs := []struct {
		req  request
		want http.Header
	}{
		{preflightReq(appOrigin, "PUT"), hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600")},
		{request{method: "GET", lines: lines("Origin", "https://x.example.org")}, hdr(headerAllowOrigin, "https://x.example.org", headerExposeHeaders, "X-Total", "Vary", "Origin")},
		{request{method: "GET", lines: lines("Origin", evilOrigin)}, hdr("Vary", "Origin")},
	}
	const workers, perWorker = 8, 300
	errs := make(chan string, workers)
	for w := 0; w < workers; w++ {
		go func() {
			for i := 0; i < perWorker; i++ {
				r := reqs[(w+i)%len(reqs)]
				rec := httptest.NewRecorder()
				s.engine.ServeHTTP(rec, r.req.build(t, "http://api.test"))
				if got := pick(rec.Header()); !assert.ObjectsAreEqual(r.want, got) {
					errs <- "got " + strings.Join(got.Values("Access-Control-Allow-Origin"), ",")
					return
				}
			}
			errs <- ""
		}()
	}
	for w := 0; w < workers; w++ {
		assert.Empty(t, <-errs)
	}
}

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

// A preflight may ask for every allowed header at once, even when more
// than the default bound of 100 are configured.
func TestPreflightMayAskForEveryConfiguredHeader(t *testing.T) {
	names := make([]string, 150)
	for i := range names {
		names[i] = fmt.Sprintf("x-h%d", i)
	}
	s := newTestServer(t, Config{AllowOrigins: []string{appOrigin}, AllowHeaders: names})
	got := s.serve(t, preflightReq(appOrigin, "GET", headerRequestHeaders, strings.Join(names, ",")))
	assert.Equal(t, result{204, hdr(headerAllowOrigin, appOrigin, headerAllowHeaders, strings.Join(names, ", ")), false}, got)

	got = s.serve(t, preflightReq(appOrigin, "GET", headerRequestHeaders, strings.Join(names, ",")+",x-h0"))
	assert.Equal(t, result{403, hdr(), false}, got, "one name more than configured is beyond the bound")
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
			req := httptest.NewRequest("GET", "http://"+tc.host+"/api", nil)
			req.Header.Set("Origin", appOrigin)
			rec := httptest.NewRecorder()
			before := s.ran.Load()
			s.engine.ServeHTTP(rec, req)
			assert.Equal(t, tc.want, result{rec.Code, pick(rec.Header()), s.ran.Load() > before})
		})
	}
}
