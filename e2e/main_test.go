package e2e

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gincors/gincors/internal/browser"
	"github.com/gincors/gincors/internal/browser/chromium"
	"github.com/gincors/gincors/internal/browser/firefox"
	"github.com/gincors/gincors/internal/browser/webkit"
)

// installHint is how to get every browser the suite drives.
const installHint = "apt-get update && apt-get install -y chromium firefox-esr webkit2gtk-driver xvfb"

// strictAuthorizationPref makes Firefox apply the Fetch standard's rule
// that "*" in Access-Control-Allow-Headers never covers Authorization
// (https://fetch.spec.whatwg.org/#cors-preflight-fetch, step 7.6 onward),
// which no engine enforces by default yet.
const strictAuthorizationPref = "network.cors_preflight.authorization_covered_by_wildcard"

// testHosts are every host name a page or API is reached under. Chromium
// maps *.test with a resolver rule and WebKit through the proxy, but
// Firefox's network.dns.localDomains takes exact names only, so a host
// used by a scenario must be listed here.
var testHosts = []string{
	"app.example.test", "api.example.test", "example.test",
	"a.example.test", "b.example.test", "a.b.example.test",
	"admin.example.test", "other.example.test",
	"trusted.example.test", "untrusted.example.test",
	"evil.test", "evilexample.test", "adminxexample.test",
	"example.test.evil.test", "admin.example.test.evil.test",
}

// engine is one browser configuration the whole suite runs in.
type engine struct {
	id    string // subtest name: chromium, firefox, firefox-strict, webkit
	title string // column title in the results table
	// find reports whether the engine is installed.
	find   func() error
	launch func(ctx context.Context) (browser.Browser, error)

	browser  browser.Browser
	slots    chan *slot
	missing  bool  // not installed: skip, or fail under CI=true
	excluded bool  // left out by GINCORS_ENGINES: skip
	setupErr error // why it is unusable
	startup  time.Duration
	// ready is closed once the fields above are set: tests wait for
	// their engine only, so Chromium's run while Firefox starts.
	ready chan struct{}
}

// Engine families, as browser.Browser.Engine names them.
const (
	familyChromium = "Chromium"
	familyFirefox  = "Firefox"
	familyWebKit   = "WebKit"
)

// family is the engine's family: Firefox for both Firefox runs.
func (e *engine) family() string { return strings.SplitN(e.title, " ", 2)[0] }

// engines are the four configurations, in the results table's order.
var engines = []*engine{
	{
		id: "chromium", title: "Chromium",
		find: func() error { _, err := chromium.Find(); return err },
		launch: func(ctx context.Context) (browser.Browser, error) {
			path, err := chromium.Find()
			if err != nil {
				return nil, err
			}
			return chromium.Launch(ctx, chromium.Options{Path: path, HostResolverRules: "MAP *.test 127.0.0.1"})
		},
	},
	{
		id: "firefox", title: "Firefox",
		find: func() error { _, err := firefox.Find(); return err },
		launch: func(ctx context.Context) (browser.Browser, error) {
			return launchFirefox(ctx, nil)
		},
	},
	{
		id: "firefox-strict", title: "Firefox (strict)",
		find: func() error { _, err := firefox.Find(); return err },
		launch: func(ctx context.Context) (browser.Browser, error) {
			return launchFirefox(ctx, map[string]any{strictAuthorizationPref: false})
		},
	},
	{
		id: "webkit", title: "WebKit",
		find: func() error { _, err := webkit.Find(); return err },
		launch: func(ctx context.Context) (browser.Browser, error) {
			ex, err := webkit.Find()
			if err != nil {
				return nil, err
			}
			// Cookies are only ever set by API servers, reached as
			// api.example.test; cookies ignore ports, so clearing them
			// on the page server's port clears them for every API server.
			return webkit.Launch(ctx, webkit.Options{
				Executables: ex,
				CookieURLs:  []string{pageOrigin(apiHost) + "/blank"},
			})
		},
	},
}

// engineByID returns the engine with id, which must exist.
func engineByID(id string) *engine {
	for _, e := range engines {
		if e.id == id {
			return e
		}
	}
	panic("e2e: no engine " + id)
}

