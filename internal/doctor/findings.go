package doctor

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/gincors/gincors/internal/fetchspec"
)

// Finding codes. The first ones are issue 21's; redirect-without-cors and
// model-disagrees are added.
const (
	CodePreflightNotOK          = "preflight-not-ok"
	CodePreflightRedirect       = "preflight-redirect"
	CodeAllowOriginMissing      = "allow-origin-missing"
	CodeAllowOriginMismatch     = "allow-origin-mismatch"
	CodeAllowOriginMultiple     = "allow-origin-multiple"
	CodeWildcardWithCredentials = "wildcard-with-credentials"
	CodeAllowCredentialsMissing = "allow-credentials-missing"
	CodeMethodNotAllowed        = "method-not-allowed"
	CodeHeaderNotAllowed        = "header-not-allowed"
	CodeAuthorizationWildcard   = "authorization-wildcard"
	CodeVaryOriginMissing       = "vary-origin-missing"
	CodeMaxAgeCapped            = "max-age-capped"
	CodeHeaderNotExposed        = "header-not-exposed"
	CodeErrorStatusWithoutCORS  = "error-status-without-cors"
	CodeRedirectWithoutCORS     = "redirect-without-cors"
	CodeReflectsAnyOrigin       = probeUnrelated
	CodeAllowsNullOrigin        = probeNull
	CodeAllowsLookalikeOrigin   = probeLookalike
	CodeAllowsInsecureOrigin    = probeInsecure
	CodeLocalNetwork            = "local-network"
	CodeModelDisagrees          = "model-disagrees"
)

// gincorsInstall is the Gin wiring every fix that concerns an answer
// without CORS headers points to.
const gincorsInstall = "install gincors on the engine, before the routes and before authentication: router.Use(gincors.New(cfg), auth) (gincors.ByPath for per-path policies)"

// accessFixes are the fixes of the CORS-check failures.
var accessFixes = map[Failure]struct{ code, message, fix string }{
	FailAllowOriginMissing: {CodeAllowOriginMissing,
		"The answer has no Access-Control-Allow-Origin: the CORS code never ran for it, or refused the origin.",
		"Answer with Access-Control-Allow-Origin set to the page's origin. gincors: add the origin to Config.AllowOrigins and " + gincorsInstall + "."},
	FailAllowOriginMismatch: {CodeAllowOriginMismatch,
		"Access-Control-Allow-Origin names another origin than the page's.",
		"Echo the request's origin when it is allowed, never a fixed other value (scheme, host and port must match, without a trailing slash). gincors: list the exact origin in Config.AllowOrigins; it echoes it."},
	FailAllowOriginMultiple: {CodeAllowOriginMultiple,
		"Access-Control-Allow-Origin has several values: two layers (a proxy, CDN or gateway and the app) each add it, or a list was configured as one value.",
		"Let exactly one layer answer CORS: remove the add_header/gateway CORS rule, or the app's middleware. gincors: keep gincors and remove the proxy's Access-Control-* headers (or drop gincors and let the proxy answer)."},
	FailWildcardCredentials: {CodeWildcardWithCredentials,
		"Access-Control-Allow-Origin is * but the call sends credentials: browsers never accept * with credentials.",
		"Echo the allowed origin instead of *. gincors: list the origins in Config.AllowOrigins with AllowCredentials: true (gincors refuses * with credentials at start-up)."},
	FailCredentialsMissing: {CodeAllowCredentialsMissing,
		"The call sends credentials, but the answer lacks Access-Control-Allow-Credentials: true.",
		"Answer Access-Control-Allow-Credentials: true for the allowed origins. gincors: Config.AllowCredentials: true."},
}

// specAccess is the Fetch standard's CORS check
// (https://fetch.spec.whatwg.org/#cors-check), which findings follow
// rather than any one engine.
func specAccess(h http.Header, origin string, credentials bool) (Failure, string) {
	lines := h.Values("Access-Control-Allow-Origin")
	joined := strings.Join(lines, ", ")
	switch {
	case len(lines) == 0:
		return FailAllowOriginMissing, ""
	case len(lines) > 1 || strings.Contains(joined, ","):
		return FailAllowOriginMultiple, joined
	case joined == "*" && credentials:
		return FailWildcardCredentials, joined
	case joined == "*":
		return "", ""
	case joined != origin:
		return FailAllowOriginMismatch, joined
	case credentials && strings.Join(h.Values("Access-Control-Allow-Credentials"), ", ") != "true":
		return FailCredentialsMissing, h.Get("Access-Control-Allow-Credentials")
	}
	return "", ""
}

