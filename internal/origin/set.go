package origin

import "strings"

// Set matches origins against wildcard patterns. Its cost depends on the
// number of labels in the origin's host, never on the number of patterns:
// patterns are keys in hash maps, and matching looks up the host and its
// parent domains, each a substring of the origin. Patterns are therefore
// compared label by label, so "https://*.example.com" can never match
// "https://evilexample.com" or "https://a.example.com.evil.com".
//
// The zero Set matches nothing. A Set must not be modified after it is first
// used for matching; matching is safe for concurrent use.
type Set struct {
	// One entry per scheme: a handful at most ("https", "http"), so a scan
	// is cheaper than hashing the scheme.
	schemes []*schemePatterns
}

// schemePatterns holds the patterns of one scheme.
type schemePatterns struct {
	scheme       string
	anyPortHosts map[string]struct{} // "http://localhost:*" → "localhost"
	// subdomains holds the parent domains of the subdomain patterns, each
	// with the ports it allows: "https://*.example.com:8443" is
	// "example.com:8443" → portGiven, "https://*.example.com" is
	// "example.com" → portGiven (the origin's port is then the default,
	// and so not written), "https://*.example.com:*" is "example.com" →
	// portAny. An origin without a port is one lookup.
	subdomains map[string]ports
	// Shortest and longest parent domain among the subdomain patterns, so
	// Match skips parents that cannot be keys.
	minParent, maxParent int
}

// ports says which ports a subdomains key allows.
type ports uint8

const (
	portGiven ports = 1 << iota // the port in the key, or none (the default) if it has none
	portAny                     // any port
)

// Add adds p, which must have a wildcard, to the set. Exact origins
// belong in a plain map keyed by their serialization.
func (s *Set) Add(p Pattern) {
	sp := s.forScheme(p.Scheme)
	if sp == nil {
		sp = &schemePatterns{
			scheme:       p.Scheme,
			anyPortHosts: map[string]struct{}{},
			subdomains:   map[string]ports{},
			minParent:    maxHostLength + 1,
		}
		s.schemes = append(s.schemes, sp)
	}
	switch {
	case p.IsExact():
		panic("origin: Set.Add of an exact pattern " + p.String())
	case !p.AnySubdomain:
		sp.anyPortHosts[p.Host] = struct{}{}
		return
	case p.AnyPort:
		sp.subdomains[p.Host] |= portAny
	case p.Port != "":
		sp.subdomains[p.Host+":"+p.Port] |= portGiven
	default:
		sp.subdomains[p.Host] |= portGiven
	}
	sp.minParent = min(sp.minParent, len(p.Host))
	sp.maxParent = max(sp.maxParent, len(p.Host))
}

func (s *Set) forScheme(scheme string) *schemePatterns {
	for _, sp := range s.schemes {
		if sp.scheme == scheme {
			return sp
		}
	}
	return nil
}

// Empty reports whether the set has no pattern.
func (s *Set) Empty() bool { return len(s.schemes) == 0 }

// Match reports whether o matches a pattern in the set.
func (s *Set) Match(o Origin) bool {
	_, ok := s.MatchUnder(o)
	return ok
}

// MatchUnder is Match that also returns, for a match by a wildcard
// subdomain, the pattern's parent domain (a suffix of o.Host), and "" for a
// match by a wildcard port alone.
func (s *Set) MatchUnder(o Origin) (parent string, ok bool) {
	sp := s.forScheme(o.Scheme)
	if sp == nil {
		return "", false
	}
	if len(sp.anyPortHosts) > 0 {
		if _, ok := sp.anyPortHosts[o.Host]; ok {
			return "", true
		}
	}
	host := o.Host
	if host[0] == '[' || sp.maxParent == 0 {
		return "", false // IPv6 literals have no subdomains
	}
	// Try the parent domains from the longest: for "a.b.example.com",
	// "b.example.com", then "example.com", then "com". The leading label
	// is never tried, so a pattern never matches its own parent domain.
	for i := strings.IndexByte(host, '.'); i >= 0; {
		parent := i + 1
		if len(host)-parent < sp.minParent {
			return "", false
		}
		if len(host)-parent <= sp.maxParent {
			// The parent with the origin's port, if any: a pattern for
			// that port, or (without a port) for the default or any port.
			allowed := sp.subdomains[o.hostPort[parent:]]
			if allowed&portGiven != 0 || o.Port == "" && allowed&portAny != 0 {
				return host[parent:], true
			}
			if o.Port != "" && sp.subdomains[host[parent:]]&portAny != 0 {
				return host[parent:], true
			}
		}
		next := strings.IndexByte(host[parent:], '.')
		if next < 0 {
			break
		}
		i = parent + next
	}
	return "", false
}
