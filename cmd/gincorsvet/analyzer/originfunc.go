package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ast/inspector"

	"golang.org/x/tools/go/analysis"
)

// This file is the origin-func check. An origin function that decides
// with strings.HasPrefix, HasSuffix or Contains on the origin, or that
// returns true whatever the origin, is reported with a concrete origin it
// lets in that its author did not mean. Only a decision the function makes
// alone is judged: a condition joined with && (which may narrow it) or any
// other code around it makes the function unknown, and unknown says
// nothing.

// originFuncFields are the Config fields holding origin functions, with
// the index of the origin parameter.
var originFuncFields = map[string]int{
	"AllowOriginFunc":            0,
	"AllowOriginWithContextFunc": 1,
}

// originConfigTypes are the configs whose origin functions are judged:
// gincors's, and gin-contrib/cors's, whose fields have the same names.
var originConfigTypes = [][2]string{{gincorsPath, "Config"}, {contribPath, "Config"}}

func (a *checker) isOriginConfig(t types.Type) bool {
	for _, c := range originConfigTypes {
		if isNamed(t, c[0], c[1]) {
			return true
		}
	}
	return false
}

// checkOriginFuncs finds origin functions set in Config literals and by
// "cfg.AllowOriginFunc = ..." assignments.
func (a *checker) checkOriginFuncs(ins *inspector.Inspector) {
	ins.Preorder([]ast.Node{(*ast.CompositeLit)(nil), (*ast.AssignStmt)(nil)}, func(n ast.Node) {
		if a.inTestFile(n.Pos()) {
			return
		}
		switch n := n.(type) {
		case *ast.CompositeLit:
			if !a.isOriginConfig(a.pass.TypesInfo.TypeOf(n)) {
				return
			}
			creds := credentialsUnknown
			for _, e := range n.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "AllowCredentials" {
						creds = a.credentials(kv.Value)
					}
				}
			}
			if creds == credentialsUnknown {
				creds = credentialsOff // a literal without the field: false
			}
			for _, e := range n.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					if id, ok := kv.Key.(*ast.Ident); ok {
						if param, ok := originFuncFields[id.Name]; ok {
							a.checkOriginFunc(kv.Value, param, creds)
						}
					}
				}
			}
		case *ast.AssignStmt:
			if len(n.Lhs) != 1 || len(n.Rhs) != 1 {
				return
			}
			sel, ok := n.Lhs[0].(*ast.SelectorExpr)
			if !ok || !a.isOriginConfig(a.pass.TypesInfo.TypeOf(sel.X)) {
				return
			}
			if param, ok := originFuncFields[sel.Sel.Name]; ok {
				a.checkOriginFunc(n.Rhs[0], param, credentialsUnknown)
			}
		}
	})
}

// credentials is what is known of AllowCredentials.
type credentials int

const (
	credentialsUnknown credentials = iota
	credentialsOff
	credentialsOn
)

func (a *checker) credentials(e ast.Expr) credentials {
	tv := a.pass.TypesInfo.Types[e]
	if tv.Value == nil {
		return credentialsUnknown
	}
	if tv.Value.ExactString() == "true" {
		return credentialsOn
	}
	return credentialsOff
}

// checkOriginFunc judges the origin function e.
func (a *checker) checkOriginFunc(e ast.Expr, param int, creds credentials) {
	var ftype *ast.FuncType
	var body *ast.BlockStmt
	switch f := ast.Unparen(e).(type) {
	case *ast.FuncLit:
		ftype, body = f.Type, f.Body
	case *ast.Ident:
		fn, ok := a.pass.TypesInfo.Uses[f].(*types.Func)
		if !ok || a.decls[fn] == nil {
			return
		}
		ftype, body = a.decls[fn].Type, a.decls[fn].Body
	default:
		return
	}
	var params []*ast.Ident
	for _, field := range ftype.Params.List {
		params = append(params, field.Names...)
	}
	if param >= len(params) {
		return
	}
	origin, ok := a.pass.TypesInfo.Defs[params[param]].(*types.Var)
	if !ok {
		return
	}
	lets, ok := a.decide(body, origin)
	if !ok || lets == nil {
		return
	}
	severity := "a warning: without AllowCredentials scripts on that origin read only what any client may fetch, but still read responses meant for your own pages"
	switch creds {
	case credentialsOn:
		severity = "an error: with AllowCredentials, scripts on that origin read your users' responses with their cookies"
	case credentialsUnknown:
		severity = "an error if AllowCredentials is set (scripts on that origin read your users' responses with their cookies), a warning otherwise"
	}
	a.pass.Report(analysis.Diagnostic{
		Pos: lets.pos, End: lets.end, Category: catOriginFunc,
		Message: fmt.Sprintf("%s: %s lets in %s; this is %s; %s",
			catOriginFunc, lets.why, lets.origin, severity, lets.fix),
	})
}

// letsIn is an origin the function allows that its author did not mean.
type letsIn struct {
	pos, end token.Pos
	why      string // the decision, as written
	origin   string // a concrete origin it allows, quoted
	fix      string
}

