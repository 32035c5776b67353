package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/gincors/gincors"
)

// This file is the config check's branch part: "*" with credentials on one
// path of a Config that is not all constants where it reaches gincors.
// The common shape is a development branch:
//
//	cfg := gincors.Config{AllowCredentials: true, AllowOrigins: []string{"https://app.example.com"}}
//	if gin.Mode() == gin.DebugMode {
//		cfg.AllowOrigins = []string{"*"}
//	}
//	router.Use(gincors.New(cfg))
//
// The rest of the check cannot rebuild such a Config (it depends on the
// branch taken), so it says nothing. Here the statements between the
// declaration and the use are followed path by path (an if or switch is
// every one of its branches, as if any could run, except that an if
// repeating the condition a "*" was set under goes the same way), tracking
// only AllowCredentials and whether AllowOrigins holds a constant "*". A
// "*" is reported when some path carries it to the use and every path that
// carries it there has AllowCredentials set to the constant true: a branch
// that also turns credentials off, or a later branch that may, keeps it
// silent. Credentials are required on every such path, not just one,
// because two branches may test one condition in different words. The
// same walk runs in a same-package helper that returns the Config.
// Anything the walk does not understand (the variable's address taken, a
// loop or closure touching it, a break or goto) ends it without a verdict.

// maxPaths bounds the paths followed through one function; beyond it the
// walk gives up.
const maxPaths = 64

// starRefusal is the library's own refusal of "*" with credentials, so the
// message and its paste-able fix are the ones gincors.New would give.
var starRefusal = func() problem {
	ps := problemsOf(gincors.Config{AllowOrigins: []string{"*"}, AllowCredentials: true}.Validate())
	if len(ps) == 0 {
		return problem{} // the library accepts it: nothing to report
	}
	return ps[0]
}()

// sinkKind is how a Config reaches gincors, and what happens when it is
// refused there.
type sinkKind struct {
	refusal string // "gincors.New panics"
}

var (
	sinkNew           = sinkKind{refusal: "gincors.New panics"}
	sinkNewMiddleware = sinkKind{refusal: "gincors.NewMiddleware returns this as an error"}
	sinkReconfigure   = sinkKind{refusal: "Reconfigure returns this as an error and keeps the old policy"}
	sinkByPath        = sinkKind{refusal: "gincors.ByPath panics"}
)

// credState is what a path knows of AllowCredentials.
type credState int

const (
	credFalse credState = iota
	credTrue
	credUnknown
)

// pathState is one path's knowledge of the Config.
type pathState struct {
	cred  credState
	star  token.Pos // the constant "*" in AllowOrigins, or NoPos
	field string    // the field naming it: "AllowOrigins[1]", or "AllowOrigins" when appended
	// guard is the condition the "*" was set under (its source text) and
	// guardHolds whether it held; "" when set outside any branch.
	guard      string
	guardHolds bool
}

// branchWalk follows one local Config variable through a function.
type branchWalk struct {
	a      *checker
	obj    *types.Var
	isSink func(ast.Stmt) bool // the statement that hands the Config to gincors
	hits   [][]pathState       // the paths reaching each sink
	guards []string            // the conditions around the statement followed, "!" when negated
	failed bool
}

