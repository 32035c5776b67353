package gincors

import (
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/gincors/gincors/internal/origin"
)

// Canonical header names, so the request path can index header maps
// directly.
const (
	headerOrigin                = "Origin"
	headerVary                  = "Vary"
	headerRequestMethod         = "Access-Control-Request-Method"
	headerRequestHeaders        = "Access-Control-Request-Headers"
	headerRequestPrivateNetwork = "Access-Control-Request-Private-Network"
	headerAllowOrigin           = "Access-Control-Allow-Origin"
	headerAllowCredentials      = "Access-Control-Allow-Credentials"
	headerAllowMethods          = "Access-Control-Allow-Methods"
	headerAllowHeaders          = "Access-Control-Allow-Headers"
	headerAllowPrivateNetwork   = "Access-Control-Allow-Private-Network"
	headerExposeHeaders         = "Access-Control-Expose-Headers"
	headerMaxAge                = "Access-Control-Max-Age"
	headerSecFetchSite          = "Sec-Fetch-Site"
)

// Header values.
//
// Every header value gincors sets is a []string of its own: a handler or an
// outer middleware that edits h["Vary"][0] in place must not change what any
// other response carries (peers shipped exactly that bug by sharing
// precomputed slices). Allocating those slices one by one would cost an
// allocation per header per request, so they are carved out of slabs: each
// request takes fresh, never-reused elements of the current slab with one
// atomic add, and a new slab is allocated when it runs out. Each value is
// sliced with its capacity equal to its length, so an append by someone else
// copies instead of writing into the next element.

const (
	slabSize = 512
	// maxSlabString is the longest string kept in a slab: enough for any
	// origin. A slab lives as long as any of its values, so a longer
	// request-derived string (a reflected Access-Control-Request-Headers)
	// gets a value of its own and cannot pin memory beyond its response.
	maxSlabString = origin.MaxLength
)

type slab struct {
	used atomic.Int64
	vals [slabSize]string
}

var currentSlab atomic.Pointer[slab]

// values hands out single-element header values from a run of slab
// elements reserved for one response.
type values struct{ free []string }

// newValues reserves n header values; n must not exceed slabSize.
func newValues(n int) values {
	for {
		s := currentSlab.Load()
		if s != nil {
			if end := s.used.Add(int64(n)); end <= slabSize {
				return values{s.vals[end-int64(n) : end : end]}
			}
		}
		currentSlab.CompareAndSwap(s, new(slab))
	}
}

// next returns a fresh header value holding s, which comes from the
// policy.
func (v *values) next(s string) []string {
	if len(v.free) == 0 {
		return []string{s} // more values than reserved: a bug, but a safe one
	}
	v.free[0] = s
	one := v.free[0:1:1]
	v.free = v.free[1:]
	return one
}

// reflect is next for a string taken from the request: a long one gets a
// value of its own, so that it cannot pin a slab.
func (v *values) reflect(s string) []string {
	if len(s) > maxSlabString {
		return []string{s}
	}
	return v.next(s)
}

// varyNames is a Vary value gincors adds, whole and as names.
type varyNames struct {
	joined string
	names  []string
}

func newVaryNames(names ...string) varyNames {
	return varyNames{joined: strings.Join(names, ", "), names: names}
}

// addVary adds vary to h's Vary header (RFC 9110 §12.5.5, https://www.rfc-editor.org/rfc/rfc9110#section-12.5.5). It keeps every
// value already there, adds only the names not yet listed, and adds nothing
// if Vary is "*". Without an earlier Vary it takes one value from v;
// merging with one set by someone else costs an allocation.
func addVary(h http.Header, v *values, vary varyNames) {
	if vary.joined == "" {
		return
	}
	// An empty header map, the common case before any handler ran, has
	// no Vary to merge with: skip the lookup.
	if len(h) == 0 {
		h[headerVary] = v.next(vary.joined)
		return
	}
	mergeVary(h, v, vary)
}

// mergeVary is addVary for a header map that may hold a Vary already.
func mergeVary(h http.Header, v *values, vary varyNames) {
	existing := h[headerVary]
	if len(existing) == 0 {
		h[headerVary] = v.next(vary.joined)
		return
	}
	if listContains(existing, "*") {
		return
	}
	listed := 0
	for _, name := range vary.names {
		if listContains(existing, name) {
			listed++
		}
	}
	missing := vary.joined
	switch {
	case listed == len(vary.names):
		return
	case listed > 0: // rare: someone else listed some of the names
		var names []string
		for _, name := range vary.names {
			if !listContains(existing, name) {
				names = append(names, name)
			}
		}
		missing = strings.Join(names, ", ")
	}
	// Never append to existing in place: its spare capacity may belong
	// to whoever set it.
	merged := make([]string, len(existing)+1)
	copy(merged, existing)
	merged[len(existing)] = missing
	h[headerVary] = merged
}

// listContains reports whether the comma-separated list header values in
// lines contain name, case-insensitively (RFC 9110 §5.6.1, https://www.rfc-editor.org/rfc/rfc9110#section-5.6.1).
func listContains(lines []string, name string) bool {
	for _, line := range lines {
		for line != "" {
			elem := line
			if i := strings.IndexByte(line, ','); i >= 0 {
				elem, line = line[:i], line[i+1:]
			} else {
				line = ""
			}
			if strings.EqualFold(strings.Trim(elem, " \t"), name) {
				return true
			}
		}
	}
	return false
}
