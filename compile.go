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

	config   Config          // what was compiled, for Middleware.Config
	warnings []ConfigWarning // the harmless mistakes in config, logged once
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
	// maxMaxAge is the largest MaxAge sent: Firefox's cap, the highest
	// of any browser.
	maxMaxAge = 24 * time.Hour
	// Origins are bounded by origin.MaxLength, 326 bytes.
)

// compile validates c and turns it into the policy the request path runs.
// All slices are copied, so later edits to c change nothing. The policy
// keeps c's warnings; it is nil if c has a problem.
func compile(c Config) (*policy, error) {
	var ps problems
	p := compileInto(c, &ps)
	if len(ps.errs) > 0 {
		return nil, errors.Join(ps.errs...)
	}
	p.warnings = ps.warnings
	return p, nil
}

// compileInto compiles c, recording its problems and warnings in ps. The
// policy it returns is incomplete if ps holds an error.
func compileInto(c Config, ps *problems) *policy {
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
	p.origins = compileOrigins(c, ps)
	compileMethods(c, p, ps)
	compileHeaders(c, p, ps)
	compileExposeHeaders(c, p, ps)
	compileMaxAge(c, p, ps)

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

	ps.sortWarnings()
	return p
}

// listEntry is one name of AllowMethods, AllowHeaders or ExposeHeaders,
// with the field it was written in.
type listEntry struct{ field, value string }

// splitList returns the names in list, the field named name: an entry
// that joins several with commas ("Content-Type, Authorization") is split
// and one with surrounding spaces is trimmed, each with a warning.
// gin-contrib/cors joined the entries into one header value, so a joined
// entry worked there. An entry of spaces alone is kept for the caller to
// refuse.
func splitList(name string, list []string, ps *problems) []listEntry {
	entries := make([]listEntry, 0, len(list))
	for i, v := range list {
		field := fmt.Sprintf("%s[%d]", name, i)
		trimmed := strings.Trim(v, " \t")
		switch {
		case strings.Contains(v, ","):
			var pieces []string
			for piece := range strings.SplitSeq(v, ",") {
				if piece = strings.Trim(piece, " \t"); piece != "" {
					pieces = append(pieces, piece)
				}
			}
			quoted := quoteList(pieces)
			ps.warn(field, v, `several names joined by ","; gincors reads them as %s; write them as separate entries: []string{%s}`, quoted, quoted)
			for _, piece := range pieces {
				entries = append(entries, listEntry{field, piece})
			}
		case trimmed != v && trimmed != "":
			ps.warn(field, v, "leading or trailing space; gincors reads it as %q; write %q", trimmed, trimmed)
			entries = append(entries, listEntry{field, trimmed})
		default:
			entries = append(entries, listEntry{field, v})
		}
	}
	return entries
}

// quoteList returns names quoted and separated by ", ", as Go source.
func quoteList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	return strings.Join(quoted, ", ")
}

