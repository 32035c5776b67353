package gincors

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/gincors/gincors/internal/origin"
)

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
		if r.re.MatchString(s) {
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

// The library's matchers merge into a policy's own sets (addMatcher).

func (ms anyOf) mergeInto(o *originPolicy, checks originChecks, field string, ps *problems) {
	for _, m := range ms {
		o.addMatcher(checks, field, m, ps)
	}
}

func (m exactOrigins) mergeInto(o *originPolicy, checks originChecks, field string, ps *problems) {
	for _, s := range slices.Sorted(maps.Keys(m)) {
		pat, _ := origin.ParsePattern(s) // ExactOrigins keeps only valid ones
		o.addPattern(checks, field+" (ExactOrigins)", s, pat, ps)
	}
}

func (m *wildcardOrigins) mergeInto(o *originPolicy, checks originChecks, field string, ps *problems) {
	for _, pat := range m.patterns {
		o.addPattern(checks, field+" (WildcardOrigins)", pat.String(), pat, ps)
	}
}

func (m regexpOrigins) mergeInto(o *originPolicy, checks originChecks, field string, ps *problems) {
	for _, r := range m {
		o.addRegexp(checks, field+" (RegexpOrigins)", r, ps)
	}
}
