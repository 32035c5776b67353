package gincors

import (
	"errors"
	"fmt"
	"maps"
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
// HandleMethodNotAllowed on or off. Paths are matched case-sensitively on
// the request's URL.Path, cleaned as Gin's RemoveExtraSlash cleans it
// ("//admin" is "/admin").
func ByPath(policies map[string]Config) gin.HandlerFunc {
	bp, err := newPathPolicies(policies)
	if err != nil {
		panic(err)
	}
	return bp.handle
}

// pathPolicies maps path prefixes to their middleware.
type pathPolicies struct {
	byPrefix map[string]*Middleware // keys without a trailing slash
	root     *Middleware            // the "/" policy, or nil
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

// handle hands the request to the policy of its longest matching prefix,
// trying the path and then each parent ("/a/b/c", "/a/b", "/a"): one map
// lookup per segment, whatever the number of policies.
func (bp *pathPolicies) handle(c *gin.Context) {
	if m := bp.lookup(routedPath(c.Request.URL.Path)); m != nil {
		m.handle(c)
		return
	}
	c.Next()
}

// routedPath is path as Gin routes it once cleaned (RemoveExtraSlash,
// RedirectFixedPath): "//admin/users" reaches the /admin routes of an
// engine that removes extra slashes, and browsers send it as written, so
// it must get the /admin policy. Browsers remove dot segments themselves,
// but they are resolved too. Cleaning can only make a request that Gin
// would not route at all get the stricter-looking prefix; a path without
// "//" or "/." is returned as it is, at the cost of one scan.
func routedPath(p string) string {
	if !strings.Contains(p, "//") && !strings.Contains(p, "/.") {
		return p
	}
	return path.Clean("/" + p)
}

func (bp *pathPolicies) lookup(path string) *Middleware {
	for p := path; len(p) > 1; {
		if m, ok := bp.byPrefix[p]; ok {
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
