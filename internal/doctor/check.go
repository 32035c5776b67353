package doctor

import (
	"net/http"
	"strconv"
	"strings"
)

// Stages a call fails at.
const (
	StagePreflight = "preflight"
	StageActual    = "actual"
	StageRedirect  = "redirect"
)

// hop is one response of the actual request's chain: the request's URL,
// the Origin it carried (null after a cross-origin redirect) and the
// answer.
type hop struct {
	url    string
	origin string
	status int
	header http.Header
}

// isRedirect reports whether the hop is a redirect the browser follows.
func (h hop) isRedirect() bool {
	return isRedirectStatus(h.status) && h.header.Get("Location") != ""
}

func isRedirectStatus(s int) bool {
	return s == 301 || s == 302 || s == 303 || s == 307 || s == 308
}

// Verdict is what one engine does with the call.
type Verdict struct {
	Engine  string `json:"engine"`
	Allowed bool   `json:"allowed"`
	// Stage is where the call failed: preflight, actual or redirect.
	Stage string `json:"stage,omitempty"`
	// Failure is the model's name for the check that failed.
	Failure Failure `json:"failure,omitempty"`
	// Console is the message the engine's console prints.
	Console string `json:"console,omitempty"`
	// PreflightCacheSeconds is how long the engine caches the preflight
	// answer (0 without a preflight, or when it is not cached).
	PreflightCacheSeconds int `json:"preflight_cache_seconds"`
	// Warnings are console warnings of an allowed call.
	Warnings []string `json:"warnings,omitempty"`
}

// accessCheck is the engine's CORS check of a response
// (https://fetch.spec.whatwg.org/#cors-check) with its own way of telling
// the failures apart. It returns "" when the response passes, and the
// header value the message quotes.
func (e *Engine) accessCheck(h http.Header, origin string, credentials bool) (Failure, string) {
	lines := h.Values("Access-Control-Allow-Origin")
	if len(lines) == 0 {
		return FailAllowOriginMissing, ""
	}
	joined := strings.Join(lines, ", ")
	switch e.Multiple {
	case MultipleIfLines:
		if len(lines) > 1 {
			return FailAllowOriginMultiple, joined
		}
		v := lines[0]
		if credentials && v == "*" {
			return FailWildcardCredentials, v
		}
		if (credentials || v != "*") && v != origin {
			return FailAllowOriginMismatch, v
		}
	case MultipleIfSeparator:
		if joined == "*" {
			if credentials {
				return FailWildcardCredentials, joined
			}
			return "", ""
		}
		if joined != origin {
			if strings.ContainsAny(joined, " ,") {
				return FailAllowOriginMultiple, joined
			}
			return FailAllowOriginMismatch, joined
		}
	case MultipleIfComma:
		if joined == "*" && !credentials {
			return "", ""
		}
		if joined != origin {
			if joined == "*" {
				return FailWildcardCredentials, joined
			}
			if strings.Contains(joined, ",") {
				return FailAllowOriginMultiple, joined
			}
			return FailAllowOriginMismatch, joined
		}
	}
	if credentials {
		if v := strings.Join(h.Values("Access-Control-Allow-Credentials"), ", "); v != "true" {
			return FailCredentialsMissing, v
		}
	}
	return "", ""
}

// preflightCheck runs the engine's checks of a preflight answer in its
// order and returns the first failure, with the value or name its
// message quotes.
func (e *Engine) preflightCheck(c Call, status int, h http.Header) (Failure, string) {
	for _, step := range e.PreflightOrder {
		switch step {
		case StepRedirect:
			if isRedirectStatus(status) {
				return FailPreflightRedirect, ""
			}
		case StepAccess:
			if f, v := e.accessCheck(h, c.Origin, c.Credentials); f != "" {
				return f, v
			}
		case StepStatus:
			if status < 200 || status > 299 {
				if isRedirectStatus(status) {
					return FailPreflightRedirect, ""
				}
				return FailPreflightStatus, ""
			}
		case StepMethod:
			if !methodAllowed(c, h) {
				return FailMethod, c.Method
			}
		case StepHeaders:
			if name := e.headerRefused(c, h); name != "" {
				return FailHeader, name
			}
		}
	}
	return "", ""
}

