package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
)

// This file holds the wiring checks: group-use, use-after-routes,
// before-cors and stacked-cors. Each function body is walked in source
// order, keeping per router (a local variable, parameter or a field path
// from one) what was done to it: routes and groups made, CORS middlewares
// and refusers installed. A router returned by a helper of the same
// package, or passed to one, takes that helper's effects.

// routerKey names a router in one function: the variable's object and a
// field path, such as "0xc000123.router". Empty means not followed.
type routerKey string

// installed is one middleware passed to Use (or to Group).
type installed struct {
	mw   middleware
	arg  ast.Expr      // the argument, or nil when done by a helper
	call *ast.CallExpr // the Use call, or the helper call
	use  *ast.CallExpr // the Use call itself, nil when done by a helper
	via  string        // the helper's name when done by a helper
	// after is the route a group's CORS middleware was installed after.
	after *routeEvent
}

// routerState is what one function has done to one router so far.
type routerState struct {
	group bool // a *gin.RouterGroup, not an engine
	// routes are the routes and groups made on the router, in order.
	routes     []routeEvent
	hasOptions bool // an OPTIONS (or Any, or unknown-method) route
	cors       []installed
	refusers   []installed
	// For a group made here from a followed engine: the engine's key and
	// expression, and the group's prefix if it is a plain literal path.
	parent     routerKey
	parentExpr ast.Expr
	prefix     string
	madeAt     token.Pos // the Group call
	// pendingGroupUse holds group-use findings, reported at the end of the
	// function unless the group has an OPTIONS route.
	pendingGroupUse []installed
	// afterRoutes holds use-after-routes findings for groups, decided like
	// pendingGroupUse (a group with OPTIONS routes gets them instead).
	pendingAfterRoutes []installed
}

// routeEvent is a route or group made on a router.
type routeEvent struct {
	pos  token.Pos
	what string   // "the GET route", "the group made", "routes made by f()"
	stmt ast.Stmt // the statement that made it, if in this function
}

// summaryKey names a helper's effect on a router: on its result
// (param -1) or on its param'th parameter.
type summaryKey struct {
	fn    *types.Func
	param int
}

// walker walks one function body.
type walker struct {
	a       *checker
	body    *ast.BlockStmt
	report  bool // false while summarising a helper
	routers map[routerKey]*routerState
	order   []routerKey
	// groupCalls maps a Group call bound to a variable to its state.
	groupCalls map[*ast.CallExpr]*routerState
	// blocks maps each statement to the block holding it, for fixes.
	blocks map[ast.Stmt]*ast.BlockStmt
}

func (a *checker) newWalker(body *ast.BlockStmt, report bool) *walker {
	w := &walker{a: a, body: body, report: report, routers: map[routerKey]*routerState{},
		groupCalls: map[*ast.CallExpr]*routerState{}, blocks: map[ast.Stmt]*ast.BlockStmt{}}
	inspectShallow(body, func(n ast.Node) {
		if b, ok := n.(*ast.BlockStmt); ok {
			for _, s := range b.List {
				w.blocks[s] = b
			}
		}
	})
	return w
}

// checkWiring runs the wiring checks over one function body.
func (a *checker) checkWiring(body *ast.BlockStmt) {
	w := a.newWalker(body, true)
	w.walk()
	w.finish()
}

// walk visits the body in source order, outside nested function literals.
func (w *walker) walk() {
	inspectShallow(w.body, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) >= 1 && len(n.Rhs) == 1 {
				w.bind(n.Lhs[0], n.Rhs[0])
			}
		case *ast.ValueSpec:
			if len(n.Names) >= 1 && len(n.Values) == 1 {
				w.bind(n.Names[0], n.Values[0])
			}
		case *ast.CallExpr:
			w.call(n)
		}
	})
}

// key returns the router key of e, or "".
func (w *walker) key(e ast.Expr) routerKey {
	var path []string
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			obj, ok := w.a.pass.TypesInfo.ObjectOf(x).(*types.Var)
			if !ok {
				return ""
			}
			k := fmt.Sprintf("%p", obj)
			for i := len(path) - 1; i >= 0; i-- {
				k += "." + path[i]
			}
			return routerKey(k)
		case *ast.SelectorExpr:
			if sel := w.a.pass.TypesInfo.Selections[x]; sel == nil || sel.Kind() != types.FieldVal {
				return ""
			}
			path = append(path, x.Sel.Name)
			e = x.X
		default:
			return ""
		}
	}
}

