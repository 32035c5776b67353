// Package stringset is an immutable set of strings for the request path:
// built once from a policy, then asked about strings a client sent, for the
// cost of one word-at-a-time hash and a short probe.
//
// Go's map hashes every string key with AES rounds behind a general
// lookup; for the few short keys of a CORS policy (origins, header names)
// that machinery costs more than the comparison itself. A Set hashes three
// sampled words, or eight bytes per multiply, and probes a table that is at
// most half full. Clients choose only the strings looked up, never the
// members, so the cost of a lookup is bounded whatever they send: a string
// longer than the longest member is refused before it is hashed, and New
// bounds the longest probe when it builds the table.
package stringset

// A Set holds non-empty strings. The zero value and nil are empty sets. A
// Set is never modified after New returns it, so it is safe for concurrent
// use.
type Set struct {
	slots    []slot // a power-of-two table
	seed     uint64
	shift    uint // 64 - log2(len(slots)): the index is the hash's top bits
	mask     int  // len(slots) - 1
	sampled  bool // indexed by hashSampled, else by hash
	len      int
	longest  int // the longest member: a longer string is not looked up
	maxProbe int // the most slots any lookup reads
}

// A slot holds a member, its position among New's members and its hash,
// which a probe compares before the string: members of one length (a
// policy's origins often are) then cost a probe a few instructions each,
// not a string comparison. A member of "" marks an empty slot.
type slot struct {
	member   string
	position int
	hash     uint64
}

// maxWantedProbe is the longest probe New accepts before trying another
// seed or a larger table. With the table at most half full, most seeds
// give shorter runs even for tens of thousands of members (a run of 20
// is typical for a thousand).
const maxWantedProbe = 32

// New returns the set of the non-empty strings in members, repeats
// counted once. A member's position (see Index) is its index in members
// with the empty strings and repeats left out.
func New(members []string) *Set {
	unique := make([]string, 0, len(members))
	seen := make(map[string]struct{}, len(members))
	for _, m := range members {
		if _, dup := seen[m]; m != "" && !dup {
			seen[m] = struct{}{}
			unique = append(unique, m)
		}
	}
	size := 8
	for size < 2*len(unique) {
		size <<= 1
	}
	// At each size, two seeds for the sampled index, which reads three
	// words of any string and spreads most policies' members (origins and
	// header names differ in their middle or their end) as well as a full
	// hash does; then two for the full hash; then a table twice as large.
	// The bound is met at once in practice; if a member set defeats every
	// attempt, the last table is kept, whose probes are still bounded by
	// its size.
	for attempt := 0; ; attempt++ {
		s := build(unique, size, seed(attempt), attempt%4 < 2)
		if s.maxProbe <= maxWantedProbe || attempt == maxAttempts-1 {
			return s
		}
		if attempt%4 == 3 {
			size <<= 1
		}
	}
}

// maxAttempts bounds New's search: four sizes, four seeds each.
const maxAttempts = 16

// seed is the hash seed of New's attempt-th table. Seeds are fixed, so
// that the same members give the same table, and the same cost, on every
// run. Nothing relies on their being secret: the members are the
// operator's, and New bounds the longest probe whatever a client sends.
func seed(attempt int) uint64 { return mix(uint64(attempt+1) * mul0) }

func build(members []string, size int, seed uint64, sampled bool) *Set {
	s := &Set{slots: make([]slot, size), seed: seed, len: len(members), sampled: sampled, mask: size - 1}
	for bits := size; bits > 1; bits >>= 1 {
		s.shift++
	}
	s.shift = 64 - s.shift
	mask := s.mask
	for position, m := range members {
		s.longest = max(s.longest, len(m))
		h := s.hash(m)
		i := int(h >> s.shift)
		for s.slots[i].member != "" {
			i = (i + 1) & mask
		}
		s.slots[i] = slot{m, position, h}
	}
	// A lookup starting at slot i reads up to the first empty slot at or
	// after it; the longest such walk is the longest run of occupied
	// slots, plus the empty one that ends it. The table is at most half
	// full, so an empty slot exists.
	run, start := 0, 0
	for s.slots[start].member != "" {
		start++
	}
	for k := 1; k <= size; k++ {
		if s.slots[(start+k)&mask].member != "" {
			run++
			continue
		}
		s.maxProbe = max(s.maxProbe, run+1)
		run = 0
	}
	return s
}

