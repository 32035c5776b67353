package analyzer_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gincors/gincors"
)

// TestStubConfigMatchesLibrary keeps the test stub of gincors.Config in
// step with the real one: the analysistest programs must be able to write
// every field the library has.
func TestStubConfigMatchesLibrary(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("testdata", "src", "github.com", "gincors", "gincors", "gincors.go"), nil, 0)
	require.NoError(t, err)
	var stub []string
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok || ts.Name.Name != "Config" {
			return true
		}
		for _, field := range ts.Type.(*ast.StructType).Fields.List {
			for _, name := range field.Names {
				stub = append(stub, name.Name)
			}
		}
		return false
	})
	var real []string
	typ := reflect.TypeFor[gincors.Config]()
	for i := range typ.NumField() {
		real = append(real, typ.Field(i).Name)
	}
	assert.Equal(t, real, stub)
}
