package chromium

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gincors/gincors/internal/browser"
)

// Context is a browser context: an isolated, in-memory profile with its own
// cookies, HTTP cache and CORS-preflight cache, like a fresh incognito
// window. Tabs in one context share those caches.
type Context struct {
	b  *Browser
	id string
}

// NewContext creates an isolated browser context.
func (b *Browser) NewContext(ctx context.Context) (*Context, error) {
	var res struct {
		BrowserContextID string `json:"browserContextId"`
	}
	if err := b.conn.call(ctx, "", "Target.createBrowserContext", map[string]any{"disposeOnDetach": true}, &res); err != nil {
		return nil, err
	}
	return &Context{b: b, id: res.BrowserContextID}, nil
}

// ClearCookies deletes every cookie of the context.
func (c *Context) ClearCookies(ctx context.Context) error {
	return c.b.conn.call(ctx, "", "Storage.clearCookies", map[string]any{"browserContextId": c.id}, nil)
}

// Close closes the context and all its tabs.
func (c *Context) Close(ctx context.Context) error {
	return c.b.conn.call(ctx, "", "Target.disposeBrowserContext", map[string]any{"browserContextId": c.id}, nil)
}

// Tab is a page target with a DevTools session.
type Tab struct {
	conn      *conn
	targetID  string
	sessionID string
	lifecycle chan message // Page.lifecycleEvent events
	closed    atomic.Bool

	mu  sync.Mutex
	log []string // console and browser log entries
}

// lifecycleBuffer is how many unread lifecycle events a tab keeps; more
// are dropped, which is harmless since Navigate waits for one event of its
// own navigation and starts by discarding stale ones.
const lifecycleBuffer = 256

// maxLog bounds the log entries a tab keeps.
const maxLog = 200

