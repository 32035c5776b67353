package stringset

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHas(t *testing.T) {
	members := []string{"content-type", "x-request-id", "authorization", "a", "abcdefgh", "abcdefghi", "https://example.com", "null"}
	s := New(append(members, "content-type", ""))
	require.Equal(t, len(members), s.Len(), "repeats and the empty string are not members")
	tests := []struct {
		name string
		x    string
		want bool
	}{
		{"a member shorter than a word", "a", true},
		{"a member of exactly one word", "abcdefgh", true},
		{"a member one byte past a word", "abcdefghi", true},
		{"a member of several words", "https://example.com", true},
		{"the empty string, which marks empty slots", "", false},
		{"a prefix of a member", "abcdefg", false},
		{"a member with a byte appended", "abcdefghij", false},
		{"a member's case variant", "Content-Type", false},
		{"a member differing in its last byte only", "https://example.con", false},
		{"a member differing in a middle word only", "https://exbmple.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, s.Has(tt.x))
		})
	}
}

func TestIndex(t *testing.T) {
	s := New([]string{"b", "", "a", "b", "https://example.com"})
	tests := []struct {
		name string
		x    string
		want int
	}{
		{"the first member", "b", 0},
		{"a member after an empty string and before a repeat", "a", 1},
		{"a member after a repeat", "https://example.com", 2},
		{"not a member", "c", -1},
		{"the empty string", "", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, s.Index(tt.x))
		})
	}
}

func TestEmptySets(t *testing.T) {
	for name, s := range map[string]*Set{"nil": nil, "zero": {}, "New(nil)": New(nil), "only empty strings": New([]string{"", ""})} {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, 0, s.Len())
			assert.False(t, s.Has(""))
			assert.False(t, s.Has("x"))
		})
	}
}

// TestAgreesWithMap checks random sets, including strings that share
// every sampled word but one, against Go's map.
func TestAgreesWithMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		n := r.IntN(300)
		members := make([]string, n)
		want := make(map[string]bool, n)
		for i := range members {
			members[i] = randomString(r)
			if members[i] != "" {
				want[members[i]] = true
			}
		}
		s := New(members)
		require.Equal(t, len(want), s.Len(), "round %d", round)
		for _, m := range members {
			assert.Equal(t, want[m], s.Has(m), "round %d, member %q", round, m)
		}
		for range 300 {
			x := randomString(r)
			assert.Equal(t, want[x], s.Has(x), "round %d, %q", round, x)
		}
	}
}

// randomString draws from a small alphabet and short lengths, so that
// members and probes often share prefixes, lengths and whole words.
func randomString(r *rand.Rand) string {
	b := make([]byte, r.IntN(20))
	for i := range b {
		b[i] = "ab-"[r.IntN(3)]
	}
	return string(b)
}

// TestProbeBound pins New's bound on the longest lookup for member sets
// that differ only in a few middle bytes, as a policy's origins do.
func TestProbeBound(t *testing.T) {
	for _, n := range []int{1, 10, 100, 1000, 10000, 50000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			members := make([]string, n)
			for i := range members {
				members[i] = fmt.Sprintf("https://tenant-%05d.example.com", i)
			}
			s := New(members)
			require.Equal(t, n, s.Len())
			assert.LessOrEqual(t, s.maxProbe, maxWantedProbe)
			assert.LessOrEqual(t, 2*n, len(s.slots), "at most half full")
			for _, m := range members {
				require.True(t, s.Has(m), m)
			}
			assert.False(t, s.Has("https://tenant-99999.example.com"))
		})
	}
}

// TestSampledIndexFallsBack builds sets whose members the sampled index
// cannot tell apart (they differ only in bytes 8 to 11 of 32, outside the
// three sampled words; 200 of them, so that a good index has runs far
// below the bound whatever the seed), so New must fall back to the full hash and still
// bound the probes.
func TestSampledIndexFallsBack(t *testing.T) {
	tests := []struct {
		name        string
		member      func(i int) string
		wantSampled bool
	}{
		{"origins differing in the middle are sampled", func(i int) string { return fmt.Sprintf("https://tenant-%05d.example.com", i) }, true},
		{"header names differing at the end are sampled", func(i int) string { return fmt.Sprintf("x-custom-header-%03d", i) }, true},
		{"members differing outside the samples are hashed whole", func(i int) string { return fmt.Sprintf("aaaaaaaa%04dbbbbbbbbbbbbbbbbbbbb", i) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			members := make([]string, 200)
			for i := range members {
				members[i] = tt.member(i)
			}
			s := New(members)
			assert.Equal(t, tt.wantSampled, s.sampled)
			assert.LessOrEqual(t, s.maxProbe, maxWantedProbe)
			for _, m := range members {
				require.True(t, s.Has(m), m)
			}
			assert.False(t, s.Has(tt.member(5000)))
		})
	}
}

func TestHasAllocatesNothing(t *testing.T) {
	s := New([]string{"content-type", "x-request-id"})
	x := "x-request-id"
	assert.Zero(t, testing.AllocsPerRun(100, func() { s.Has(x) }))
}

func BenchmarkHas(b *testing.B) {
	s := New([]string{"https://example.com", "https://app.example.com", "content-type", "x-request-id"})
	for _, x := range []string{"https://app.example.com", "x-request-id", "https://other.example"} {
		b.Run(x, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.Has(x)
			}
		})
	}
}

// FuzzSet checks a Set built from newline-separated members against Go's
// map, for the members themselves and for a probe.
func FuzzSet(f *testing.F) {
	f.Add("content-type\nx-request-id\nauthorization", "x-request-id")
	f.Add("https://example.com\nhttps://app.example.com", "https://app.example.con")
	f.Add("a\nb\n\nb", "")
	f.Add("aaaaaaaa0001bbbbbbbbbbbbbbbbbbbb\naaaaaaaa0002bbbbbbbbbbbbbbbbbbbb", "aaaaaaaa0003bbbbbbbbbbbbbbbbbbbb")
	f.Fuzz(func(t *testing.T, joined, probe string) {
		members := strings.Split(joined, "\n")
		s := New(members)
		want := map[string]int{}
		for _, m := range members {
			if _, dup := want[m]; m != "" && !dup {
				want[m] = len(want)
			}
		}
		if s.Len() != len(want) {
			t.Fatalf("Len %d, want %d", s.Len(), len(want))
		}
		for _, x := range append(members, probe) {
			position, ok := want[x]
			if !ok {
				position = -1
			}
			if got := s.Index(x); got != position {
				t.Fatalf("Index(%q) = %d, want %d", x, got, position)
			}
		}
	})
}

// TestLongerThanEveryMember pins the lookups a Set answers from the
// length alone (Index refuses a string longer than the longest member
// before hashing it, which bounds a lookup's cost whatever a client sends).
func TestLongerThanEveryMember(t *testing.T) {
	s := New([]string{"content-type", "x-request-id"})
	assert.Equal(t, -1, s.Index(strings.Repeat("a", 1<<20)), "1 MiB")
	assert.Equal(t, -1, s.Index("x-request-idx"), "one byte longer than the longest member")
	assert.Equal(t, 1, s.Index("x-request-id"), "the longest member itself")
}
