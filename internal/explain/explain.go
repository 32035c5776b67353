// Package explain is `gincors explain`: it reads a CORS console message
// pasted from Chromium (current and older wordings), Firefox or Safari
// (WebKit), names the engine and the failure class, and lists the causes,
// most likely first, each with its fix, and the `gincors doctor` command
// line that would confirm it.
package explain

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Failure classes. They are the doctor's finding codes where one fits.
const (
	ClassPreflightNotOK          = "preflight-not-ok"
	ClassPreflightRedirect       = "preflight-redirect"
	ClassAllowOriginMissing      = "allow-origin-missing"
	ClassAllowOriginMismatch     = "allow-origin-mismatch"
	ClassAllowOriginNotAllowed   = "allow-origin-missing-or-mismatch" // WebKit words both alike
	ClassAllowOriginMultiple     = "allow-origin-multiple"
	ClassWildcardWithCredentials = "wildcard-with-credentials"
	ClassAllowCredentialsMissing = "allow-credentials-missing"
	ClassMethodNotAllowed        = "method-not-allowed"
	ClassHeaderNotAllowed        = "header-not-allowed"
	ClassRedirectNotAllowed      = "redirect-not-allowed"
	ClassNoResponse              = "no-response"
	ClassLocalNetwork            = "local-network"
	ClassPageSideError           = "page-side-error" // "Failed to fetch" and its kin: the console says more
	ClassUnknown                 = "unknown"
)

// Cause is one possible cause of the failure, with its fix.
type Cause struct {
	Cause string `json:"cause"`
	Fix   string `json:"fix"`
	// NotCORS marks a cause no CORS header can fix.
	NotCORS bool `json:"not_cors,omitempty"`
}

// Explanation is what a console message says.
type Explanation struct {
	// Engine is chromium, firefox, webkit, or "" when the text does not
	// tell.
	Engine string `json:"engine"`
	Class  string `json:"class"`
	// Summary says what the engine refused, in one sentence.
	Summary string `json:"summary"`
	// What the message quotes, when it does.
	URL    string `json:"url,omitempty"`
	Origin string `json:"origin,omitempty"`
	Status int    `json:"status,omitempty"`
	Method string `json:"method,omitempty"`
	Header string `json:"header,omitempty"`
	Value  string `json:"value,omitempty"`
	// Preflight says the message is about a preflight.
	Preflight bool `json:"preflight"`
	// Causes are the likely causes, most likely first.
	Causes []Cause `json:"causes"`
	// Doctor is the `gincors doctor` command line that would confirm the
	// cause.
	Doctor string `json:"doctor"`

	// headerPassed says the wording is one an engine uses only after the
	// answer passed its Access-Control-Allow-Origin check.
	headerPassed bool
}

// statusAfterAccess are the preflight status wordings of engines that
// check Access-Control-Allow-Origin before the status: current Chromium
// (CheckPreflightAccess) and Firefox (CheckRequestApproved runs first);
// internal/doctor's engine model cites the sources and the e2e suite
// checks it in the real engines. WebKit, and Chromium before 2018, check
// the status first.
var statusAfterAccess = regexp.MustCompile(`It does not have HTTP ok status|CORS preflight response did not succeed`)

// pattern recognises one wording.
type pattern struct {
	engine string
	class  string
	re     *regexp.Regexp
}

// q matches either a typographic or an ASCII quote, as Firefox's messages
// come with either depending on where they were copied from.
const q = `[‘’'"]`

