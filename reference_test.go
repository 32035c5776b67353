package gincors

// Reference implementations for the fuzz targets and property tests.
//
// Every reference here is deliberately slow and written without the code
// under test: origins are read with net/url, header lists with
// strings.Split, strings.Trim and strings.ToLower, and regexps are matched
// as whole strings with leftmost-longest semantics. The fuzz targets sit
// beside their unit (FuzzOriginMatch in origins_test.go, FuzzRequestHeaders
// in decide_test.go, FuzzMiddleware in gincors_test.go, FuzzValidate in
// config_fuzz_test.go). Run one target with
//
//	go test -run '^$' -fuzz '^FuzzOriginMatch$' -fuzztime 20s .
//
// or all of them with .ci/fuzz. Under plain `go test` each target runs its
// seeds (f.Add and testdata/fuzz/<FuzzName>) deterministically.

import (
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// fuzzRefOrigin is an origin as the reference understands it.
type fuzzRefOrigin struct{ scheme, host, port string }

// fuzzRefDefaultPort is the port a serialized origin leaves out.
func fuzzRefDefaultPort(scheme string) string {
	switch scheme {
	case "http", "ws":
		return "80"
	case "https", "wss":
		return "443"
	}
	return ""
}

// fuzzRefValidDomain reports whether h is a lower-case ASCII host made of
// non-empty dot-separated labels of [a-z0-9_-], at most 63 bytes each and
// 253 in all; a host whose last label is numeric must be a dotted-quad IPv4
// address as browsers print it.
func fuzzRefValidDomain(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	labels := strings.Split(h, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 {
			return false
		}
		for _, r := range l {
			if !strings.ContainsRune("abcdefghijklmnopqrstuvwxyz0123456789-_", r) {
				return false
			}
		}
	}
	// The URL standard's "ends in a number": a last label of ASCII digits,
	// or one an IPv4 number parser reads (0x and hex digits). A sign is no
	// part of a number there, so "-0" is a domain label.
	last := labels[len(labels)-1]
	lower := strings.ToLower(last)
	if strings.Trim(last, "0123456789") == "" || strings.HasPrefix(lower, "0x") && strings.Trim(lower[2:], "0123456789abcdef") == "" {
		a, err := netip.ParseAddr(h)
		return err == nil && a.Is4() && a.String() == h
	}
	return true
}

// fuzzRefValidIPv6 reports whether bracketed h is an IPv6 literal in the
// canonical form browsers send.
func fuzzRefValidIPv6(h string) bool {
	if !strings.HasPrefix(h, "[") || !strings.HasSuffix(h, "]") {
		return false
	}
	a, err := netip.ParseAddr(h[1 : len(h)-1])
	return err == nil && a.Is6() && a.Zone() == "" && "["+a.String()+"]" == h
}

// fuzzRefParseOrigin parses s with net/url and accepts it only if it is
// exactly the ASCII serialization of a tuple origin: nothing but scheme,
// "://", host and a non-default port, all lower case and canonical.
func fuzzRefParseOrigin(s string) (fuzzRefOrigin, bool) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Opaque != "" || u.User != nil ||
		u.Path != "" || u.RawPath != "" || u.ForceQuery || u.RawQuery != "" ||
		u.Fragment != "" || u.Host == "" {
		return fuzzRefOrigin{}, false
	}
	// url.Parse lower-cases the scheme; browsers send it lower-case.
	if u.Scheme+"://"+u.Host != s || len(u.Scheme) > 32 {
		return fuzzRefOrigin{}, false
	}
	o := fuzzRefOrigin{scheme: u.Scheme}
	hostport := u.Host
	if strings.HasPrefix(hostport, "[") {
		end := strings.Index(hostport, "]")
		if end < 0 {
			return fuzzRefOrigin{}, false
		}
		o.host = hostport[:end+1]
		if !fuzzRefValidIPv6(o.host) {
			return fuzzRefOrigin{}, false
		}
		hostport = hostport[end+1:]
		if hostport != "" && hostport[0] != ':' {
			return fuzzRefOrigin{}, false
		}
		hostport = strings.TrimPrefix(hostport, ":")
		if hostport == "" && strings.HasSuffix(u.Host, ":") {
			return fuzzRefOrigin{}, false
		}
		o.port = hostport
	} else {
		parts := strings.Split(hostport, ":")
		switch len(parts) {
		case 1:
		case 2:
			if parts[1] == "" {
				return fuzzRefOrigin{}, false
			}
			o.port = parts[1]
		default:
			return fuzzRefOrigin{}, false
		}
		o.host = parts[0]
		if !fuzzRefValidDomain(o.host) {
			return fuzzRefOrigin{}, false
		}
	}
	if o.port != "" {
		n, err := strconv.Atoi(o.port)
		if err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != o.port || o.port == fuzzRefDefaultPort(o.scheme) {
			return fuzzRefOrigin{}, false
		}
	}
	return o, true
}

