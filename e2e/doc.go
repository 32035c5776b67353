// Package e2e proves gincors in real browsers, in all three engines: its
// tests run fetch() in headless Chromium, Firefox ESR (twice: as shipped,
// and spec-strict about Authorization under "*") and WebKitGTK against a
// real Gin engine with gincors installed, served over HTTP on loopback,
// and check both sides of every exchange: what the page's script observed
// (a TypeError, or the status, body and readable headers), what the
// browser's console said where the engine exposes it, and what the server
// saw (how many preflights arrived, whether the route handler ran).
//
// The package has no non-test code; run it with the rest of the module:
//
//	go test ./...          # or: go test -race -v ./e2e/
//
// # Browsers
//
// TestMain starts every installed engine at once, each with a fresh
// temporary profile (removed afterwards), through the drivers under
// internal/browser, which share one small interface: Chromium over the
// DevTools protocol, Firefox over WebDriver BiDi, WebKit through
// WebKitWebDriver and MiniBrowser on an Xvfb display of its own. Each
// engine keeps a pool of isolated pages (browser contexts, user contexts,
// WebDriver sessions) and lends one to each running test, with its cookies
// cleared. Every scenario runs in every engine, as ENGINE/SCENARIO
// subtests (TestMethods/webkit/PUT_is_allowed_when_listed). Every test
// case starts its own API server on a fresh port, so the HTTP cache and
// the preflight cache, both keyed by URL, never carry anything from one
// case to another, and cases run in parallel.
//
// Every *.test host name is loopback: Chromium maps them with
// --host-resolver-rules, Firefox with the network.dns.localDomains pref
// (exact names: testHosts lists them), WebKit through a forward proxy. So
// pages load from real, distinct origins such as http://app.example.test:PORT
// while all traffic stays on loopback. A page server on 127.0.0.1 serves the
// pages under every host name; each API server is reached as
// http://api.example.test:PORT.
//
// Where an engine legitimately differs, the scenario carries its own
// expectation for it with the reason, and TestEngineProbes confirms the
// behaviour against a minimal server.
//
// # Environment
//
//   - GINCORS_CHROMIUM, GINCORS_FIREFOX, GINCORS_WEBKITWEBDRIVER,
//     GINCORS_MINIBROWSER, GINCORS_XVFB: executables to use instead of the
//     ones on $PATH. Set one to a path that does not exist to see the
//     behaviour of a machine without that engine.
//   - CI: without an engine its tests skip, naming the install command
//     (apt-get update && apt-get install -y chromium firefox-esr
//     webkit2gtk-driver xvfb), and TestMain prints one line per missing
//     engine, also to the terminal, since go test ./... shows nothing of a
//     passing package without -v; with CI=true a missing or broken engine
//     fails them instead.
//   - GINCORS_ENGINES: a comma-separated list of the engines to run, of
//     chromium, firefox, firefox-strict and webkit; the others skip.
//   - GINCORS_UPDATE_RESULTS=1: a full passing run rewrites the results
//     table in e2e/RESULTS.md.
//
// Private Network Access preflights cannot be exercised here (Chromium no
// longer sends them); the root package's unit tests cover them.
package e2e
