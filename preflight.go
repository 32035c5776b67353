package gincors

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gincors/gincors/internal/fetchspec"
)

// statusPreflightRefused is the status of a refused preflight. Any status
// outside 200-299 fails a preflight
// (https://fetch.spec.whatwg.org/#cors-preflight-fetch); 403 says why without revealing
// which check failed.
const statusPreflightRefused = http.StatusForbidden

// preflight answers a CORS-preflight request (Fetch, "CORS-preflight fetch",
// https://fetch.spec.whatwg.org/#cors-preflight-fetch). An allowed preflight gets an ok
// status and the headers the browser's checks need; a refused one gets
// statusPreflightRefused and no CORS header at all, so it reveals nothing of
// the policy (in debug mode, see writeDebugPreflight). Either way the route
// handler does not run, unless OptionsPassthrough is set.
func (p *policy) preflight(c *gin.Context, origins, methods []string) {
	v := verdict{preflight: true}
	p.decidePreflight(c, origins, methods, &v)
	status := statusPreflightRefused
	switch {
	case v.reason == 0:
		p.writePreflight(c.Writer.Header(), &v)
		status = p.successStatus
	case p.debug && v.originAllowed && v.reason != ReasonMalformed:
		p.writeDebugPreflight(c.Writer.Header(), &v)
		status = p.successStatus
	}
	if p.reports && v.reason != 0 {
		p.report(c, &v)
	}
	if p.passthrough {
		c.Next()
		return
	}
	c.AbortWithStatus(status)
}

// decidePreflight checks a preflight's origin, method and headers, in that
// order, into v, stopping at the first refusal so that a request from an
// origin not allowed costs no header parsing, and then notes whether it
// asks for private network access, if the policy grants it.
func (p *policy) decidePreflight(c *gin.Context, origins, methods []string, v *verdict) {
	if len(origins) != 1 {
		v.reason, v.malformed = ReasonMalformed, "several Origin header lines"
		return
	}
	v.origin = origins[0]
	if !p.origins.allows(c, v.origin) {
		v.reason = ReasonOrigin
		return
	}
	v.originAllowed = true
	if len(methods) != 1 {
		v.reason, v.malformed = ReasonMalformed, "several Access-Control-Request-Method lines"
		return
	}
	v.method = methods[0]
	// A method found in the list is a token; only others need the check.
	if allowed := p.allowMethod(v.method); !allowed || p.anyMethod {
		if len(v.method) > maxMethodLength || !fetchspec.IsToken(v.method) {
			v.reason, v.malformed = ReasonMalformed, "Access-Control-Request-Method is not a method name of at most 64 bytes"
			return
		}
		if !allowed {
			v.reason = ReasonMethod
			return
		}
	}
	h := c.Request.Header
	v.requestHeaders = h[headerRequestHeaders]
	var check headerCheck
	v.asked, v.header, check = p.readRequestHeaders(v.requestHeaders)
	switch check {
	case headerRefused:
		v.reason = ReasonHeader
	case headersMalformed:
		v.reason, v.malformed = ReasonMalformed, malformedRequestHeaders
		return
	default:
		// Only a policy that grants private network access reads the
		// request for it. Without AllowPrivateNetwork the answer lacks
		// Access-Control-Allow-Private-Network, and a browser that asked
		// fails the preflight for that alone (the draft,
		// wicg.github.io/private-network-access/#headers; Chrome's "No
		// 'Access-Control-Allow-Private-Network' header was present in the
		// preflight response"). No browser current in 2026 asks: Chrome
		// replaced these preflights with a permission prompt.
		if p.privateNetwork {
			v.privateNetwork = wantsPrivateNetwork(h[headerRequestPrivateNetwork])
		}
	}
	if p.debug && v.reason != 0 {
		v.debugHeaders = p.allowedRequestHeaders(v.requestHeaders)
	}
}

// allowedRequestHeaders lists, lower-cased and comma-separated, the names
// in a preflight's Access-Control-Request-Headers that p allows, reading at
// most as many elements as a valid list may have (checkRequestHeaders
// stopped at the refused name, so the rest was never bounded); malformed
// elements are skipped.
func (p *policy) allowedRequestHeaders(lines []string) string {
	var allowed []string
	elements := 0
	for _, line := range lines {
		for line != "" && elements <= p.maxRequestHeaders {
			elements++
			name, rest, _ := strings.Cut(line, ",")
			line = rest
			name = strings.ToLower(strings.Trim(name, " \t"))
			if name != "" && len(name) <= p.longestRequestHeader && fetchspec.IsToken(name) && p.allowHeader(name, false) {
				allowed = append(allowed, name)
			}
		}
	}
	return strings.Join(allowed, ",")
}

// wantsPrivateNetwork reports whether a preflight asks for private network
// access (the legacy Private Network Access draft,
// wicg.github.io/private-network-access/#headers).
func wantsPrivateNetwork(values []string) bool {
	return len(values) == 1 && values[0] == "true"
}

