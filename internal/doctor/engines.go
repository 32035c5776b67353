package doctor

// This file is the engine model: what each browser engine checks, in which
// order, with which limits, and what its console says, as data. Every
// entry cites the engine source or standard it comes from, and Rules says
// which of them the end-to-end suite confirms in the real engine
// (e2e/doctor_test.go).

// Engine IDs, as the JSON report names them.
const (
	Chromium = "chromium"
	Firefox  = "firefox"
	WebKit   = "webkit"
)

// Step is one check of a preflight answer.
type Step int

// The checks a preflight answer goes through.
const (
	StepRedirect Step = iota // a 3xx answer is refused as such
	StepAccess               // Access-Control-Allow-Origin and -Credentials
	StepStatus               // an ok status (200-299)
	StepMethod               // Access-Control-Allow-Methods
	StepHeaders              // Access-Control-Allow-Headers
)

// Failure is why an engine blocks a call.
type Failure string

// The failures the model knows; each engine words each one.
const (
	FailPreflightRedirect   Failure = "preflight-redirect"
	FailPreflightStatus     Failure = "preflight-status"
	FailAllowOriginMissing  Failure = "allow-origin-missing"
	FailAllowOriginMultiple Failure = "allow-origin-multiple"
	FailAllowOriginMismatch Failure = "allow-origin-mismatch"
	FailWildcardCredentials Failure = "wildcard-with-credentials"
	FailCredentialsMissing  Failure = "allow-credentials-missing"
	FailMethod              Failure = "method-not-allowed"
	FailHeader              Failure = "header-not-allowed"
)

// MultipleRule is how an engine decides that Access-Control-Allow-Origin
// holds several values.
type MultipleRule int

const (
	// MultipleIfSeparator: the combined value (several lines joined with
	// ", ") holds a comma or a space.
	MultipleIfSeparator MultipleRule = iota
	// MultipleIfLines: the response has more than one line of the header;
	// one line "a, b" is a mismatch instead.
	MultipleIfLines
	// MultipleIfComma: the combined value holds a comma and is not the
	// page's origin; otherwise a mismatch.
	MultipleIfComma
)

// Engine is the model of one browser engine.
type Engine struct {
	ID   string
	Name string
	// PreflightOrder is the order in which the engine checks a preflight
	// answer; the first failing step is what it reports.
	PreflightOrder []Step
	// Multiple is how it detects several Access-Control-Allow-Origin
	// values.
	Multiple MultipleRule
	// MissingIsMismatch: it words a missing and a wrong
	// Access-Control-Allow-Origin alike.
	MissingIsMismatch bool
	// MaxAgeCap caps Access-Control-Max-Age, in seconds; DefaultMaxAge is
	// the lifetime without the header.
	MaxAgeCap, DefaultMaxAge int
	// WildcardCoversAuthorization: "*" in Access-Control-Allow-Headers
	// lets Authorization through (against the standard), and
	// WarnsAuthorizationWildcard: it warns when it does.
	WildcardCoversAuthorization, WarnsAuthorizationWildcard bool
	// LocalNetworkAccess: a public page's call to a private or loopback
	// address needs the user's permission.
	LocalNetworkAccess bool

	// Frame wraps every blocked call's reason: {url}, {origin} and
	// {reason} are replaced. PreflightAccess wraps the reasons of the
	// StepAccess failures of a preflight ("" for none).
	Frame, PreflightAccess string
	// Reasons words each failure; {value} (the header's value), {status},
	// {method} and {header} are replaced.
	Reasons map[Failure]string
	// Sources cites, per field above, where the engine's behaviour comes
	// from.
	Sources map[string]string
}

// Engines are the three engines, in report order.
var Engines = []*Engine{chromiumModel, firefoxModel, webkitModel}

// EngineByID returns the engine with the given ID, or nil.
func EngineByID(id string) *Engine {
	for _, e := range Engines {
		if e.ID == id {
			return e
		}
	}
	return nil
}

