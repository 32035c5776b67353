package originregexp

import (
	"errors"
	"regexp/syntax"
	"unicode"

	"github.com/gincors/gincors/internal/origin"
)

// An atom of a linear alternative: one character from set, or, if star,
// any string of characters from set.
type atom struct {
	set  charset
	star bool
	// pos names the place in the parsed expression a single-character
	// atom comes from (a literal's rune or a character class), the same
	// in every alternative; 0 for a repetition's wildcard. Two
	// alternatives that put the same places side by side in one and with
	// a '.' between them in the other show an optional dot (see
	// optionalDots).
	pos int32
}

// A sequence is one linear alternative of an expression: the concatenation
// of its atoms.
type sequence []atom

// Bounds on the expansion, so that any expression costs bounded work.
const (
	maxSequences = 1024    // linear alternatives of the whole expression
	maxAtoms     = 1 << 17 // atoms over all alternatives
	maxExactRep  = 16      // largest counted repeat expanded exactly
)

var errTooComplex = errors.New("too complex")

// expander turns a parsed expression into linear alternatives whose union
// contains every string the expression matches (an over-approximation,
// which is what a proof of safety needs). Alternations, '?' and small
// counted repeats are expanded exactly; X*, X+ and large repeats become
// "any string over X's characters, then X", which keeps what X ends with:
// `([a-z]+\.)*example\.com` still ends every label before example.com
// with a literal '.'.
type expander struct {
	atoms     int
	positions map[*syntax.Regexp]int32 // the first pos of each literal or class
	next      int32                    // the last pos handed out
}

// position returns the pos of the first of n characters that node re
// stands for, the same each time re is expanded again.
func (e *expander) position(re *syntax.Regexp, n int) int32 {
	if e.positions == nil {
		e.positions = map[*syntax.Regexp]int32{}
	}
	if p, ok := e.positions[re]; ok {
		return p
	}
	p := e.next + 1
	e.positions[re] = p
	e.next += int32(n)
	return p
}

func (e *expander) expand(re *syntax.Regexp) ([]sequence, error) {
	switch re.Op {
	case syntax.OpNoMatch:
		return nil, nil
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		// Assertions only remove matches: ignoring them over-approximates.
		return []sequence{nil}, nil
	case syntax.OpLiteral:
		if len(re.Rune) > origin.MaxLength {
			return nil, nil // longer than any origin: matches none
		}
		s := make(sequence, 0, len(re.Rune))
		first := e.position(re, len(re.Rune))
		for i, r := range re.Rune {
			s = append(s, atom{set: literalSet(r, re.Flags&syntax.FoldCase != 0), pos: first + int32(i)})
		}
		return e.charge([]sequence{s})
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return e.charge([]sequence{{{set: alphabet(re), pos: e.position(re, 1)}}})
	case syntax.OpCapture:
		return e.expand(re.Sub[0])
	case syntax.OpConcat:
		out := []sequence{nil}
		for _, sub := range re.Sub {
			parts, err := e.expand(sub)
			if err != nil {
				return nil, err
			}
			if out, err = e.concat(out, parts); err != nil {
				return nil, err
			}
		}
		return out, nil
	case syntax.OpAlternate:
		var out []sequence
		for _, sub := range re.Sub {
			parts, err := e.expand(sub)
			if err != nil {
				return nil, err
			}
			out = append(out, parts...)
			if len(out) > maxSequences {
				return nil, errTooComplex
			}
		}
		return out, nil
	case syntax.OpQuest:
		parts, err := e.expand(re.Sub[0])
		if err != nil {
			return nil, err
		}
		return e.union([]sequence{nil}, parts)
	case syntax.OpStar:
		return e.repeated(re.Sub[0], true)
	case syntax.OpPlus:
		return e.repeated(re.Sub[0], false)
	case syntax.OpRepeat:
		if re.Max >= 0 && re.Max-re.Min <= maxExactRep && re.Max <= origin.MaxLength {
			parts, err := e.expand(re.Sub[0])
			if err != nil {
				return nil, err
			}
			if out, err := e.exactRepeat(parts, re.Min, re.Max); err == nil {
				return out, nil
			}
		}
		return e.repeated(re.Sub[0], re.Min == 0)
	}
	return nil, errTooComplex
}

