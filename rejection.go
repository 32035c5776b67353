package gincors

import (
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gincors/gincors/internal/origin"
)

// Rejections: what a refused request is reported as, to OnRejected and the
// Logger, and the debug answer that lets the browser name the cause. Both
// start from the verdict the request was decided by.

// A Rejection describes one refused request, as [Config.OnRejected]
// receives it.
type Rejection struct {
	Reason    Reason
	Preflight bool   // a refused preflight, rather than an actual request from an origin not allowed
	Origin    string // the request's Origin, cut after MaxOriginLength bytes
	Method    string // the refused method, if Reason is ReasonMethod
	Header    string // the first refused request header, if Reason is ReasonHeader
	// Hint is what is wrong and the Config change that would allow the
	// request, if it should be allowed.
	Hint string
}

// String returns the rejection as one line a person can act on.
func (r Rejection) String() string {
	kind := "request"
	if r.Preflight {
		kind = "preflight"
	}
	return "gincors: " + kind + " from " + strconv.Quote(r.Origin) + " refused (" + r.Reason.String() + "): " + r.Hint
}

// rejection builds the Rejection of the refused request v.
func (p *policy) rejection(v *verdict) Rejection {
	r := Rejection{Reason: v.reason, Preflight: v.preflight, Origin: truncate(v.origin, MaxOriginLength)}
	switch v.reason {
	case ReasonOrigin:
		r.Hint = p.originHint(v.origin)
	case ReasonMethod:
		r.Method = v.method
		r.Hint = p.methodHint(v.method)
	case ReasonHeader:
		r.Header = truncate(v.header, maxRequestHeaderNameLength)
		r.Hint = p.headerHint(r.Header)
	case ReasonMalformed:
		r.Hint = v.malformed
		if v.malformed == malformedRequestHeaders {
			r.Hint += " (at most " + strconv.Itoa(p.maxRequestHeaders) + " names of at most " + strconv.Itoa(maxRequestHeaderNameLength) + " bytes, with a few separators each)"
		}
		r.Hint += ", which browsers never send; nothing to change"
	}
	return r
}

func (p *policy) originHint(o string) string {
	if o == "null" {
		return `origin "null" is not allowed: sandboxed iframes and data: documents send it, and any site can create those; allow it only knowingly, with DangerouslyAllowNullOrigin`
	}
	if _, ok := origin.Parse(o); !ok {
		return "the Origin header is not an origin as browsers send it (scheme://host[:port], lower case, at most " + strconv.Itoa(MaxOriginLength) + " bytes); nothing to change"
	}
	return "origin " + strconv.Quote(o) + " is not allowed; add it to AllowOrigins if that site may read responses"
}

func (p *policy) methodHint(m string) string {
	if m == "*" && p.anyMethod {
		return `method "*" is not allowed: with AllowCredentials the method is reflected, and a reflected "*" would read as a wildcard; nothing to change`
	}
	upper := strings.ToUpper(m)
	if upper != m {
		// Browsers send a method as the page wrote it, except the six
		// fetch() upper-cases; Gin routes it apart from the upper-case
		// one, so allowing it would only move the failure to a 404.
		fix := "write " + strconv.Quote(upper) + " in the page's fetch() call"
		if slices.Contains(p.methods, upper) {
			fix += "; nothing to change in the Config"
		} else {
			fix += ", and add " + strconv.Quote(upper) + " to AllowMethods"
		}
		return "method " + strconv.Quote(m) + " is not allowed: browsers send method names as the page wrote them, except DELETE, GET, HEAD, OPTIONS, POST and PUT, and Gin routes " + strconv.Quote(m) + " apart from " + strconv.Quote(upper) + ", so it would reach no " + strconv.Quote(upper) + " route; " + fix
	}
	return "method " + strconv.Quote(m) + " is not allowed; add " + strconv.Quote(m) + " to AllowMethods"
}

