package originregexp

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

var lintCases = []struct {
	name string
	expr string
	err  string // "" when Lint accepts
}{
	{name: "lone dots in a literal origin", expr: `https://app.example.com`,
		err: "an unescaped \".\" matches any character, so this also matches \"https://app-example.com\"; write \\. for a literal dot: `https://app\\.example\\.com`"},
	{name: "lone dot after a wildcard", expr: `https://.*.example.com`,
		err: "an unescaped \".\" matches any character, not only a dot; write \\. for a literal dot: `https://.*\\.example\\.com`"},
	{name: "one lone dot among escaped ones", expr: `app.example\.com`,
		err: "an unescaped \".\" matches any character, not only a dot; write \\. for a literal dot: `app\\.example\\.com`"},
	{name: "lone dot after a group", expr: `https://(app|admin).example\.com`,
		err: "an unescaped \".\" matches any character, not only a dot; write \\. for a literal dot: `https://(app|admin)\\.example\\.com`"},
	{name: "glob pasted into a regexp", expr: `https://*.example.com`,
		err: `a "*." wildcard pattern, not a regular expression (here "*" repeats the character before it); move "https://*.example.com" to AllowOrigins`},
	{name: "lone dot inside a named group", expr: `https://(?P<h>app.example)\.com`,
		err: "an unescaped \".\" matches any character, not only a dot; write \\. for a literal dot: `https://(?P<h>app\\.example)\\.com`"},
	{name: "lone dot inside an angle-bracket named group", expr: `https://(?<h>app.example)\.com`,
		err: "an unescaped \".\" matches any character, not only a dot; write \\. for a literal dot: `https://(?<h>app\\.example)\\.com`"},
	{name: "lone dot inside a flags group", expr: `https://(?i:app.example)\.com`,
		err: "an unescaped \".\" matches any character, not only a dot; write \\. for a literal dot: `https://(?i:app\\.example)\\.com`"},
	{name: "lone dot inside a non-capturing group", expr: `https://(?:app.example)\.com`,
		err: "an unescaped \".\" matches any character, so this also matches \"https://app-example.com\"; write \\. for a literal dot: `https://(?:app\\.example)\\.com`"},
	{name: "lone dot after a flags-only group", expr: `(?i)https://app.example\.com`,
		err: "an unescaped \".\" matches any character, not only a dot; write \\. for a literal dot: `(?i)https://app\\.example\\.com`"},
	// Issue 17 §4: escaping these would suggest `app\.\.example\.com`,
	// which matches no origin; next to a literal dot, a '.' can only be a
	// host character.
	{name: "dot before a literal dot", expr: `https://app.\.example\.com`},
	{name: "dot after a literal dot", expr: `https://app\..example\.com`},
	{name: "dot before a quoted literal dot", expr: `https://app.\Q.example.com\E`},
	{name: "lone dot escaped, the one next to a literal dot kept", expr: `https://a.b.\.com`,
		err: "an unescaped \".\" matches any character, not only a dot; write \\. for a literal dot: `https://a\\.b.\\.com`"},
	{name: "escaped dots inside a named group", expr: `https://(?P<h>app\.example)\.com`},
	{name: "glob with escaped dots", expr: `https://*\.example\.com`,
		err: `a "*." wildcard pattern, not a regular expression (here "*" repeats the character before it); move "https://*.example.com" to AllowOrigins`},
	{name: "glob with an escaped dot and no scheme", expr: `*\.example\.com`,
		err: `a "*." wildcard pattern, not a regular expression (here "*" repeats the character before it); move "*.example.com" to AllowOrigins`},
	{name: "expression longer than any origin regexp", expr: `https://` + strings.Repeat("a", maxExprLength),
		err: "longer than 4096 bytes; an origin regexp this long cannot be checked: split it or list origins in AllowOrigins"},
	{name: "expression at the length bound", expr: `https://` + strings.Repeat("a", maxExprLength-len("https://"))},
	{name: "glob without a scheme", expr: `*.example.com`,
		err: `a "*." wildcard pattern, not a regular expression (here "*" repeats the character before it); move "*.example.com" to AllowOrigins`},
	{name: "gin-contrib slashes", expr: `/https://.*\.example\.com/`,
		err: "written between /…/ delimiters, as gin-contrib/cors writes regexps; Go regexps have none: write `https://.*\\.example\\.com`"},
	{name: "escaped dots", expr: `https://app\.example\.com`},
	{name: "dot-star wildcard", expr: `https://.*\.example\.com`},
	{name: "dot-plus wildcard", expr: `https://.+\.example\.com`},
	{name: "counted dot wildcard", expr: `https://.{1,3}\.example\.com`},
	{name: "optional dot wildcard", expr: `https://app.?\.example\.com`},
	{name: "dot in a class", expr: `https://app[.]example\.com`},
	{name: "dot in a quoted literal", expr: `https://\Qapp.example.com\E`},
	{name: "dot between non-host characters", expr: `(.)`},
	{name: "anything", expr: `.*`},
}

func TestLint(t *testing.T) {
	for _, tc := range lintCases {
		t.Run(tc.name, func(t *testing.T) {
			err := Lint(tc.expr)
			if tc.err == "" {
				assert.NoError(t, err)
				return
			}
			if assert.Error(t, err) {
				assert.Equal(t, tc.err, err.Error())
			}
		})
	}
}