// checkBranches judges arg, a Config handed to gincors, when the rest of the
// config check cannot rebuild it: a local variable changed on branches, or
// the result of a same-package function that builds it.
func (a *checker) checkBranches(arg ast.Expr, sink sinkKind) {
	if starRefusal.message == "" || a.buildConfig(arg) != nil {
		return // the library allows it, or the whole Config is judged already
	}
	switch e := ast.Unparen(arg).(type) {
	case *ast.Ident:
		obj, ok := a.pass.TypesInfo.Uses[e].(*types.Var)
		if !ok {
			return
		}
		if fd := a.enclosingDecl(e.Pos()); fd != nil && a.usesOf(fd.Body, obj) == 1 {
			// cfg := corsConfig(), then handed over untouched.
			if rhs := singleAssignment(a.pass.TypesInfo, fd.Body, obj); rhs != nil {
				if call, ok := ast.Unparen(rhs).(*ast.CallExpr); ok && a.helperOf(call) != nil {
					a.checkHelper(a.helperOf(call), sink)
					return
				}
			}
		}
		a.checkVar(obj, func(s ast.Stmt) bool { return s.Pos() <= e.Pos() && e.End() <= s.End() }, e, sink)
	case *ast.CallExpr:
		if fd := a.helperOf(e); fd != nil {
			a.checkHelper(fd, sink)
		}
	case *ast.CompositeLit:
		// Other fields are not constants, but these two are enough.
		if st, ok := a.literalState(e); ok && st.star != token.NoPos && st.cred == credTrue {
			a.reportStar(st, sink, whenStarts)
		}
	}
}

// usesOf counts the mentions of obj in body.
func (a *checker) usesOf(body ast.Node, obj *types.Var) int {
	n := 0
	ast.Inspect(body, func(m ast.Node) bool {
		if id, ok := m.(*ast.Ident); ok && a.pass.TypesInfo.Uses[id] == obj {
			n++
		}
		return true
	})
	return n
}

// helperOf returns the declaration of the same-package function call calls
// when it returns a gincors.Config, or nil.
func (a *checker) helperOf(call *ast.CallExpr) *ast.FuncDecl {
	fn := a.callee(call)
	fd := a.decls[fn]
	if fd == nil {
		return nil
	}
	res := fn.Type().(*types.Signature).Results()
	if res.Len() != 1 || !isNamed(res.At(0).Type(), gincorsPath, "Config") {
		return nil
	}
	return fd
}

// enclosingDecl returns the function declaration around pos.
func (a *checker) enclosingDecl(pos token.Pos) *ast.FuncDecl {
	for _, fd := range a.decls {
		if fd.Pos() <= pos && pos < fd.End() {
			return fd
		}
	}
	return nil
}

// checkHelper judges every Config the helper fd returns: a literal where it
// is returned, or a local variable followed to its returns.
func (a *checker) checkHelper(fd *ast.FuncDecl, sink sinkKind) {
	if a.inTestFile(fd.Pos()) {
		return
	}
	var vars []*types.Var
	returned := map[*types.Var]*ast.Ident{}
	inspectShallow(fd.Body, func(n ast.Node) {
		ret, ok := n.(*ast.ReturnStmt)
		if !ok || len(ret.Results) != 1 {
			return
		}
		switch e := ast.Unparen(ret.Results[0]).(type) {
		case *ast.CompositeLit:
			st, ok := a.literalState(e)
			if ok && st.star != token.NoPos && st.cred == credTrue {
				a.reportStar(st, sink, whenOf(a.inBranch(fd.Body, ret.Pos())))
			}
		case *ast.Ident:
			if obj, ok := a.pass.TypesInfo.Uses[e].(*types.Var); ok && returned[obj] == nil {
				vars = append(vars, obj)
				returned[obj] = e
			}
		}
	})
	for _, obj := range vars {
		a.checkVar(obj, func(s ast.Stmt) bool {
			ret, ok := s.(*ast.ReturnStmt)
			return ok && len(ret.Results) == 1 && a.pass.TypesInfo.Uses[identOf(ret.Results[0])] == obj
		}, returned[obj], sink)
	}
}

