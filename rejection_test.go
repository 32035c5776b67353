package gincors

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gincors/gincors/internal/origin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rejections records what OnRejected receives.
type rejections struct {
	mu  sync.Mutex
	got []Rejection
}

func (r *rejections) hook(_ *gin.Context, rej Rejection) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, rej)
}

// rejectionCase is one request and the rejection it must report (or none).
type rejectionCase struct {
	name string
	cfg  Config
	req  request
	want result
	// rejection is the one report expected; nil means none.
	rejection *Rejection
}

func rejectionCases() []rejectionCase {
	return []rejectionCase{
		{
			name:      "preflight from an origin not allowed",
			cfg:       baseConfig(),
			req:       preflightReq(evilOrigin, "PUT"),
			want:      result{403, hdr(), false},
			rejection: &Rejection{Reason: ReasonOrigin, Preflight: true, Origin: evilOrigin, Hint: `origin "https://evil.example.net" is not allowed; add it to AllowOrigins if that site may read responses`},
		},
		{
			name:      "preflight for a method not allowed",
			cfg:       baseConfig(),
			req:       preflightReq(appOrigin, "PROPFIND"),
			want:      result{403, hdr(), false},
			rejection: &Rejection{Reason: ReasonMethod, Preflight: true, Origin: appOrigin, Method: "PROPFIND", Hint: `method "PROPFIND" is not allowed; add "PROPFIND" to AllowMethods`},
		},
		{
			name:      "preflight for lower-case patch when PATCH is allowed names the spelling",
			cfg:       with(func(c *Config) { c.AllowMethods = []string{"PATCH"} }),
			req:       preflightReq(appOrigin, "patch"),
			want:      result{403, hdr(), false},
			rejection: &Rejection{Reason: ReasonMethod, Preflight: true, Origin: appOrigin, Method: "patch", Hint: `method "patch" is not allowed: browsers send method names as the page wrote them, except DELETE, GET, HEAD, OPTIONS, POST and PUT, and Gin routes "patch" apart from "PATCH", so it would reach no "PATCH" route; write "PATCH" in the page's fetch() call; nothing to change in the Config`},
		},
		{
			name:      "preflight for lower-case patch when no PATCH is allowed asks for PATCH, never patch",
			cfg:       with(func(c *Config) { c.AllowMethods = []string{"PUT"} }),
			req:       preflightReq(appOrigin, "patch"),
			want:      result{403, hdr(), false},
			rejection: &Rejection{Reason: ReasonMethod, Preflight: true, Origin: appOrigin, Method: "patch", Hint: `method "patch" is not allowed: browsers send method names as the page wrote them, except DELETE, GET, HEAD, OPTIONS, POST and PUT, and Gin routes "patch" apart from "PATCH", so it would reach no "PATCH" route; write "PATCH" in the page's fetch() call, and add "PATCH" to AllowMethods`},
		},
		{
			name:      "preflight for a header not allowed names the first refused header",
			cfg:       baseConfig(),
			req:       preflightReq(appOrigin, "PUT", headerRequestHeaders, "content-type,x-csrf-token,x-other"),
			want:      result{403, hdr(), false},
			rejection: &Rejection{Reason: ReasonHeader, Preflight: true, Origin: appOrigin, Header: "x-csrf-token", Hint: `request header "x-csrf-token" is not allowed; add "x-csrf-token" to AllowHeaders`},
		},
		{
			name:      "preflight for Authorization under * says * does not cover it",
			cfg:       with(func(c *Config) { c.AllowHeaders = []string{"*"} }),
			req:       preflightReq(appOrigin, "PUT", headerRequestHeaders, "authorization"),
			want:      result{403, hdr(), false},
			rejection: &Rejection{Reason: ReasonHeader, Preflight: true, Origin: appOrigin, Header: "authorization", Hint: `request header "authorization" is not allowed: the Fetch standard never lets "*" in AllowHeaders cover Authorization; add "Authorization" to AllowHeaders`},
		},
		{
			name:      "preflight for a header with AllowHeaders empty says what empty means",
			cfg:       with(func(c *Config) { c.AllowHeaders = nil }),
			req:       preflightReq(appOrigin, "PUT", headerRequestHeaders, "content-type"),
			want:      result{403, hdr(), false},
			rejection: &Rejection{Reason: ReasonHeader, Preflight: true, Origin: appOrigin, Header: "content-type", Hint: `request header "content-type" is not allowed: AllowHeaders is empty, which allows only the CORS-safelisted headers; add "content-type" to AllowHeaders (JSON requests need "Content-Type")`},
		},
		{
			// Without AllowPrivateNetwork the request header is not read:
			// the answer's lack of Allow-Private-Network is the refusal.
			name: "preflight asking for private network access without AllowPrivateNetwork: answered without it, nothing reported",
			cfg:  baseConfig(),
			req:  preflightReq(appOrigin, "PUT", headerRequestPrivateNetwork, "true"),
			want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
		},
		{
			name:      "preflight with two Origin lines is malformed",
			cfg:       baseConfig(),
			req:       request{method: "OPTIONS", lines: lines("Origin", appOrigin, "Origin", evilOrigin, headerRequestMethod, "PUT")},
			want:      result{403, hdr(), false},
			rejection: &Rejection{Reason: ReasonMalformed, Preflight: true, Hint: "several Origin header lines, which browsers never send; nothing to change"},
		},
		{
			name:      "preflight with a request-header list that is not tokens is malformed",
			cfg:       baseConfig(),
			req:       preflightReq(appOrigin, "PUT", headerRequestHeaders, "content-type x-custom"),
			want:      result{403, hdr(), false},
			rejection: &Rejection{Reason: ReasonMalformed, Preflight: true, Origin: appOrigin, Hint: "Access-Control-Request-Headers is not a list of header names within bounds (at most 100 names of at most 256 bytes, with a few separators each), which browsers never send; nothing to change"},
		},
		{
			name:      "preflight with an over-long method is malformed",
			cfg:       with(func(c *Config) { c.AllowMethods = []string{"*"} }),
			req:       preflightReq(appOrigin, strings.Repeat("M", maxMethodLength+1)),
			want:      result{403, hdr(), false},
			rejection: &Rejection{Reason: ReasonMalformed, Preflight: true, Origin: appOrigin, Hint: "Access-Control-Request-Method is not a method name of at most 64 bytes, which browsers never send; nothing to change"},
		},
		{
			name:      "actual request from an origin not allowed",
			cfg:       baseConfig(),
			req:       request{method: "GET", lines: lines("Origin", evilOrigin)},
			want:      result{200, hdr("Vary", "Origin"), true},
			rejection: &Rejection{Reason: ReasonOrigin, Origin: evilOrigin, Hint: `origin "https://evil.example.net" is not allowed; add it to AllowOrigins if that site may read responses`},
		},
		{
			name:      "actual request from null names the opt-in",
			cfg:       baseConfig(),
			req:       request{method: "GET", lines: lines("Origin", "null")},
			want:      result{200, hdr("Vary", "Origin"), true},
			rejection: &Rejection{Reason: ReasonOrigin, Origin: "null", Hint: `origin "null" is not allowed: sandboxed iframes and data: documents send it, and any site can create those; allow it only knowingly, with DangerouslyAllowNullOrigin`},
		},
		{
			name: "same-origin request marked by Sec-Fetch-Site is not a rejection",
			cfg:  baseConfig(),
			req:  request{method: "POST", lines: lines("Origin", "https://api.example.com", "Sec-Fetch-Site", "same-origin")},
			want: result{200, hdr("Vary", "Origin"), true},
		},
		{
			name: "allowed actual request is not reported",
			cfg:  baseConfig(),
			req:  request{method: "GET", lines: lines("Origin", appOrigin)},
			want: result{200, hdr(headerAllowOrigin, appOrigin, headerExposeHeaders, "X-Total", "Vary", "Origin"), true},
		},
		{
			name: "request without Origin is not reported",
			cfg:  baseConfig(),
			req:  request{method: "GET"},
			want: result{200, hdr("Vary", "Origin"), true},
		},
		{
			name: "allowed preflight is not reported",
			cfg:  baseConfig(),
			req:  preflightReq(appOrigin, "PUT"),
			want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
		},
	}
}