// compileMethods fills p's method set and the Access-Control-Allow-Methods
// value. Preflight answers list every allowed method, not only the one asked
// for: Chromium keeps one preflight-cache entry per origin and URL and
// replaces it on each preflight, so a partial list would make a page that
// alternates methods on one URL preflight every time despite MaxAge.
func compileMethods(c Config, p *policy, ps *problems) {
	var listed []string
	entries := splitList("AllowMethods", c.AllowMethods, ps)
	for _, e := range entries {
		field, m := e.field, e.value
		switch {
		case m == "*":
			if len(entries) > 1 {
				ps.warn(field, m, `"*" allows every method, so the other entries have no effect; remove them, or remove "*"`)
			}
			p.anyMethod = true
		case !fetchspec.IsToken(m):
			ps.add(field, m, "not a method name: a method is a token (RFC 9110 §9.1) of letters, digits and !#$%%&'*+-.^_`|~, such as \"PATCH\"")
		case len(m) > maxMethodLength:
			ps.add(field, m, "longer than %d bytes, the longest method gincors accepts (the longest registered method has 16); check the value", maxMethodLength)
		case fetchspec.IsForbiddenMethod(m):
			ps.warn(field, m, "a forbidden method in the Fetch standard, which browsers never send, so listing it does nothing; remove it")
		default:
			m = compileMethodCase(field, m, ps)
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

// compileMethodCase returns method m as it is allowed, with a warning if
// it is not in upper case. Method names are case-sensitive (RFC 9110
// §9.1): fetch() upper-cases six of them, which are allowed in upper case
// here too, and sends any other as the page wrote it, so "patch" allows
// only "patch", which Gin's router.PATCH does not route.
func compileMethodCase(field, m string, ps *problems) string {
	upper := strings.ToUpper(m)
	switch normalized := fetchspec.NormalizeMethod(m); {
	case upper == m:
	case normalized == upper:
		ps.warn(field, m, "fetch() upper-cases this method, so pages send %q however they write it; gincors reads it as %q; write %q", upper, upper, upper)
		return normalized
	default:
		ps.warn(field, m, "method names are case-sensitive (RFC 9110 §9.1), so this allows only %q: a page whose fetch() writes %q is refused, and one that writes %q passes the preflight but Gin routes it apart from %q (router.%s does not match it), answering 404 or 405. gin-contrib/cors upper-cased it; write %q", m, upper, m, upper, upper, upper)
	}
	return m
}

// responseHeaders are names of response headers that pages have no reason
// to send, and so that a preflight asks for only when a page sets one on
// its request by mistake.
var responseHeaders = map[string]bool{
	"access-control-allow-origin": true, "access-control-allow-credentials": true,
	"access-control-allow-methods": true, "access-control-allow-headers": true,
	"access-control-allow-private-network": true, "access-control-expose-headers": true,
	"access-control-max-age": true, "age": true, "accept-ranges": true,
	"content-security-policy": true, "etag": true, "last-modified": true,
	"location": true, "retry-after": true, "server": true, "set-cookie": true,
	"strict-transport-security": true, "vary": true, "www-authenticate": true,
	"x-frame-options": true,
}

// isMediaType reports whether s is a media type, such as
// "application/json" or "text/plain; charset=utf-8", rather than a header
// name.
func isMediaType(s string) bool {
	mt, _, _ := strings.Cut(s, ";")
	typ, sub, ok := strings.Cut(strings.TrimSpace(mt), "/")
	return ok && fetchspec.IsToken(typ) && fetchspec.IsToken(sub)
}

// compileHeaders fills p's header set and the Access-Control-Allow-Headers
// value, which lists every allowed header for the reason compileMethods
// gives.
func compileHeaders(c Config, p *policy, ps *problems) {
	seen := make(map[string]struct{}, len(c.AllowHeaders))
	var listed []string
	for _, e := range splitList("AllowHeaders", c.AllowHeaders, ps) {
		field, h := e.field, e.value
		switch {
		case h == "*":
			p.anyHeader = true
		case isMediaType(h):
			ps.warn(field, h, `a media type, not a header name, so no preflight asks for it; a request with a JSON body asks for "Content-Type": list "Content-Type" instead`)
		case !fetchspec.IsToken(h):
			ps.add(field, h, "not a header name: a header name is a token (RFC 9110 §5.1) of letters, digits and !#$%%&'*+-.^_`|~, such as \"X-Request-Id\"")
		case len(h) > maxRequestHeaderNameLength:
			ps.add(field, h, "longer than %d bytes, the longest header name gincors accepts; check the value", maxRequestHeaderNameLength)
		case strings.EqualFold(h, "Origin") || strings.EqualFold(h, "Content-Length"):
			ps.warn(field, h, "a forbidden request header in the Fetch standard: browsers set it themselves and never ask a preflight for it, so listing it does nothing. gin-contrib/cors's DefaultConfig lists it; remove it")
		case strings.EqualFold(h, "Cookie") && c.AllowCredentials:
			ps.warn(field, h, `a forbidden request header in the Fetch standard: browsers set it themselves and never ask a preflight for it, so listing it does nothing; remove it. Cookies travel as credentials, which AllowCredentials already allows; the page needs credentials: "include" in fetch()`)
		case strings.EqualFold(h, "Cookie"):
			ps.warn(field, h, `a forbidden request header in the Fetch standard: browsers set it themselves and never ask a preflight for it, so listing it does nothing; remove it. Cookies are sent as credentials: set AllowCredentials, and credentials: "include" in the page's fetch() call`)
		case fetchspec.IsForbiddenRequestHeader(h):
			ps.warn(field, h, "a forbidden request header in the Fetch standard: browsers set it themselves and never ask a preflight for it, so listing it does nothing; remove it")
		default:
			if responseHeaders[strings.ToLower(h)] {
				ps.warn(field, h, "a response header, which pages have no reason to send; a preflight asks for it only when a page sets it on its request by mistake (the fix is then in the page). It stays allowed; remove it once no page sends it")
			}
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
		ps.warn("AllowHeaders", strings.Join(c.AllowHeaders, ","), `"*" allows every header but Authorization, so the other entries have no effect; keep "*" and, if needed, "Authorization"`)
	}
	if p.anyHeader && !authorization {
		if why := bearerTokenHint(c); why != "" {
			ps.warn("AllowHeaders", "*", `"*" never covers Authorization (https://fetch.spec.whatwg.org/#http-access-control-allow-headers), and %s, so pages may send a bearer token in Authorization, whose preflight then fails; add "Authorization" next to "*" if they do`, why)
		}
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

// bearerTokenHint says what in c suggests that pages authenticate with
// a bearer token in Authorization, or "" if nothing does: credentials, or
// an exposed header named for authorization or a token (other than an
// anti-forgery one).
func bearerTokenHint(c Config) string {
	if c.AllowCredentials {
		return "AllowCredentials is set"
	}
	for _, h := range c.ExposeHeaders {
		lower := strings.ToLower(h)
		if strings.Contains(lower, "csrf") || strings.Contains(lower, "xsrf") {
			continue // an anti-forgery token travels in its own header, which "*" covers
		}
		if strings.Contains(lower, "auth") || strings.Contains(lower, "token") {
			return "ExposeHeaders lists " + strconv.Quote(h)
		}
	}
	return ""
}

func compileExposeHeaders(c Config, p *policy, ps *problems) {
	var names []string
	entries := splitList("ExposeHeaders", c.ExposeHeaders, ps)
	for _, e := range entries {
		field, h := e.field, e.value
		switch {
		case h == "*" && c.AllowCredentials:
			// Harmless, so not refused: it exposes nothing.
			ps.warn(field, h, `with AllowCredentials browsers read "*" as a header named "*", so it would expose nothing; gincors leaves it out. List the headers to expose, such as "X-Request-Id"`)
		case h == "*" && len(entries) > 1:
			ps.warn(field, h, `"*" exposes every header, so the other entries have no effect; remove them, or remove "*"`)
			names = []string{"*"}
		case h != "*" && !fetchspec.IsToken(h):
			ps.add(field, h, "not a header name: a header name is a token (RFC 9110 §5.1), such as \"X-Request-Id\"")
		case fetchspec.IsForbiddenResponseHeader(h):
			ps.warn(field, h, "browsers never let scripts read Set-Cookie, whatever the server says, so listing it does nothing; remove it")
		case slices.Contains(names, "*"):
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
		// rs/cors sends 0 for a negative MaxAge, and a count of seconds
		// multiplied by time.Second can overflow into one.
		ps.warn("MaxAge", d.String(), `negative; gincors sends "Access-Control-Max-Age: 0", as rs/cors did, so browsers send a preflight before every such request. Write gincors.DisablePreflightCache for that, 0 to send no Access-Control-Max-Age, or a duration up to 24*time.Hour`)
		p.maxAge = "0"
	case d > maxMaxAge:
		ps.warn("MaxAge", d.String(), "above 24h, which no browser honours (Firefox caps at 24h, Chromium at 2h, Safari at 10m); gincors sends 24h (86400); write 24*time.Hour or less")
		p.maxAge = strconv.FormatInt(int64(maxMaxAge/time.Second), 10)
	case d > 0 && d < time.Second:
		// An untyped number is nanoseconds: MaxAge: 600 is 600ns. Harmless,
		// so not refused, but certainly not meant.
		ps.warn("MaxAge", d.String(), "less than a second: MaxAge is a time.Duration, so a bare number counts nanoseconds; gincors sends no Access-Control-Max-Age, and browsers keep a preflight answer about 5 seconds. Write %d * time.Second", int64(d))
	case d%time.Second != 0:
		ps.warn("MaxAge", d.String(), "not a whole number of seconds, which is what Access-Control-Max-Age counts; gincors sends %d. Write %s", int64(d/time.Second), d.Truncate(time.Second))
		p.maxAge = strconv.FormatInt(int64(d/time.Second), 10)
	case d > 0:
		p.maxAge = strconv.FormatInt(int64(d/time.Second), 10)
	}
}
