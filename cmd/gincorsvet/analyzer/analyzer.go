// Package analyzer is gincorsvet's analysis pass: it finds CORS wiring
// mistakes in Gin programs (a CORS middleware on a router group, after the
// routes, behind a middleware that refuses requests, or twice) and unsafe
// gincors configurations (a Config gincors would refuse, an origin function
// that lets in look-alike origins).
//
// Every diagnostic's message starts with its category (group-use,
// use-after-routes, before-cors, stacked-cors, config, origin-func) and a
// colon, and Diagnostic.Category holds the same name. The pass reports only
// what it can prove from the source: a value it cannot follow is not
// judged.
package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// Analyzer reports CORS wiring mistakes and unsafe gincors configurations.
var Analyzer = &analysis.Analyzer{
	Name: "gincorsvet",
	Doc: `report CORS wiring mistakes and unsafe CORS configurations in Gin programs

Categories:
  group-use         a CORS middleware on a *gin.RouterGroup, which never sees the group's preflights
  use-after-routes  Use of a CORS middleware after routes or groups were made on that router
  before-cors       a middleware that refuses with 401, 403, 407 or 429 installed before the CORS middleware
  stacked-cors      two CORS middlewares (gincors, gin-contrib/cors, rs/cors, hand-written) on one router
  config            a gincors.Config of constants that gincors would refuse or warn about,
                    or "*" with credentials on one branch of a Config built in steps
  origin-func       an AllowOriginFunc that lets in origins its author did not mean`,
	URL:      "https://github.com/gincors/gincors/tree/main/cmd/gincorsvet",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// Import paths the checks recognise.
const (
	ginPath     = "github.com/gin-gonic/gin"
	gincorsPath = "github.com/gincors/gincors"
	contribPath = "github.com/gin-contrib/cors"
	rsGinPath   = "github.com/rs/cors/wrapper/gin"
)

// Diagnostic categories, each the first word of its messages.
const (
	catGroupUse       = "group-use"
	catUseAfterRoutes = "use-after-routes"
	catBeforeCORS     = "before-cors"
	catStackedCORS    = "stacked-cors"
	catConfig         = "config"
	catOriginFunc     = "origin-func"
)

func run(pass *analysis.Pass) (any, error) {
	if !importsAny(pass.Pkg, ginPath, gincorsPath) {
		return nil, nil // nothing here can be a Gin router or a gincors Config
	}
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	a := newAnalysis(pass)
	// Each function body is one scope for the wiring checks; function
	// literals are scopes of their own.
	ins.Preorder([]ast.Node{(*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)}, func(n ast.Node) {
		var body *ast.BlockStmt
		switch f := n.(type) {
		case *ast.FuncDecl:
			body = f.Body
		case *ast.FuncLit:
			body = f.Body
		}
		if body != nil {
			a.checkWiring(body)
		}
	})
	a.checkConfigs(ins)
	a.checkOriginFuncs(ins)
	return nil, nil
}

// importsAny reports whether pkg is one of paths or imports one directly.
func importsAny(pkg *types.Package, paths ...string) bool {
	for _, p := range paths {
		if pkg.Path() == p {
			return true
		}
		for _, imp := range pkg.Imports() {
			if imp.Path() == p {
				return true
			}
		}
	}
	return false
}

// checker holds what the checks share for one package.
type checker struct {
	pass  *analysis.Pass
	decls map[*types.Func]*ast.FuncDecl // the package's own functions, to follow calls into
	// summaries memoises what a helper does to a router it returns or
	// receives; an entry under construction is nil (recursion says nothing).
	summaries map[summaryKey]*routerState
	// routesOptions caches packageRoutesOptions.
	routesOptions *bool
	// starsReported holds the "*" elements the config check's branch part
	// reported, so a helper called twice is reported once.
	starsReported map[token.Pos]bool
}

func newAnalysis(pass *analysis.Pass) *checker {
	a := &checker{pass: pass, decls: map[*types.Func]*ast.FuncDecl{}, summaries: map[summaryKey]*routerState{}}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					a.decls[fn] = fd
				}
			}
		}
	}
	return a
}

// callee returns the function or method a call statically calls, or nil.
func (a *checker) callee(call *ast.CallExpr) *types.Func {
	fn, _ := typeutil.Callee(a.pass.TypesInfo, call).(*types.Func)
	return fn
}

// isFunc reports whether fn is the package-level function pkg.name.
func isFunc(fn *types.Func, pkg string, names ...string) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != pkg {
		return false
	}
	if sig, ok := fn.Type().(*types.Signature); !ok || sig.Recv() != nil {
		return false
	}
	for _, n := range names {
		if fn.Name() == n {
			return true
		}
	}
	return false
}

// isMethod reports whether fn is a method named name of the type
// pkg.typeName (or a pointer to it), including a promoted one.
func isMethod(fn *types.Func, pkg, typeName string, names ...string) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != pkg {
		return false
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil || !isNamed(sig.Recv().Type(), pkg, typeName) {
		return false
	}
	for _, n := range names {
		if fn.Name() == n {
			return true
		}
	}
	return false
}

// isNamed reports whether t is pkg.name or *pkg.name.
func isNamed(t types.Type, pkg, name string) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkg && n.Obj().Name() == name
}

// constInt returns the integer constant value of e.
func (a *checker) constInt(e ast.Expr) (int64, bool) {
	tv, ok := a.pass.TypesInfo.Types[e]
	if !ok || tv.Value == nil {
		return 0, false
	}
	return constantInt64(tv.Value)
}

// constString returns the string constant value of e.
func (a *checker) constString(e ast.Expr) (string, bool) {
	tv, ok := a.pass.TypesInfo.Types[e]
	if !ok || tv.Value == nil {
		return "", false
	}
	return constantString(tv.Value)
}

// enclosingFunc returns the innermost function (declaration or literal)
// of file around pos, or nil.
func enclosingFunc(file *ast.File, pos token.Pos) ast.Node {
	var found ast.Node
	ast.Inspect(file, func(n ast.Node) bool {
		if n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		switch n.(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			found = n
		}
		return true
	})
	return found
}

// fileOf returns the file of pass that contains pos.
func (a *checker) fileOf(pos token.Pos) *ast.File {
	for _, f := range a.pass.Files {
		if f.FileStart <= pos && pos < f.FileEnd {
			return f
		}
	}
	return nil
}

// inTestFile reports whether pos is in a _test.go file. Tests build
// invalid and permissive configurations on purpose (to check the errors,
// or to let any test origin in), so the config and origin-func checks
// skip them; the wiring checks do not.
func (a *checker) inTestFile(pos token.Pos) bool {
	return strings.HasSuffix(a.pass.Fset.File(pos).Name(), "_test.go")
}

// line returns "line N" for pos.
func (a *checker) line(pos token.Pos) int {
	return a.pass.Fset.Position(pos).Line
}