// TestOnRejected checks that each rejection is reported once, with its
// reason and the fix, and that reporting changes no response.
func TestOnRejected(t *testing.T) {
	for _, tc := range rejectionCases() {
		t.Run(tc.name, func(t *testing.T) {
			var rec rejections
			cfg := tc.cfg
			cfg.OnRejected = rec.hook
			s := newTestServer(t, cfg)
			got := s.serve(t, tc.req)
			assert.Equal(t, tc.want, got)
			if tc.rejection == nil {
				assert.Empty(t, rec.got)
				return
			}
			require.Len(t, rec.got, 1)
			assert.Equal(t, *tc.rejection, rec.got[0])
		})
	}
}

// TestLoggerRecordsRejections checks the structured record: one per
// rejection, with the fields a log pipeline filters on.
func TestLoggerRecordsRejections(t *testing.T) {
	for _, tc := range rejectionCases() {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			cfg := tc.cfg
			cfg.Logger = slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
			s := newTestServer(t, cfg)
			buf.Reset() // the Config's warnings, logged by New (config_test.go)
			assert.Equal(t, tc.want, s.serve(t, tc.req))
			if tc.rejection == nil {
				assert.Empty(t, buf.String())
				return
			}
			var rec map[string]any
			require.NoError(t, json.Unmarshal(buf.Bytes(), &rec), "one JSON record: %s", buf.String())
			r := tc.rejection
			// A preflight from an allowed origin is a page of yours
			// failing; one from another origin, someone else's page; an
			// actual request is not blocked, and a malformed one is not
			// from a browser.
			level := "WARN"
			switch {
			case !r.Preflight || r.Reason == ReasonMalformed:
				level = "DEBUG"
			case r.Reason == ReasonOrigin:
				level = "INFO"
			}
			assert.Equal(t, level, rec["level"])
			assert.Equal(t, "gincors: CORS request refused", rec["msg"])
			assert.Equal(t, r.Reason.String(), rec["reason"])
			assert.Equal(t, r.Preflight, rec["preflight"])
			assert.Equal(t, r.Origin, rec["origin"])
			if r.Method == "" {
				assert.NotContains(t, rec, "method", "no empty attributes")
			} else {
				assert.Equal(t, r.Method, rec["method"])
			}
			if r.Header == "" {
				assert.NotContains(t, rec, "header", "no empty attributes")
			} else {
				assert.Equal(t, r.Header, rec["header"])
			}
			assert.Equal(t, "/api", rec["path"])
			assert.Equal(t, r.Hint, rec["fix"])
		})
	}
}

