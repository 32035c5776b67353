package e2e

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"github.com/gincors/gincors/internal/chromium"
)

// installHint is how to get the browser the suite needs.
const installHint = "apt-get update && apt-get install -y chromium"

// suite is what TestMain sets up once for every test.
var suite struct {
	browser  *chromium.Browser
	version  string
	pagePort string // port of the page server, part of every page origin

	missing  bool  // no browser executable: skip, or fail under CI=true
	setupErr error // why the browser is unusable
}

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	flag.Parse() // for testing.Verbose
	gin.SetMode(gin.TestMode)

	pages, err := startPageServer()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer pages.Close()
	suite.pagePort = portOf(pages.Listener)

	path, err := chromium.Find()
	if err != nil {
		suite.missing = true
		suite.setupErr = err
		return m.Run()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := chromium.Launch(ctx, chromium.Options{
		Path:              path,
		HostResolverRules: "MAP *.test 127.0.0.1",
	})
	if err != nil {
		suite.setupErr = err
		return m.Run()
	}
	defer func() {
		if err := b.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "e2e: closing Chromium:", err)
		}
	}()
	suite.browser = b
	suite.version, err = b.Version(ctx)
	if err != nil {
		suite.setupErr = fmt.Errorf("DevTools Browser.getVersion: %w", err)
		return m.Run()
	}
	if err := fillPool(); err != nil {
		suite.setupErr = err
		return m.Run()
	}
	if testing.Verbose() {
		fmt.Printf("e2e: %s (%s)\n", suite.version, path)
	}
	return m.Run()
}

// requireBrowser skips t when there is no browser, or fails it when the
// browser is required (CI=true) or present but unusable.
func requireBrowser(t *testing.T) {
	t.Helper()
	if suite.setupErr == nil {
		return
	}
	if suite.missing {
		msg := fmt.Sprintf("no Chromium, so no end-to-end tests: %v; install it with `%s`", suite.setupErr, installHint)
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true requires the browser: %s", msg)
		}
		t.Skip(msg)
	}
	t.Fatalf("Chromium is installed but unusable: %v", suite.setupErr)
}

// TestBrowserAvailable reports the browser version, and fails under
// CI=true when there is none, so that a CI run can never pass by skipping
// every scenario.
func TestBrowserAvailable(t *testing.T) {
	requireBrowser(t)
	require.Contains(t, suite.version, "Chrome/")
	t.Logf("browser: %s", suite.version)
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
