package gincors

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
)

// ByPath returns a middleware that applies one CORS policy per path
// prefix, for an engine whose routes need different policies, such as a
// public API and a credentialed /admin. Install it with engine.Use, like
// [New]; it panics like New if a key or a Config is invalid.
//
// The keys are path prefixes matched on whole segments: "/admin" covers
// "/admin" and "/admin/users", never "/administrator". The longest
// matching key wins, and "/" is the fallback; a request under no key gets
// no CORS handling at all. Exactly one policy handles each request, so a
// permissive policy can never leak onto a stricter path, as it does when an
// engine-wide policy is stacked with a group's.
//
// It is also the answer to Gin's group problem: a group's own middleware
// never sees preflights for routes without an OPTIONS handler (Gin answers
// 404 or 405 first), whereas ByPath, on the engine, answers them, with
// HandleMethodNotAllowed on or off.
//
// The policy is the one of the path Gin routes on, matched
// case-sensitively, whatever the engine's UseRawPath, UseEscapedPath and
// RemoveExtraSlash: "//admin/users", routed to /admin/users by an engine
// that removes extra slashes, gets the "/admin" policy. Where a path reads
// differently under those settings and the readings fall under different
// keys, as "/admin/files/x/..%2F..%2Fitems" does, the request gets the
// policy of the route Gin dispatched it to if the readings that fit that
// route agree, and otherwise no CORS handling at all, never a more
// permissive policy; browsers send no such path on their own.
func ByPath(policies map[string]Config) gin.HandlerFunc {
	bp, err := newPathPolicies(policies)
	if err != nil {
		panic(err)
	}
	return bp.handle
}

// pathPolicies maps path prefixes to their middleware.
type pathPolicies struct {
	byPrefix map[string]*Middleware // the keys other than "/"
	// byEscapedPrefix holds the same keys as they appear in an escaped
	// path (URL.RawPath), such as "/caf%C3%A9" for "/café".
	byEscapedPrefix map[string]*Middleware
	root            *Middleware // the "/" policy, or nil
}

func newPathPolicies(policies map[string]Config) (*pathPolicies, error) {
	bp := &pathPolicies{byPrefix: make(map[string]*Middleware, len(policies))}
	var errs []error
	var compiled []*policy
	for _, prefix := range slices.Sorted(maps.Keys(policies)) {
		field := fmt.Sprintf("ByPath[%q]", prefix)
		if msg := checkPathPrefix(prefix); msg != "" {
			errs = append(errs, &ConfigError{Field: "ByPath", Value: prefix, Message: msg})
			continue
		}
		p, err := compile(policies[prefix])
		if err != nil {
			errs = append(errs, prefixConfigErrors(field, err))
			continue
		}
		// Warnings name the key, as errors do.
		for i := range p.warnings {
			p.warnings[i].Field = field + "." + p.warnings[i].Field
		}
		compiled = append(compiled, p)
		m := &Middleware{}
		m.policy.Store(p)
		if prefix == "/" {
			bp.root = m
		} else {
			bp.byPrefix[prefix] = m
		}
	}
	if len(policies) == 0 {
		errs = append(errs, &ConfigError{Field: "ByPath", Message: `no policy; map at least one path prefix, such as "/", to a Config`})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	bp.byEscapedPrefix = make(map[string]*Middleware, len(bp.byPrefix))
	for prefix, m := range bp.byPrefix {
		bp.byEscapedPrefix[(&url.URL{Path: prefix}).EscapedPath()] = m
	}
	for _, p := range compiled {
		p.logWarnings()
	}
	return bp, nil
}

// checkPathPrefix returns why prefix cannot be a ByPath key, or "".
func checkPathPrefix(prefix string) string {
	switch {
	case prefix == "/":
		return ""
	case !strings.HasPrefix(prefix, "/"):
		return fmt.Sprintf("a path prefix starts with \"/\"; write %q", "/"+prefix)
	case strings.HasSuffix(prefix, "/"):
		return fmt.Sprintf("prefixes match whole segments, so a trailing slash adds nothing; write %q", strings.TrimRight(prefix, "/"))
	case strings.Contains(prefix, "//"):
		return "empty path segment; remove the extra \"/\""
	case strings.Contains(prefix, "%"):
		return "a key is a decoded path, as URL.Path is: write the characters themselves (\"/café\", not \"/caf%C3%A9\"); an encoded \"/\" cannot be part of a key"
	case strings.ContainsAny(prefix, ":*?#"):
		return "a literal path prefix, not a Gin route pattern or a URL; write the fixed part, such as \"/admin\""
	}
	for _, seg := range strings.Split(prefix[1:], "/") {
		if seg == "." || seg == ".." {
			return "a dot segment, which Gin never routes; write the path it stands for"
		}
	}
	return ""
}

// prefixConfigErrors prefixes the field of every ConfigError in err.
func prefixConfigErrors(field string, err error) error {
	var out []error
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		if ce, ok := e.(*ConfigError); ok {
			ce2 := *ce
			ce2.Field = field + "." + ce.Field
			e = &ce2
		}
		out = append(out, e)
	}
	return errors.Join(out...)
}