// decide judges an origin function body. It understands bodies made of
// "if cond { return true }" statements and a final "return cond" or
// "return false", where each cond is a || of terms; a term that is
// strings.HasPrefix/HasSuffix/Contains(origin, constant) is judged, and
// any term it cannot judge is fine as long as it is a plain expression.
// It returns ok false for anything else.
func (a *checker) decide(body *ast.BlockStmt, origin *types.Var) (*letsIn, bool) {
	if len(body.List) == 0 {
		return nil, false
	}
	var found *letsIn
	for i, s := range body.List {
		last := i == len(body.List)-1
		switch s := s.(type) {
		case *ast.IfStmt:
			if last || s.Init != nil || s.Else != nil || len(s.Body.List) != 1 {
				return nil, false
			}
			ret, ok := s.Body.List[0].(*ast.ReturnStmt)
			if !ok || len(ret.Results) != 1 {
				return nil, false
			}
			// "if cond { return false }" may exclude the look-alike: only
			// conditions that let origins in are judged.
			if !a.isTrue(ret.Results[0]) {
				return nil, false
			}
			if l := a.judgeDisjunction(s.Cond, origin); l != nil && found == nil {
				found = l
			}
		case *ast.ReturnStmt:
			if !last || len(s.Results) != 1 {
				return nil, false
			}
			switch {
			case a.isTrue(s.Results[0]):
				// A body that is only "return true" lets every origin in;
				// after other statements it is not judged.
				if i == 0 {
					return &letsIn{
						pos: s.Pos(), end: s.End(), why: "returning true for every origin",
						origin: `"https://evil.example" (every website)`,
						fix:    "list the origins in AllowOrigins instead, or compare the origin with ==",
					}, true
				}
				return nil, false // "if x { return false }; return true": not judged
			case a.isFalse(s.Results[0]):
			default:
				if l := a.judgeDisjunction(s.Results[0], origin); l != nil && found == nil {
					found = l
				}
			}
		default:
			return nil, false
		}
	}
	return found, true
}

func (a *checker) isTrue(e ast.Expr) bool {
	tv := a.pass.TypesInfo.Types[e]
	return tv.Value != nil && tv.Value.ExactString() == "true"
}

func (a *checker) isFalse(e ast.Expr) bool {
	tv := a.pass.TypesInfo.Types[e]
	return tv.Value != nil && tv.Value.ExactString() == "false"
}

// judgeDisjunction judges each term of a || chain that is a strings
// call on the origin; the first one that lets in a look-alike is returned.
func (a *checker) judgeDisjunction(cond ast.Expr, origin *types.Var) *letsIn {
	cond = ast.Unparen(cond)
	if b, ok := cond.(*ast.BinaryExpr); ok && b.Op == token.LOR {
		if l := a.judgeDisjunction(b.X, origin); l != nil {
			return l
		}
		return a.judgeDisjunction(b.Y, origin)
	}
	call, ok := cond.(*ast.CallExpr)
	if !ok || len(call.Args) != 2 {
		return nil
	}
	fn := a.callee(call)
	if !isFunc(fn, "strings", "HasPrefix", "HasSuffix", "Contains") {
		return nil
	}
	if id, ok := ast.Unparen(call.Args[0]).(*ast.Ident); !ok || a.pass.TypesInfo.Uses[id] != origin {
		return nil
	}
	lit, ok := a.constString(call.Args[1])
	if !ok {
		return nil
	}
	written, _ := a.source(call)
	if written == "" {
		written = "strings." + fn.Name()
	}
	var cex []string
	var fix string
	switch fn.Name() {
	case "HasPrefix":
		cex, fix = prefixLookalikes(lit)
	case "HasSuffix":
		cex, fix = suffixLookalikes(lit)
	case "Contains":
		cex, fix = containsLookalikes(lit)
	}
	if len(cex) == 0 {
		return nil
	}
	quotedList := make([]string, len(cex))
	for i, c := range cex {
		quotedList[i] = quoted(c)
	}
	return &letsIn{pos: call.Pos(), end: call.End(), why: written,
		origin: strings.Join(quotedList, " and "), fix: fix}
}

// lookalikeHost is the registrable domain the counterexamples use.
const lookalikeHost = "evil.example"

