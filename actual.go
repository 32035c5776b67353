package gincors

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// actual handles a request that is not a preflight. It only adds headers,
// before calling the next handler so that they are present even if that
// handler fails or panics, and never refuses the request: the browser
// performs the CORS check on the response
// (https://fetch.spec.whatwg.org/#cors-check).
func (p *policy) actual(c *gin.Context, origins []string) {
	var v verdict
	p.decideActual(c, origins, &v)
	p.writeActual(c.Writer.Header(), &v)
	if p.reports && (v.reason != 0 || v.stacked) {
		p.reportActual(c, &v)
	}
	c.Next()
}

// nonCORS handles a request without Origin. It is not a CORS request, so
// there is nothing to decide or report, but the response must still say
// that it varies on Origin (RFC 9110 §12.5.5, https://www.rfc-editor.org/rfc/rfc9110#section-12.5.5), or a shared cache could
// serve it to a cross-origin request; with AllowOrigins "*" it carries the
// same headers as any other.
func (p *policy) nonCORS(c *gin.Context) {
	h := c.Writer.Header()
	if p.origins.allowAll {
		p.writeAnyOrigin(h)
	} else {
		vals := newValues(1)
		addVary(h, &vals, p.varyActual)
	}
	c.Next()
}

// decideActual decides an actual request from its Origin lines (at least
// one), into v.
func (p *policy) decideActual(c *gin.Context, origins []string, v *verdict) {
	if p.debug {
		v.stacked = corsAlreadySet(c.Writer.Header())
	}
	switch {
	case p.origins.allowAll:
		// The answer does not depend on the origin.
		v.originAllowed = true
	case len(origins) > 1:
		// Browsers send exactly one Origin line.
		v.reason, v.malformed = ReasonMalformed, "several Origin header lines"
	case p.origins.allows(c, origins[0]):
		v.origin, v.originAllowed = origins[0], true
	default:
		v.origin, v.reason = origins[0], ReasonOrigin
	}
}

// writeActual sets the headers of the response to an actual request
// (https://fetch.spec.whatwg.org/#http-responses).
func (p *policy) writeActual(h http.Header, v *verdict) {
	if p.origins.allowAll {
		p.writeAnyOrigin(h)
		return
	}
	n := 1
	if v.originAllowed {
		n += p.actualValues
	}
	vals := newValues(n)
	addVary(h, &vals, p.varyActual)
	if v.originAllowed {
		p.setActualHeaders(h, &vals, v.origin)
	}
}

// writeAnyOrigin sets the headers of a response when every origin is
// allowed: it does not depend on the origin, so it carries the same
// headers with or without one and needs no Vary.
func (p *policy) writeAnyOrigin(h http.Header) {
	vals := newValues(p.actualValues)
	p.setActualHeaders(h, &vals, "*")
}

// setActualHeaders sets the headers of a response to an allowed actual
// request, taking p.actualValues values from vals.
func (p *policy) setActualHeaders(h http.Header, vals *values, allowOrigin string) {
	h[headerAllowOrigin] = vals.reflect(allowOrigin)
	if p.credentials {
		h[headerAllowCredentials] = vals.next("true")
	}
	if p.exposeHeaders != "" {
		h[headerExposeHeaders] = vals.next(p.exposeHeaders)
	}
}
