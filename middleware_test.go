package gincors

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newMiddlewareServer is newTestServer's engine with m installed.
func newMiddlewareServer(t *testing.T, m *Middleware) *testServer {
	t.Helper()
	s := &testServer{engine: gin.New()}
	s.engine.Use(m.Handler())
	s.engine.GET("/api", func(c *gin.Context) { s.ran.Add(1); c.String(http.StatusOK, "ok") })
	s.engine.PUT("/api", func(c *gin.Context) { s.ran.Add(1); c.String(http.StatusOK, "ok") })
	return s
}

func TestReconfigure(t *testing.T) {
	const newOrigin = "https://new.example.com"
	m, err := NewMiddleware(Config{AllowOrigins: []string{appOrigin}})
	require.NoError(t, err)
	s := newMiddlewareServer(t, m)
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
	err = m.Reconfigure(Config{AllowOrigins: []string{"https://ok.example.com", "https://bad.example.com/"}})
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, ConfigError{Field: "AllowOrigins[1]", Value: "https://bad.example.com/", Message: `an origin has no trailing slash; write "https://bad.example.com"`}, *ce)
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
		{"* allows every origin", Config{AllowOrigins: []string{"*"}}, []string{evilOrigin}, true},
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
			{Field: "MaxAge", Value: "600ns", Message: "less than a second: MaxAge is a time.Duration, so a bare number counts nanoseconds; write 600 * time.Second"},
		}, errs)
	}()
	New(Config{AllowOrigins: []string{"*"}, AllowCredentials: true, MaxAge: 600})
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
	s := newMiddlewareServer(t, m)

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
				rec := httptest.NewRecorder()
				req := httptest.NewRequest("GET", "/api", nil)
				req.Header.Set("Origin", o)
				s.engine.ServeHTTP(rec, req)
				got := pick(rec.Header())
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
