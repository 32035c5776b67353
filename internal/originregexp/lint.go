package originregexp

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"

	"github.com/gincors/gincors/internal/origin"
)

// Lint reports the spelling mistakes refused with or without credentials,
// as an error whose text says what is wrong and how to write it instead.
// nil if none:
//   - /…/ delimiters, as gin-contrib/cors writes regexps;
//   - a "*." glob pasted into a regexp, where "/*" repeats "/";
//   - a lone unescaped '.' next to a host character, as in
//     `app.example\.com` or `https://.*.example.com`: almost always a
//     literal dot written wrong, and it lets in "app-example.com". A '.'
//     under a repetition (`.*`, `.+`, `.{1,3}`) or next to a literal dot
//     (`app.\.example\.com`, where only a host character can stand) is a
//     deliberate wildcard, left to Prove;
//   - an expression longer than maxExprLength, which no origin needs.
func Lint(expr string) error {
	if err := checkLength(expr); err != nil {
		return err
	}
	if len(expr) >= 2 && expr[0] == '/' && expr[len(expr)-1] == '/' {
		return fmt.Errorf("written between /…/ delimiters, as gin-contrib/cors writes regexps; Go regexps have none: write %s", quote(expr[1:len(expr)-1]))
	}
	// A glob with its dots escaped (`https://*\.example\.com`) is still a
	// glob: "*" repeats the '/' before it, so it matches no origin at all.
	if strings.HasPrefix(expr, "*.") || strings.Contains(expr, "://*.") ||
		strings.HasPrefix(expr, `*\.`) || strings.Contains(expr, `://*\.`) {
		return fmt.Errorf(`a "*." wildcard pattern, not a regular expression (here "*" repeats the character before it); move %q to AllowOrigins`, strings.ReplaceAll(expr, `\.`, "."))
	}
	dots := loneDots(expr)
	if len(dots) == 0 {
		return nil
	}
	var b strings.Builder
	last := 0
	for _, i := range dots {
		b.WriteString(expr[last:i])
		b.WriteString(`\.`)
		last = i + 1
	}
	b.WriteString(expr[last:])
	fixed := b.String()
	if example, ok := loneDotExample(expr, fixed); ok {
		return fmt.Errorf(`an unescaped "." matches any character, so this also matches %q; write \. for a literal dot: %s`, example, quote(fixed))
	}
	return fmt.Errorf(`an unescaped "." matches any character, not only a dot; write \. for a literal dot: %s`, quote(fixed))
}

// maxExprLength bounds the expressions Lint and Prove accept. An origin is
// at most origin.MaxLength (326) bytes; an expression more than ten times
// that long is no origin regexp anyone wrote by hand, and refusing it up
// front keeps the work both do small whatever the input.
const maxExprLength = 4096

func checkLength(expr string) error {
	if len(expr) > maxExprLength {
		return fmt.Errorf("longer than %d bytes; an origin regexp this long cannot be checked: split it or list origins in AllowOrigins", maxExprLength)
	}
	return nil
}

// quote writes a corrected expression as Go source would: in backquotes.
func quote(expr string) string {
	if strings.Contains(expr, "`") {
		return fmt.Sprintf("%q", expr)
	}
	return "`" + expr + "`"
}