// checkVar follows obj from its declaration to the statements isSink
// picks, and reports each "*" that reaches one with credentials on.
func (a *checker) checkVar(obj *types.Var, isSink func(ast.Stmt) bool, use ast.Node, sink sinkKind) {
	if !isNamed(obj.Type(), gincorsPath, "Config") {
		return
	}
	fd := a.enclosingDecl(use.Pos())
	if fd == nil || obj.Pos() < fd.Body.Pos() || obj.Pos() >= fd.Body.End() {
		return // a parameter, or not a local variable of a declared function
	}
	block, rest, init, ok := a.declaration(fd.Body, obj)
	file := a.fileOf(use.Pos())
	if !ok || enclosingFunc(file, use.Pos()) != enclosingFunc(file, block.Pos()) {
		return
	}
	w := &branchWalk{a: a, obj: obj, isSink: isSink}
	w.exec(rest, []pathState{init})
	var reaching []pathState // every path to every sink
	for _, paths := range w.hits {
		reaching = append(reaching, paths...)
	}
	// A "*" is reported when every path that carries it to a sink has
	// credentials on; "this branch" unless every path to the sinks does.
	stars := map[token.Pos]pathState{}
	var order []token.Pos
	for _, p := range reaching {
		if p.star == token.NoPos {
			continue
		}
		if _, seen := stars[p.star]; !seen {
			order = append(order, p.star)
			stars[p.star] = p
		}
		if p.cred != credTrue {
			stars[p.star] = pathState{} // one path without credentials: silent
		}
	}
	for _, pos := range order {
		st := stars[pos]
		if st.star == token.NoPos {
			continue
		}
		everyPath := true
		for _, p := range reaching {
			everyPath = everyPath && p.star == pos && p.cred == credTrue
		}
		switch {
		case a.inBranch(fd.Body, pos):
			a.reportStar(st, sink, whenBranch)
		case !everyPath:
			a.reportStar(st, sink, whenKept) // set before a branch that may replace it
		default:
			a.reportStar(st, sink, whenStarts)
		}
	}
}

// declaration finds obj's declaring statement in body and returns its
// block's statements after it, with the state the declaration gives.
func (a *checker) declaration(body *ast.BlockStmt, obj *types.Var) (block *ast.BlockStmt, rest []ast.Stmt, init pathState, ok bool) {
	info := a.pass.TypesInfo
	var found bool
	ast.Inspect(body, func(n ast.Node) bool {
		blk, isBlock := n.(*ast.BlockStmt)
		if !isBlock || found {
			return !found
		}
		for i, s := range blk.List {
			var value ast.Expr
			hasValue := false
			switch s := s.(type) {
			case *ast.AssignStmt:
				if s.Tok != token.DEFINE || len(s.Lhs) != 1 || len(s.Rhs) != 1 || info.Defs[identOf(s.Lhs[0])] != obj {
					continue
				}
				value, hasValue = s.Rhs[0], true
			case *ast.DeclStmt:
				gd, isGen := s.Decl.(*ast.GenDecl)
				if !isGen || len(gd.Specs) != 1 {
					continue
				}
				vs, isValue := gd.Specs[0].(*ast.ValueSpec)
				if !isValue || len(vs.Names) != 1 || info.Defs[vs.Names[0]] != obj {
					continue
				}
				if len(vs.Values) == 1 {
					value, hasValue = vs.Values[0], true
				}
			default:
				continue
			}
			found = true
			block, rest = blk, blk.List[i+1:]
			switch {
			case !hasValue:
				init, ok = pathState{cred: credFalse}, true // the zero Config
			default:
				init, ok = a.initialState(value)
			}
			return false
		}
		return true
	})
	return block, rest, init, ok && found
}

// initialState is what a declaration's value gives: a Config literal or
// DefaultConfig().
func (a *checker) initialState(e ast.Expr) (pathState, bool) {
	switch e := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		return a.literalState(e)
	case *ast.CallExpr:
		if isFunc(a.callee(e), gincorsPath, "DefaultConfig") && len(e.Args) == 0 {
			d := gincors.DefaultConfig()
			if d.AllowCredentials || len(d.AllowOrigins) > 0 {
				return pathState{}, false // not the defaults this walk knows
			}
			return pathState{cred: credFalse}, true
		}
	}
	return pathState{}, false
}