// allEngines lists every engine's ID.
func allEngines() []string {
	out := make([]string, 0, len(Engines))
	for _, e := range Engines {
		out = append(out, e.ID)
	}
	return out
}

// blockedAt lists the engines whose verdict fails at stage, or every
// engine if none does.
func (d *doctor) blockedAt(stage string) []string {
	var out []string
	for _, v := range d.report.Engines {
		if !v.Allowed && v.Stage == stage {
			out = append(out, v.Engine)
		}
	}
	if len(out) == 0 {
		return allEngines()
	}
	return out
}

func evidence(x *Exchange) string {
	return x.describe() + "; " + x.corsLines()
}

// findings derives the findings from the exchanges.
func (d *doctor) findings(ctx context.Context, pre *Exchange, actual []*Exchange, probes []probeResult) []Finding {
	c := d.opt.Call
	fs := []Finding{}
	add := func(f Finding) { fs = append(fs, f) }
	if pre != nil {
		fs = append(fs, d.preflightFindings(pre)...)
	}
	if d.report.ActualEvidence == EvidenceSent || d.report.ActualEvidence == EvidenceGET {
		for i, x := range actual {
			h := x.header()
			f, val := specAccess(h, x.RequestHeaders["Origin"], c.Credentials)
			last := i == len(actual)-1
			redirect := isRedirectStatus(x.Status) && h.Get("Location") != ""
			stage := StageActual
			if redirect {
				stage = StageRedirect
			}
			switch {
			case f == FailAllowOriginMissing && redirect:
				add(Finding{CodeRedirectWithoutCORS, SeverityError, d.blockedAt(StageRedirect),
					fmt.Sprintf("The request is answered with a %d redirect that carries no CORS header, so the browser stops there. Gin's RedirectTrailingSlash and RedirectFixedPath answer before any middleware runs.", x.Status),
					evidence(x),
					"Call the URL the redirect points to (" + h.Get("Location") + "), or give the redirect CORS headers. Gin: call the exact route path, or set router.RedirectTrailingSlash = false and register both forms."})
				continue
			case f == FailAllowOriginMissing && x.Status >= 400:
				fix := "Send the CORS headers on error answers too: run the CORS middleware before whatever answers the error (authentication, rate limiting, recovery). gincors: " + gincorsInstall + "; errors written after it keep its headers."
				if x.Status == http.StatusForbidden && x.Method != "GET" && x.Method != "HEAD" {
					fix += " A 403 to a cross-origin unsafe method is also what Go's http.CrossOriginProtection answers: add the page's origin with AddTrustedOrigin as well as to Config.AllowOrigins."
				}
				add(Finding{CodeErrorStatusWithoutCORS, SeverityError, d.blockedAt(stage),
					fmt.Sprintf("The answer is %d without CORS headers, so the browser reports a CORS error and hides the real status from the page.", x.Status),
					evidence(x), fix})
				continue
			case f != "":
				fx := accessFixes[f]
				msg := fx.message
				if val != "" {
					msg += " Value: " + strconv.Quote(val) + "."
				}
				add(Finding{fx.code, SeverityError, d.blockedAt(stage), msg, evidence(x), fx.fix})
				continue
			}
			if !last || redirect {
				continue
			}
			if acao := h.Get("Access-Control-Allow-Origin"); acao != "*" && !varyHasOrigin(h) {
				add(Finding{CodeVaryOriginMissing, SeverityWarning, allEngines(),
					"The answer names the page's origin in Access-Control-Allow-Origin but has no Vary: Origin, so a shared or browser cache can serve it to another origin, which then fails (or an attacker's page gets another origin's answer).",
					evidence(x),
					"Add Vary: Origin to every answer whose CORS headers depend on the origin, and append to Vary rather than overwrite it. gincors: it adds Vary: Origin itself; a middleware after it that calls c.Header(\"Vary\", ...) drops it (register such middleware, e.g. gzip, before gincors)."})
			}
			fs = append(fs, exposeFindings(c, x)...)
		}
	}
	fs = append(fs, probeFindings(probes)...)
	if f, ok := d.localNetwork(ctx); ok {
		add(f)
	}
	return fs
}

// varyHasOrigin reports whether Vary lists Origin or *.
func varyHasOrigin(h http.Header) bool {
	for _, v := range listValues(h, "Vary") {
		if strings.EqualFold(v, "origin") || v == "*" {
			return true
		}
	}
	return false
}

