package analyzer

import (
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"log/slog"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/gincors/gincors"
)

// This file is the config check: a gincors.Config whose values are all
// constants where it reaches New, NewMiddleware, Reconfigure or ByPath is
// rebuilt here and judged by the library itself (configProblems), and each
// problem is reported at the field it names. A Config that depends on the
// branch taken is followed path by path for "*" with credentials in
// branchconfig.go.

// checkConfigs finds every Config that reaches a gincors constructor.
func (a *checker) checkConfigs(ins *inspector.Inspector) {
	ins.Preorder([]ast.Node{(*ast.CallExpr)(nil)}, func(n ast.Node) {
		call := n.(*ast.CallExpr)
		if len(call.Args) != 1 || a.inTestFile(call.Pos()) {
			return
		}
		fn := a.callee(call)
		switch {
		case isFunc(fn, gincorsPath, "New"):
			a.checkConfigArg(call.Args[0], "gincors.New panics when the program starts")
			a.checkBranches(call.Args[0], sinkNew)
		case isFunc(fn, gincorsPath, "NewMiddleware"):
			a.checkConfigArg(call.Args[0], "gincors.NewMiddleware returns this as an error")
			a.checkBranches(call.Args[0], sinkNewMiddleware)
		case isMethod(fn, gincorsPath, "Middleware", "Reconfigure"):
			a.checkConfigArg(call.Args[0], "Reconfigure returns this as an error and keeps the old policy")
			a.checkBranches(call.Args[0], sinkReconfigure)
		case isFunc(fn, gincorsPath, "ByPath"):
			a.checkByPath(call.Args[0])
			if lit, ok := ast.Unparen(call.Args[0]).(*ast.CompositeLit); ok {
				for _, e := range lit.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						a.checkBranches(kv.Value, sinkByPath)
					}
				}
			}
		}
	})
}

// builtConfig is a Config rebuilt from the source, with where each field
// was written.
type builtConfig struct {
	cfg gincors.Config
	at  token.Pos              // the expression as a whole
	pos map[string]token.Pos   // field name: its value
	elt map[string][]token.Pos // slice field name: its elements
	lit map[string]*ast.CompositeLit
}

// posOf returns where the field named in a ConfigError ("AllowOrigins[2]",
// "MaxAge", "Config") was written, or where the whole Config was.
func (b *builtConfig) posOf(field string) token.Pos {
	name, index := field, -1
	if i := strings.IndexByte(field, '['); i > 0 && strings.HasSuffix(field, "]") {
		if n, err := strconv.Atoi(field[i+1 : len(field)-1]); err == nil {
			name, index = field[:i], n
		}
	}
	if elts := b.elt[name]; index >= 0 && index < len(elts) {
		return elts[index]
	}
	if p, ok := b.pos[name]; ok {
		return p
	}
	return b.at
}

func (a *checker) checkConfigArg(arg ast.Expr, effect string) {
	b := a.buildConfig(arg)
	if b == nil {
		return
	}
	for _, p := range configProblems(b.cfg) {
		a.reportConfig(b.posOf(p.field), effect, p)
	}
}

// checkByPath judges each Config of a ByPath map literal that can be
// rebuilt, and the keys, by calling ByPath itself when all can be.
func (a *checker) checkByPath(arg ast.Expr) {
	lit, ok := ast.Unparen(arg).(*ast.CompositeLit)
	if !ok {
		return
	}
	const effect = "gincors.ByPath panics when the program starts"
	policies := map[string]gincors.Config{}
	keyPos := map[string]token.Pos{}
	built := map[string]*builtConfig{}
	for _, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			return
		}
		key, ok := a.constString(kv.Key)
		if !ok {
			return
		}
		keyPos[key] = kv.Key.Pos()
		if b := a.buildConfig(kv.Value); b != nil {
			built[key] = b
			policies[key] = b.cfg
		}
	}
	if len(built) != len(lit.Elts) {
		// Not all known: judge the known ones alone.
		for key, b := range built {
			for _, p := range configProblems(b.cfg) {
				p.field = fmt.Sprintf("ByPath[%q].%s", key, p.field)
				a.reportConfig(b.posOf(strings.TrimPrefix(p.field, fmt.Sprintf("ByPath[%q].", key))), effect, p)
			}
		}
		return
	}
	for _, p := range byPathProblems(policies) {
		pos := lit.Pos()
		if p.field == "ByPath" {
			if kp, ok := keyPos[p.value]; ok {
				pos = kp
			}
		} else if m := byPathField.FindStringSubmatch(p.field); m != nil {
			if key, err := strconv.Unquote(m[1]); err == nil && built[key] != nil {
				pos = built[key].posOf(m[2])
			}
		}
		a.reportConfig(pos, effect, p)
	}
}

