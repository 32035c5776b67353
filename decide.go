package gincors

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gincors/gincors/internal/fetchspec"
)

// Deciding: the verdict on one request, from the compiled policy and the
// request's headers, before anything is written.

// decidePreflight checks a preflight's origin, method and headers, in that
// order, into v, stopping at the first refusal so that a request from an
// origin not allowed costs no header parsing (Fetch, "CORS-preflight
// fetch", https://fetch.spec.whatwg.org/#cors-preflight-fetch).
func (p *policy) decidePreflight(c *gin.Context, origins, methods []string, v *verdict) {
	v.preflight = true
	if len(origins) != 1 {
		v.reason, v.malformed = ReasonMalformed, malformedOrigins
		return
	}
	v.origin = origins[0]
	if !p.origins.allows(c, v.origin) {
		v.reason = ReasonOrigin
		return
	}
	v.originAllowed = true
	if len(methods) != 1 {
		v.reason, v.malformed = ReasonMalformed, malformedMethods
		return
	}
	v.method = methods[0]
	// A method found in the list is a token; only others need the check.
	if allowed := p.allowMethod(v.method); !allowed || p.anyMethod {
		if len(v.method) > maxMethodLength || !fetchspec.IsToken(v.method) {
			v.reason, v.malformed = ReasonMalformed, malformedMethod
			return
		}
		if !allowed {
			v.reason = ReasonMethod
			return
		}
	}
	h := c.Request.Header
	v.requestHeaders = h[headerRequestHeaders]
	p.checkRequestHeaders(v)
	// Only a policy that grants private network access reads the request
	// for it; without it the answer lacks the header, and a browser that
	// asked fails the preflight for that alone (the legacy draft,
	// https://wicg.github.io/private-network-access/#headers).
	if v.reason == 0 && p.privateNetwork {
		values := h[headerRequestPrivateNetwork]
		v.privateNetwork = len(values) == 1 && values[0] == "true"
	}
}

// allowMethod reports whether a preflight may ask for method m (with
// AllowMethods "*", if it is a token), which is compared byte for byte:
// browsers have already normalised the six methods that fetch()
// upper-cases (https://fetch.spec.whatwg.org/#concept-method-normalize).
func (p *policy) allowMethod(m string) bool {
	if fetchspec.IsSafelistedMethod(m) {
		return true
	}
	if p.anyMethod {
		// With credentials the method is reflected, and a reflected "*"
		// would read as the wildcard it is not.
		return !(p.credentials && m == "*")
	}
	return slices.Contains(p.methods, m)
}

// checkRequestHeaders decides the preflight's Access-Control-Request-Headers
// into v: allowed (v.asked summarises it for the answer), refused for its
// first name that is not allowed, or malformed. A single line found allowed
// before is recognised by the memo. In debug mode the list is read on past
// a refused name, to collect the allowed names the debug answer lists.
func (p *policy) checkRequestHeaders(v *verdict) {
	lines := v.requestHeaders
	if len(lines) == 1 && p.headerMemo.has(lines[0]) {
		v.asked = requestedHeaders{lines: 1, lastLine: lines[0]}
		return
	}
	var allowed []string // in debug mode only
	asked, wellFormed := scanHeaderNames(lines, p.maxRequestHeaders, func(name string, upper bool) bool {
		if p.allowHeader(name, upper) {
			if p.debug {
				allowed = append(allowed, strings.ToLower(name))
			}
			return true
		}
		if v.header == "" {
			v.header = name
		}
		return p.debug
	})
	switch {
	case v.header != "":
		v.reason, v.debugHeaders = ReasonHeader, strings.Join(allowed, ",")
	case !wellFormed:
		v.reason, v.malformed = ReasonMalformed, malformedRequestHeaders
	default:
		v.asked = asked
		if len(lines) == 1 && asked.lines == 1 {
			p.headerMemo.add(lines[0])
		}
	}
}

