// Package firefox starts a headless Firefox and drives it over WebDriver
// BiDi, just enough for gincors' end-to-end tests: isolated pages (one
// user context each), navigation, scripts that return JSON, and the
// console messages that log.entryAdded forwards.
//
// It is a test helper, not a general-purpose BiDi client.
package firefox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gincors/gincors/internal/browser"
)

// EnvPath is the environment variable that overrides the browser
// executable.
const EnvPath = "GINCORS_FIREFOX"

// Find returns the browser executable: $GINCORS_FIREFOX if set, otherwise
// firefox-esr or firefox on $PATH.
func Find() (string, error) {
	path, err := browser.Find(EnvPath, "firefox-esr", "firefox")
	if err != nil {
		return "", fmt.Errorf("firefox: %w", err)
	}
	return path, nil
}

// Options configure [Launch].
type Options struct {
	// Path is the browser executable, as returned by [Find].
	Path string
	// LocalDomains are host names resolved to loopback (the pref
	// network.dns.localDomains, which takes exact names only).
	LocalDomains []string
	// Prefs are further preferences written to the profile's user.js,
	// after the defaults, which they may override.
	Prefs map[string]any
	// AcceptInsecureCerts accepts any TLS certificate (the WebDriver
	// capability), for pages served with a self-signed one.
	AcceptInsecureCerts bool
}

// remoteOrigin is the Origin x/net/websocket sends, allowed with
// --remote-allow-origins.
const remoteOrigin = "http://127.0.0.1"

// offlinePrefs keep Firefox off the network: no updates, telemetry,
// remote settings, safe browsing, captive-portal or connectivity checks,
// and no first-run pages.
var offlinePrefs = map[string]any{
	"app.update.auto":                                 false,
	"app.update.enabled":                              false,
	"app.normandy.enabled":                            false,
	"browser.aboutwelcome.enabled":                    false,
	"browser.newtabpage.enabled":                      false,
	"browser.ping-centre.telemetry":                   false,
	"browser.safebrowsing.blockedURIs.enabled":        false,
	"browser.safebrowsing.downloads.enabled":          false,
	"browser.safebrowsing.malware.enabled":            false,
	"browser.safebrowsing.phishing.enabled":           false,
	"browser.safebrowsing.provider.google4.updateURL": "",
	"browser.shell.checkDefaultBrowser":               false,
	"browser.startup.homepage":                        "about:blank",
	"browser.startup.page":                            0,
	"browser.region.network.url":                      "",
	"browser.region.update.enabled":                   false,
	"browser.search.update":                           false,
	"datareporting.healthreport.uploadEnabled":        false,
	"datareporting.policy.dataSubmissionEnabled":      false,
	"dom.push.connection.enabled":                     false,
	"extensions.update.enabled":                       false,
	"extensions.getAddons.cache.enabled":              false,
	"media.gmp-manager.updateEnabled":                 false,
	"network.captive-portal-service.enabled":          false,
	"network.connectivity-service.enabled":            false,
	"network.dns.disablePrefetch":                     true,
	"network.http.speculative-parallel-limit":         0,
	"network.prefetch-next":                           false,
	"network.proxy.type":                              0,
	"network.trr.mode":                                5, // no DNS over HTTPS
	"services.settings.server":                        "data:,#remote-settings-off",
	"toolkit.telemetry.enabled":                       false,
	"toolkit.telemetry.server":                        "",
	"toolkit.telemetry.unified":                       false,
	"toolkit.telemetry.archive.enabled":               false,
}

// Browser is a running Firefox with its own temporary profile. It
// implements [browser.Browser].
type Browser struct {
	proc    *browser.Process
	dir     string
	out     *browser.Output
	conn    *conn
	version string

	mu    sync.Mutex
	pages map[string]*page // by browsing context id, for log events

	closeOnce sync.Once
	closeErr  error
}

var _ browser.Browser = (*Browser)(nil)

