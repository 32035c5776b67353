package gincors

// Tests of the verdict on a request (decide.go): the one reading of
// Access-Control-Request-Headers and its bounds.

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

// FuzzRequestHeaders checks checkRequestHeaders, and readRequestHeaders
// with its shortcuts (the browser-form lookup, then the memo from the third
// reading on), against the reference.
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
