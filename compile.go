package gincors

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gincors/gincors/internal/fetchspec"
)

// policy is a compiled Config: everything the request path needs, in the
// form it needs it. It is immutable once compile returns it, so requests
// may share it while Reconfigure swaps in another.
type policy struct {
	origins     originPolicy
	credentials bool

	anyMethod    bool
	methods      []string // scanned: a handful of short strings compare faster than one is hashed
	allowMethods string   // Access-Control-Allow-Methods, or "" to reflect (or omit)
	debugMethods string   // Access-Control-Allow-Methods of the debug answer to a refused method

	anyHeader         bool
	headers           map[string]struct{} // lower-case names
	maxRequestHeaders int                 // most names a preflight may ask for
	allowHeaders      string              // Access-Control-Allow-Headers, or "" to reflect (or omit)
	headerMemo        *memo               // Access-Control-Request-Headers lines found allowed

	exposeHeaders  string // Access-Control-Expose-Headers value, or ""
	maxAge         string // Access-Control-Max-Age value, or ""
	privateNetwork bool
	passthrough    bool
	successStatus  int

	// Reporting (rejection.go). reports is false when nothing would
	// receive a rejection, so the request path skips building one.
	debug      bool
	logger     *slog.Logger
	onRejected func(*gin.Context, Rejection)
	reports    bool
	logLimit   *logLimiter // written only when a rejection is logged

	config Config // what was compiled, for Middleware.Config
}

// Bounds on what a request may carry; a request beyond them is refused as
// malformed before any lookup, so its cost is bounded whatever its size.
const (
	// maxRequestHeaderNames is the fewest names a preflight may list in
	// Access-Control-Request-Headers (more if AllowHeaders lists more).
	// Browsers list each non-safelisted header a script set, so real
	// requests carry a handful.
	maxRequestHeaderNames = 100
	// maxRequestHeaderNameLength bounds a header name, requested or
	// configured.
	maxRequestHeaderNameLength = 256
	// Separators (commas, spaces, tabs) allowed per name and in all in
	// Access-Control-Request-Headers.
	maxSeparatorsPerName = 3
	maxSeparatorSlack    = 16
	// maxMethodLength bounds a method, configured or requested. The
	// longest registered method (IANA HTTP Method Registry) is 16 bytes.
	maxMethodLength = 64
	// Origins are bounded by MaxOriginLength (config.go).
)

// compile validates c and turns it into the policy the request path runs.
// All slices are copied, so later edits to c change nothing.
func compile(c Config) (*policy, error) {
	var ps problems
	p := &policy{
		credentials:    c.AllowCredentials,
		privateNetwork: c.AllowPrivateNetwork,
		passthrough:    c.OptionsPassthrough,
		debug:          c.Debug,
		logger:         c.Logger,
		onRejected:     c.OnRejected,
		logLimit:       &logLimiter{},
		reports:        c.Debug || c.Logger != nil || c.OnRejected != nil,
		config:         c.clone(),
		headerMemo:     newMemo(),
	}
	p.origins = compileOrigins(c, &ps)
	compileMethods(c, p, &ps)
	compileHeaders(c, p, &ps)
	compileExposeHeaders(c, p, &ps)
	compileMaxAge(c, p, &ps)

	switch {
	case c.OptionsSuccessStatus == 0:
		p.successStatus = 204
	case c.OptionsSuccessStatus < 200 || c.OptionsSuccessStatus > 299:
		ps.add("OptionsSuccessStatus", strconv.Itoa(c.OptionsSuccessStatus), "browsers fail a preflight without an ok status; use a status from 200 to 299, or 0 for 204")
	default:
		p.successStatus = c.OptionsSuccessStatus
	}

	if p.origins.allowAll && c.AllowPrivateNetwork {
		ps.add("AllowPrivateNetwork", "", `with AllowOrigins "*" it would let every website on the internet reach this private-network server; list the origins that need it`)
	}

	if len(ps) > 0 {
		return nil, errors.Join(ps...)
	}
	return p, nil
}

// compileMethods fills p's method set and the Access-Control-Allow-Methods
// value. Preflight answers list every allowed method, not only the one asked
// for: Chromium keeps one preflight-cache entry per origin and URL and
// replaces it on each preflight, so a partial list would make a page that
// alternates methods on one URL preflight every time despite MaxAge.
func compileMethods(c Config, p *policy, ps *problems) {
	var listed []string
	for i, m := range c.AllowMethods {
		field := fmt.Sprintf("AllowMethods[%d]", i)
		switch {
		case m == "*":
			if len(c.AllowMethods) > 1 {
				ps.add(field, m, `"*" allows every method, so the other entries have no effect; remove them, or remove "*"`)
			}
			p.anyMethod = true
		case !fetchspec.IsToken(m):
			ps.add(field, m, "not a method name: a method is a token (RFC 9110 §9.1) of letters, digits and !#$%%&'*+-.^_`|~, such as \"PATCH\"")
		case len(m) > maxMethodLength:
			ps.add(field, m, "longer than %d bytes, the longest method gincors accepts (the longest registered method has 16); check the value", maxMethodLength)
		case fetchspec.IsForbiddenMethod(m):
			ps.add(field, m, "a forbidden method in the Fetch standard, which browsers never send; remove it")
		default:
			m = fetchspec.NormalizeMethod(m)
			if !slices.Contains(listed, m) {
				listed = append(listed, m)
			}
		}
	}
	p.methods = listed
	switch {
	case p.anyMethod && !c.AllowCredentials:
		p.allowMethods = "*"
	case !p.anyMethod:
		p.allowMethods = strings.Join(listed, ", ")
	}
	// The debug answer to a refused method lists the allowed ones: those
	// listed, or else the safelisted methods, which are always allowed.
	p.debugMethods = p.allowMethods
	if p.debugMethods == "" || p.debugMethods == "*" {
		p.debugMethods = "GET, HEAD, POST"
	}
}

