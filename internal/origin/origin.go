// Package origin parses web origins as browsers serialize them and matches
// them against wildcard patterns.
//
// Two parsers live here. [Parse] reads the value of a request's Origin
// header: it is strict, allocation-free and accepts only the ASCII
// serialization a browser produces (WHATWG HTML, "serialization of an
// origin"). [ParsePattern] reads an origin pattern from a configuration: it
// is forgiving about harmless spelling (case, default ports, Unicode hosts),
// which it normalises, and precise about everything else, which it refuses
// with a message that says how to fix it.
package origin

import (
	"net/netip"
	"strconv"
	"strings"
)

// MaxLength is the length of the longest origin a browser can send: a
// scheme of at most [maxSchemeLength] bytes, "://", a host of at most 253
// bytes (RFC 1035 §2.3.4, after Punycode) and ":65535". Longer request
// origins are refused before any matching work.
const MaxLength = maxSchemeLength + len("://") + maxHostLength + len(":65535")

const (
	// maxSchemeLength bounds a scheme. Real ones are short ("https",
	// "chrome-extension", "safari-web-extension" at 20); 64 leaves room
	// for custom app schemes and matches what jub0bs/cors accepts.
	maxSchemeLength = 64
	maxHostLength   = 253
	maxLabelLength  = 63
)

// Origin is a parsed, serialized origin. Its fields are substrings of the
// string given to [Parse], so parsing allocates nothing.
type Origin struct {
	Scheme string // lower-case, e.g. "https"
	Host   string // lower-case domain, dotted IPv4, or bracketed IPv6
	Port   string // decimal digits; "" when the scheme's default port is used

	hostPort string // Host, then ":" and Port if Port is set
}

// Parse parses s as the ASCII serialization of a tuple origin, the form in
// which browsers send the Origin request header: a lower-case scheme, "://",
// a lower-case host and an optional port that is not the scheme's default.
// It reports false for anything else, including "null", paths, userinfo,
// upper case, percent-encoding, non-ASCII bytes and out-of-range ports.
func Parse(s string) (Origin, bool) {
	if len(s) > MaxLength {
		return Origin{}, false
	}
	var o Origin
	i := schemeEnd(s)
	if i < 0 || len(s)-i < len("://") || s[i:i+3] != "://" {
		return Origin{}, false
	}
	o.Scheme = s[:i]
	rest := s[i+3:]

	host, port, ok := splitHostPort(rest)
	if !ok || !validHost(host) {
		return Origin{}, false
	}
	o.Host = host
	o.hostPort = rest
	if port != "" {
		if !validPort(port) || port == DefaultPort(o.Scheme) {
			return Origin{}, false
		}
		o.Port = port
	}
	return o, true
}

// DefaultPort returns the port that a serialized origin with the given
// scheme leaves out, or "" if the scheme has none.
func DefaultPort(scheme string) string {
	switch scheme {
	case "http", "ws":
		return "80"
	case "https", "wss":
		return "443"
	}
	return ""
}

// schemeEnd returns the length of the lower-case scheme (RFC 3986 §3.1) at
// the start of s, or -1 if s does not start with one.
func schemeEnd(s string) int {
	for i := 0; i < len(s) && i <= maxSchemeLength; i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return i
		default:
			return -1
		}
	}
	return -1
}

// splitHostPort splits "host[:port]" where host may be a bracketed IPv6
// literal. It reports false if a port separator is followed by nothing.
func splitHostPort(s string) (host, port string, ok bool) {
	if s == "" {
		return "", "", false
	}
	end := len(s)
	if s[0] == '[' {
		end = strings.IndexByte(s, ']') + 1
		if end == 0 {
			return "", "", false
		}
	} else if i := strings.IndexByte(s, ':'); i >= 0 {
		end = i
	}
	host, rest := s[:end], s[end:]
	if rest == "" {
		return host, "", true
	}
	if rest[0] != ':' || len(rest) == 1 {
		return "", "", false
	}
	return host, rest[1:], true
}