// patterns are tried in order; the first match wins. Engine-specific
// prefixes (which name the URL and origin) are read separately.
var patterns = []pattern{
	// Chromium (cors_error_string.cc), current and older wordings.
	{"chromium", ClassPreflightRedirect, regexp.MustCompile(`Redirect is not allowed for a preflight request|Response for preflight is invalid \(redirect\)`)},
	{"chromium", ClassPreflightNotOK, regexp.MustCompile(`It does not have HTTP ok status|Response for preflight has invalid HTTP status code (\d+)|Response for preflight does not have HTTP ok status`)},
	{"chromium", ClassAllowOriginMultiple, regexp.MustCompile(`'Access-Control-Allow-Origin' header contains multiple values '([^']*)'`)},
	{"chromium", ClassAllowOriginMismatch, regexp.MustCompile(`'Access-Control-Allow-Origin' header has a value '([^']*)' that is not equal to the supplied origin|'Access-Control-Allow-Origin' header contains the invalid value '([^']*)'`)},
	{"chromium", ClassWildcardWithCredentials, regexp.MustCompile(`must not be the wildcard '\*' when the request's credentials mode is 'include'|A wildcard '\*' cannot be used in the 'Access-Control-Allow-Origin' header when the credentials flag is true`)},
	{"chromium", ClassAllowCredentialsMissing, regexp.MustCompile(`'Access-Control-Allow-Credentials' header in the response is '([^']*)' which must be 'true'`)},
	{"chromium", ClassMethodNotAllowed, regexp.MustCompile(`Method (\S+) is not allowed by Access-Control-Allow-Methods in preflight response`)},
	{"chromium", ClassHeaderNotAllowed, regexp.MustCompile(`Request header field (\S+) is not allowed by Access-Control-Allow-Headers in preflight response`)},
	{"chromium", ClassAllowOriginMissing, regexp.MustCompile(`No 'Access-Control-Allow-Origin' header is present on the requested resource`)},
	{"chromium", ClassLocalNetwork, regexp.MustCompile(`(?i)address space|Private Network Access|local network access|loopback`)},
	// Firefox (security.properties).
	{"firefox", ClassAllowOriginMissing, regexp.MustCompile(`CORS header ` + q + `Access-Control-Allow-Origin` + q + ` missing`)},
	{"firefox", ClassAllowOriginMismatch, regexp.MustCompile(`CORS header ` + q + `Access-Control-Allow-Origin` + q + ` does not match ` + q + `([^‘’'"]*)` + q)},
	{"firefox", ClassAllowOriginMultiple, regexp.MustCompile(`Multiple CORS header ` + q + `Access-Control-Allow-Origin` + q + ` not allowed`)},
	{"firefox", ClassWildcardWithCredentials, regexp.MustCompile(`Credential is not supported if the CORS header ` + q + `Access-Control-Allow-Origin` + q + ` is ` + q + `\*` + q)},
	{"firefox", ClassAllowCredentialsMissing, regexp.MustCompile(`expected ` + q + `true` + q + ` in CORS header ` + q + `Access-Control-Allow-Credentials` + q)},
	{"firefox", ClassPreflightNotOK, regexp.MustCompile(`CORS preflight response did not succeed`)},
	{"firefox", ClassMethodNotAllowed, regexp.MustCompile(`Did not find method in CORS header ` + q + `Access-Control-Allow-Methods` + q)},
	{"firefox", ClassHeaderNotAllowed, regexp.MustCompile(`header ` + q + `([^‘’'"]+)` + q + ` is not allowed according to header ` + q + `Access-Control-Allow-Headers` + q + `|missing token ` + q + `([^‘’'"]+)` + q + ` in CORS header ` + q + `Access-Control-Allow-Headers` + q)},
	{"firefox", ClassRedirectNotAllowed, regexp.MustCompile(`CORS request external redirect not allowed`)},
	{"firefox", ClassNoResponse, regexp.MustCompile(`CORS request did not succeed`)},
	// WebKit (CrossOriginAccessControl.cpp).
	{"webkit", ClassAllowOriginMultiple, regexp.MustCompile(`Access-Control-Allow-Origin cannot contain more than one origin`)},
	{"webkit", ClassWildcardWithCredentials, regexp.MustCompile(`Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true`)},
	{"webkit", ClassAllowCredentialsMissing, regexp.MustCompile(`Credentials flag is true, but Access-Control-Allow-Credentials is not "true"`)},
	{"webkit", ClassPreflightNotOK, regexp.MustCompile(`Preflight response is not successful`)},
	{"webkit", ClassMethodNotAllowed, regexp.MustCompile(`Method (\S+) is not allowed by Access-Control-Allow-Methods\.`)},
	{"webkit", ClassHeaderNotAllowed, regexp.MustCompile(`Request header field (\S+) is not allowed by Access-Control-Allow-Headers\.`)},
	{"webkit", ClassAllowOriginNotAllowed, regexp.MustCompile(`Origin (\S+) is not allowed by Access-Control-Allow-Origin`)},
	// Page-side errors: the console holds the real message.
	{"webkit", ClassPageSideError, regexp.MustCompile(`due to access control checks|Load failed`)},
	{"firefox", ClassPageSideError, regexp.MustCompile(`NetworkError when attempting to fetch resource`)},
	{"chromium", ClassPageSideError, regexp.MustCompile(`Failed to fetch|net::ERR_FAILED`)},
}

