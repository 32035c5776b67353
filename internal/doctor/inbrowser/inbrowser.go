// Package inbrowser runs a doctor call in the real installed engines
// (`gincors doctor -browser`): it serves a page at the call's origin on
// loopback, maps the origin to it in each engine the way the end-to-end
// suite does (Chromium: a host-resolver rule; Firefox and WebKit: a forward
// proxy that serves the page for the origin and forwards everything else),
// runs the fetch() there and reports what the page and the console saw.
package inbrowser

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gincors/gincors/internal/browser"
	"github.com/gincors/gincors/internal/browser/chromium"
	"github.com/gincors/gincors/internal/browser/firefox"
	"github.com/gincors/gincors/internal/browser/webkit"
	"github.com/gincors/gincors/internal/doctor"
)

// Engines are the engine IDs -browser accepts.
var Engines = []string{doctor.Chromium, doctor.Firefox, doctor.WebKit}

// pageJS runs one fetch() and describes what the script could observe.
const pageJS = `async function probe(req) {
  const init = {method: req.method, headers: req.headers, credentials: req.credentials, mode: 'cors'};
  const out = {resolved: false};
  try {
    const resp = await fetch(req.url, init);
    out.status = resp.status;
    await resp.text();
    out.resolved = true;
  } catch (e) {
    out.error = e.name + ': ' + e.message;
  }
  return out;
}`

var page = []byte("<!doctype html><meta charset=utf-8><title>gincors doctor</title><script>" + pageJS + "</script>\n")

// servePage answers every GET with the page.
func servePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(page)
}

// Options say how to run the call.
type Options struct {
	// Insecure accepts any TLS certificate of the server called too.
	Insecure bool
	// Timeout bounds each engine's start and run.
	Timeout time.Duration
}

// Run runs the call in each engine of engines (IDs), in parallel, and
// returns what each did, in the order given. An engine that is not
// installed or fails to start is reported as skipped, not as an error.
func Run(ctx context.Context, call doctor.Call, engines []string, opt Options) ([]doctor.Observed, error) {
	u, err := url.Parse(call.Origin)
	if err != nil || call.Origin == "null" || u.Host == "" {
		return nil, fmt.Errorf("-browser needs a page origin with a host, not %q", call.Origin)
	}
	hostPort := u.Host
	if u.Port() == "" {
		port := "80"
		if u.Scheme == "https" {
			port = "443"
		}
		hostPort = net.JoinHostPort(u.Hostname(), port)
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 60 * time.Second
	}
	s := &session{call: call, origin: call.Origin, hostPort: hostPort, tlsPage: u.Scheme == "https", opt: opt}
	if err := s.start(); err != nil {
		return nil, err
	}
	defer s.close()
	out := make([]doctor.Observed, len(engines))
	var wg sync.WaitGroup
	for i, id := range engines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
			defer cancel()
			out[i] = s.runEngine(ctx, id)
		}()
	}
	wg.Wait()
	return out, nil
}

// session is the page server and proxy shared by the engines.
type session struct {
	call     doctor.Call
	origin   string
	hostPort string // the origin's host:port, default port explicit
	tlsPage  bool
	opt      Options
	cert     tls.Certificate

	direct     net.Listener // the page, for Chromium's resolver rule
	proxy      net.Listener // the forward proxy, for Firefox and WebKit
	directSrv  *http.Server
	proxySrv   *http.Server
	pageServer *http.Server // serves the page on proxied CONNECT tunnels
}

func (s *session) start() error {
	var err error
	if s.cert, err = selfSigned(strings.Split(s.hostPort, ":")[0]); err != nil {
		return err
	}
	if s.direct, err = net.Listen("tcp4", "127.0.0.1:0"); err != nil {
		return err
	}
	s.directSrv = &http.Server{Handler: http.HandlerFunc(servePage), ReadHeaderTimeout: 10 * time.Second}
	s.pageServer = &http.Server{Handler: http.HandlerFunc(servePage), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if s.tlsPage {
			_ = s.directSrv.Serve(tls.NewListener(s.direct, s.tlsConfig()))
		} else {
			_ = s.directSrv.Serve(s.direct)
		}
	}()
	if s.proxy, err = net.Listen("tcp4", "127.0.0.1:0"); err != nil {
		return err
	}
	s.proxySrv = &http.Server{Handler: s.proxyHandler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	go func() { _ = s.proxySrv.Serve(s.proxy) }()
	return nil
}

func (s *session) close() {
	_ = s.directSrv.Close()
	_ = s.proxySrv.Close()
	_ = s.pageServer.Close()
}

func (s *session) tlsConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{s.cert}}
}

