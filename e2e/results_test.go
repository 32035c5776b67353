package e2e

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
)

// updateResultsEnv, set to 1, makes a passing run rewrite the results
// table in e2e/RESULTS.md (README.md links to it).
const updateResultsEnv = "GINCORS_UPDATE_RESULTS"

// families titles the scenario families, by top-level test, in the
// table's order.
var families = []struct{ test, title string }{
	{"TestSimpleGET", "Simple requests"},
	{"TestMethods", "Preflighted methods"},
	{"TestRequestHeaders", "Request headers (incl. Authorization and *)"},
	{"TestExposeHeaders", "Exposed response headers"},
	{"TestCredentials", "Credentials and cookies"},
	{"TestAnyOrigin", "Any origin (*)"},
	{"TestWildcardSubdomains", "Wildcard subdomains"},
	{"TestOriginMatchers", "Port wildcards, regexps, matchers"},
	{"TestNullOrigin", "null origins (sandboxed and data: iframes)"},
	{"TestPreflightCache", "Preflight cache (Max-Age)"},
	{"TestVaryOrigin", "Vary: Origin and the HTTP cache"},
	{"TestRedirects", "Redirects (Gin's trailing-slash redirect)"},
	{"TestConsoleMessages", "Console messages"},
	{"TestPerPathPolicies", "Per-path policies (ByPath)"},
	{"TestDebugMode", "Debug mode"},
	{"TestReconfigure", "Live reconfiguration"},
	{"TestEngineProbes", "Engine behaviour probes"},
	{"TestDoctorModelAgrees", "gincors doctor's engine model (zoo)"},
}

// outcome counts one family's browser tests in one engine.
type outcome struct {
	passed, failed, skipped int
	differences             map[string]bool // reasons
}

var results struct {
	mu sync.Mutex
	m  map[string]map[string]*outcome // by top-level test, then engine id
}

func outcomeOf(t *testing.T, e *engine) *outcome {
	family, _, _ := strings.Cut(t.Name(), "/")
	if results.m == nil {
		results.m = map[string]map[string]*outcome{}
	}
	if results.m[family] == nil {
		results.m[family] = map[string]*outcome{}
	}
	o := results.m[family][e.id]
	if o == nil {
		o = &outcome{differences: map[string]bool{}}
		results.m[family][e.id] = o
	}
	return o
}

// recordOutcome counts t, a test that used a page of e.
func recordOutcome(t *testing.T, e *engine) {
	results.mu.Lock()
	defer results.mu.Unlock()
	o := outcomeOf(t, e)
	switch {
	case t.Skipped():
		o.skipped++
	case t.Failed():
		o.failed++
	default:
		o.passed++
	}
}

// noteDifference records that t expects e to differ, and why.
func noteDifference(t *testing.T, e *engine, reason string) {
	results.mu.Lock()
	defer results.mu.Unlock()
	outcomeOf(t, e).differences[reason] = true
}

// resultsTable renders the table: families against engines, each cell the
// browser tests that passed, with a footnote per engine difference.
func resultsTable() string {
	results.mu.Lock()
	defer results.mu.Unlock()
	var notes []string
	note := func(reason string) int {
		if i := slices.Index(notes, reason); i >= 0 {
			return i + 1
		}
		notes = append(notes, reason)
		return len(notes)
	}
	var b strings.Builder
	b.WriteString("| Scenario family |")
	for _, e := range engines {
		fmt.Fprintf(&b, " %s |", e.title)
	}
	b.WriteString("\n|---|")
	for range engines {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, f := range families {
		row := results.m[f.test]
		if row == nil {
			continue
		}
		fmt.Fprintf(&b, "| %s |", f.title)
		for _, e := range engines {
			o := row[e.id]
			switch {
			case o == nil || o.passed+o.failed+o.skipped == 0:
				b.WriteString(" – |")
			case o.skipped > 0 && o.passed == 0:
				b.WriteString(" not run |")
			default:
				mark := "✅"
				if o.failed > 0 {
					mark = "❌"
				}
				cell := fmt.Sprintf("%s %d/%d", mark, o.passed, o.passed+o.failed+o.skipped)
				var refs []string
				reasons := make([]string, 0, len(o.differences))
				for r := range o.differences {
					reasons = append(reasons, r)
				}
				sort.Strings(reasons)
				for _, r := range reasons {
					refs = append(refs, fmt.Sprint(note(r)))
				}
				if len(refs) > 0 {
					cell += " (differs: " + strings.Join(refs, ", ") + ")"
				}
				fmt.Fprintf(&b, " %s |", cell)
			}
		}
		b.WriteString("\n")
	}
	b.WriteString("\nBrowsers: ")
	var versions []string
	for _, e := range engines {
		v := "not installed"
		if e.browser != nil {
			v = e.browser.Version()
		}
		if e.id == "firefox-strict" {
			v = "the same Firefox with `" + strictAuthorizationPref + "=false`"
		}
		versions = append(versions, e.title+": "+v)
	}
	b.WriteString(strings.Join(versions, "; ") + ".\n")
	b.WriteString("Each cell counts the browser tests of the family that passed in that engine; a page's script and the server's record are both checked, " +
		"and the console where the engine exposes it, in its own wording (Chromium's and Firefox's phrases are in e2e/console_test.go).\n")
	if len(notes) > 0 {
		b.WriteString("\nWhere an engine differs, the scenario carries its own expectation for it:\n\n")
		for i, n := range notes {
			fmt.Fprintf(&b, "%d. %s.\n", i+1, n)
		}
	}
	return b.String()
}

// writeResults rewrites RESULTS.md.
func writeResults() error {
	// A partial run would publish a partial table.
	if run := flag.Lookup("test.run").Value.String(); run != "" {
		return fmt.Errorf("%s=1 needs a full run, not -run %s", updateResultsEnv, run)
	}
	for _, e := range engines {
		if e.browser == nil {
			return fmt.Errorf("%s=1 needs every engine, and %s did not run: %v", updateResultsEnv, e.title, e.setupErr)
		}
	}
	table := resultsTable()
	generated := "Generated by `GINCORS_UPDATE_RESULTS=1 go test ./e2e/`; do not edit by hand.\n\n"
	return os.WriteFile("RESULTS.md", []byte("# Browser results\n\n"+generated+table), 0o644)
}
