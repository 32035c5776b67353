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

// moveBeforeFix moves in's Use statement to just before target, if both
// are statements of the same block and everything in's statement refers
// to is declared before target.
func (w *walker) moveBeforeFix(in installed, target ast.Stmt, message string) []analysis.SuggestedFix {
	return w.moveBeforeFixText(in, target, message, "")
}

// moveBeforeFixText is moveBeforeFix writing text (if not "") in place of
// the statement.
func (w *walker) moveBeforeFixText(in installed, target ast.Stmt, message, text string) []analysis.SuggestedFix {
	stmt, block := w.movableUse(in)
	if stmt == nil || target == nil || w.blocks[target] != block || target.Pos() >= stmt.Pos() {
		return nil
	}
	if !w.declaredBefore(stmt, target.Pos()) {
		return nil
	}
	if text == "" {
		var ok bool
		if text, ok = w.a.source(stmt); !ok {
			return nil
		}
	}
	prevEnd := w.prevEnd(block, stmt)
	if prevEnd == token.NoPos {
		return nil
	}
	return []analysis.SuggestedFix{{
		Message: message,
		TextEdits: []analysis.TextEdit{
			{Pos: target.Pos(), End: target.Pos(), NewText: []byte(text + "\n" + w.a.indentOf(target.Pos()))},
			{Pos: prevEnd, End: stmt.End()},
		},
	}}
}

// prevEnd returns the end of the statement before stmt in block, so that
// deleting from there to stmt's end removes stmt's line.
func (w *walker) prevEnd(block *ast.BlockStmt, stmt ast.Stmt) token.Pos {
	for i, s := range block.List {
		if s == stmt && i > 0 {
			end := block.List[i-1].End()
			// Keep a comment that ends the previous line or stands between.
			for _, cg := range w.a.fileOf(stmt.Pos()).Comments {
				if cg.Pos() >= end && cg.End() <= stmt.Pos() {
					end = cg.End()
				}
			}
			return end
		}
	}
	return token.NoPos
}

// declaredBefore reports whether every local object stmt refers to is
// declared before pos.
func (w *walker) declaredBefore(stmt ast.Stmt, pos token.Pos) bool {
	ok := true
	ast.Inspect(stmt, func(n ast.Node) bool {
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
	stmt, block := w.movableUse(in)
	if stmt == nil || len(in.use.Args) != 1 {
		return nil
	}
	prevEnd := w.prevEnd(block, stmt)
	if prevEnd == token.NoPos {
		return nil
	}
	return []analysis.SuggestedFix{{
		Message:   "remove " + in.what(),
		TextEdits: []analysis.TextEdit{{Pos: prevEnd, End: stmt.End()}},
	}}
}

// beforeCORSFix puts the CORS middleware before the refuser: by swapping
// the two arguments of one Use call, or by moving the CORS Use statement
// before the refuser's.
func (w *walker) beforeCORSFix(refuser, cors installed) []analysis.SuggestedFix {
	if refuser.use == nil || cors.use == nil {
		return nil
	}
	if refuser.use == cors.use {
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
	target, _ := w.movableUse(refuser)
	return w.moveBeforeFix(cors, target, "install the CORS middleware first")
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
	if engine == nil || engine.firstRoute != st.madeAt || len(engine.cors) > 0 {
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
	text := fmt.Sprintf("%s.Use(%s.ByPath(map[string]%s.Config{%q: %s}))", eng, pkg, pkg, st.prefix, cfg)
	return w.moveBeforeFixText(in, engine.firstRouteStmt, "install it on the engine, before the group, with gincors.ByPath for "+quoted(st.prefix), text)
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