// repeated over-approximates X* (or X+ when !orEmpty) as "" | alphabet(X)* X.
func (e *expander) repeated(sub *syntax.Regexp, orEmpty bool) ([]sequence, error) {
	parts, err := e.expand(sub)
	if err != nil {
		return nil, err
	}
	out, err := e.concat([]sequence{{{set: alphabet(sub), star: true}}}, parts)
	if err != nil {
		return nil, err
	}
	if orEmpty {
		return e.union([]sequence{nil}, out)
	}
	return out, nil
}

// exactRepeat expands X{min,max} into X^min | ... | X^max.
func (e *expander) exactRepeat(parts []sequence, lo, hi int) ([]sequence, error) {
	power := []sequence{nil}
	var out []sequence
	for n := 0; n <= hi; n++ {
		if n >= lo {
			out = append(out, power...)
			if len(out) > maxSequences {
				return nil, errTooComplex
			}
			if _, err := e.charge(power); err != nil {
				return nil, err
			}
		}
		if n < hi {
			var err error
			if power, err = e.concat(power, parts); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func (e *expander) union(a, b []sequence) ([]sequence, error) {
	if len(a)+len(b) > maxSequences {
		return nil, errTooComplex
	}
	return e.charge(append(append([]sequence(nil), a...), b...))
}

// concat is the product of two sets of alternatives. An alternative with
// more mandatory characters than the longest origin can match nothing and
// is dropped. The lengths are added up before anything is built, so a pair
// that cannot fit an origin costs neither a copy nor a charge: a 1,000-way
// alternation before a long literal costs 1,000 additions, not 1,000
// copies of the literal.
func (e *expander) concat(a, b []sequence) ([]sequence, error) {
	bLen := make([]int, len(b))
	for j, y := range b {
		bLen[j] = mandatory(y)
	}
	pairs, atoms := 0, 0
	for _, x := range a {
		xLen := mandatory(x)
		for j, y := range b {
			if xLen+bLen[j] > origin.MaxLength {
				continue
			}
			pairs++
			atoms += len(x) + len(y) + 1
		}
		if pairs > maxSequences || e.atoms+atoms > maxAtoms {
			return nil, errTooComplex
		}
	}
	out := make([]sequence, 0, pairs)
	for _, x := range a {
		xLen := mandatory(x)
		for j, y := range b {
			if xLen+bLen[j] > origin.MaxLength {
				continue
			}
			s := make(sequence, 0, len(x)+len(y))
			out = append(out, append(append(s, x...), y...))
		}
	}
	return e.charge(out)
}

// charge counts new alternatives and their atoms against the work bound.
// Every alternative costs at least one, so that empty ones, as in nested
// `(){0,16}`, are bounded too.
func (e *expander) charge(seqs []sequence) ([]sequence, error) {
	for _, s := range seqs {
		e.atoms += len(s) + 1
	}
	if e.atoms > maxAtoms {
		return nil, errTooComplex
	}
	return seqs, nil
}

func mandatory(s sequence) int {
	n := 0
	for _, a := range s {
		if !a.star {
			n++
		}
	}
	return n
}

// literalSet is the set of ASCII characters a literal rune matches.
func literalSet(r rune, fold bool) (s charset) {
	s.add(r)
	if fold {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			s.add(f)
		}
	}
	return s
}

// alphabet is the set of ASCII characters that can occur in a string re
// matches.
func alphabet(re *syntax.Regexp) (s charset) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			s = s.or(literalSet(r, re.Flags&syntax.FoldCase != 0))
		}
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] < 128 {
				s = s.or(charsetRange(re.Rune[i], re.Rune[i+1]))
			}
		}
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		s = allChars
	default:
		for _, sub := range re.Sub {
			s = s.or(alphabet(sub))
		}
	}
	return s
}
