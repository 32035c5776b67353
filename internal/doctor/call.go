package doctor

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/gincors/gincors/internal/fetchspec"
)

// Header is one request header the page's script sets.
type Header struct {
	Name, Value string
}

// Call is the cross-origin call a page makes, as its script writes it.
type Call struct {
	// URL is the absolute http or https URL the script fetches.
	URL string
	// Origin is the page's origin, such as https://app.example.com.
	Origin string
	// Method is the request method, as the script passes it; fetch()
	// normalises the six methods DELETE, GET, HEAD, OPTIONS, POST and PUT.
	Method string
	// Headers are the headers the script sets.
	Headers []Header
	// Credentials says the script sends credentials
	// (credentials: 'include', withCredentials).
	Credentials bool
	// ReadHeaders are the response headers the script reads.
	ReadHeaders []string
}

// ErrUsage is wrapped by the errors of a call the tool cannot make: a bad
// URL, origin, method or header.
var ErrUsage = errors.New("usage")

func usageErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUsage, fmt.Sprintf(format, args...))
}

// normalize checks c and returns it as a browser would send it: the
// method normalised, the origin checked to be a serialised origin.
func (c Call) normalize() (Call, error) {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, usageErr("URL %q is not an absolute http or https URL", c.URL)
	}
	if u.User != nil {
		return c, usageErr("URL %q holds credentials, which fetch() refuses", c.URL)
	}
	u.Fragment = ""
	c.URL = u.String()
	if c.Origin == "" {
		return c, usageErr("-origin is required: the origin of the page that makes the call")
	}
	if !validOrigin(c.Origin) {
		return c, usageErr("origin %q is not an origin: scheme://host[:port], lower-case, without a path or a trailing slash (or null)", c.Origin)
	}
	if c.Method == "" {
		c.Method = "GET"
	}
	if !fetchspec.IsToken(c.Method) || fetchspec.IsForbiddenMethod(c.Method) {
		return c, usageErr("method %q is not one a page can send", c.Method)
	}
	c.Method = fetchspec.NormalizeMethod(c.Method)
	for _, h := range c.Headers {
		if !fetchspec.IsToken(h.Name) {
			return c, usageErr("header name %q is not a token", h.Name)
		}
		if fetchspec.IsForbiddenRequestHeader(h.Name) {
			return c, usageErr("a page's script cannot set %s (a forbidden request header); the browser sets it", h.Name)
		}
	}
	for _, n := range c.ReadHeaders {
		if !fetchspec.IsToken(n) {
			return c, usageErr("header name %q is not a token", n)
		}
	}
	return c, nil
}

// validOrigin reports whether s is a serialised origin: "null", or
// scheme://host[:port] with a lower-case scheme and host and no path.
func validOrigin(s string) bool {
	if s == "null" {
		return true
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil || u.Opaque != "" {
		return false
	}
	if u.Scheme != strings.ToLower(u.Scheme) || u.Host != strings.ToLower(u.Host) {
		return false
	}
	return u.Scheme+"://"+u.Host == s
}

// unsafeHeaderNames are the names, lower-case, sorted and without
// duplicates, of the headers that are not CORS-safelisted
// (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names).
func (c Call) unsafeHeaderNames() []string {
	var names []string
	total := 0
	for _, h := range c.Headers {
		if fetchspec.IsSafelistedRequestHeader(h.Name, h.Value) {
			total += len(h.Value)
			continue
		}
		names = append(names, strings.ToLower(h.Name))
	}
	// Safelisted values beyond 1024 bytes in total make them all unsafe.
	if total > 1024 {
		names = names[:0]
		for _, h := range c.Headers {
			names = append(names, strings.ToLower(h.Name))
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// NeedsPreflight reports whether a browser sends a preflight before c
// (https://fetch.spec.whatwg.org/#main-fetch, step 11 and
// https://fetch.spec.whatwg.org/#cors-preflight-fetch-0).
func (c Call) NeedsPreflight() bool {
	return !fetchspec.IsSafelistedMethod(c.Method) || len(c.unsafeHeaderNames()) > 0
}

// requestHeadersValue is Access-Control-Request-Headers as browsers send
// it: lower-case names, sorted, joined with "," and no space.
func (c Call) requestHeadersValue() string {
	return strings.Join(c.unsafeHeaderNames(), ",")
}

// hasHeader reports whether the script sets the header name.
func (c Call) hasHeader(name string) bool {
	for _, h := range c.Headers {
		if strings.EqualFold(h.Name, name) {
			return true
		}
	}
	return false
}

// safeMethod reports whether sending c's method has no side effect by the
// definition of RFC 9110 §9.2.1 that the tool relies on: GET or HEAD.
func (c Call) safeMethod() bool {
	return c.Method == "GET" || c.Method == "HEAD"
}
