package originregexp

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"
	"time"

	"github.com/gincors/gincors/internal/origin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type proveCase struct {
	name     string
	expr     string
	insecure bool
	domains  []string // accepted: Proof.Domains
	hosts    []string // accepted: Proof.Hosts
	err      string   // refused: the exact message
}

var proveCases = []proveCase{
	// Accepted with credentials.
	{name: "literal host", expr: `https://app\.example\.com`, hosts: []string{"app.example.com"}},
	{name: "alternation of literal hosts", expr: `https://(app|admin)\.example\.com`, hosts: []string{"admin.example.com", "app.example.com"}},
	{name: "optional subdomain below a literal dot", expr: `https://([a-z0-9-]+\.)?example\.com`, domains: []string{"example.com"}, hosts: []string{"example.com"}},
	{name: "wildcard glued to a label of a registrable domain", expr: `https://[a-z0-9]+-staging\.example\.com`, domains: []string{"example.com"}},
	{name: "any prefix of a label below the domain", expr: `https://.*-preview\.example\.com`, domains: []string{"example.com"}, hosts: []string{"-preview.example.com"}},
	{name: "subdomains with an optional port", expr: `https://.*\.example\.com(:\d+)?`, domains: []string{"example.com"}},
	{name: "numbered subdomain of a subdomain", expr: `https://pr-[0-9]+\.preview\.example\.com`, domains: []string{"preview.example.com"}},
	{name: "http on localhost with a literal port", expr: `http://localhost:3000`, hosts: []string{"localhost"}},
	{name: "http on 127.0.0.1 with a literal port", expr: `http://127\.0\.0\.1:8080`, hosts: []string{"127.0.0.1"}},
	{name: "http on localhost with any port", expr: `http://localhost:\d+`, hosts: []string{"localhost"}},
	{name: "case-insensitive domain", expr: `(?i)https://.*\.EXAMPLE\.com`, domains: []string{"example.com"}},
	{name: "registrable domain with nested public suffixes", expr: `https://.*\.amazonaws\.com`, domains: []string{"amazonaws.com"}},
	{name: "colon then anything is a port", expr: `https://example\.com(:.*)?`, hosts: []string{"example.com"}},
	{name: "plain http with AllowInsecure", expr: `https?://.*\.example\.com`, insecure: true, domains: []string{"example.com"}},
	{name: "IPv6 loopback literal", expr: `https://\[::1\]`, hosts: []string{"[::1]"}},
	{name: "http below localhost", expr: `http://.*\.localhost`, domains: []string{"localhost"}},
	{name: "http on any 127.0.0.x", expr: `http://127\.0\.0\.\d+`},
	{name: "repeated labels ending in a literal dot", expr: `https://([a-z]+\.)*example\.com`, domains: []string{"example.com"}, hosts: []string{"example.com"}},
	{name: "small class at the end spells literal hosts", expr: `https://app\.example\.co[mk]`, hosts: []string{"app.example.cok", "app.example.com"}},
	{name: "scheme class spelling https", expr: `http[s]://app\.example\.com`, hosts: []string{"app.example.com"}},
	{name: "explicit anchors", expr: `^https://app\.example\.com$`, hosts: []string{"app.example.com"}},
	{name: "several domains", expr: `https://.*\.(example\.com|example\.org)`, domains: []string{"example.com", "example.org"}},
	{name: "registrable domain under a wildcard public-suffix rule", expr: `https://.*\.city\.kawasaki\.jp`, domains: []string{"city.kawasaki.jp"}},
	{name: "private-rule subdomain of your own", expr: `https://.*\.myapp\.vercel\.app`, domains: []string{"myapp.vercel.app"}},
	{name: "matches no origin at all", expr: `app\.example\.com`},
	{name: "any subdomain depth", expr: `https://(?:[a-z0-9-]+\.)+example\.com`, domains: []string{"example.com"}},
	{name: "negated class without dots", expr: `https://[^.]+\.example\.com`, domains: []string{"example.com"}},
	{name: "optional trailing dot never parses", expr: `https://.*\.example\.com\.?`, domains: []string{"example.com"}},
	{name: "literal https origin and loopback http origin", expr: `(https://app\.example\.com|http://localhost:3000)`, hosts: []string{"app.example.com", "localhost"}},
	{name: "anchored canonical form, as RegexpOrigins reports it", expr: `^(?:https://app\.example\.com)$`, hosts: []string{"app.example.com"}},
	{name: "labels spelled both ways on purpose", expr: `https://(app\.example|appexample)\.com`, hosts: []string{"app.example.com", "appexample.com"}},
	{name: "optional dot inside the wildcard part", expr: `https://[a-z]+\.?[a-z]+\.example\.com`, domains: []string{"example.com"}},
	{name: "optional dot after an optional subdomain", expr: `https://(www\.)?example\.com`, hosts: []string{"example.com", "www.example.com"}},
	{name: "optional dot joining loopback labels", expr: `http://local\.?host:3000`, insecure: true, hosts: []string{"local.host", "localhost"}},
	{name: "IPv6 loopback with any port over http", expr: `http://\[::1\]:\d+`, hosts: []string{"[::1]"}},
	{name: "http on localhost subdomains with a port", expr: `http://(.*\.)?localhost:\d+`, domains: []string{"localhost"}, hosts: []string{"localhost"}},

	// Refused with credentials, each naming an origin it matches.
	{name: "public suffix com", expr: `https://.*\.com`,
		err: `matches "https://attacker.com", and "com" is a public suffix where anyone can register a subdomain; with AllowCredentials, match your own domain (such as \.yourapp\.com) or list origins in AllowOrigins`},
	{name: "public suffix github.io", expr: `https://[a-z0-9-]+\.github\.io`,
		err: `matches "https://attacker.github.io", and "github.io" is a public suffix where anyone can register a subdomain; with AllowCredentials, list origins in AllowOrigins (such as "https://yourapp.github.io") or check them in AllowOriginFunc; a wildcard below a name of your own (such as \.yourapp\.github\.io) helps only where the platform serves subdomains of it`},
	{name: "public suffix vercel.app", expr: `https://.+\.vercel\.app`,
		err: `matches "https://attacker.vercel.app", and "vercel.app" is a public suffix where anyone can register a subdomain; with AllowCredentials, list origins in AllowOrigins (such as "https://yourapp.vercel.app") or check them in AllowOriginFunc; a wildcard below a name of your own (such as \.yourapp\.vercel\.app) helps only where the platform serves subdomains of it`},
	{name: "wildcard rule kawasaki.jp", expr: `https://.*\.kawasaki\.jp`,
		err: `matches "https://attacker.kawasaki.jp", and "kawasaki.jp" is a public suffix where anyone can register a subdomain; with AllowCredentials, match your own domain (such as \.yourapp\.kawasaki\.jp) or list origins in AllowOrigins`},
	{name: "wildcard glued to the domain", expr: `https://.*example\.com`,
		err: "matches \"https://evilexample.com\", which is not below example.com: nothing separates the wildcard from the domain; with AllowCredentials, put \\. between them: `https://.*\\.example\\.com`, or list origins in AllowOrigins"},
	{name: "any https origin", expr: `https://.*`,
		err: `matches "https://attacker.com": the host can end in anything; with AllowCredentials, end every host with a literal \. and your domain (such as .*\.example\.com), allow a port only as (:\d+)?, or list origins in AllowOrigins`},
	{name: "anything", expr: `.*`,
		err: `matches "https://attacker.com": the host can end in anything; with AllowCredentials, end every host with a literal \. and your domain (such as .*\.example\.com), allow a port only as (:\d+)?, or list origins in AllowOrigins`},
	{name: "optional s allows plain http", expr: `https?://(www\.)?example\.com`,
		err: `matches plain-http "http://example.com": anyone on the network path can impersonate it; with AllowCredentials, match https only, or set DangerouslyAllowInsecureOrigins`},
	{name: "anything after the domain", expr: `https://example\.com.*`,
		err: "matches \"https://example.com.attacker.com\": the host can end in anything; with AllowCredentials, end it where your domain ends and allow a port only: `https://example\\.com(:\\d+)?`, or list origins in AllowOrigins"},
	{name: "anything before and after the domain", expr: `https://.*\.example\.com.*`,
		err: "matches \"https://attacker.example.com.attacker.com\": the host can end in anything; with AllowCredentials, end it where your domain ends and allow a port only: `https://.*\\.example\\.com(:\\d+)?`, or list origins in AllowOrigins"},
	{name: "any scheme", expr: `[a-z]+://app\.example\.com`,
		err: `matches plain-http "http://app.example.com": anyone on the network path can impersonate it; with AllowCredentials, match https only, or set DangerouslyAllowInsecureOrigins`},
	{name: "extension origins", expr: `chrome-extension://[a-p]{32}`,
		err: `matches "chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", an extension origin, not https; with AllowCredentials, list the exact extension origins (with their IDs) in AllowOrigins`},
	{name: "plain http subdomains without AllowInsecure", expr: `https?://.*\.example\.com`,
		err: `matches plain-http "http://app.example.com": anyone on the network path can impersonate it; with AllowCredentials, match https only, or set DangerouslyAllowInsecureOrigins`},
	{name: "plain http literal", expr: `http://app\.example\.com`,
		err: `matches plain-http "http://app.example.com": anyone on the network path can impersonate it; with AllowCredentials, match https only, or set DangerouslyAllowInsecureOrigins`},
	{name: "IPv4 addresses are not a domain", expr: `https://10\.0\.0\.\d+`,
		err: `matches "https://10.0.0.1": the host can end in anything; with AllowCredentials, end every host with a literal \. and your domain (such as .*\.example\.com), allow a port only as (:\d+)?, or list origins in AllowOrigins`},
	{name: "IPv4 suffix is not a domain", expr: `https://.*\.0\.0\.1`,
		err: `matches "https://1.0.0.1", a host not below any domain the expression names; with AllowCredentials, end every host with a literal \. and your domain (such as .*\.example\.com) or list origins in AllowOrigins`},
	{name: "127 prefix with a non-numeric tail", expr: `http://127\..*`,
		err: `matches "http://127.attacker.com": the host can end in anything; with AllowCredentials, end every host with a literal \. and your domain (such as .*\.example\.com), allow a port only as (:\d+)?, or list origins in AllowOrigins`},
	{name: "any IPv6 address", expr: `https://\[.*\]`,
		err: `matches "https://[2001:db8::1]", a host not below any domain the expression names; with AllowCredentials, end every host with a literal \. and your domain (such as .*\.example\.com) or list origins in AllowOrigins`},
	{name: "localhost prefix is not loopback", expr: `http://localhost.*`,
		err: "matches \"http://localhost.attacker.com\": the host can end in anything; with AllowCredentials, end it where your domain ends and allow a port only: `http://localhost(:\\d+)?`, or list origins in AllowOrigins"},
	{name: "wide class at the end is a wildcard", expr: `https://app\.example\.co[a-z]`,
		err: `matches "https://app.example.coa": the host can end in anything; with AllowCredentials, end every host with a literal \. and your domain (such as .*\.example\.com), allow a port only as (:\d+)?, or list origins in AllowOrigins`},
	{name: "class of one-letter github.io accounts", expr: `https://[a-z]\.github\.io`,
		err: `matches "https://x.github.io", and "github.io" is a public suffix where anyone can register a subdomain; with AllowCredentials, list origins in AllowOrigins (such as "https://yourapp.github.io") or check them in AllowOriginFunc; a wildcard below a name of your own (such as \.yourapp\.github\.io) helps only where the platform serves subdomains of it`},
	{name: "nested public suffix", expr: `https://.*\.s3\.amazonaws\.com`,
		err: `matches "https://attacker.s3.amazonaws.com", and "s3.amazonaws.com" is a public suffix where anyone can register a subdomain; with AllowCredentials, list origins in AllowOrigins (such as "https://yourapp.s3.amazonaws.com") or check them in AllowOriginFunc; a wildcard below a name of your own (such as \.yourapp\.s3\.amazonaws\.com) helps only where the platform serves subdomains of it`},
	{name: "two-label public suffix", expr: `https://.*\.co\.uk`,
		err: `matches "https://attacker.co.uk", and "co.uk" is a public suffix where anyone can register a subdomain; with AllowCredentials, match your own domain (such as \.yourapp\.co\.uk) or list origins in AllowOrigins`},
	{name: "wildcard glued to localhost", expr: `http://.*localhost`,
		err: `matches "http://attackerlocalhost", a host not below any domain the expression names; with AllowCredentials, end every host with a literal \. and your domain (such as .*\.example\.com) or list origins in AllowOrigins`},
	{name: "wss is not https", expr: `wss://app\.example\.com`,
		err: `matches "wss://app.example.com", which is not https; with AllowCredentials, match https only, or set DangerouslyAllowInsecureOrigins`},
	{name: "safe alternative does not excuse an unsafe one", expr: `https://.*\.example\.com|.*`,
		err: `matches "https://attacker.com": the host can end in anything; with AllowCredentials, end every host with a literal \. and your domain (such as .*\.example\.com), allow a port only as (:\d+)?, or list origins in AllowOrigins`},
	// Issue 17 §2: an optional dot between labels spells a second host
	// with the labels joined, a domain anyone can register. The fix makes
	// the dot mandatory however the expression made it optional.
	{name: "optional dot between literal labels", expr: `https://www\.?example\.com`,
		err: "matches \"https://wwwexample.com\": the \".\" between \"www\" and \"example\" is optional, and without it they join into one label, a domain anyone can register; with AllowCredentials, make the dot mandatory: `https://www\\.example\\.com`"},
	{name: "optional dot after repeated subdomains", expr: `https://([a-z0-9-]+\.)*app\.?example\.com`,
		err: "matches \"https://appexample.com\": the \".\" between \"app\" and \"example\" is optional, and without it they join into one label, a domain anyone can register; with AllowCredentials, make the dot mandatory: `https://([a-z0-9-]+\\.)*app\\.example\\.com`"},
	{name: "optional dot as an optional group", expr: `https://www(\.)?example\.com`,
		err: "matches \"https://wwwexample.com\": the \".\" between \"www\" and \"example\" is optional, and without it they join into one label, a domain anyone can register; with AllowCredentials, make the dot mandatory: `https://www\\.example\\.com`"},
	{name: "optional dot as an alternation with nothing", expr: `https://www(?:\.|)example\.com`,
		err: "matches \"https://wwwexample.com\": the \".\" between \"www\" and \"example\" is optional, and without it they join into one label, a domain anyone can register; with AllowCredentials, make the dot mandatory: `https://www\\.example\\.com`"},
	{name: "optional dot as a counted repeat", expr: `https://www\.{0,1}example\.com`,
		err: "matches \"https://wwwexample.com\": the \".\" between \"www\" and \"example\" is optional, and without it they join into one label, a domain anyone can register; with AllowCredentials, make the dot mandatory: `https://www\\.example\\.com`"},
	{name: "optional dot as a class", expr: `https://www[.]?example\.com`,
		err: "matches \"https://wwwexample.com\": the \".\" between \"www\" and \"example\" is optional, and without it they join into one label, a domain anyone can register; with AllowCredentials, make the dot mandatory: `https://www\\.example\\.com`"},
	{name: "any number of dots", expr: `https://www\.*example\.com`,
		err: "matches \"https://wwwexample.com\": the \".\" between \"www\" and \"example\" is optional, and without it they join into one label, a domain anyone can register; with AllowCredentials, make the dot mandatory: `https://www\\.example\\.com`"},
	{name: "optional dot before the top-level domain", expr: `https://app\.example\.?com`,
		err: "matches \"https://app.examplecom\": the \".\" between \"example\" and \"com\" is optional, and without it they join into one label, a domain anyone can register; with AllowCredentials, make the dot mandatory: `https://app\\.example\\.com`"},
	{name: "optional dot ignoring case", expr: `(?i)https://WWW\.?example\.com`,
		err: "matches \"https://wwwexample.com\": the \".\" between \"www\" and \"example\" is optional, and without it they join into one label, a domain anyone can register; with AllowCredentials, make the dot mandatory: `(?i)https://WWW\\.example\\.com`"},
	{name: "optional dot below a wildcard", expr: `https://.*\.app\.?example\.com`,
		err: "matches \"https://attacker.appexample.com\": the \".\" between \"app\" and \"example\" is optional, and without it they join into one label, a domain anyone can register; with AllowCredentials, make the dot mandatory: `https://.*\\.app\\.example\\.com`"},
	{name: "optional dot with no pasteable fix", expr: `https://www(\.|(?:))example\.com`,
		err: `matches "https://wwwexample.com": the "." between "www" and "example" is optional, and without it they join into one label, a domain anyone can register; with AllowCredentials, write that dot as a plain \. with nothing after it, or list origins in AllowOrigins`},
	{name: "optional dot and plain http: the fix would still be refused", expr: `https?://www\.?example\.com`,
		err: `matches "http://wwwexample.com": the "." between "www" and "example" is optional, and without it they join into one label, a domain anyone can register; with AllowCredentials, write that dot as a plain \. with nothing after it, or list origins in AllowOrigins`},

	// Issue 17 §4: where the wildcard is part of a name directly below a
	// public suffix, no \. confines it: the refusal says to list origins
	// or use AllowOriginFunc, not to write a domain that does not exist.
	{name: "wildcard inside a name below a platform suffix", expr: `https://myapp-[a-z0-9]+-myteam\.vercel\.app`,
		err: `matches "https://myapp-attacker-myteam.vercel.app": the wildcard is part of a name directly below vercel.app, a public suffix where anyone can register one; with AllowCredentials, list origins in AllowOrigins or check them against your naming rule in AllowOriginFunc`},
	{name: "wildcard glued to a name below a platform suffix", expr: `https://.*app\.vercel\.app`,
		err: `matches "https://evilapp.vercel.app": the wildcard is part of a name directly below vercel.app, a public suffix where anyone can register one; with AllowCredentials, list origins in AllowOrigins or check them against your naming rule in AllowOriginFunc`},
	{name: "wildcard before a hyphen below com", expr: `https://[a-z]+-shop\.com`,
		err: `matches "https://evil-shop.com": the wildcard is part of a name directly below com, a public suffix where anyone can register one; with AllowCredentials, list origins in AllowOrigins or check them against your naming rule in AllowOriginFunc`},
	{name: "wildcard glued to the domain after an optional dot", expr: `https://[a-z]+\.?example\.com`,
		err: "matches \"https://evilexample.com\", which is not below example.com: nothing separates the wildcard from the domain; with AllowCredentials, put \\. between them: `https://[a-z]+\\.example\\.com`, or list origins in AllowOrigins"},
	{name: "wildcard glued to the domain, the fixed expression still refused", expr: `https://.*example\.com.*`,
		err: `matches "https://evilexample.com", which is not below example.com: nothing separates the wildcard from the domain; with AllowCredentials, put \. between them (such as .*\.example\.com) or list origins in AllowOrigins`},
	{name: "too many alternatives", expr: `https://(ab|cd|ef|gh)(ab|cd|ef|gh)(ab|cd|ef|gh)(ab|cd|ef|gh)(ab|cd|ef|gh)(ab|cd|ef|gh)\.example\.com`,
		err: `too complex to prove safe, and AllowCredentials is set; list origins in AllowOrigins, or split it into simpler expressions`},
}

