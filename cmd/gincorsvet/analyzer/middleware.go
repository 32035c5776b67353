package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// mwKind is what a middleware passed to Use is known to do.
type mwKind int

const (
	mwUnknown     mwKind = iota
	mwGincors            // gincors.New, Default, ByPath or (*Middleware).Handler
	mwContrib            // gin-contrib/cors New or Default
	mwRS                 // rs/cors's Gin wrapper
	mwHandwritten        // a handler that sets Access-Control-Allow-Origin itself
	mwRefuser            // a handler that can answer 401, 403, 407 or 429
)

// isLibraryCORS reports whether k is a CORS library's middleware, which
// answers preflights itself.
func (k mwKind) isLibraryCORS() bool { return k == mwGincors || k == mwContrib || k == mwRS }

// isCORS reports whether k writes CORS headers.
func (k mwKind) isCORS() bool { return k.isLibraryCORS() || k == mwHandwritten }

// middleware is a classified middleware expression.
type middleware struct {
	kind mwKind
	name string // as the messages call it, such as "gincors.New(...)"
	// status is the refusal status of a refuser.
	status int64
	// newCall is the gincors.New(cfg) call the expression is, if it is
	// literally one, for fixes that rewrite it.
	newCall *ast.CallExpr
}

// refusalStatuses are the statuses a middleware refuses a credential-less
// preflight with: 401 and 403 for missing authentication, 407 for a proxy,
// 429 for a rate limit.
var refusalStatuses = map[int64]bool{401: true, 403: true, 407: true, 429: true}

// maxFollow bounds how far classify follows variables and helpers.
const maxFollow = 4

// classify says what the middleware expression e, written in the function
// body scope, is. It follows a local variable assigned once, a named
// handler and a same-package constructor returning a handler.
func (a *checker) classify(e ast.Expr, scope *ast.BlockStmt, depth int) middleware {
	if depth > maxFollow {
		return middleware{}
	}
	info := a.pass.TypesInfo
	switch e := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		fn := a.callee(e)
		switch {
		case isFunc(fn, gincorsPath, "New"):
			return middleware{kind: mwGincors, name: "gincors.New(...)", newCall: e}
		case isFunc(fn, gincorsPath, "Default", "ByPath"):
			return middleware{kind: mwGincors, name: "gincors." + fn.Name() + "(...)"}
		case isMethod(fn, gincorsPath, "Middleware", "Handler"):
			return middleware{kind: mwGincors, name: "gincors (*Middleware).Handler()"}
		case isFunc(fn, contribPath, "New", "Default"):
			return middleware{kind: mwContrib, name: "gin-contrib/cors " + fn.Name() + "(...)"}
		case isFunc(fn, rsGinPath, "New", "Default", "AllowAll"):
			return middleware{kind: mwRS, name: "rs/cors " + fn.Name() + "(...)"}
		case isFunc(fn, ginPath, "BasicAuth", "BasicAuthForRealm"):
			return middleware{kind: mwRefuser, name: "gin." + fn.Name(), status: 401}
		case isFunc(fn, ginPath, "BasicAuthForProxy"):
			return middleware{kind: mwRefuser, name: "gin." + fn.Name(), status: 407}
		}
		if decl := a.decls[fn]; decl != nil && fn.Type().(*types.Signature).Recv() == nil {
			m := a.classifyReturns(decl, depth+1)
			if m.kind != mwUnknown {
				m.name = fn.Name() + "(...)"
			}
			return m
		}
	case *ast.Ident:
		switch obj := info.Uses[e].(type) {
		case *types.Func:
			if decl := a.decls[obj]; decl != nil {
				m := a.classifyHandler(decl.Body)
				if m.kind != mwUnknown {
					m.name = obj.Name()
				}
				return m
			}
		case *types.Var:
			if rhs := singleAssignment(info, scope, obj); rhs != nil {
				m := a.classify(rhs, scope, depth+1)
				m.newCall = nil // the call is not where the middleware is used
				return m
			}
		}
	case *ast.FuncLit:
		m := a.classifyHandler(e.Body)
		if m.kind != mwUnknown {
			m.name = "the function literal"
		}
		return m
	}
	return middleware{}
}