// byPathField splits `ByPath["/admin"].AllowOrigins[0]`.
var byPathField = regexp.MustCompile(`^ByPath\[("(?:[^"\\]|\\.)*")\]\.(.+)$`)

func (a *checker) reportConfig(pos token.Pos, effect string, p problem) {
	value := ""
	if p.value != "" {
		value = " " + strconv.Quote(p.value)
	}
	kind := effect
	if p.warning {
		kind = "gincors accepts it and warns"
	}
	a.pass.Report(analysis.Diagnostic{
		Pos: pos, Category: catConfig,
		Message: fmt.Sprintf("%s: %s: %s%s: %s", catConfig, kind, p.field, value, p.message),
	})
}

// problem is one thing the library says about a Config.
type problem struct {
	field, value, message string
	warning               bool // accepted, with a warning
}

// configProblems is the library's judgement of cfg: Validate's errors,
// then its warnings (with warning set).
func configProblems(cfg gincors.Config) []problem {
	return append(problemsOf(cfg.Validate()), warningsOf("", cfg)...)
}

// warningsOf is cfg's warnings, their fields prefixed with prefix.
func warningsOf(prefix string, cfg gincors.Config) []problem {
	var ps []problem
	for _, w := range cfg.Warnings() {
		ps = append(ps, problem{field: prefix + w.Field, value: w.Value, message: w.Message, warning: true})
	}
	return ps
}

// byPathProblems is the library's judgement of a ByPath map: ByPath's
// panic value, or else the warnings of each policy, named as ByPath names
// them. ByPath's own log of those warnings is discarded.
func byPathProblems(policies map[string]gincors.Config) (ps []problem) {
	quiet := make(map[string]gincors.Config, len(policies))
	for key, cfg := range policies {
		cfg.Logger = slog.New(slog.DiscardHandler)
		quiet[key] = cfg
	}
	defer func() {
		if r := recover(); r != nil {
			err, ok := r.(error)
			if !ok {
				err = fmt.Errorf("%v", r)
			}
			ps = problemsOf(err)
		}
	}()
	gincors.ByPath(quiet)
	for _, key := range slices.Sorted(maps.Keys(policies)) {
		ps = append(ps, warningsOf(fmt.Sprintf("ByPath[%q].", key), policies[key])...)
	}
	return ps
}

// problemsOf splits a joined error into its ConfigErrors.
func problemsOf(err error) []problem {
	if err == nil {
		return nil
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	var ps []problem
	for _, e := range errs {
		var ce *gincors.ConfigError
		if errors.As(e, &ce) {
			ps = append(ps, problem{field: ce.Field, value: ce.Value, message: ce.Message})
		} else {
			ps = append(ps, problem{field: "Config", message: e.Error()})
		}
	}
	return ps
}

// buildConfig rebuilds the Config e stands for, or returns nil if any of
// it is not a constant written in this function.
func (a *checker) buildConfig(e ast.Expr) *builtConfig {
	e = ast.Unparen(e)
	switch e := e.(type) {
	case *ast.CompositeLit:
		if !isNamed(a.pass.TypesInfo.TypeOf(e), gincorsPath, "Config") {
			return nil
		}
		b := newBuilt(e.Pos())
		if !a.applyLiteral(b, e) {
			return nil
		}
		return b
	case *ast.Ident:
		return a.buildConfigVar(e)
	}
	return nil
}

func newBuilt(at token.Pos) *builtConfig {
	return &builtConfig{at: at, pos: map[string]token.Pos{}, elt: map[string][]token.Pos{}, lit: map[string]*ast.CompositeLit{}}
}

// applyLiteral sets the fields of a keyed Config literal.
func (a *checker) applyLiteral(b *builtConfig, lit *ast.CompositeLit) bool {
	for _, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			return false
		}
		id, ok := kv.Key.(*ast.Ident)
		if !ok || !a.setField(b, id.Name, kv.Value) {
			return false
		}
	}
	return true
}