func launchFirefox(ctx context.Context, prefs map[string]any) (browser.Browser, error) {
	path, err := firefox.Find()
	if err != nil {
		return nil, err
	}
	return firefox.Launch(ctx, firefox.Options{Path: path, LocalDomains: testHosts, Prefs: prefs})
}

// enginesEnv, if set, lists the engine ids to run (such as
// "chromium,webkit"); the others skip, even under CI=true.
const enginesEnv = "GINCORS_ENGINES"

// suite is what TestMain sets up once for every test.
var suite struct {
	pagePort string // port of the page server, part of every page origin
}

// parallelPages is how many tests may run at once. The engines' page
// pools (see slotsPerEngine) bound the real work; this only has to be
// large enough that tests waiting for one engine (to start, or for a
// free page) never hold up another's.
const parallelPages = 64

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	flag.Parse() // for testing.Verbose and -parallel
	gin.SetMode(gin.TestMode)
	setParallel()

	pages, err := startPageServer()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer pages.Close()
	suite.pagePort = portOf(pages.Listener)

	startEngines()
	defer closeEngines()
	announceMissing(os.Stdout)

	code := m.Run()
	waitEngines()
	// A full run must have seen every phrase docs/troubleshooting.md quotes.
	if code == 0 && flag.Lookup("test.run").Value.String() == "" && engineByID("chromium").browser != nil {
		if missing := unconfirmedPhrases(); len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "e2e: console phrases no scenario saw in Chromium's console: %q\n", missing)
			return 1
		}
	}
	if code == 0 && os.Getenv(updateResultsEnv) == "1" {
		if err := writeResults(); err != nil {
			fmt.Fprintln(os.Stderr, "e2e: writing results:", err)
			return 1
		}
	}
	return code
}

// setParallel raises -test.parallel to parallelPages unless it was set on
// the command line.
func setParallel() {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		_ = flag.Set("test.parallel", fmt.Sprint(parallelPages))
	}
}

// startEngines launches every installed engine at once, in the
// background: Firefox takes seconds to start, the others about one.
func startEngines() {
	only := os.Getenv(enginesEnv)
	for _, e := range engines {
		e.ready = make(chan struct{})
		if only != "" && !slices.Contains(strings.Split(only, ","), e.id) {
			e.excluded, e.setupErr = true, fmt.Errorf("%s=%s leaves it out", enginesEnv, only)
			close(e.ready)
			continue
		}
		if err := e.find(); err != nil {
			e.missing, e.setupErr = true, err
			close(e.ready)
			continue
		}
		go func() {
			defer close(e.ready)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			start := time.Now()
			b, err := e.launch(ctx)
			e.startup = time.Since(start)
			if err != nil {
				e.setupErr = err
				return
			}
			e.browser = b
			e.setupErr = e.fillPool()
			if testing.Verbose() {
				fmt.Printf("e2e: %s: %s, started in %v\n", e.title, b.Version(), e.startup.Round(time.Millisecond))
			}
		}()
	}
}

// announceMissing prints one line per engine that is not installed, so
// that a machine without browsers learns why the suite passed so quickly.
// For a package that passes, go test ./... shows only its "ok" line and
// drops what the test printed (unless -v), so without -v the lines also
// go to the terminal (/dev/tty) when there is one. Under CI=true the
// engine's tests fail as well, which shows them in any case.
func announceMissing(w io.Writer) {
	lines := missingLines(engines, os.Getenv("CI") == "true")
	if len(lines) == 0 {
		return
	}
	text := strings.Join(lines, "\n") + "\n"
	fmt.Fprint(w, text)
	if testing.Verbose() {
		return // -v shows w
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		fmt.Fprint(tty, text)
		tty.Close()
	}
}

// missingLines is one line per engine of es that is not installed (not
// one that GINCORS_ENGINES leaves out), naming the install command. Under
// CI (ci true) the engine's tests fail rather than skip.
func missingLines(es []*engine, ci bool) []string {
	outcome := "are skipped"
	if ci {
		outcome = "fail (CI=true requires every engine)"
	}
	var lines []string
	for _, e := range es {
		if e.missing {
			lines = append(lines, fmt.Sprintf("e2e: %s is not installed, so its tests %s (%v); install every engine with `%s`", e.title, outcome, e.setupErr, installHint))
		}
	}
	return lines
}

// waitEngines waits until every engine has started or failed to.
func waitEngines() {
	for _, e := range engines {
		<-e.ready
	}
}

