// Package originregexp decides, from the parsed expression alone, whether
// an origin regular expression is safe to use with credentials or private
// network access, and finds the usual spelling mistakes in one.
//
// The decision is a proof, not a probe: the expression is expanded into
// linear alternatives that together match at least what it matches, each
// alternative is split into scheme, host and port the way origin.Parse
// splits a serialized origin, and each host must be a literal host, lie
// below a literal ".domain" that is not a public suffix, or be loopback;
// and no label of that host or domain may run into the next where another
// alternative puts a dot between them (an optional dot, optionaldot.go).
// When the proof fails, the refusal names an origin the expression really
// matches, found from the failing alternative and checked with the
// compiled expression.
package originregexp

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"

	"github.com/gincors/gincors/internal/origin"
	"golang.org/x/net/publicsuffix"
)

// Options say what the proof may assume.
type Options struct {
	AllowInsecure bool   // DangerouslyAllowInsecureOrigins: any scheme is acceptable
	Setting       string // "AllowCredentials" or "AllowPrivateNetwork": named in messages as the reason the check applies ("AllowCredentials" if empty)
}

// Proof is what a successful proof found.
type Proof struct {
	// Domains are the registrable domains (or subdomains of one) below
	// which the expression's non-literal hosts are confined, deduplicated
	// and sorted. A matched host's public suffix may still lie below one of
	// them (s3.amazonaws.com under amazonaws.com): that is for the caller
	// to check at request time.
	Domains []string
	// Hosts are the exact hosts the expression's literal alternatives name,
	// deduplicated and sorted.
	Hosts []string
}

// maxChoices bounds the spellings a scheme, or a host's trailing literal,
// may be expanded into: `http[s]` is two, `[a-z]{5}` is far too many.
const maxChoices = 64

// maxClassChoice is the largest character class in a host read as a choice
// of literal spellings rather than as a wildcard.
const maxClassChoice = 4

// failure kinds, in the order refusals report them: a host an attacker
// can own says more than a scheme they can impersonate.
type failKind int

const (
	failPublicSuffix failKind = iota // below a literal domain that is a public suffix
	failGlued                        // the wildcard runs into the domain's first label
	failTrailing                     // the host can end in anything
	failUnconfined                   // no literal ".domain" after the last wildcard
	failOptionalDot                  // leaving out an optional dot joins two labels into another domain
	failScheme                       // a scheme other than https (or http on loopback)
)

type failure struct {
	kind    failKind
	shape   shape
	host    sequence // the host variant that failed
	suffix  string   // literal text after the host's last wildcard
	domain  string   // for failPublicSuffix and failGlued
	joined  int      // for failOptionalDot: the index in host of the label joined to the one before
	schemes []string // for failScheme: the offending schemes, if known
}

// prover holds what one proof has found.
type prover struct {
	opts     Options
	domains  map[string]bool
	hosts    map[string]bool
	named    map[string]bool // every non-public-suffix domain any alternative names
	failures []failure
	// optionalDots are the pairs of places some alternative separates
	// by a dot (see optionaldot.go).
	optionalDots map[placePair]bool
	alternatives int // how many the expression expanded into
}

// Prove decides, from the parsed expression alone, whether every
// well-formed origin the anchored expression can match is safe to grant
// credentials or private-network access. If it cannot show that, it
// returns an error that names one concrete origin the expression matches
// that an attacker could own or impersonate, built from the expression and
// verified by actually matching it, and the fix. An expression longer than
// maxExprLength is refused before it is parsed, so the work is bounded.
func Prove(expr string, opts Options) (Proof, error) {
	if opts.Setting == "" {
		opts.Setting = "AllowCredentials"
	}
	p, re, err := run(expr, opts)
	if err != nil {
		return Proof{}, err
	}
	if len(p.failures) == 0 {
		return Proof{Domains: sortedKeys(p.domains), Hosts: sortedKeys(p.hosts)}, nil
	}
	slices.SortStableFunc(p.failures, func(a, b failure) int {
		if a.shape.ipv6 != b.shape.ipv6 { // domain hosts make better examples
			if a.shape.ipv6 {
				return 1
			}
			return -1
		}
		return int(a.kind) - int(b.kind)
	})
	for _, f := range p.failures {
		if example, ok := p.counterexample(re, f); ok {
			return Proof{}, errors.New(p.message(expr, f, example))
		}
	}
	return Proof{}, fmt.Errorf("cannot be shown to match only your own https origins, and %s is set; list origins in AllowOrigins", opts.Setting)
}