// prefixLookalikes returns origins that start with p that its author did
// not mean, and the fix. p must be a scheme and an exact host, optionally
// with a port; a prefix ending in ":" (any port) or "://" (any host) is
// judged as what it says.
func prefixLookalikes(p string) ([]string, string) {
	scheme, rest, ok := strings.Cut(p, "://")
	if !ok || scheme == "" || !isSchemeLike(scheme) {
		return nil, ""
	}
	switch {
	case rest == "":
		return []string{scheme + "://" + lookalikeHost}, fmt.Sprintf("%q lets in every %s origin; list the origins in AllowOrigins", p, scheme)
	case strings.HasSuffix(rest, ":"):
		return nil, "" // any port of one host: what it says
	}
	host, port, hasPort := strings.Cut(rest, ":")
	if strings.ContainsAny(host, "/?#@[]") || strings.ContainsAny(port, "/?#@:") || !isHostLike(host) {
		return nil, "" // an IPv6 literal, a path or a typo: matches nothing or is not judged
	}
	exact := p
	var cex string
	if hasPort {
		if port == "" || strings.Trim(port, "0123456789") != "" {
			return nil, ""
		}
		cex = ""
		for _, d := range "1234567890" {
			if n, err := strconv.Atoi(port + string(d)); err == nil && n <= 65535 {
				cex = p + string(d) // another port of the same host
				break
			}
		}
		if cex == "" {
			return nil, ""
		}
	} else if strings.HasSuffix(host, ".") || strings.HasSuffix(host, "-") {
		cex = p + "evil.example"
	} else {
		cex = p + "." + lookalikeHost
	}
	if !wellFormedOrigin(cex) {
		return nil, ""
	}
	fix := fmt.Sprintf("compare with == %q, or list it in AllowOrigins (%q allows every port)", exact, scheme+"://"+host+":*")
	if strings.HasSuffix(host, ".") {
		fix = "list the origins in AllowOrigins, or match the host with net/url and compare it exactly"
	}
	return []string{cex}, fix
}

// suffixLookalikes returns origins that end with s that its author did
// not mean, and the fix.
func suffixLookalikes(s string) ([]string, string) {
	if strings.Contains(s, "://") || strings.ContainsAny(s, "/?#@[]") {
		return nil, ""
	}
	host, port, hasPort := strings.Cut(s, ":")
	if hasPort && (port == "" || strings.Trim(port, "0123456789") != "") {
		return nil, ""
	}
	if host == "" {
		if !hasPort {
			return nil, ""
		}
		cex := "https://" + lookalikeHost + s
		return []string{cex}, "a suffix of only a port lets in every host on it; list the origins in AllowOrigins"
	}
	if !isHostLike(strings.TrimPrefix(host, ".")) {
		return nil, ""
	}
	if strings.HasPrefix(host, ".") {
		domain := strings.TrimPrefix(host, ".")
		// Any scheme, and any depth of subdomain.
		cex := []string{"http://evil" + s, "https://a.b" + s}
		for _, c := range cex {
			if !wellFormedOrigin(c) {
				return nil, ""
			}
		}
		return cex, fmt.Sprintf("list %q in AllowOrigins (https only, with the subdomains you mean), or parse the origin with net/url and check its scheme too", "https://*."+domain)
	}
	cex := "https://evil" + s
	if !wellFormedOrigin(cex) {
		return nil, ""
	}
	return []string{cex}, fmt.Sprintf("the suffix does not start at a dot, so any domain ending in %q matches; list the origins in AllowOrigins", s)
}

// containsLookalikes returns origins that contain sub that its author did
// not mean, and the fix.
func containsLookalikes(sub string) ([]string, string) {
	var cex string
	scheme, rest, hasScheme := strings.Cut(sub, "://")
	switch {
	case hasScheme && scheme == "":
		cex = "https" + sub
	case hasScheme && isSchemeLike(scheme):
		cex = sub
	case hasScheme:
		return nil, ""
	default:
		rest = sub
		cex = "https://" + sub
	}
	if strings.ContainsAny(rest, "/?#@[]") || rest == "" {
		return nil, ""
	}
	host, port, hasPort := strings.Cut(rest, ":")
	if hasPort {
		if port == "" || strings.Trim(port, "0123456789") != "" || !isHostLike(host) {
			return nil, ""
		}
		// "example.com:8080" inside: another host ending in it.
		cex = strings.Replace(cex, rest, "evil"+rest, 1)
	} else {
		if !isHostLike(strings.Trim(host, ".")) {
			return nil, ""
		}
		if strings.HasSuffix(host, ".") {
			cex += lookalikeHost
		} else {
			cex += "." + lookalikeHost
		}
	}
	if !wellFormedOrigin(cex) || !strings.Contains(cex, sub) {
		return nil, ""
	}
	return []string{cex}, "an origin contains the text anywhere in its host; list the origins in AllowOrigins, or compare with =="
}

// isSchemeLike reports whether s can be a URL scheme.
func isSchemeLike(s string) bool {
	for i, c := range s {
		if !('a' <= c && c <= 'z' || i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return s != ""
}

// isHostLike reports whether s is made of host characters (letters,
// digits, '-' and '.'), lower case as browsers send it.
func isHostLike(s string) bool {
	for _, c := range s {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return s != ""
}

// wellFormedOrigin reports whether s is an origin a browser could send:
// a scheme, a host and an optional port, nothing else.
func wellFormedOrigin(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil || u.Opaque != "" {
		return false
	}
	host := u.Hostname()
	for _, label := range strings.Split(host, ".") {
		if label == "" || len(label) > 63 || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return false
		}
	}
	return u.Scheme+"://"+u.Host == s
}
