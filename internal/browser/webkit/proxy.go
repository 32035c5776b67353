package webkit

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"strings"
	"time"
)

// proxy is an HTTP forward proxy on loopback that sends requests for
// http://NAME.test:PORT/ to 127.0.0.1:PORT, and refuses everything else,
// so that the browser sees real, distinct host names while every byte
// stays on loopback.
type proxy struct {
	addr string // 127.0.0.1:PORT
	srv  *http.Server
}

// loopbackTarget returns 127.0.0.1:PORT for a "NAME.test:PORT" host, or ok
// false for any other.
func loopbackTarget(hostport string) (target string, ok bool) {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil || port == "" {
		return "", false
	}
	host = strings.ToLower(host)
	if host != "test" && !strings.HasSuffix(host, ".test") && host != "127.0.0.1" {
		return "", false
	}
	return net.JoinHostPort("127.0.0.1", port), true
}

func startProxy() (*proxy, error) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("webkit: proxy: %w", err)
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			// A proxy request carries the absolute URL: keep it, and
			// the Host the browser sent.
			pr.Out.Host = pr.In.Host
		},
		Transport: &http.Transport{
			Proxy: nil,
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				target, ok := loopbackTarget(addr)
				if !ok {
					return nil, fmt.Errorf("webkit proxy: %s is not a *.test host", addr)
				}
				return dialer.DialContext(ctx, "tcp4", target)
			},
			MaxIdleConnsPerHost: 8,
			IdleConnTimeout:     30 * time.Second,
		},
		ErrorLog: nil,
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodConnect || r.URL.Scheme != "http" {
			http.Error(w, "only plain-http proxy requests", http.StatusMethodNotAllowed)
			return
		}
		if _, ok := loopbackTarget(r.URL.Host); !ok {
			http.Error(w, "only *.test hosts with a port", http.StatusForbidden)
			return
		}
		rp.ServeHTTP(w, r)
	})
	p := &proxy{addr: l.Addr().String(), srv: &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}}
	go func() { _ = p.srv.Serve(l) }()
	return p, nil
}

func (p *proxy) close() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = p.srv.Shutdown(ctx)
	_ = p.srv.Close()
}
