package gincors

// Tests of the verdict on a request (decide.go): the check of
// Access-Control-Request-Method, and the one reading of
// Access-Control-Request-Headers with its bounds.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

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

// fuzzHeaderConfigs is the family of AllowHeaders the header fuzzer uses.
var fuzzHeaderConfigs = [][]string{
	{"Content-Type", "X-Requested-With"},
	{"*"},
	{"*", "Authorization"},
	{"authorization", "x-a", "X-B"},
	{"X-" + strings.Repeat("l", 70), "content-type"},
	nil,
	fuzzNumberedHeaders(101), // more than maxRequestHeaderNames: the bound grows
}

// fuzzNumberedHeaders returns n header names x-h000, x-h001, ...
func fuzzNumberedHeaders(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("x-h%03d", i)
	}
	return names
}

// FuzzRequestHeaders checks checkRequestHeaders, the one reading of
// Access-Control-Request-Headers, against the reference, on the first
// reading, the second (which stores an allowed line in the memo) and the
// third (answered from the memo).
func FuzzRequestHeaders(f *testing.F) {
	f.Add("content-type", uint8(0))
	f.Add("Content-Type, X-Requested-With", uint8(0))
	f.Add(" content-type ,\t,x-requested-with\t", uint8(0))
	f.Add("content-type x-requested-with", uint8(0))
	f.Add("content-type\nx-requested-with", uint8(0))
	f.Add(",,,,\n\n,", uint8(0))
	f.Add("authorization", uint8(1))
	f.Add("authorization, x-anything", uint8(2))
	f.Add("AUTHORIZATION,X-A", uint8(3))
	f.Add("x-b\x00", uint8(3))
	f.Add("x-a;x-b", uint8(3))
	f.Add("x-"+strings.Repeat("l", 70), uint8(4))
	f.Add("X-"+strings.Repeat("L", 70), uint8(4))
	f.Add(strings.Repeat("x-a,", 100), uint8(3))
	f.Add(strings.Repeat("x-a,", 101), uint8(3))
	f.Add(strings.Repeat("x-a\n", 101), uint8(3))
	f.Add("x-ä", uint8(1))
	f.Add("content-type", uint8(5))
	f.Add("content-type,x-requested-with", uint8(0))
	f.Add("content-type,", uint8(0))
	f.Add(",content-type", uint8(0))
	f.Add("x-a,x-a,x-a", uint8(3))
	f.Add("x-b,authorization", uint8(3))
	f.Add(strings.Repeat("x-a,", 100)+"x-a", uint8(3))
	f.Add("authorization", uint8(2))
	f.Add("*", uint8(0x81))
	f.Add("*,x-a", uint8(0x82))
	f.Add(strings.Join(fuzzNumberedHeaders(101), ","), uint8(6))
	f.Add(strings.Join(fuzzNumberedHeaders(101), ",")+",x-h000", uint8(6))
	f.Fuzz(func(t *testing.T, field string, sel uint8) {
		allow := fuzzHeaderConfigs[int(sel&0x7f)%len(fuzzHeaderConfigs)]
		credentials := sel&0x80 != 0
		p, err := compile(Config{AllowOrigins: []string{"https://example.com"}, AllowHeaders: allow, AllowCredentials: credentials})
		if err != nil {
			t.Fatalf("compile: %v", err)
		}
		lines := strings.Split(field, "\n")
		wantOK, wantLines, wantLast, _ := fuzzRefRequestHeaders(lines, allow, credentials)
		// The memo stores an allowed line on its second reading, so the
		// third is answered from it.
		for _, reading := range []string{"first", "second", "from the memo"} {
			v := verdict{requestHeaders: lines}
			p.checkRequestHeaders(&v)
			ok := v.reason == 0
			if ok != wantOK {
				t.Fatalf("%s reading: AllowHeaders %q, lines %q: ok = %v, reference %v", reading, allow, lines, ok, wantOK)
			}
			if ok && (v.asked.lines != wantLines || v.asked.lastLine != wantLast) {
				t.Fatalf("%s reading: AllowHeaders %q, lines %q: got %+v, reference lines=%d last=%q",
					reading, allow, lines, v.asked, wantLines, wantLast)
			}
		}
	})
}

// methodCases pin the check of Access-Control-Request-Method: byte for
// byte against AllowMethods, the safelisted methods, "*", and malformed
// lines.
var methodCases = []behaviourCase{
	{
		name: "safelisted POST is allowed without being listed",
		cfg:  with(func(c *Config) { c.AllowMethods = nil }),
		req:  preflightReq(appOrigin, "POST", headerRequestHeaders, "content-type"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
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
}

func TestMethodChecks(t *testing.T)             { runInMemory(t, methodCases) }
func TestMethodChecksOverLoopback(t *testing.T) { runOverLoopback(t, methodCases) }

// requestHeaderCases pin the one reading of Access-Control-Request-Headers:
// case, whitespace, empty elements, split lines, bounds, and "*" with and
// without credentials.
var requestHeaderCases = []behaviourCase{
	{
		name: "safelisted method with a custom header is allowed",
		cfg:  baseConfig(),
		req:  preflightReq(appOrigin, "GET", headerRequestHeaders, "x-custom"),
		want: result{204, hdr(headerAllowOrigin, appOrigin, headerAllowMethods, baseMethods, headerAllowHeaders, baseHeaders, headerMaxAge, "600"), false},
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

func TestRequestHeaderReading(t *testing.T)             { runInMemory(t, requestHeaderCases) }
func TestRequestHeaderReadingOverLoopback(t *testing.T) { runOverLoopback(t, requestHeaderCases) }

// repeatNames is a list of n names x-h.
func repeatNames(n int) string {
	names := make([]string, n)
	for i := range names {
		names[i] = "x-h"
	}
	return strings.Join(names, ",")
}
