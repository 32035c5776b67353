package originregexp

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/gincors/gincors/internal/origin"
	"golang.org/x/net/publicsuffix"
)

// maxCandidates bounds the example origins tried for one failure.
const maxCandidates = 2000

// counterexample finds an origin that the compiled, anchored expression re
// matches, that origin.Parse accepts, and that shows failure f.
func (p *prover) counterexample(re *regexp.Regexp, f failure) (string, bool) {
	schemes := p.schemeCandidates(f)
	hosts := p.hostCandidates(f)
	ports := []string{""}
	if f.shape.hasPort {
		ports = nil
		for _, port := range append([]string{"8443", "3000", "8080", "1"}, fills(f.shape.port, nil)...) {
			if seqMatch(f.shape.port, port) {
				ports = append(ports, port)
			}
		}
	}
	tried := 0
	for _, h := range hosts {
		for _, s := range schemes {
			for _, port := range ports {
				if tried++; tried > maxCandidates {
					return "", false
				}
				candidate := s + "://" + h
				if f.shape.hasPort {
					candidate += ":" + port
				}
				o, ok := origin.Parse(candidate)
				if ok && re.MatchString(candidate) && p.shows(f, o) {
					return candidate, true
				}
			}
		}
	}
	return "", false
}

// shows reports whether origin o is an instance of failure f: for a scheme
// failure, a scheme the rule refuses; otherwise a host outside every
// literal host and every domain the expression names.
func (p *prover) shows(f failure, o origin.Origin) bool {
	if f.kind == failScheme {
		return !(o.Scheme == "https" || o.Scheme == "http" && origin.IsLoopback(o.Host))
	}
	if origin.IsLoopback(o.Host) || p.hosts[o.Host] {
		return false
	}
	for d := range p.named {
		if o.Host == d || strings.HasSuffix(o.Host, "."+d) {
			return false
		}
	}
	return true
}

func (p *prover) schemeCandidates(f failure) []string {
	var want []string
	if f.kind == failScheme {
		want = append(want, f.schemes...)
		want = append(want, "http", "ftp", "ws", "chrome-extension")
	} else {
		want = append(want, "https", "http")
	}
	if spellings, open := choices(f.shape.scheme, maxChoices); !open {
		want = append(want, spellings...)
	}
	want = append(want, fills(f.shape.scheme, []string{"http", "https", "x"})...)
	return filter(f.shape.scheme, want)
}

func (p *prover) hostCandidates(f failure) []string {
	prefix := ""
	for _, a := range f.host {
		c, single := a.set.single()
		if !single || a.star {
			break
		}
		prefix += string(c)
	}
	var want []string
	switch f.kind {
	case failPublicSuffix:
		want = []string{"attacker" + f.suffix, "x" + f.suffix, "a" + f.suffix, "1" + f.suffix, "attacker." + f.domain}
	case failGlued:
		want = []string{"evil" + f.suffix, "x" + f.suffix, "a" + f.suffix, "1" + f.suffix, "evil-" + f.suffix}
	case failTrailing:
		for _, tail := range []string{".attacker.com", "attacker.com", "-attacker.com", "x.attacker.com", "1.attacker.com", "attacker"} {
			want = append(want, prefix+tail)
		}
		want = append(want, "attacker.com")
	case failOptionalDot:
		want = []string{"attacker" + f.suffix, "a" + f.suffix}
	case failUnconfined:
		want = []string{"attacker" + f.suffix, "attacker.com", "evil" + f.suffix, "1" + f.suffix, "8.8" + f.suffix, "[2001:db8::1]"}
	}
	words := []string{"attacker", "evil"}
	if f.kind == failScheme {
		words = []string{"app", "attacker"}
	}
	want = append(want, fills(f.host, words)...)
	return filter(f.host, want)
}

