package origin

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// Pattern is a normalised origin pattern: an exact origin, or one with a
// wildcard subdomain ("https://*.example.com"), a wildcard port
// ("http://localhost:*"), or both.
type Pattern struct {
	Scheme string
	// Host is the exact host, or for AnySubdomain the parent domain that
	// follows "*." (so "example.com" for "https://*.example.com").
	Host string
	// Port is "" for the scheme's default port; unused when AnyPort is set.
	Port         string
	AnySubdomain bool // one or more labels before Host
	AnyPort      bool // any port, or none
}

// IsExact reports whether p matches a single origin.
func (p Pattern) IsExact() bool { return !p.AnySubdomain && !p.AnyPort }

// String returns the pattern's canonical spelling, which for an exact
// pattern is the origin exactly as a browser serializes it.
func (p Pattern) String() string {
	var b strings.Builder
	b.WriteString(p.Scheme)
	b.WriteString("://")
	if p.AnySubdomain {
		b.WriteString("*.")
	}
	b.WriteString(p.Host)
	switch {
	case p.AnyPort:
		b.WriteString(":*")
	case p.Port != "":
		b.WriteString(":")
		b.WriteString(p.Port)
	}
	return b.String()
}

// ParsePattern parses and normalises an origin pattern. Harmless spelling
// differences are normalised: upper-case scheme or host, an explicit default
// port, a port with leading zeros, a Unicode host (converted to Punycode as
// browsers do), a non-canonical IPv6 literal. Anything else that a browser
// would never send is refused with an error that says what to write instead.
func ParsePattern(s string) (Pattern, error) {
	if s == "" {
		return Pattern{}, errors.New(`empty origin; write a scheme and a host, such as "https://example.com"`)
	}
	if trimmed := strings.TrimSpace(s); trimmed != s {
		// Typically left over from splitting "a, b" on ",".
		if p, err := ParsePattern(trimmed); err == nil {
			return Pattern{}, fmt.Errorf("leading or trailing space; write %q", p.String())
		}
		return Pattern{}, errors.New("leading or trailing space; remove it")
	}
	schemeText, rest, found := strings.Cut(s, "://")
	if !found {
		return Pattern{}, missingScheme(s)
	}
	scheme := strings.ToLower(schemeText)
	if len(scheme) > maxSchemeLength {
		return Pattern{}, fmt.Errorf("scheme %q is longer than %d bytes, the longest a browser origin can have here; check the value", schemeText, maxSchemeLength)
	}
	if schemeEnd(scheme+":") != len(scheme) {
		return Pattern{}, fmt.Errorf("invalid scheme %q; a scheme is a letter followed by letters, digits, '+', '-' or '.', such as \"https\"", schemeText)
	}
	if scheme == "file" {
		return Pattern{}, errors.New(`file: pages send "Origin: null", not a file origin; serve the page over http(s) instead`)
	}

	authority, tail := rest, ""
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority, tail = rest[:i], rest[i:]
	}
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		return Pattern{}, withSuggestion("an origin has no userinfo (user:password@)", scheme, authority[i+1:])
	}
	if tail != "" {
		what := "path"
		switch {
		case tail == "/":
			what = "trailing slash"
		case tail[0] == '?':
			what = "query"
		case tail[0] == '#':
			what = "fragment"
		}
		return Pattern{}, withSuggestion("an origin has no "+what, scheme, authority)
	}
	return parseAuthority(scheme, authority)
}

// missingScheme explains a pattern written without a scheme, suggesting
// http for loopback hosts (which have no certificates) and https for the
// rest.
func missingScheme(s string) error {
	rest := strings.TrimLeft(s, ":/")
	scheme := "https"
	if p, err := parseAuthority("http", rest); err == nil && !p.AnySubdomain && IsLoopback(p.Host) {
		scheme = "http"
	}
	return fmt.Errorf("missing scheme; write %q", scheme+"://"+rest)
}

// withSuggestion returns an error naming problem, followed by the corrected
// pattern when scheme and authority make a valid one.
func withSuggestion(problem, scheme, authority string) error {
	if p, err := parseAuthority(scheme, authority); err == nil {
		return fmt.Errorf("%s; write %q", problem, p.String())
	}
	return errors.New(problem)
}

func parseAuthority(scheme, authority string) (Pattern, error) {
	p := Pattern{Scheme: scheme}
	hostText, portText, hasPort := authority, "", false
	if strings.HasPrefix(authority, "[") {
		end := strings.IndexByte(authority, ']')
		if end < 0 {
			return Pattern{}, fmt.Errorf("unclosed IPv6 literal %q; write it as \"[::1]\"", authority)
		}
		hostText, portText = authority[:end+1], authority[end+1:]
		if portText != "" {
			if portText[0] != ':' {
				return Pattern{}, fmt.Errorf("unexpected %q after the IPv6 literal", portText)
			}
			portText, hasPort = portText[1:], true
		}
	} else if i := strings.LastIndexByte(authority, ':'); i >= 0 {
		hostText, portText, hasPort = authority[:i], authority[i+1:], true
	}

	if hasPort {
		if err := p.setPort(portText); err != nil {
			return Pattern{}, err
		}
	}
	if err := p.setHost(hostText); err != nil {
		return Pattern{}, err
	}
	return p, nil
}

