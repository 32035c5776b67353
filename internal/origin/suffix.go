package origin

import "golang.org/x/net/publicsuffix"

// IsPublicSuffix reports whether anyone can register a name directly under
// domain (publicsuffix.org): domain is itself a public suffix, such as
// "com", "github.io" or an unlisted TLD, or a wildcard rule makes every name
// just below it one, as "*.kawasaki.jp" does for "kawasaki.jp".
// Loopback names are exempt: only this machine can serve them.
func IsPublicSuffix(domain string) bool {
	if IsLoopback(domain) {
		return false
	}
	for _, d := range [...]string{domain, "gincors-probe." + domain} {
		if suffix, _ := publicsuffix.PublicSuffix(d); suffix == d {
			return true
		}
	}
	return false
}