// routerType says whether e is a *gin.Engine (false, true) or a
// *gin.RouterGroup (true, true).
func (w *walker) routerType(e ast.Expr) (group, ok bool) {
	t := w.a.pass.TypesInfo.TypeOf(e)
	if t == nil {
		return false, false
	}
	if _, isPtr := t.(*types.Pointer); !isPtr {
		return false, false
	}
	switch {
	case isNamed(t, ginPath, "Engine"):
		return false, true
	case isNamed(t, ginPath, "RouterGroup"):
		return true, true
	}
	return false, false
}

// state returns the state of the router e, creating it, or nil if e is
// not a followed router.
func (w *walker) state(e ast.Expr) *routerState {
	group, ok := w.routerType(e)
	if !ok {
		return nil
	}
	k := w.key(e)
	if k == "" {
		return nil
	}
	st := w.routers[k]
	if st == nil {
		st = &routerState{group: group}
		w.routers[k] = st
		w.order = append(w.order, k)
	}
	return st
}

// bind handles "lhs := rhs" for a router: a new engine starts clean, a
// group remembers its engine, a helper's result takes its effects.
func (w *walker) bind(lhs, rhs ast.Expr) {
	group, ok := w.routerType(lhs)
	if !ok {
		return
	}
	k := w.key(lhs)
	if k == "" {
		return
	}
	call, _ := ast.Unparen(rhs).(*ast.CallExpr)
	if call == nil {
		// r2 := r: not followed (two names for one router).
		delete(w.routers, k)
		return
	}
	fn := w.a.callee(call)
	st := &routerState{group: group}
	switch {
	case isFunc(fn, ginPath, "New", "Default"):
	case isMethod(fn, ginPath, "RouterGroup", "Group"):
		sel := call.Fun.(*ast.SelectorExpr)
		if parentIsGroup, _ := w.routerType(sel.X); !parentIsGroup {
			st.parent = w.key(sel.X)
			st.parentExpr = sel.X
		}
		if len(call.Args) > 0 {
			if p, ok := w.a.constString(call.Args[0]); ok {
				st.prefix = p
			}
		}
		st.madeAt = call.Pos()
		w.groupCalls[call] = st
	default:
		if sum := w.a.summary(fn, -1); sum != nil {
			st = sum.copyFrom(call, fn.Name())
			st.group = group
		} else {
			delete(w.routers, k) // made elsewhere: not followed
			return
		}
	}
	if w.routers[k] == nil {
		w.order = append(w.order, k)
	}
	w.routers[k] = st
}

// copyFrom returns the effects of a helper's summary as seen from the
// helper call: everything it did happened at the call.
func (s *routerState) copyFrom(call *ast.CallExpr, helper string) *routerState {
	st := &routerState{group: s.group, hasOptions: s.hasOptions}
	if len(s.routes) > 0 {
		st.routes = []routeEvent{{pos: call.Pos(), what: "routes made by " + helper + "()"}}
	}
	for _, in := range s.cors {
		st.cors = append(st.cors, installed{mw: in.mw, call: call, via: helper})
	}
	for _, in := range s.refusers {
		st.refusers = append(st.refusers, installed{mw: in.mw, call: call, via: helper})
	}
	return st
}

// routeMethods are the RouterGroup methods that register routes.
var routeMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "Any", "Handle", "Match", "Static", "StaticFS", "StaticFile", "StaticFileFS"}

// call handles one call: Use, a route, Group, or a helper given a router.
func (w *walker) call(call *ast.CallExpr) {
	fn := w.a.callee(call)
	if fn == nil {
		return
	}
	sel, _ := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	switch {
	case sel != nil && (isMethod(fn, ginPath, "Engine", "Use") || isMethod(fn, ginPath, "RouterGroup", "Use")):
		if st := w.state(sel.X); st != nil {
			w.use(st, call, call.Args)
		} else if st := w.groupOf(sel.X); st != nil {
			w.use(st, call, call.Args) // r.Group("/api").Use(cors)
		}
	case sel != nil && isMethod(fn, ginPath, "RouterGroup", "Group"):
		parent := w.state(sel.X)
		if parent != nil {
			parent.routes = append(parent.routes, routeEvent{call.Pos(), "the group made", w.stmtOf(call)})
		}
		st := w.groupOf(call)
		if len(call.Args) > 1 {
			w.use(st, call, call.Args[1:])
		}
	case sel != nil && isMethod(fn, ginPath, "RouterGroup", routeMethods...):
		st := w.state(sel.X)
		if st == nil {
			return
		}
		st.routes = append(st.routes, routeEvent{call.Pos(), "the " + fn.Name() + " route", w.stmtOf(call)})
		if w.mayRouteOptions(fn.Name(), call) {
			st.hasOptions = true
		}
	default:
		w.helperCall(fn, call)
	}
}

