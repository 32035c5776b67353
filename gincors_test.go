package gincors

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
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

// behaviourCase is one request against one policy and its exact result;
// the tables of behaviourCases here, of methodCases and requestHeaderCases
// in decide_test.go and of varyCases in write_test.go each run in memory
// and over loopback.
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
		name: "credentials add Allow-Credentials to a preflight",
		cfg:  with(func(c *Config) { c.AllowCredentials = true }),
		req:  preflightReq(appOrigin, "DELETE"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowCredentials, "true", headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
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
}

func TestBehaviour(t *testing.T) { runInMemory(t, behaviourCases) }

// TestBehaviourOverLoopback runs the same cases through net/http on
// 127.0.0.1, as users run the middleware.
func TestBehaviourOverLoopback(t *testing.T) { runOverLoopback(t, behaviourCases) }

// runInMemory runs each case through a fresh testServer in memory.
func runInMemory(t *testing.T, cases []behaviourCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, tc.cfg, tc.opts...)
			got := s.serve(t, tc.req)
			assert.Equal(t, tc.want.status, got.status, "status")
			assert.Equal(t, tc.want.cors, got.cors, "CORS headers")
			assert.Equal(t, tc.want.handlerRan, got.handlerRan, "handler ran")
		})
	}
}

// runOverLoopback runs each case through a fresh testServer listening on
// 127.0.0.1:0.
func runOverLoopback(t *testing.T, cases []behaviourCase) {
	for _, tc := range cases {
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
				if got := s.serve(t, r.req).cors; !assert.ObjectsAreEqual(r.want, got) {
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

// newMiddlewareServer is newTestServer's engine with m's handler installed.
func newMiddlewareServer(m *Middleware) *testServer { return buildTestServer(m.Handler()) }

func TestReconfigure(t *testing.T) {
	const newOrigin = "https://new.example.com"
	m, err := NewMiddleware(Config{AllowOrigins: []string{appOrigin}})
	require.NoError(t, err)
	s := newMiddlewareServer(m)
	get := func(origin string) result {
		return s.serve(t, request{method: "GET", lines: lines("Origin", origin)})
	}
	allowed := func(origin string) result { return result{200, hdr(headerAllowOrigin, origin, "Vary", "Origin"), true} }
	refused := result{200, hdr("Vary", "Origin"), true}

	require.Equal(t, allowed(appOrigin), get(appOrigin))
	require.Equal(t, refused, get(newOrigin))

	// A valid config takes effect on the next request, on the same handler.
	require.NoError(t, m.Reconfigure(Config{AllowOrigins: []string{newOrigin}}))
	assert.Equal(t, allowed(newOrigin), get(newOrigin))
	assert.Equal(t, refused, get(appOrigin))

	// An invalid one is refused with its ConfigErrors, and the policy stays.
	err = m.Reconfigure(Config{AllowOrigins: []string{"https://ok.example.com", "bad.example.com"}})
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, ConfigError{Field: "AllowOrigins[1]", Value: "bad.example.com", Message: `missing scheme; write "https://bad.example.com"`}, *ce)
	assert.Equal(t, allowed(newOrigin), get(newOrigin), "the old policy stays")
	assert.Equal(t, refused, get("https://ok.example.com"), "nothing of the refused config applies")
	assert.Equal(t, []string{newOrigin}, m.Config().AllowOrigins)
}

func TestMiddlewareConfigIsADeepCopy(t *testing.T) {
	cfg := Config{AllowOrigins: []string{appOrigin}, AllowMethods: []string{"PUT"}, AllowHeaders: []string{"X-A"}, ExposeHeaders: []string{"X-B"}, AllowOriginRegexps: []string{`https://[a-z]+\.example\.org`}}
	m, err := NewMiddleware(cfg)
	require.NoError(t, err)
	cfg.AllowOrigins[0] = evilOrigin // the caller's slice: no effect
	got := m.Config()
	assert.Equal(t, []string{appOrigin}, got.AllowOrigins)
	got.AllowOrigins[0], got.AllowMethods[0], got.AllowHeaders[0] = evilOrigin, "DELETE", "X-Evil"
	got.ExposeHeaders[0], got.AllowOriginRegexps[0] = "X-Evil", ".*"
	again := m.Config()
	assert.Equal(t, []string{appOrigin}, again.AllowOrigins)
	assert.Equal(t, []string{"PUT"}, again.AllowMethods)
	assert.Equal(t, []string{"X-A"}, again.AllowHeaders)
	assert.Equal(t, []string{"X-B"}, again.ExposeHeaders)
	assert.Equal(t, []string{`https://[a-z]+\.example\.org`}, again.AllowOriginRegexps)
	assert.True(t, m.OriginAllowed(ctxWithOrigins(appOrigin)))
	assert.False(t, m.OriginAllowed(ctxWithOrigins(evilOrigin)))
}

// ctxWithOrigins is a gin.Context for a GET with the given Origin lines.
func ctxWithOrigins(origins ...string) *gin.Context {
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest("GET", "http://api.test/ws", nil)
	for _, o := range origins {
		c.Request.Header.Add("Origin", o)
	}
	return c
}

func TestOriginAllowed(t *testing.T) {
	cases := []struct {
		name    string
		cfg     Config
		origins []string
		want    bool
	}{
		{"listed origin", baseConfig(), []string{appOrigin}, true},
		{"wildcard subdomain", baseConfig(), []string{"https://a.example.org"}, true},
		{"origin not allowed", baseConfig(), []string{evilOrigin}, false},
		{"no Origin: a non-browser client, left to the caller", baseConfig(), nil, false},
		{"several Origin lines", baseConfig(), []string{appOrigin, appOrigin}, false},
		{"malformed origin", baseConfig(), []string{"https://APP.example.com"}, false},
		{"null without the opt-in", baseConfig(), []string{"null"}, false},
		{"* vouches for no origin", Config{AllowOrigins: []string{"*"}}, []string{evilOrigin}, false},
		{"context func sees the request", Config{AllowOriginWithContextFunc: func(c *gin.Context, o string) bool { return c.Request.URL.Path == "/ws" && o == appOrigin }}, []string{appOrigin}, true},
		{"nested public suffix refused with credentials", Config{AllowOrigins: []string{"https://*.amazonaws.com"}, AllowCredentials: true}, []string{"https://attacker.s3.amazonaws.com"}, false},
		{"nested public suffix allowed without credentials", Config{AllowOrigins: []string{"https://*.amazonaws.com"}}, []string{"https://attacker.s3.amazonaws.com"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := NewMiddleware(tc.cfg)
			require.NoError(t, err)
			assert.Equal(t, tc.want, m.OriginAllowed(ctxWithOrigins(tc.origins...)))
		})
	}
}

func TestNewPanicsWithConfigErrors(t *testing.T) {
	defer func() {
		err, ok := recover().(error)
		require.True(t, ok, "New panics with an error")
		var errs []*ConfigError
		for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
			var ce *ConfigError
			require.True(t, errors.As(e, &ce))
			errs = append(errs, ce)
		}
		assert.Equal(t, []*ConfigError{
			{Field: "AllowOrigins[0]", Value: "*", Message: `not allowed with AllowCredentials: browsers refuse "*" on credentialed requests, and reflecting every origin instead would let any website read your users' data. List the origins that need credentials: in development, AllowOrigins: []string{"http://localhost:*", "http://127.0.0.1:*"}; in production, AllowOrigins: []string{"https://app.example.com"} (or "https://*.example.com" for your subdomains)`},
			{Field: "AllowHeaders[0]", Value: "X Y", Message: "not a header name: a header name is a token (RFC 9110 §5.1) of letters, digits and !#$%&'*+-.^_`|~, such as \"X-Request-Id\""},
		}, errs)
	}()
	New(Config{AllowOrigins: []string{"*"}, AllowCredentials: true, AllowHeaders: []string{"X Y"}})
}

func TestZeroMiddlewareHandlerPanics(t *testing.T) {
	var m Middleware
	assert.PanicsWithValue(t, "gincors: Middleware not made by NewMiddleware", func() { m.Handler() })
}

// TestReconfigureUnderLoad swaps two policies thousands of times while
// requests from several origins run, under -race in CI. Every response
// must be entirely one policy's answer: policy A allows a.example.com with
// credentials and exposes X-A; policy B allows b.example.com without
// credentials and exposes X-B.
func TestReconfigureUnderLoad(t *testing.T) {
	const aOrigin, bOrigin = "https://a.example.com", "https://b.example.com"
	cfgA := Config{AllowOrigins: []string{aOrigin}, AllowCredentials: true, ExposeHeaders: []string{"X-A"}}
	cfgB := Config{AllowOrigins: []string{bOrigin}, ExposeHeaders: []string{"X-B"}}
	m, err := NewMiddleware(cfgA)
	require.NoError(t, err)
	s := newMiddlewareServer(m)

	answerA := hdr(headerAllowOrigin, aOrigin, headerAllowCredentials, "true", headerExposeHeaders, "X-A", "Vary", "Origin")
	answerB := hdr(headerAllowOrigin, bOrigin, headerExposeHeaders, "X-B", "Vary", "Origin")
	refused := hdr("Vary", "Origin")

	var stop atomic.Bool
	var swaps atomic.Int64
	var swapper, requesters sync.WaitGroup
	swapper.Add(1)
	go func() {
		defer swapper.Done()
		for i := 0; !stop.Load() || i < 2000; i++ {
			cfg := cfgA
			if i%2 == 0 {
				cfg = cfgB
			}
			if err := m.Reconfigure(cfg); err != nil {
				t.Error(err)
				return
			}
			swaps.Add(1)
		}
	}()
	var sawA, sawB atomic.Int64
	const maxRequests = 1_000_000 // per requester, should the swapper never run
	for _, o := range []string{aOrigin, bOrigin, evilOrigin} {
		requesters.Add(1)
		go func() {
			defer requesters.Done()
			// At least 1500 requests each, and on until both policies have
			// answered: on a busy machine the swapper may not have run yet
			// when a requester's first 1500 are done.
			for i := 0; i < 1500 || (sawA.Load() == 0 || sawB.Load() == 0) && i < maxRequests; i++ {
				got := s.serve(t, request{method: "GET", lines: lines("Origin", o)}).cors
				switch {
				case o == aOrigin && assert.ObjectsAreEqual(answerA, got):
					sawA.Add(1)
				case o == bOrigin && assert.ObjectsAreEqual(answerB, got):
					sawB.Add(1)
				case assert.ObjectsAreEqual(refused, got):
				default:
					t.Errorf("origin %s got a mixed answer %v", o, got)
					return
				}
			}
		}()
	}
	requesters.Wait()
	stop.Store(true)
	swapper.Wait()
	assert.GreaterOrEqual(t, swaps.Load(), int64(2000))
	assert.Positive(t, sawA.Load(), "policy A answered some requests")
	assert.Positive(t, sawB.Load(), "policy B answered some requests")
}

// fuzzPolicyCase is one configuration of the whole-middleware fuzzer with a
// reference of the origins it allows.
type fuzzPolicyCase struct {
	name    string
	cfg     func() Config
	allowed func(origin string) bool // for a single, exact Origin line
}

var fuzzPolicyCases = []fuzzPolicyCase{
	{
		name: "star",
		cfg: func() Config {
			return Config{AllowOrigins: []string{"*"}, AllowMethods: []string{"PUT"}, ExposeHeaders: []string{"*"}}
		},
		allowed: func(string) bool { return true },
	},
	{
		name: "credentials exact and wildcards",
		cfg: func() Config {
			return Config{
				AllowOrigins:     []string{"https://app.example.com", "https://*.example.org", "http://localhost:*"},
				AllowCredentials: true,
				AllowMethods:     []string{"PUT", "patch"},
				AllowHeaders:     []string{"Content-Type", "Authorization"},
				ExposeHeaders:    []string{"X-Id"},
				MaxAge:           time.Hour,
			}
		},
		allowed: fuzzRefAllowedBy("https://app.example.com", "https://*.example.org", "http://localhost:*"),
	},
	{
		name: "wildcard any method any header",
		cfg: func() Config {
			return Config{AllowOrigins: []string{"https://*.example.com:*"}, AllowMethods: []string{"*"}, AllowHeaders: []string{"*"}}
		},
		allowed: fuzzRefAllowedBy("https://*.example.com:*"),
	},
	{
		name: "credentials regexp",
		cfg: func() Config {
			return Config{
				AllowOriginRegexps: []string{`https://(a|b)\.example\.com`},
				AllowCredentials:   true,
				AllowMethods:       []string{"*"},
				AllowHeaders:       []string{"*", "Authorization"},
			}
		},
		allowed: func(s string) bool {
			_, ok := fuzzRefParseOrigin(s)
			return ok && fuzzRefRegexpFullMatch(`https://(a|b)\.example\.com`, s)
		},
	},
	{
		name: "passthrough private network",
		cfg: func() Config {
			return Config{
				AllowOrigins:         []string{"https://app.example.com"},
				OptionsPassthrough:   true,
				AllowPrivateNetwork:  true,
				OptionsSuccessStatus: 200,
			}
		},
		allowed: fuzzRefAllowedBy("https://app.example.com"),
	},
	{
		name: "credentials null opt-in",
		cfg: func() Config {
			return Config{
				AllowOrigins:               []string{"null", "https://app.example.com"},
				DangerouslyAllowNullOrigin: true,
				AllowCredentials:           true,
			}
		},
		allowed: func(s string) bool { return s == "null" || fuzzRefAllowedBy("https://app.example.com")(s) },
	},
	{
		name: "credentials origin func",
		cfg: func() Config {
			return Config{
				AllowOriginFunc: func(o string) bool {
					return strings.HasPrefix(o, "https://") && strings.HasSuffix(o, ".example.net")
				},
				AllowCredentials: true,
			}
		},
		allowed: func(s string) bool {
			o, ok := fuzzRefParseOrigin(s)
			return ok && o.scheme == "https" && o.port == "" && strings.HasSuffix(o.host, ".example.net")
		},
	},
	{
		name: "credentials wildcard matcher",
		cfg: func() Config {
			m, err := WildcardOrigins("https://*.example.com")
			if err != nil {
				panic(err)
			}
			return Config{AllowOriginMatcher: m, AllowCredentials: true}
		},
		allowed: fuzzRefAllowedBy("https://*.example.com"),
	},
}

// fuzzSplitField splits a fuzzed field into header lines; the empty string
// means the header is absent.
func fuzzSplitField(s string) []string {
	if s == "" {
		return nil
	}
	if s == "\x00empty" {
		return []string{""}
	}
	return strings.Split(s, "\n")
}

// FuzzMiddleware sends random requests through a real gin.Engine for each
// configuration of fuzzPolicyCases and checks guarantees 1 to 3 on every
// response (guarantee 4's "never panics" is checked by the fuzzer itself).
func FuzzMiddleware(f *testing.F) {
	type seed struct {
		sel                             uint8
		method, origin, acrm, acrh, pna string
		unrouted                        bool
	}
	seeds := []seed{
		{1, "GET", "https://app.example.com", "", "", "", false},
		{1, "GET", "https://app.example.com.evil.invalid", "", "", "", false},
		{1, "OPTIONS", "https://app.example.com", "PUT", "content-type", "", false},
		{1, "OPTIONS", "https://a.example.org", "patch", "authorization,content-type", "", true},
		{1, "OPTIONS", "https://evil.invalid", "PUT", "", "", false},
		{1, "OPTIONS", "https://app.example.com\nhttps://evil.invalid", "PUT", "", "", false},
		{1, "OPTIONS", "https://app.example.com", "\x00empty", "", "", false},
		{1, "OPTIONS", "https://app.example.com", "PUT\nDELETE", "", "", false},
		{1, "OPTIONS", "", "PUT", "", "", false},
		{1, "OPTIONS", "https://app.example.com", "", "", "", false},
		{1, "GET", "null", "", "", "", false},
		{1, "GET", "http://localhost:0", "", "", "", false},
		{1, "GET", "http://localhost:65535", "", "", "", false},
		{0, "OPTIONS", "https://any.invalid", "DELETE", "x-a, authorization", "", false},
		{0, "OPTIONS", "\x00empty", "PUT", "", "true", false},
		{0, "GET", "", "", "", "", false},
		{2, "OPTIONS", "https://a.example.com:8443", "PURGE", "x-a,authorization", "", false},
		{2, "OPTIONS", "https://a.example.com:8443", "PURGE", "x-a, x-b\nx-c", "", false},
		{3, "OPTIONS", "https://a.example.com", "PURGE", "authorization", "", false},
		{3, "GET", "https://c.example.com", "", "", "", false},
		{4, "OPTIONS", "https://app.example.com", "GET", "", "true", false},
		{4, "OPTIONS", "https://evil.invalid", "GET", "", "true", false},
		{5, "OPTIONS", "null", "GET", "", "", false},
		{6, "GET", "https://x.example.net", "", "", "", false},
		{6, "GET", "https://x.example.net/", "", "", "", false},
		{7, "GET", "https://a.b.example.com", "", "", "", true},
		{7, "BREW", "https://a.example.com", "", "", "", false},
	}
	for _, s := range seeds {
		f.Add(s.sel, s.method, s.origin, s.acrm, s.acrh, s.pna, s.unrouted)
	}
	servers := make([]*testServer, len(fuzzPolicyCases))
	cfgs := make([]Config, len(fuzzPolicyCases))
	for i, pc := range fuzzPolicyCases {
		cfgs[i] = pc.cfg()
		require.NoError(f, cfgs[i].Validate())
		servers[i] = newTestServer(f, cfgs[i], withEveryRoute())
	}
	f.Fuzz(func(t *testing.T, sel uint8, method, origin, acrm, acrh, pna string, unrouted bool) {
		i := int(sel) % len(fuzzPolicyCases)
		pc, s := fuzzPolicyCases[i], servers[i]
		if method == "" {
			method = http.MethodGet
		}
		req := request{method: method, path: "/api", host: "api.example.com"}
		if unrouted {
			req.path = "/unrouted"
		}
		origins, methods, headers, pnas := fuzzSplitField(origin), fuzzSplitField(acrm), fuzzSplitField(acrh), fuzzSplitField(pna)
		for _, field := range []struct {
			name   string
			values []string
		}{{headerOrigin, origins}, {headerRequestMethod, methods}, {headerRequestHeaders, headers}, {headerRequestPrivateNetwork, pnas}} {
			for _, v := range field.values {
				req.lines = append(req.lines, [2]string{field.name, v})
			}
		}
		// Other headers must never be a source of Access-Control-Allow-Origin.
		req.lines = append(req.lines, lines("Referer", "https://app.example.com/", "X-Forwarded-Host", "app.example.com")...)
		got := s.serve(t, req)
		if msg := fuzzCheckResponse(pc, cfgs[i], method, origins, methods, headers, pnas, got); msg != "" {
			t.Fatalf("policy %q, %s %s, Origin %q, ACRM %q, ACRH %q, ACRPN %q: %s (got %+v)",
				pc.name, method, req.path, origins, methods, headers, pnas, msg, got)
		}
	})
}