var (
	chromiumPrefix = regexp.MustCompile(`(?:Access to \S+ at|Failed to load) '?([^'\s]+?)'?(?: \(redirected from '[^']*'\))?:? from origin '([^']*)' has been blocked by CORS policy|Origin '([^']*)' is therefore not allowed access`)
	chromiumOld    = regexp.MustCompile(`Failed to load ([^:\s]+:\S+?):`)
	firefoxURL     = regexp.MustCompile(`disallows reading the remote resource at [‘']?([^\s‘’']+?)[’']?\.? \(Reason`)
	webkitURL      = regexp.MustCompile(`(?:Fetch API|XMLHttpRequest) cannot load (\S+)`)
	statusCode     = regexp.MustCompile(`(?i)status code:? (\d{3})`)
)

// maxText is how much of a pasted text Explain reads.
const maxText = 16 << 10

// Explain explains a console message; it reads the first 16 KiB.
func Explain(text string) *Explanation {
	// A console message is a few hundred bytes; reading more only costs.
	if len(text) > maxText {
		text = text[:maxText]
	}
	text = strings.TrimSpace(text)
	ex := &Explanation{Class: ClassUnknown}
	for _, p := range patterns {
		m := p.re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		ex.Engine, ex.Class = p.engine, p.class
		ex.headerPassed = statusAfterAccess.MatchString(m[0])
		for _, g := range m[1:] {
			if g != "" {
				ex.Value = g
				break
			}
		}
		break
	}
	if m := chromiumPrefix.FindStringSubmatch(text); m != nil {
		ex.URL, ex.Origin = m[1], m[2]
		if m[3] != "" {
			ex.Origin = m[3]
		}
		if ex.Engine == "" {
			ex.Engine = "chromium"
		}
	}
	if m := chromiumOld.FindStringSubmatch(text); m != nil && ex.URL == "" {
		ex.URL = m[1]
	}
	ex.Preflight = strings.Contains(strings.ToLower(text), "preflight")
	if m := firefoxURL.FindStringSubmatch(text); m != nil {
		ex.URL = m[1]
	}
	if m := webkitURL.FindStringSubmatch(text); m != nil && ex.URL == "" {
		ex.URL = m[1]
	}
	if m := statusCode.FindStringSubmatch(text); m != nil {
		ex.Status, _ = strconv.Atoi(m[1])
	}
	switch ex.Class {
	case ClassMethodNotAllowed:
		ex.Method = ex.Value
	case ClassHeaderNotAllowed:
		ex.Header = ex.Value
	case ClassAllowOriginNotAllowed:
		ex.Origin, ex.Value = ex.Value, ""
	case ClassPreflightNotOK:
		if ex.Status == 0 && ex.Value != "" {
			ex.Status, _ = strconv.Atoi(ex.Value)
		}
		ex.Value = ""
	}
	ex.Summary, ex.Causes = causes(ex)
	ex.Doctor = doctorLine(ex)
	return ex
}

const install = "install gincors on the engine, before the routes and before authentication: router.Use(gincors.New(cfg), auth)"