// groupOf returns the state of the group e makes, if e is a Group call,
// so that a chained r.Group("/api").Use(cors) is judged like a group in a
// variable.
func (w *walker) groupOf(e ast.Expr) *routerState {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || !isMethod(w.a.callee(call), ginPath, "RouterGroup", "Group") {
		return nil
	}
	st := w.groupCalls[call]
	if st == nil {
		st = &routerState{group: true, madeAt: call.Pos()}
		if len(call.Args) > 0 {
			st.prefix, _ = w.a.constString(call.Args[0])
		}
		w.groupCalls[call] = st
	}
	return st
}

// mayRouteOptions reports whether a route call may register an OPTIONS
// route, which lets preflights reach a group's middleware.
func (w *walker) mayRouteOptions(method string, call *ast.CallExpr) bool {
	return w.a.mayRouteOptions(method, call)
}

// packageRoutesOptions reports whether any code of the package may
// register an OPTIONS route, on any router.
func (a *checker) packageRoutesOptions() bool {
	if a.routesOptions == nil {
		found := false
		for _, f := range a.pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok && !found {
					if fn := a.callee(call); isMethod(fn, ginPath, "RouterGroup", routeMethods...) && a.mayRouteOptions(fn.Name(), call) {
						found = true
					}
				}
				return !found
			})
		}
		a.routesOptions = &found
	}
	return *a.routesOptions
}

func (a *checker) mayRouteOptions(method string, call *ast.CallExpr) bool {
	switch method {
	case "OPTIONS", "Any":
		return true
	case "Handle":
		m, ok := a.constString(call.Args[0])
		return !ok || m == "OPTIONS"
	case "Match":
		lit, ok := ast.Unparen(call.Args[0]).(*ast.CompositeLit)
		if !ok {
			return true
		}
		for _, e := range lit.Elts {
			if m, ok := a.constString(e); !ok || m == "OPTIONS" {
				return true
			}
		}
	}
	return false
}

// helperCall applies a same-package helper's effects on the routers it is
// given.
func (w *walker) helperCall(fn *types.Func, call *ast.CallExpr) {
	if w.a.decls[fn] == nil {
		return
	}
	for i, arg := range call.Args {
		st := w.state(arg)
		if st == nil {
			continue
		}
		sum := w.a.summary(fn, i)
		if sum == nil {
			continue
		}
		eff := sum.copyFrom(call, fn.Name())
		for _, r := range eff.routes {
			r.stmt = w.stmtOf(call)
			st.routes = append(st.routes, r)
		}
		st.hasOptions = st.hasOptions || eff.hasOptions
		for _, in := range eff.refusers {
			w.installRefuser(st, in)
		}
		for _, in := range eff.cors {
			w.installCORS(st, in)
		}
	}
}

// summary returns what fn does to its param'th parameter (or, for -1, to
// the router it returns), or nil if that is not known.
func (a *checker) summary(fn *types.Func, param int) *routerState {
	decl := a.decls[fn]
	if decl == nil {
		return nil
	}
	k := summaryKey{fn, param}
	if s, ok := a.summaries[k]; ok {
		return s
	}
	a.summaries[k] = nil // recursion: not known
	w := a.newWalker(decl.Body, false)
	w.walk()
	var target routerKey
	if param >= 0 {
		var params []*ast.Ident
		for _, f := range decl.Type.Params.List {
			params = append(params, f.Names...)
		}
		if param >= len(params) || len(params) != fn.Type().(*types.Signature).Params().Len() {
			return nil
		}
		target = w.key(params[param])
	} else {
		inspectShallow(decl.Body, func(n ast.Node) {
			if r, ok := n.(*ast.ReturnStmt); ok && len(r.Results) >= 1 {
				k := w.key(r.Results[0])
				if target == "" || k == target {
					target = k
				} else {
					target = "-" // returns different routers: not known
				}
			}
		})
	}
	s := w.routers[target]
	if target == "" || target == "-" || s == nil {
		if param >= 0 && target != "" {
			s = &routerState{} // a parameter the helper does nothing to
		} else {
			return nil
		}
	}
	a.summaries[k] = s
	return s
}