// listValues splits the comma-separated lists of a header's lines into
// trimmed, non-empty items.
func listValues(h http.Header, name string) []string {
	var out []string
	for _, line := range h.Values(name) {
		for _, item := range strings.Split(line, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// methodAllowed applies https://fetch.spec.whatwg.org/#cors-preflight-fetch
// step 7.5: a safelisted method, a listed one (case-sensitively), or * for
// a call without credentials.
func methodAllowed(c Call, h http.Header) bool {
	methods := listValues(h, "Access-Control-Allow-Methods")
	if contains(methods, c.Method) || c.Method == "GET" || c.Method == "HEAD" || c.Method == "POST" {
		return true
	}
	return !c.Credentials && contains(methods, "*")
}

// headerRefused returns the first of the call's unsafe header names the
// answer does not allow (step 7.6 and 7.7 of the same algorithm), with
// the engine's treatment of Authorization under *.
func (e *Engine) headerRefused(c Call, h http.Header) string {
	allowed := listValues(h, "Access-Control-Allow-Headers")
	star := !c.Credentials && contains(allowed, "*")
	for _, name := range c.unsafeHeaderNames() {
		if containsFold(allowed, name) {
			continue
		}
		if star && (name != "authorization" || e.WildcardCoversAuthorization) {
			continue
		}
		return name
	}
	return ""
}

// authorizationUnderWildcard reports whether the call's Authorization
// header passes only because of * in Access-Control-Allow-Headers.
func authorizationUnderWildcard(c Call, h http.Header) bool {
	if !c.hasHeader("Authorization") || c.Credentials {
		return false
	}
	allowed := listValues(h, "Access-Control-Allow-Headers")
	return contains(allowed, "*") && !containsFold(allowed, "authorization")
}

// cacheSeconds is how long the engine caches a preflight answer.
func (e *Engine) cacheSeconds(h http.Header) int {
	v := h.Get("Access-Control-Max-Age")
	if v == "" {
		return e.DefaultMaxAge
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return e.DefaultMaxAge
	}
	return min(n, e.MaxAgeCap)
}

// console words a failure in the engine's console.
func (e *Engine) console(f Failure, stage, url, origin, value string, status int) string {
	reason := e.Reasons[f]
	r := strings.NewReplacer("{value}", value, "{status}", strconv.Itoa(status),
		"{method}", value, "{header}", value, "{origin}", origin, "{url}", url)
	reason = r.Replace(reason)
	if stage == StagePreflight && e.PreflightAccess != "" {
		switch f {
		case FailAllowOriginMissing, FailAllowOriginMultiple, FailAllowOriginMismatch, FailWildcardCredentials, FailCredentialsMissing:
			reason = strings.Replace(e.PreflightAccess, "{reason}", reason, 1)
		}
	}
	return strings.NewReplacer("{url}", url, "{origin}", origin, "{reason}", reason).Replace(e.Frame)
}

// judge is the engine's verdict on a call, given the preflight's answer
// (nil if none was needed) and the actual request's chain of answers
// (nil if it cannot be known).
func (e *Engine) judge(c Call, pre *Exchange, hops []hop) Verdict {
	v := Verdict{Engine: e.ID, Allowed: true}
	if pre != nil {
		h := pre.header()
		if f, val := e.preflightCheck(c, pre.Status, h); f != "" {
			v.Allowed, v.Stage, v.Failure = false, StagePreflight, f
			v.Console = e.console(f, StagePreflight, c.URL, c.Origin, val, pre.Status)
			return v
		}
		v.PreflightCacheSeconds = e.cacheSeconds(h)
		if e.WarnsAuthorizationWildcard && authorizationUnderWildcard(c, h) {
			v.Warnings = append(v.Warnings, "* in Access-Control-Allow-Headers will stop covering Authorization")
		}
	}
	for _, hp := range hops {
		if f, val := e.accessCheck(hp.header, hp.origin, c.Credentials); f != "" {
			stage := StageActual
			if hp.isRedirect() {
				stage = StageRedirect
			}
			v.Allowed, v.Stage, v.Failure = false, stage, f
			v.Console = e.console(f, stage, hp.url, hp.origin, val, hp.status)
			return v
		}
	}
	return v
}
