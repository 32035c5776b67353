package gincors

import (
	"hash/maphash"
	"sync/atomic"
)

// A memo remembers strings that a costly, deterministic check of one
// policy allowed, so that the same string is allowed again for the price
// of hashing and comparing it. Browsers repeat themselves: a page sends the
// same Origin, and the same Access-Control-Request-Headers for the same
// call, every time.
//
// It never changes a decision: it holds only strings the full check
// allowed, belongs to one immutable policy (Reconfigure compiles a new one,
// with an empty memo), and a lookup matches only the identical string. It is
// bounded: memoSlots entries of at most maxMemoString bytes, a new entry
// replacing whatever hashed to its slot. It is safe for concurrent use
// without locks: each slot is an atomic pointer to an immutable string.
// Remembering a string costs one small allocation; looking one up costs
// none.
type memo struct {
	seed  maphash.Seed
	slots [memoSlots]atomic.Pointer[string]
}

const (
	memoSlots     = 256 // a power of two
	maxMemoString = 4 << 10
)

func newMemo() *memo { return &memo{seed: maphash.MakeSeed()} }

func (m *memo) slot(s string) *atomic.Pointer[string] {
	return &m.slots[maphash.String(m.seed, s)&(memoSlots-1)]
}

// has reports whether s was remembered and not since replaced.
func (m *memo) has(s string) bool {
	e := m.slot(s).Load()
	return e != nil && *e == s
}

// add remembers s, which the check allowed.
func (m *memo) add(s string) {
	if len(s) <= maxMemoString {
		m.slot(s).Store(&s)
	}
}
