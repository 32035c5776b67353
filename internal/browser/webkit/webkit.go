// Package webkit drives WebKitGTK's MiniBrowser (Safari's engine) through
// WebKitWebDriver, classic W3C WebDriver over HTTP and JSON, just enough
// for gincors' end-to-end tests. It starts its own Xvfb display, and a
// small forward proxy that sends every *.test host to 127.0.0.1, since
// WebKitGTK has no host-resolver override.
//
// WebKitWebDriver serves one session at a time, so each page is a driver
// process of its own with one session, and so one MiniBrowser. Console
// messages are not available through WebDriver.
package webkit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gincors/gincors/internal/browser"
)

// EnvPath is the environment variable that overrides the WebKitWebDriver
// executable.
const EnvPath = "GINCORS_WEBKITWEBDRIVER"

// MiniBrowserPaths are where Debian installs MiniBrowser.
var MiniBrowserPaths = []string{
	"/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
	"/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
	"/usr/lib/x86_64-linux-gnu/webkitgtk-6.0/MiniBrowser",
	"/usr/lib/aarch64-linux-gnu/webkitgtk-6.0/MiniBrowser",
}

// Executables are what [Find] found.
type Executables struct {
	Driver      string // WebKitWebDriver
	MiniBrowser string
	Xvfb        string
}

// Find returns the WebKitWebDriver ($GINCORS_WEBKITWEBDRIVER or on
// $PATH), MiniBrowser and Xvfb executables; the error wraps
// [browser.ErrNotFound] if one is missing.
func Find() (Executables, error) {
	var ex Executables
	var err error
	if ex.Driver, err = browser.Find(EnvPath, "WebKitWebDriver"); err != nil {
		return ex, fmt.Errorf("webkit: %w", err)
	}
	if ex.MiniBrowser, err = browser.Find("GINCORS_MINIBROWSER", MiniBrowserPaths...); err != nil {
		return ex, fmt.Errorf("webkit: MiniBrowser: %w", err)
	}
	if ex.Xvfb, err = browser.Find("GINCORS_XVFB", "Xvfb"); err != nil {
		return ex, fmt.Errorf("webkit: Xvfb: %w", err)
	}
	return ex, nil
}

// Options configure [Launch].
type Options struct {
	Executables
	// CookieURLs are pages whose cookies ClearCookies deletes: WebDriver
	// deletes only the cookies of the current document's host, so
	// ClearCookies visits each. They must be served by something that
	// answers quickly.
	CookieURLs []string
	// Proxy, if set, is the host:port of an HTTP proxy for plain-http
	// requests that replaces the built-in one for *.test hosts; https
	// requests then go direct.
	Proxy string
}

// Browser is an Xvfb display and the forward proxy, on which each page
// runs a WebKitWebDriver and its MiniBrowser. It implements
// [browser.Browser].
type Browser struct {
	opts    Options
	dir     string
	xvfb    *browser.Process
	display string
	out     *browser.Output
	proxy   *proxy
	version string

	mu      sync.Mutex
	drivers map[*driver]bool // running, for Close

	closeOnce sync.Once
	closeErr  error
}

var _ browser.Browser = (*Browser)(nil)

// Launch starts Xvfb, the proxy and WebKitWebDriver, and opens and closes
// one session to learn the browser version. ctx bounds the start-up.
func Launch(ctx context.Context, opts Options) (*Browser, error) {
	if opts.Driver == "" || opts.MiniBrowser == "" || opts.Xvfb == "" {
		return nil, errors.New("webkit: Options lacks an executable")
	}
	dir, err := os.MkdirTemp("", "gincors-webkit-")
	if err != nil {
		return nil, fmt.Errorf("webkit: temporary directory: %w", err)
	}
	b := &Browser{opts: opts, dir: dir, out: browser.NewOutput(""), drivers: map[*driver]bool{}}
	if err := b.start(ctx); err != nil {
		_ = b.Close()
		return nil, err
	}
	return b, nil
}

func (b *Browser) start(ctx context.Context) error {
	var err error
	if b.display, err = b.startXvfb(ctx); err != nil {
		return err
	}
	if b.opts.Proxy == "" {
		if b.proxy, err = startProxy(); err != nil {
			return err
		}
	}
	p, err := b.newPage(ctx)
	if err != nil {
		return err
	}
	return p.Close(ctx)
}