// proxyHandler is a forward proxy: the origin's requests get the page;
// every other request is forwarded (plain http) or tunnelled (CONNECT).
func (s *session) proxyHandler() http.Handler {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.Proxy = nil
	if s.opt.Insecure {
		transport.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // asked for with -insecure
	}
	forward := &httputil.ReverseProxy{
		Rewrite:   func(pr *httputil.ProxyRequest) { pr.Out.Host = pr.In.Host },
		Transport: transport,
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodConnect {
			s.connect(w, r)
			return
		}
		if r.URL.Scheme == "http" && withDefaultPort(r.URL.Host, "80") == s.hostPort && !s.tlsPage {
			servePage(w, r)
			return
		}
		if r.URL.Scheme == "" {
			http.Error(w, "a proxy request needs an absolute URL", http.StatusBadRequest)
			return
		}
		forward.ServeHTTP(w, r)
	})
}

// connect answers CONNECT: the origin's tunnel ends here in TLS and
// serves the page; any other is tunnelled to its host.
func (s *session) connect(w http.ResponseWriter, r *http.Request) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "no hijacking", http.StatusInternalServerError)
		return
	}
	var upstream net.Conn
	if !(s.tlsPage && withDefaultPort(r.Host, "443") == s.hostPort) {
		var err error
		upstream, err = (&net.Dialer{Timeout: 10 * time.Second}).DialContext(r.Context(), "tcp", r.Host)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		if upstream != nil {
			_ = upstream.Close()
		}
		return
	}
	_, _ = io.WriteString(conn, "HTTP/1.1 200 Connection Established\r\n\r\n")
	if upstream == nil {
		_ = s.pageServer.Serve(&oneConn{conn: tls.Server(conn, s.tlsConfig())})
		return
	}
	go func() { _, _ = io.Copy(upstream, conn); _ = upstream.Close() }()
	_, _ = io.Copy(conn, upstream)
	_ = conn.Close()
}

func withDefaultPort(hostPort, port string) string {
	if _, _, err := net.SplitHostPort(hostPort); err == nil {
		return hostPort
	}
	return net.JoinHostPort(hostPort, port)
}

// oneConn is a listener that yields one connection, then blocks until
// it is closed.
type oneConn struct {
	conn net.Conn
	once sync.Once
	done chan struct{}
	mu   sync.Mutex
}

// Accept returns the connection once, then blocks until Close.
func (l *oneConn) Accept() (net.Conn, error) {
	var c net.Conn
	l.once.Do(func() {
		c = l.conn
		l.mu.Lock()
		l.done = make(chan struct{})
		l.mu.Unlock()
	})
	if c != nil {
		return c, nil
	}
	l.mu.Lock()
	done := l.done
	l.mu.Unlock()
	<-done
	return nil, net.ErrClosed
}

// Close ends a blocked Accept.
func (l *oneConn) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done != nil {
		select {
		case <-l.done:
		default:
			close(l.done)
		}
	}
	return nil
}

// Addr is the connection's local address.
func (l *oneConn) Addr() net.Addr { return l.conn.LocalAddr() }