// buildConfigVar rebuilds a local Config variable at a use: declared in
// this function as a literal, DefaultConfig() or its zero value, then
// changed only by "cfg.Field = constant" statements in the same block,
// with nothing else touching it before the use.
func (a *checker) buildConfigVar(use *ast.Ident) *builtConfig {
	info := a.pass.TypesInfo
	obj, ok := info.Uses[use].(*types.Var)
	if !ok || !isNamed(obj.Type(), gincorsPath, "Config") {
		return nil
	}
	file := a.fileOf(use.Pos())
	fn := enclosingFunc(file, use.Pos())
	if fn == nil || enclosingFunc(file, obj.Pos()) != fn {
		return nil // a parameter's or another function's variable
	}
	var body *ast.BlockStmt
	switch f := fn.(type) {
	case *ast.FuncDecl:
		body = f.Body
	case *ast.FuncLit:
		body = f.Body
	}
	if body == nil || obj.Pos() < body.Pos() {
		return nil // a parameter
	}
	// Find the declaring statement and its block.
	var (
		declStmt ast.Stmt
		block    *ast.BlockStmt
		init     ast.Expr
		zero     bool
	)
	ast.Inspect(body, func(n ast.Node) bool {
		blk, ok := n.(*ast.BlockStmt)
		if !ok {
			return true
		}
		for _, s := range blk.List {
			switch s := s.(type) {
			case *ast.AssignStmt:
				if s.Tok == token.DEFINE && len(s.Lhs) == 1 && len(s.Rhs) == 1 && info.Defs[identOf(s.Lhs[0])] == obj {
					declStmt, block, init = s, blk, s.Rhs[0]
				}
			case *ast.DeclStmt:
				gd, ok := s.Decl.(*ast.GenDecl)
				if !ok || len(gd.Specs) != 1 {
					continue
				}
				vs, ok := gd.Specs[0].(*ast.ValueSpec)
				if !ok || len(vs.Names) != 1 || info.Defs[vs.Names[0]] != obj {
					continue
				}
				declStmt, block = s, blk
				switch len(vs.Values) {
				case 0:
					zero = true
				case 1:
					init = vs.Values[0]
				}
			}
		}
		return true
	})
	if declStmt == nil || (init == nil && !zero) {
		return nil
	}
	// The use must be in that block, in the same function, after the
	// declaration.
	var useStmt ast.Stmt
	for _, s := range block.List {
		if s.Pos() <= use.Pos() && use.Pos() < s.End() {
			useStmt = s
		}
	}
	if useStmt == nil || useStmt.Pos() <= declStmt.Pos() {
		return nil
	}
	var b *builtConfig
	switch {
	case zero:
		b = newBuilt(use.Pos())
	default:
		init = ast.Unparen(init)
		if call, ok := init.(*ast.CallExpr); ok && isFunc(a.callee(call), gincorsPath, "DefaultConfig") && len(call.Args) == 0 {
			b = newBuilt(use.Pos())
			b.cfg = gincors.DefaultConfig()
		} else if lit, ok := init.(*ast.CompositeLit); ok && isNamed(info.TypeOf(lit), gincorsPath, "Config") {
			b = newBuilt(use.Pos())
			if !a.applyLiteral(b, lit) {
				return nil
			}
		} else {
			return nil
		}
	}
	// Apply "cfg.Field = constant" statements between the declaration and
	// the use; any other mention of cfg there means it is not known.
	allowed := map[*ast.Ident]bool{}
	for _, s := range block.List {
		if s.Pos() <= declStmt.Pos() || s.Pos() >= useStmt.Pos() {
			continue
		}
		as, ok := s.(*ast.AssignStmt)
		if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
			continue
		}
		sel, ok := as.Lhs[0].(*ast.SelectorExpr)
		if !ok {
			continue
		}
		if x, ok := sel.X.(*ast.Ident); ok && info.Uses[x] == obj {
			if !a.setField(b, sel.Sel.Name, as.Rhs[0]) {
				return nil
			}
			allowed[x] = true
		}
	}
	known := true
	ast.Inspect(body, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok || info.Uses[id] != obj || allowed[id] || id == use {
			return true
		}
		// Any other mention before the use, or inside a function literal
		// (which may run at any time), means cfg is not known.
		if id.Pos() < use.Pos() || enclosingFunc(file, id.Pos()) != fn {
			known = false
		}
		return true
	})
	if !known {
		return nil
	}
	return b
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

