package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// This file builds the SuggestedFixes of the wiring checks. A fix is
// offered only where the edit is mechanical: moving a Use statement within
// one block when everything it refers to is already declared there,
// swapping two arguments of one Use call, deleting a leftover CORS
// middleware, or turning a group's gincors.New into ByPath on its engine.

// source returns the text of n as written.
func (a *checker) source(n ast.Node) (string, bool) {
	tf := a.pass.Fset.File(n.Pos())
	if tf == nil {
		return "", false
	}
	content, err := a.pass.ReadFile(tf.Name())
	if err != nil {
		return "", false
	}
	start, end := tf.Offset(n.Pos()), tf.Offset(n.End())
	if start < 0 || end > len(content) || start > end {
		return "", false
	}
	return string(content[start:end]), true
}

// indentOf returns the whitespace before pos on its line.
func (a *checker) indentOf(pos token.Pos) string {
	tf := a.pass.Fset.File(pos)
	content, err := a.pass.ReadFile(tf.Name())
	if err != nil {
		return ""
	}
	off := tf.Offset(pos)
	lineStart := tf.Offset(tf.LineStart(tf.Line(pos)))
	indent := string(content[lineStart:off])
	if strings.TrimSpace(indent) != "" {
		return ""
	}
	return indent
}

// movableUse returns the statement of a Use call if it is a statement of
// its own, directly in a block.
func (w *walker) movableUse(in installed) (ast.Stmt, *ast.BlockStmt) {
	if in.use == nil {
		return nil, nil
	}
	stmt, ok := w.stmtOf(in.use).(*ast.ExprStmt)
	if !ok || ast.Unparen(stmt.X) != in.use {
		return nil, nil
	}
	return stmt, w.blocks[stmt]
}

// moveBeforeFix moves in's Use statement, with its line, to the line
// before target, if both are statements of the same block, each on lines
// of its own, and everything the statement refers to is declared before
// target.
func (w *walker) moveBeforeFix(in installed, target ast.Stmt, message string) []analysis.SuggestedFix {
	stmt, _ := w.movableUse(in)
	if stmt == nil {
		return nil
	}
	return w.moveBeforeFixText(in, target, message, "", stmt)
}

// moveBeforeFixText is moveBeforeFix writing the statement text (if not
// "") in place of the statement; refs are what text refers to.
func (w *walker) moveBeforeFixText(in installed, target ast.Stmt, message, text string, refs ...ast.Node) []analysis.SuggestedFix {
	stmt, block := w.movableUse(in)
	if stmt == nil || target == nil || w.blocks[target] != block || target.Pos() >= stmt.Pos() {
		return nil
	}
	for _, r := range refs {
		if !w.declaredBefore(r, target.Pos()) {
			return nil
		}
	}
	from, to, ok := w.a.ownLines(stmt)
	if !ok {
		return nil
	}
	at, _, ok := w.a.ownLines(target)
	if !ok {
		return nil
	}
	lines, ok := w.a.sourceRange(from, to)
	if !ok {
		return nil
	}
	if text != "" {
		// The new statement, indented as the old, with its trailing comment.
		indent := w.a.indentOf(stmt.Pos())
		old, _ := w.a.source(stmt)
		lines = indent + text + strings.TrimPrefix(lines, indent+old)
	}
	return []analysis.SuggestedFix{{
		Message: message,
		TextEdits: []analysis.TextEdit{
			{Pos: at, End: at, NewText: []byte(lines)},
			{Pos: from, End: to},
		},
	}}
}

// ownLines returns the start of n's first line and the start of the line
// after its last, if nothing but blanks and comments share those lines.
func (a *checker) ownLines(n ast.Node) (from, to token.Pos, ok bool) {
	tf := a.pass.Fset.File(n.Pos())
	content, err := a.pass.ReadFile(tf.Name())
	if err != nil {
		return 0, 0, false
	}
	from = tf.LineStart(tf.Line(n.Pos()))
	if strings.TrimSpace(string(content[tf.Offset(from):tf.Offset(n.Pos())])) != "" {
		return 0, 0, false
	}
	endLine := tf.Line(n.End())
	if endLine >= tf.LineCount() {
		return 0, 0, false
	}
	to = tf.LineStart(endLine + 1)
	rest := strings.TrimSpace(string(content[tf.Offset(n.End()):tf.Offset(to)]))
	if rest != "" && !strings.HasPrefix(rest, "//") {
		return 0, 0, false
	}
	return from, to, true
}

// sourceRange returns the text between two positions of one file.
func (a *checker) sourceRange(from, to token.Pos) (string, bool) {
	tf := a.pass.Fset.File(from)
	content, err := a.pass.ReadFile(tf.Name())
	if err != nil {
		return "", false
	}
	return string(content[tf.Offset(from):tf.Offset(to)]), true
}

