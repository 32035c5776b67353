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
	memoSlots           = 256 // a power of two
	maxMemoString       = 4 << 10
	maxHashedMemoString = 64
)

func newMemo() *memo { return &memo{seed: maphash.MakeSeed()} }

// slot picks s's slot. A short string (an origin, a few header names) is
// hashed whole. A long one is indexed by its length and three 8-byte
// samples, so that finding it costs the comparison alone: lists that differ
// only elsewhere share a slot and evict each other, which costs a full
// check, never a wrong answer.
func (m *memo) slot(s string) *atomic.Pointer[string] {
	var h uint64
	if len(s) <= maxHashedMemoString {
		h = maphash.String(m.seed, s)
	} else {
		mid := len(s)/2 - 4
		h = maphash.String(m.seed, s[:8]+s[mid:mid+8]+s[len(s)-8:]) ^ uint64(len(s))*0x9e3779b97f4a7c15
	}
	return &m.slots[h&(memoSlots-1)]
}

// has reports whether s was remembered and not since replaced. A string
// too long to be remembered costs nothing to look up.
func (m *memo) has(s string) bool {
	if len(s) > maxMemoString {
		return false
	}
	e := m.slot(s).Load()
	return e != nil && *e == s
}

// add remembers s, which the check allowed.
func (m *memo) add(s string) {
	if len(s) <= maxMemoString {
		m.slot(s).Store(&s)
	}
}
