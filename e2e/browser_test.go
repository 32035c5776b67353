package e2e

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gincors/gincors/internal/chromium"
)

// opTimeout bounds every single browser operation.
const opTimeout = 20 * time.Second

// A slot is a browser context (an in-memory profile, like an incognito
// window) with one tab. Opening a tab costs a renderer process, several
// times the cost of a whole scenario, so tabs are kept in a pool of slots,
// one per test that can run at once, and lent to one test at a time.
//
// Lending a slot cannot leak state between tests: every test starts its own
// API server on a fresh port, so the HTTP cache and the CORS-preflight cache,
// both keyed by URL, never hold an entry a later test could hit, and cookies,
// which ignore ports, are cleared on every loan. A slot whose test failed is
// replaced, in case the failure left its tab in a bad state.
type slot struct {
	ctx *chromium.Context
	tab *chromium.Tab
}

// slots is the pool; created by TestMain once the browser runs.
var slots chan *slot

func poolSize() int { return max(2, min(runtime.GOMAXPROCS(0), 4)) }

func newSlot() (*slot, error) {
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	bc, err := suite.browser.NewContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("create browser context: %w", err)
	}
	tab, err := bc.NewTab(ctx)
	if err != nil {
		return nil, fmt.Errorf("open tab: %w", err)
	}
	return &slot{ctx: bc, tab: tab}, nil
}

func (s *slot) close() {
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	_ = s.ctx.Close(ctx)
}

// fillPool creates the slots.
func fillPool() error {
	n := poolSize()
	slots = make(chan *slot, n)
	for range n {
		s, err := newSlot()
		if err != nil {
			return err
		}
		slots <- s
	}
	return nil
}

// browserContext is a slot lent to one test: a browser profile with no
// cookies and one tab. It is returned to the pool when the test ends.
type browserContext struct {
	t    *testing.T
	slot *slot
	page string // what the tab shows, for the failure log
}

// newBrowserContext borrows a slot for t. It skips or fails t when there is
// no browser (see requireBrowser).
func newBrowserContext(t *testing.T) *browserContext {
	t.Helper()
	requireBrowser(t)
	var s *slot
	select {
	case s = <-slots:
	case <-time.After(2 * time.Minute):
		t.Fatal("no browser slot became free")
	}
	b := &browserContext{t: t, slot: s}
	t.Cleanup(func() {
		if !t.Failed() {
			slots <- s
			return
		}
		t.Logf("browser log of %s:\n\t%s", b.page, strings.Join(s.tab.Log(), "\n\t"))
		s.close()
		fresh, err := newSlot()
		if err != nil {
			t.Errorf("replace browser slot: %v", err)
			return // the pool shrinks; later tests wait for the others
		}
		slots <- fresh
	})
	s.tab.ResetLog()
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	require.NoError(t, s.ctx.ClearCookies(ctx), "clear cookies")
	return b
}

// tab is the test's tab showing one of the test pages.
type tab struct {
	t      *testing.T
	tab    *chromium.Tab
	origin string // the page's origin, as fetch() sends it
	call   string // the function that runs a probe: probe or probeInFrame
}

// open shows the probe page of http://host:PORT/. The test's browser
// context has one tab: opening a page replaces the previous one, whose
// *tab must not be used afterwards.
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
	require.NoError(b.t, b.slot.tab.Navigate(ctx, url), "load page")
	return &tab{t: b.t, tab: b.slot.tab, origin: origin, call: call}
}
