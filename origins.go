package gincors

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"golang.org/x/net/publicsuffix"

	"github.com/gincors/gincors/internal/origin"
	"github.com/gincors/gincors/internal/originregexp"
)

// The origin decision: which origins a policy allows, compiled from every
// origin setting of a Config, and the checks that keep an origin someone
// else can own or impersonate from being allowed with credentials or
// private network access.

// originPolicy is the compiled origin decision. The library's own
// matchers found in AllowOriginMatcher (also inside AnyOf) are merged into the
// exact set, the pattern set and the regexps, so they are checked and
// matched exactly as AllowOrigins and AllowOriginRegexps are.
type originPolicy struct {
	allowAll bool                // "*" (never with credentials)
	exact    map[string]struct{} // serialized origins, and "null" if allowed
	patterns origin.Set          // wildcard subdomains and ports
	regexps  []originRegexp
	// memo holds origins allowed by a costlier check than a hash lookup:
	// a wildcard or a regexp (with the nested-suffix lookup in strict
	// policies). Nil if there is neither.
	memo        *memo
	matchers    []OriginMatcher // AllowOriginFunc, then the user's matchers
	contextFunc func(*gin.Context, string) bool
	exactOnly   bool // no source but exact: an exact-map miss is final
	// nestedSuffixes is set with credentials or private network access
	// (unless public-suffix wildcards are allowed): a wildcard or regexp
	// match under a public suffix nested below the pattern's domain is
	// then refused.
	nestedSuffixes bool
}

// allows reports whether the request's origin s is allowed. Only a
// well-formed serialized origin reaches the patterns, regexps and
// functions.
func (o *originPolicy) allows(c *gin.Context, s string) bool {
	if o.allowAll {
		return true
	}
	if len(s) > origin.MaxLength {
		return false
	}
	if _, ok := o.exact[s]; ok {
		return true
	}
	if o.exactOnly {
		return false
	}
	if o.memo != nil && o.memo.has(s) {
		return true
	}
	parsed, ok := origin.Parse(s)
	if !ok {
		return false
	}
	if parent, ok := o.patterns.MatchUnder(parsed); ok && !o.underNestedSuffix(parsed.Host, parent) {
		o.memo.add(s)
		return true
	}
	for i := range o.regexps {
		r := &o.regexps[i]
		if !r.re.MatchString(s) {
			continue
		}
		// A host the expression spells out is listed, not wildcarded.
		if slices.Contains(r.hosts, parsed.Host) || !o.underNestedSuffix(parsed.Host, r.domains...) {
			o.memo.add(s)
			return true
		}
	}
	for _, m := range o.matchers {
		if m.MatchOrigin(s) {
			return true
		}
	}
	return o.contextFunc != nil && o.contextFunc(c, s)
}

