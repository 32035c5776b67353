package analyzer_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/gincors/gincors/cmd/gincorsvet/analyzer"
)

// TestAnalyzer runs each check over its test package in testdata/src: the
// `// want` comments are the diagnostics it must report, and every other
// line must stay silent.
func TestAnalyzer(t *testing.T) {
	for _, pkg := range []string{"groupuse", "afterroutes", "beforecors", "stacked", "config", "originfunc"} {
		t.Run(pkg, func(t *testing.T) {
			analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer, pkg)
		})
	}
}

// TestSuggestedFixes applies every fix in testdata/src/fixes and compares
// the result with fixes.go.golden.
func TestSuggestedFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), analyzer.Analyzer, "fixes")
}
