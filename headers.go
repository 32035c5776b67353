package gincors

import (
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/gincors/gincors/internal/origin"
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

// next returns a fresh header value holding s.
func (v *values) next(s string) []string {
	if len(s) > maxSlabString || len(v.free) == 0 {
		return []string{s}
	}
	v.free[0] = s
	one := v.free[0:1:1]
	v.free = v.free[1:]
	return one
}

// addVary adds the comma-separated field names in names to h's Vary
// header (RFC 9110 §12.5.5). It keeps every value already there, adds only
// the names not yet listed, and adds nothing if Vary is "*".
func addVary(h http.Header, names string) {
	if names == "" {
		return
	}
	existing := h[headerVary]
	if len(existing) == 0 {
		v := newValues(1)
		h[headerVary] = v.next(names)
		return
	}
	missing := missingVaryNames(existing, names)
	if missing == "" {
		return
	}
	// Never append to existing in place: its spare capacity may belong
	// to whoever set it.
	merged := make([]string, len(existing)+1)
	copy(merged, existing)
	merged[len(existing)] = missing
	h[headerVary] = merged
}

// missingVaryNames returns those of the comma-separated names that the Vary
// values in existing do not list, comma-separated, or "" if none are
// missing or existing lists "*".
func missingVaryNames(existing []string, names string) string {
	if listContains(existing, "*") {
		return ""
	}
	var missing []string
	for name := range strings.SplitSeq(names, ",") {
		name = strings.TrimSpace(name)
		if !listContains(existing, name) {
			missing = append(missing, name)
		}
	}
	return strings.Join(missing, ", ")
}

// listContains reports whether the comma-separated list header values in
// lines contain name, case-insensitively (RFC 9110 §5.6.1).
func listContains(lines []string, name string) bool {
	for _, line := range lines {
		for elem := range strings.SplitSeq(line, ",") {
			if strings.EqualFold(strings.Trim(elem, " \t"), name) {
				return true
			}
		}
	}
	return false
}
