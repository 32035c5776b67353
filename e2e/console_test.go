package e2e

import (
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gincors/gincors"
)

// The console phrases docs/troubleshooting.md quotes, as
// Chromium words them. Each is asserted by a scenario below, so that the
// docs cannot drift from the browser.
const (
	phraseNoAllowOrigin           = "No 'Access-Control-Allow-Origin' header is present on the requested resource."
	phrasePreflightNotOK          = "Response to preflight request doesn't pass access control check: It does not have HTTP ok status."
	phraseWildcardWithCredentials = "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'."
	phraseHeaderNotAllowed        = "Request header field x-csrf-token is not allowed by Access-Control-Allow-Headers in preflight response."
	phraseMethodNotAllowed        = "Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response."
	phrasePreflightRedirect       = "Redirect is not allowed for a preflight request."
)

// chromiumConsolePhrases is every phrase above: the list
// docs/troubleshooting.md must quote verbatim
// (TestTroubleshootingQuotesConsolePhrases).
var chromiumConsolePhrases = []string{
	phraseNoAllowOrigin,
	phrasePreflightNotOK,
	phraseWildcardWithCredentials,
	phraseHeaderNotAllowed,
	phraseMethodNotAllowed,
	phrasePreflightRedirect,
}

// phrasePreflightRefused is how Chromium reports a preflight gincors
// refused (403, no CORS header): for its missing header, not its status,
// since Chromium checks Access-Control-Allow-Origin first. The docs quote
// its distinctive part, phraseNoAllowOrigin, and lists a refused preflight
// among that message's causes.
const phrasePreflightRefused = "Response to preflight request doesn't pass access control check: " + phraseNoAllowOrigin

// Firefox's wording of the same failures, as log.entryAdded reports them
// ("Cross-Origin Request Blocked: … (Reason: …)"). Firefox quotes header
// names with typographic quotes.
const (
	firefoxNoAllowOrigin           = "(Reason: CORS header ‘Access-Control-Allow-Origin’ missing)"
	firefoxPreflightNotOK          = "(Reason: CORS preflight response did not succeed). Status code: 401."
	firefoxPreflightRefused        = "(Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 403."
	firefoxWildcardWithCredentials = "(Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’)"
	firefoxHeaderNotAllowed        = "(Reason: header ‘x-csrf-token’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response)"
	firefoxMethodNotAllowed        = "(Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’)"
	firefoxPreflightRedirect       = "(Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 307."
	firefoxRedirectNoAllowOrigin   = "(Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 301."
)

// confirmed holds the console texts seen in Chromium's console this run.
var confirmed struct {
	mu   sync.Mutex
	seen map[string]bool
}

func confirm(e *engine, text string) {
	if e.family() != familyChromium {
		return
	}
	confirmed.mu.Lock()
	defer confirmed.mu.Unlock()
	if confirmed.seen == nil {
		confirmed.seen = map[string]bool{}
	}
	confirmed.seen[text] = true
}

// unconfirmedPhrases returns the chromiumConsolePhrases that no scenario
// saw in Chromium's console, for TestMain to fail a full run with.
func unconfirmedPhrases() []string {
	confirmed.mu.Lock()
	defer confirmed.mu.Unlock()
	var out []string
	for _, p := range chromiumConsolePhrases {
		if !confirmed.seen[p] {
			out = append(out, p)
		}
	}
	return out
}

// noConsoleReason is why scenarios with console expectations check only
// the page's and the server's view in WebKit.
const noConsoleReason = "WebKit exposes no console through WebDriver, so only what the page's script and the server saw is checked"

// requireConsoleOf checks the console expectations of the page's engine
// family, or notes that the engine has no console to check.
func (p *tab) requireConsoleOf(texts map[string][]string) {
	p.t.Helper()
	if len(texts) == 0 {
		return
	}
	if !p.engine.browser.HasConsole() {
		noteDifference(p.t, p.engine, noConsoleReason)
		return
	}
	for _, text := range texts[p.engine.family()] {
		p.requireConsole(text)
	}
}