// handle hands the request to the policy of the path Gin routed it on, or
// lets it through without CORS handling if that path is under no key or
// cannot be told.
func (bp *pathPolicies) handle(c *gin.Context) {
	if m := bp.choose(c.Request.URL, c.FullPath()); m != nil {
		m.handle(c)
		return
	}
	c.Next()
}

// choose returns the policy of the path Gin routed the request on, or nil.
//
// Gin routes on one of several readings of the request's path, depending
// on the engine's settings, which a middleware cannot see: URL.Path,
// URL.RawPath (UseRawPath) or URL.EscapedPath (UseEscapedPath, Gin 1.12),
// each of them cleaned of extra slashes and dot segments
// (RemoveExtraSlash). For the
// paths browsers send these readings are one and the same string, and
// choose costs one scan and one map lookup per segment. Otherwise they can
// name different keys: "/admin/files/x/..%2F..%2Fitems" is under "/admin"
// as written and under "/" once decoded and cleaned, and an engine
// dispatches it to an /admin handler or to /items depending on its
// settings. So choose keeps only the readings that fit the route Gin
// dispatched to (c.FullPath; empty for a preflight answered through the
// 404 and 405 handlers, where every reading stays), and if those do not
// all name the same policy it names none: no policy is then more
// permissive than the one Gin's path is under, and a preflight gets no
// CORS answer, so the actual request it announces is never sent.
func (bp *pathPolicies) choose(u *url.URL, route string) *Middleware {
	if u.RawPath == "" && !cleanable(u.Path) {
		return bp.lookup(bp.byPrefix, u.Path)
	}
	type reading struct {
		path  string
		under map[string]*Middleware
	}
	readings := make([]reading, 0, 6)
	readings = append(readings, reading{u.Path, bp.byPrefix}, reading{path.Clean(u.Path), bp.byPrefix})
	if u.RawPath != "" {
		readings = append(readings, reading{u.RawPath, bp.byEscapedPrefix}, reading{path.Clean(u.RawPath), bp.byEscapedPrefix})
	}
	// UseEscapedPath routes on EscapedPath, which is RawPath if RawPath is
	// a valid encoding of Path, and otherwise Path escaped afresh; a route
	// registered with escapes only fits that spelling.
	if e := u.EscapedPath(); e != u.RawPath && e != u.Path {
		readings = append(readings, reading{e, bp.byEscapedPrefix}, reading{path.Clean(e), bp.byEscapedPrefix})
	}
	var chosen *Middleware
	found := false
	for _, filter := range []bool{true, false} {
		for _, r := range readings {
			if filter && !routeMatches(route, r.path) {
				continue
			}
			m := bp.lookup(r.under, r.path)
			if found && m != chosen {
				return nil
			}
			chosen, found = m, true
		}
		if found {
			return chosen
		}
		// No reading fits the route (an earlier middleware rewrote the
		// path, say): every reading must then agree.
	}
	return chosen
}

// cleanable reports whether path.Clean could change p: it holds an empty
// segment or a dot segment.
func cleanable(p string) bool {
	return strings.Contains(p, "//") || strings.Contains(p, "/.")
}

// routeMatches reports whether p could be a path that Gin dispatches to
// the route pattern. It errs towards true, which can only make choose find
// an ambiguity: a segment with a ":" parameter matches any segment, one
// with a "*" catch-all matches the rest of the path, and a trailing slash
// is ignored. An empty route (no route was matched) matches every path.
func routeMatches(route, p string) bool {
	if route == "" {
		return true
	}
	for {
		if route == "" || route == "/" {
			return p == "" || p == "/"
		}
		if p == "" || route[0] != '/' || p[0] != '/' {
			return false
		}
		routeSeg, routeRest := cutSegment(route[1:])
		seg, rest := cutSegment(p[1:])
		if i := strings.IndexAny(routeSeg, ":*"); i >= 0 {
			if !strings.HasPrefix(seg, routeSeg[:i]) {
				return false
			}
			if routeSeg[i] == '*' {
				return true
			}
		} else if routeSeg != seg {
			return false
		}
		route, p = routeRest, rest
	}
}

// cutSegment splits s at its first "/", which stays with the rest.
func cutSegment(s string) (segment, rest string) {
	if i := strings.IndexByte(s, '/'); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

// lookup returns the policy of the longest key in under that is a prefix
// of p on whole segments, trying p and then each parent ("/a/b/c", "/a/b",
// "/a"): one map lookup per segment, whatever the number of policies.
func (bp *pathPolicies) lookup(under map[string]*Middleware, p string) *Middleware {
	for len(p) > 1 {
		if m, ok := under[p]; ok {
			return m
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return bp.root
}
