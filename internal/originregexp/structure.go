package originregexp

// A shape is one way a linear alternative can spell a well-formed origin:
// the scheme's atoms, "://", the host's atoms and, if hasPort, ":" and the
// port's atoms. Each set is already narrowed to the characters origin.Parse
// allows at that place.
type shape struct {
	scheme  sequence
	host    sequence
	port    sequence
	hasPort bool
	ipv6    bool // the host is a bracketed IPv6 address
}

// restrict narrows every atom of s to allowed. It reports false if a
// mandatory character cannot be one of them, so s matches no origin.
func restrict(s sequence, allowed charset) (sequence, bool) {
	out := make(sequence, 0, len(s))
	for _, a := range s {
		a.set = a.set.and(allowed)
		if a.set.empty() {
			if a.star {
				continue
			}
			return nil, false
		}
		out = append(out, a)
	}
	return out, true
}

// shapes enumerates the shapes of s. The scheme ends at the first ':'
// (scheme characters exclude it), "//" follows, and after it the string is
// a host, then at most one ':' and digits; the choice of which atom
// supplies each ':' is what is enumerated, so there are O(len(s)) shapes.
func shapes(s sequence) []shape {
	var out []shape
	var scheme sequence
	for i, a := range s {
		if a.set.has(':') {
			var rest sequence
			sch := append(sequence(nil), scheme...)
			if a.star {
				if narrowed := a.set.and(schemeChars); !narrowed.empty() {
					sch = append(sch, atom{set: narrowed, star: true})
				}
				rest = append(sequence{a}, s[i+1:]...)
			} else {
				rest = s[i+1:]
			}
			for _, r1 := range consume(rest, '/') {
				for _, r2 := range consume(r1, '/') {
					out = append(out, hostShapes(sch, r2)...)
				}
			}
		}
		allowed := schemeChars
		if len(scheme) == 0 && !a.star {
			allowed = lowerChars // a scheme starts with a letter
		}
		a.set = a.set.and(allowed)
		if a.set.empty() {
			if a.star {
				continue
			}
			break
		}
		scheme = append(scheme, a)
	}
	return out
}

// consume returns what remains of s after it produces the character c
// first, in each way it can.
func consume(s sequence, c rune) []sequence {
	var out []sequence
	for i, a := range s {
		if !a.star {
			if a.set.has(c) {
				out = append(out, s[i+1:])
			}
			return out
		}
		if a.set.has(c) {
			out = append(out, s[i:]) // the repetition produced c and may go on
		}
	}
	return out
}

// hostShapes splits what follows "://" into host and port.
func hostShapes(scheme, rest sequence) []shape {
	rest, ok := restrict(rest, afterSchemeChars)
	if !ok {
		return nil
	}
	out := ipv6Shapes(scheme, rest)

	// A domain host: no brackets anywhere, at most one ':', digits after it.
	rest, ok = restrict(rest, hostChars.or(colon))
	if !ok {
		return out
	}
	var host sequence
	var withPort []shape
	for i, a := range rest {
		if a.set.has(':') {
			h := append(sequence(nil), host...)
			var port sequence
			if a.star {
				if narrowed := a.set.and(hostChars); !narrowed.empty() {
					h = append(h, atom{set: narrowed, star: true})
				}
				if narrowed := a.set.and(digitChars); !narrowed.empty() {
					port = append(port, atom{set: narrowed, star: true})
				}
			}
			if tail, ok := restrict(rest[i+1:], digitChars); ok {
				withPort = append(withPort, shape{scheme: scheme, host: h, port: append(port, tail...), hasPort: true})
			}
		}
		a.set = a.set.and(hostChars)
		if a.set.empty() {
			if a.star {
				continue
			}
			return append(out, withPort...)
		}
		host = append(host, a)
	}
	return append(append(out, shape{scheme: scheme, host: host}), withPort...)
}

// ipv6Shapes returns the shapes in which the host is bracketed: it ends at
// the first ']', and only ":" and a port may follow.
func ipv6Shapes(scheme, rest sequence) []shape {
	if len(rest) == 0 || !rest[0].set.has('[') && !rest[0].star {
		return nil
	}
	var out []shape
	for j, a := range rest {
		if a.set.has(']') {
			host, ok := restrict(rest[:j], ipv6Chars.or(charsetOf("[")))
			var after sequence
			if a.star {
				after = append(after, atom{set: a.set.and(digitChars.or(colon)), star: true})
			}
			after = append(after, rest[j+1:]...)
			after, ok2 := restrict(after, digitChars.or(colon))
			if ok && ok2 {
				if a.star {
					host = append(host, atom{set: a.set.and(ipv6Chars), star: true})
				}
				host = append(host, atom{set: charsetOf("]")})
				sh := shape{scheme: scheme, host: host, ipv6: true}
				if mandatory(after) > 0 {
					// ":" and a port; used only to spell examples.
					if c, _ := after[0].set.single(); c == ':' && !after[0].star {
						after = after[1:]
					}
					sh.hasPort = true
					sh.port, _ = restrict(after, digitChars)
				}
				out = append(out, sh)
			}
		}
		if !a.star && a.set.and(ipv6Chars.or(charsetOf("["))).empty() {
			break
		}
	}
	return out
}