// run parses expr and checks every shape of every alternative, recording
// the failures in the prover it returns with the anchored expression.
func run(expr string, opts Options) (*prover, *regexp.Regexp, error) {
	if err := checkLength(expr); err != nil {
		return nil, nil, err
	}
	tree, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, nil, fmt.Errorf("does not compile: %w", err)
	}
	re, err := regexp.Compile(`^(?:` + tree.String() + `)$`)
	if err != nil {
		return nil, nil, fmt.Errorf("does not compile: %w", err)
	}
	var e expander
	seqs, err := e.expand(tree)
	if err != nil {
		return nil, nil, fmt.Errorf("too complex to prove safe, and %s is set; list origins in AllowOrigins, or split it into simpler expressions", opts.Setting)
	}
	p := &prover{opts: opts, domains: map[string]bool{}, hosts: map[string]bool{}, named: map[string]bool{}, optionalDots: optionalDots(seqs), alternatives: len(seqs)}
	for _, s := range seqs {
		for _, sh := range shapes(s) {
			p.check(sh)
		}
	}
	return p, re, nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// check proves one shape safe or records why it is not.
func (p *prover) check(sh shape) {
	schemes, open := choices(sh.scheme, maxChoices)
	schemes = slices.DeleteFunc(schemes, func(s string) bool { return !validScheme(s) })
	if !open && len(schemes) == 0 {
		return // no well-formed origin has this shape
	}
	if !open && !p.opts.AllowInsecure && !slices.Contains(schemes, "https") && !slices.Contains(schemes, "http") {
		// Not a web origin (chrome-extension://, say): the scheme alone
		// decides.
		p.failures = append(p.failures, failure{kind: failScheme, shape: sh, host: sh.host, schemes: schemes})
		return
	}
	for _, host := range hostVariants(sh.host) {
		loopback, ok := p.checkHost(sh, host)
		if !ok {
			continue
		}
		if p.opts.AllowInsecure {
			continue
		}
		var bad []string
		for _, s := range schemes {
			if s != "https" && (s != "http" || !loopback) {
				bad = append(bad, s)
			}
		}
		if open || len(bad) > 0 {
			p.failures = append(p.failures, failure{kind: failScheme, shape: sh, host: host, schemes: bad})
		}
	}
}

// checkHost proves a host variant confined, recording what confines it,
// and reports whether it is certainly loopback. ok is false when it is not
// confined (a failure is recorded) or matches no well-formed host.
func (p *prover) checkHost(sh shape, host sequence) (loopback, ok bool) {
	if lit, isLit := literal(host); isLit {
		if _, valid := origin.Parse("https://" + lit); !valid {
			return false, false
		}
		if origin.IsLoopback(lit) {
			p.hosts[lit] = true
			return true, true
		}
		if i, joined := p.joinedLabels(host, 0); joined {
			p.failures = append(p.failures, failure{kind: failOptionalDot, shape: sh, host: host, joined: i})
			return false, false
		}
		p.hosts[lit] = true
		return false, true
	}
	if sh.ipv6 {
		p.failures = append(p.failures, failure{kind: failUnconfined, shape: sh, host: host})
		return false, false
	}
	if isLoopbackIPv4(host) {
		return true, true
	}
	last := len(host) - 1
	for last >= 0 {
		if _, single := host[last].set.single(); !single || host[last].star {
			break
		}
		last--
	}
	suffix, _ := literal(host[last+1:])
	f := failure{shape: sh, host: host, suffix: suffix}
	dot := strings.IndexByte(suffix, '.')
	if dot < 0 {
		f.kind = failUnconfined
		if suffix == "" {
			f.kind = failTrailing
		}
		p.failures = append(p.failures, f)
		return false, false
	}
	domain := suffix[dot+1:]
	labels := strings.Split(domain, ".")
	if lastLabel := labels[len(labels)-1]; isNumeric(lastLabel) {
		// Every host ending in a number is an IPv4 address.
		f.kind = failUnconfined
		p.failures = append(p.failures, f)
		return false, false
	}
	if _, valid := origin.Parse("https://" + domain); !valid {
		return false, false // such hosts never parse
	}
	if origin.IsLoopback(domain) {
		p.domains[domain] = true
		return true, true
	}
	if i, joined := p.joinedLabels(host, last+1); joined {
		f.kind, f.joined = failOptionalDot, i
		p.failures = append(p.failures, f)
		return false, false
	}
	if origin.IsPublicSuffix(domain) {
		f.kind, f.domain = failPublicSuffix, domain
		if glued := suffix; dot > 0 && !origin.IsPublicSuffix(glued) {
			f.kind, f.domain = failGlued, glued
			p.named[glued] = true
		}
		p.failures = append(p.failures, f)
		return false, false
	}
	if _, err := publicsuffix.EffectiveTLDPlusOne(domain); err != nil {
		f.kind, f.domain = failPublicSuffix, domain
		p.failures = append(p.failures, f)
		return false, false
	}
	p.domains[domain] = true
	p.named[domain] = true
	return false, true
}

