package gincors

import (
	"net/http"
	"strings"
)

// Writing: the response headers of each verdict, and nothing else.
//
// Every header value gincors sets is a []string of its own: a handler or
// an outer middleware that edits h["Vary"][0] in place must not change
// what any other response carries (peers shipped exactly that bug by
// sharing precomputed slices). A response's values come from one
// allocation of its own, so nothing on the request path is shared and
// written.

// values hands out single-element header values from one array allocated
// for the response: new([n]string) with a constant n is one small
// allocation of a fixed size class, cheaper than a slice sized at run time.
type values struct{ free []string }

// The arrays each writer takes: as many values as it may set.
func preflightValues() values { return values{new([6]string)[:]} } // Allow-Origin, -Credentials, -Methods, -Headers, Max-Age, -Private-Network
func actualValues() values    { return values{new([4]string)[:]} } // Vary, Allow-Origin, -Credentials, Expose-Headers

// next returns a header value holding s. Its capacity is its length, so an
// append by someone else copies instead of writing into the next value.
func (v *values) next(s string) []string {
	v.free[0] = s
	one := v.free[0:1:1]
	v.free = v.free[1:]
	return one
}

// writePreflight sets the headers of the answer to a preflight and returns
// its status: an allowed preflight gets an ok status and the headers the
// browser's checks need (https://fetch.spec.whatwg.org/#http-responses); a
// refused one gets statusPreflightRefused and no CORS header at all, so it
// reveals nothing of the policy, except in debug mode (writeDebugPreflight).
func (p *policy) writePreflight(h http.Header, v *verdict) int {
	switch {
	case v.reason == 0:
		p.writeAllowedPreflight(h, v)
		return p.successStatus
	case p.debug && v.originAllowed && v.reason != ReasonMalformed:
		p.writeDebugPreflight(h, v)
		return p.successStatus
	}
	return statusPreflightRefused
}

// statusPreflightRefused is the status of a refused preflight. Any status
// outside 200-299 fails a preflight
// (https://fetch.spec.whatwg.org/#cors-preflight-fetch); 403 says why
// without revealing which check failed.
const statusPreflightRefused = http.StatusForbidden

// writeAllowedPreflight sets the headers of an allowed preflight's answer:
// the origin, and the allowed methods and headers as compile prepared
// them.
func (p *policy) writeAllowedPreflight(h http.Header, v *verdict) {
	vals := preflightValues()
	if p.origins.allowAll {
		h[headerAllowOrigin] = vals.next("*")
	} else {
		h[headerAllowOrigin] = vals.next(v.origin)
	}
	if p.credentials {
		h[headerAllowCredentials] = vals.next("true")
	}
	// The allowed methods and headers are listed whole (see
	// compileMethods). "*" is a wildcard only without credentials
	// (https://fetch.spec.whatwg.org/#cors-protocol-and-credentials), so
	// with credentials a wildcard policy reflects what was asked.
	switch {
	case p.allowMethods != "":
		h[headerAllowMethods] = vals.next(p.allowMethods)
	case p.anyMethod:
		h[headerAllowMethods] = vals.next(v.method)
	}
	switch {
	case p.allowHeaders != "":
		h[headerAllowHeaders] = vals.next(p.allowHeaders)
	case !p.anyHeader || v.asked.lines == 0:
	case v.asked.lines == 1:
		h[headerAllowHeaders] = vals.next(v.asked.lastLine)
	default:
		// Split over several lines by an intermediary: rare, so the
		// lines that name something are simply copied.
		reflected := make([]string, 0, v.asked.lines)
		for _, line := range v.requestHeaders {
			if strings.Trim(line, " \t,") != "" {
				reflected = append(reflected, line)
			}
		}
		h[headerAllowHeaders] = reflected
	}
	if p.maxAge != "" {
		h[headerMaxAge] = vals.next(p.maxAge)
	}
	if v.privateNetwork {
		h[headerAllowPrivateNetwork] = vals.next("true")
	}
}

// writeDebugPreflight answers a preflight from an allowed origin that was
// refused for its method or a header, in debug mode. The answer has an ok
// status, the origin (and credentials) headers, and explicitly lists what
// is allowed, never "*", leaving the refused method or header out: a
// refused header gets the asked method and the asked headers that are
// allowed, a refused method the allowed methods. So the browser's own
// check fails on exactly that item and its console names it, instead of
// reporting a failed preflight. It never grants more than the normal
// answer: the refused item stays refused, and browsers cache nothing of a
// preflight that fails. Rare, so it allocates as it likes.
func (p *policy) writeDebugPreflight(h http.Header, v *verdict) {
	if p.origins.allowAll {
		h[headerAllowOrigin] = []string{"*"}
	} else {
		h[headerAllowOrigin] = []string{v.origin}
	}
	if p.credentials {
		h[headerAllowCredentials] = []string{"true"}
	}
	if v.reason == ReasonMethod {
		// A missing Access-Control-Allow-Methods would let the refused
		// method through for a request whose use-CORS-preflight flag is
		// set (https://fetch.spec.whatwg.org/#cors-preflight-fetch: "If
		// methods is null and request's use-CORS-preflight flag is set"),
		// so the answer lists what is allowed, which excludes it.
		h[headerAllowMethods] = []string{p.debugMethods}
		return
	}
	h[headerAllowMethods] = []string{v.method}
	if v.debugHeaders != "" {
		h[headerAllowHeaders] = []string{v.debugHeaders}
	}
}

// writeActual sets the headers of the response to an actual request
// (https://fetch.spec.whatwg.org/#http-responses), and to a request
// without Origin, whose response must still say that it varies on Origin
// (RFC 9110 §12.5.5, https://www.rfc-editor.org/rfc/rfc9110#section-12.5.5),
// or a shared cache could serve it to a cross-origin request. When every
// origin is allowed the response does not depend on the origin: it carries
// the same headers with or without one, and no Vary.
func (p *policy) writeActual(h http.Header, v *verdict) {
	if !p.origins.allowAll && !v.originAllowed {
		addVaryOrigin(h, nil)
		return
	}
	vals := actualValues()
	allowOrigin := "*"
	if !p.origins.allowAll {
		addVaryOrigin(h, &vals)
		allowOrigin = v.origin
	}
	h[headerAllowOrigin] = vals.next(allowOrigin)
	if p.credentials {
		h[headerAllowCredentials] = vals.next("true")
	}
	if p.exposeHeaders != "" {
		h[headerExposeHeaders] = vals.next(p.exposeHeaders)
	}
}

// addVaryOrigin adds Origin to h's Vary header (RFC 9110 §12.5.5). It
// keeps every value already there, and adds nothing if Vary already lists
// Origin or is "*". Merging with a Vary set by someone else copies it:
// its spare capacity may belong to whoever set it. Without vals, a value
// of its own is allocated only if one is needed.
func addVaryOrigin(h http.Header, vals *values) {
	existing := h[headerVary]
	switch {
	case len(existing) == 0 && vals == nil:
		h[headerVary] = []string{headerOrigin}
	case len(existing) == 0:
		h[headerVary] = vals.next(headerOrigin)
	case listContains(existing, "*") || listContains(existing, headerOrigin):
	default:
		merged := make([]string, len(existing)+1)
		copy(merged, existing)
		merged[len(existing)] = headerOrigin
		h[headerVary] = merged
	}
}