// literalState reads AllowCredentials and AllowOrigins from a keyed Config
// literal.
func (a *checker) literalState(lit *ast.CompositeLit) (pathState, bool) {
	if !isNamed(a.pass.TypesInfo.TypeOf(lit), gincorsPath, "Config") {
		return pathState{}, false
	}
	st := pathState{cred: credFalse}
	for _, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			return pathState{}, false
		}
		id, _ := kv.Key.(*ast.Ident)
		switch {
		case id == nil:
			return pathState{}, false
		case id.Name == "AllowCredentials":
			st.cred = a.credOf(kv.Value)
		case id.Name == "AllowOrigins":
			st.star, st.field = a.starIn(kv.Value)
		}
	}
	return st, true
}

func (a *checker) credOf(e ast.Expr) credState {
	switch a.credentials(e) {
	case credentialsOn:
		return credTrue
	case credentialsOff:
		return credFalse
	}
	return credUnknown
}

// starIn returns the constant "*" element of a []string literal, and the
// field that names it.
func (a *checker) starIn(e ast.Expr) (token.Pos, string) {
	lit, ok := ast.Unparen(e).(*ast.CompositeLit)
	if !ok {
		return token.NoPos, ""
	}
	for i, el := range lit.Elts {
		if s, ok := a.constString(el); ok && s == "*" {
			return el.Pos(), fmt.Sprintf("AllowOrigins[%d]", i)
		}
	}
	return token.NoPos, ""
}

// inBranch reports whether pos is inside an if, switch or select of body.
func (a *checker) inBranch(body *ast.BlockStmt, pos token.Pos) bool {
	in := false
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		switch n.(type) {
		case *ast.IfStmt, *ast.CaseClause, *ast.CommClause:
			in = true
		}
		return true
	})
	return in
}

// When a refusal happens, as the message says it.
const (
	whenStarts = "when the program starts"
	whenBranch = "when the program runs this branch"
	whenKept   = "when the program takes a path that keeps this"
)

func whenOf(inBranch bool) string {
	if inBranch {
		return whenBranch
	}
	return whenStarts
}

func (a *checker) reportStar(st pathState, sink sinkKind, when string) {
	if a.starsReported == nil {
		a.starsReported = map[token.Pos]bool{}
	}
	if a.starsReported[st.star] {
		return // a helper reached from several calls
	}
	a.starsReported[st.star] = true
	p := starRefusal
	p.field = st.field
	a.reportConfig(st.star, sink.refusal+" "+when, p)
}

// exec follows stmts from the paths in, and returns the paths that run off
// their end.
func (w *branchWalk) exec(stmts []ast.Stmt, in []pathState) []pathState {
	paths := in
	for _, s := range stmts {
		if w.failed || len(paths) == 0 {
			return nil
		}
		paths = w.stmt(s, paths)
		if len(paths) > maxPaths {
			w.failed = true
		}
	}
	return paths
}

// mentions reports whether n refers to the variable anywhere.
func (w *branchWalk) mentions(n ast.Node) bool {
	if n == nil {
		return false
	}
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if id, ok := m.(*ast.Ident); ok && w.a.pass.TypesInfo.Uses[id] == w.obj {
			found = true
		}
		return !found
	})
	return found
}

