package origin

// Set matches origins against wildcard patterns. Its cost depends on the
// number of labels in the origin's host, never on the number of patterns:
// each pattern is a key in a map, and matching looks up the host and each of
// its parent domains. Patterns are therefore compared label by label, so
// "https://*.example.com" can never match "https://evilexample.com" or
// "https://a.example.com.evil.com".
//
// The zero Set matches nothing. A Set must not be modified after it is first
// used for matching; matching is safe for concurrent use.
type Set struct {
	keys map[setKey]struct{}
	// Which kinds of key are present, so Match skips lookups that cannot hit.
	anyPortHosts, subdomains bool
}

type setKey struct {
	scheme, host, port string // port "*" stands for any port
	subdomain          bool   // host is a parent domain, not the host itself
}

const anyPort = "*"

// Add adds p to the set.
func (s *Set) Add(p Pattern) {
	if s.keys == nil {
		s.keys = make(map[setKey]struct{})
	}
	k := setKey{scheme: p.Scheme, host: p.Host, port: p.Port, subdomain: p.AnySubdomain}
	if p.AnyPort {
		k.port = anyPort
	}
	s.keys[k] = struct{}{}
	s.subdomains = s.subdomains || p.AnySubdomain
	s.anyPortHosts = s.anyPortHosts || (p.AnyPort && !p.AnySubdomain)
}

// Len returns the number of distinct patterns in the set.
func (s *Set) Len() int { return len(s.keys) }

// Match reports whether o matches a pattern in the set.
func (s *Set) Match(o Origin) bool {
	if len(s.keys) == 0 {
		return false
	}
	if s.anyPortHosts && s.has(o.Scheme, o.Host, anyPort, false) {
		return true
	}
	if !s.subdomains || o.Host == "" || o.Host[0] == '[' {
		return false
	}
	// Try every parent domain: for "a.b.example.com", "b.example.com",
	// "example.com" and "com". A leading label is always left over, so a
	// pattern never matches its own parent domain.
	for i := 0; i < len(o.Host); i++ {
		if o.Host[i] != '.' {
			continue
		}
		parent := o.Host[i+1:]
		if s.has(o.Scheme, parent, o.Port, true) || s.has(o.Scheme, parent, anyPort, true) {
			return true
		}
	}
	return false
}

func (s *Set) has(scheme, host, port string, subdomain bool) bool {
	_, ok := s.keys[setKey{scheme, host, port, subdomain}]
	return ok
}