const (
	chromiumCORS        = "https://source.chromium.org/chromium/chromium/src/+/main:services/network/public/cpp/cors/cors.cc"
	chromiumErrorString = "https://source.chromium.org/chromium/chromium/src/+/main:third_party/blink/renderer/platform/loader/cors/cors_error_string.cc"
	chromiumPreflight   = "https://source.chromium.org/chromium/chromium/src/+/main:services/network/cors/preflight_controller.cc"
	chromiumResult      = "https://source.chromium.org/chromium/chromium/src/+/main:services/network/public/cpp/cors/preflight_result.cc"
	firefoxCORS         = "https://searchfox.org/mozilla-central/source/netwerk/protocol/http/nsCORSListenerProxy.cpp"
	firefoxMessages     = "https://searchfox.org/mozilla-central/source/dom/locales/en-US/chrome/security/security.properties"
	firefoxPrefs        = "https://searchfox.org/mozilla-central/source/modules/libpref/init/StaticPrefList.yaml"
	webkitAccessControl = "https://github.com/WebKit/WebKit/blob/main/Source/WebCore/loader/CrossOriginAccessControl.cpp"
	webkitPreflightCach = "https://github.com/WebKit/WebKit/blob/main/Source/WebCore/loader/CrossOriginPreflightResultCache.cpp"
	fetchCORSCheck      = "https://fetch.spec.whatwg.org/#cors-check"
	fetchPreflight      = "https://fetch.spec.whatwg.org/#cors-preflight-fetch"
	lnaExplainer        = "https://wicg.github.io/local-network-access/"
)

var chromiumModel = &Engine{
	ID: Chromium, Name: "Chromium",
	PreflightOrder:              []Step{StepRedirect, StepAccess, StepStatus, StepMethod, StepHeaders},
	Multiple:                    MultipleIfSeparator,
	MaxAgeCap:                   7200,
	DefaultMaxAge:               5,
	WildcardCoversAuthorization: true, WarnsAuthorizationWildcard: true,
	LocalNetworkAccess: true,
	Frame:              "Access to fetch at '{url}' from origin '{origin}' has been blocked by CORS policy: {reason}",
	PreflightAccess:    "Response to preflight request doesn't pass access control check: {reason}",
	Reasons: map[Failure]string{
		FailPreflightRedirect:   "Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request.",
		FailPreflightStatus:     "Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
		FailAllowOriginMissing:  "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
		FailAllowOriginMultiple: "The 'Access-Control-Allow-Origin' header contains multiple values '{value}', but only one is allowed. Have the server send the header with a valid value.",
		FailAllowOriginMismatch: "The 'Access-Control-Allow-Origin' header has a value '{value}' that is not equal to the supplied origin.",
		FailWildcardCredentials: "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
		FailCredentialsMissing:  "The value of the 'Access-Control-Allow-Credentials' header in the response is '{value}' which must be 'true' when the request's credentials mode is 'include'.",
		FailMethod:              "Method {method} is not allowed by Access-Control-Allow-Methods in preflight response.",
		FailHeader:              "Request header field {header} is not allowed by Access-Control-Allow-Headers in preflight response.",
	},
	Sources: map[string]string{
		"PreflightOrder": chromiumPreflight + " (redirect refused first) and " + chromiumCORS + " (CheckPreflightAccess: access check, then ok status)",
		"Multiple":       chromiumCORS + " (CheckAccessInternal: a value with ' ' or ',' is kMultipleAllowOriginValues)",
		"MaxAgeCap":      chromiumResult + " (kMaxCacheAge: 2 hours; kDefaultTimeout: 5 seconds)",
		"Authorization":  chromiumResult + " (a deprecation issue when * covers Authorization)",
		"LocalNetwork":   lnaExplainer + " (Local Network Access permission, Chrome 142)",
		"Reasons":        chromiumErrorString,
	},
}

// firefoxBlocked starts every Firefox message.
const firefoxBlocked = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at "