// Launch starts Firefox with a fresh temporary profile, connects to its
// BiDi endpoint and starts a session. ctx bounds the start-up only.
func Launch(ctx context.Context, opts Options) (*Browser, error) {
	if opts.Path == "" {
		return nil, errors.New("firefox: Options.Path is empty")
	}
	dir, err := os.MkdirTemp("", "gincors-firefox-")
	if err != nil {
		return nil, fmt.Errorf("firefox: temporary directory: %w", err)
	}
	profile := filepath.Join(dir, "profile")
	if err := writeProfile(profile, opts); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	out := browser.NewOutput("WebDriver BiDi listening on ")
	cmd := exec.Command(opts.Path,
		"--headless", "--no-remote", "--profile", profile,
		"--remote-debugging-port=0", "--remote-allow-origins="+remoteOrigin,
		"about:blank")
	cmd.Env = append(os.Environ(),
		"MOZ_REMOTE_SETTINGS_DEVTOOLS=1", // no remote settings sync
		"MOZ_CRASHREPORTER_DISABLE=1",
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
		"XDG_CACHE_HOME="+filepath.Join(dir, "cache"),
		"HOME="+dir,
	)
	proc, err := browser.Start(cmd, out)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("firefox: %w", err)
	}
	b := &Browser{proc: proc, dir: dir, out: out, pages: map[string]*page{}}
	if err := b.connect(ctx, opts.AcceptInsecureCerts); err != nil {
		_ = b.Close()
		return nil, err
	}
	return b, nil
}

// writeProfile writes user.js: the offline defaults, the local domains,
// then opts.Prefs.
func writeProfile(profile string, opts Options) error {
	if err := os.MkdirAll(profile, 0o700); err != nil {
		return fmt.Errorf("firefox: profile: %w", err)
	}
	prefs := map[string]any{}
	for k, v := range offlinePrefs {
		prefs[k] = v
	}
	if len(opts.LocalDomains) > 0 {
		prefs["network.dns.localDomains"] = strings.Join(opts.LocalDomains, ",")
	}
	for k, v := range opts.Prefs {
		prefs[k] = v
	}
	names := make([]string, 0, len(prefs))
	for k := range prefs {
		names = append(names, k)
	}
	sort.Strings(names)
	var js strings.Builder
	for _, k := range names {
		v, err := json.Marshal(prefs[k])
		if err != nil {
			return fmt.Errorf("firefox: pref %s: %w", k, err)
		}
		fmt.Fprintf(&js, "user_pref(%q, %s);\n", k, v)
	}
	if err := os.WriteFile(filepath.Join(profile, "user.js"), []byte(js.String()), 0o600); err != nil {
		return fmt.Errorf("firefox: user.js: %w", err)
	}
	return nil
}

func (b *Browser) connect(ctx context.Context, acceptInsecureCerts bool) error {
	var wsURL string
	select {
	case wsURL = <-b.out.Announced:
	case <-b.proc.Done():
		return fmt.Errorf("firefox: exited before BiDi was listening (%v); output:\n%s", b.proc.Err(), b.out.Tail())
	case <-ctx.Done():
		return fmt.Errorf("firefox: BiDi endpoint not announced: %w; output:\n%s", ctx.Err(), b.out.Tail())
	}
	conn, err := dial(ctx, strings.TrimSuffix(wsURL, "/")+"/session", b.event)
	if err != nil {
		return err
	}
	b.conn = conn
	var session struct {
		Capabilities struct {
			BrowserName    string `json:"browserName"`
			BrowserVersion string `json:"browserVersion"`
		} `json:"capabilities"`
	}
	caps := map[string]any{}
	if acceptInsecureCerts {
		caps["alwaysMatch"] = map[string]any{"acceptInsecureCerts": true}
	}
	if err := conn.call(ctx, "session.new", map[string]any{"capabilities": caps}, &session); err != nil {
		return err
	}
	b.version = session.Capabilities.BrowserName + " " + session.Capabilities.BrowserVersion
	return conn.call(ctx, "session.subscribe", map[string]any{"events": []string{"log.entryAdded"}}, nil)
}

// event receives BiDi events on the reader goroutine.
func (b *Browser) event(m message) {
	if m.Method != "log.entryAdded" {
		return
	}
	var ev struct {
		Type   string `json:"type"`
		Level  string `json:"level"`
		Text   string `json:"text"`
		Source struct {
			Context string `json:"context"`
		} `json:"source"`
	}
	if json.Unmarshal(m.Params, &ev) != nil {
		return
	}
	b.mu.Lock()
	p := b.pages[ev.Source.Context]
	b.mu.Unlock()
	if p != nil {
		p.addLog(fmt.Sprintf("[%s %s] %s", ev.Type, ev.Level, ev.Text))
	}
}