func TestProve(t *testing.T) {
	for _, tc := range proveCases {
		t.Run(tc.name, func(t *testing.T) {
			proof, err := Prove(tc.expr, Options{AllowInsecure: tc.insecure, Setting: "AllowCredentials"})
			if tc.err != "" {
				require.Error(t, err)
				assert.Equal(t, tc.err, err.Error())
				assertExampleMatches(t, tc.expr, err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, nonNil(tc.domains), proof.Domains, "Domains")
			assert.Equal(t, nonNil(tc.hosts), proof.Hosts, "Hosts")
		})
	}
}

func TestProveNamesTheSetting(t *testing.T) {
	_, err := Prove(`https://.*`, Options{Setting: "AllowPrivateNetwork"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "with AllowPrivateNetwork,")
}

func TestProveRefusesWhatDoesNotCompile(t *testing.T) {
	_, err := Prove(`https://(`, Options{Setting: "AllowCredentials"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "does not compile")
}

var exampleInMessage = regexp.MustCompile(`^matches (?:plain-http )?"([^"]+)"`)

// assertExampleMatches checks that the origin a refusal names is one that
// origin.Parse accepts and the anchored expression matches.
func assertExampleMatches(t *testing.T, expr, msg string) {
	t.Helper()
	m := exampleInMessage.FindStringSubmatch(msg)
	if m == nil {
		return // a refusal without an example, such as "too complex"
	}
	_, ok := origin.Parse(m[1])
	assert.True(t, ok, "example %q is not a well-formed origin", m[1])
	assert.True(t, anchored(t, expr).MatchString(m[1]), "expression does not match example %q", m[1])
}

func anchored(t testing.TB, expr string) *regexp.Regexp {
	tree, err := syntax.Parse(expr, syntax.Perl)
	require.NoError(t, err)
	return regexp.MustCompile(`^(?:` + tree.String() + `)$`)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func TestProveBoundsWork(t *testing.T) {
	for _, expr := range []string{
		strings.Repeat(`(`, 30) + strings.Repeat(`){0,16}`, 30),
		strings.Repeat(`(a|b|)`, 200),
		`https://` + strings.Repeat(`(.{0,16})`, 50) + `\.example\.com`,
		strings.Repeat(`((a{0,16}){0,16})`, 3),
	} {
		start := time.Now()
		_, _ = Prove(expr, Options{Setting: "AllowCredentials"})
		assert.Less(t, time.Since(start), time.Second, "Prove(%q)", expr)
	}
}

// adversarialExprs are shapes that once cost seconds, or could: a wide
// alternation before a literal too long for any origin (the 105 KB case
// and one under the length bound), products of alternations, nested
// counted repeats, and long literals.
func adversarialExprs() map[string]string {
	alternation := func(n int) string {
		alts := make([]string, n)
		for i := range alts {
			alts[i] = fmt.Sprintf("a%d", i)
		}
		return "(" + strings.Join(alts, "|") + ")"
	}
	return map[string]string{
		"1000-way alternation then a 100,000-byte literal":      `https://` + alternation(1000) + strings.Repeat("x", 100000),
		"500-way alternation then a 1,000-byte literal":         `https://` + alternation(500) + strings.Repeat("x", 1000),
		"500-way alternation then a 300-byte literal":           `https://` + alternation(500) + strings.Repeat("x", 300) + `\.example\.com`,
		"two 300-way alternations in a row":                     `https://` + alternation(300) + alternation(300) + `\.example\.com`,
		"literal at the length bound":                           `https://` + strings.Repeat("a", maxExprLength-len("https://")),
		"nested optional groups at the length bound":            strings.Repeat(`(a|b|)`, maxExprLength/len(`(a|b|)`)),
		"counted repeats at the length bound":                   `https://` + strings.Repeat(`(.{0,16})`, (maxExprLength-40)/len(`(.{0,16})`)) + `\.example\.com`,
		"nested counted repeats":                                strings.Repeat(`((a{0,16}){0,16})`, 3),
		"1,024 alternatives, the most expanded":                 `https://` + strings.Repeat(`(ab|cd|ef|gh)`, 5) + `\.example\.com`,
		"nine optional dots, 512 alternatives: no fix searched": `https://` + strings.Repeat(`x\.?`, 9) + `example\.com`,
		"optional dots and a glued domain, 128 alternatives":    `https://` + strings.Repeat(`x\.?`, 4) + strings.Repeat(`[a-z]\.?`, 3) + `example\.com`,
		"six optional dots, the most a fix is searched for":     `https://` + strings.Repeat(`x\.?`, 3) + strings.Repeat(`[a-z]\.?`, 3) + `example\.com`,
	}
}

func TestProveAndLintFinishFastOnAdversarialInput(t *testing.T) {
	// The work is bounded by construction (maxExprLength, the expansion
	// limits, and the fix search only for small expressions): this checks
	// that each input gets a defined outcome without a panic, and
	// BenchmarkProveAdversarial measures the cost; a wall-clock bound
	// here would only flake on a loaded machine.
	for name, expr := range adversarialExprs() {
		t.Run(name, func(t *testing.T) {
			assert.NotPanics(t, func() {
				_, proveErr := Prove(expr, Options{Setting: "AllowCredentials"})
				lintErr := Lint(expr)
				t.Logf("%d bytes: Prove %v, Lint %v", len(expr), proveErr, lintErr)
			})
		})
	}
}

// BenchmarkProveAdversarial measures Prove and Lint on the adversarial
// expressions: go test -run '^$' -bench ProveAdversarial ./internal/originregexp/
func BenchmarkProveAdversarial(b *testing.B) {
	for name, expr := range adversarialExprs() {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, _ = Prove(expr, Options{Setting: "AllowCredentials"})
				_ = Lint(expr)
			}
		})
	}
}

func TestProveRefusesOverlongExpressions(t *testing.T) {
	_, err := Prove(`https://`+strings.Repeat(`(a|b)`, maxExprLength), Options{Setting: "AllowCredentials"})
	require.Error(t, err)
	assert.Equal(t, "longer than 4096 bytes; an origin regexp this long cannot be checked: split it or list origins in AllowOrigins", err.Error())
}

var fixInMessage = regexp.MustCompile("(?:make the dot mandatory|put \\\\. between them|allow a port only): (`[^`]+`)")

// TestProveFixesDoWhatTheySay pins issue 17 §4 for every refusal above
// that names an expression to paste: the proof accepts it, it no longer
// matches the origin the refusal named, and it still matches the spelling
// the user meant, so it is neither refused again nor a match for nothing.
func TestProveFixesDoWhatTheySay(t *testing.T) {
	meant := map[string]string{
		`https://www\.?example\.com`:                "https://www.example.com",
		`https://([a-z0-9-]+\.)*app\.?example\.com`: "https://eu.app.example.com",
		`https://www(\.)?example\.com`:              "https://www.example.com",
		`https://www(?:\.|)example\.com`:            "https://www.example.com",
		`https://www\.{0,1}example\.com`:            "https://www.example.com",
		`https://www[.]?example\.com`:               "https://www.example.com",
		`https://www\.*example\.com`:                "https://www.example.com",
		`https://app\.example\.?com`:                "https://app.example.com",
		`(?i)https://WWW\.?example\.com`:            "https://www.example.com",
		`https://.*\.app\.?example\.com`:            "https://eu.app.example.com",
		`https://.*example\.com`:                    "https://app.example.com",
		`https://[a-z]+\.?example\.com`:             "https://app.example.com",
		`https://example\.com.*`:                    "https://example.com:8443",
		`https://.*\.example\.com.*`:                "https://app.example.com:8443",
		`http://localhost.*`:                        "http://localhost:3000",
	}
	fixes := 0
	for _, tc := range proveCases {
		m := fixInMessage.FindStringSubmatch(tc.err)
		if m == nil {
			continue
		}
		fixes++
		t.Run(tc.name, func(t *testing.T) {
			fix := strings.Trim(m[1], "`")
			_, err := Prove(fix, Options{AllowInsecure: tc.insecure, Setting: "AllowCredentials"})
			require.NoError(t, err, "the suggested %s is refused", fix)
			example := exampleInMessage.FindStringSubmatch(tc.err)
			require.NotNil(t, example)
			assert.False(t, anchored(t, fix).MatchString(example[1]), "%s still matches %q", fix, example[1])
			want, ok := meant[tc.expr]
			require.True(t, ok, "no origin the user meant is given for %s", tc.expr)
			assert.True(t, anchored(t, tc.expr).MatchString(want), "%s does not match %q itself", tc.expr, want)
			assert.True(t, anchored(t, fix).MatchString(want), "%s does not match %q", fix, want)
		})
	}
	assert.Len(t, meant, fixes, "every origin the user meant belongs to a case")
}
