package gincors

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// Config is a CORS policy. The zero Config allows nothing and is invalid:
// set at least one origin source (AllowOrigins, AllowOriginRegexps,
// AllowOriginFunc, AllowOriginWithContextFunc or AllowOriginMatcher). An
// origin is allowed if any source allows it.
//
// [New] and [NewMiddleware] copy and compile a Config; changing it
// afterwards has no effect on the middleware. [Config.Validate] reports
// every problem as a [*ConfigError].
//
// A Config can be read from JSON (see [Config.UnmarshalJSON]): each field
// but the functions, the matcher and the logger has a camelCase key, such
// as "allowOrigins", and MaxAge is a duration string such as "12h".
type Config struct {
	// AllowOrigins lists the origins allowed to read responses. Each entry
	// is one of:
	//   - an exact origin: "https://example.com", "http://localhost:8080";
	//   - a wildcard subdomain: "https://*.example.com" matches
	//     "https://a.example.com" and "https://a.b.example.com", never
	//     "https://example.com" itself;
	//   - a wildcard port: "http://localhost:*" matches "http://localhost"
	//     and "http://localhost:5173" (combinable with a wildcard subdomain);
	//   - "*": every origin, only without AllowCredentials (next to other
	//     origin settings it makes them pointless, with a warning).
	// Harmless spelling differences are normalised to the form browsers send:
	// "HTTPS://Example.COM:443" is "https://example.com", and Unicode hosts
	// become Punycode. Harmless mistakes start with a warning
	// ([ConfigWarning]) naming the spelling to write: surrounding spaces,
	// a trailing slash or a path are dropped; an entry joining origins
	// with commas is split, each piece checked as an entry of its own; and
	// a gin-contrib/cors regexp between /…/ delimiters is read as that
	// expression in AllowOriginRegexps, with its checks. A missing scheme,
	// a query, userinfo and misplaced wildcards are refused with the
	// corrected spelling. A scheme may be up to 64 bytes long and a host
	// up to 253, so no origin longer than 326 bytes is ever allowed.
	AllowOrigins []string `json:"allowOrigins,omitempty"`

	// AllowOriginRegexps lists RE2 expressions, each matched against the
	// whole origin as if it were written ^(?:expr)$. Prefer AllowOrigins:
	// its patterns cannot be written too broadly by accident. A lone
	// unescaped "." between host characters ("app.example\.com"), a "*."
	// glob and /.../ delimiters are refused as the mistakes they almost
	// always are. With AllowCredentials or AllowPrivateNetwork, each
	// expression must be provably confined to https origins (or http on a
	// loopback host) whose host is a literal, or lies below a literal
	// registrable domain that is not a public suffix; see SECURITY.md. An
	// expression is at most 4096 bytes long.
	AllowOriginRegexps []string `json:"allowOriginRegexps,omitempty"`

	// AllowOriginFunc, if set, is called with the request's origin (well
	// formed, never "null") and allows it by returning true. With
	// AllowCredentials or AllowPrivateNetwork, New also asks it, once,
	// about origins no one can own a page at, and refuses a function that
	// allows one (see DangerouslySkipOriginFuncCheck).
	AllowOriginFunc func(origin string) bool `json:"-"`

	// AllowOriginWithContextFunc is AllowOriginFunc with the request's
	// context, for decisions that depend on the request, such as a tenant
	// told by its Host. It runs before the route handler; do not write the
	// response. A preflight for a route without an OPTIONS handler reaches
	// it through Gin's 404/405 handlers, where no route matched: decide from
	// c.Request (Host, URL.Path), not from c.Param or c.FullPath.
	//
	// A decision that depends on a request header other than Origin must
	// be declared in Vary (RFC 9110 §12.5.5,
	// https://www.rfc-editor.org/rfc/rfc9110#section-12.5.5), or a shared
	// cache may serve one tenant's answer to another: add to it from the
	// function, as in c.Writer.Header().Add("Vary", "Host"). gincors keeps
	// what is there and adds its own "Origin" next to it.
	AllowOriginWithContextFunc func(c *gin.Context, origin string) bool `json:"-"`

	// AllowOriginMatcher, if set, is the user's own matcher; see
	// [ExactOrigins], [WildcardOrigins], [RegexpOrigins], [OriginFunc] and
	// [AnyOf]. The matchers those functions build (also inside AnyOf) are
	// checked and matched exactly as AllowOrigins and AllowOriginRegexps
	// are; any other matcher is the user's responsibility. A typed nil, such as
	// (*myMatcher)(nil), is refused: it would panic on every request.
	AllowOriginMatcher OriginMatcher `json:"-"`

	// AllowMethods lists the methods a preflight may ask for. Method names
	// are case-sensitive (RFC 9110 §9.1,
	// https://www.rfc-editor.org/rfc/rfc9110#section-9.1), except that the
	// six that fetch() normalises (DELETE, GET, HEAD, OPTIONS, POST, PUT)
	// are upper-cased here as browsers do; fetch(url, {method: "patch"})
	// sends "patch", which "PATCH" does not allow; an entry not in upper
	// case starts with a warning. "*" allows every method. The
	// CORS-safelisted GET, HEAD and POST are always allowed; empty means
	// only those. A method is at most 64 bytes long; a preflight asking for
	// a longer one is refused as malformed.
	AllowMethods []string `json:"allowMethods,omitempty"`

	// AllowHeaders lists the request headers a preflight may ask for,
	// case-insensitively.
	//
	// Empty means no header beyond the CORS-safelisted ones (Accept,
	// Accept-Language, Content-Language, and Content-Type with one of the
	// values a form can send), so a JSON request, whose Content-Type is
	// application/json, fails its preflight: list "Content-Type". (rs/cors
	// allows Accept, Content-Type and X-Requested-With when its list is
	// empty; gincors allows nothing you did not write.)
	//
	// "*" allows every header except Authorization: the Fetch standard
	// never lets "*" cover Authorization
	// (https://fetch.spec.whatwg.org/#http-access-control-allow-headers),
	// so list "Authorization" next to "*" to allow it too. Browsers do not
	// all enforce that yet
	// (https://github.com/gincors/gincors/blob/main/docs/browsers.md), but
	// gincors follows the standard, so the answer stays right when they do.
	//
	// A preflight may ask for up to 100 names, or as many as are listed
	// here if that is more.
	//
	// Harmless mistakes start with a warning ([ConfigWarning]): an entry
	// joining names with commas ("Content-Type, Authorization", which
	// gin-contrib/cors sent as one header value) is split, here and in
	// AllowMethods and ExposeHeaders; names browsers never ask for
	// (forbidden request headers such as Cookie or Host, media types such
	// as "application/json") are dropped.
	AllowHeaders []string `json:"allowHeaders,omitempty"`

	// ExposeHeaders lists the response headers, beyond the CORS-safelisted
	// ones (Cache-Control, Content-Language, Content-Length, Content-Type,
	// Expires, Last-Modified, Pragma), that scripts may read. "*" exposes
	// all of them, only without AllowCredentials.
	ExposeHeaders []string `json:"exposeHeaders,omitempty"`

	// AllowCredentials lets credentialed requests (cookies, HTTP
	// authentication, client certificates) read responses. Then "*" is
	// refused in AllowOrigins and ExposeHeaders, and so is any origin
	// setting that would let an origin someone else can own or impersonate
	// in: "null", plain http other than loopback, wildcards on public
	// suffixes, regexps that cannot be shown confined to your domain, and
	// origin functions that allow an origin no one can own (each with a
	// Dangerously opt-in where one makes sense). A wildcard or
	// regexp match whose host lies under a public suffix nested below the
	// pattern's domain, such as attacker.s3.amazonaws.com for
	// "https://*.amazonaws.com", is refused at request time.
	AllowCredentials bool `json:"allowCredentials,omitempty"`

	// MaxAge is how long browsers may cache a preflight's answer, in whole
	// seconds, at most 24 hours (a longer one is sent as 24 hours, with a
	// warning). Browsers cap it: Firefox at 24 hours, Chromium at 2 hours,
	// Safari at 10 minutes. A negative MaxAge sends 0, as rs/cors did, with
	// a warning. 0 sends no Access-Control-Max-Age, and browsers then cache
	// for 5 seconds; use [DisablePreflightCache] to send
	// "Access-Control-Max-Age: 0", which makes browsers send a preflight
	// before every such request.
	MaxAge time.Duration `json:"maxAge,omitempty"`

	// AllowPrivateNetwork answers preflights that carry
	// "Access-Control-Request-Private-Network: true" with
	// "Access-Control-Allow-Private-Network: true". This is legacy: Chrome
	// put Private Network Access preflights on hold and now asks the user
	// for Local Network Access permission instead
	// (https://github.com/gincors/gincors/blob/main/docs/browsers.md).
	// Without it the request header is not read, and the answer's lack of
	// Access-Control-Allow-Private-Network refuses such a preflight.
	// Letting a website reach a private network is as dangerous as
	// credentials, so the origin settings get the same checks as with
	// AllowCredentials.
	AllowPrivateNetwork bool `json:"allowPrivateNetwork,omitempty"`

	// OptionsPassthrough sets a successful preflight's CORS headers and then
	// calls the next handler, which writes the response, instead of
	// answering the preflight itself. The route needs an OPTIONS handler.
	OptionsPassthrough bool `json:"optionsPassthrough,omitempty"`

	// OptionsSuccessStatus is the status of a successful preflight
	// response, from 200 to 299 (browsers need an "ok status"); 0 means 204
	// No Content.
	OptionsSuccessStatus int `json:"optionsSuccessStatus,omitempty"`

	// Debug makes rejections visible while you set CORS up: every
	// rejection is logged, without limit (to Logger, or slog.Default()),
	// and a preflight from an allowed origin that is refused for its
	// method or a header gets an ok answer that lists only what is allowed
	// of what it asked, so that the browser's console names the refused
	// method or header instead of a generic failure. The debug
	// answer never grants more than the normal one: the browser still
	// refuses the request. Off by default; leave it off in production.
	Debug bool `json:"debug,omitempty"`

	// Logger, if set, receives structured records of rejections: the
	// reason, the origin, the method or header if one was refused, the
	// path and the setting to change. A preflight from an allowed origin
	// refused for its method or a header is logged at WARN (a page you
	// trust is failing), a preflight from an origin not allowed at INFO,
	// and an actual request from an origin not allowed (which is not
	// blocked) or a malformed request at DEBUG. The first rejection of
	// each kind and origin is logged, then at most one a minute, with the
	// count of those left out, and at most 100 records a minute in all, so
	// a stream of refusals cannot flood the log. If nil, nothing is logged,
	// except with Debug, which logs every rejection, at INFO at least, to
	// slog.Default().
	Logger *slog.Logger `json:"-"`

	// OnRejected, if set, is called once for each rejection: a refused
	// preflight, or an actual request whose Origin is not allowed (except
	// a same-origin request marked "Sec-Fetch-Site: same-origin"). Requests
	// without Origin and allowed requests are not reported. It runs on the
	// request path: keep it fast, and do not write the response. Nil costs
	// nothing.
	OnRejected func(c *gin.Context, r Rejection) `json:"-"`

	// DangerouslyAllowNullOrigin lets AllowOrigins contain "null". Any site
	// can send "Origin: null", from a sandboxed iframe or a data: document,
	// so allowing it allows everyone.
	DangerouslyAllowNullOrigin bool `json:"dangerouslyAllowNullOrigin,omitempty"`

	// DangerouslyAllowInsecureOrigins lets AllowOrigins and
	// AllowOriginRegexps allow plain-http origins other than localhost and
	// loopback addresses together with AllowCredentials or
	// AllowPrivateNetwork. Anyone on the network path can impersonate such
	// an origin and read your users' credentialed responses.
	DangerouslyAllowInsecureOrigins bool `json:"dangerouslyAllowInsecureOrigins,omitempty"`

	// DangerouslyAllowPublicSuffixWildcards lets AllowOrigins contain a
	// wildcard subdomain of a public suffix, such as "https://*.github.io"
	// or "https://*.co.uk", together with AllowCredentials or
	// AllowPrivateNetwork. Anyone can register a subdomain there.
	DangerouslyAllowPublicSuffixWildcards bool `json:"dangerouslyAllowPublicSuffixWildcards,omitempty"`

	// DangerouslySkipOriginFuncCheck stops New from asking the origin
	// functions (AllowOriginFunc, AllowOriginWithContextFunc and the
	// user's own AllowOriginMatcher) about origins no one can own, which it
	// does once, with AllowCredentials or AllowPrivateNetwork, to refuse a
	// function that lets any website in (docs/configuration.md lists the
	// origins asked). Set it only for a function that cannot run before
	// the server starts; then nothing checks it.
	DangerouslySkipOriginFuncCheck bool `json:"dangerouslySkipOriginFuncCheck,omitempty"`
}