// says is the console expectation of a scenario: the Chromium phrase and
// Firefox's wording of it. WebKit exposes no console through WebDriver.
func says(chromiumPhrase, firefoxText string) map[string][]string {
	return map[string][]string{familyChromium: {chromiumPhrase}, familyFirefox: {firefoxText}}
}

// TestTroubleshootingQuotesConsolePhrases keeps docs/troubleshooting.md
// and the browser in step: each phrase it quotes is one a scenario saw in
// Chromium's console (TestMain fails a full run otherwise).
func TestTroubleshootingQuotesConsolePhrases(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "docs", "troubleshooting.md"))
	require.NoError(t, err)
	for _, phrase := range chromiumConsolePhrases {
		assert.Contains(t, string(data), phrase, "docs/troubleshooting.md quotes the console phrase")
	}
}

func TestConsoleMessages(t *testing.T) {
	t.Parallel()
	run(t, []scenario{
		{
			name: "an origin that is not allowed: no Access-Control-Allow-Origin",
			cfg:  allowApp(gincors.Config{}), host: "evil.test", handlerRan: true, readable: false,
			console: says(phraseNoAllowOrigin, firefoxNoAllowOrigin),
		},
		{
			name: "a preflight refused by gincors: no Access-Control-Allow-Origin",
			cfg:  allowApp(gincors.Config{}), req: fetchRequest{Method: "PUT"}, preflight: 403,
			console: says(phrasePreflightRefused, firefoxPreflightRefused),
		},
		{
			// OptionsPassthrough lets the route's OPTIONS handler, here an
			// authentication check, write the answer to an allowed
			// preflight: CORS headers and a 401.
			name: "a preflight an OPTIONS handler answers with 401: not an ok status",
			cfg:  allowApp(gincors.Config{AllowMethods: []string{"PUT"}, OptionsPassthrough: true}),
			req:  fetchRequest{URL: "/auth/x", Method: "PUT"}, preflight: 401,
			console: says(phrasePreflightNotOK, firefoxPreflightNotOK),
			check: func(t *testing.T, o observed) {
				assert.Equal(t, pageOrigin(appHost), o.preflights[0].Response.Get("Access-Control-Allow-Origin"))
			},
		},
		{
			name: "any origin with credentials: * is not allowed with credentials",
			cfg:  gincors.Config{AllowOrigins: []string{"*"}}, req: fetchRequest{Credentials: "include"},
			handlerRan: true, readable: false,
			console: says(phraseWildcardWithCredentials, firefoxWildcardWithCredentials),
		},
	})
}

// debugConfig is the app's origin with X-Other and PUT allowed, with
// Debug on or off; its rejections are logged nowhere.
func debugConfig(debug bool) gincors.Config {
	return allowApp(gincors.Config{
		AllowHeaders: []string{"X-Other"},
		AllowMethods: []string{"PUT"},
		Debug:        debug,
		Logger:       slog.New(slog.DiscardHandler),
	})
}