// classifyReturns classifies what a constructor returns: known only if
// every return statement returns the same kind.
func (a *checker) classifyReturns(decl *ast.FuncDecl, depth int) middleware {
	var result middleware
	seen := false
	ok := true
	inspectShallow(decl.Body, func(n ast.Node) {
		r, isReturn := n.(*ast.ReturnStmt)
		if !isReturn || !ok {
			return
		}
		if len(r.Results) != 1 {
			ok = false
			return
		}
		m := a.classify(r.Results[0], decl.Body, depth)
		if seen && m.kind != result.kind {
			ok = false
		}
		result, seen = m, true
	})
	if !ok || !seen {
		return middleware{}
	}
	result.newCall = nil
	return result
}

// classifyHandler classifies a handler body: it writes CORS headers
// itself, or it can refuse (aborts and uses a refusal status). A refuser
// that mentions "OPTIONS" or looks at the request method is not judged:
// it may let preflights through.
func (a *checker) classifyHandler(body *ast.BlockStmt) middleware {
	var (
		aborts, mentionsOptions, setsCORS bool
		status                            int64
	)
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			// A decision on the method (c.Request.Method) may spare
			// preflights, as a CSRF check on POST does.
			if n.Sel.Name == "Method" && isNamed(a.pass.TypesInfo.TypeOf(n.X), "net/http", "Request") {
				mentionsOptions = true
			}
		case ast.Expr:
			if s, ok := a.constString(n); ok && strings.EqualFold(s, "OPTIONS") {
				mentionsOptions = true
			}
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		fn := a.callee(call)
		if isMethod(fn, ginPath, "Context", "Abort", "AbortWithStatus", "AbortWithStatusJSON", "AbortWithStatusPureJSON", "AbortWithError") {
			aborts = true
		}
		if isMethod(fn, ginPath, "Context", "Header") || isMethod(fn, "net/http", "Header", "Set", "Add") {
			if len(call.Args) > 0 {
				if s, ok := a.constString(call.Args[0]); ok && strings.EqualFold(s, "Access-Control-Allow-Origin") {
					setsCORS = true
				}
			}
		}
		if fn != nil && isMethod(fn, ginPath, "Context", fn.Name()) && len(call.Args) > 0 {
			if code, ok := a.constInt(call.Args[0]); ok && refusalStatuses[code] {
				status = code
			}
		}
		return true
	})
	switch {
	case setsCORS:
		return middleware{kind: mwHandwritten}
	case mentionsOptions:
		return middleware{}
	case aborts && status != 0:
		return middleware{kind: mwRefuser, status: status}
	}
	return middleware{}
}

// singleAssignment returns the expression the local variable obj is
// given where it is declared in scope, if that is its only assignment.
func singleAssignment(info *types.Info, scope *ast.BlockStmt, obj *types.Var) ast.Expr {
	var rhs ast.Expr
	assignments := 0
	ast.Inspect(scope, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				id, ok := ast.Unparen(lhs).(*ast.Ident)
				if !ok || (info.Defs[id] != obj && info.Uses[id] != obj) {
					continue
				}
				assignments++
				if len(n.Lhs) == len(n.Rhs) {
					rhs = n.Rhs[i]
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if info.Defs[id] == obj {
					assignments++
					if len(n.Names) == len(n.Values) {
						rhs = n.Values[i]
					}
				}
			}
		case *ast.UnaryExpr:
			if id, ok := n.X.(*ast.Ident); ok && n.Op == token.AND && info.Uses[id] == obj {
				assignments += 2 // its address escapes: anything may assign it
			}
		}
		return true
	})
	if assignments != 1 {
		return nil
	}
	return rhs
}

// inspectShallow calls f for every node of body outside nested function
// literals.
func inspectShallow(body ast.Node, f func(ast.Node)) {
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		f(n)
		return true
	})
}