// declaredBefore reports whether every local object n refers to is
// declared before pos.
func (w *walker) declaredBefore(n ast.Node, pos token.Pos) bool {
	ok := true
	ast.Inspect(n, func(n ast.Node) bool {
		id, isIdent := n.(*ast.Ident)
		if !isIdent {
			return true
		}
		obj := w.a.pass.TypesInfo.Uses[id]
		if obj == nil || obj.Parent() == nil || obj.Parent() == types.Universe || obj.Pkg() == nil {
			return true
		}
		if obj.Parent() == obj.Pkg().Scope() {
			return true // package-level
		}
		if _, isVar := obj.(*types.Var); isVar && obj.Pos() >= pos {
			ok = false
		}
		return true
	})
	return ok
}

// removeFix deletes a leftover CORS middleware's Use statement when it
// installs nothing else.
func (w *walker) removeFix(in installed) []analysis.SuggestedFix {
	stmt, _ := w.movableUse(in)
	if stmt == nil || len(in.use.Args) != 1 {
		return nil
	}
	from, to, ok := w.a.ownLines(stmt)
	if !ok {
		return nil
	}
	return []analysis.SuggestedFix{{
		Message:   "remove " + in.what(),
		TextEdits: []analysis.TextEdit{{Pos: from, End: to}},
	}}
}

// swapFix swaps a refuser and the CORS middleware given to one Use call.
func (w *walker) swapFix(refuser, cors installed) []analysis.SuggestedFix {
	rt, ok1 := w.a.source(refuser.arg)
	ct, ok2 := w.a.source(cors.arg)
	if !ok1 || !ok2 {
		return nil
	}
	return []analysis.SuggestedFix{{
		Message: "install the CORS middleware first",
		TextEdits: []analysis.TextEdit{
			{Pos: refuser.arg.Pos(), End: refuser.arg.End(), NewText: []byte(ct)},
			{Pos: cors.arg.Pos(), End: cors.arg.End(), NewText: []byte(rt)},
		},
	}}
}

// groupUseFix replaces group.Use(gincors.New(cfg)) with
// engine.Use(gincors.ByPath(map[string]gincors.Config{prefix: cfg})) when
// the group was made here from an engine, with a plain literal prefix, and
// nothing was routed on the engine yet.
func (w *walker) groupUseFix(st *routerState, in installed) []analysis.SuggestedFix {
	if in.mw.newCall == nil || st.parentExpr == nil || in.use == nil || len(in.use.Args) != 1 {
		return nil
	}
	if !isPlainPrefix(st.prefix) {
		return nil
	}
	// The group snapshots the engine's handlers when it is made, so the
	// engine's Use must come before the group: the engine's first route
	// must be this group, and it must have no CORS middleware yet.
	engine := w.routers[st.parent]
	if engine == nil || len(engine.routes) == 0 || engine.routes[0].pos != st.madeAt || len(engine.cors) > 0 {
		return nil
	}
	sel, ok := ast.Unparen(in.mw.newCall.Fun).(*ast.SelectorExpr)
	if !ok || len(in.mw.newCall.Args) != 1 {
		return nil
	}
	pkg, ok1 := w.a.source(sel.X)
	eng, ok2 := w.a.source(st.parentExpr)
	cfg, ok3 := w.a.source(in.mw.newCall.Args[0])
	if !ok1 || !ok2 || !ok3 {
		return nil
	}
	if lit, ok := in.mw.newCall.Args[0].(*ast.CompositeLit); ok && lit.Type != nil {
		// gofmt -s style: the map's element type is implied.
		if elided, ok := w.a.sourceRange(lit.Lbrace, lit.End()); ok {
			cfg = elided
		}
	}
	text := fmt.Sprintf("%s.Use(%s.ByPath(map[string]%s.Config{%q: %s}))", eng, pkg, pkg, st.prefix, cfg)
	return w.moveBeforeFixText(in, engine.routes[0].stmt, "install it on the engine, before the group, with gincors.ByPath for "+quoted(st.prefix), text, st.parentExpr, in.mw.newCall)
}

// isPlainPrefix reports whether p is a group prefix ByPath takes as it
// is: "/" followed by literal segments.
func isPlainPrefix(p string) bool {
	if p == "" || p[0] != '/' || p == "/" || strings.HasSuffix(p, "/") || strings.Contains(p, "//") || strings.ContainsAny(p, ":*?#") {
		return false
	}
	for _, seg := range strings.Split(p[1:], "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	return true
}