var (
	causeNotAllowed = Cause{"The origin is not allowed by the server's CORS configuration (gincors answers a refused origin without CORS headers).",
		"Add the page's exact origin (scheme, host, port; no trailing slash) to Config.AllowOrigins.", false}
	// causeRefusedPreflight: gincors answers every refused preflight
	// (origin, method or header) with 403 and no CORS header, which an
	// engine that checks the header first reports as a missing header.
	causeRefusedPreflight = Cause{"The method or a request header was not allowed: gincors answers every refused preflight (origin, method or header) with 403 and no CORS header.",
		"Set Config.Debug = true and the console names the refused method or header; or add it to Config.AllowMethods or Config.AllowHeaders.", false}
	causeNoCORSCode = Cause{"The CORS middleware never ran for this request: installed on a group or after the routes, or not at all.",
		"Gin: " + install + "; engine.Use runs for unmatched routes too, group.Use does not.", false}
	causeErrorStatus = Cause{"The server answered an error (401, 404, 500...) written before or without the CORS middleware, so the real status is hidden behind the CORS error.",
		"Look at the status in the Network panel; " + install + " so that error answers carry CORS headers too.", false}
	causeRedirect = Cause{"A redirect without CORS headers answered the request: Gin's RedirectTrailingSlash (/items/ vs /items) or http:// to https://.",
		"Call the exact route path and scheme; Gin answers the redirect before any middleware runs.", false}
	causeNoResponse = Cause{"No response at all: the server is down, the port or host is wrong, TLS failed, or a firewall dropped the request.",
		"Not a CORS problem: check the URL with curl and the server's log.", true}
	causeLNA = Cause{"Local Network Access: a public page calls a private or loopback address, and the user has not allowed it (Chrome 142+, Firefox 153+).",
		"Not a CORS problem: serve the API on a public address, or the page from the local network, or allow the permission prompt.", true}
	causeSafariCookies = Cause{"Safari blocks third-party cookies: a credentialed cross-site call has correct CORS headers but no cookie, so the API answers 401 with no CORS message at all.",
		"Not a CORS problem: serve the API on the page's site (api.example.com for app.example.com) or use a token in Authorization.", true}
)

