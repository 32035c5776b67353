package analyzer_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/gincors/gincors/cmd/gincorsvet/analyzer"
)

// checkPackages are the analysistest programs in testdata/src, one or two
// per check, each with correct and incorrect code: a `// want` comment is a
// diagnostic the line must get, and every other line must stay silent.
var checkPackages = []string{
	"groupuse", "groupparam", // group-use
	"afterroutes", // use-after-routes
	"beforecors",  // before-cors
	"stacked",     // stacked-cors
	"config",      // config (and its _test.go file, which is skipped)
	"branches",    // config: "*" with credentials on one branch
	"originfunc",  // origin-func
}

// TestAnalyzer runs the analyzer over every check's programs, loaded
// together so that the stubs and the standard library are type-checked
// once.
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), analyzer.Analyzer, checkPackages...)
}

// TestSuggestedFixes applies every fix in testdata/src/fixes and compares
// the result with fixes.go.golden.
func TestSuggestedFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), analyzer.Analyzer, "fixes")
}
