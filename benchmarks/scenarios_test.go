package benchmarks

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

const (
	allowedOrigin    = "https://app.example.com"
	disallowedOrigin = "https://evil.example.net"
	apiHost          = "api.example.com"
	// requestHeaders is what a browser sends for a request with the
	// Content-Type and Authorization headers: lower-case names, sorted
	// (Fetch, "CORS-unsafe request-header names"). rs/cors v1.11.1 refuses
	// the unsorted "content-type,authorization", which no browser sends.
	requestHeaders = "authorization,content-type"
)

// want is what a library's response must carry for a scenario to count:
// nothing wins by doing nothing.
type want struct {
	status       int
	allowOrigin  string   // Access-Control-Allow-Origin; "" means absent
	credentials  bool     // Access-Control-Allow-Credentials: true
	expose       bool     // Access-Control-Expose-Headers lists X-Request-Id
	allowMethod  string   // Access-Control-Allow-Methods lists it, if set
	allowHeaders []string // Access-Control-Allow-Headers lists them (and maybe more)
	maxAge       string   // Access-Control-Max-Age, if set
	vary         string   // Vary lists it, if set
}

// scenario is one request against one policy. wants holds the expected
// response per library; the entry "" applies to every CORS library without
// an entry of its own.
type scenario struct {
	name    string
	policy  policy
	request func() *http.Request
	wants   map[string]want
	note    string // how peers differ by design
}

func (s scenario) want(lib string) want {
	if w, ok := s.wants[lib]; ok {
		return w
	}
	if lib == libBare {
		return bareWant(s.request())
	}
	return s.wants[""]
}

// bareWant is what Gin alone answers: 200 from the route, or 404 for an
// OPTIONS request, which has no route; never a CORS header.
func bareWant(r *http.Request) want {
	if r.Method == http.MethodOptions {
		return want{status: http.StatusNotFound}
	}
	return want{status: http.StatusOK}
}