// Engine returns "Firefox".
func (b *Browser) Engine() string { return "Firefox" }

// Version returns the browser name and version, such as "firefox 153.8.0".
func (b *Browser) Version() string { return b.version }

// HasConsole returns true: log.entryAdded forwards console messages and
// errors, among them those of blocked CORS requests.
func (b *Browser) HasConsole() bool { return true }

// Output returns the last lines Firefox wrote.
func (b *Browser) Output() string { return b.out.Tail() }

// Close ends the session and the browser, kills what is left of its
// process group, and removes the profile.
func (b *Browser) Close() error {
	b.closeOnce.Do(func() {
		if b.conn != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			_ = b.conn.call(ctx, "browser.close", nil, nil)
			cancel()
			b.conn.close()
		}
		b.proc.Stop(3 * time.Second)
		b.closeErr = browser.RemoveDir(b.dir)
	})
	return b.closeErr
}

// maxLog bounds the console messages a page keeps.
const maxLog = 200

// page is a tab in a user context of its own (cookies, caches).
type page struct {
	b           *Browser
	userContext string
	context     string

	mu  sync.Mutex
	log []string
}

// NewPage opens a tab in a new user context.
func (b *Browser) NewPage(ctx context.Context) (browser.Page, error) {
	var uc struct {
		UserContext string `json:"userContext"`
	}
	if err := b.conn.call(ctx, "browser.createUserContext", nil, &uc); err != nil {
		return nil, err
	}
	var bc struct {
		Context string `json:"context"`
	}
	if err := b.conn.call(ctx, "browsingContext.create", map[string]any{"type": "tab", "userContext": uc.UserContext}, &bc); err != nil {
		_ = b.conn.call(ctx, "browser.removeUserContext", map[string]any{"userContext": uc.UserContext}, nil)
		return nil, err
	}
	p := &page{b: b, userContext: uc.UserContext, context: bc.Context}
	b.mu.Lock()
	b.pages[p.context] = p
	b.mu.Unlock()
	return p, nil
}

func (p *page) addLog(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.log) < maxLog {
		p.log = append(p.log, s)
	}
}

func (p *page) Console() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.log...)
}

func (p *page) ResetConsole() {
	p.mu.Lock()
	p.log = nil
	p.mu.Unlock()
}

func (p *page) Navigate(ctx context.Context, url string) error {
	return p.b.conn.call(ctx, "browsingContext.navigate", map[string]any{"context": p.context, "url": url, "wait": "complete"}, nil)
}

func (p *page) Evaluate(ctx context.Context, expression string, out any) error {
	var res struct {
		Type   string `json:"type"`
		Result struct {
			Type  string `json:"type"`
			Value string `json:"value"`
		} `json:"result"`
		ExceptionDetails struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	params := map[string]any{
		"expression":      "(async () => JSON.stringify(await (" + expression + ")))()",
		"target":          map[string]any{"context": p.context},
		"awaitPromise":    true,
		"resultOwnership": "none",
	}
	if err := p.b.conn.call(ctx, "script.evaluate", params, &res); err != nil {
		return err
	}
	if res.Type == "exception" {
		return fmt.Errorf("firefox: script threw: %s", res.ExceptionDetails.Text)
	}
	if res.Result.Type != "string" {
		return fmt.Errorf("firefox: script returned %s, not a JSON value", res.Result.Type)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal([]byte(res.Result.Value), out); err != nil {
		return fmt.Errorf("firefox: decode script result: %w", err)
	}
	return nil
}

func (p *page) ClearCookies(ctx context.Context) error {
	return p.b.conn.call(ctx, "storage.deleteCookies", map[string]any{
		"partition": map[string]any{"type": "storageKey", "userContext": p.userContext},
	}, nil)
}

// Close removes the page's user context, which closes its tab.
func (p *page) Close(ctx context.Context) error {
	p.b.mu.Lock()
	delete(p.b.pages, p.context)
	p.b.mu.Unlock()
	return p.b.conn.call(ctx, "browser.removeUserContext", map[string]any{"userContext": p.userContext}, nil)
}