// validHost reports whether h is a host exactly as browsers serialize it
// (URL standard, "host serializer"): a bracketed IPv6 address in its
// canonical form, a dotted-decimal IPv4 address in its canonical form, or
// dot-separated non-empty labels of lower-case letters, digits, '-' and '_'
// (which covers Punycode), each at most 63 bytes.
func validHost(h string) bool {
	if h == "" || len(h) > maxHostLength {
		return false
	}
	if h[0] == '[' {
		return len(h) > 2 && h[len(h)-1] == ']' && canonicalIPv6(h[1:len(h)-1])
	}
	label, last := 0, 0 // length and start of the current label
	for i := 0; i < len(h); i++ {
		// One table lookup per byte; the dot, once per label, takes the
		// slower branch.
		if k := hostByte[h[i]]; k != hostLabelByte {
			if k != hostDot || label == 0 || label > maxLabelLength {
				return false
			}
			label, last = 0, i+1
			continue
		}
		label++
	}
	if label == 0 || label > maxLabelLength {
		return false
	}
	// The URL standard parses a host that "ends in a number" (a decimal
	// or 0x-prefixed last label) as an IPv4 address, which browsers then
	// write in dotted decimal.
	if lastLabel := h[last:]; isDigits(lastLabel) || strings.HasPrefix(lastLabel, "0x") {
		return canonicalIPv4(h)
	}
	return true
}

// canonicalIPv4 reports whether s is four decimal numbers from 0 to 255,
// without leading zeros, separated by dots.
func canonicalIPv4(s string) bool {
	parts := 0
	for len(s) > 0 && parts < 4 {
		end := strings.IndexByte(s, '.')
		if end < 0 {
			end = len(s)
		}
		n := s[:end]
		if n == "" || len(n) > 3 || len(n) > 1 && n[0] == '0' || !isDigits(n) {
			return false
		}
		v := 0
		for i := 0; i < len(n); i++ {
			v = v*10 + int(n[i]-'0')
		}
		if v > 255 {
			return false
		}
		parts++
		if end == len(s) {
			s = ""
		} else {
			s = s[end+1:]
		}
	}
	return parts == 4 && s == ""
}

// canonicalIPv6 reports whether s (without brackets) is an IPv6 address in
// the form the URL standard's IPv6 serializer writes.
func canonicalIPv6(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || c == ':' || c == '.') {
			return false
		}
	}
	addr, err := netip.ParseAddr(s)
	if err != nil || !addr.Is6() {
		return false
	}
	var buf [64]byte
	return string(appendIPv6(buf[:0], addr)) == s
}

// appendIPv6 appends addr as the URL standard's IPv6 serializer writes it:
// hex pieces with the first longest run of two or more zero pieces
// compressed. That is netip's form except for IPv4-mapped addresses, which
// browsers write in hex ("::ffff:102:304", not "::ffff:1.2.3.4").
func appendIPv6(b []byte, addr netip.Addr) []byte {
	if !addr.Is4In6() {
		return addr.AppendTo(b)
	}
	a := addr.As16()
	b = append(b, "::ffff:"...)
	b = strconv.AppendUint(b, uint64(a[12])<<8|uint64(a[13]), 16)
	b = append(b, ':')
	return strconv.AppendUint(b, uint64(a[14])<<8|uint64(a[15]), 16)
}

// hostByte classifies the bytes of a serialized domain: hostLabelByte for
// those labelChar marks, hostDot for '.', 0 for any other.
var hostByte = func() (t [256]uint8) {
	for c := range 256 {
		if labelChar[c] {
			t[c] = hostLabelByte
		}
	}
	t['.'] = hostDot
	return t
}()

const (
	hostLabelByte = 1 + iota
	hostDot
)

// labelChar marks the bytes of a serialized domain label: lower-case
// letters, digits, '-' and '_' (which some hosts use and browsers accept).
var labelChar = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['-'], t['_'] = true, true
	return t
}()

// validPort reports whether p is a port as browsers serialize it: decimal,
// no leading zero, 1 to 65535.
func validPort(p string) bool {
	if p == "" || len(p) > 5 || p[0] == '0' {
		return false
	}
	n := 0
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int(c-'0')
	}
	return n <= 65535
}