func newRequest(method, origin string, header ...string) *http.Request {
	r, err := http.NewRequest(method, "http://"+apiHost+routePath, nil)
	if err != nil {
		panic(err)
	}
	if origin != "" {
		r.Header.Set("Origin", origin)
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	return r
}

func get(origin string) func() *http.Request {
	return func() *http.Request { return newRequest(http.MethodGet, origin) }
}

func preflight(origin string, acrh ...string) func() *http.Request {
	return func() *http.Request {
		r := newRequest(http.MethodOptions, origin, "Access-Control-Request-Method", http.MethodPut)
		if len(acrh) > 0 {
			r.Header["Access-Control-Request-Headers"] = acrh
		}
		return r
	}
}

// exactOrigins returns n distinct origins as long as allowedOrigin, the
// last of which is allowedOrigin: the worst case for libraries that scan a
// list, since every comparison has to look at the bytes.
func exactOrigins(n int) []string {
	origins := make([]string, 0, n)
	for i := 0; len(origins) < n-1; i++ {
		// "https://" + three base-36 characters + ".example.com"
		label := strconv.FormatInt(int64(i)+36*36, 36)[:3]
		if o := "https://" + label + ".example.com"; o != allowedOrigin {
			origins = append(origins, o)
		}
	}
	return append(origins, allowedOrigin)
}

// wildcardPatterns returns n wildcard-subdomain patterns and an origin that
// only the last one matches.
func wildcardPatterns(n int) (patterns []string, match string) {
	for i := range n {
		patterns = append(patterns, fmt.Sprintf("https://*.t%d.example.com", i))
	}
	return patterns, fmt.Sprintf("https://app.t%d.example.com", n-1)
}

// Expected responses.
var (
	actualAllowed = want{status: http.StatusOK, allowOrigin: allowedOrigin, expose: true, vary: "Origin"}
	// Neither gincors nor rs/cors refuses an actual request (the browser
	// enforces CORS); gin-contrib answers 403 and skips the handler.
	actualRefused = map[string]want{
		"":            {status: http.StatusOK, vary: "Origin"},
		libGinContrib: {status: http.StatusForbidden},
	}
	// Preflight answers need no Vary: responses to OPTIONS are not
	// cacheable (RFC 9110 §9.3.7), so gincors has omitted it there since
	// the lead's first issue-11 changes; the peers still send it, and
	// either is right.
	preflightAllowed = want{
		status: http.StatusNoContent, allowOrigin: allowedOrigin, allowMethod: "PUT",
		allowHeaders: []string{"authorization", "content-type"}, maxAge: "3600",
	}
	// A refused preflight carries no CORS header. rs/cors still answers
	// 204 (the browser fails the preflight for lack of headers); gincors
	// and gin-contrib answer 403.
	preflightRefused = map[string]want{
		"":        {status: http.StatusForbidden},
		libRsCors: {status: http.StatusNoContent},
	}
	// A preflight whose Access-Control-Request-Headers holds only empty
	// list elements asks for no header (RFC 9110 §5.6.1), but no browser
	// sends more than a few separators per name: gincors refuses more than
	// 16 plus 3 per name, rs/cors more than 16 empty elements, both after
	// reading only that far; gin-contrib never reads the header.
	emptyHeadersPreflight = map[string]want{
		libGincors: {status: http.StatusForbidden},
		libGinContrib: {status: http.StatusNoContent, allowOrigin: allowedOrigin, allowMethod: "PUT",
			allowHeaders: []string{"authorization", "content-type"}, maxAge: "3600", vary: "Origin"},
		libRsCors: {status: http.StatusNoContent},
	}
	// A few empty elements are allowed by all three.
	fewEmptyHeadersPreflight = map[string]want{
		libGincors: {status: http.StatusNoContent, allowOrigin: allowedOrigin, allowMethod: "PUT",
			allowHeaders: []string{"authorization", "content-type"}, maxAge: "3600"},
		libGinContrib: emptyHeadersPreflight[libGinContrib],
		libRsCors:     {status: http.StatusNoContent, allowOrigin: allowedOrigin, allowMethod: "PUT", maxAge: "3600", vary: "Origin"},
	}
)

func one(w want) map[string]want { return map[string]want{"": w} }

// manyHeaders are 100 allowed header names of 12 bytes, as a browser lists
// them in Access-Control-Request-Headers: lower-case and sorted, so that
// rs/cors (which requires sorted input) accepts them. Joined with commas
// they are 1,299 bytes.
func manyHeaders() []string {
	names := make([]string, 100)
	for i := range names {
		names[i] = fmt.Sprintf("x-header-%03d", i)
	}
	return names
}

// scenarios is the comparison the issue asks for, in table order.
func scenarios() []scenario {
	oneOrigin := policy{origins: []string{allowedOrigin}}
	wildcards := policy{wildcards: []string{"https://*.example.com"}}
	anyOrigin := policy{anyOrigin: true}
	return []scenario{
		{
			name: "NonCORS", policy: oneOrigin, request: get(""),
			wants: map[string]want{
				"": {status: http.StatusOK, vary: "Origin"},
				// gin-contrib returns before setting Vary when there is
				// no Origin, so caches may serve this response cross-origin.
				libGinContrib: {status: http.StatusOK},
			},
		},
		{name: "ActualAllowed", policy: oneOrigin, request: get(allowedOrigin), wants: one(actualAllowed)},
		{name: "ActualAllowed1000", policy: policy{origins: exactOrigins(1000)}, request: get(allowedOrigin), wants: one(actualAllowed)},
		{name: "ActualDisallowed", policy: oneOrigin, request: get(disallowedOrigin), wants: actualRefused,
			note: "gin-contrib answers 403 and skips the route handler"},
		{name: "PreflightAllowed", policy: oneOrigin, request: preflight(allowedOrigin, requestHeaders), wants: one(preflightAllowed)},
		{name: "PreflightDisallowed", policy: oneOrigin, request: preflight(disallowedOrigin, requestHeaders), wants: preflightRefused,
			note: "rs/cors answers 204 without CORS headers"},
		{
			// The largest list gincors accepts (maxRequestHeaderNames),
			// every name allowed.
			name:    "PreflightHeaders100",
			policy:  policy{origins: []string{allowedOrigin}, headers: manyHeaders()},
			request: preflight(allowedOrigin, strings.Join(manyHeaders(), ",")),
			wants: one(want{
				status: http.StatusNoContent, allowOrigin: allowedOrigin, allowMethod: "PUT",
				allowHeaders: manyHeaders(), maxAge: "3600",
			}),
			note: "gin-contrib answers with its fixed lists without reading the requested headers",
		},
		{
			name: "PreflightAnyOrigin", policy: anyOrigin, request: preflight(allowedOrigin, requestHeaders),
			wants: one(want{
				status: http.StatusNoContent, allowOrigin: "*", allowMethod: "PUT",
				allowHeaders: []string{"authorization", "content-type"}, maxAge: "3600",
			}),
			note: "gin-contrib checks neither method nor headers",
		},
		{name: "Wildcard", policy: wildcards, request: get(allowedOrigin), wants: one(actualAllowed)},
		{name: "Regexp", policy: policy{regexps: []string{`https://[a-z0-9-]+\.example\.com`}}, request: get(allowedOrigin), wants: one(actualAllowed),
			note: "rs/cors has no regexp origins: an AllowOriginFunc running the anchored regexp stands in"},
		{
			name: "AnyOrigin", policy: anyOrigin, request: get(disallowedOrigin),
			wants: map[string]want{"": {status: http.StatusOK, allowOrigin: "*", expose: true}},
		},
		{
			name: "Credentialed", policy: policy{origins: []string{allowedOrigin}, credentials: true},
			request: func() *http.Request {
				return newRequest(http.MethodGet, allowedOrigin, "Cookie", "session=42")
			},
			wants: one(want{status: http.StatusOK, allowOrigin: allowedOrigin, credentials: true, expose: true, vary: "Origin"}),
		},
		{name: "PreflightACRH1MB", policy: oneOrigin, request: preflight(allowedOrigin, strings.Repeat(",", 1<<20)), wants: emptyHeadersPreflight,
			note: "1 MiB of commas; gincors and rs/cors refuse after a few empty elements, gin-contrib does not read the header"},
		{name: "PreflightACRH1000Lines", policy: oneOrigin, request: preflight(allowedOrigin, make([]string, 1000)...), wants: emptyHeadersPreflight,
			note: "1000 empty lines; gincors refuses more lines than names allowed, rs/cors after 16 empty elements, gin-contrib does not read the header"},
	}
}

// Scaling series.

var (
	originCounts   = []int{1, 10, 100, 1000, 10000}
	wildcardCounts = []int{1, 10, 100, 1000}
	acrhSizes      = []int{10, 100, 1000, 10000, 100000, 1000000}
)

func originScaling() []scenario {
	var ss []scenario
	for _, n := range originCounts {
		ss = append(ss, scenario{
			name:   "n=" + strconv.Itoa(n),
			policy: policy{origins: exactOrigins(n)}, request: get(allowedOrigin), wants: one(actualAllowed),
		})
	}
	return ss
}

func wildcardScaling() []scenario {
	var ss []scenario
	for _, n := range wildcardCounts {
		patterns, match := wildcardPatterns(n)
		w := actualAllowed
		w.allowOrigin = match
		ss = append(ss, scenario{
			name:   "n=" + strconv.Itoa(n),
			policy: policy{wildcards: patterns}, request: get(match), wants: one(w),
		})
	}
	return ss
}

// acrhScaling sends an allowed preflight whose Access-Control-Request-Headers
// is n bytes of commas: a valid but empty list, the shape of the
// CVE-2025-47908 attack on rs/cors.
func acrhScaling() []scenario {
	var ss []scenario
	for _, n := range acrhSizes {
		wants := emptyHeadersPreflight
		if n < 16 {
			wants = fewEmptyHeadersPreflight
		}
		ss = append(ss, scenario{
			name:   "bytes=" + strconv.Itoa(n),
			policy: policy{origins: []string{allowedOrigin}}, request: preflight(allowedOrigin, strings.Repeat(",", n)),
			wants: wants,
		})
	}
	return ss
}

// check reports how the response in w differs from wt.
func check(w *recorder, wt want) error {
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	h := w.header
	if w.status != wt.status {
		fail("status %d, want %d", w.status, wt.status)
	}
	if got := h.Values("Access-Control-Allow-Origin"); wt.allowOrigin == "" && len(got) > 0 ||
		wt.allowOrigin != "" && (len(got) != 1 || got[0] != wt.allowOrigin) {
		fail("Access-Control-Allow-Origin %q, want %q", got, wt.allowOrigin)
	}
	if got := h.Get("Access-Control-Allow-Credentials"); (got == "true") != wt.credentials {
		fail("Access-Control-Allow-Credentials %q, want it set: %v", got, wt.credentials)
	}
	if wt.allowOrigin == "" {
		// A refused or non-CORS request must not leak the policy.
		for _, k := range []string{"Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Expose-Headers"} {
			if v := h.Values(k); len(v) > 0 {
				fail("%s %q on a response without Access-Control-Allow-Origin", k, v)
			}
		}
		if wt.vary != "" && !lists(h.Values("Vary"), wt.vary) {
			fail("Vary %q does not list %s", h.Values("Vary"), wt.vary)
		}
		return joinErrs(errs)
	}
	if lists(h.Values("Access-Control-Expose-Headers"), "X-Request-Id") != wt.expose {
		fail("Access-Control-Expose-Headers %q, want X-Request-Id listed: %v", h.Values("Access-Control-Expose-Headers"), wt.expose)
	}
	if wt.allowMethod != "" && !lists(h.Values("Access-Control-Allow-Methods"), wt.allowMethod) {
		fail("Access-Control-Allow-Methods %q does not list %s", h.Values("Access-Control-Allow-Methods"), wt.allowMethod)
	}
	for _, name := range wt.allowHeaders {
		if !lists(h.Values("Access-Control-Allow-Headers"), name) {
			fail("Access-Control-Allow-Headers %q does not list %s", h.Values("Access-Control-Allow-Headers"), name)
		}
	}
	if wt.maxAge != "" && h.Get("Access-Control-Max-Age") != wt.maxAge {
		fail("Access-Control-Max-Age %q, want %s", h.Get("Access-Control-Max-Age"), wt.maxAge)
	}
	if wt.vary != "" && !lists(h.Values("Vary"), wt.vary) {
		fail("Vary %q does not list %s", h.Values("Vary"), wt.vary)
	}
	return joinErrs(errs)
}

// lists reports whether the comma-separated list in lines contains name,
// case-insensitively.
func lists(lines []string, name string) bool {
	for _, line := range lines {
		for elem := range strings.SplitSeq(line, ",") {
			if strings.EqualFold(strings.TrimSpace(elem), name) {
				return true
			}
		}
	}
	return false
}

func joinErrs(errs []string) error {
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("%s", strings.Join(errs, "; "))
}