func TestRejectionString(t *testing.T) {
	r := Rejection{Reason: ReasonHeader, Preflight: true, Origin: appOrigin, Header: "x-csrf-token", Hint: `request header "x-csrf-token" is not allowed; add "x-csrf-token" to AllowHeaders`}
	assert.Equal(t, `gincors: preflight from "https://app.example.com" refused (header): request header "x-csrf-token" is not allowed; add "x-csrf-token" to AllowHeaders`, r.String())
	r = Rejection{Reason: ReasonOrigin, Origin: evilOrigin, Hint: "h"}
	assert.Equal(t, `gincors: request from "https://evil.example.net" refused (origin): h`, r.String())
	assert.Equal(t, "Reason(9)", Reason(9).String())
}

// TestDebugLogsToDefaultLogger checks that debug mode without a Logger
// logs every rejection to slog.Default(), read at request time.
func TestDebugLogsToDefaultLogger(t *testing.T) {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })

	s := newTestServer(t, with(func(c *Config) { c.Debug = true }))
	assert.Equal(t, result{200, hdr("Vary", "Origin"), true}, s.serve(t, request{method: "GET", lines: lines("Origin", evilOrigin)}))
	assert.Equal(t, result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, "PUT"), false},
		s.serve(t, preflightReq(appOrigin, "PUT", headerRequestHeaders, "x-csrf-token")))
	logged := buf.String()
	assert.Equal(t, 2, strings.Count(logged, "gincors: CORS request refused"), logged)
	assert.Contains(t, logged, `reason=origin`)
	assert.Contains(t, logged, `header=x-csrf-token`)
}

