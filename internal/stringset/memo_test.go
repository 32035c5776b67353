package stringset

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMemo(t *testing.T) {
	long := strings.Repeat("content-type,", 20)
	tests := []struct {
		name  string
		added []string // offered to Add, in order
		x     string
		want  bool
	}{
		{"an empty memo has nothing", nil, "content-type", false},
		{"a string offered once is not remembered yet", []string{"content-type"}, "content-type", false},
		{"a string offered twice in a row is remembered", []string{"content-type", "content-type"}, "content-type", true},
		{"a long string offered twice, indexed by samples", []string{long, long}, long, true},
		{"only the identical string: a prefix", []string{"content-type", "content-type"}, "content-typ", false},
		{"only the identical string: case", []string{"content-type", "content-type"}, "Content-Type", false},
		{"only the identical string: a long one differing between the samples", []string{long, long}, strings.Replace(long, "content-type", "content-typf", 3), false},
		{"strings beyond the bound are not kept", []string{strings.Repeat("a", MaxMemoString+1), strings.Repeat("a", MaxMemoString+1)}, strings.Repeat("a", MaxMemoString+1), false},
		{"the longest string kept", []string{strings.Repeat("a", MaxMemoString), strings.Repeat("a", MaxMemoString)}, strings.Repeat("a", MaxMemoString), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMemo()
			for _, s := range tt.added {
				m.Add(s)
			}
			assert.Equal(t, tt.want, m.Has(tt.x))
		})
	}
}

// TestMemoAddAllocatesOnlyOnTheSecondSighting pins that a stream of
// distinct strings never allocates, and that a repeated one allocates
// once, when it is stored.
func TestMemoAddAllocatesOnlyOnTheSecondSighting(t *testing.T) {
	m := NewMemo()
	distinct := make([]string, 64*MemoSlots)
	for i := range distinct {
		distinct[i] = fmt.Sprint("https://a", i, ".example.com")
	}
	i := 0
	assert.Zero(t, testing.AllocsPerRun(1000, func() { m.Add(distinct[i%len(distinct)]); i++ }), "distinct strings")
	// Two long lists with the same length and sampled words, differing in
	// an eighth to a quarter of the way in: their fingerprints tell them
	// apart.
	a := strings.Repeat("x-header-a,", 80)
	b := strings.Repeat("x-header-a,", 10) + strings.Repeat("x-header-b,", 10) + strings.Repeat("x-header-a,", 60)
	require.Equal(t, m.slot(a), m.slot(b), "precondition: the lists share a slot")
	k := 0
	assert.Zero(t, testing.AllocsPerRun(100, func() { m.Add([]string{a, b}[k%2]); k++ }), "alternating lists sharing a slot")
	repeated := "https://app.example.com"
	m.Add(repeated)
	assert.Equal(t, 1.0, testing.AllocsPerRun(1, func() { m.Add(repeated) }), "the second sighting stores it")
	assert.True(t, m.Has(repeated))
}

// TestMemoFull adds more strings than there are slots, from several
// goroutines: some are evicted, and a lookup still matches only an
// identical string that was added.
func TestMemoFull(t *testing.T) {
	m := NewMemo()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() { // not wg.Go: go.mod says go 1.24
			defer wg.Done()
			for i := range 4 * MemoSlots {
				s := fmt.Sprint("x-", g, "-", i)
				m.Add(s)
				m.Add(s)
			}
		}()
	}
	wg.Wait()
	kept := 0
	for g := range 4 {
		for i := range 4 * MemoSlots {
			if m.Has(fmt.Sprint("x-", g, "-", i)) {
				kept++
			}
			assert.False(t, m.Has(fmt.Sprint("y-", g, "-", i)))
		}
	}
	assert.Greater(t, kept, MemoSlots/2, "most slots hold a string")
	assert.LessOrEqual(t, kept, MemoSlots)
}

func TestMemoHasAllocatesNothing(t *testing.T) {
	m := NewMemo()
	short, long := "content-type,x-request-id", strings.Repeat("x-custom-header,", 50)
	m.Add(short)
	m.Add(short)
	m.Add(long)
	m.Add(long)
	assert.Zero(t, testing.AllocsPerRun(100, func() { m.Has(short); m.Has(long) }))
}