// handle receives the tab's events on the connection's reader goroutine.
func (t *Tab) handle(m message) {
	switch m.Method {
	case "Page.lifecycleEvent":
		select {
		case t.lifecycle <- m:
		default:
		}
	case "Log.entryAdded":
		var ev struct {
			Entry struct {
				Source string `json:"source"`
				Level  string `json:"level"`
				Text   string `json:"text"`
				URL    string `json:"url"`
			} `json:"entry"`
		}
		if json.Unmarshal(m.Params, &ev) == nil {
			e := ev.Entry
			t.addLog(fmt.Sprintf("[%s %s] %s %s", e.Source, e.Level, e.Text, e.URL))
		}
	case "Runtime.consoleAPICalled":
		var ev struct {
			Type string `json:"type"`
			Args []struct {
				Value       any    `json:"value"`
				Description string `json:"description"`
			} `json:"args"`
		}
		if json.Unmarshal(m.Params, &ev) == nil {
			parts := []string{"[console " + ev.Type + "]"}
			for _, a := range ev.Args {
				if a.Value != nil {
					parts = append(parts, fmt.Sprint(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			t.addLog(strings.Join(parts, " "))
		}
	}
}

func (t *Tab) addLog(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.log) < maxLog {
		t.log = append(t.log, s)
	}
}

// ResetLog forgets the log entries so far.
func (t *Tab) ResetLog() {
	t.mu.Lock()
	t.log = nil
	t.mu.Unlock()
}

// Log returns the console messages and browser log entries (such as
// "Access to fetch at ... has been blocked by CORS policy") the tab has
// produced so far.
func (t *Tab) Log() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.log...)
}

// NewTab opens an about:blank tab in the context.
func (c *Context) NewTab(ctx context.Context) (*Tab, error) {
	var created struct {
		TargetID string `json:"targetId"`
	}
	params := map[string]any{"url": "about:blank", "browserContextId": c.id}
	if err := c.b.conn.call(ctx, "", "Target.createTarget", params, &created); err != nil {
		return nil, err
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	params = map[string]any{"targetId": created.TargetID, "flatten": true}
	if err := c.b.conn.call(ctx, "", "Target.attachToTarget", params, &attached); err != nil {
		return nil, err
	}
	t := &Tab{
		conn:      c.b.conn,
		targetID:  created.TargetID,
		sessionID: attached.SessionID,
		lifecycle: make(chan message, lifecycleBuffer),
	}
	c.b.conn.subscribe(t.sessionID, t.handle)
	for _, method := range []string{"Page.enable", "Log.enable", "Runtime.enable"} {
		if err := t.call(ctx, method, nil, nil); err != nil {
			return nil, err
		}
	}
	if err := t.call(ctx, "Page.setLifecycleEventsEnabled", map[string]any{"enabled": true}, nil); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *Tab) call(ctx context.Context, method string, params, result any) error {
	if t.closed.Load() {
		return errClosed
	}
	return t.conn.call(ctx, t.sessionID, method, params, result)
}

// Navigate loads url in the tab and waits for its load event, which for an
// HTML page comes after its scripts and iframes have loaded.
func (t *Tab) Navigate(ctx context.Context, url string) error {
	// Drop events left over from earlier navigations.
	for drained := false; !drained; {
		select {
		case <-t.lifecycle:
		default:
			drained = true
		}
	}
	var nav struct {
		LoaderID  string `json:"loaderId"`
		ErrorText string `json:"errorText"`
	}
	if err := t.call(ctx, "Page.navigate", map[string]any{"url": url}, &nav); err != nil {
		return err
	}
	if nav.ErrorText != "" {
		return fmt.Errorf("chromium: navigate to %s: %s", url, nav.ErrorText)
	}
	for {
		select {
		case m := <-t.lifecycle:
			if m.Method != "Page.lifecycleEvent" {
				continue
			}
			var ev struct {
				LoaderID string `json:"loaderId"`
				Name     string `json:"name"`
			}
			if err := json.Unmarshal(m.Params, &ev); err != nil {
				return fmt.Errorf("chromium: lifecycle event: %w", err)
			}
			if ev.LoaderID == nav.LoaderID && ev.Name == "load" {
				return nil
			}
		case <-ctx.Done():
			return fmt.Errorf("chromium: navigate to %s: waiting for load: %w", url, ctx.Err())
		}
	}
}

// Evaluate runs a JavaScript expression in the tab's main frame, awaits it
// if it is a promise, and decodes its JSON value into out (which may be
// nil). A thrown exception or rejected promise is an error.
func (t *Tab) Evaluate(ctx context.Context, expression string, out any) error {
	var res struct {
		Result struct {
			Type  string          `json:"type"`
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception *struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	params := map[string]any{
		"expression":    expression,
		"awaitPromise":  true,
		"returnByValue": true,
	}
	if err := t.call(ctx, "Runtime.evaluate", params, &res); err != nil {
		return err
	}
	if d := res.ExceptionDetails; d != nil {
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg = d.Exception.Description
		}
		return fmt.Errorf("chromium: script threw: %s", msg)
	}
	if out == nil {
		return nil
	}
	if len(res.Result.Value) == 0 {
		return fmt.Errorf("chromium: script returned %s, not a JSON value", res.Result.Type)
	}
	if err := json.Unmarshal(res.Result.Value, out); err != nil {
		return fmt.Errorf("chromium: decode script result: %w", err)
	}
	return nil
}

// Close closes the tab.
func (t *Tab) Close(ctx context.Context) error {
	if t.closed.Swap(true) {
		return nil
	}
	t.conn.unsubscribe(t.sessionID)
	return t.conn.call(ctx, "", "Target.closeTarget", map[string]any{"targetId": t.targetID}, nil)
}

// page is what [Browser.NewPage] returns: a browser context of its own with
// one tab.
type page struct {
	*Tab
	bctx *Context
}

// NewPage opens a tab in a new browser context, which gives it its own
// cookies, HTTP cache and preflight cache.
func (b *Browser) NewPage(ctx context.Context) (browser.Page, error) {
	bc, err := b.NewContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("chromium: create browser context: %w", err)
	}
	tab, err := bc.NewTab(ctx)
	if err != nil {
		_ = bc.Close(ctx)
		return nil, fmt.Errorf("chromium: open tab: %w", err)
	}
	return &page{Tab: tab, bctx: bc}, nil
}

func (p *page) ClearCookies(ctx context.Context) error { return p.bctx.ClearCookies(ctx) }
func (p *page) Console() []string                      { return p.Log() }
func (p *page) ResetConsole()                          { p.ResetLog() }

// Close disposes of the page's browser context, and so of its tab.
func (p *page) Close(ctx context.Context) error {
	p.closed.Store(true)
	p.conn.unsubscribe(p.sessionID)
	return p.bctx.Close(ctx)
}