// TestDebugWarnsAboutStackedPolicies checks that a second gincors
// middleware on the same request, in debug mode, warns and names ByPath.
func TestDebugWarnsAboutStackedPolicies(t *testing.T) {
	var buf bytes.Buffer
	engine := gin.New()
	engine.Use(New(Config{AllowOrigins: []string{"*"}}))
	admin := engine.Group("/admin", New(Config{AllowOrigins: []string{appOrigin}, Debug: true, Logger: slog.New(slog.NewTextHandler(&buf, nil))}))
	ran := false
	admin.GET("/users", func(c *gin.Context) { ran = true })

	s := &testServer{engine: engine}
	got := s.serve(t, request{method: "GET", path: "/admin/users", lines: lines("Origin", evilOrigin)})
	assert.Equal(t, 200, got.status)
	assert.Equal(t, hdr(headerAllowOrigin, "*", "Vary", "Origin"), got.cors, "the outer * leaks: what the warning is about")
	assert.True(t, ran)
	assert.Contains(t, buf.String(), "level=WARN")
	assert.Contains(t, buf.String(), "use gincors.ByPath")
}

// TestReportingCostsNoAllocationWhenOff pins that a rejection is not built
// when nothing would receive it: a request costs at most the one
// allocation of its header values.
func TestReportingCostsNoAllocationWhenOff(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	for _, tc := range rejectionCases() {
		t.Run(tc.name, func(t *testing.T) {
			e := engineFor(t, tc.cfg)
			req := tc.req.build(t, "http://api.test")
			w := &discardWriter{h: http.Header{}}
			assert.LessOrEqual(t, testing.AllocsPerRun(200, func() {
				clear(w.h)
				e.ServeHTTP(w, req)
			}), 1.0)
		})
	}
}

// TestRejectionReportsAreBounded pins that hostile input cannot make a
// report, a log record or a debug answer of its own size.
func TestRejectionReportsAreBounded(t *testing.T) {
	var rec rejections
	cfg := with(func(c *Config) { c.Debug = true; c.Logger = slog.New(slog.DiscardHandler); c.OnRejected = rec.hook })
	s := newTestServer(t, cfg)

	huge := "https://" + strings.Repeat("a", 500<<10) + ".example.com"
	got := s.serve(t, request{method: "GET", lines: lines("Origin", huge)})
	assert.Equal(t, result{200, hdr("Vary", "Origin"), true}, got)
	list := "x-refused," + strings.Repeat("content-type,", 80_000)
	got = s.serve(t, preflightReq(appOrigin, "PUT", headerRequestHeaders, list))
	assert.Equal(t, result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, "PUT", headerAllowHeaders, strings.TrimSuffix(strings.Repeat("content-type,", maxRequestHeaderNames-1), ",")), false}, got,
		"the debug answer lists the allowed names among at most as many as a valid list may have")

	require.Len(t, rec.got, 2)
	assert.Equal(t, Rejection{Reason: ReasonOrigin, Origin: huge[:origin.MaxLength] + "…",
		Hint: "the Origin header is not an origin as browsers send it (scheme://host[:port], lower case, at most 326 bytes); nothing to change"}, rec.got[0])
	assert.Equal(t, "x-refused", rec.got[1].Header)
}