// Has reports whether x is in the set. It reads at most a bounded number
// of slots (see New), hashes nothing longer than the longest member, and
// allocates nothing.
func (s *Set) Has(x string) bool { return s.Index(x) >= 0 }

// Index returns x's position among the members given to New, or -1 if x
// is not in the set. It costs what Has costs.
//
// The common case, a sampled index and a string of 8 to 16 bytes, is
// written out here rather than in helpers, which the compiler would not
// inline: it is a few loads, three multiplies and word comparisons.
func (s *Set) Index(x string) int {
	n := len(x)
	if s == nil || n == 0 || n > s.longest {
		return -1
	}
	var h uint64
	if s.sampled && n >= 8 {
		h = mix(s.seed ^ uint64(n)*mul0 ^ load64(x, 0))
		h = mix(h ^ load64(x, n/2-4))
		h = mix(h^load64(x, n-8)) * mul2
	} else {
		h = s.hashSlow(x)
	}
	short := n >= 8 && n <= 16 // compared as two overlapping words
	var first, last uint64
	if short {
		first, last = load64(x, 0), load64(x, n-8)
	}
	for i := int(h >> s.shift); ; i = (i + 1) & s.mask {
		e := &s.slots[i]
		m := e.member
		if e.hash == h && len(m) == n {
			if short {
				if load64(m, 0) == first && load64(m, n-8) == last {
					return e.position
				}
			} else if m == x {
				return e.position
			}
		}
		if m == "" {
			return -1
		}
	}
}

// hash is x's hash in s, as Index computes it.
func (s *Set) hash(x string) uint64 {
	if s.sampled && len(x) >= 8 {
		return hashSampledWords(x, s.seed)
	}
	return s.hashSlow(x)
}

// hashSlow is the index hash for what hashSampledWords does not cover.
func (s *Set) hashSlow(x string) uint64 {
	if s.sampled {
		return hashSampled(x, s.seed)
	}
	return hash(x, s.seed)
}

// Len is the number of strings in the set.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return s.len
}

// Multipliers from splitmix64 (odd, with well-spread bits).
const (
	mul0 = 0x9e3779b97f4a7c15
	mul1 = 0xbf58476d1ce4e5b9
	mul2 = 0x94d049bb133111eb
)

// hash mixes x eight bytes at a time, one multiply and one shift per
// word; a last partial word is read as the eight bytes ending the string,
// overlapping the word before. Its quality decides only how long probes
// are, which New bounds; the index is the top bits of the last multiply,
// which depend on every bit of the input.
func hash(x string, seed uint64) uint64 {
	n := len(x)
	h := seed ^ uint64(n)*mul0
	if n < 8 {
		var w uint64
		for i := 0; i < n; i++ {
			w |= uint64(x[i]) << (8 * i)
		}
		return mix(h^w) * mul2
	}
	i := 0
	for ; i <= n-8; i += 8 {
		h = mix(h ^ load64(x, i))
	}
	if i < n {
		h = mix(h ^ load64(x, n-8))
	}
	return h * mul2
}

// hashSampled is hash reading only three words of a string of eight bytes
// or more: the first, the one in the middle and the last, with the length.
// Strings differing only elsewhere collide, so it serves where collisions
// cost time and never a wrong answer: a Memo's slots, and a Set's index
// when New found the probes short.
func hashSampled(x string, seed uint64) uint64 {
	if len(x) < 8 {
		return hash(x, seed)
	}
	return hashSampledWords(x, seed)
}

// hashSampledWords is hashSampled for len(x) >= 8.
func hashSampledWords(x string, seed uint64) uint64 {
	n := len(x)
	h := mix(seed ^ uint64(n)*mul0 ^ load64(x, 0))
	h = mix(h ^ load64(x, n/2-4))
	return mix(h^load64(x, n-8)) * mul2
}

func mix(h uint64) uint64 {
	h *= mul1
	return h ^ h>>29
}

// load64 reads the eight bytes of x at i, little-endian, which the
// compiler turns into one load.
func load64(x string, i int) uint64 {
	x = x[i : i+8]
	return uint64(x[0]) | uint64(x[1])<<8 | uint64(x[2])<<16 | uint64(x[3])<<24 |
		uint64(x[4])<<32 | uint64(x[5])<<40 | uint64(x[6])<<48 | uint64(x[7])<<56
}