func (p *policy) headerHint(h string) string {
	what := "request header " + strconv.Quote(h) + " is not allowed"
	switch {
	case p.anyHeader && strings.EqualFold(h, "authorization"):
		return what + `: the Fetch standard never lets "*" in AllowHeaders cover Authorization; add "Authorization" to AllowHeaders`
	case p.anyHeader && h == "*":
		return what + `: with AllowCredentials the names are reflected, and a reflected "*" would read as a wildcard; nothing to change`
	case p.headers.Len() == 0 && !p.anyHeader:
		return what + ": AllowHeaders is empty, which allows only the CORS-safelisted headers; add " + strconv.Quote(h) + " to AllowHeaders (JSON requests need \"Content-Type\")"
	}
	return what + "; add " + strconv.Quote(h) + " to AllowHeaders"
}

// reportActual reports an actual request refused for its origin, unless
// the browser marked it same-origin (Fetch Metadata,
// w3c.github.io/webappsec-fetch-metadata/#sec-fetch-site-header): browsers
// send Origin on same-origin POSTs too, and those are no rejection.
func (p *policy) reportActual(c *gin.Context, v *verdict) {
	if v.stacked {
		if logger := p.reportLogger(); logger != nil {
			logger.LogAttrs(c.Request.Context(), slog.LevelWarn, "gincors: another CORS middleware already set headers on this response; stacked policies let the outer one's answer reach these routes: use gincors.ByPath for per-path policies",
				slog.String("path", c.Request.URL.Path))
		}
	}
	if v.reason == 0 || c.Request.Header.Get(headerSecFetchSite) == "same-origin" {
		return
	}
	p.report(c, v)
}

// report hands the rejection of v to OnRejected and the logger.
func (p *policy) report(c *gin.Context, v *verdict) {
	r := p.rejection(v)
	if p.onRejected != nil {
		p.onRejected(c, r)
	}
	logger := p.reportLogger()
	if logger == nil {
		return
	}
	logger.LogAttrs(c.Request.Context(), slog.LevelInfo, "gincors: CORS request refused",
		slog.String("reason", r.Reason.String()),
		slog.Bool("preflight", r.Preflight),
		slog.String("origin", r.Origin),
		slog.String("method", r.Method),
		slog.String("header", r.Header),
		slog.String("path", truncate(c.Request.URL.Path, 256)),
		slog.String("fix", r.Hint),
	)
}

// reportLogger is where rejections are logged: Logger, or in debug mode
// slog.Default() at the time of the request, or nowhere.
func (p *policy) reportLogger() *slog.Logger {
	if p.logger == nil && p.debug {
		return slog.Default()
	}
	return p.logger
}

// writeDebugPreflight answers a preflight from an allowed origin that was
// refused for its method or a header, in debug mode. The answer has an ok status, the origin (and credentials) headers,
// and explicitly lists what was asked and is allowed, never "*", leaving
// the refused method or header out. So the browser's own check fails on
// exactly that item and its console names it ("Request header field
// x-csrf-token is not allowed by Access-Control-Allow-Headers in preflight
// response") instead of reporting a failed preflight. It never grants
// more than the normal answer: the refused item stays refused, and the
// browser caches nothing of a preflight that fails.
func (p *policy) writeDebugPreflight(h http.Header, v *verdict) {
	if p.origins.allowAll {
		h[headerAllowOrigin] = []string{"*"}
	} else {
		h[headerAllowOrigin] = []string{v.origin}
	}
	if p.credentials {
		h[headerAllowCredentials] = []string{"true"}
	}
	if v.reason != ReasonMethod {
		h[headerAllowMethods] = []string{v.method}
		if v.debugHeaders != "" {
			h[headerAllowHeaders] = []string{v.debugHeaders}
		}
	}
}

// truncate shortens a request-derived string for a report, so that a
// hostile header cannot make a log record of its own size.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// corsAlreadySet reports whether a CORS middleware has already handled
// this response: it set Access-Control-Allow-Origin, or Vary: Origin.
func corsAlreadySet(h http.Header) bool {
	return len(h[headerAllowOrigin]) > 0 || listContains(h[headerVary], headerOrigin)
}