// loneDots returns the offsets of the unescaped '.' characters of expr,
// outside character classes, that no repetition operator follows and that
// have a literal host character (letter, digit, '-' or '_') on at least
// one side.
func loneDots(expr string) []int {
	type token struct {
		pos     int
		dot     bool // an unescaped '.'
		litDot  bool // a literal '.': \. or a '.' inside \Q…\E
		hostLit bool // a literal host character
		repeat  bool // *, +, ? or {n,m}
	}
	var toks []token
	for i := 0; i < len(expr); {
		c := expr[i]
		switch {
		case c == '\\' && strings.HasPrefix(expr[i:], `\Q`):
			end := strings.Index(expr[i+2:], `\E`)
			if end < 0 {
				end = len(expr) - i - 2
			}
			for j := i + 2; j < i+2+end; j++ {
				toks = append(toks, token{pos: j, hostLit: isHostByte(expr[j]), litDot: expr[j] == '.'})
			}
			i += 2 + end + 2
		case c == '\\':
			toks = append(toks, token{pos: i, litDot: strings.HasPrefix(expr[i:], `\.`)})
			i += 2
		case c == '[':
			toks = append(toks, token{pos: i})
			i = classEnd(expr, i)
		case c == '(' && strings.HasPrefix(expr[i:], "(?"):
			// Skip only the group's opening: the flags of `(?i:` or
			// `(?i)`, or the name of `(?P<name>` or `(?<name>`. What
			// the group holds is scanned like the rest, so a lone dot
			// inside a named group is caught too. A name is word
			// characters, so its '>' comes before any ':' or ')'.
			end := strings.IndexAny(expr[i:], ":)>")
			if end < 0 {
				end = len(expr) - i - 1
			}
			toks = append(toks, token{pos: i})
			i += end + 1
		case c == '.':
			toks = append(toks, token{pos: i, dot: true})
			i++
		case c == '*' || c == '+' || c == '?' || c == '{' && i+1 < len(expr) && expr[i+1] >= '0' && expr[i+1] <= '9':
			toks = append(toks, token{pos: i, repeat: true})
			i++
		default:
			toks = append(toks, token{pos: i, hostLit: isHostByte(c)})
			i++
		}
	}
	var out []int
	for k, t := range toks {
		if !t.dot || k+1 < len(toks) && toks[k+1].repeat {
			continue
		}
		before := k > 0 && toks[k-1].hostLit
		after := k+1 < len(toks) && toks[k+1].hostLit
		// Next to a literal dot, as in `app.\.example\.com`, a '.' can
		// match only a host character in an origin that parses
		// ("app..example.com" never does): it is no literal dot written
		// wrong, and escaping it would suggest an expression that
		// matches nothing.
		nextToDot := k > 0 && toks[k-1].litDot || k+1 < len(toks) && toks[k+1].litDot
		if (before || after) && !nextToDot {
			out = append(out, t.pos)
		}
	}
	return out
}

// classEnd returns the offset just after the character class that starts
// at expr[i] == '['.
func classEnd(expr string, i int) int {
	j := i + 1
	if j < len(expr) && expr[j] == '^' {
		j++
	}
	if j < len(expr) && expr[j] == ']' {
		j++ // a leading ']' is literal
	}
	for j < len(expr) {
		switch {
		case expr[j] == '\\':
			j += 2
		case strings.HasPrefix(expr[j:], "[:"):
			if end := strings.Index(expr[j+2:], ":]"); end >= 0 {
				j += 2 + end + 2
			} else {
				j++
			}
		case expr[j] == ']':
			return j + 1
		default:
			j++
		}
	}
	return len(expr)
}

func isHostByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

// loneDotExample finds an origin that expr matches only because a lone dot
// matches a character other than '.': the corrected expression's literal
// spelling with one dot replaced by '-'. It handles expressions that are
// literal once corrected, the common case.
func loneDotExample(expr, fixed string) (string, bool) {
	tree, err := syntax.Parse(fixed, syntax.Perl)
	if err != nil || tree.Op != syntax.OpLiteral || tree.Flags&syntax.FoldCase != 0 {
		return "", false
	}
	re, err := regexp.Compile(`^(?:` + expr + `)$`)
	if err != nil {
		return "", false
	}
	lit := string(tree.Rune)
	// The first dot first: "app-example.com" is a domain anyone can
	// register, "app.example-com" is not.
	for i := 0; i < len(lit); i++ {
		if lit[i] != '.' {
			continue
		}
		candidate := lit[:i] + "-" + lit[i+1:]
		if _, ok := origin.Parse(candidate); ok && re.MatchString(candidate) {
			return candidate, true
		}
	}
	return "", false
}