func TestRejectionHintsForReflectedStar(t *testing.T) {
	cfg := Config{AllowOrigins: []string{appOrigin}, AllowCredentials: true, AllowMethods: []string{"*"}, AllowHeaders: []string{"*"}}
	cases := []struct {
		name string
		req  request
		want Rejection
	}{
		{"a method named *", preflightReq(appOrigin, "*"), Rejection{Reason: ReasonMethod, Preflight: true, Origin: appOrigin, Method: "*",
			Hint: `method "*" is not allowed: with AllowCredentials the method is reflected, and a reflected "*" would read as a wildcard; nothing to change`}},
		{"a header named *", preflightReq(appOrigin, "PUT", headerRequestHeaders, "*"), Rejection{Reason: ReasonHeader, Preflight: true, Origin: appOrigin, Header: "*",
			Hint: `request header "*" is not allowed: with AllowCredentials the names are reflected, and a reflected "*" would read as a wildcard; nothing to change`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var rec rejections
			c := cfg
			c.OnRejected = rec.hook
			assert.Equal(t, result{403, hdr(), false}, newTestServer(t, c).serve(t, tc.req))
			require.Len(t, rec.got, 1)
			assert.Equal(t, tc.want, rec.got[0])
		})
	}
}

// TestLoggerLimitsRepeatedRejections checks that a stream of refusals from
// one origin is logged once, while another origin's first refusal still
// is, and that OnRejected still sees every one.
func TestLoggerLimitsRepeatedRejections(t *testing.T) {
	var buf bytes.Buffer
	var rec rejections
	cfg := with(func(c *Config) { c.Logger = slog.New(slog.NewJSONHandler(&buf, nil)); c.OnRejected = rec.hook })
	s := newTestServer(t, cfg)
	buf.Reset() // the config's warnings, logged at New
	for range 50 {
		require.Equal(t, result{403, hdr(), false}, s.serve(t, preflightReq(evilOrigin, "PUT")))
	}
	require.Equal(t, result{403, hdr(), false}, s.serve(t, preflightReq("https://other.example.net", "PUT")))
	records := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, records, 2, buf.String())
	assert.Contains(t, records[0], `"origin":"`+evilOrigin+`"`)
	assert.Contains(t, records[1], `"origin":"https://other.example.net"`)
	assert.Len(t, rec.got, 51, "OnRejected sees every rejection")
}

// TestLogLimiter checks the limiter's window, its count of records left
// out, and its bound on remembered keys.
func TestLogLimiter(t *testing.T) {
	var l logLimiter
	start := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
	a, b := logKey{reason: ReasonOrigin, origin: "a"}, logKey{reason: ReasonOrigin, origin: "b"}
	steps := []struct {
		key     logKey
		after   time.Duration
		ok      bool
		leftOut int
		comment string
	}{
		{a, 0, true, 0, "the first record of a key"},
		{a, time.Second, false, 0, "held back within the window"},
		{a, 2 * time.Second, false, 0, "held back again"},
		{b, 3 * time.Second, true, 0, "another key has its own window"},
		{a, time.Minute, true, 2, "the next window reports the two left out"},
		{a, time.Minute + time.Second, false, 0, "held back in the new window"},
	}
	for _, s := range steps {
		ok, left, _ := l.allow(s.key, start.Add(s.after))
		assert.Equal(t, s.ok, ok, s.comment)
		assert.Equal(t, s.leftOut, left, s.comment)
	}
	later := start.Add(time.Hour)
	written := 0
	for i := range maxLogKeys + 10 {
		if ok, _, _ := l.allow(logKey{origin: strconv.Itoa(i)}, later); ok {
			written++
		}
	}
	assert.LessOrEqual(t, len(l.keys), maxLogKeys, "remembered keys are bounded")
	assert.Equal(t, maxLogRecords, written, "distinct origins share a budget per window")
	ok, _, others := l.allow(logKey{origin: "next"}, later.Add(time.Minute))
	assert.True(t, ok, "a new window has a new budget")
	assert.Equal(t, maxLogKeys+10-maxLogRecords, others, "and reports the first records the budget held back")
}
