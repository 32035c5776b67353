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
//
// A string is remembered on its second sighting in a row at its slot: the
// first only records its hash. Storing costs one small allocation, so
// strings seen once (a stream of distinct origins, or more distinct lists
// than slots) never allocate, while a page repeating a call is remembered
// from its second request on. Looking a string up allocates nothing.
type Memo struct {
	seed  uint64
	slots [MemoSlots]atomic.Pointer[string]
	seen  [MemoSlots]atomic.Uint64 // the fingerprint of the last string offered at each slot
}

// Bounds of a Memo.
const (
	MemoSlots     = 256 // a power of two
	MaxMemoString = 4 << 10
)

// memoSlotBits is log2(MemoSlots): a slot is indexed by the hash's top
// bits, the best mixed.
const memoSlotBits = 8

// NewMemo returns an empty Memo.
func NewMemo() *Memo { return &Memo{seed: rand.Uint64()} }

// slot indexes x by its length and three 8-byte samples, so that finding
// even a long list costs the comparison alone: strings that differ only
// elsewhere share a slot and evict each other, which costs a full check,
// never a wrong answer.
func (m *Memo) slot(x string) int {
	return int(hashSampled(x, m.seed) >> (64 - memoSlotBits))
}

// Has reports whether x is remembered. A string too long to be remembered
// costs nothing to look up.
func (m *Memo) Has(x string) bool {
	if len(x) > MaxMemoString {
		return false
	}
	e := m.slots[m.slot(x)].Load()
	return e != nil && *e == x
}

// Add offers x, which the check allowed: x is remembered if the string
// offered last at its slot had the same fingerprint (in practice, was x),
// and otherwise only its fingerprint is. A string longer than
// MaxMemoString is not remembered.
func (m *Memo) Add(x string) {
	if len(x) > MaxMemoString {
		return
	}
	i := m.slot(x)
	if f := fingerprint(x, m.seed); m.seen[i].Swap(f) == f {
		stored := x // declared here, so that only a store allocates
		m.slots[i].Store(&stored)
	}
}

// fingerprint tells apart the strings offered at one slot, which share
// their sampled words: a string of up to 64 bytes is hashed whole, a
// longer one by 16 words spread over it. Only Add, after a full check,
// pays for it.
func fingerprint(x string, seed uint64) uint64 {
	n := len(x)
	if n <= 64 {
		return hash(x, seed)
	}
	h := seed ^ uint64(n)*mul0
	for k := range 16 {
		h = mix(h ^ load64(x, k*(n-8)/15))
	}
	return h * mul2
}
