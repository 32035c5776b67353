package originregexp

import (
	"regexp"
	"strings"
)

// A refusal that names a fix built from the user's own expression must
// name one that does what they meant: pasted in, it no longer fails the
// way the refusal says, and it still matches the origins they wrote it
// for. So a fix is an edit of the expression's text, kept only if the
// proof of the edited expression shows the failure gone; where no such
// edit exists the refusal says what to do in words instead.

// maxFixEdits bounds the edits a fix tries, each costing one more proof.
const maxFixEdits = 8

// maxFixAlternatives is the most alternatives an expression may expand
// into for a refusal to look for a fix: with it and maxFixEdits, the
// search costs at most a few proofs of small expressions, however large
// the one refused. Expressions people write have a handful.
const maxFixAlternatives = 64

// textEdit replaces expr[start:end] with text.
type textEdit struct {
	start, end int
	text       string
}

// searchFix applies edits to expr, whose proof is p, right to left,
// keeping each one that lowers the number of failures of kind kind, and
// reports the result if the proof then accepts it and it still matches
// some host: a fix that trades one refusal for another, or one accepted
// because it matches nothing, is no fix to paste. The edits must be
// sorted by start and not overlap. An expression of more than
// maxFixAlternatives alternatives gets no fix, so that the search costs a
// few proofs of small expressions at most.
func searchFix(p *prover, expr string, kind failKind, edits []textEdit) (string, bool) {
	if p.alternatives > maxFixAlternatives || len(edits) == 0 {
		return expr, false
	}
	tally := func(p *prover) (ofKind, all int) {
		for _, f := range p.failures {
			if f.kind == kind {
				ofKind++
			}
		}
		all = len(p.failures)
		if len(p.hosts) == 0 && len(p.domains) == 0 {
			// Accepted because it matches no origin at all, as
			// `https://(:\d+)?` would: no fix either.
			all++
		}
		return ofKind, all
	}
	current, all := tally(p)
	// Right to left: a kept edit leaves the offsets of the ones still to
	// try as they were.
	for k := len(edits) - 1; k >= 0 && current > 0; k-- {
		e := edits[k]
		candidate := expr[:e.start] + e.text + expr[e.end:]
		q, _, err := run(candidate, p.opts)
		if err != nil {
			continue
		}
		if n, a := tally(q); n < current {
			expr, current, all = candidate, n, a
		}
	}
	return expr, current == 0 && all == 0
}

// optionalDotSpellings are the usual ways to write an optional dot. Each
// becomes a mandatory \. in a fix.
var optionalDotSpellings = []string{
	`(?:\.)?`, `(\.)?`, `(?:\.|)`, `(\.|)`, `(?:|\.)`, `(|\.)`, `[.]?`, `[\.]?`, `\.{0,1}`, `\.?`, `\.*`,
}

// dotEdits returns the edits that make each optional dot of expr spelled
// in one of the usual ways mandatory, outside character classes and
// \Q…\E, at most maxFixEdits of them.
func dotEdits(expr string) []textEdit {
	var out []textEdit
	for i := 0; i < len(expr) && len(out) < maxFixEdits; {
		rest := expr[i:]
		matched := false
		for _, sp := range optionalDotSpellings {
			if strings.HasPrefix(rest, sp) {
				end := i + len(sp)
				if end < len(expr) && expr[end] == '?' && sp[len(sp)-1] != ')' {
					end++ // a lazy quantifier: \.?? or \.*?
				}
				out = append(out, textEdit{start: i, end: end, text: `\.`})
				i, matched = end, true
				break
			}
		}
		if matched {
			continue
		}
		switch {
		case strings.HasPrefix(rest, `\Q`):
			end := strings.Index(expr[i+2:], `\E`)
			if end < 0 {
				return out
			}
			i += 2 + end + 2
		case rest[0] == '\\':
			i += 2
		case rest[0] == '[':
			i = classEnd(expr, i)
		default:
			i++
		}
	}
	return out
}

// separatorEdits returns the edits that put a \. before each place expr
// spells domain as written by regexp.QuoteMeta and without a \. already,
// at most maxFixEdits of them: `https://.*example\.com` becomes
// `https://.*\.example\.com`.
func separatorEdits(expr, domain string) []textEdit {
	quoted := regexp.QuoteMeta(domain)
	var out []textEdit
	for i := 0; len(out) < maxFixEdits; {
		j := strings.Index(expr[i:], quoted)
		if j < 0 {
			break
		}
		at := i + j
		if !strings.HasSuffix(expr[:at], `\.`) {
			out = append(out, textEdit{start: at, end: at, text: `\.`})
		}
		i = at + len(quoted)
	}
	return out
}

// trailingWildcards are the usual ways to end an expression with
// "anything": a port, a path, or a mistake.
var trailingWildcards = []string{`(?:.*)?`, `(.*)?`, `(?:.*)`, `(.*)`, `(/.*)?`, `/.*`, `.*$`, `.+$`, `.*`, `.+`}

// portEdits returns the edit that replaces a trailing wildcard of expr
// with an optional port, if it ends with one: `https://example\.com.*`
// becomes `https://example\.com(:\d+)?`.
func portEdits(expr string) []textEdit {
	for _, w := range trailingWildcards {
		if !strings.HasSuffix(expr, w) {
			continue
		}
		// After `\`, `|` or `(` the wildcard is an escape, a whole
		// alternative or a group's: no host it ends.
		if before := strings.TrimSuffix(expr, w); strings.HasSuffix(before, `\`) || strings.HasSuffix(before, "|") || strings.HasSuffix(before, "(") {
			return nil
		}
		return []textEdit{{start: len(expr) - len(w), end: len(expr), text: `(:\d+)?`}}
	}
	return nil
}