// compileHeaders fills p's header set and the Access-Control-Allow-Headers
// value, which lists every allowed header for the reason compileMethods
// gives.
func compileHeaders(c Config, p *policy, ps *problems) {
	seen := make(map[string]struct{}, len(c.AllowHeaders))
	var listed []string
	for i, h := range c.AllowHeaders {
		field := fmt.Sprintf("AllowHeaders[%d]", i)
		switch {
		case h == "*":
			p.anyHeader = true
		case !fetchspec.IsToken(h):
			ps.add(field, h, "not a header name: a header name is a token (RFC 9110 §5.1) of letters, digits and !#$%%&'*+-.^_`|~, such as \"X-Request-Id\"")
		case len(h) > maxRequestHeaderNameLength:
			ps.add(field, h, "longer than %d bytes, the longest header name gincors accepts; check the value", maxRequestHeaderNameLength)
		case strings.EqualFold(h, "Origin") || strings.EqualFold(h, "Content-Length"):
			ps.add(field, h, "a forbidden request header in the Fetch standard: browsers set it themselves and never ask to send it. gin-contrib/cors's DefaultConfig lists it; remove it")
		case fetchspec.IsForbiddenRequestHeader(h):
			ps.add(field, h, "a forbidden request header in the Fetch standard: browsers set it themselves and never ask to send it; remove it")
		default:
			lower := strings.ToLower(h)
			if _, dup := seen[lower]; !dup {
				seen[lower] = struct{}{}
				listed = append(listed, h)
			}
		}
	}
	p.headers = seen
	_, authorization := seen["authorization"]
	if p.anyHeader && (len(seen) > 1 || len(seen) == 1 && !authorization) {
		ps.add("AllowHeaders", strings.Join(c.AllowHeaders, ","), `"*" allows every header but Authorization, so the other entries have no effect; keep "*" and, if needed, "Authorization"`)
	}
	// A preflight may ask for everything that is allowed at once.
	p.maxRequestHeaders = max(maxRequestHeaderNames, len(seen))
	switch {
	case p.anyHeader && c.AllowCredentials:
		// "*" would be a literal name: the request's names are reflected.
	case p.anyHeader && authorization:
		// "*" never covers Authorization, so it is named too
		// (https://fetch.spec.whatwg.org/#http-access-control-allow-headers).
		p.allowHeaders = "*, Authorization"
	case p.anyHeader:
		p.allowHeaders = "*"
	default:
		p.allowHeaders = strings.Join(listed, ", ")
	}
}

func compileExposeHeaders(c Config, p *policy, ps *problems) {
	var names []string
	for i, h := range c.ExposeHeaders {
		field := fmt.Sprintf("ExposeHeaders[%d]", i)
		switch {
		case h == "*" && c.AllowCredentials:
			ps.add(field, h, `with AllowCredentials browsers read "*" as a header named "*"; list the headers to expose`)
		case h == "*" && len(c.ExposeHeaders) > 1:
			ps.add(field, h, `"*" exposes every header, so the other entries have no effect; remove them, or remove "*"`)
		case h != "*" && !fetchspec.IsToken(h):
			ps.add(field, h, "not a header name: a header name is a token (RFC 9110 §5.1), such as \"X-Request-Id\"")
		case fetchspec.IsForbiddenResponseHeader(h):
			ps.add(field, h, "browsers never let scripts read Set-Cookie, whatever the server says; remove it")
		default:
			names = append(names, h)
		}
	}
	p.exposeHeaders = strings.Join(names, ", ")
}

func compileMaxAge(c Config, p *policy, ps *problems) {
	switch d := c.MaxAge; {
	case d == DisablePreflightCache:
		p.maxAge = "0"
	case d < 0:
		ps.add("MaxAge", d.String(), "negative; use 0 to send no Access-Control-Max-Age, or gincors.DisablePreflightCache to send 0 and disable the preflight cache")
	case d > MaxMaxAge:
		ps.add("MaxAge", d.String(), "above 24h, which no browser honours (Firefox caps at 24h, Chromium at 2h, Safari at 10m); use at most 24*time.Hour")
	case d > 0 && d < time.Second:
		// An untyped number is nanoseconds: MaxAge: 600 is 600ns.
		ps.add("MaxAge", d.String(), "less than a second: MaxAge is a time.Duration, so a bare number counts nanoseconds; write %d * time.Second", int64(d))
	case d%time.Second != 0:
		ps.add("MaxAge", d.String(), "not a whole number of seconds, which is what Access-Control-Max-Age counts; use %s", d.Truncate(time.Second))
	case d > 0:
		p.maxAge = strconv.FormatInt(int64(d/time.Second), 10)
	}
}
