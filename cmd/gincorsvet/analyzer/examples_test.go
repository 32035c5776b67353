package analyzer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/gincors/gincors/cmd/gincorsvet/analyzer"
)

// TestExamplesAreSilent runs the analyzer over the repository's examples,
// with the real Gin and gincors: correct programs get no diagnostic.
func TestExamplesAreSilent(t *testing.T) {
	if testing.Short() {
		t.Skip("loads and type-checks Gin from source")
	}
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Dir: "../../..", Tests: true}
	pkgs, err := packages.Load(cfg, "./examples/...")
	require.NoError(t, err)
	require.NotEmpty(t, pkgs)
	for _, p := range pkgs {
		require.Empty(t, p.Errors, "package %s", p.PkgPath)
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{analyzer.Analyzer}, pkgs, nil)
	require.NoError(t, err)
	analyzed := 0
	for act := range graph.All() {
		if act.Analyzer != analyzer.Analyzer || !act.IsRoot {
			continue
		}
		require.NoError(t, act.Err, "package %s", act.Package.PkgPath)
		analyzed++
		for _, d := range act.Diagnostics {
			assert.Fail(t, "unexpected diagnostic", "%s: %s", act.Package.Fset.Position(d.Pos), d.Message)
		}
	}
	assert.GreaterOrEqual(t, analyzed, 9, "every example package was analyzed")
}