// selfSigned makes a certificate for host, valid for a day.
func selfSigned(host string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: host},
		DNSNames:     []string{host},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if ip := net.ParseIP(host); ip != nil {
		tmpl.DNSNames, tmpl.IPAddresses = nil, []net.IP{ip}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// launch starts the engine, mapped to the page.
func (s *session) launch(ctx context.Context, id string) (browser.Browser, error) {
	proxyAddr := s.proxy.Addr().String()
	insecure := s.tlsPage || s.opt.Insecure
	switch id {
	case doctor.Chromium:
		path, err := chromium.Find()
		if err != nil {
			return nil, err
		}
		o := chromium.Options{Path: path, HostResolverRules: "MAP " + s.hostPort + " " + s.direct.Addr().String()}
		if insecure {
			o.ExtraArgs = []string{"--ignore-certificate-errors"}
		}
		return chromium.Launch(ctx, o)
	case doctor.Firefox:
		path, err := firefox.Find()
		if err != nil {
			return nil, err
		}
		host, port, _ := net.SplitHostPort(proxyAddr)
		return firefox.Launch(ctx, firefox.Options{Path: path, AcceptInsecureCerts: insecure, Prefs: map[string]any{
			"network.proxy.type": 1, "network.proxy.http": host, "network.proxy.http_port": atoi(port),
			"network.proxy.ssl": host, "network.proxy.ssl_port": atoi(port),
			"network.proxy.allow_hijacking_localhost": true, "network.proxy.no_proxies_on": "",
		}})
	case doctor.WebKit:
		ex, err := webkit.Find()
		if err != nil {
			return nil, err
		}
		return webkit.Launch(ctx, webkit.Options{Executables: ex, Proxy: proxyAddr})
	}
	return nil, fmt.Errorf("unknown engine %q", id)
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// consoleWait bounds how long a console message may trail the fetch.
const consoleWait = 2 * time.Second

// runEngine runs the call in one engine.
func (s *session) runEngine(ctx context.Context, id string) doctor.Observed {
	o := doctor.Observed{Engine: id}
	if id == doctor.WebKit && s.tlsPage {
		// WebKitGTK's WebDriver speaks TLS to an https proxy and then
		// refuses the locally made certificate, whatever
		// acceptInsecureCerts says.
		o.Skipped = "WebKit runs only pages at http:// origins here: it refuses the locally made certificate an https:// page would need"
		return o
	}
	b, err := s.launch(ctx, id)
	if err != nil {
		if errors.Is(err, browser.ErrNotFound) {
			o.Skipped = "not installed: " + err.Error()
		} else {
			o.Skipped = "could not start: " + err.Error()
		}
		return o
	}
	defer func() { _ = b.Close() }()
	o.Version = b.Version()
	p, err := b.NewPage(ctx)
	if err != nil {
		o.Skipped = "could not open a page: " + err.Error()
		return o
	}
	defer func() { _ = p.Close(context.Background()) }()
	if err := p.Navigate(ctx, s.origin+"/"); err != nil {
		o.Skipped = "could not load the page at " + s.origin + ": " + err.Error()
		return o
	}
	req := map[string]any{"url": s.call.URL, "method": s.call.Method, "headers": map[string]string{}, "credentials": "same-origin"}
	for _, h := range s.call.Headers {
		req["headers"].(map[string]string)[h.Name] = h.Value
	}
	if s.call.Credentials {
		req["credentials"] = "include"
	}
	arg, _ := json.Marshal(req)
	var res struct {
		Resolved bool   `json:"resolved"`
		Status   int    `json:"status"`
		Error    string `json:"error"`
	}
	p.ResetConsole()
	if err := p.Evaluate(ctx, "probe("+string(arg)+")", &res); err != nil {
		o.Skipped = "could not run fetch(): " + err.Error()
		return o
	}
	o.Allowed, o.Status, o.Error = res.Resolved, res.Status, res.Error
	if b.HasConsole() && !res.Resolved {
		deadline := time.Now().Add(consoleWait)
		for time.Now().Before(deadline) && len(corsMessages(p.Console())) == 0 {
			time.Sleep(50 * time.Millisecond)
		}
	}
	o.Console = corsMessages(p.Console())
	return o
}

// corsMessages keeps the console messages about the call, without the
// driver's level prefix.
func corsMessages(msgs []string) []string {
	var out []string
	for _, m := range msgs {
		if strings.Contains(m, "CORS") || strings.Contains(m, "Cross-Origin") || strings.Contains(m, "access control") || strings.Contains(m, "address space") {
			if i := strings.Index(m, "] "); strings.HasPrefix(m, "[") && i > 0 {
				m = m[i+2:]
			}
			out = append(out, m)
		}
	}
	return out
}