// DisablePreflightCache is the [Config.MaxAge] that sends
// "Access-Control-Max-Age: 0", telling browsers not to cache preflight
// answers at all.
const DisablePreflightCache time.Duration = -1

// DefaultConfig returns a starting point that needs only origins:
//
//	AllowMethods: GET, HEAD, POST, PUT, PATCH, DELETE
//	AllowHeaders: Authorization, Content-Type, X-Requested-With
//	MaxAge:       one hour
//
// and everything else zero: no credentials, no exposed headers, Debug off.
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

// Validate reports every problem with c, or nil if [New] would accept c.
// The error joins one [*ConfigError] per problem (see [errors.Join]); its
// text has one line each, naming the field, the value and the fix.
// Harmless mistakes are not problems: [Config.Warnings] reports them.
func (c Config) Validate() error {
	_, err := compile(c)
	return err
}

// clone returns a copy of c that shares no slice with it.
func (c Config) clone() Config {
	c.AllowOrigins = slices.Clone(c.AllowOrigins)
	c.AllowOriginRegexps = slices.Clone(c.AllowOriginRegexps)
	c.AllowMethods = slices.Clone(c.AllowMethods)
	c.AllowHeaders = slices.Clone(c.AllowHeaders)
	c.ExposeHeaders = slices.Clone(c.ExposeHeaders)
	return c
}