func (w *branchWalk) stmt(s ast.Stmt, paths []pathState) []pathState {
	switch s.(type) {
	case *ast.BlockStmt, *ast.IfStmt, *ast.SwitchStmt:
		// followed below, down to the sink inside
	default:
		if w.isSink(s) {
			w.hits = append(w.hits, paths)
			switch s.(type) {
			case *ast.ReturnStmt:
				return nil
			case *ast.ExprStmt, *ast.AssignStmt, *ast.DeclStmt, *ast.GoStmt, *ast.DeferStmt:
				return paths
			}
			w.failed = true // inside a loop or select: not followed
			return nil
		}
	}
	switch s := s.(type) {
	case *ast.AssignStmt:
		if !w.mentions(s) {
			return paths
		}
		return w.assign(s, paths)
	case *ast.ExprStmt:
		if w.mentions(s) {
			w.failed = true
			return nil
		}
		if call, ok := s.X.(*ast.CallExpr); ok && w.a.noReturn(call) {
			return nil
		}
		return paths
	case *ast.ReturnStmt:
		if w.mentions(s) {
			w.failed = true
		}
		return nil
	case *ast.BlockStmt:
		return w.exec(s.List, paths)
	case *ast.IfStmt:
		paths = w.init(s.Init, paths)
		if w.failed || w.mentions(s.Cond) {
			w.failed = true
			return nil
		}
		cond := types.ExprString(s.Cond)
		if s.Init != nil {
			cond = "" // the init may change what the condition reads
		}
		out := w.branch(cond, true, func(in []pathState) []pathState { return w.exec(s.Body.List, in) }, paths)
		out = append(out, w.branch(cond, false, func(in []pathState) []pathState {
			if s.Else == nil {
				return in
			}
			return w.stmt(s.Else, in)
		}, paths)...)
		return dedupe(out)
	case *ast.SwitchStmt:
		paths = w.init(s.Init, paths)
		if w.failed || w.mentions(s.Tag) {
			w.failed = true
			return nil
		}
		var out []pathState
		hasDefault := false
		for _, c := range s.Body.List {
			cc := c.(*ast.CaseClause)
			for _, e := range cc.List {
				if w.mentions(e) {
					w.failed = true
					return nil
				}
			}
			if cc.List == nil {
				hasDefault = true
			}
			// A one-value case is a guard a later if can repeat:
			// case "dev" of switch env is "env == \"dev\"".
			guard := ""
			if len(cc.List) == 1 && s.Init == nil {
				guard = types.ExprString(cc.List[0])
				if s.Tag != nil {
					guard = types.ExprString(s.Tag) + " == " + guard
				}
			}
			w.guards = append(w.guards, guard)
			out = append(out, w.exec(cc.Body, paths)...)
			w.guards = w.guards[:len(w.guards)-1]
		}
		if !hasDefault {
			out = append(out, paths...)
		}
		return dedupe(out)
	case *ast.BranchStmt, *ast.LabeledStmt:
		w.failed = true // break, continue, goto, fallthrough: not followed
		return nil
	case *ast.EmptyStmt:
		return paths
	}
	// Loops, select, go, defer, declarations and the rest: followed only
	// when they do not touch the variable, and then as if they ran and
	// came back.
	if w.mentions(s) {
		w.failed = true
		return nil
	}
	return paths
}

// branch follows one side (holds) of an if whose condition reads cond: a
// path whose "*" was set under the same condition text takes only the
// side it took then, so "if dev { …"*"… }; if dev { return }" does not
// carry "*" past the return. This only removes paths: a condition that is
// not the same on both reads makes the check quieter, never louder.
func (w *branchWalk) branch(cond string, holds bool, follow func([]pathState) []pathState, paths []pathState) []pathState {
	var in []pathState
	for _, p := range paths {
		if cond == "" || p.guard != cond || p.guardHolds == holds {
			in = append(in, p)
		}
	}
	if len(in) == 0 {
		return nil
	}
	guard := cond
	if !holds && cond != "" {
		guard = "!" + cond
	}
	w.guards = append(w.guards, guard)
	defer func() { w.guards = w.guards[:len(w.guards)-1] }()
	return follow(in)
}

// guard is the condition the "*" being set is under: the innermost if
// condition or switch case, with whether it holds there.
func (w *branchWalk) guard() (string, bool) {
	if len(w.guards) == 0 {
		return "", false
	}
	g := w.guards[len(w.guards)-1]
	if strings.HasPrefix(g, "!") {
		return g[1:], false
	}
	return g, g != ""
}

// init follows the init statement of an if or switch, which may be the
// sink ("if err := m.Reconfigure(cfg); err != nil").
func (w *branchWalk) init(s ast.Stmt, paths []pathState) []pathState {
	if s == nil {
		return paths
	}
	return w.stmt(s, paths)
}