// preflightFindings judges the preflight's answer.
func (d *doctor) preflightFindings(pre *Exchange) []Finding {
	c := d.opt.Call
	h := pre.header()
	ev := evidence(pre)
	engines := d.blockedAt(StagePreflight)
	if isRedirectStatus(pre.Status) {
		return []Finding{{CodePreflightRedirect, SeverityError, engines,
			fmt.Sprintf("The preflight is answered with a %d redirect; a preflight may not be redirected, in any engine.", pre.Status),
			ev + "; Location: " + h.Get("Location"),
			"Call the final URL directly (" + h.Get("Location") + "): a trailing slash that differs from the route (Gin's RedirectTrailingSlash answers before any middleware), or http:// where the site redirects to https://. Gin: call the exact route path, or set router.RedirectTrailingSlash = false."}}
	}
	if pre.Status < 200 || pre.Status > 299 {
		who, fix := whoAnswered(pre.Status)
		return []Finding{{CodePreflightNotOK, SeverityError, engines,
			fmt.Sprintf("The preflight got %d, not an ok status (200-299): %s", pre.Status, who), ev, fix}}
	}
	if f, val := specAccess(h, c.Origin, c.Credentials); f != "" {
		fx := accessFixes[f]
		msg := fx.message
		if val != "" {
			msg += " Value: " + strconv.Quote(val) + "."
		}
		return []Finding{{fx.code, SeverityError, engines, "Preflight: " + msg, ev, fx.fix}}
	}
	var fs []Finding
	if !methodAllowed(c, h) {
		fs = append(fs, Finding{CodeMethodNotAllowed, SeverityError, engines,
			fmt.Sprintf("Access-Control-Allow-Methods does not list %s (method names are case-sensitive, except the six fetch() upper-cases).", c.Method),
			ev, fmt.Sprintf("List %s in Access-Control-Allow-Methods. gincors: add %q to Config.AllowMethods.", c.Method, c.Method)})
	}
	if name := chromiumModel.headerRefused(c, h); name != "" {
		fs = append(fs, Finding{CodeHeaderNotAllowed, SeverityError, engines,
			fmt.Sprintf("Access-Control-Allow-Headers does not list %s, which the page's script sets.", name),
			ev, fmt.Sprintf("List %s in Access-Control-Allow-Headers. gincors: add %q to Config.AllowHeaders.", name, name)})
	} else if authorizationUnderWildcard(c, h) {
		fs = append(fs, Finding{CodeAuthorizationWildcard, SeverityWarning, []string{Chromium, Firefox},
			"Authorization passes only because of * in Access-Control-Allow-Headers: it works today, Chromium and Firefox warn that it is deprecated, and the Fetch standard says * never covers Authorization (https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name).",
			ev, "Name Authorization explicitly in Access-Control-Allow-Headers. gincors: add \"Authorization\" to Config.AllowHeaders (gincors never lets * cover it)."})
	}
	if n, err := strconv.Atoi(strings.TrimSpace(h.Get("Access-Control-Max-Age"))); err == nil && n > 0 {
		if f, ok := maxAgeCapped(n, ev); ok {
			fs = append(fs, f)
		}
	}
	return fs
}

// maxAgeCapped is the finding for an Access-Control-Max-Age of n seconds
// that some engines keep for less: how long each keeps the preflight, how
// often it repeats it, and the one value every engine honours (the
// smallest cap), all read from the engine model.
func maxAgeCapped(n int, ev string) (Finding, bool) {
	var capped, keeps, repeats []string
	lowest := n
	for _, e := range Engines {
		lowest = min(lowest, e.MaxAgeCap)
		if n <= e.MaxAgeCap {
			continue
		}
		if len(capped) == 0 {
			keeps = append(keeps, fmt.Sprintf("%s keeps a preflight at most %d s", e.Name, e.MaxAgeCap))
			repeats = append(repeats, fmt.Sprintf("%s repeats this preflight every %s", e.Name, spokenSeconds(e.MaxAgeCap)))
		} else {
			keeps = append(keeps, fmt.Sprintf("%s at most %d s", e.Name, e.MaxAgeCap))
			repeats = append(repeats, fmt.Sprintf("%s every %s", e.Name, spokenSeconds(e.MaxAgeCap)))
		}
		capped = append(capped, e.ID)
	}
	switch len(capped) {
	case 0:
		return Finding{}, false
	case 1:
		repeats[0] = "it repeats this preflight every " + spokenSeconds(lowest)
	}
	return Finding{CodeMaxAgeCapped, SeverityInfo, capped,
		fmt.Sprintf("Access-Control-Max-Age is %d s; %s, so %s.", n, joinAnd(keeps), joinAnd(repeats)),
		ev, fmt.Sprintf("Nothing breaks. For one value every engine honours: Access-Control-Max-Age: %d. gincors: Config.MaxAge: %s.", lowest, goDuration(lowest))}, true
}