// causes returns the summary and the causes of the explanation's class.
func causes(ex *Explanation) (string, []Cause) {
	switch ex.Class {
	case ClassPreflightRedirect, ClassRedirectNotAllowed:
		return "A redirect answered the request; a preflight may never be redirected.", []Cause{causeRedirect,
			{"The API moved (a load balancer or proxy redirects to another host).", "Call the final URL directly.", false}}
	case ClassPreflightNotOK:
		if ex.headerPassed {
			return preflightNotOKWithCORS(ex.Status)
		}
		return preflightNotOK(ex.Status)
	case ClassAllowOriginMissing:
		if ex.Preflight {
			return "The preflight's answer has no Access-Control-Allow-Origin header.", []Cause{causeRefusedPreflight, causeNotAllowed, causeNoCORSCode, causeErrorStatus, causeRedirect}
		}
		return "The answer has no Access-Control-Allow-Origin header.", []Cause{causeNotAllowed, causeNoCORSCode, causeErrorStatus, causeRedirect}
	case ClassAllowOriginNotAllowed:
		s := "Access-Control-Allow-Origin is missing or names another origin (Safari words both alike)."
		cs := []Cause{causeNotAllowed, causeNoCORSCode, causeErrorStatus,
			{"Access-Control-Allow-Origin names another origin (a fixed value, or a trailing slash).", "Echo the request's exact origin: gincors does when the origin is in Config.AllowOrigins.", false},
			causeSafariCookies}
		if ex.Status >= 400 {
			cs[0], cs[2] = cs[2], cs[0]
		}
		return s, cs
	case ClassAllowOriginMismatch:
		return "Access-Control-Allow-Origin names another origin than the page's.", []Cause{
			{"A fixed origin (or a list) is configured instead of echoing the request's origin, or it differs by a trailing slash, scheme or port.", "Echo the request's origin when it is allowed: gincors does for each origin in Config.AllowOrigins.", false},
			{"A cache served an answer meant for another origin (no Vary: Origin).", "Send Vary: Origin (gincors does; a middleware that sets Vary after it drops it).", false}}
	case ClassAllowOriginMultiple:
		return "Access-Control-Allow-Origin has several values.", []Cause{
			{"Two layers add it: a proxy, CDN or API gateway (nginx add_header, Cloudflare, AWS API Gateway) and the app.", "Let exactly one layer answer CORS: remove the proxy's Access-Control-* headers or drop the app's middleware.", false},
			{"Two CORS middlewares in the app (engine.Use and group.Use), or a list configured as one value.", "Install gincors once; list origins as separate AllowOrigins entries.", false}}
	case ClassWildcardWithCredentials:
		return "Access-Control-Allow-Origin is * but the call sends credentials.", []Cause{
			{"The server allows any origin with *, and the page sends cookies or HTTP authentication.", "List the origins in Config.AllowOrigins with AllowCredentials: true (gincors echoes the origin); or drop credentials: 'include' if the call needs none.", false}}
	case ClassAllowCredentialsMissing:
		return "The call sends credentials but the answer lacks Access-Control-Allow-Credentials: true.", []Cause{
			{"Credentials are not enabled on the server.", "Set Config.AllowCredentials: true (with listed origins).", false},
			{"The page sends credentials it does not need.", "Drop credentials: 'include' / withCredentials.", false}}
	case ClassMethodNotAllowed:
		return fmt.Sprintf("The preflight answer does not allow the method %s.", orPlaceholder(ex.Method, "")), []Cause{
			{"The method is not in the allowed list (names are case-sensitive except the six fetch() upper-cases: PATCH must be written upper-case).", fmt.Sprintf("Add %q to Config.AllowMethods.", orPlaceholder(ex.Method, "METHOD")), false}}
	case ClassHeaderNotAllowed:
		cs := []Cause{{"The header is not in the allowed list.", fmt.Sprintf("Add %q to Config.AllowHeaders.", orPlaceholder(ex.Header, "NAME")), false}}
		// * covers every header but Authorization
		// (https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name).
		if strings.EqualFold(ex.Header, "authorization") {
			cs = append(cs, Cause{"Authorization under * with credentials, or in an engine that applies the standard strictly.", "Name Authorization explicitly in Config.AllowHeaders.", false})
		}
		return fmt.Sprintf("The preflight answer does not allow the request header %s.", orPlaceholder(ex.Header, "")), cs
	case ClassNoResponse:
		return "The request got no response at all.", []Cause{causeNoResponse, causeLNA}
	case ClassLocalNetwork:
		return "The engine blocked a call into a more private network.", []Cause{causeLNA}
	case ClassPageSideError:
		return "This is the page-side error: every CORS failure, and every network failure, looks like this to the script.", []Cause{
			{"A CORS failure: the console has a second, specific message.", "Paste that message instead, or run the doctor command below.", false},
			causeNoResponse, causeLNA, causeSafariCookies}
	}
	return "The text is not a CORS console message this tool knows.", []Cause{
		{"It may be a page-side error or another engine's wording.", "Run the doctor command below against the API.", false}}
}

// preflightNotOKSummary is the summary of a preflight's status failure.
func preflightNotOKSummary(status int) string {
	if status != 0 {
		return fmt.Sprintf("The preflight got %d, not an ok status.", status)
	}
	return "The preflight got a status outside 200-299."
}

// preflightNotOKWithCORS explains a status failure that an engine reports
// only after the answer passed its Access-Control-Allow-Origin check:
// something set the header, so the answer came from behind a layer that
// adds CORS headers, not from a router that never ran the CORS code (that
// answer has no header, and the engine reports it missing).
func preflightNotOKWithCORS(status int) (string, []Cause) {
	layered := Cause{"Authentication or a rate limiter answered the preflight after a layer that sets CORS headers: a proxy or gateway, or an outer middleware, adds Access-Control-Allow-Origin to every response, so the answer passes the origin check and fails on its status (preflights carry no credentials).",
		"Let preflights through: answer OPTIONS in that outer layer, or " + install + "; exempt OPTIONS from authentication and rate limiting.", false}
	passthrough := Cause{"Config.OptionsPassthrough is set and the OPTIONS handler after gincors failed or does not exist: gincors set the CORS headers, then the route answered 404, 405 or 500.",
		"Register an OPTIONS route for the path that answers 204, or drop OptionsPassthrough so that gincors answers preflights itself.", false}
	crash := Cause{"The server or a proxy failed on the OPTIONS request after the CORS headers were set.", "Read the server's log; gin.Recovery logs panics.", false}
	s := preflightNotOKSummary(status)
	switch {
	case status == 404 || status == 405:
		return s, []Cause{passthrough, layered, crash}
	case status >= 500:
		return s, []Cause{crash, passthrough, layered}
	}
	return s, []Cause{layered, passthrough, crash}
}