// underNestedSuffix reports whether, in a policy that checks it, host lies
// under a public suffix nested below one of the domains a pattern confines
// it to:
// "https://*.amazonaws.com" confines to amazonaws.com, but
// s3.amazonaws.com is itself a public suffix, so anyone can own
// attacker.s3.amazonaws.com. Only wildcard and regexp matches pay for the
// lookup, and only with credentials or private network access.
func (o *originPolicy) underNestedSuffix(host string, domains ...string) bool {
	if !o.nestedSuffixes || len(domains) == 0 || domains[0] == "" {
		return false
	}
	suffix, _ := publicsuffix.PublicSuffix(host)
	for _, d := range domains {
		// Both are suffixes of host, so a longer suffix lies below d.
		if len(suffix) > len(d) && strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// originChecks are the settings the strict checks depend on.
type originChecks struct {
	strict   bool
	because  string // "AllowCredentials" or "AllowPrivateNetwork"
	insecure bool   // DangerouslyAllowInsecureOrigins
	suffixes bool   // DangerouslyAllowPublicSuffixWildcards
}

func compileOrigins(c Config, ps *problems) originPolicy {
	checks := originChecks{
		strict:   c.AllowCredentials || c.AllowPrivateNetwork,
		because:  "AllowCredentials",
		insecure: c.DangerouslyAllowInsecureOrigins,
		suffixes: c.DangerouslyAllowPublicSuffixWildcards,
	}
	if !c.AllowCredentials {
		checks.because = "AllowPrivateNetwork"
	}
	o := originPolicy{
		exact:          map[string]struct{}{},
		contextFunc:    c.AllowOriginWithContextFunc,
		nestedSuffixes: checks.strict && !checks.suffixes,
	}
	others := len(c.AllowOriginRegexps) > 0 || c.AllowOriginFunc != nil ||
		c.AllowOriginWithContextFunc != nil || c.AllowOriginMatcher != nil
	entries := tidyOrigins(c.AllowOrigins, c.DangerouslyAllowNullOrigin, ps)
	for _, e := range entries {
		field, s := e.field, e.value
		if e.regexp {
			if re, err := compileOriginRegexp(s); err == nil {
				o.addRegexp(checks, field, re, ps)
			}
			continue
		}
		if s == "*" {
			switch {
			case c.AllowCredentials:
				ps.add(field, s, `not allowed with AllowCredentials: browsers refuse "*" on credentialed requests, and reflecting every origin instead would let any website read your users' data. List the origins that need credentials: in development, AllowOrigins: []string{"http://localhost:*", "http://127.0.0.1:*"}; in production, AllowOrigins: []string{"https://app.example.com"} (or "https://*.example.com" for your subdomains)`)
			case len(entries) > 1 || others:
				ps.warn(field, s, `"*" allows every origin, so the other origin settings have no effect; remove them, or remove "*"`)
				o.allowAll = true
			default:
				o.allowAll = true
			}
			continue
		}
		if s == "null" && c.DangerouslyAllowNullOrigin {
			o.exact["null"] = struct{}{}
			continue
		}
		pat, err := parseOriginPattern(s)
		if err != nil {
			ps.add(field, e.written, "%v", err)
			continue
		}
		o.addPattern(checks, field, s, pat, ps)
	}

	for i, expr := range c.AllowOriginRegexps {
		field := fmt.Sprintf("AllowOriginRegexps[%d]", i)
		re, err := compileOriginRegexp(expr)
		if err != nil {
			ps.add(field, expr, "%v", err)
			continue
		}
		o.addRegexp(checks, field, re, ps)
	}

	if c.AllowOriginFunc != nil {
		o.matchers = append(o.matchers, OriginFunc(c.AllowOriginFunc))
	}
	if c.AllowOriginMatcher != nil {
		if isNilMatcher(c.AllowOriginMatcher) {
			ps.add("AllowOriginMatcher", "", "a nil %T, which would panic on every request; set a matcher, or leave AllowOriginMatcher nil", c.AllowOriginMatcher)
		} else {
			o.addMatcher(checks, "AllowOriginMatcher", c.AllowOriginMatcher, ps)
		}
	}
	checkOriginFuncs(c, &o, checks, ps)
	if len(o.regexps) > 0 || !o.patterns.Empty() {
		o.memo = newMemo()
	}
	o.exactOnly = o.patterns.Empty() && len(o.regexps) == 0 && len(o.matchers) == 0 && o.contextFunc == nil
	if len(c.AllowOrigins) == 0 && !others {
		ps.add("Config", "", `no origin source; set AllowOrigins (such as []string{"https://app.example.com"}, or []string{"*"} for a public API), AllowOriginRegexps, AllowOriginFunc, AllowOriginWithContextFunc or AllowOriginMatcher (if AllowOrigins comes from gincors.OriginsFromEnv, that variable is unset or empty)`)
	}
	return o
}

// originEntry is one origin of AllowOrigins as gincors reads it, with the
// field and the value it was written as.
type originEntry struct {
	field, written, value string
	regexp                bool // value is an expression for the regexp set
}

// tidyOrigins returns the entries of list, the AllowOrigins field, as
// gincors reads them, warning about each harmless misspelling it tidies:
// surrounding spaces, a trailing slash or a path, several origins joined
// by "," (each piece is then checked as an entry of its own, so "*" or an
// unsafe origin among them is still refused), and a gin-contrib/cors
// regexp between /…/ delimiters (checked as an entry of
// AllowOriginRegexps). What stays ambiguous, such as a missing scheme, a
// query or userinfo, is left for the normal checks to refuse.
func tidyOrigins(list []string, nullAllowed bool, ps *problems) []originEntry {
	entries := make([]originEntry, 0, len(list))
	for i, written := range list {
		field := fmt.Sprintf("AllowOrigins[%d]", i)
		s := strings.TrimSpace(written)
		switch {
		case len(s) >= 2 && strings.HasPrefix(s, "/") && strings.HasSuffix(s, "/"):
			expr := s[1 : len(s)-1]
			if _, err := compileOriginRegexp(expr); err != nil {
				ps.add(field, written, "a regexp between /…/ delimiters, as gin-contrib/cors writes them, that %v", err)
				continue
			}
			ps.warn(field, written, "a regexp between /…/ delimiters, as gin-contrib/cors writes them; gincors checks it as AllowOriginRegexps: []string{%q} and matches it against the whole origin, as if written ^(?:…)$. Move it there, without delimiters: AllowOriginRegexps: []string{%q}; for subdomains, a pattern is simpler: AllowOrigins: []string{\"https://*.example.com\"}", expr, expr)
			entries = append(entries, originEntry{field: field, written: written, value: expr, regexp: true})
		case strings.Contains(s, ","):
			var pieces []string
			for piece := range strings.SplitSeq(s, ",") {
				if piece = strings.TrimSpace(piece); piece != "" {
					pieces = append(pieces, tidyOrigin(piece))
				}
			}
			switch len(pieces) {
			case 0:
				ps.add(field, written, `no origin, only ","; write a scheme and a host, such as "https://example.com"`)
				continue
			case 1:
				ps.warn(field, written, `a stray ",", which no Origin header holds; gincors reads it as %q; write %q`, pieces[0], pieces[0])
			default:
				ps.warn(field, written, `%d origins joined by ","; no Origin header is ever a list, so gincors reads them as separate entries, each checked on its own; write AllowOrigins: []string{%s}, or, for a list in an environment variable, gincors.OriginsFromEnv`, len(pieces), quoteList(pieces))
			}
			for _, piece := range pieces {
				entries = append(entries, originEntry{field: field, written: piece, value: piece})
			}
		default:
			stripped := stripPath(s)
			if stripped == written {
				entries = append(entries, originEntry{field: field, written: written, value: written})
				continue
			}
			fix := stripped
			if p, err := parseOriginPattern(stripped); err == nil {
				fix = p.String()
			} else if stripped != "*" && (stripped != "null" || !nullAllowed) {
				// Refused below, for what remains wrong once tidied.
				entries = append(entries, originEntry{field: field, written: written, value: stripped})
				continue
			}
			ps.warn(field, written, "%s, which no Origin header has; gincors reads it as %q; write %q", tidiedWhat(written, s), fix, fix)
			entries = append(entries, originEntry{field: field, written: written, value: stripped})
		}
	}
	return entries
}

// stripPath returns origin s without the path (or trailing slash) a URL
// would have after it. A query, a fragment or userinfo is kept, to be
// refused: what was meant is less certain.
func stripPath(s string) string {
	if path := originPath(s); path != "" {
		return s[:len(s)-len(path)]
	}
	return s
}

// originPath returns the path that follows the host and port in s, or ""
// if there is none, or if a query or fragment follows.
func originPath(s string) string {
	_, rest, ok := strings.Cut(s, "://")
	if !ok {
		return ""
	}
	i := strings.IndexAny(rest, "/?#")
	if i < 0 || rest[i] != '/' || strings.ContainsAny(rest[i:], "?#") {
		return ""
	}
	return rest[i:]
}

// tidyOrigin returns s without its path, in the spelling browsers send if
// it parses.
func tidyOrigin(s string) string {
	s = stripPath(s)
	if p, err := parseOriginPattern(s); err == nil {
		return p.String()
	}
	return s
}

// tidiedWhat names what tidying removed from written (s once trimmed).
func tidiedWhat(written, s string) string {
	var what []string
	if s != written {
		what = append(what, "leading or trailing space")
	}
	switch path := originPath(s); path {
	case "":
	case "/":
		what = append(what, "a trailing slash")
	default:
		what = append(what, fmt.Sprintf("a path, %q (an origin is a scheme, a host and a port)", path))
	}
	return strings.Join(what, " and ")
}

// addMatcher adds m, found at field: the library's own matchers merge
// themselves into o's sets, so they are checked and matched exactly as
// AllowOrigins and AllowOriginRegexps are; any other matcher is kept as it
// is.
func (o *originPolicy) addMatcher(checks originChecks, field string, m OriginMatcher, ps *problems) {
	if lm, ok := m.(libraryMatcher); ok {
		lm.mergeInto(o, checks, field, ps)
		return
	}
	o.matchers = append(o.matchers, m)
}

// A libraryMatcher is one of the matchers matcher.go builds.
type libraryMatcher interface {
	mergeInto(o *originPolicy, checks originChecks, field string, ps *problems)
}

// addPattern adds pattern pat, spelled s, reporting it if it must not be
// used in a strict policy without a Dangerously opt-in.
func (o *originPolicy) addPattern(checks originChecks, field, s string, pat origin.Pattern, ps *problems) {
	if checks.strict {
		if pat.Scheme == "http" && !origin.IsLoopback(pat.Host) && !checks.insecure {
			ps.add(field, s, "plain-http origin with %s: anyone on the network path can impersonate it and read your users' data; use %q, or set DangerouslyAllowInsecureOrigins", checks.because, "https"+strings.TrimPrefix(pat.String(), "http"))
		}
		if pat.AnySubdomain && origin.IsPublicSuffix(pat.Host) && !checks.suffixes {
			ps.add(field, s, "%q is a public suffix, where anyone can register a subdomain, and %s is set; list your own subdomains, or set DangerouslyAllowPublicSuffixWildcards", pat.Host, checks.because)
		}
	}
	if pat.IsExact() {
		o.exact[pat.String()] = struct{}{}
	} else {
		o.patterns.Add(pat)
	}
}

// addRegexp adds r, reporting it if it is not shown safe for a strict
// policy.
func (o *originPolicy) addRegexp(checks originChecks, field string, r originRegexp, ps *problems) {
	if checks.strict {
		proof, err := originregexp.Prove(r.expr, originregexp.Options{AllowInsecure: checks.insecure, Setting: checks.because})
		if err != nil {
			ps.add(field, r.expr, "%v", err)
			return
		}
		r.domains, r.hosts = proof.Domains, proof.Hosts
	}
	o.regexps = append(o.regexps, r)
}

// compileOriginRegexp compiles expr anchored at both ends, so that
// `https://example\.com` cannot match "https://example.com.evil.io".
func compileOriginRegexp(expr string) (originRegexp, error) {
	if expr == "" {
		return originRegexp{}, errors.New("empty expression; it would match nothing")
	}
	if strings.TrimSpace(expr) != expr {
		return originRegexp{}, errors.New("leading or trailing space, which no origin has; remove it")
	}
	tree, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return originRegexp{}, fmt.Errorf("does not compile: %w", err)
	}
	if err := originregexp.Lint(expr); err != nil {
		return originRegexp{}, err
	}
	// Anchor the parsed tree's canonical form, not the text: a suffix such
	// as ")|(b" or an unterminated \Q could otherwise escape the anchors.
	re, err := regexp.Compile(`^(?:` + tree.String() + `)$`)
	if err != nil {
		return originRegexp{}, fmt.Errorf("does not compile: %w", err)
	}
	return originRegexp{expr: expr, re: re}, nil
}

// originRegexp is one compiled origin regexp.
type originRegexp struct {
	expr string
	re   *regexp.Regexp
	// domains confine the regexp's non-literal hosts, and hosts are the
	// literal ones, as proved for a strict policy; empty otherwise.
	domains, hosts []string
}

// parseOriginPattern parses one entry of AllowOrigins other than "*".
func parseOriginPattern(s string) (origin.Pattern, error) {
	switch s {
	case "null":
		return origin.Pattern{}, errors.New(`the "null" origin is sent by sandboxed iframes and data: and file: documents, which any site can create; allowing it allows everyone (set DangerouslyAllowNullOrigin if you must)`)
	case "*":
		return origin.Pattern{}, errors.New(`"*" is not an origin pattern; use Config.AllowOrigins: []string{"*"} to allow every origin`)
	}
	return origin.ParsePattern(s)
}

// isNilMatcher reports whether m is nil or holds a nil pointer or function,
// on which calling MatchOrigin would typically panic. (A nil map or slice
// reads as empty, so it is a matcher that allows nothing.)
func isNilMatcher(m OriginMatcher) bool {
	if m == nil {
		return true
	}
	switch v := reflect.ValueOf(m); v.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Interface:
		return v.IsNil()
	}
	return false
}