// fuzzRefPattern is an origin pattern as the reference understands it.
type fuzzRefPattern struct {
	scheme, host, port string
	anySubdomain       bool
	anyPort            bool
}

func (p fuzzRefPattern) String() string {
	s := p.scheme + "://"
	if p.anySubdomain {
		s += "*."
	}
	s += p.host
	if p.anyPort {
		s += ":*"
	} else if p.port != "" {
		s += ":" + p.port
	}
	return s
}

// fuzzRefParsePattern parses an ASCII origin pattern: scheme "://"
// ["*."] host [":" port | ":*"], case-insensitive, default port elided. It
// does not know Unicode hosts (ok is false for them).
func fuzzRefParsePattern(s string) (p fuzzRefPattern, ok bool) {
	for _, r := range s {
		if r >= 0x80 {
			return p, false
		}
	}
	scheme, rest, found := strings.Cut(s, "://")
	if !found || scheme == "" {
		return p, false
	}
	p.scheme = strings.ToLower(scheme)
	if strings.HasPrefix(rest, "*.") {
		p.anySubdomain = true
		rest = rest[2:]
	}
	if strings.HasSuffix(rest, ":*") {
		p.anyPort = true
		rest = strings.TrimSuffix(rest, ":*")
	}
	u, err := url.Parse(p.scheme + "://" + rest)
	if err != nil || u.User != nil || u.Path != "" || u.RawQuery != "" || u.ForceQuery ||
		u.Fragment != "" || u.Opaque != "" || u.Scheme != p.scheme || u.Host != rest {
		return p, false
	}
	host := strings.ToLower(u.Hostname())
	if strings.Contains(rest, "[") {
		a, err := netip.ParseAddr(host)
		if err != nil || !a.Is6() || a.Zone() != "" || p.anySubdomain {
			return p, false
		}
		p.host = "[" + a.String() + "]"
	} else {
		if !fuzzRefValidDomain(host) {
			return p, false
		}
		if p.anySubdomain && strings.Trim(host[strings.LastIndex(host, ".")+1:], "0123456789") == "" {
			return p, false
		}
		p.host = host
	}
	if port := u.Port(); port != "" {
		if p.anyPort {
			return p, false
		}
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return p, false
		}
		p.port = strconv.Itoa(n)
		if p.port == fuzzRefDefaultPort(p.scheme) {
			p.port = ""
		}
	} else if strings.HasSuffix(rest, ":") {
		return p, false
	}
	return p, true
}

// fuzzRefMatch reports whether pattern p matches origin o, label by label.
func fuzzRefMatch(p fuzzRefPattern, o fuzzRefOrigin) bool {
	if p.scheme != o.scheme {
		return false
	}
	if !p.anyPort && p.port != o.port {
		return false
	}
	if p.anySubdomain {
		return strings.HasSuffix(o.host, "."+p.host) && !strings.HasPrefix(o.host, "[")
	}
	return p.host == o.host
}

// fuzzSchemeOK reports whether s is a URL scheme as RFC 3986 §3.1 spells it.
func fuzzSchemeOK(s string) bool {
	for i, r := range s {
		switch {
		case 'a' <= r && r <= 'z':
		case i > 0 && strings.ContainsRune("0123456789+-.", r):
		default:
			return false
		}
	}
	return s != ""
}

// fuzzRefRegexpFullMatch reports whether expr matches the whole of s:
// with leftmost-longest semantics, a match spanning s exists if and only
// if the leftmost-longest match is [0, len(s)].
func fuzzRefRegexpFullMatch(expr, s string) bool {
	re, err := regexp.Compile(expr)
	if err != nil {
		return false
	}
	re.Longest()
	loc := re.FindStringIndex(s)
	return loc != nil && loc[0] == 0 && loc[1] == len(s)
}