// use handles middlewares installed on st by the call.
func (w *walker) use(st *routerState, call *ast.CallExpr, args []ast.Expr) {
	for _, arg := range args {
		mw := w.a.classify(arg, w.body, 0)
		in := installed{mw: mw, arg: arg, call: call, use: call}
		switch {
		case mw.kind == mwRefuser:
			w.installRefuser(st, in)
		case mw.kind.isCORS():
			w.installCORS(st, in)
		}
	}
}

func (w *walker) installRefuser(st *routerState, in installed) {
	st.refusers = append(st.refusers, in)
}

// installCORS records a CORS middleware on st and reports what is wrong
// with installing it there. Something done on another branch of an if or
// a switch than this Use does not count.
func (w *walker) installCORS(st *routerState, in installed) {
	defer func() { st.cors = append(st.cors, in) }()
	lib := in.mw.kind.isLibraryCORS()
	route := w.routeBefore(st, in)
	if st.group {
		if lib {
			st.pendingGroupUse = append(st.pendingGroupUse, in)
			if route != nil {
				in.after = route
				st.pendingAfterRoutes = append(st.pendingAfterRoutes, in)
			}
		}
		return
	}
	for _, c := range st.cors {
		if !w.exclusive(c.where(), in.where()) {
			w.reportStacked(c, in)
			break
		}
	}
	if !lib {
		return
	}
	var refusers, others []installed
	for _, r := range st.refusers {
		if w.exclusive(r.where(), in.where()) {
			others = append(others, r)
		} else {
			refusers = append(refusers, r)
		}
	}
	st.refusers = others // each reported once
	fix := w.orderFix(route, in, refusers)
	if route != nil {
		w.reportAfterRoutes(route, in, fix)
		fix = nil
	}
	for _, r := range refusers {
		if fix == nil && r.use != nil && r.use == in.use && route == nil && len(refusers) == 1 {
			w.reportBeforeCORS(r, in, w.swapFix(r, in))
			continue
		}
		w.reportBeforeCORS(r, in, fix)
		fix = nil // one diagnostic carries the move
	}
}

// routeBefore returns the first route or group made on st that can run
// before in, or nil.
func (w *walker) routeBefore(st *routerState, in installed) *routeEvent {
	for i := range st.routes {
		if !w.exclusive(st.routes[i].pos, in.where()) {
			return &st.routes[i]
		}
	}
	return nil
}

// exclusive reports whether p and q lie on different branches of one if
// or switch statement, so that at most one of them runs.
func (w *walker) exclusive(p, q token.Pos) bool {
	file := w.a.fileOf(p)
	if file == nil || file != w.a.fileOf(q) {
		return false
	}
	pp, _ := astutil.PathEnclosingInterval(file, p, p)
	qp, _ := astutil.PathEnclosingInterval(file, q, q)
	slices.Reverse(pp)
	slices.Reverse(qp)
	for i := 0; i+1 < len(pp) && i+1 < len(qp); i++ {
		if pp[i] != qp[i] {
			return false
		}
		a, b := pp[i+1], qp[i+1]
		if a == b {
			continue
		}
		switch parent := pp[i].(type) {
		case *ast.IfStmt:
			return (a == parent.Body && b == parent.Else) || (a == parent.Else && b == parent.Body)
		case *ast.BlockStmt:
			_, aCase := a.(*ast.CaseClause)
			_, bCase := b.(*ast.CaseClause)
			_, aComm := a.(*ast.CommClause)
			_, bComm := b.(*ast.CommClause)
			return aCase && bCase || aComm && bComm
		}
		return false
	}
	return false
}

// orderFix moves in's Use statement before every statement it must
// precede: the first route or group, and the refusers' Use statements.
// It returns nil unless one move fixes them all.
func (w *walker) orderFix(route *routeEvent, in installed, refusers []installed) []analysis.SuggestedFix {
	var target ast.Stmt
	earliest := func(s ast.Stmt) bool {
		if s == nil {
			return false
		}
		if target == nil || s.Pos() < target.Pos() {
			target = s
		}
		return true
	}
	if route != nil && !earliest(route.stmt) {
		return nil
	}
	for _, r := range refusers {
		if r.use == nil || r.use == in.use {
			return nil
		}
		if s, _ := w.movableUse(r); !earliest(s) {
			return nil
		}
	}
	if target == nil {
		return nil
	}
	what := "the refusing middleware"
	if route != nil && target == route.stmt {
		what = route.what
	}
	return w.moveBeforeFix(in, target, "move the CORS middleware's Use before "+what)
}