// preflightNotOK explains a status failure that an engine reports before
// it looks at Access-Control-Allow-Origin (WebKit, Chromium before 2018).
func preflightNotOK(status int) (string, []Cause) {
	routing := Cause{"The router answered the preflight: the CORS middleware never saw it (a Gin group's middleware does not run for a path without an OPTIONS route).",
		"Gin: " + install + "; no OPTIONS route is needed.", false}
	auth := Cause{"Authentication, a firewall or a rate limiter answered the preflight before CORS (preflights carry no credentials).",
		"Run CORS first: " + install + "; exempt OPTIONS from rate limiting.", false}
	crash := Cause{"The server or a proxy failed on the OPTIONS request.", "Read the server's log; gin.Recovery logs panics.", false}
	refused := Cause{"The CORS layer refused it with 403 (gincors does for an origin, method or header it does not allow).",
		"Allow them in Config.AllowOrigins, AllowMethods, AllowHeaders; Config.Debug: true names the refused part in the console.", false}
	s := preflightNotOKSummary(status)
	switch {
	case status == 404 || status == 405:
		return s, []Cause{routing, auth, crash}
	case status == 403:
		return s, []Cause{refused, auth, routing}
	case status == 401 || status == 407 || status == 429:
		return s, []Cause{auth, routing, crash}
	case status >= 500:
		return s, []Cause{crash, auth, routing}
	}
	return s, []Cause{routing, auth, crash}
}

func orPlaceholder(s, placeholder string) string {
	if s == "" {
		return placeholder
	}
	return s
}

// DoctorCommand runs `gincors doctor` without installing it first.
const DoctorCommand = "go run github.com/gincors/gincors/cmd/gincors doctor"

// doctorLine is the doctor command that would confirm the cause.
func doctorLine(ex *Explanation) string {
	args := []string{DoctorCommand, "-origin", orPlaceholder(ex.Origin, "ORIGIN")}
	switch ex.Class {
	case ClassMethodNotAllowed:
		args = append(args, "-method", orPlaceholder(ex.Method, "METHOD"))
	case ClassHeaderNotAllowed:
		args = append(args, "-header", orPlaceholder(ex.Header, "NAME")+":VALUE")
	case ClassWildcardWithCredentials, ClassAllowCredentialsMissing:
		args = append(args, "-credentials")
		if ex.Preflight {
			args = append(args, "-method", "METHOD")
		}
	default:
		if ex.Preflight {
			args = append(args, "-method", "METHOD")
		}
	}
	return strings.Join(append(args, orPlaceholder(ex.URL, "URL")), " ")
}

var engineNames = map[string]string{"chromium": "Chromium (Chrome, Edge)", "firefox": "Firefox", "webkit": "WebKit (Safari)", "": "unknown"}

// WriteText writes the explanation for a person to read.
func (ex *Explanation) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Engine: %s\nFailure: %s\n%s\n", engineNames[ex.Engine], ex.Class, ex.Summary)
	if ex.URL != "" || ex.Origin != "" {
		fmt.Fprintf(&b, "URL: %s  origin: %s", orPlaceholder(ex.URL, "?"), orPlaceholder(ex.Origin, "?"))
		if ex.Status != 0 {
			fmt.Fprintf(&b, "  status: %d", ex.Status)
		}
		b.WriteString("\n")
	}
	b.WriteString("\nLikely causes, most likely first:\n")
	for i, c := range ex.Causes {
		tag := ""
		if c.NotCORS {
			tag = " [not a CORS problem]"
		}
		fmt.Fprintf(&b, "  %d. %s%s\n     fix: %s\n", i+1, c.Cause, tag, c.Fix)
	}
	fmt.Fprintf(&b, "\nConfirm with:\n  %s\n", ex.Doctor)
	_, err := io.WriteString(w, b.String())
	return err
}