// scanHeaderNames is the one reading of Access-Control-Request-Headers.
// The field is a comma-separated list of header names that may span
// several lines (RFC 9110 §5.3,
// https://www.rfc-editor.org/rfc/rfc9110#section-5.3); empty elements and
// whitespace around names are ignored (§5.6.1), and anything that is not a
// list of tokens is malformed. It calls name for each name, in order (with
// whether it has an upper-case letter), until name returns false, and reports which lines named something and whether
// the field is well formed within the bounds: more than maxNames names or
// lines, a name longer than maxRequestHeaderNameLength, or more separators
// than a list of that many names needs stop the scan at once, so the work
// is bounded whatever the field's size. Nothing is allocated. Browsers send
// "a,b,c".
func scanHeaderNames(lines []string, maxNames int, name func(name string, upper bool) bool) (asked requestedHeaders, wellFormed bool) {
	if len(lines) > maxNames {
		return asked, false
	}
	names, separators := 0, 0
	for _, line := range lines {
		namesBefore, afterName := names, false
		for i := 0; i < len(line); {
			switch line[i] {
			case ',':
				afterName = false
				fallthrough
			case ' ', '\t':
				separators++
				if separators > maxSeparatorSlack+maxSeparatorsPerName*(names+1) {
					return asked, false
				}
				i++
				continue
			}
			if afterName {
				return asked, false // two names without a comma between them
			}
			start, classes := i, uint8(0)
			for end := min(len(line), i+maxRequestHeaderNameLength+1); i < end; i++ {
				k := nameByteClass[line[i]]
				if k == 0 {
					break
				}
				classes |= k
			}
			if i == start || i-start > maxRequestHeaderNameLength {
				return asked, false // a byte that starts neither a name nor a separator, or a name too long
			}
			if names++; names > maxNames {
				return asked, false
			}
			if !name(line[start:i], classes&upperNameByte != 0) {
				return asked, true
			}
			afterName = true
		}
		if names > namesBefore {
			asked.lines++
			asked.lastLine = line
		}
	}
	return asked, true
}

// nameByteClass classifies the bytes of a header name: 0 for a byte that is
// not a token character (RFC 9110 §5.6.2), else tokenNameByte, with
// upperNameByte for an upper-case letter.
var nameByteClass = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case 'A' <= c && c <= 'Z':
			t[c] = tokenNameByte | upperNameByte
		case fetchspec.IsTokenChar(byte(c)):
			t[c] = tokenNameByte
		}
	}
	return t
}()

const (
	tokenNameByte uint8 = 1 << iota
	upperNameByte
)

// allowHeader reports whether the header name, a token of at most
// maxRequestHeaderNameLength bytes, is allowed; upper says whether it has
// an upper-case letter. Names are case-insensitive, and browsers send them
// lower-cased (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names),
// so only others are folded. "*" never covers Authorization
// (https://fetch.spec.whatwg.org/#http-access-control-allow-headers).
func (p *policy) allowHeader(name string, upper bool) bool {
	if upper {
		var buf [maxRequestHeaderNameLength]byte
		for i := 0; i < len(name); i++ {
			c := name[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[i] = c
		}
		lower := buf[:len(name)]
		if p.anyHeader && string(lower) != "authorization" {
			return true // "*" has no upper-case letter
		}
		// Indexing a map by string(bytes) does not allocate.
		_, ok := p.headers[string(lower)]
		return ok
	}
	if p.anyHeader && name != "authorization" {
		// With credentials the names are reflected, and a reflected "*"
		// would read as the wildcard it is not.
		return !(p.credentials && name == "*")
	}
	_, ok := p.headers[name]
	return ok
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
		v.reason, v.malformed = ReasonMalformed, malformedOrigins
	case p.origins.allows(c, origins[0]):
		v.origin, v.originAllowed = origins[0], true
	default:
		v.origin, v.reason = origins[0], ReasonOrigin
	}
}

// corsAlreadySet reports whether a CORS middleware has already handled
// this response: it set Access-Control-Allow-Origin, or Vary: Origin.
func corsAlreadySet(h http.Header) bool {
	return len(h[headerAllowOrigin]) > 0 || listContains(h[headerVary], headerOrigin)
}
