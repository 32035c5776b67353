// Package e2e proves gincors in a real browser: its tests run fetch() in
// headless Chromium against a real Gin engine with gincors installed,
// served over HTTP on loopback, and check both sides of every exchange:
// what the page's script observed (a TypeError, or the status, body and
// readable headers) and what the server saw (how many preflights arrived,
// whether the route handler ran).
//
// The package has no non-test code; run it with the rest of the module:
//
//	go test ./...          # or: go test -race -v ./e2e/
//
// # Browser
//
// TestMain starts one headless Chromium for the whole run, with a fresh
// temporary profile (removed afterwards), and drives it over the DevTools
// protocol with the small client in internal/chromium. It keeps a few
// browser contexts (in-memory profiles), each with one tab, and lends one to
// each running test, with its cookies cleared. Every test case starts its
// own API server on a fresh port, so the HTTP cache and the preflight cache,
// both keyed by URL, never carry anything from one case to another, and
// cases run in parallel.
//
// Chromium resolves every *.test host name to 127.0.0.1
// (--host-resolver-rules="MAP *.test 127.0.0.1"), so pages load from real,
// distinct origins such as http://app.example.test:PORT or
// http://example.test.evil.test:PORT while all traffic stays on loopback.
// A page server on 127.0.0.1 serves the pages under every host name; each
// API server is reached as http://api.example.test:PORT.
//
// # Environment
//
//   - GINCORS_CHROMIUM: the browser executable to use instead of chromium
//     (or chromium-browser) on $PATH. Set it to a path that does not exist,
//     such as GINCORS_CHROMIUM=/nonexistent, to see the behaviour of a
//     machine without Chromium.
//   - CI: without a browser the tests skip, naming the install command
//     (apt-get update && apt-get install -y chromium); with CI=true a
//     missing or broken browser fails them instead.
//
// Private Network Access preflights cannot be exercised here (Chromium no
// longer sends them); the root package's unit tests cover them.
package e2e