var firefoxModel = &Engine{
	ID: Firefox, Name: "Firefox",
	PreflightOrder:              []Step{StepAccess, StepStatus, StepMethod, StepHeaders},
	Multiple:                    MultipleIfLines,
	MaxAgeCap:                   86400,
	DefaultMaxAge:               5,
	WildcardCoversAuthorization: true, WarnsAuthorizationWildcard: true,
	LocalNetworkAccess: true,
	// Each message is whole: a few quote the URL (‘…’), most do not.
	Frame: "{reason}",
	Reasons: map[Failure]string{
		FailPreflightRedirect:   firefoxBlocked + "{url}. (Reason: CORS preflight response did not succeed). Status code: {status}.",
		FailPreflightStatus:     firefoxBlocked + "{url}. (Reason: CORS preflight response did not succeed). Status code: {status}.",
		FailAllowOriginMissing:  firefoxBlocked + "{url}. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: {status}.",
		FailAllowOriginMultiple: firefoxBlocked + "{url}. (Reason: Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed).",
		FailAllowOriginMismatch: firefoxBlocked + "{url}. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘{value}’).",
		FailWildcardCredentials: firefoxBlocked + "‘{url}’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).",
		FailCredentialsMissing:  firefoxBlocked + "{url}. (Reason: expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’).",
		FailMethod:              firefoxBlocked + "{url}. (Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).",
		FailHeader:              firefoxBlocked + "{url}. (Reason: header ‘{header}’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).",
	},
	Sources: map[string]string{
		"PreflightOrder": firefoxCORS + " (CheckRequestApproved runs before the preflight's status check; a redirected preflight is judged as its 3xx answer)",
		"Multiple":       firefoxCORS + " (CheckOriginHeader counts the header's lines)",
		"MaxAgeCap":      firefoxCORS + " (nsPreflightCache: at most 24 hours, 5 seconds by default)",
		"Authorization":  firefoxPrefs + " (network.cors_preflight.authorization_covered_by_wildcard, true by default, with a console warning)",
		"LocalNetwork":   lnaExplainer + " (Local Network Access, Firefox 153)",
		"Reasons":        firefoxMessages + " (CORSMissingAllowOrigin2, CORSMultipleAllowOriginNotAllowed, CORSAllowOriginNotMatchingOrigin, CORSNotSupportingCredentials, CORSMissingAllowCredentials, CORSPreflightDidNotSucceed3, CORSMethodNotFound, CORSMissingAllowHeaderFromPreflight2)",
	},
}

var webkitModel = &Engine{
	ID: WebKit, Name: "WebKit",
	PreflightOrder:              []Step{StepStatus, StepAccess, StepMethod, StepHeaders},
	Multiple:                    MultipleIfComma,
	MissingIsMismatch:           true,
	MaxAgeCap:                   600,
	DefaultMaxAge:               5,
	WildcardCoversAuthorization: true,
	Frame:                       "{reason}\nFetch API cannot load {url} due to access control checks.",
	Reasons: map[Failure]string{
		FailPreflightRedirect:   "Preflight response is not successful. Status code: {status}",
		FailPreflightStatus:     "Preflight response is not successful. Status code: {status}",
		FailAllowOriginMissing:  "Origin {origin} is not allowed by Access-Control-Allow-Origin. Status code: {status}",
		FailAllowOriginMultiple: "Access-Control-Allow-Origin cannot contain more than one origin.",
		FailAllowOriginMismatch: "Origin {origin} is not allowed by Access-Control-Allow-Origin. Status code: {status}",
		FailWildcardCredentials: "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.",
		FailCredentialsMissing:  "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\".",
		FailMethod:              "Method {method} is not allowed by Access-Control-Allow-Methods.",
		FailHeader:              "Request header field {header} is not allowed by Access-Control-Allow-Headers.",
	},
	Sources: map[string]string{
		"PreflightOrder": webkitAccessControl + " (validatePreflightResponse: status, then passesAccessControlCheck, then methods and headers)",
		"Multiple":       webkitAccessControl + " (passesAccessControlCheck: a value other than the origin that holds ',')",
		"MaxAgeCap":      webkitPreflightCach + " (maxPreflightCacheTimeout: 600 seconds; 5 seconds by default)",
		"Authorization":  webkitAccessControl + " (no special case for Authorization under *)",
		"LocalNetwork":   "no Local Network Access in WebKit (" + lnaExplainer + ")",
		"Reasons":        webkitAccessControl,
	},
}

