package gincors

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/net/publicsuffix"

	"github.com/gincors/gincors/internal/fetchspec"
	"github.com/gincors/gincors/internal/origin"
)

// Config is a CORS policy. The zero Config allows nothing and is invalid:
// set at least one origin source (AllowOrigins, AllowOriginRegexps,
// AllowOriginFunc, AllowOriginWithContextFunc or OriginMatcher). An origin is
// allowed if any source allows it.
//
// [New] copies and compiles a Config; changing it afterwards has no effect
// on the middleware.
type Config struct {
	// AllowOrigins lists the origins allowed to read responses. Each entry
	// is one of:
	//   - an exact origin: "https://example.com", "http://localhost:8080";
	//   - a wildcard subdomain: "https://*.example.com" matches
	//     "https://a.example.com" and "https://a.b.example.com", never
	//     "https://example.com" itself;
	//   - a wildcard port: "http://localhost:*" matches "http://localhost"
	//     and "http://localhost:5173" (combinable with a wildcard subdomain);
	//   - "*": every origin, only without AllowCredentials.
	// Harmless spelling differences are normalised to the form browsers send:
	// "HTTPS://Example.COM:443" is "https://example.com", and Unicode hosts
	// become Punycode. Paths, trailing slashes, queries, userinfo and
	// misplaced wildcards are refused with the corrected spelling.
	AllowOrigins []string

	// AllowOriginRegexps lists RE2 expressions, each matched against the
	// whole origin as if it were written ^(?:expr)$. Prefer AllowOrigins:
	// its patterns cannot be written too broadly by accident.
	AllowOriginRegexps []string

	// AllowOriginFunc, if set, is called with the request's origin (well
	// formed, never "null") and allows it by returning true.
	AllowOriginFunc func(origin string) bool

	// AllowOriginWithContextFunc is AllowOriginFunc with the request's
	// context, for decisions that depend on the request, such as a tenant
	// told by its Host. It runs before the route handler; do not write the
	// response. A preflight for a route without an OPTIONS handler reaches
	// it through Gin's 404/405 handlers, where no route matched: decide from
	// c.Request (Host, URL.Path), not from c.Param or c.FullPath.
	AllowOriginWithContextFunc func(c *gin.Context, origin string) bool

	// OriginMatcher, if set, is the user's own matcher; see [ExactOrigins],
	// [WildcardOrigins], [RegexpOrigins], [OriginFunc] and [AnyOf]. With
	// AllowCredentials, the matchers those functions build (also inside
	// AnyOf) are refused in the same cases as AllowOrigins and
	// AllowOriginRegexps; any other matcher is the user's responsibility.
	OriginMatcher OriginMatcher

	// AllowMethods lists the methods a preflight may ask for. Method names
	// are case-sensitive (RFC 9110 §9.1), except that the six that fetch()
	// normalises (DELETE, GET, HEAD, OPTIONS, POST, PUT) are upper-cased
	// here as browsers do; fetch(url, {method: "patch"}) sends "patch",
	// which "PATCH" does not allow. "*" allows every method. The
	// CORS-safelisted GET, HEAD and POST are always allowed; empty means
	// only those.
	AllowMethods []string

	// AllowHeaders lists the request headers a preflight may ask for,
	// case-insensitively. "*" allows every header except Authorization:
	// the Fetch standard never lets "*" cover Authorization (Firefox and
	// Safari enforce it), so list "Authorization" next to "*" to allow it
	// too.
	AllowHeaders []string

	// ExposeHeaders lists the response headers, beyond the CORS-safelisted
	// ones (Cache-Control, Content-Language, Content-Length, Content-Type,
	// Expires, Last-Modified, Pragma), that scripts may read. "*" exposes
	// all of them, only without AllowCredentials.
	ExposeHeaders []string

	// AllowCredentials lets credentialed requests (cookies, HTTP
	// authentication, client certificates) read responses. Then "*" is
	// refused in AllowOrigins and ExposeHeaders.
	AllowCredentials bool

	// MaxAge is how long browsers may cache a preflight's answer, in whole
	// seconds, at most 24 hours. Browsers cap it: Firefox at 24 hours,
	// Chromium at 2 hours, Safari at 10 minutes. 0 sends no
	// Access-Control-Max-Age, and browsers then cache for 5 seconds; use
	// [DisablePreflightCache] to send "Access-Control-Max-Age: 0", which
	// makes browsers send a preflight before every such request.
	MaxAge time.Duration

	// AllowPrivateNetwork answers preflights that carry
	// "Access-Control-Request-Private-Network: true" with
	// "Access-Control-Allow-Private-Network: true". This is legacy: Chrome
	// put Private Network Access preflights on hold and now asks the user
	// for Local Network Access permission instead (Chrome 142).
	AllowPrivateNetwork bool

	// OptionsPassthrough sets a successful preflight's CORS headers and then
	// calls the next handler, which writes the response, instead of
	// answering the preflight itself. The route needs an OPTIONS handler.
	OptionsPassthrough bool

	// OptionsSuccessStatus is the status of a successful preflight
	// response, from 200 to 299 (browsers need an "ok status"); 0 means 204
	// No Content.
	OptionsSuccessStatus int

	// DangerouslyAllowNullOrigin lets AllowOrigins contain "null". Any site
	// can send "Origin: null", from a sandboxed iframe or a data: document,
	// so allowing it allows everyone.
	DangerouslyAllowNullOrigin bool

	// DangerouslyAllowInsecureOrigins lets AllowOrigins contain plain-http
	// origins other than localhost and loopback addresses together with
	// AllowCredentials. Anyone on the network path can impersonate such an
	// origin and read your users' credentialed responses.
	DangerouslyAllowInsecureOrigins bool

	// DangerouslyAllowPublicSuffixWildcards lets AllowOrigins contain a
	// wildcard subdomain of a public suffix, such as "https://*.github.io"
	// or "https://*.co.uk", together with AllowCredentials. Anyone can
	// register a subdomain there.
	DangerouslyAllowPublicSuffixWildcards bool
}