// allowMethod reports whether a preflight may ask for method m (with
// AllowMethods "*", if it is a token), which is compared byte for byte
// (https://fetch.spec.whatwg.org/#cors-preflight-fetch: browsers have already
// normalised the six methods that fetch() upper-cases).
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

// requestedHeaders summarises a preflight's Access-Control-Request-Headers.
type requestedHeaders struct {
	lines    int    // field lines that name at least one header
	lastLine string // the last such line
}

// nameByteClass classifies the bytes of a header name: 0 for a byte that
// is not a token character (RFC 9110 §5.6.2, https://www.rfc-editor.org/rfc/rfc9110#section-5.6.2), else nameByteLower, or
// nameByteUpper for an upper-case letter.
var nameByteClass = func() (t [256]byte) {
	for c := 0; c < 256; c++ {
		switch {
		case 'A' <= c && c <= 'Z':
			t[c] = nameByteUpper
		case fetchspec.IsTokenChar(byte(c)):
			t[c] = nameByteLower
		}
	}
	return t
}()

const (
	nameByteLower = 1 << iota
	nameByteUpper
)

// readRequestHeaders is checkRequestHeaders behind two shortcuts for the
// one line browsers send: the memo of lines found allowed before (a page
// sends the same list for the same call), then, for a line seen for the
// first time, listsAllowedNames. A line either allows is remembered.
func (p *policy) readRequestHeaders(lines []string) (requestedHeaders, string, headerCheck) {
	if len(lines) == 1 {
		line := lines[0]
		if p.headerMemo.Has(line) {
			return requestedHeaders{lines: 1, lastLine: line}, "", headersAllowed
		}
		if p.listsAllowedNames(line) {
			p.headerMemo.Add(line)
			return requestedHeaders{lines: 1, lastLine: line}, "", headersAllowed
		}
	}
	asked, refused, check := p.checkRequestHeaders(lines)
	if check == headersAllowed && len(lines) == 1 && asked.lines == 1 {
		p.headerMemo.Add(lines[0])
	}
	return asked, refused, check
}

// listsAllowedNames reports whether line is a list in the form browsers
// send, names separated by single commas, of allowed names only: that is,
// of at most p.maxRequestHeaders elements each equal to a name in
// p.headers. Such a line is one checkRequestHeaders allows, since every
// allowed name is a lower-case token no longer than the longest allowed
// one, so it is recognised by comparisons alone, without reading each
// byte. False means only "not shown": whitespace, an empty element, an
// upper-case letter, a name allowed by "*" or a name not allowed all leave
// the line to the full check.
//
// Browsers lower-case and sort the names
// (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names), so the name
// after an allowed one is often the next in p.sortedHeaders: that one is
// tried first, by comparing the line's prefix with it, and only otherwise
// is the name cut at its comma and looked up.
func (p *policy) listsAllowedNames(line string) bool {
	sorted, next := p.sortedHeaders, 0
	for names := 1; names <= p.maxRequestHeaders; names++ {
		if next < len(sorted) {
			if want := sorted[next]; strings.HasPrefix(line, want) {
				if len(line) == len(want) {
					return true
				}
				if line[len(want)] == ',' {
					line = line[len(want)+1:]
					next++
					continue
				}
			}
		}
		// The comma is looked for no further than one byte past the
		// longest allowed name, and Index refuses a longer string before
		// hashing it, so a long element costs no more than a short one.
		comma := strings.IndexByte(line[:min(len(line), p.longestHeader+1)], ',')
		if comma < 0 {
			return p.headers.Has(line)
		}
		position := p.headers.Index(line[:comma])
		if position < 0 {
			return false
		}
		line, next = line[comma+1:], position+1
	}
	return false
}

// headerCheck is the outcome of checkRequestHeaders.
type headerCheck uint8

const (
	headersAllowed   headerCheck = iota
	headerRefused                // a well-formed name that is not allowed
	headersMalformed             // not a list of tokens, or beyond the bounds
)

