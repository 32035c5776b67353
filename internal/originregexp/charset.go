package originregexp

import "math/bits"

// charset is a set of ASCII characters. Origins are ASCII (Punycode hosts),
// so every character beyond 127 can be dropped from the analysis.
type charset [2]uint64

func charsetOf(chars string) (s charset) {
	for i := 0; i < len(chars); i++ {
		s.add(rune(chars[i]))
	}
	return s
}

func charsetRange(lo, hi rune) (s charset) {
	if lo < 0 {
		lo = 0
	}
	if hi > 127 {
		hi = 127
	}
	for r := lo; r <= hi; r++ {
		s.add(r)
	}
	return s
}

func (s *charset) add(r rune) {
	if r >= 0 && r < 128 {
		s[r>>6] |= 1 << (r & 63)
	}
}

func (s charset) has(r rune) bool {
	return r >= 0 && r < 128 && s[r>>6]&(1<<(r&63)) != 0
}

func (s charset) and(t charset) charset   { return charset{s[0] & t[0], s[1] & t[1]} }
func (s charset) or(t charset) charset    { return charset{s[0] | t[0], s[1] | t[1]} }
func (s charset) minus(t charset) charset { return charset{s[0] &^ t[0], s[1] &^ t[1]} }
func (s charset) empty() bool             { return s[0] == 0 && s[1] == 0 }
func (s charset) count() int              { return bits.OnesCount64(s[0]) + bits.OnesCount64(s[1]) }

// single returns the only character of s, if it has exactly one.
func (s charset) single() (byte, bool) {
	if s.count() != 1 {
		return 0, false
	}
	if s[0] != 0 {
		return byte(bits.TrailingZeros64(s[0])), true
	}
	return byte(64 + bits.TrailingZeros64(s[1])), true
}

// chars returns the characters of s in ascending order.
func (s charset) chars() []byte {
	var out []byte
	for r := rune(0); r < 128; r++ {
		if s.has(r) {
			out = append(out, byte(r))
		}
	}
	return out
}

// pick returns a representative character of s, preferring the ones that
// make readable example origins.
func (s charset) pick() (byte, bool) {
	const preferred = "abcdefghijklmnopqrstuvwxyz123456789-0_.:"
	for i := 0; i < len(preferred); i++ {
		if s.has(rune(preferred[i])) {
			return preferred[i], true
		}
	}
	if c := s.chars(); len(c) > 0 {
		return c[0], true
	}
	return 0, false
}

var (
	lowerChars  = charsetRange('a', 'z')
	digitChars  = charsetRange('0', '9')
	allChars    = charsetRange(0, 127)
	schemeChars = lowerChars.or(digitChars).or(charsetOf("+-."))
	// hostChars are the characters of a serialized domain host.
	hostChars = lowerChars.or(digitChars).or(charsetOf("-._"))
	// afterSchemeChars are the characters that can follow "://": a host,
	// bracketed IPv6 included, and a port.
	afterSchemeChars = hostChars.or(charsetOf(":[]"))
	ipv6Chars        = charsetRange('0', '9').or(charsetRange('a', 'f')).or(charsetOf(":."))
	colon            = charsetOf(":")
)