// filter keeps, once each, the strings s can spell.
func filter(s sequence, want []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range want {
		if !seen[w] && seqMatch(s, w) {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// fills spells s with each run of wildcards (repetitions and classes of
// more than one character) filled from a few choices that suit its place:
// a word before a literal, ".attacker.com" at the end, or the shortest
// spelling.
func fills(s sequence, words []string) []string {
	type segment struct {
		text    string   // a literal run
		options []string // or the spellings tried for a wildcard run
	}
	var segs []segment
	for i := 0; i < len(s); {
		if c, single := s[i].set.single(); single && !s[i].star {
			segs = append(segs, segment{text: string(c)})
			i++
			continue
		}
		j := i
		for j < len(s) {
			if _, single := s[j].set.single(); single && !s[j].star {
				break
			}
			j++
		}
		run := s[i:j]
		var opts []string
		if j == len(s) {
			opts = append(opts, ".attacker.com", "attacker.com")
		}
		opts = append(opts, words...)
		opts = append(opts, shortest(run))
		segs = append(segs, segment{options: filter(run, opts)})
		i = j
	}
	var out []string
	choice := make([]int, len(segs))
	for len(out) < 200 {
		var b strings.Builder
		for k, seg := range segs {
			if seg.options == nil {
				b.WriteString(seg.text)
			} else if len(seg.options) > 0 {
				b.WriteString(seg.options[choice[k]])
			}
		}
		out = append(out, b.String())
		// Next combination, the last wildcard varying fastest.
		k := len(segs) - 1
		for ; k >= 0; k-- {
			if len(segs[k].options) == 0 {
				continue
			}
			if choice[k]++; choice[k] < len(segs[k].options) {
				break
			}
			choice[k] = 0
		}
		if k < 0 {
			break
		}
	}
	return out
}

// shortest spells s with every repetition empty.
func shortest(s sequence) string {
	var b strings.Builder
	for _, a := range s {
		if c, ok := a.set.pick(); ok && !a.star {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// seqMatch reports whether s can spell t.
func seqMatch(s sequence, t string) bool {
	at := make([]bool, len(t)+1) // at[i]: s's atoms so far can spell t[:i]
	at[0] = true
	for _, a := range s {
		next := make([]bool, len(t)+1)
		for i, ok := range at {
			if !ok {
				continue
			}
			if a.star {
				next[i] = true
				for j := i; j < len(t) && a.set.has(rune(t[j])); j++ {
					next[j+1] = true
				}
			} else if i < len(t) && a.set.has(rune(t[i])) {
				next[i+1] = true
			}
		}
		at = next
	}
	return at[len(t)]
}

// message says what failure f lets in, with example, and what to write.
func (p *prover) message(expr string, f failure, example string) string {
	setting := p.opts.Setting
	switch f.kind {
	case failOptionalDot:
		before, after := labelsAround(f.host, f.joined)
		if fix, ok := searchFix(p, expr, failOptionalDot, dotEdits(expr)); ok {
			return fmt.Sprintf(`matches %q: the "." between %q and %q is optional, and without it they join into one label, a domain anyone can register; with %s, make the dot mandatory: %s`,
				example, before, after, setting, quote(fix))
		}
		return fmt.Sprintf(`matches %q: the "." between %q and %q is optional, and without it they join into one label, a domain anyone can register; with %s, write that dot as a plain \. with nothing after it, or list origins in AllowOrigins`,
			example, before, after, setting)
	case failPublicSuffix:
		if platformSuffix(f.domain) {
			// A name below a hosting platform's suffix is one site: a
			// wildcard below your own name there matches subdomains of
			// it that the platform seldom serves, not your other sites.
			return fmt.Sprintf(`matches %q, and %q is a public suffix where anyone can register a subdomain; with %s, list origins in AllowOrigins (such as "https://yourapp.%s") or check them in AllowOriginFunc; a wildcard below a name of your own (such as \.yourapp\.%s) helps only where the platform serves subdomains of it`,
				example, f.domain, setting, f.domain, regexp.QuoteMeta(f.domain))
		}
		return fmt.Sprintf(`matches %q, and %q is a public suffix where anyone can register a subdomain; with %s, match your own domain (such as \.yourapp\.%s) or list origins in AllowOrigins`,
			example, f.domain, setting, regexp.QuoteMeta(f.domain))
	case failGlued:
		_, suffix, _ := strings.Cut(f.domain, ".")
		if !isLabelStart(f.domain[0]) || platformSuffix(suffix) {
			// The wildcard is part of a name directly below a public
			// suffix, such as "myapp-[a-z0-9]+-myteam.vercel.app": no
			// literal domain confines it, and putting \. before the
			// literal would name a domain that does not exist or is
			// someone else's.
			return fmt.Sprintf(`matches %q: the wildcard is part of a name directly below %s, a public suffix where anyone can register one; with %s, list origins in AllowOrigins or check them against your naming rule in AllowOriginFunc`,
				example, suffix, setting)
		}
		// An optional dot made mandatory, or a \. put in.
		fix, ok := searchFix(p, expr, failGlued, dotEdits(expr))
		if !ok {
			fix, ok = searchFix(p, expr, failGlued, separatorEdits(expr, f.domain))
		}
		if ok {
			return fmt.Sprintf(`matches %q, which is not below %s: nothing separates the wildcard from the domain; with %s, put \. between them: %s, or list origins in AllowOrigins`,
				example, f.domain, setting, quote(fix))
		}
		return fmt.Sprintf(`matches %q, which is not below %s: nothing separates the wildcard from the domain; with %s, put \. between them (such as .*\.%s) or list origins in AllowOrigins`,
			example, f.domain, setting, regexp.QuoteMeta(f.domain))
	case failTrailing:
		if fix, ok := searchFix(p, expr, failTrailing, portEdits(expr)); ok {
			return fmt.Sprintf(`matches %q: the host can end in anything; with %s, end it where your domain ends and allow a port only: %s, or list origins in AllowOrigins`,
				example, setting, quote(fix))
		}
		return fmt.Sprintf(`matches %q: the host can end in anything; with %s, end every host with a literal \. and your domain (such as .*\.example\.com), allow a port only as (:\d+)?, or list origins in AllowOrigins`,
			example, setting)
	case failUnconfined:
		return fmt.Sprintf(`matches %q, a host not below any domain the expression names; with %s, end every host with a literal \. and your domain (such as .*\.example\.com) or list origins in AllowOrigins`,
			example, setting)
	}
	scheme, _, _ := strings.Cut(example, "://")
	switch {
	case scheme == "http":
		return fmt.Sprintf(`matches plain-http %q: anyone on the network path can impersonate it; with %s, match https only, or set DangerouslyAllowInsecureOrigins`,
			example, setting)
	case strings.HasSuffix(scheme, "-extension"):
		return fmt.Sprintf(`matches %q, an extension origin, not https; with %s, list the exact extension origins (with their IDs) in AllowOrigins`,
			example, setting)
	}
	return fmt.Sprintf(`matches %q, which is not https; with %s, match https only, or set DangerouslyAllowInsecureOrigins`,
		example, setting)
}

// platformSuffix reports whether public suffix ps is one a hosting
// platform lists in the private section of the public suffix list, such
// as "vercel.app" or "github.io", where each name below it is a separate
// customer's site, rather than an ICANN one such as "com" or an unlisted
// top-level domain.
func platformSuffix(ps string) bool {
	_, icann := publicsuffix.PublicSuffix("gincors-probe." + ps)
	return !icann && strings.Contains(ps, ".")
}

// isLabelStart reports whether c can begin a host name's label.
func isLabelStart(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
}