// setField sets the field name of b's Config from the constant e, and
// reports whether it could.
func (a *checker) setField(b *builtConfig, name string, e ast.Expr) bool {
	f := reflect.ValueOf(&b.cfg).Elem().FieldByName(name)
	if !f.IsValid() || !f.CanSet() {
		return false
	}
	b.pos[name] = e.Pos()
	delete(b.elt, name)
	switch name {
	case "Logger", "OnRejected":
		return true // never judged: any value is accepted
	}
	if a.isNil(e) {
		f.Set(reflect.Zero(f.Type()))
		return true
	}
	switch f.Kind() {
	case reflect.Bool:
		tv := a.pass.TypesInfo.Types[e]
		if tv.Value == nil || tv.Value.Kind() != constant.Bool {
			return false
		}
		f.SetBool(constant.BoolVal(tv.Value))
	case reflect.Int, reflect.Int64:
		v, ok := a.constInt(e)
		if !ok {
			return false
		}
		if f.Type() == reflect.TypeOf(time.Duration(0)) {
			f.Set(reflect.ValueOf(time.Duration(v)))
		} else {
			f.SetInt(v)
		}
	case reflect.Slice:
		if f.Type().Elem().Kind() != reflect.String {
			return false
		}
		lit, ok := ast.Unparen(e).(*ast.CompositeLit)
		if !ok {
			return false
		}
		var vals []string
		var pos []token.Pos
		for _, el := range lit.Elts {
			s, ok := a.constString(el)
			if !ok {
				return false
			}
			vals = append(vals, s)
			pos = append(pos, el.Pos())
		}
		f.Set(reflect.ValueOf(vals))
		b.elt[name] = pos
	case reflect.Func:
		// Only its presence is judged: a function literal or a declared
		// function is certainly not nil.
		if !a.isFuncValue(e) {
			return false
		}
		f.Set(reflect.MakeFunc(f.Type(), func(args []reflect.Value) []reflect.Value {
			out := make([]reflect.Value, f.Type().NumOut())
			for i := range out {
				out[i] = reflect.Zero(f.Type().Out(i))
			}
			return out
		}))
	default:
		return false // AllowOriginMatcher and anything new: not judged
	}
	return true
}

func (a *checker) isNil(e ast.Expr) bool {
	return a.pass.TypesInfo.Types[ast.Unparen(e)].IsNil()
}

// isFuncValue reports whether e is a function literal or names a
// declared function.
func (a *checker) isFuncValue(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.FuncLit:
		return true
	case *ast.Ident:
		_, ok := a.pass.TypesInfo.Uses[e].(*types.Func)
		return ok
	case *ast.SelectorExpr:
		_, ok := a.pass.TypesInfo.Uses[e.Sel].(*types.Func)
		return ok
	}
	return false
}

// constantInt64 and constantString read constants of the right kind.
func constantInt64(v constant.Value) (int64, bool) {
	if v.Kind() != constant.Int {
		return 0, false
	}
	return constant.Int64Val(v)
}

func constantString(v constant.Value) (string, bool) {
	if v.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(v), true
}