// DisablePreflightCache is the [Config.MaxAge] that sends
// "Access-Control-Max-Age: 0", telling browsers not to cache preflight
// answers at all.
const DisablePreflightCache time.Duration = -1

// MaxMaxAge is the largest [Config.MaxAge]: Firefox's cap, the highest of
// any browser.
const MaxMaxAge = 24 * time.Hour

// maxRequestHeaderNames bounds the number of names a preflight may list in
// Access-Control-Request-Headers; more is refused. Browsers list each
// non-safelisted header a script set, so real requests carry a handful.
const maxRequestHeaderNames = 100

// DefaultConfig returns a starting point that needs only origins: the
// common methods, the headers of a JSON API with bearer tokens, and a
// one-hour preflight cache.
//
//	cfg := gincors.DefaultConfig()
//	cfg.AllowOrigins = []string{"https://app.example.com"}
//	router.Use(gincors.New(cfg))
func DefaultConfig() Config {
	return Config{
		AllowMethods: []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"},
		AllowHeaders: []string{"Authorization", "Content-Type", "X-Requested-With"},
		MaxAge:       time.Hour,
	}
}

// Validate reports every problem with c, one line each, naming the field,
// the value and the fix; it returns nil if [New] would accept c.
func (c Config) Validate() error {
	_, err := compile(c)
	return err
}

// problems collects validation errors.
type problems []error

func (ps *problems) add(field string, value any, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if value == nil {
		*ps = append(*ps, fmt.Errorf("gincors: %s: %s", field, msg))
		return
	}
	*ps = append(*ps, fmt.Errorf("gincors: %s %q: %s", field, value, msg))
}

