package gincors

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"

	"github.com/gincors/gincors/internal/origin"
	"github.com/gincors/gincors/internal/originregexp"
)

// An OriginMatcher decides whether a cross-origin request's origin is
// allowed.
//
// When gincors calls MatchOrigin, origin is the value of the request's
// Origin header and is a well-formed serialized origin as browsers send it
// (lower-case scheme and host, Punycode, no default port, no path); it is
// never "null" and never longer than [MaxOriginLength]. Implementations
// must be safe for concurrent use.
type OriginMatcher interface {
	MatchOrigin(origin string) bool
}

// OriginFunc adapts an ordinary function to an [OriginMatcher].
type OriginFunc func(origin string) bool

// MatchOrigin returns f(origin).
func (f OriginFunc) MatchOrigin(origin string) bool { return f(origin) }

// ExactOrigins returns a matcher for a set of exact origins such as
// "https://example.com" or "http://localhost:8080". Spelling is normalised
// as in [Config.AllowOrigins]. Matching is one hash lookup, whatever the
// number of origins. If any origin is invalid, it returns nil and an error
// naming each.
func ExactOrigins(origins ...string) (OriginMatcher, error) {
	m := exactOrigins{}
	var errs []error
	for i, s := range origins {
		p, err := parseOriginPattern(s)
		if err == nil && !p.IsExact() {
			err = errors.New("a wildcard pattern; use WildcardOrigins")
		}
		if err != nil {
			errs = append(errs, &ConfigError{Field: fmt.Sprintf("ExactOrigins argument %d", i), Value: s, Message: err.Error()})
			continue
		}
		m[p.String()] = struct{}{}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return m, nil
}

type exactOrigins map[string]struct{}

func (m exactOrigins) MatchOrigin(origin string) bool {
	_, ok := m[origin]
	return ok
}

// WildcardOrigins returns a matcher for origin patterns with a wildcard
// subdomain, a wildcard port, or both: "https://*.example.com" matches
// "https://a.example.com" and "https://a.b.example.com" but not
// "https://example.com"; "http://localhost:*" matches "http://localhost"
// and "http://localhost:3000". Matching costs one hash lookup per label of
// the origin's host, whatever the number of patterns. If any pattern is
// invalid, it returns nil and an error naming each.
func WildcardOrigins(patterns ...string) (OriginMatcher, error) {
	m := &wildcardOrigins{}
	var errs []error
	for i, s := range patterns {
		p, err := parseOriginPattern(s)
		if err == nil && p.IsExact() {
			err = errors.New("no wildcard; use ExactOrigins")
		}
		if err != nil {
			errs = append(errs, &ConfigError{Field: fmt.Sprintf("WildcardOrigins argument %d", i), Value: s, Message: err.Error()})
			continue
		}
		m.set.Add(p)
		m.patterns = append(m.patterns, p)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return m, nil
}

type wildcardOrigins struct {
	set      origin.Set
	patterns []origin.Pattern // for the AllowCredentials checks of compile
}

func (m *wildcardOrigins) MatchOrigin(s string) bool {
	o, ok := origin.Parse(s)
	return ok && m.set.Match(o)
}

// RegexpOrigins returns a matcher for RE2 regular expressions (package
// regexp syntax), each matched against the whole origin as if it began with
// ^ and ended with $. Each expression is compiled once, here. If any
// expression is invalid, it returns nil and an error naming each.
func RegexpOrigins(exprs ...string) (OriginMatcher, error) {
	m := regexpOrigins{}
	var errs []error
	for i, expr := range exprs {
		r, err := compileOriginRegexp(expr)
		if err != nil {
			errs = append(errs, &ConfigError{Field: fmt.Sprintf("RegexpOrigins argument %d", i), Value: expr, Message: err.Error()})
			continue
		}
		m = append(m, r)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return m, nil
}

type regexpOrigins []originRegexp

func (m regexpOrigins) MatchOrigin(s string) bool {
	if _, ok := origin.Parse(s); !ok {
		return false
	}
	for _, r := range m {
		if r.match(s) {
			return true
		}
	}
	return false
}

// AnyOf returns a matcher that allows an origin if any of matchers does,
// trying them in order. Nil matchers, including typed nils such as a nil
// OriginFunc, are skipped, so optional matchers can be passed as they are.
func AnyOf(matchers ...OriginMatcher) OriginMatcher {
	ms := anyOf{}
	for _, m := range matchers {
		if !isNilMatcher(m) {
			ms = append(ms, m)
		}
	}
	return ms
}

type anyOf []OriginMatcher

func (ms anyOf) MatchOrigin(s string) bool {
	for _, m := range ms {
		if m.MatchOrigin(s) {
			return true
		}
	}
	return false
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
	r := originRegexp{expr: expr, re: re}
	r.prefix, r.middle, r.suffix = splitLiterals(tree)
	return r, nil
}

// splitLiterals splits a concatenation that begins or ends with literal
// text, such as https://[a-z0-9-]+\.example\.com, into that text and an
// anchored regexp for the rest: s then matches the whole exactly when it
// has the prefix and the suffix without overlap and its middle matches
// the rest. Go's regexp engines cost tens of instructions per byte, so
// for most origin regexps this runs them over a label instead of the
// whole origin. A leading ^ and a trailing $ are dropped first: the
// expression is anchored anyway. middle is nil if the tree has no such
// shape, if a literal ignores case, or if the rest holds an assertion (^,
// $, \b, \B), which could read differently without the text around it.
func splitLiterals(tree *syntax.Regexp) (prefix string, middle *regexp.Regexp, suffix string) {
	tree = tree.Simplify()
	if tree.Op != syntax.OpConcat {
		return "", nil, ""
	}
	subs := tree.Sub
	if len(subs) > 0 && subs[0].Op == syntax.OpBeginText {
		subs = subs[1:]
	}
	if len(subs) > 0 && subs[len(subs)-1].Op == syntax.OpEndText {
		subs = subs[:len(subs)-1]
	}
	if len(subs) < 2 {
		return "", nil, ""
	}
	literal := func(r *syntax.Regexp) bool { return r.Op == syntax.OpLiteral && r.Flags&syntax.FoldCase == 0 }
	if literal(subs[0]) {
		prefix, subs = string(subs[0].Rune), subs[1:]
	}
	if len(subs) > 0 && literal(subs[len(subs)-1]) {
		suffix, subs = string(subs[len(subs)-1].Rune), subs[:len(subs)-1]
	}
	if prefix == "" && suffix == "" || slices.ContainsFunc(subs, hasAssertion) {
		return "", nil, ""
	}
	rest := &syntax.Regexp{Op: syntax.OpEmptyMatch}
	switch len(subs) {
	case 0:
	case 1:
		rest = subs[0]
	default:
		rest = &syntax.Regexp{Op: syntax.OpConcat, Sub: subs}
	}
	middle, err := regexp.Compile(`^(?:` + rest.String() + `)$`)
	if err != nil {
		return "", nil, "" // the whole expression compiled, so this does not happen
	}
	return prefix, middle, suffix
}

// hasAssertion reports whether r holds an empty-width assertion.
func hasAssertion(r *syntax.Regexp) bool {
	switch r.Op {
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	}
	return slices.ContainsFunc(r.Sub, hasAssertion)
}

// match reports whether s matches r in full.
func (r *originRegexp) match(s string) bool {
	if r.middle == nil {
		return r.re.MatchString(s)
	}
	return len(s) >= len(r.prefix)+len(r.suffix) &&
		strings.HasPrefix(s, r.prefix) && strings.HasSuffix(s, r.suffix) &&
		r.middle.MatchString(s[len(r.prefix):len(s)-len(r.suffix)])
}

// originRegexp is one compiled origin regexp.
type originRegexp struct {
	expr string
	re   *regexp.Regexp
	// prefix and suffix are literal text the expression begins and ends
	// with, and middle the rest, anchored (see splitLiterals); middle is
	// nil if the expression has no such shape, and re is used whole.
	prefix, suffix string
	middle         *regexp.Regexp
	// domains confine the regexp's non-literal hosts, and hosts are the
	// literal ones, as proved for a strict policy; empty otherwise.
	domains, hosts []string
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