// A ConfigError is one problem in a [Config]. [Config.Validate], [New],
// [NewMiddleware], [Middleware.Reconfigure], [ByPath] and the matcher
// constructors report them, joined with [errors.Join]; find them with
// [errors.As], or walk the joined error's Unwrap() []error.
type ConfigError struct {
	// Field is the setting at fault as it is written in Go, such as
	// "AllowOrigins[2]" or "MaxAge", or "Config" for the whole.
	Field string
	// Value is the offending value as written, or "" when the problem is
	// not one value.
	Value string
	// Message says what is wrong and how to fix it.
	Message string
}

// Error returns `gincors: Field "Value": Message`, or without the value
// when there is none.
func (e *ConfigError) Error() string {
	if e.Value == "" {
		return "gincors: " + e.Field + ": " + e.Message
	}
	return "gincors: " + e.Field + " " + strconv.Quote(e.Value) + ": " + e.Message
}

// A ConfigWarning is a harmless mistake in a [Config]: a value gincors
// accepts, but that is certainly not what was meant, such as a forbidden
// header name in AllowHeaders or several names joined in one entry. The
// middleware starts; the warning says what it does with the value and how
// to tidy the Config. [New], [NewMiddleware], [Middleware.Reconfigure] and
// [ByPath] log each warning once, at level WARN, to [Config.Logger], else
// to slog.Default(); [Config.Warnings] and [Middleware.Warnings] return
// them, for a test or a CI check that wants none.
type ConfigWarning struct {
	// Field is the setting as it is written in Go, such as
	// "AllowHeaders[2]" or "MaxAge".
	Field string
	// Value is the value as written, or "" when the warning is not about
	// one value.
	Value string
	// Message says what gincors does with the value and how to tidy it.
	Message string
}