func TestDebugMode(t *testing.T) {
	t.Parallel()
	csrf := fetchRequest{Method: "PUT", Headers: map[string]string{"X-CSRF-Token": "1"}}
	patch := fetchRequest{Method: "PATCH"}
	run(t, []scenario{
		{
			name: "with Debug a refused header gets an ok answer without it, and the console names it",
			cfg:  debugConfig(true), req: csrf, preflight: 204,
			console: says(phraseHeaderNotAllowed, firefoxHeaderNotAllowed),
			check: func(t *testing.T, o observed) {
				h := o.preflights[0].Response
				assert.Equal(t, pageOrigin(appHost), h.Get("Access-Control-Allow-Origin"))
				assert.NotContains(t, strings.ToLower(h.Get("Access-Control-Allow-Headers")), "x-csrf-token", "the debug answer never grants the refused header")
			},
		},
		{
			name: "without Debug a refused header gets 403 and the generic message",
			cfg:  debugConfig(false), req: csrf, preflight: 403,
			console: says(phrasePreflightRefused, firefoxPreflightRefused),
		},
		{
			name: "with Debug a refused method gets an ok answer without it, and the console names it",
			cfg:  debugConfig(true), req: patch, preflight: 204,
			console: says(phraseMethodNotAllowed, firefoxMethodNotAllowed),
			check: func(t *testing.T, o observed) {
				h := o.preflights[0].Response
				assert.Equal(t, pageOrigin(appHost), h.Get("Access-Control-Allow-Origin"))
				assert.Equal(t, "PUT", h.Get("Access-Control-Allow-Methods"), "the debug answer lists the allowed methods, never the refused one")
			},
		},
		{
			name: "without Debug a refused method gets 403 and the generic message",
			cfg:  debugConfig(false), req: patch, preflight: 403,
			console: says(phrasePreflightRefused, firefoxPreflightRefused),
		},
		{
			name: "Debug changes nothing for an allowed request",
			cfg:  debugConfig(true), req: fetchRequest{Method: "PUT", Headers: map[string]string{"X-Other": "1"}},
			preflight: 204, handlerRan: true, readable: true,
		},
	})
}

// TestRedirects shows Gin's RedirectTrailingSlash breaking CORS: /items/
// is answered with a redirect before any middleware runs, so the answer
// carries no CORS header, and a preflight may not be redirected at all
// (https://fetch.spec.whatwg.org/#cors-preflight-fetch wants an ok status).
func TestRedirects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		method  string
		wire    []string // what reached the server for /items/
		console map[string][]string
	}{
		{
			name:    "a preflight redirected by Gin's trailing-slash redirect fails",
			method:  "PUT",
			wire:    []string{"OPTIONS /items/ 307"},
			console: says(phrasePreflightRedirect, firefoxPreflightRedirect),
		},
		{
			name:    "a simple GET redirected by it fails too: the redirect has no CORS headers",
			method:  "GET",
			wire:    []string{"GET /items/ 301"},
			console: says(phraseNoAllowOrigin, firefoxRedirectNoAllowOrigin),
		},
	}
	forEachEngine(t, func(t *testing.T, e *engine) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				b := newBrowserContext(t, e)
				api := newAPI(t, allowApp(gincors.Config{AllowMethods: []string{"PUT"}}))
				p := b.open(appHost)
				res := p.fetch(fetchRequest{URL: api.URL + "/items/", Method: tc.method})
				assert.False(t, res.Resolved, "fetch resolved: %d %q", res.Status, res.Body)
				assert.True(t, strings.HasPrefix(res.Error, "TypeError"), res.Error)
				assert.Equal(t, tc.wire, api.wireRequests("/items/"), "requests for /items/")
				assert.Empty(t, api.wireRequests("/items"), "the browser never followed the redirect")
				assert.Empty(t, api.exchanges("/items/"), "Gin redirects before any middleware runs")
				assert.Empty(t, api.exchanges("/items"), "Gin redirects before any middleware runs")

				// The same request straight from Go: the redirect and no
				// CORS header, whatever gincors allows.
				req, err := http.NewRequest(tc.method, api.RawURL+"/items/", nil)
				require.NoError(t, err)
				if tc.method == "PUT" {
					req.Method = http.MethodOptions
					req.Header.Set("Access-Control-Request-Method", "PUT")
				}
				req.Header.Set("Origin", pageOrigin(appHost))
				client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
				resp, err := client.Do(req)
				require.NoError(t, err)
				_, _ = io.Copy(io.Discard, resp.Body)
				require.NoError(t, resp.Body.Close())
				assert.Equal(t, "/items", resp.Header.Get("Location"))
				assert.Empty(t, corsHeaders(resp.Header))

				p.requireConsoleOf(tc.console)
			})
		}
	})
}
