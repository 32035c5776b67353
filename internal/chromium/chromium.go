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
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// EnvPath is the environment variable that overrides the browser
// executable. Set it to a path that does not exist to see what happens on a
// machine without Chromium.
const EnvPath = "GINCORS_CHROMIUM"

// ErrNotFound is returned by [Find] when no browser executable is available.
var ErrNotFound = errors.New("chromium: no Chromium executable found")

// Find returns the browser executable: $GINCORS_CHROMIUM if set (which must
// then exist), otherwise chromium or chromium-browser on $PATH. The error
// wraps [ErrNotFound] when there is none.
func Find() (string, error) {
	if p := os.Getenv(EnvPath); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			return "", fmt.Errorf("%w: %s=%s: %v", ErrNotFound, EnvPath, p, err)
		}
		return path, nil
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("%w on $PATH (looked for chromium and chromium-browser; set %s to override)", ErrNotFound, EnvPath)
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

// Browser is a running Chromium with its own temporary profile.
type Browser struct {
	cmd     *exec.Cmd
	dir     string // temporary: profile, config and cache
	stderr  *stderrLog
	conn    *conn
	done    chan struct{} // closed when the process has exited
	waitErr error

	closeOnce sync.Once
	closeErr  error
}

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

	log := newStderrLog()
	cmd := exec.Command(opts.Path, args...)
	cmd.Env = append(os.Environ(),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
		"XDG_CACHE_HOME="+filepath.Join(dir, "cache"),
	)
	cmd.Stdout = log
	cmd.Stderr = log
	// Its own process group, so Close can end the renderers and helpers
	// it spawns along with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// Helpers inherit stderr; do not let one that outlives the browser
	// keep Wait blocked.
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("chromium: start %s: %w", opts.Path, err)
	}
	b := &Browser{cmd: cmd, dir: dir, stderr: log, done: make(chan struct{})}
	go func() {
		b.waitErr = cmd.Wait()
		close(b.done)
	}()
	if err := b.connect(ctx); err != nil {
		_ = b.Close()
		return nil, err
	}
	return b, nil
}

// connect waits for the DevTools endpoint and connects to it.
func (b *Browser) connect(ctx context.Context) error {
	var wsURL string
	select {
	case wsURL = <-b.stderr.endpoint:
	case <-b.done:
		return fmt.Errorf("chromium: exited before DevTools was listening (%v); output:\n%s", b.waitErr, b.stderr.tail())
	case <-ctx.Done():
		return fmt.Errorf("chromium: DevTools endpoint not announced: %w; output:\n%s", ctx.Err(), b.stderr.tail())
	}
	conn, err := dial(ctx, wsURL)
	if err != nil {
		return err
	}
	b.conn = conn
	return nil
}

// Version returns the browser's product string, such as
// "HeadlessChrome/156.0.8078.79".
func (b *Browser) Version(ctx context.Context) (string, error) {
	var res struct {
		Product string `json:"product"`
	}
	if err := b.conn.call(ctx, "", "Browser.getVersion", nil, &res); err != nil {
		return "", err
	}
	return res.Product, nil
}

// Output returns the last lines the browser wrote to stdout and stderr,
// for diagnostics.
func (b *Browser) Output() string { return b.stderr.tail() }

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
		select {
		case <-b.done:
		case <-time.After(3 * time.Second):
		}
		// Whatever is left of the group we started, by its id.
		_ = syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
		<-b.done
		// The browser may still be flushing the profile when it exits;
		// retry briefly rather than leave it behind.
		deadline := time.Now().Add(2 * time.Second)
		for {
			b.closeErr = os.RemoveAll(b.dir)
			if b.closeErr == nil || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
	return b.closeErr
}

// stderrLog receives the browser's output: it reports the DevTools
// endpoint once and keeps the last lines for error messages.
type stderrLog struct {
	mu       sync.Mutex
	partial  []byte
	lines    []string
	found    bool
	endpoint chan string
}

const (
	stderrKeep     = 40
	devtoolsPrefix = "DevTools listening on "
)

func newStderrLog() *stderrLog { return &stderrLog{endpoint: make(chan string, 1)} }

func (l *stderrLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		line := strings.TrimRight(string(l.partial[:i]), "\r")
		l.partial = l.partial[i+1:]
		if !l.found {
			if rest, ok := strings.CutPrefix(line, devtoolsPrefix); ok && strings.HasPrefix(rest, "ws://") {
				l.found = true
				l.endpoint <- strings.TrimSpace(rest)
			}
		}
		l.lines = append(l.lines, line)
		if len(l.lines) > stderrKeep {
			l.lines = l.lines[len(l.lines)-stderrKeep:]
		}
	}
	return len(p), nil
}

func (l *stderrLog) tail() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}