// proxyAddr is the proxy every page uses.
func (b *Browser) proxyAddr() string {
	if b.opts.Proxy != "" {
		return b.opts.Proxy
	}
	return b.proxy.addr
}

// driver is one WebKitWebDriver process.
type driver struct {
	proc *browser.Process
	out  *browser.Output
	base string // http://127.0.0.1:PORT
}

// startDriver starts a WebKitWebDriver on the display and waits until it
// is ready.
func (b *Browser) startDriver(ctx context.Context) (*driver, error) {
	// WebKitWebDriver takes a port, not 0; borrow a free one.
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("webkit: pick a port: %w", err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	cmd := exec.Command(b.opts.Driver, fmt.Sprintf("--port=%d", port), "--host=127.0.0.1")
	cmd.Env = append(os.Environ(),
		"DISPLAY="+b.display,
		"HOME="+b.dir,
		"XDG_CONFIG_HOME="+filepath.Join(b.dir, "config"),
		"XDG_CACHE_HOME="+filepath.Join(b.dir, "cache"),
		"XDG_DATA_HOME="+filepath.Join(b.dir, "data"),
		"XDG_RUNTIME_DIR="+b.dir,
		"WEBKIT_DISABLE_COMPOSITING_MODE=1",
		"LIBGL_ALWAYS_SOFTWARE=1",
		"GTK_A11Y=none",
		"NO_AT_BRIDGE=1",
	)
	d := &driver{out: b.out, base: fmt.Sprintf("http://127.0.0.1:%d", port)}
	if d.proc, err = browser.Start(cmd, b.out); err != nil {
		return nil, fmt.Errorf("webkit: %w", err)
	}
	b.mu.Lock()
	b.drivers[d] = true
	b.mu.Unlock()
	for {
		var status struct {
			Ready bool `json:"ready"`
		}
		if err := d.do(ctx, http.MethodGet, "/status", nil, &status); err == nil && status.Ready {
			return d, nil
		}
		select {
		case <-d.proc.Done():
			err = fmt.Errorf("webkit: WebKitWebDriver exited (%v); output:\n%s", d.proc.Err(), b.out.Tail())
		case <-ctx.Done():
			err = fmt.Errorf("webkit: WebKitWebDriver not ready: %w; output:\n%s", ctx.Err(), b.out.Tail())
		case <-time.After(20 * time.Millisecond):
			continue
		}
		b.stopDriver(d)
		return nil, err
	}
}

// stopDriver kills the driver's process group: MiniBrowser and the WebKit
// processes outlive the driver otherwise.
func (b *Browser) stopDriver(d *driver) {
	d.proc.Stop(0)
	b.mu.Lock()
	delete(b.drivers, d)
	b.mu.Unlock()
}

// startXvfb starts a virtual display and returns its name, ":N". Xvfb picks
// a free display number itself and writes it to the -displayfd pipe.
func (b *Browser) startXvfb(ctx context.Context) (string, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return "", fmt.Errorf("webkit: pipe: %w", err)
	}
	defer r.Close()
	cmd := exec.Command(b.opts.Xvfb, "-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp", "-noreset")
	cmd.ExtraFiles = []*os.File{w} // fd 3
	b.xvfb, err = browser.Start(cmd, b.out)
	_ = w.Close()
	if err != nil {
		return "", fmt.Errorf("webkit: %w", err)
	}
	got := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(line)
	}()
	select {
	case n := <-got:
		if n == "" {
			return "", fmt.Errorf("webkit: Xvfb announced no display; output:\n%s", b.out.Tail())
		}
		return ":" + n, nil
	case <-ctx.Done():
		return "", fmt.Errorf("webkit: Xvfb display not announced: %w", ctx.Err())
	}
}

// do sends one WebDriver command and decodes the "value" of its answer.
func (b *driver) do(ctx context.Context, method, path string, body, value any) error {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, b.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("webkit: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("webkit: %s %s: %w", method, path, err)
	}
	var answer struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(data, &answer); err != nil {
		return fmt.Errorf("webkit: %s %s: %d %q", method, path, resp.StatusCode, data)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		_ = json.Unmarshal(answer.Value, &e)
		return fmt.Errorf("webkit: %s %s: %s: %s", method, path, e.Error, e.Message)
	}
	if value == nil {
		return nil
	}
	return json.Unmarshal(answer.Value, value)
}