// compile validates c and turns it into the policy the request path runs.
// All slices are copied, so later edits to c change nothing.
func compile(c Config) (*policy, error) {
	var ps problems
	p := &policy{
		credentials:    c.AllowCredentials,
		privateNetwork: c.AllowPrivateNetwork,
		passthrough:    c.OptionsPassthrough,
		contextFunc:    c.AllowOriginWithContextFunc,
	}
	compileOrigins(c, p, &ps)
	compileMethods(c, p, &ps)
	compileHeaders(c, p, &ps)
	compileExposeHeaders(c, p, &ps)

	switch {
	case c.MaxAge == DisablePreflightCache:
		p.maxAge = "0"
	case c.MaxAge < 0:
		ps.add("MaxAge", c.MaxAge.String(), "negative; use 0 to send no Access-Control-Max-Age, or gincors.DisablePreflightCache to send 0 and disable the preflight cache")
	case c.MaxAge > MaxMaxAge:
		ps.add("MaxAge", c.MaxAge.String(), "above 24h, which no browser honours (Firefox caps at 24h, Chromium at 2h, Safari at 10m); use at most 24*time.Hour")
	case c.MaxAge%time.Second != 0:
		ps.add("MaxAge", c.MaxAge.String(), "not a whole number of seconds, which is what Access-Control-Max-Age counts; use %s", c.MaxAge.Truncate(time.Second))
	case c.MaxAge > 0:
		p.maxAge = strconv.FormatInt(int64(c.MaxAge/time.Second), 10)
	}

	switch {
	case c.OptionsSuccessStatus == 0:
		p.successStatus = 204
	case c.OptionsSuccessStatus < 200 || c.OptionsSuccessStatus > 299:
		ps.add("OptionsSuccessStatus", strconv.Itoa(c.OptionsSuccessStatus), "browsers fail a preflight without an ok status; use a status from 200 to 299, or 0 for 204")
	default:
		p.successStatus = c.OptionsSuccessStatus
	}

	if p.allowAllOrigins && c.AllowPrivateNetwork {
		ps.add("AllowPrivateNetwork", nil, `with AllowOrigins "*" it would let every website on the internet reach this private-network server; list the origins that need it`)
	}

	// Responses depend on the Origin header unless every origin gets "*"
	// (RFC 9110 §12.5.5).
	if !p.allowAllOrigins {
		p.varyActual = newVaryNames(headerOrigin)
	}
	if p.privateNetwork {
		p.varyPreflight = newVaryNames(headerOrigin, headerRequestMethod, headerRequestHeaders, headerRequestPrivateNetwork)
	} else {
		p.varyPreflight = newVaryNames(headerOrigin, headerRequestMethod, headerRequestHeaders)
	}
	p.actualValues = 1 + btoi(p.credentials) + btoi(p.exposeHeaders != "")
	p.preflightValues = 1 + btoi(p.credentials) + btoi(p.allowMethods != "" || p.anyMethod) +
		btoi(p.allowHeaders != "" || p.anyHeader) + btoi(p.maxAge != "") + 1

	if len(ps) > 0 {
		return nil, errors.Join(ps...)
	}
	return p, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// canaryOrigins are origins an attacker can own. A regexp that matches one
// would let an attacker read credentialed responses.
var canaryOrigins = []string{
	"https://evil.invalid",
	"http://evil.invalid",
	"https://evil.invalid:8443",
	"https://example.com.evil.invalid",
	"https://evil.invalid.example.com.evil.invalid",
}

func compileOrigins(c Config, p *policy, ps *problems) {
	p.exact = make(map[string]struct{}, len(c.AllowOrigins))
	others := len(c.AllowOriginRegexps) > 0 || c.AllowOriginFunc != nil ||
		c.AllowOriginWithContextFunc != nil || c.OriginMatcher != nil
	for i, s := range c.AllowOrigins {
		field := fmt.Sprintf("AllowOrigins[%d]", i)
		if s == "*" {
			switch {
			case c.AllowCredentials:
				ps.add(field, s, `not allowed with AllowCredentials: browsers refuse "*" on credentialed requests, and reflecting every origin instead would let any website read your users' data; list the origins that need credentials`)
			case len(c.AllowOrigins) > 1 || others:
				ps.add(field, s, `"*" allows every origin, so the other origin settings have no effect; remove them, or remove "*"`)
			default:
				p.allowAllOrigins = true
			}
			continue
		}
		if s == "null" && c.DangerouslyAllowNullOrigin {
			p.exact["null"] = struct{}{}
			continue
		}
		pat, err := parseOriginPattern(s)
		if err != nil {
			ps.add(field, s, "%v", err)
			continue
		}
		if c.AllowCredentials {
			checkCredentialedPattern(c, field, s, pat, ps)
		}
		if pat.IsExact() {
			p.exact[pat.String()] = struct{}{}
		} else {
			p.patterns.Add(pat)
		}
	}

	for i, expr := range c.AllowOriginRegexps {
		field := fmt.Sprintf("AllowOriginRegexps[%d]", i)
		re, err := compileOriginRegexp(expr)
		if err != nil {
			ps.add(field, expr, "%v", err)
			continue
		}
		if c.AllowCredentials {
			checkCredentialedRegexp(c, field, expr, re, ps)
		}
		p.regexps = append(p.regexps, re)
	}

	if c.AllowOriginFunc != nil {
		p.matchers = append(p.matchers, OriginFunc(c.AllowOriginFunc))
	}
	if f, ok := c.OriginMatcher.(OriginFunc); ok && f == nil {
		ps.add("OriginMatcher", nil, "a nil OriginFunc, which would panic on every request; set a function or leave OriginMatcher nil")
	} else if c.OriginMatcher != nil {
		p.matchers = append(p.matchers, c.OriginMatcher)
		if c.AllowCredentials {
			checkCredentialedMatcher(c, c.OriginMatcher, ps)
		}
	}
	p.exactOnly = p.patterns.Empty() && len(p.regexps) == 0 && len(p.matchers) == 0 && p.contextFunc == nil
	if len(c.AllowOrigins) == 0 && !others {
		ps.add("Config", nil, `no origin source; set AllowOrigins (such as []string{"https://app.example.com"}, or []string{"*"} for a public API), AllowOriginRegexps, AllowOriginFunc, AllowOriginWithContextFunc or OriginMatcher`)
	}
}

// checkCredentialedPattern reports pattern pat, spelled s, if it must not
// be used with AllowCredentials without a Dangerously opt-in.
func checkCredentialedPattern(c Config, field, s string, pat origin.Pattern, ps *problems) {
	if pat.Scheme == "http" && !origin.IsLoopback(pat.Host) && !c.DangerouslyAllowInsecureOrigins {
		ps.add(field, s, "plain-http origin with AllowCredentials: anyone on the network path can impersonate it and read your users' data; use %q, or set DangerouslyAllowInsecureOrigins", "https"+strings.TrimPrefix(pat.String(), "http"))
	}
	if pat.AnySubdomain && isPublicSuffix(pat.Host) && !c.DangerouslyAllowPublicSuffixWildcards {
		ps.add(field, s, "%q is a public suffix, where anyone can register a subdomain, and AllowCredentials is set; list your own subdomains, or set DangerouslyAllowPublicSuffixWildcards", pat.Host)
	}
}

// checkCredentialedRegexp reports re, compiled from expr, if it matches an
// origin an attacker can own, or a plain-http origin without
// DangerouslyAllowInsecureOrigins; AllowCredentials is set. Besides the
// fixed canaryOrigins, it tries canaries built from the literal the
// expression ends with, usually the site's domain: "https://.*example\.com"
// matches "https://evilexample.com", which anyone can register.
func checkCredentialedRegexp(c Config, field, expr string, re *regexp.Regexp, ps *problems) {
	domain := trailingDomain(expr)
	canaries := canaryOrigins
	if domain != "" {
		canaries = append(slices.Clip(canaries), "https://evil"+domain, "https://evil-"+domain)
	}
	for _, canary := range canaries {
		if re.MatchString(canary) {
			ps.add(field, expr, "matches %q, an origin anyone can own, and AllowCredentials is set; escape dots (\\.) and anchor host names, or list origins in AllowOrigins", canary)
			return
		}
	}
	if domain == "" || c.DangerouslyAllowInsecureOrigins || origin.IsLoopback(domain) {
		return
	}
	for _, insecure := range []string{"http://" + domain, "http://www." + domain} {
		if re.MatchString(insecure) {
			ps.add(field, expr, "matches plain-http %q and AllowCredentials is set: anyone on the network path can impersonate it; match https only, or set DangerouslyAllowInsecureOrigins", insecure)
			return
		}
	}
}

// trailingDomain returns the literal text a regexp ends with, after any
// scheme separator and leading dots: "example.com" for
// `https://([a-z]+\.)?example\.com`, or "" if it ends with no literal.
func trailingDomain(expr string) string {
	tree, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return ""
	}
	lit := trailingLiteral(tree.Simplify())
	if i := strings.LastIndex(lit, "://"); i >= 0 {
		lit = lit[i+len("://"):]
	}
	return strings.ToLower(strings.TrimLeft(lit, "."))
}