func (p *Pattern) setPort(text string) error {
	switch {
	case text == "":
		return errors.New(`empty port after ":"; remove the ":" or write a port such as ":8080"`)
	case text == "*":
		p.AnyPort = true
		return nil
	case strings.Contains(text, "*"):
		return fmt.Errorf("invalid port %q; a wildcard port is written \":*\"", text)
	}
	n, err := strconv.Atoi(text)
	if err != nil || text[0] == '+' || text[0] == '-' {
		return fmt.Errorf("invalid port %q; a port is a decimal number from 1 to 65535", text)
	}
	if n < 1 || n > 65535 {
		return fmt.Errorf("port %d out of range; a port is a decimal number from 1 to 65535", n)
	}
	p.Port = strconv.Itoa(n)
	if p.Port == DefaultPort(p.Scheme) {
		p.Port = "" // browsers leave the default port out
	}
	return nil
}

func (p *Pattern) setHost(text string) error {
	if strings.HasPrefix(text, "*.") {
		p.AnySubdomain = true
		text = text[2:]
	}
	if text == "*" && strings.HasSuffix(p.Scheme, "-extension") {
		return fmt.Errorf("an extension's origin is %s://<extension ID>, and a wildcard would allow every extension anyone publishes; list your extension's ID, such as \"%s://abcdefghijklmnopabcdefghijklmnop\"", p.Scheme, p.Scheme)
	}
	if strings.Contains(text, "*") {
		return fmt.Errorf("misplaced wildcard in host %q; a wildcard may only be a whole leading label, as in \"https://*.example.com\", or the port, as in \"http://localhost:*\"", text)
	}
	if text == "" {
		return errors.New(`empty host; write a host such as "example.com"`)
	}
	if text[0] == '[' {
		if p.AnySubdomain {
			return errors.New(`an IP address has no subdomains; remove the "*."`)
		}
		addr, err := netip.ParseAddr(text[1 : len(text)-1])
		if err != nil || !addr.Is6() || addr.Zone() != "" {
			return fmt.Errorf("invalid IPv6 literal %q; write it as browsers do, such as \"[::1]\"", text)
		}
		p.Host = "[" + string(appendIPv6(nil, addr)) + "]"
		return nil
	}

	host, err := urlIDNA.ToASCII(strings.ToLower(text))
	if err != nil {
		return fmt.Errorf("invalid host %q; a host is a domain name such as \"example.com\", an IPv4 address or a bracketed IPv6 address", text)
	}
	if last := host[strings.LastIndexByte(host, '.')+1:]; isDigits(last) || strings.HasPrefix(last, "0x") {
		// The URL standard parses a host whose last label is a number as
		// an IPv4 address.
		if p.AnySubdomain {
			return errors.New(`an IP address has no subdomains; remove the "*."`)
		}
		if !canonicalIPv4(host) {
			return fmt.Errorf("invalid IPv4 address %q; write four decimal numbers from 0 to 255 without leading zeros, such as \"127.0.0.1\"", text)
		}
	}
	if !validHost(host) {
		if strings.HasSuffix(text, ".") {
			return fmt.Errorf("invalid host %q; remove the trailing dot", text)
		}
		return fmt.Errorf("invalid host %q; a host is a domain name such as \"example.com\", an IPv4 address or a bracketed IPv6 address", text)
	}
	p.Host = host
	return nil
}

// urlIDNA converts hosts to ASCII as the URL standard's "domain to ASCII"
// does (UTS #46 non-transitional processing, without STD3 rules or hyphen
// checks), so that hosts browsers accept, such as "my_host.example" or
// "ab--cd.example", are accepted here too.
var urlIDNA = idna.New(
	idna.MapForLookup(),
	idna.Transitional(false),
	idna.CheckHyphens(false),
	idna.StrictDomainName(false),
	idna.BidiRule(),
	idna.CheckJoiners(true),
)

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// IsLoopback reports whether host (as in [Origin.Host]) names this machine:
// localhost or a subdomain of it (RFC 6761 §6.3), 127.0.0.0/8, or [::1].
// Browsers treat these as potentially trustworthy even over plain http.
func IsLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || host == "[::1]" {
		return true
	}
	addr, err := netip.ParseAddr(host)
	return err == nil && addr.Is4() && addr.IsLoopback()
}
