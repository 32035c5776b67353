package gincors

import (
	"hash/maphash"
	"math/bits"
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

// hash picks s's slot. A string longer than 64 bytes, such as a list of
// many header names, is hashed by its length and its first and last 32
// bytes, so that finding it costs one comparison rather than hashing every
// byte as well (about 1,500 instructions for a list of 100 names):
// strings that differ only in between share a slot and evict each other,
// which costs a full check, never a wrong answer, since a hit compares the
// whole string.
func (m *memo) hash(s string) uint64 {
	if len(s) <= 64 {
		return maphash.String(m.seed, s)
	}
	return maphash.String(m.seed, s[:32]) ^ bits.RotateLeft64(maphash.String(m.seed, s[len(s)-32:]), 31) ^ uint64(len(s))
}

// has reports whether s is remembered.
func (m *memo) has(s string) bool {
	if len(s) > maxMemoString {
		return false
	}
	e := m.slots[m.hash(s)%memoSlots].Load()
	return e != nil && *e == s
}

// add offers s, which the check allowed.
func (m *memo) add(s string) {
	if len(s) > maxMemoString {
		return
	}
	h := m.hash(s)
	if m.seen[h%memoSlots].Swap(h) == h {
		stored := s // declared here, so that only a store allocates
		m.slots[h%memoSlots].Store(&stored)
	}
}