func trailingLiteral(t *syntax.Regexp) string {
	switch t.Op {
	case syntax.OpLiteral:
		return string(t.Rune)
	case syntax.OpCapture:
		return trailingLiteral(t.Sub[0])
	case syntax.OpConcat:
		for i := len(t.Sub) - 1; i >= 0; i-- {
			switch t.Sub[i].Op {
			case syntax.OpEndText, syntax.OpEndLine, syntax.OpEmptyMatch:
				continue
			}
			return trailingLiteral(t.Sub[i])
		}
	}
	return ""
}

// checkCredentialedMatcher applies the AllowCredentials checks of
// AllowOrigins and AllowOriginRegexps to the matchers this package builds,
// so that moving a pattern into OriginMatcher does not bypass them. Other
// matchers are the user's responsibility.
func checkCredentialedMatcher(c Config, m OriginMatcher, ps *problems) {
	switch m := m.(type) {
	case anyOf:
		for _, m := range m {
			checkCredentialedMatcher(c, m, ps)
		}
	case exactOrigins:
		for _, s := range slices.Sorted(maps.Keys(m)) {
			if pat, err := origin.ParsePattern(s); err == nil {
				checkCredentialedPattern(c, "OriginMatcher (ExactOrigins)", s, pat, ps)
			}
		}
	case *wildcardOrigins:
		for _, pat := range m.patterns {
			checkCredentialedPattern(c, "OriginMatcher (WildcardOrigins)", pat.String(), pat, ps)
		}
	case regexpOrigins:
		for _, re := range m {
			checkCredentialedRegexp(c, "OriginMatcher (RegexpOrigins)", re.String(), re, ps)
		}
	}
}

