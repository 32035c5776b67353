package gincors

import (
	"hash/maphash"
	"sync/atomic"
)

// A memo remembers strings that a costly, deterministic check of one
// policy allowed, such as an origin a regexp matched or an
// Access-Control-Request-Headers line whose names were all allowed, so
// that the same string is allowed again for the price of hashing and
// comparing it. Browsers repeat themselves: a page sends the same Origin,
// and the same list of header names for the same call, every time.
//
// It never changes a decision: it holds only strings the check allowed,
// belongs to one immutable policy, and matches only the identical string.
// It is bounded, memoSlots strings of at most maxMemoString bytes, a new
// one replacing whatever hashed to its slot, and safe for concurrent use
// without locks. A string is stored on its second sighting in a row at its
// slot (the first records only its hash), so that a stream of strings seen
// once, such as distinct origins, never allocates; it is written only
// then, so requests that hit share nothing they write.
type memo struct {
	seed  maphash.Seed
	slots [memoSlots]atomic.Pointer[string]
	seen  [memoSlots]atomic.Uint64 // hash of the string last offered at each slot
}

const (
	memoSlots     = 256
	maxMemoString = 4 << 10
)

func newMemo() *memo { return &memo{seed: maphash.MakeSeed()} }

// has reports whether s is remembered.
func (m *memo) has(s string) bool {
	if len(s) > maxMemoString {
		return false
	}
	e := m.slots[maphash.String(m.seed, s)%memoSlots].Load()
	return e != nil && *e == s
}

// add offers s, which the check allowed.
func (m *memo) add(s string) {
	if len(s) > maxMemoString {
		return
	}
	h := maphash.String(m.seed, s)
	if m.seen[h%memoSlots].Swap(h) == h {
		stored := s // declared here, so that only a store allocates
		m.slots[h%memoSlots].Store(&stored)
	}
}
