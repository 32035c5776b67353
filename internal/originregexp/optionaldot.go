package originregexp

// An optional dot between two labels, as in `https://www\.?example\.com`,
// gives the expression a second spelling of the host with the labels
// joined: "wwwexample.com", a different domain that anyone can register.
// Each alternative on its own looks like a literal host or a confined
// domain, so the proof has to relate the alternatives to one another, and
// it does so through the places (atom.pos) of the parsed expression that
// the atoms come from: if one alternative spells place p, then a '.', then
// place q, and another spells p right before q, the dot between them is
// optional, whatever syntax made it so (`\.?`, `(\.)?`, `\.{0,1}`,
// `(\.|)`, `\.*`, `[.]?`).

// placePair is two places of the expression, in the order spelled.
type placePair [2]int32

// optionalDots returns the pairs of places that some alternative of seqs
// separates by a run of characters that can each be a '.': the pairs
// whose spelling side by side, where another alternative has it, leaves
// out a dot. The work is linear in the atoms: a run starts only after an
// atom that cannot be a '.'.
func optionalDots(seqs []sequence) map[placePair]bool {
	dot := charsetOf(".")
	out := map[placePair]bool{}
	for _, s := range seqs {
		for i := 0; i < len(s); i++ {
			p := s[i]
			if p.star || p.pos == 0 || !p.set.and(dot).empty() {
				continue
			}
			j := i + 1
			for j < len(s) && s[j].set.has('.') {
				j++
			}
			if j == i+1 || j == len(s) {
				continue
			}
			if q := s[j]; !q.star && q.pos != 0 {
				out[placePair{p.pos, q.pos}] = true
			}
		}
	}
	return out
}

// joinedLabels returns the index in host of the first atom that follows
// another with no dot between them where some other alternative puts one:
// the first character of a label joined to the one before. Only the
// atoms from from on are looked at: the literal part of the host, which
// decides the domain.
func (p *prover) joinedLabels(host sequence, from int) (int, bool) {
	for i := max(from, 0) + 1; i < len(host); i++ {
		a, b := host[i-1], host[i]
		if a.star || b.star || a.pos == 0 || b.pos == 0 {
			continue
		}
		if p.optionalDots[placePair{a.pos, b.pos}] {
			return i, true
		}
	}
	return 0, false
}

// labelsAround returns the literal text of the labels that meet at host[i]
// when the optional dot before it is left out: "www" and "example" in
// "wwwexample.com".
func labelsAround(host sequence, i int) (before, after string) {
	var b []byte
	for j := i - 1; j >= 0; j-- {
		c, single := host[j].set.single()
		if !single || host[j].star || c == '.' {
			break
		}
		b = append([]byte{c}, b...)
	}
	var a []byte
	for j := i; j < len(host); j++ {
		c, single := host[j].set.single()
		if !single || host[j].star || c == '.' {
			break
		}
		a = append(a, c)
	}
	return string(b), string(a)
}