// String returns `gincors: warning: Field "Value": Message`, or without
// the value when there is none.
func (w ConfigWarning) String() string {
	if w.Value == "" {
		return "gincors: warning: " + w.Field + ": " + w.Message
	}
	return "gincors: warning: " + w.Field + " " + strconv.Quote(w.Value) + ": " + w.Message
}

// Warnings returns the harmless mistakes in c, in the order of its
// fields and of the entries within a field, or nil if there are none. It
// reports them whether or not c is valid; [Config.Validate] reports the
// problems that make it invalid. Like Validate, it asks the origin
// functions about the origins listed in docs/configuration.md when
// AllowCredentials or AllowPrivateNetwork is set.
//
//	require.NoError(t, cfg.Validate())
//	require.Empty(t, cfg.Warnings())
func (c Config) Warnings() []ConfigWarning {
	var ps problems
	compileInto(c, &ps)
	return ps.warnings
}

// problems collects validation errors and warnings.
type problems struct {
	errs     []error
	warnings []ConfigWarning
}

// add records a problem that makes the Config invalid.
func (ps *problems) add(field, value, format string, args ...any) {
	ps.errs = append(ps.errs, &ConfigError{Field: field, Value: value, Message: fmt.Sprintf(format, args...)})
}

// warn records a harmless mistake.
func (ps *problems) warn(field, value, format string, args ...any) {
	ps.warnings = append(ps.warnings, ConfigWarning{Field: field, Value: value, Message: fmt.Sprintf(format, args...)})
}