// Rule is one modelled behaviour, with where it comes from and how it is
// confirmed.
type Rule struct {
	// ID names the rule.
	ID string
	// Engines are the engines it describes.
	Engines []string
	// Says is the behaviour, in one sentence.
	Says string
	// Source is the engine source or standard it follows.
	Source string
	// Confirmed names the e2e test that checks it in the real engines, or
	// says why none can.
	Confirmed string
}

// e2eZoo is the end-to-end test that runs every zoo case in the real
// engines and compares their outcome with the model's verdicts.
const e2eZoo = "e2e TestDoctorModelAgrees (every zoo case in Chromium, Firefox and WebKit: allowed or not; Chromium's and Firefox's console word for word, and explain recognises it)"

// Rules lists the behaviours the model encodes.
var Rules = []Rule{
	{"cors-check", []string{Chromium, Firefox, WebKit},
		"A response is readable when Access-Control-Allow-Origin is * (without credentials) or the request's origin, and with credentials Access-Control-Allow-Credentials is true.",
		fetchCORSCheck, e2eZoo},
	{"preflight-needed", []string{Chromium, Firefox, WebKit},
		"A preflight is sent for a method other than GET, HEAD and POST, or a header that is not CORS-safelisted; Access-Control-Request-Headers lists the names lower-case, sorted, comma-joined.",
		"https://fetch.spec.whatwg.org/#cors-preflight-fetch-0", e2eZoo},
	{"preflight-ok-status", []string{Chromium, Firefox, WebKit},
		"A preflight answer needs a status from 200 to 299; a redirect fails.",
		fetchPreflight, e2eZoo},
	{"preflight-check-order", []string{Chromium, Firefox, WebKit},
		"Chromium refuses a redirect first, then checks Access-Control-Allow-Origin before the status; Firefox checks the origin before the status; WebKit checks the status first.",
		chromiumCORS + ", " + firefoxCORS + ", " + webkitAccessControl,
		"e2e TestDoctorModelAgrees, Chromium's and Firefox's console texts; WebKit's console is not exposed through WebDriver"},
	{"allow-origin-multiple", []string{Chromium, Firefox, WebKit},
		"Two Access-Control-Allow-Origin lines fail in every engine; Firefox names it by counting lines, Chromium by a ',' or ' ' in the joined value, WebKit by a ','.",
		chromiumCORS + ", " + firefoxCORS + ", " + webkitAccessControl, e2eZoo},
	{"webkit-missing-is-mismatch", []string{WebKit},
		"WebKit words a missing and a wrong Access-Control-Allow-Origin alike: \"Origin … is not allowed by Access-Control-Allow-Origin. Status code: N\".",
		webkitAccessControl, "not checkable: WebKit exposes no console through WebDriver"},
	{"max-age-caps", []string{Chromium, Firefox, WebKit},
		"Access-Control-Max-Age is capped at 7200 s (Chromium), 86400 s (Firefox), 600 s (WebKit); without it about 5 s; 0 disables the cache.",
		chromiumResult + ", " + firefoxCORS + ", " + webkitPreflightCach,
		"e2e TestPreflightCache and TestEngineProbes (lifetimes below the caps); the caps themselves take hours to observe"},
	{"authorization-wildcard", []string{Chromium, Firefox, WebKit},
		"* in Access-Control-Allow-Headers covers Authorization in all three today (Chromium and Firefox warn); the standard says it never does.",
		fetchPreflight + ", " + firefoxPrefs, "e2e TestEngineProbes and TestDoctorModelAgrees (the authorization-wildcard zoo case, also in Firefox with the strict pref, which blocks it)"},
	{"actual-redirect", []string{Chromium, Firefox, WebKit},
		"A redirect of the actual request is itself CORS-checked; a cross-origin hop makes the origin null.",
		"https://fetch.spec.whatwg.org/#http-redirect-fetch", e2eZoo},
	{"local-network-access", []string{Chromium, Firefox},
		"A public page calling a private or loopback address needs the user's Local Network Access permission (Chrome 142, Firefox 153); WebKit has none.",
		lnaExplainer, "not checkable on loopback: the e2e pages are themselves loopback"},
}