// fuzzRefIsLoopback reports whether host names this machine.
func fuzzRefIsLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || host == "[::1]" {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Is4() && a.IsLoopback()
}

// fuzzRefIsPublicSuffix reports whether anyone can register a name directly
// under domain: domain, or a name just below it, is a public suffix.
func fuzzRefIsPublicSuffix(domain string) bool {
	if fuzzRefIsLoopback(domain) {
		return false
	}
	for _, d := range []string{domain, "fuzz-probe." + domain} {
		if s, _ := publicsuffix.PublicSuffix(d); s == d {
			return true
		}
	}
	return false
}

// fuzzRefRequestHeaders is the reference reading of
// Access-Control-Request-Headers: split each line on commas, trim spaces
// and tabs, drop empty elements, require tokens, lower-case, at most
// maxRequestHeaderNames names (or as many as are allowed, if more), each
// allowed; with credentials, "*" allows every name but a literal "*".
func fuzzRefRequestHeaders(lines []string, allow []string, credentials bool) (ok bool, namedLines int, last string, auth bool) {
	allowed := map[string]bool{}
	star := false
	for _, h := range allow {
		if h == "*" {
			star = true
			continue
		}
		allowed[strings.ToLower(h)] = true
	}
	maxNames := max(maxRequestHeaderNames, len(allowed))
	const tchars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	total := 0
	for _, line := range lines {
		n := 0
		for _, elem := range strings.Split(line, ",") {
			name := strings.Trim(elem, " \t")
			if name == "" {
				continue
			}
			for i := 0; i < len(name); i++ {
				if !strings.ContainsRune(tchars, rune(name[i])) {
					return false, 0, "", false
				}
			}
			n++
			lower := strings.ToLower(name)
			if lower == "authorization" {
				auth = true
				if !allowed[lower] {
					return false, 0, "", false
				}
			} else if !allowed[lower] && (!star || credentials && lower == "*") {
				return false, 0, "", false
			}
		}
		total += n
		if n > 0 {
			namedLines++
			last = line
		}
	}
	if total > maxNames || len(lines) > maxNames || !fuzzRefWithinBounds(lines, star) {
		return false, 0, "", false
	}
	return true, namedLines, last, auth
}

// fuzzRefWithinBounds applies the documented bounds on the field's shape:
// with "*", no name longer than maxRequestHeaderNameLength; and at every
// separator byte (comma, space, tab), the separators so far are at most
// maxSeparatorSlack plus maxSeparatorsPerName for each name before it and
// one more.
func fuzzRefWithinBounds(lines []string, star bool) bool {
	seps, names := 0, 0
	for _, line := range lines {
		run := 0
		for i := 0; i < len(line); i++ {
			if c := line[i]; c == ' ' || c == '\t' || c == ',' {
				if run > 0 {
					names++
				}
				run = 0
				seps++
				if seps > maxSeparatorSlack+maxSeparatorsPerName*(names+1) {
					return false
				}
				continue
			}
			run++
			if star && run > maxRequestHeaderNameLength {
				return false
			}
		}
		if run > 0 {
			names++
		}
	}
	return true
}

func fuzzRefAllowedBy(patterns ...string) func(string) bool {
	var refs []fuzzRefPattern
	for _, s := range patterns {
		p, ok := fuzzRefParsePattern(s)
		if !ok {
			panic("fuzzRefAllowedBy: bad pattern " + s)
		}
		refs = append(refs, p)
	}
	return func(s string) bool {
		o, ok := fuzzRefParseOrigin(s)
		if !ok {
			return false
		}
		for _, p := range refs {
			if fuzzRefMatch(p, o) {
				return true
			}
		}
		return false
	}
}