// spokenSeconds says a number of seconds the way a person would: "10
// minutes", "2 hours", "1 day".
func spokenSeconds(s int) string {
	for _, u := range []struct {
		name string
		size int
	}{{"day", 86400}, {"hour", 3600}, {"minute", 60}} {
		if s >= u.size && s%u.size == 0 {
			if s == u.size {
				return "1 " + u.name
			}
			return fmt.Sprintf("%d %ss", s/u.size, u.name)
		}
	}
	return fmt.Sprintf("%d seconds", s)
}

// goDuration writes seconds as the Go expression of a time.Duration a
// reader would write in a Config: 10 * time.Minute, 2 * time.Hour.
func goDuration(s int) string {
	switch {
	case s%3600 == 0:
		return fmt.Sprintf("%d * time.Hour", s/3600)
	case s%60 == 0:
		return fmt.Sprintf("%d * time.Minute", s/60)
	}
	return fmt.Sprintf("%d * time.Second", s)
}

// joinAnd joins parts as a sentence does: "a", "a and b", "a, b and c".
func joinAnd(parts []string) string {
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// whoAnswered guesses, from a preflight's status, what answered it, and
// the fix.
func whoAnswered(status int) (string, string) {
	switch {
	case status == 401 || status == 407:
		return "authentication answered it before CORS did (a preflight never carries credentials).",
			"Let preflights through before authentication: " + gincorsInstall + ", then the authentication middleware; gincors answers preflights itself and never calls the next handlers for them."
	case status == 403:
		return "either authentication or a firewall answered it before CORS did, or the CORS layer refused the origin, method or headers (gincors answers a refused preflight with 403 and no CORS header).",
			"If gincors answered: allow the origin (Config.AllowOrigins), method (Config.AllowMethods) and headers (Config.AllowHeaders); Config.Debug: true makes the browser console name the refused part. Otherwise " + gincorsInstall + "."
	case status == 429:
		return "a rate limiter answered it before CORS did.",
			"Exempt preflights (OPTIONS with Access-Control-Request-Method) from rate limiting, or run the limiter after CORS: " + gincorsInstall + "; Config.MaxAge lets browsers cache preflights and send fewer."
	case status == 404 || status == 405:
		return "the router answered it: the CORS middleware never saw it (a Gin group's middleware does not run for a path without an OPTIONS route).",
			"Gin: " + gincorsInstall + " (engine.Use runs for unmatched routes too, group.Use does not); no OPTIONS route is needed."
	case status >= 500:
		return "the server or a proxy failed on it (a crash, or an upstream error).",
			"Read the server's log for the OPTIONS request (gin.Recovery logs panics); a handler must not assume a body or credentials on OPTIONS. gincors answers preflights before any handler runs."
	}
	return "something before the CORS code answered it.",
		"Make the CORS middleware answer preflights: " + gincorsInstall + "."
}

// safelistedResponseHeaders are readable without
// Access-Control-Expose-Headers
// (https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name).
var safelistedResponseHeaders = []string{"cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma"}

// exposeFindings checks each header the script reads against
// Access-Control-Expose-Headers.
func exposeFindings(c Call, x *Exchange) []Finding {
	h := x.header()
	exposed := listValues(h, "Access-Control-Expose-Headers")
	var fs []Finding
	for _, name := range c.ReadHeaders {
		switch {
		case containsFold(safelistedResponseHeaders, name):
		case fetchspec.IsForbiddenResponseHeader(name):
			fs = append(fs, Finding{CodeHeaderNotExposed, SeverityError, allEngines(),
				name + " is never readable by a script, whatever the server says.", evidence(x),
				"Read the cookie's effect another way (an API response field); browsers manage cookies themselves."})
		case containsFold(exposed, name), contains(exposed, "*") && !c.Credentials:
		default:
			fs = append(fs, Finding{CodeHeaderNotExposed, SeverityError, allEngines(),
				fmt.Sprintf("The script reads %s, but Access-Control-Expose-Headers does not list it, so it reads null.", name), evidence(x),
				fmt.Sprintf("List %s in Access-Control-Expose-Headers. gincors: add %q to Config.ExposeHeaders.", name, name)})
		}
	}
	return fs
}

var probeMessages = map[string]struct{ message, fix string }{
	CodeReflectsAnyOrigin: {"The server allows an unrelated origin: it reflects any Origin into Access-Control-Allow-Origin.",
		"Allow a fixed list of origins. gincors: list them in Config.AllowOrigins (or a wildcard such as https://*.example.com); an AllowOriginFunc that returns true for everything is the same hole."},
	CodeAllowsNullOrigin: {"The server allows the origin null, which any page can take on (a sandboxed iframe, a data: document).",
		"Never allow null. gincors: remove \"null\" and DangerouslyAllowNullOrigin."},
	CodeAllowsLookalikeOrigin: {"The server allows a look-alike of the page's origin: its origin check is a string prefix or suffix match.",
		"Compare whole origins, or match subdomains at a dot boundary. gincors: Config.AllowOrigins with exact origins or https://*.example.com, which matches at label boundaries; avoid strings.HasPrefix/HasSuffix in AllowOriginFunc."},
	CodeAllowsInsecureOrigin: {"The server allows the page's http:// twin: anyone on the network path can serve a page from it and read the answers.",
		"Allow only https:// origins in production. gincors: remove the http:// origin (and DangerouslyAllowInsecureOrigins)."},
}

// probeFindings turns allowed probe origins into findings, one per code:
// errors when the probe's answer allows credentials too, warnings
// otherwise. An unrelated origin being allowed implies the look-alikes and
// the insecure twin, which are then not reported again.
func probeFindings(probes []probeResult) []Finding {
	type agg struct {
		evidence []string
		creds    bool
	}
	seen := map[string]*agg{}
	for _, p := range probes {
		if !p.allowed() {
			continue
		}
		a := seen[p.probe.code]
		if a == nil {
			a = &agg{}
			seen[p.probe.code] = a
		}
		a.evidence = append(a.evidence, evidence(p.x)+" ("+p.probe.why+")")
		a.creds = a.creds || p.withCredentials()
	}
	if seen[CodeReflectsAnyOrigin] != nil {
		delete(seen, CodeAllowsLookalikeOrigin)
		delete(seen, CodeAllowsInsecureOrigin)
	}
	var fs []Finding
	for _, code := range []string{CodeReflectsAnyOrigin, CodeAllowsNullOrigin, CodeAllowsLookalikeOrigin, CodeAllowsInsecureOrigin} {
		a := seen[code]
		if a == nil {
			continue
		}
		sev, msg := SeverityWarning, probeMessages[code].message+" Without credentials a page there reads only what anyone can fetch."
		if a.creds {
			sev, msg = SeverityError, probeMessages[code].message+" With Access-Control-Allow-Credentials: true, a page there reads the user's data."
		}
		fs = append(fs, Finding{code, sev, allEngines(), msg, strings.Join(a.evidence, " | "), probeMessages[code].fix})
	}
	return fs
}

// localNetwork reports a public page calling a private or loopback
// address, which needs the user's Local Network Access permission in
// Chromium and Firefox.
func (d *doctor) localNetwork(ctx context.Context) (Finding, bool) {
	if !d.remoteIP.IsValid() || isPublic(d.remoteIP) || d.opt.Origin == "null" {
		return Finding{}, false
	}
	u, err := url.Parse(d.opt.Origin)
	if err != nil {
		return Finding{}, false
	}
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil {
		addrs = []netip.Addr{a}
	} else if u.Hostname() == "localhost" || strings.HasSuffix(u.Hostname(), ".localhost") {
		return Finding{}, false
	} else {
		lookup := d.opt.LookupIP
		if lookup == nil {
			lookup = func(ctx context.Context, host string) ([]netip.Addr, error) {
				return netDefaultLookup(ctx, host)
			}
		}
		addrs, err = lookup(ctx, u.Hostname())
		if err != nil || len(addrs) == 0 {
			return Finding{}, false
		}
	}
	for _, a := range addrs {
		if !isPublic(a.Unmap()) {
			return Finding{}, false
		}
	}
	var engines []string
	for _, e := range Engines {
		if e.LocalNetworkAccess {
			engines = append(engines, e.ID)
		}
	}
	return Finding{CodeLocalNetwork, SeverityWarning, engines,
		fmt.Sprintf("The page's origin is public (%s) and the server's address is %s: Chromium (142+) and Firefox (153+) ask the user for Local Network Access permission first; denied, the call fails as a plain network error with no CORS message.", addrs[0], d.remoteIP),
		fmt.Sprintf("connected to %s for %s", d.remoteIP, d.opt.URL),
		"Not a CORS problem: gincors cannot grant it. Serve the API on a public address, serve the page from the local network, or have users allow the prompt."}, true
}

// isPublic reports whether a is neither loopback, private, link-local nor
// unspecified.
func isPublic(a netip.Addr) bool {
	return !(a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsUnspecified())
}

// netDefaultLookup resolves host with the system's resolver.
func netDefaultLookup(ctx context.Context, host string) ([]netip.Addr, error) {
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}