func closeEngines() {
	waitEngines()
	var wg sync.WaitGroup
	for _, e := range engines {
		if e.browser == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := e.browser.Close(); err != nil {
				fmt.Fprintf(os.Stderr, "e2e: closing %s: %v\n", e.title, err)
			}
		}()
	}
	wg.Wait()
}

// requireEngine skips t when e is not installed, or fails it when every
// engine is required (CI=true) or e is installed but unusable.
func requireEngine(t *testing.T, e *engine) {
	t.Helper()
	<-e.ready
	if e.setupErr == nil {
		return
	}
	if e.excluded {
		t.Skipf("%s is not run: %v", e.title, e.setupErr)
	}
	if e.missing {
		msg := fmt.Sprintf("%s is not installed, so its end-to-end tests are skipped: %v; install every engine with `%s`", e.title, e.setupErr, installHint)
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true requires every engine: %s", msg)
		}
		t.Skip(msg)
	}
	t.Fatalf("%s is installed but unusable: %v", e.title, e.setupErr)
}

// forEachEngine runs f as a parallel subtest per engine, named by the
// engine's id.
func forEachEngine(t *testing.T, f func(t *testing.T, e *engine)) {
	t.Helper()
	for _, e := range engines {
		t.Run(e.id, func(t *testing.T) {
			t.Parallel()
			requireEngine(t, e)
			f(t, e)
		})
	}
}

// TestBrowsersAvailable reports each engine's version and start-up time,
// and fails under CI=true when one is missing, so that a CI run can never
// pass by skipping an engine.
func TestBrowsersAvailable(t *testing.T) {
	wantProduct := map[string]string{
		familyChromium: "Chrome/", familyFirefox: "firefox ", familyWebKit: "MiniBrowser ",
	}
	for _, e := range engines {
		t.Run(e.id, func(t *testing.T) {
			requireEngine(t, e)
			assert.Equal(t, e.family(), e.browser.Engine())
			assert.Contains(t, e.browser.Version(), wantProduct[e.family()])
			t.Logf("%s: %s, started in %v", e.title, e.browser.Version(), e.startup.Round(time.Millisecond))
		})
	}
}

// TestMissingEngineIsReported pins down what a machine without an engine
// sees: a skip that names the engine and the install command, not a
// silent pass.
func TestMissingEngineIsReported(t *testing.T) {
	t.Setenv(chromium.EnvPath, "/nonexistent/chromium")
	_, err := chromium.Find()
	require.Error(t, err)
	assert.True(t, errors.Is(err, browser.ErrNotFound), "%v", err)
	assert.Contains(t, err.Error(), "/nonexistent/chromium")
}

// TestMissingLines pins down the line TestMain prints per engine that is
// not installed: its name, why, and the install command; an engine left
// out by GINCORS_ENGINES or one that is installed gets none.
func TestMissingLines(t *testing.T) {
	notFound := fmt.Errorf("%w (looked for [chromium])", browser.ErrNotFound)
	tests := []struct {
		name    string
		engines []*engine
		ci      bool
		want    []string
	}{
		{"none missing", []*engine{{title: "Chromium"}}, false, nil},
		{"left out by GINCORS_ENGINES", []*engine{{title: "WebKit", excluded: true, setupErr: errors.New("GINCORS_ENGINES=chromium leaves it out")}}, false, nil},
		{
			"one missing", []*engine{{title: "Chromium", missing: true, setupErr: notFound}, {title: "WebKit"}}, false,
			[]string{"e2e: Chromium is not installed, so its tests are skipped (executable not found (looked for [chromium])); install every engine with `" + installHint + "`"},
		},
		{
			"one missing under CI", []*engine{{title: "WebKit", missing: true, setupErr: notFound}}, true,
			[]string{"e2e: WebKit is not installed, so its tests fail (CI=true requires every engine) (executable not found (looked for [chromium])); install every engine with `" + installHint + "`"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, missingLines(tt.engines, tt.ci))
		})
	}
}

func portOf(l net.Listener) string {
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

// startServer serves h over HTTP on an ephemeral port of 127.0.0.1 (and
// never [::1], which httptest falls back to).
func startServer(h http.Handler) (*httptest.Server, error) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	s := &httptest.Server{Listener: l, Config: &http.Server{Handler: h}}
	s.Start()
	return s, nil
}