// assign follows an assignment that mentions the variable: only
// "cfg.AllowCredentials = x", "cfg.AllowOrigins = x" and
// "cfg.AllowOrigins = append(cfg.AllowOrigins, ...)" change what the walk
// tracks; another field's assignment is fine as long as its value does not
// mention cfg.
func (w *branchWalk) assign(s *ast.AssignStmt, paths []pathState) []pathState {
	info := w.a.pass.TypesInfo
	if s.Tok != token.ASSIGN || len(s.Lhs) != 1 || len(s.Rhs) != 1 {
		w.failed = true
		return nil
	}
	sel, ok := s.Lhs[0].(*ast.SelectorExpr)
	if !ok {
		w.failed = true
		return nil
	}
	if x, ok := sel.X.(*ast.Ident); !ok || info.Uses[x] != w.obj {
		w.failed = true // cfg on the right of something else
		return nil
	}
	rhs := ast.Unparen(s.Rhs[0])
	switch sel.Sel.Name {
	case "AllowCredentials":
		if w.mentions(rhs) {
			w.failed = true
			return nil
		}
		cred := w.a.credOf(rhs)
		return dedupe(mapPaths(paths, func(p pathState) pathState { p.cred = cred; return p }))
	case "AllowOrigins":
		if call, ok := rhs.(*ast.CallExpr); ok && w.appendsToItself(call) {
			for _, arg := range call.Args[1:] {
				if str, ok := w.a.constString(arg); ok && str == "*" {
					pos := arg.Pos()
					return dedupe(mapPaths(paths, func(p pathState) pathState {
						p.star, p.field = pos, "AllowOrigins"
						p.guard, p.guardHolds = w.guard()
						return p
					}))
				}
			}
			return paths // appending keeps a "*" already there
		}
		if w.mentions(rhs) {
			w.failed = true
			return nil
		}
		star, field := w.a.starIn(rhs)
		return dedupe(mapPaths(paths, func(p pathState) pathState {
			p.star, p.field = star, field
			p.guard, p.guardHolds = "", false
			if star != token.NoPos {
				p.guard, p.guardHolds = w.guard()
			}
			return p
		}))
	}
	if w.mentions(rhs) {
		w.failed = true
		return nil
	}
	return paths
}

// appendsToItself reports whether call is append(cfg.AllowOrigins, x, ...)
// with no other mention of cfg.
func (w *branchWalk) appendsToItself(call *ast.CallExpr) bool {
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); !ok || id.Name != "append" || call.Ellipsis.IsValid() || len(call.Args) < 2 {
		return false
	}
	if _, ok := w.a.pass.TypesInfo.Uses[ast.Unparen(call.Fun).(*ast.Ident)].(*types.Builtin); !ok {
		return false
	}
	first, ok := ast.Unparen(call.Args[0]).(*ast.SelectorExpr)
	if !ok || first.Sel.Name != "AllowOrigins" {
		return false
	}
	if x, ok := first.X.(*ast.Ident); !ok || w.a.pass.TypesInfo.Uses[x] != w.obj {
		return false
	}
	for _, arg := range call.Args[1:] {
		if w.mentions(arg) {
			return false
		}
	}
	return true
}

// noReturn reports whether call never returns: panic, os.Exit,
// log.Fatal*, log.Panic*.
func (a *checker) noReturn(call *ast.CallExpr) bool {
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if _, ok := a.pass.TypesInfo.Uses[id].(*types.Builtin); ok && id.Name == "panic" {
			return true
		}
	}
	fn := a.callee(call)
	if isFunc(fn, "os", "Exit") {
		return true
	}
	return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "log" &&
		(strings.HasPrefix(fn.Name(), "Fatal") || strings.HasPrefix(fn.Name(), "Panic"))
}

func mapPaths(paths []pathState, f func(pathState) pathState) []pathState {
	out := make([]pathState, len(paths))
	for i, p := range paths {
		out[i] = f(p)
	}
	return out
}

func dedupe(paths []pathState) []pathState {
	seen := map[pathState]bool{}
	out := paths[:0:0]
	for _, p := range paths {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}