// sortWarnings puts ps's warnings in the order of the Config's fields,
// and of the indices within a field, whatever order the checks found them
// in (a joined list is split before its pieces are checked, for one).
// A warning about a whole field follows those about its entries; the
// order of warnings about one entry is kept.
func (ps *problems) sortWarnings() {
	slices.SortStableFunc(ps.warnings, func(a, b ConfigWarning) int {
		an, ai := warningPosition(a.Field)
		bn, bi := warningPosition(b.Field)
		if an != bn {
			return an - bn
		}
		return ai - bi
	})
}

// configFieldOrder maps each Config field's name to its position.
var configFieldOrder = func() map[string]int {
	t := reflect.TypeFor[Config]()
	order := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		order[t.Field(i).Name] = i
	}
	return order
}()

// warningPosition returns the position of the field a warning names, such
// as "AllowHeaders[2]": the Config field's, then the index, or the largest
// int for the field as a whole. A name that is not a field comes last.
func warningPosition(field string) (int, int) {
	name, index, indexed := strings.Cut(field, "[")
	n, ok := configFieldOrder[name]
	if !ok {
		n = len(configFieldOrder)
	}
	i := math.MaxInt
	if indexed {
		if v, err := strconv.Atoi(strings.TrimSuffix(index, "]")); err == nil {
			i = v
		}
	}
	return n, i
}

// logWarnings logs each of p's warnings once, at level WARN, to the
// Config's Logger, else to slog.Default().
func (p *policy) logWarnings() {
	if len(p.warnings) == 0 {
		return
	}
	logger := p.logger
	if logger == nil {
		logger = slog.Default()
	}
	for _, w := range p.warnings {
		msg := (&ConfigError{Field: w.Field, Value: w.Value, Message: w.Message}).Error()
		logger.LogAttrs(context.Background(), slog.LevelWarn, msg,
			slog.String("field", w.Field), slog.String("value", w.Value))
	}
}

// An OriginMatcher decides whether a cross-origin request's origin is
// allowed.
//
// When gincors calls MatchOrigin, origin is the value of the request's
// Origin header and is a well-formed serialized origin as browsers send it
// (lower-case scheme and host, Punycode, no default port, no path); it is
// never "null" and never longer than 326 bytes (a scheme of up to 64
// bytes, "://", a host of up to 253 and ":65535"). Implementations
// must be safe for concurrent use.
type OriginMatcher interface {
	MatchOrigin(origin string) bool
}

// OriginFunc adapts an ordinary function to an [OriginMatcher].
type OriginFunc func(origin string) bool

// MatchOrigin returns f(origin).
func (f OriginFunc) MatchOrigin(origin string) bool { return f(origin) }