// checkRequestHeaders reads the Access-Control-Request-Headers field lines
// and reports whether every name in them is allowed, and if one is not, the
// first such name. The field is a comma-separated list that may span
// several lines (RFC 9110 §5.3, https://www.rfc-editor.org/rfc/rfc9110#section-5.3); empty elements and whitespace around names
// are ignored (RFC 9110 §5.6.1, https://www.rfc-editor.org/rfc/rfc9110#section-5.6.1), names are case-insensitive, and anything
// that is not a list of tokens is malformed. Nothing is allocated, and the
// work is bounded whatever the field's size: more than p.maxRequestHeaders
// names or lines, a name longer than any allowed one, or more separators
// than a list of that many names needs (a comma and some spaces each) stop
// the scan at once. Browsers send "a,b,c".
func (p *policy) checkRequestHeaders(lines []string) (asked requestedHeaders, refused string, check headerCheck) {
	if len(lines) > p.maxRequestHeaders {
		return asked, "", headersMalformed
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
					return asked, "", headersMalformed
				}
				i++
				continue
			}
			if afterName {
				return asked, "", headersMalformed // two names without a comma between them
			}
			// Scan the name, one table lookup per byte, never further
			// than one byte past the longest name accepted.
			start, classes := i, byte(0)
			for end := min(len(line), i+maxRequestHeaderNameLength+1); i < end; i++ {
				k := nameByteClass[line[i]]
				if k == 0 {
					break
				}
				classes |= k
			}
			if i-start > maxRequestHeaderNameLength {
				return asked, "", headersMalformed
			}
			upper := classes&nameByteUpper != 0
			if start == i {
				return asked, "", headersMalformed // a byte that starts neither a name nor a separator
			}
			names++
			if names > p.maxRequestHeaders {
				return asked, "", headersMalformed
			}
			// A name longer than any allowed one needs no lookup.
			if i-start > p.longestRequestHeader || !p.allowHeader(line[start:i], upper) {
				return asked, line[start:i], headerRefused
			}
			afterName = true
		}
		if names > namesBefore {
			asked.lines++
			asked.lastLine = line
		}
	}
	return asked, "", headersAllowed
}

// Bounds on Access-Control-Request-Headers beyond maxRequestHeaderNames:
// separators (commas, spaces, tabs) allowed per name and in all, and the
// longest name "*" accepts.
const (
	maxSeparatorsPerName       = 3
	maxSeparatorSlack          = 16
	maxRequestHeaderNameLength = 256
)

// allowHeader reports whether the header name, a token, is allowed. hasUpper
// tells whether name has upper-case letters: browsers send names lower-cased
// (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names), so the common path
// looks name up as it is.
func (p *policy) allowHeader(name string, hasUpper bool) bool {
	if hasUpper {
		return p.allowHeaderFolded(name)
	}
	if p.anyHeader && name != "authorization" {
		// As for methods: with credentials the names are reflected.
		return !(p.credentials && name == "*")
	}
	// "*" never covers Authorization
	// (https://fetch.spec.whatwg.org/#http-new-header-syntax, the
	// Access-Control-Allow-Headers row of the table).
	return p.headers.Has(name)
}

// allowHeaderFolded is allowHeader for a name with upper-case letters,
// lower-cased on the stack.
func (p *policy) allowHeaderFolded(name string) bool {
	if len(name) == len("authorization") && strings.EqualFold(name, "authorization") {
		return p.headers.Has("authorization")
	}
	if p.anyHeader {
		return true
	}
	if len(name) > p.longestHeader {
		return false
	}
	// No allowed name is longer than maxRequestHeaderNameLength (compile
	// refuses one), so the buffer holds any name that got this far.
	var buf [maxRequestHeaderNameLength]byte
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	// A map index by string(bytes) is the one lookup Go does without
	// converting, so the folded name never allocates.
	_, ok := p.foldedHeaders[string(buf[:len(name)])]
	return ok
}

// writePreflight sets the headers of an allowed preflight's response
// (https://fetch.spec.whatwg.org/#http-responses): the origin, and the allowed methods
// and headers as compile prepared them.
func (p *policy) writePreflight(h http.Header, pr *verdict) {
	n := p.preflightValues
	if pr.privateNetwork {
		n++
	}
	v := newValues(n)

	if p.origins.allowAll {
		h[headerAllowOrigin] = v.next("*")
	} else {
		h[headerAllowOrigin] = v.reflect(pr.origin)
	}
	if p.credentials {
		h[headerAllowCredentials] = v.next("true")
	}

	// The allowed methods and headers are listed whole (see
	// compileMethods). "*" is a wildcard only without credentials
	// (https://fetch.spec.whatwg.org/#cors-protocol-and-credentials), so with
	// credentials a wildcard policy reflects what was asked.
	switch {
	case p.allowMethods != "":
		h[headerAllowMethods] = v.next(p.allowMethods)
	case p.anyMethod:
		h[headerAllowMethods] = v.reflect(pr.method)
	}
	switch {
	case p.allowHeaders != "":
		h[headerAllowHeaders] = v.next(p.allowHeaders)
	case !p.anyHeader || pr.asked.lines == 0:
	case pr.asked.lines == 1:
		h[headerAllowHeaders] = v.reflect(pr.asked.lastLine)
	default:
		// Split by an intermediary: rare, so simply copied.
		reflected := make([]string, 0, pr.asked.lines)
		for _, line := range pr.requestHeaders {
			if lineHasName(line) {
				reflected = append(reflected, line)
			}
		}
		h[headerAllowHeaders] = reflected
	}

	if p.maxAge != "" {
		h[headerMaxAge] = v.next(p.maxAge)
	}
	if pr.privateNetwork {
		h[headerAllowPrivateNetwork] = v.next("true")
	}
}

// lineHasName reports whether a field line of a valid list names at least
// one header, that is, holds more than separators.
func lineHasName(line string) bool {
	return strings.Trim(line, " \t,") != ""
}