// finish reports the findings on groups, which depend on the whole body.
func (w *walker) finish() {
	for _, k := range w.order {
		st := w.routers[k]
		if st == nil {
			continue
		}
		if st.hasOptions {
			for _, in := range st.pendingAfterRoutes {
				w.reportAfterRoutes(in.after, in, w.moveBeforeFix(in, in.after.stmt, "move the Use before "+in.after.what))
			}
			continue
		}
		if st.madeAt == 0 && w.a.packageRoutesOptions() {
			// A group made elsewhere may have an OPTIONS route made
			// elsewhere too.
			continue
		}
		for _, in := range st.pendingGroupUse {
			w.reportGroupUse(st, in)
		}
	}
	for _, st := range w.groupCalls {
		if w.bound(st) {
			continue
		}
		for _, in := range st.pendingGroupUse {
			w.reportGroupUse(st, in)
		}
	}
}

// bound reports whether st is the state of a variable.
func (w *walker) bound(st *routerState) bool {
	for _, s := range w.routers {
		if s == st {
			return true
		}
	}
	return false
}

// where returns the position to report an installed middleware at.
func (in installed) where() token.Pos {
	if in.arg != nil {
		return in.arg.Pos()
	}
	return in.call.Pos()
}

// what names an installed middleware, and the helper that installed it.
func (in installed) what() string {
	name := in.mw.name
	if name == "" {
		name = "the middleware"
	}
	if in.via != "" {
		return name + " (installed by " + in.via + "())"
	}
	return name
}

func (w *walker) reportf(pos, end token.Pos, category string, fixes []analysis.SuggestedFix, format string, args ...any) {
	if !w.report {
		return
	}
	w.a.pass.Report(analysis.Diagnostic{
		Pos: pos, End: end, Category: category,
		Message:        category + ": " + fmt.Sprintf(format, args...),
		SuggestedFixes: fixes,
	})
}

func (w *walker) reportGroupUse(st *routerState, in installed) {
	what := "a router group"
	if st.prefix != "" {
		what = fmt.Sprintf("the %q group", st.prefix)
	}
	w.reportf(in.where(), 0, catGroupUse, w.groupUseFix(st, in),
		"%s on %s never sees preflights for the group's routes: Gin answers them with 404 (405 with HandleMethodNotAllowed) before a group's middleware runs, so browsers block every request that needs a preflight; install the CORS middleware with engine.Use, and use gincors.ByPath for a policy per path prefix",
		in.what(), what)
}

func (w *walker) reportAfterRoutes(route *routeEvent, in installed, fixes []analysis.SuggestedFix) {
	where := fmt.Sprintf("line %d", w.a.line(route.pos))
	w.reportf(in.where(), 0, catUseAfterRoutes, fixes,
		"%s is installed after %s at %s: routes and groups made before Use keep the handlers they had, so their responses get no CORS headers and browsers block them; call Use before making routes and groups",
		in.what(), route.what, where)
}

func (w *walker) reportStacked(first, second installed) {
	// Next to gincors, the other one is the leftover to delete.
	var fixes []analysis.SuggestedFix
	switch {
	case first.mw.kind == mwGincors && second.mw.kind != mwGincors:
		fixes = w.removeFix(second)
	case first.mw.kind != mwGincors && second.mw.kind == mwGincors:
		fixes = w.removeFix(first)
	}
	w.reportf(second.where(), 0, catStackedCORS, fixes,
		"%s is a second CORS middleware on this router (%s, line %d): a preflight the first one answers never reaches the second, and other responses carry the headers of both policies or of whichever writes last, so what browsers allow depends on the request; keep one",
		second.what(), first.what(), w.a.line(first.where()))
}

func (w *walker) reportBeforeCORS(refuser, cors installed, fixes []analysis.SuggestedFix) {
	w.reportf(refuser.where(), 0, catBeforeCORS, fixes,
		"%s runs before the CORS middleware %s (line %d) and can answer %d: preflights carry no credentials, so they get that answer without CORS headers and browsers block the request; install the CORS middleware first",
		refuser.what(), cors.what(), w.a.line(cors.where()), refuser.mw.status)
}

// stmtOf returns the statement of the body's blocks that holds pos.
func (w *walker) stmtOf(n ast.Node) ast.Stmt {
	var best ast.Stmt
	for s := range w.blocks {
		if s.Pos() <= n.Pos() && n.End() <= s.End() {
			if best == nil || best.Pos() < s.Pos() || (best.Pos() == s.Pos() && s.End() < best.End()) {
				best = s
			}
		}
	}
	return best
}

// quoted formats s for a message.
func quoted(s string) string { return fmt.Sprintf("%q", s) }
