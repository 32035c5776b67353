package stringset

import (
	"math/rand/v2"
	"sync/atomic"
)

// A Memo remembers strings that a costly, deterministic check of one
// policy allowed, so that the same string is allowed again for the price
// of indexing and comparing it. Browsers repeat themselves: a page sends
// the same Origin, and the same Access-Control-Request-Headers for the
// same call, every time.
//
// It never changes a decision: it holds only strings the full check
// allowed, belongs to one immutable policy (a new policy starts with an
// empty Memo), and a lookup matches only the identical string. It is
// bounded: MemoSlots entries of at most MaxMemoString bytes, a new entry
// replacing whatever indexed to its slot. It is safe for concurrent use
// without locks: each slot is an atomic pointer to an immutable string.
// Remembering a string costs one small allocation; looking one up costs
// none.
type Memo struct {
	seed  uint64
	slots [MemoSlots]atomic.Pointer[string]
}

// Bounds of a Memo.
const (
	MemoSlots     = 256 // a power of two
	MaxMemoString = 4 << 10
)

// NewMemo returns an empty Memo.
func NewMemo() *Memo { return &Memo{seed: rand.Uint64()} }

// slot picks x's slot by its length and three 8-byte samples, so that
// finding even a long list costs the comparison alone: strings that differ
// only elsewhere share a slot and evict each other, which costs a full
// check, never a wrong answer.
func (m *Memo) slot(x string) *atomic.Pointer[string] {
	return &m.slots[hashSampled(x, m.seed)>>(64-memoSlotBits)]
}

// memoSlotBits is log2(MemoSlots): a slot is indexed by the hash's top
// bits, the best mixed.
const memoSlotBits = 8

// Has reports whether x was remembered and not since replaced. A string
// too long to be remembered costs nothing to look up.
func (m *Memo) Has(x string) bool {
	if len(x) > MaxMemoString {
		return false
	}
	e := m.slot(x).Load()
	return e != nil && *e == x
}

// Add remembers x, which the check allowed. A string longer than
// MaxMemoString is not remembered.
func (m *Memo) Add(x string) {
	if len(x) <= MaxMemoString {
		m.slot(x).Store(&x)
	}
}