// fuzzCheckResponse asserts the guarantees of SECURITY.md on one response
// and returns a description of the first violation, or "".
func fuzzCheckResponse(pc fuzzPolicyCase, cfg Config, method string, origins, acrm, acrh, acrpn []string, got result) string {
	h, ran := got.cors, got.handlerRan
	preflight := method == http.MethodOptions && len(origins) > 0 && acrm != nil
	allowAll := len(cfg.AllowOrigins) == 1 && cfg.AllowOrigins[0] == "*"

	for name, vs := range h {
		if !strings.HasPrefix(name, "Access-Control-") && name != "Vary" {
			continue
		}
		for _, v := range vs {
			for i := 0; i < len(v); i++ {
				if c := v[i]; c < 0x20 && c != '\t' || c == 0x7f {
					return "control byte in " + name + ": " + strconv.Quote(v)
				}
			}
		}
	}

	// Guarantee 1.
	acao := h.Values(headerAllowOrigin)
	if len(acao) > 1 {
		return "several Access-Control-Allow-Origin lines"
	}
	if len(acao) == 1 {
		switch {
		case acao[0] == "*":
			if !allowAll || cfg.AllowCredentials {
				return "Access-Control-Allow-Origin: * from a policy that does not allow every origin"
			}
		case len(origins) != 1 || acao[0] != origins[0]:
			return "Access-Control-Allow-Origin " + strconv.Quote(acao[0]) + " is not the request's one Origin"
		case !pc.allowed(acao[0]):
			return "Access-Control-Allow-Origin " + strconv.Quote(acao[0]) + " not allowed by the reference"
		}
	}

	// Guarantee 2.
	acac := h.Values(headerAllowCredentials)
	if cfg.AllowCredentials {
		if len(acao) == 1 && acao[0] == "*" {
			return "credentials with *"
		}
		if (len(acac) == 1 && acac[0] == "true") != (len(acao) == 1) {
			return "Access-Control-Allow-Credentials does not accompany Access-Control-Allow-Origin"
		}
		for _, name := range []string{headerAllowMethods, headerAllowHeaders, headerExposeHeaders} {
			for _, v := range h.Values(name) {
				if v == "*" {
					return name + ": * with credentials"
				}
			}
		}
	} else if len(acac) != 0 {
		return "Access-Control-Allow-Credentials without AllowCredentials"
	}

	// Guarantee 3.
	if preflight {
		if ran != cfg.OptionsPassthrough {
			return "preflight: handler ran = " + strconv.FormatBool(ran)
		}
		originOK := len(origins) == 1 && (allowAll || pc.allowed(origins[0]))
		if !originOK && len(acao) != 0 {
			return "preflight from a refused origin got Access-Control-Allow-Origin"
		}
		if len(acao) == 0 {
			for name := range h {
				if strings.HasPrefix(name, "Access-Control-") || name == "Vary" {
					return "refused preflight carries " + name
				}
			}
			if !cfg.OptionsPassthrough && got.status != statusPreflightRefused {
				return "refused preflight status " + strconv.Itoa(got.status)
			}
		} else {
			if !cfg.OptionsPassthrough && (got.status < 200 || got.status > 299) {
				return "allowed preflight status " + strconv.Itoa(got.status)
			}
			// Responses to OPTIONS are not cacheable (RFC 9110 §9.3.7), so a
			// preflight's answer needs no Vary, and gincors sets none.
			if len(h.Values("Vary")) != 0 {
				return "preflight answer with Vary"
			}
			if ahs := h.Values(headerAllowHeaders); len(ahs) == 1 && ahs[0] == "*" {
				for _, line := range acrh {
					for _, e := range strings.Split(line, ",") {
						if strings.EqualFold(strings.Trim(e, " \t"), "authorization") {
							return "Access-Control-Allow-Headers: * for a request naming Authorization"
						}
					}
				}
			}
		}
		if len(h.Values(headerAllowPrivateNetwork)) != 0 && !(len(acrpn) == 1 && acrpn[0] == "true" && cfg.AllowPrivateNetwork) {
			return "Access-Control-Allow-Private-Network without the request asking or without AllowPrivateNetwork"
		}
		return ""
	}
	if !ran {
		return "actual request did not reach the handler"
	}
	originOK := allowAll || len(origins) == 1 && pc.allowed(origins[0])
	if originOK != (len(acao) == 1) {
		return "actual request: Access-Control-Allow-Origin present = " + strconv.FormatBool(len(acao) == 1) +
			", reference allows = " + strconv.FormatBool(originOK)
	}
	if !allowAll && !strings.Contains(strings.Join(h.Values("Vary"), ","), "Origin") {
		return "actual request without Vary: Origin"
	}
	for _, name := range []string{headerAllowMethods, headerAllowHeaders, headerMaxAge, headerAllowPrivateNetwork} {
		if len(h.Values(name)) != 0 {
			return "actual request carries " + name
		}
	}
	return ""
}