// isLoopbackIPv4 reports whether every well-formed host host matches is in
// 127.0.0.0/8: it starts with the literal "127." and has only digits and
// dots, so its last label is a number and origin.Parse insists on a
// canonical IPv4 address.
func isLoopbackIPv4(host sequence) bool {
	prefix := ""
	for _, a := range host {
		c, single := a.set.single()
		if !single || a.star {
			break
		}
		prefix += string(c)
	}
	if !strings.HasPrefix(prefix, "127.") {
		return false
	}
	for _, a := range host {
		if !a.set.minus(digitChars.or(charsetOf("."))).empty() {
			return false
		}
	}
	return true
}

func isNumeric(label string) bool {
	if strings.HasPrefix(label, "0x") {
		return true
	}
	for i := 0; i < len(label); i++ {
		if label[i] < '0' || label[i] > '9' {
			return false
		}
	}
	return label != ""
}

func validScheme(s string) bool {
	o, ok := origin.Parse(s + "://a")
	return ok && o.Scheme == s
}

// literal returns the string s spells if every atom is one character.
func literal(s sequence) (string, bool) {
	b := make([]byte, 0, len(s))
	for _, a := range s {
		c, single := a.set.single()
		if !single || a.star {
			return "", false
		}
		b = append(b, c)
	}
	return string(b), true
}

// choices returns the strings s spells if it has no repetition and at most
// limit spellings; open is true otherwise.
func choices(s sequence, limit int) (out []string, open bool) {
	out = []string{""}
	for _, a := range s {
		if a.star || len(out)*a.set.count() > limit {
			return nil, true
		}
		var next []string
		for _, prefix := range out {
			for _, c := range a.set.chars() {
				next = append(next, prefix+string(c))
			}
		}
		out = next
	}
	return out, false
}

// hostVariants expands small character classes (at most maxClassChoice
// characters, such as [mk] or a case-folded letter) after a host's last
// repetition or larger class into their spellings, so that
// `app\.example\.co[mk]` names two literal hosts, like
// `app\.example\.(com|cok)`. A larger class such as [a-z] is a wildcard.
func hostVariants(host sequence) []sequence {
	last := -1
	for i, a := range host {
		if a.star || a.set.count() > maxClassChoice {
			last = i
		}
	}
	tail := host[last+1:]
	spellings, open := choices(tail, maxChoices)
	if open || len(spellings) <= 1 {
		return []sequence{host}
	}
	out := make([]sequence, 0, len(spellings))
	for _, sp := range spellings {
		v := append(sequence(nil), host[:last+1]...)
		for i := 0; i < len(sp); i++ {
			v = append(v, atom{set: charsetOf(sp[i : i+1]), pos: tail[i].pos})
		}
		out = append(out, v)
	}
	return out
}
