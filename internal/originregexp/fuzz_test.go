package originregexp

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"
	"time"

	"github.com/gincors/gincors/internal/origin"
	"golang.org/x/net/publicsuffix"
)

// FuzzProve is a differential check of Prove against brute force: when
// Prove accepts an expression, every hostile origin generated for it that
// origin.Parse accepts and the anchored expression matches must satisfy an
// independent statement of the rule. When it refuses, the origin its
// message names must parse and match. Prove and Lint must never panic and
// must finish quickly.
func FuzzProve(f *testing.F) {
	for _, tc := range proveCases {
		f.Add(tc.expr, tc.insecure)
		f.Add(tc.expr, !tc.insecure)
	}
	for _, tc := range lintCases {
		f.Add(tc.expr, false)
	}
	f.Fuzz(func(t *testing.T, expr string, insecure bool) {
		start := time.Now()
		_ = Lint(expr)
		proof, err := Prove(expr, Options{AllowInsecure: insecure, Setting: "AllowCredentials"})
		if elapsed := time.Since(start); elapsed > 3*time.Second {
			t.Fatalf("Lint and Prove took %v", elapsed)
		}
		tree, perr := syntax.Parse(expr, syntax.Perl)
		if perr != nil {
			if err == nil {
				t.Fatalf("Prove accepted %q, which does not compile", expr)
			}
			return
		}
		re, cerr := regexp.Compile(`^(?:` + tree.String() + `)$`)
		if cerr != nil {
			return
		}
		if err != nil {
			if m := exampleInMessage.FindStringSubmatch(err.Error()); m != nil {
				if _, ok := origin.Parse(m[1]); !ok || !re.MatchString(m[1]) {
					t.Fatalf("Prove(%q) names %q, which is not a matching origin: %v", expr, m[1], err)
				}
			}
			return
		}
		lower := strings.ToLower(expr)
		foreign := func(host string) bool { // built from a marker the expression never spells
			for _, m := range attackerMarkers {
				if strings.Contains(host, m) && !strings.Contains(lower, m) {
					return true
				}
			}
			return false
		}
		for _, d := range proof.Domains {
			if foreign(d) || !registrableOrBelow(d) {
				t.Fatalf("Prove(%q) confines hosts below %q, which is not a domain the expression names or is a public suffix", expr, d)
			}
		}
		hosts := map[string]bool{}
		for _, h := range proof.Hosts {
			if !foreign(h) {
				hosts[h] = true
			}
		}
		acceptable := func(o origin.Origin) bool {
			if !(insecure || o.Scheme == "https" || o.Scheme == "http" && origin.IsLoopback(o.Host)) {
				return false
			}
			if origin.IsLoopback(o.Host) || hosts[o.Host] {
				return true
			}
			for _, d := range proof.Domains {
				if strings.HasSuffix(o.Host, "."+d) {
					return true
				}
			}
			return false
		}
		for _, candidate := range hostileOrigins(tree, proof) {
			o, ok := origin.Parse(candidate)
			if !ok || !re.MatchString(candidate) {
				continue
			}
			if !acceptable(o) {
				t.Fatalf("Prove(%q, insecure=%v) accepted, with %+v, but it matches %q", expr, insecure, proof, candidate)
			}
		}
	})
}

var attackerMarkers = []string{"evil", "attacker"}

// registrableOrBelow reports whether d is loopback, or a registrable
// domain or a subdomain of one, and no public suffix.
func registrableOrBelow(d string) bool {
	if origin.IsLoopback(d) {
		return true
	}
	if _, err := publicsuffix.EffectiveTLDPlusOne(d); err != nil {
		return false
	}
	for _, probe := range []string{d, "probe-x." + d} {
		if suffix, _ := publicsuffix.PublicSuffix(probe); suffix == probe {
			return false
		}
	}
	return true
}

// hostileOrigins builds origins an attacker could own or impersonate, from
// fixed templates and from the expression's literals and the proof's
// domains.
func hostileOrigins(tree *syntax.Regexp, proof Proof) []string {
	hosts := []string{
		"evil.invalid", "x.evil.com", "evil.com", "attacker.com", "evil.github.io", "x.vercel.app",
		"evil.s3.amazonaws.com", "127.0.0.1", "127.1.2.3", "localhost", "evil.localhost", "10.0.0.1",
		"1.0.0.1", "[::1]", "[2001:db8::1]", "evil", "a", "1",
	}
	var lits []string
	collectLiterals(tree, &lits)
	var pieces []string
	for _, lit := range lits {
		lit = strings.ToLower(lit)
		if i := strings.LastIndex(lit, "://"); i >= 0 {
			lit = lit[i+3:]
		}
		lit, _, _ = strings.Cut(lit, ":")
		for {
			pieces = append(pieces, lit)
			i := strings.IndexByte(lit, '.')
			if i < 0 {
				break
			}
			lit = lit[i+1:]
		}
	}
	pieces = append(pieces, proof.Domains...)
	pieces = append(pieces, proof.Hosts...)
	for _, p := range pieces {
		if p == "" {
			continue
		}
		hosts = append(hosts, p, "evil"+p, "evil-"+p, "x."+p, "evil."+p, p+".evil.com", p+"evil", p+"-evil.com", "evil"+strings.TrimPrefix(p, "."))
		if suffix, _ := publicsuffix.PublicSuffix(strings.Trim(p, ".")); suffix != "" {
			hosts = append(hosts, "evil."+suffix)
		}
	}
	var out []string
	for _, scheme := range []string{"https", "http", "wss", "chrome-extension", "ftp"} {
		for _, h := range hosts {
			for _, port := range []string{"", ":8443", ":1"} {
				out = append(out, scheme+"://"+h+port)
			}
		}
	}
	return out
}

func collectLiterals(re *syntax.Regexp, out *[]string) {
	if re.Op == syntax.OpLiteral && len(*out) < 64 {
		*out = append(*out, string(re.Rune))
	}
	for _, sub := range re.Sub {
		collectLiterals(sub, out)
	}
}
