package gincors

import (
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gincors/gincors/internal/origin"
)

// Reporting: what a refused request is reported as, to OnRejected and the
// Logger, built from the verdict the request was decided by.

// rejection builds the Rejection of the refused request v.
func (p *policy) rejection(v *verdict) Rejection {
	r := Rejection{Reason: v.reason, Preflight: v.preflight, Origin: truncate(v.origin, origin.MaxLength)}
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
		switch v.malformed {
		case malformedOrigins:
			r.Hint = "several Origin header lines"
		case malformedMethods:
			r.Hint = "several Access-Control-Request-Method lines"
		case malformedMethod:
			r.Hint = "Access-Control-Request-Method is not a method name of at most " + strconv.Itoa(maxMethodLength) + " bytes"
		case malformedRequestHeaders:
			r.Hint = "Access-Control-Request-Headers is not a list of header names within bounds (at most " + strconv.Itoa(p.maxRequestHeaders) + " names of at most " + strconv.Itoa(maxRequestHeaderNameLength) + " bytes, with a few separators each)"
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
		return "the Origin header is not an origin as browsers send it (scheme://host[:port], lower case, at most " + strconv.Itoa(origin.MaxLength) + " bytes); nothing to change"
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
	case len(p.headers) == 0 && !p.anyHeader:
		return what + ": AllowHeaders is empty, which allows only the CORS-safelisted headers; add " + strconv.Quote(h) + " to AllowHeaders (JSON requests need \"Content-Type\")"
	}
	return what + "; add " + strconv.Quote(h) + " to AllowHeaders"
}

// reportActual reports an actual request refused for its origin, unless
// the browser marked it same-origin (Fetch Metadata,
// https://w3c.github.io/webappsec-fetch-metadata/#sec-fetch-site-header):
// browsers send Origin on same-origin POSTs too, and those are no
// rejection.
func (p *policy) reportActual(c *gin.Context, v *verdict) {
	if v.stacked {
		p.log(c, slog.LevelWarn, logKey{stacked: true}, "gincors: another CORS middleware already set headers on this response; stacked policies let the outer one's answer reach these routes: use gincors.ByPath for per-path policies",
			slog.String("path", truncate(c.Request.URL.Path, 256)))
	}
	if v.reason == 0 || c.Request.Header.Get(headerSecFetchSite) == "same-origin" {
		return
	}
	p.report(c, v)
}

// report hands the rejection of v to OnRejected, every time, and to the
// log.
func (p *policy) report(c *gin.Context, v *verdict) {
	r := p.rejection(v)
	if p.onRejected != nil {
		p.onRejected(c, r)
	}
	attrs := make([]slog.Attr, 0, 7)
	attrs = append(attrs, slog.String("reason", r.Reason.String()), slog.Bool("preflight", r.Preflight), slog.String("origin", r.Origin))
	if r.Method != "" {
		attrs = append(attrs, slog.String("method", r.Method))
	}
	if r.Header != "" {
		attrs = append(attrs, slog.String("header", r.Header))
	}
	attrs = append(attrs, slog.String("path", truncate(c.Request.URL.Path, 256)), slog.String("fix", r.Hint))
	p.log(c, rejectionLevel(r), logKey{reason: r.Reason, preflight: r.Preflight, origin: r.Origin}, "gincors: CORS request refused", attrs...)
}

// rejectionLevel is the level a rejection is logged at, by what an
// operator can do about it:
//   - WARN: a preflight from an allowed origin refused for its method or a
//     header. A page the policy trusts is failing: the policy or the page
//     needs a fix.
//   - INFO: a preflight from an origin not allowed. Some page tried a
//     call it cannot make; if it is one of yours, its origin is missing.
//   - DEBUG: an actual request from an origin not allowed, and a malformed
//     request. The first is not blocked (the browser only keeps the page
//     from reading the response), and every form post or link from
//     another site produces one; the second is not from a browser.
func rejectionLevel(r Rejection) slog.Level {
	switch {
	case r.Reason == ReasonMalformed || !r.Preflight:
		return slog.LevelDebug
	case r.Reason == ReasonOrigin:
		return slog.LevelInfo
	}
	return slog.LevelWarn
}

// log writes one record. In debug mode every record is written, at INFO
// at least, to Logger or slog.Default(): a developer setting CORS up wants
// to see each one. Otherwise, to Logger only, the first record of each
// kind and origin is written, then at most one a minute with the count of
// those left out, so that a steady stream of refusals from one origin
// cannot flood the log nor hide another origin's first one; and at most
// maxLogRecords a minute in all, so that a stream of distinct origins
// cannot flood it either.
func (p *policy) log(c *gin.Context, level slog.Level, key logKey, msg string, attrs ...slog.Attr) {
	logger := p.logger
	if p.debug {
		if logger == nil {
			logger = slog.Default()
		}
		level = max(level, slog.LevelInfo)
	} else if logger != nil {
		ok, left, othersLeft := p.logLimit.allow(key, time.Now())
		if !ok {
			return
		}
		if left > 0 {
			attrs = append(attrs, slog.Int("left_out", left))
		}
		if othersLeft > 0 {
			attrs = append(attrs, slog.Int("left_out_other_origins", othersLeft))
		}
	}
	if logger == nil || !logger.Enabled(c.Request.Context(), level) {
		return
	}
	logger.LogAttrs(c.Request.Context(), level, msg, attrs...)
}

// logKey is what log records are limited by.
type logKey struct {
	reason    Reason
	preflight bool
	stacked   bool
	origin    string
}

// logLimiter lets through the first record of each key, then one a
// minute, counting those it holds back. It remembers at most maxLogKeys
// keys, and forgets them all when full, so hostile origins cost bounded
// memory and at worst let a few more records through.
type logLimiter struct {
	mu   sync.Mutex
	keys map[logKey]logWindow
	// all counts the records let through in the current window, whatever
	// their key, so that a stream of distinct origins cannot flood the log
	// either; all.left counts those held back for that reason alone.
	all logWindow
}

type logWindow struct {
	start time.Time
	left  int // records held back since start
	n     int // records let through since start (for all)
}

const (
	maxLogKeys     = 1024
	maxLogRecords  = 100 // per window, all keys together
	logLimitWindow = time.Minute
)

// allow reports whether the record of key k may be written at now, and if
// so how many of k's records were held back before it, and how many of
// other keys' first records the budget for all keys held back.
func (l *logLimiter) allow(k logKey, now time.Time) (ok bool, leftOut, othersLeftOut int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w, seen := l.keys[k]
	if seen && now.Sub(w.start) < logLimitWindow {
		w.left++
		l.keys[k] = w
		return false, 0, 0
	}
	if now.Sub(l.all.start) >= logLimitWindow {
		othersLeftOut = l.all.left
		l.all = logWindow{start: now}
	}
	if l.all.n >= maxLogRecords {
		l.all.left++
		return false, 0, 0
	}
	l.all.n++
	if l.keys == nil || len(l.keys) >= maxLogKeys && !seen {
		l.keys = make(map[logKey]logWindow)
	}
	l.keys[k] = logWindow{start: now}
	return true, w.left, othersLeftOut
}

// truncate shortens a request-derived string for a report, so that a
// hostile header cannot make a log record of its own size.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
