// Package browser is what gincors' end-to-end tests need of a web browser,
// whichever engine it is: start it, open an isolated page, load a URL, run
// a script that returns JSON (a fetch() step and what the page saw of it),
// collect the console messages, close it all.
//
// The drivers live in the subpackages chromium (DevTools protocol),
// firefox (WebDriver BiDi) and webkit (classic WebDriver through
// WebKitWebDriver and MiniBrowser). This package holds the interface they
// implement and what they share: finding the executable, running a
// process in its own process group, and watching its output.
package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"time"
)

// Browser is one running browser.
type Browser interface {
	// Engine names the engine: "Chromium", "Firefox" or "WebKit".
	Engine() string
	// Version is the browser's own version string, such as
	// "HeadlessChrome/156.0.8078.114" or "firefox 153.8.0".
	Version() string
	// HasConsole says whether Page.Console reports the browser's
	// console, in particular the messages of blocked CORS requests.
	HasConsole() bool
	// NewPage opens a page with its own cookies, HTTP cache and preflight
	// cache, isolated from the other pages.
	NewPage(ctx context.Context) (Page, error)
	// Output returns the last lines the browser processes wrote, for
	// diagnostics.
	Output() string
	// Close ends the browser and every process it started and removes its
	// temporary files. It is safe to call more than once.
	Close() error
}

// Page is one isolated tab. It is driven by one goroutine at a time.
type Page interface {
	// Navigate loads url and waits for its load event.
	Navigate(ctx context.Context, url string) error
	// Evaluate runs a JavaScript expression in the page's main frame,
	// awaits it if it is a promise, and decodes its value, serialized
	// with JSON.stringify, into out (which may be nil). An exception or a
	// rejected promise is an error.
	Evaluate(ctx context.Context, expression string, out any) error
	// ClearCookies deletes the page's cookies.
	ClearCookies(ctx context.Context) error
	// Console returns the console messages since the last ResetConsole,
	// or nil if the engine does not expose them (see HasConsole).
	Console() []string
	// ResetConsole forgets the console messages so far.
	ResetConsole()
	// Close closes the page.
	Close(ctx context.Context) error
}

// ErrNotFound is wrapped by [Find]'s error when no executable is available.
var ErrNotFound = errors.New("executable not found")

// Find returns the executable named by the environment variable envVar if
// it is set (it must then exist), or else the first of names found on
// $PATH or as an absolute path. The error wraps [ErrNotFound] when there
// is none.
func Find(envVar string, names ...string) (string, error) {
	if p := os.Getenv(envVar); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("%w: %s=%s: %v", ErrNotFound, envVar, p, err)
		}
		return path, nil
	}
	for _, name := range names {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("%w (looked for %v; set %s to override)", ErrNotFound, names, envVar)
}

// RemoveDir removes dir, retrying for a short while: a browser may still be
// flushing its profile as it exits.
func RemoveDir(dir string) error {
	deadline := time.Now().Add(2 * time.Second)
	for {
		err := os.RemoveAll(dir)
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}