// Engine returns "WebKit".
func (b *Browser) Engine() string { return "WebKit" }

// Version returns the browser name and version, such as
// "MiniBrowser 2.50.6".
func (b *Browser) Version() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.version
}

// HasConsole returns false: WebDriver does not expose the console.
func (b *Browser) HasConsole() bool { return false }

// Output returns the last lines Xvfb, the driver and the browsers wrote.
func (b *Browser) Output() string { return b.out.Tail() }

// Close kills the driver's process group (MiniBrowser outlives the driver
// otherwise), then Xvfb's, stops the proxy and removes the temporary files.
func (b *Browser) Close() error {
	b.closeOnce.Do(func() {
		b.mu.Lock()
		drivers := make([]*driver, 0, len(b.drivers))
		for d := range b.drivers {
			drivers = append(drivers, d)
		}
		b.mu.Unlock()
		for _, d := range drivers {
			b.stopDriver(d)
		}
		if b.xvfb != nil {
			b.xvfb.Stop(0)
		}
		if b.proxy != nil {
			b.proxy.close()
		}
		b.closeErr = browser.RemoveDir(b.dir)
	})
	return b.closeErr
}

// page is a driver with one session: one MiniBrowser.
type page struct {
	b  *Browser
	d  *driver
	id string
}

// NewPage starts a driver and a session, which starts a MiniBrowser with
// an ephemeral profile of its own.
func (b *Browser) NewPage(ctx context.Context) (browser.Page, error) { return b.newPage(ctx) }

func (b *Browser) newPage(ctx context.Context) (*page, error) {
	d, err := b.startDriver(ctx)
	if err != nil {
		return nil, err
	}
	caps := map[string]any{
		"capabilities": map[string]any{
			"alwaysMatch": map[string]any{
				"webkitgtk:browserOptions": map[string]any{
					"binary": b.opts.MiniBrowser,
					"args":   []string{"--automation"},
				},
				"proxy": map[string]any{
					"proxyType": "manual",
					"httpProxy": b.proxyAddr(),
				},
				"pageLoadStrategy": "normal",
			},
		},
	}
	var res struct {
		SessionID    string `json:"sessionId"`
		Capabilities struct {
			BrowserName    string `json:"browserName"`
			BrowserVersion string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	if err := d.do(ctx, http.MethodPost, "/session", caps, &res); err != nil {
		b.stopDriver(d)
		return nil, fmt.Errorf("%w; output:\n%s", err, b.out.Tail())
	}
	b.mu.Lock()
	if b.version == "" {
		b.version = res.Capabilities.BrowserName + " " + res.Capabilities.BrowserVersion
	}
	b.mu.Unlock()
	return &page{b: b, d: d, id: res.SessionID}, nil
}

func (p *page) Navigate(ctx context.Context, url string) error {
	return p.d.do(ctx, http.MethodPost, "/session/"+p.id+"/url", map[string]any{"url": url}, nil)
}

func (p *page) Evaluate(ctx context.Context, expression string, out any) error {
	// Execute Script awaits a returned promise.
	script := "return (async () => JSON.stringify(await (" + expression + ")))()"
	var s *string
	if err := p.d.do(ctx, http.MethodPost, "/session/"+p.id+"/execute/sync", map[string]any{"script": script, "args": []any{}}, &s); err != nil {
		return err
	}
	if s == nil {
		return errors.New("webkit: script returned undefined, not a JSON value")
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal([]byte(*s), out); err != nil {
		return fmt.Errorf("webkit: decode script result: %w", err)
	}
	return nil
}

// ClearCookies visits each of Options.CookieURLs and deletes the cookies
// of its host.
func (p *page) ClearCookies(ctx context.Context) error {
	for _, u := range p.b.opts.CookieURLs {
		if err := p.Navigate(ctx, u); err != nil {
			return err
		}
		if err := p.d.do(ctx, http.MethodDelete, "/session/"+p.id+"/cookie", nil, nil); err != nil {
			return err
		}
	}
	return nil
}

func (p *page) Console() []string { return nil }
func (p *page) ResetConsole()     {}

// Close ends the session, and then the driver's process group.
func (p *page) Close(ctx context.Context) error {
	err := p.d.do(ctx, http.MethodDelete, "/session/"+p.id, nil, nil)
	p.b.stopDriver(p.d)
	return err
}
