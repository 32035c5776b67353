package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gincors/gincors/internal/browser"
)

// opTimeout bounds every single browser operation.
const opTimeout = 20 * time.Second

// A slot is an isolated page (Chromium: a browser context with one tab;
// Firefox: a user context with one tab; WebKit: a WebDriver session, one
// MiniBrowser). Opening one costs several times a whole scenario, so each
// engine keeps a pool of them, lent to one test at a time.
//
// Lending a slot cannot leak state between tests: every test starts its own
// API server on a fresh port, so the HTTP cache and the CORS-preflight cache,
// both keyed by URL, never hold an entry a later test could hit, and cookies,
// which ignore ports, are cleared on every loan. A slot whose test failed is
// replaced, in case the failure left its page in a bad state.
type slot struct {
	page browser.Page
}

// slotsPerEngine is how many pages each engine keeps: a test mostly waits
// for the browser and the server, so a few run at once per engine even on
// two cores. WebKit's pages are whole MiniBrowser processes, so it keeps
// fewer.
func (e *engine) slotsPerEngine() int {
	if e.family() == familyWebKit {
		return 3
	}
	return 4
}

func (e *engine) newSlot() (*slot, error) {
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	p, err := e.browser.NewPage(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: open a page: %w", e.title, err)
	}
	return &slot{page: p}, nil
}

func (s *slot) close() {
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	_ = s.page.Close(ctx)
}

// fillPool creates the engine's slots.
func (e *engine) fillPool() error {
	e.slots = make(chan *slot, e.slotsPerEngine())
	for range e.slotsPerEngine() {
		s, err := e.newSlot()
		if err != nil {
			return err
		}
		e.slots <- s
	}
	return nil
}

// browserContext is a slot lent to one test: an isolated page with no
// cookies. It is returned to the pool when the test ends.
type browserContext struct {
	t      *testing.T
	engine *engine
	slot   *slot
	page   string // what the page shows, for the failure log
}

// newBrowserContext borrows a slot of e for t, and records t's outcome
// for the results table when t ends.
func newBrowserContext(t *testing.T, e *engine) *browserContext {
	t.Helper()
	requireEngine(t, e)
	var s *slot
	select {
	case s = <-e.slots:
	case <-time.After(2 * time.Minute):
		t.Fatalf("no %s page became free", e.title)
	}
	b := &browserContext{t: t, engine: e, slot: s}
	t.Cleanup(func() {
		recordOutcome(t, e)
		if !t.Failed() {
			e.slots <- s
			return
		}
		if e.browser.HasConsole() {
			t.Logf("%s console of %s:\n\t%s", e.title, b.page, strings.Join(s.page.Console(), "\n\t"))
		}
		s.close()
		fresh, err := e.newSlot()
		if err != nil {
			t.Errorf("replace %s page: %v\n%s", e.title, err, e.browser.Output())
			return // the pool shrinks; later tests wait for the others
		}
		e.slots <- fresh
	})
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	require.NoError(t, s.page.ClearCookies(ctx), "clear cookies")
	s.page.ResetConsole()
	return b
}

// tab is the test's page showing one of the test pages.
type tab struct {
	t      *testing.T
	engine *engine
	page   browser.Page
	origin string // the page's origin, as fetch() sends it
	call   string // the function that runs a probe: probe or probeInFrame
}

// open shows the probe page of http://host:PORT/. The test's slot has one
// page: opening another replaces it, and the previous *tab must not be
// used afterwards.
func (b *browserContext) open(host string) *tab {
	b.t.Helper()
	return b.openURL(pageOrigin(host)+"/", pageOrigin(host), "probe")
}

// openSandboxed shows a page of host whose probes run in a sandboxed
// iframe, with the opaque origin "null".
func (b *browserContext) openSandboxed(host string) *tab {
	b.t.Helper()
	return b.openURL(pageOrigin(host)+"/sandboxed", "null", "probeInFrame")
}

// openDataFrame shows a page of host whose probes run in a data: iframe,
// with the opaque origin "null".
func (b *browserContext) openDataFrame(host string) *tab {
	b.t.Helper()
	return b.openURL(pageOrigin(host)+"/data-frame", "null", "probeInFrame")
}

func (b *browserContext) openURL(url, origin, call string) *tab {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	b.page = url
	require.NoError(b.t, b.slot.page.Navigate(ctx, url), "load page")
	return &tab{t: b.t, engine: b.engine, page: b.slot.page, origin: origin, call: call}
}