// isPublicSuffix reports whether anyone can register a name directly under
// domain (publicsuffix.org): domain is itself a public suffix, such as
// "com", "github.io" or an unlisted TLD, or a wildcard rule makes every name
// just below it one, as "*.kawasaki.jp" does for "kawasaki.jp".
// Loopback names are exempt: only this machine can serve them.
func isPublicSuffix(domain string) bool {
	if origin.IsLoopback(domain) {
		return false
	}
	for _, d := range [...]string{domain, "gincors-probe." + domain} {
		if suffix, _ := publicsuffix.PublicSuffix(d); suffix == d {
			return true
		}
	}
	return false
}

// compileMethods fills p's method set and the Access-Control-Allow-Methods
// value. Preflight answers list every allowed method, not only the one asked
// for: Chromium keeps one preflight-cache entry per origin and URL and
// replaces it on each preflight, so a partial list would make a page that
// alternates methods on one URL preflight every time despite MaxAge.
func compileMethods(c Config, p *policy, ps *problems) {
	p.methods = make(map[string]struct{}, len(c.AllowMethods))
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
		case fetchspec.IsForbiddenMethod(m):
			ps.add(field, m, "a forbidden method in the Fetch standard, which browsers never send; remove it")
		default:
			m = fetchspec.NormalizeMethod(m)
			if _, dup := p.methods[m]; !dup {
				p.methods[m] = struct{}{}
				listed = append(listed, m)
			}
		}
	}
	switch {
	case p.anyMethod && !c.AllowCredentials:
		p.allowMethods = "*"
	case !p.anyMethod:
		p.allowMethods = strings.Join(listed, ", ")
	}
}

// compileHeaders fills p's header set and the Access-Control-Allow-Headers
// value, which lists every allowed header for the reason compileMethods
// gives.
func compileHeaders(c Config, p *policy, ps *problems) {
	p.headers = make(map[string]struct{}, len(c.AllowHeaders))
	var listed []string
	for i, h := range c.AllowHeaders {
		field := fmt.Sprintf("AllowHeaders[%d]", i)
		switch {
		case h == "*":
			p.anyHeader = true
		case !fetchspec.IsToken(h):
			ps.add(field, h, "not a header name: a header name is a token (RFC 9110 §5.1) of letters, digits and !#$%%&'*+-.^_`|~, such as \"X-Request-Id\"")
		case fetchspec.IsForbiddenRequestHeader(h):
			ps.add(field, h, "a forbidden request header in the Fetch standard: browsers set it themselves and never ask to send it; remove it")
		default:
			lower := strings.ToLower(h)
			if _, dup := p.headers[lower]; !dup {
				p.headers[lower] = struct{}{}
				p.longestHeader = max(p.longestHeader, len(lower))
				listed = append(listed, h)
			}
		}
	}
	_, authorization := p.headers["authorization"]
	if p.anyHeader && (len(p.headers) > 1 || len(p.headers) == 1 && !authorization) {
		ps.add("AllowHeaders", strings.Join(c.AllowHeaders, ","), `"*" allows every header but Authorization, so the other entries have no effect; keep "*" and, if needed, "Authorization"`)
	}
	p.longestRequestHeader = p.longestHeader
	if p.anyHeader {
		p.longestRequestHeader = max(p.longestHeader, maxRequestHeaderNameLength)
	}
	switch {
	case p.anyHeader && c.AllowCredentials:
		// "*" would be a literal name: the request's names are reflected.
	case p.anyHeader && authorization:
		// "*" never covers Authorization, so it is named too (Fetch
		// fetch.spec.whatwg.org/#cors-preflight-fetch).
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
