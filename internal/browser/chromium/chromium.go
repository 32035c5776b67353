// Package chromium starts a headless Chromium and drives it over the Chrome
// DevTools Protocol (CDP), just enough for gincors' end-to-end tests: open
// tabs, navigate them and evaluate JavaScript that returns JSON.
//
// It is a test helper, not a general-purpose CDP client: one websocket to
// the browser endpoint, flat sessions for tabs, and the handful of
// commands the tests need. A Browser and its Contexts are safe for
// concurrent use; a Tab is driven by one goroutine at a time.
package chromium

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"github.com/gincors/gincors/internal/browser"
)

// EnvPath is the environment variable that overrides the browser
// executable. Set it to a path that does not exist to see what happens on a
// machine without Chromium.
const EnvPath = "GINCORS_CHROMIUM"

// Find returns the browser executable: $GINCORS_CHROMIUM if set (which must
// then exist), otherwise chromium or chromium-browser on $PATH. The error
// wraps [browser.ErrNotFound] when there is none.
func Find() (string, error) {
	path, err := browser.Find(EnvPath, "chromium", "chromium-browser")
	if err != nil {
		return "", fmt.Errorf("chromium: %w", err)
	}
	return path, nil
}

// Options configure [Launch].
type Options struct {
	// Path is the browser executable, as returned by [Find].
	Path string
	// HostResolverRules is passed as --host-resolver-rules, such as
	// "MAP *.test 127.0.0.1".
	HostResolverRules string
	// ExtraArgs are appended to the command line.
	ExtraArgs []string
}

// baseArgs are the flags every launch uses: headless, no sandbox (tests
// often run as root in containers), and nothing that talks to the network
// or to the user's profile on its own.
var baseArgs = []string{
	"--headless",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--no-default-browser-check",
	"--no-proxy-server",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
	"--disable-extensions",
	"--disable-breakpad",
	"--disable-crash-reporter",
	"--disable-dev-shm-usage",
	"--mute-audio",
	"--remote-debugging-port=0",
	// x/net/websocket always sends an Origin header, which Chromium
	// refuses on the DevTools socket unless allowed.
	"--remote-allow-origins=" + devtoolsOrigin,
}

const devtoolsOrigin = "http://127.0.0.1"

// Browser is a running Chromium with its own temporary profile. It
// implements [browser.Browser].
type Browser struct {
	proc    *browser.Process
	dir     string // temporary: profile, config and cache
	out     *browser.Output
	conn    *conn
	version string

	closeOnce sync.Once
	closeErr  error
}

var _ browser.Browser = (*Browser)(nil)

// Launch starts Chromium with a fresh temporary profile and connects to its
// DevTools endpoint. ctx bounds the start-up only; the browser runs until
// [Browser.Close].
func Launch(ctx context.Context, opts Options) (*Browser, error) {
	if opts.Path == "" {
		return nil, errors.New("chromium: Options.Path is empty")
	}
	// One temporary directory holds the profile and whatever Chromium
	// writes under $XDG_CONFIG_HOME and $XDG_CACHE_HOME (its crash handler
	// creates "Crash Reports" there whatever the flags say), so that Close
	// leaves nothing behind.
	dir, err := os.MkdirTemp("", "gincors-chromium-")
	if err != nil {
		return nil, fmt.Errorf("chromium: temporary directory: %w", err)
	}
	args := append([]string(nil), baseArgs...)
	args = append(args, "--user-data-dir="+filepath.Join(dir, "profile"))
	if opts.HostResolverRules != "" {
		args = append(args, "--host-resolver-rules="+opts.HostResolverRules)
	}
	args = append(args, opts.ExtraArgs...)
	args = append(args, "about:blank")

	out := browser.NewOutput(devtoolsPrefix)
	cmd := exec.Command(opts.Path, args...)
	cmd.Env = append(os.Environ(),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
		"XDG_CACHE_HOME="+filepath.Join(dir, "cache"),
	)
	proc, err := browser.Start(cmd, out)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("chromium: %w", err)
	}
	b := &Browser{proc: proc, dir: dir, out: out}
	if err := b.connect(ctx); err != nil {
		_ = b.Close()
		return nil, err
	}
	var res struct {
		Product string `json:"product"`
	}
	if err := b.conn.call(ctx, "", "Browser.getVersion", nil, &res); err != nil {
		_ = b.Close()
		return nil, err
	}
	b.version = res.Product
	return b, nil
}

// connect waits for the DevTools endpoint and connects to it.
func (b *Browser) connect(ctx context.Context) error {
	var wsURL string
	select {
	case wsURL = <-b.out.Announced:
	case <-b.proc.Done():
		return fmt.Errorf("chromium: exited before DevTools was listening (%v); output:\n%s", b.proc.Err(), b.out.Tail())
	case <-ctx.Done():
		return fmt.Errorf("chromium: DevTools endpoint not announced: %w; output:\n%s", ctx.Err(), b.out.Tail())
	}
	conn, err := dial(ctx, wsURL)
	if err != nil {
		return err
	}
	b.conn = conn
	return nil
}

// Engine returns "Chromium".
func (b *Browser) Engine() string { return "Chromium" }

// Version returns the browser's product string, such as
// "HeadlessChrome/156.0.8078.114".
func (b *Browser) Version() string { return b.version }

// HasConsole returns true: DevTools reports console messages and the
// browser's log, where blocked CORS requests are explained.
func (b *Browser) HasConsole() bool { return true }

// Output returns the last lines the browser wrote to stdout and stderr,
// for diagnostics.
func (b *Browser) Output() string { return b.out.Tail() }

// Close asks the browser to exit, kills its process group if it has not
// exited within a few seconds, and removes its temporary directory. It is
// safe to call more than once.
func (b *Browser) Close() error {
	b.closeOnce.Do(func() {
		if b.conn != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			_ = b.conn.call(ctx, "", "Browser.close", nil, nil)
			cancel()
			b.conn.close()
		}
		b.proc.Stop(3 * time.Second)
		b.closeErr = browser.RemoveDir(b.dir)
	})
	return b.closeErr
}

const devtoolsPrefix = "DevTools listening on "
