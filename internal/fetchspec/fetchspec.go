// Package fetchspec holds the definitions of the WHATWG Fetch standard
// (https://fetch.spec.whatwg.org/) and RFC 9110 that gincors applies: tokens,
// safelisted, normalised and forbidden methods, and forbidden header names.
package fetchspec

import "strings"

// IsToken reports whether s is a token (RFC 9110 §5.6.2): one or more
// tchars. Method and header names are tokens.
func IsToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !IsTokenChar(s[i]) {
			return false
		}
	}
	return true
}

// IsTokenChar reports whether c is a tchar (RFC 9110 §5.6.2).
func IsTokenChar(c byte) bool { return tchar[c] }

var tchar = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()

// IsSafelistedMethod reports whether m is a CORS-safelisted method
// (https://fetch.spec.whatwg.org/#cors-safelisted-method): GET, HEAD or
// POST, compared byte for byte. Such methods never need
// Access-Control-Allow-Methods.
func IsSafelistedMethod(m string) bool {
	return m == "GET" || m == "HEAD" || m == "POST"
}

// NormalizeMethod upper-cases m if it is a case-insensitive match for one of
// the six methods that fetch() normalises
// (https://fetch.spec.whatwg.org/#concept-method-normalize): DELETE, GET,
// HEAD, OPTIONS, POST, PUT. Every other method is case-sensitive, so
// fetch(url, {method: "patch"}) sends "patch".
func NormalizeMethod(m string) string {
	for _, n := range [...]string{"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"} {
		if strings.EqualFold(m, n) {
			return n
		}
	}
	return m
}

// IsForbiddenMethod reports whether m is a forbidden method
// (https://fetch.spec.whatwg.org/#forbidden-method): CONNECT, TRACE or
// TRACK, case-insensitively. Browsers never send them.
func IsForbiddenMethod(m string) bool {
	return strings.EqualFold(m, "CONNECT") || strings.EqualFold(m, "TRACE") || strings.EqualFold(m, "TRACK")
}

// forbiddenRequestHeaders are the forbidden request-header names
// (https://fetch.spec.whatwg.org/#forbidden-request-header), lower-cased;
// scripts cannot set them, so browsers never list them in
// Access-Control-Request-Headers.
var forbiddenRequestHeaders = map[string]bool{
	"accept-charset": true, "accept-encoding": true,
	"access-control-request-headers": true, "access-control-request-method": true,
	"connection": true, "content-length": true, "cookie": true, "cookie2": true,
	"date": true, "dnt": true, "expect": true, "host": true, "keep-alive": true,
	"origin": true, "referer": true, "set-cookie": true, "te": true,
	"trailer": true, "transfer-encoding": true, "upgrade": true, "via": true,
}

// IsForbiddenRequestHeader reports whether name is a forbidden
// request-header name
// (https://fetch.spec.whatwg.org/#forbidden-request-header), including the
// "proxy-" and "sec-" prefixes, case-insensitively.
func IsForbiddenRequestHeader(name string) bool {
	lower := strings.ToLower(name)
	return forbiddenRequestHeaders[lower] ||
		strings.HasPrefix(lower, "proxy-") || strings.HasPrefix(lower, "sec-")
}

// IsForbiddenResponseHeader reports whether name is a forbidden
// response-header name
// (https://fetch.spec.whatwg.org/#forbidden-response-header-name):
// Set-Cookie or Set-Cookie2, which browsers never expose to scripts
// whatever Access-Control-Expose-Headers says.
func IsForbiddenResponseHeader(name string) bool {
	return strings.EqualFold(name, "Set-Cookie") || strings.EqualFold(name, "Set-Cookie2")
}

// IsSafelistedRequestHeader reports whether a header the page's script sets
// is a CORS-safelisted request-header
// (https://fetch.spec.whatwg.org/#cors-safelisted-request-header), which
// needs no preflight: Accept, Accept-Language and Content-Language with
// values free of CORS-unsafe bytes, and Content-Type with one of the three
// form MIME types. Every value is at most 128 bytes. (Range, safelisted for
// a single byte range, is treated as unsafe: the preflight it may cause is
// harmless.)
func IsSafelistedRequestHeader(name, value string) bool {
	if len(value) > 128 {
		return false
	}
	switch strings.ToLower(name) {
	case "accept":
		return !hasUnsafeByte(value)
	case "accept-language", "content-language":
		for i := 0; i < len(value); i++ {
			c := value[i]
			ok := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte(" *,-.;=", c) >= 0
			if !ok {
				return false
			}
		}
		return true
	case "content-type":
		if hasUnsafeByte(value) {
			return false
		}
		essence, _, _ := strings.Cut(value, ";")
		switch strings.ToLower(strings.TrimSpace(essence)) {
		case "application/x-www-form-urlencoded", "multipart/form-data", "text/plain":
			return true
		}
	}
	return false
}

// hasUnsafeByte reports whether v holds a CORS-unsafe request-header byte
// (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte).
func hasUnsafeByte(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x20 && c != '\t' || c == 0x7f || strings.IndexByte("\"():<>?@[\\]{}", c) >= 0 {
			return true
		}
	}
	return false
}
