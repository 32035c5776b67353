// Package doctor is `gincors doctor`: it makes the cross-origin call a page
// would make against a live server, exactly as a browser sends it, and
// predicts from a per-engine model (engines.go) what Chromium, Firefox and
// WebKit do with the answers, with findings that say why and how to fix
// it. It never causes a side effect the user did not ask for: an unsafe
// method is only preflighted unless Options.SendActual is set, and the
// security probes send only preflights and GET or HEAD requests.
package doctor

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"net/url"
	"time"
)

// Options are the call and how to make it.
type Options struct {
	Call
	// SendActual sends the actual request even when its method is not GET
	// or HEAD.
	SendActual bool
	// Timeout bounds each request; 10 seconds if zero.
	Timeout time.Duration
	// Insecure accepts any TLS certificate (local development only).
	Insecure bool
	// Transport, if set, sends the requests (tests map host names with
	// it); otherwise a transport like http.DefaultTransport's, with the
	// system's roots unless Insecure.
	Transport http.RoundTripper
	// LookupIP resolves the page's host, to tell whether it is public
	// (for Local Network Access); net.DefaultResolver if nil.
	LookupIP func(ctx context.Context, host string) ([]netip.Addr, error)
}

// maxRedirects is how many redirects of the actual request are followed,
// as in https://fetch.spec.whatwg.org/#http-redirect-fetch.
const maxRedirects = 20

// maxBody bounds how much of an answer's body is read (and discarded).
const maxBody = 1 << 20

// ErrNoAnswer is wrapped by Run's error when the server did not answer.
var ErrNoAnswer = errors.New("no answer from the server")

// doctor is one run.
type doctor struct {
	opt      Options
	client   *http.Client
	report   *Report
	remoteIP netip.Addr // the server's address, from the first connection
}

// Run makes the call and returns the report. Its error wraps ErrUsage for
// a call that cannot be made, and ErrNoAnswer when the server did not
// answer the first request.
func Run(ctx context.Context, opt Options) (*Report, error) {
	call, err := opt.Call.normalize()
	if err != nil {
		return nil, err
	}
	opt.Call = call
	if opt.Timeout <= 0 {
		opt.Timeout = 10 * time.Second
	}
	d := &doctor{opt: opt, report: &Report{
		URL: call.URL, Origin: call.Origin, Method: call.Method, Credentials: call.Credentials,
		Preflight: call.NeedsPreflight(), Exchanges: []Exchange{}, Findings: []Finding{},
	}}
	d.client = &http.Client{
		Transport: opt.Transport,
		Timeout:   opt.Timeout,
		// Redirects are followed by hand, as the Fetch standard says.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	if d.client.Transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		if opt.Insecure {
			t.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // asked for with -insecure
		}
		d.client.Transport = t
	}
	return d.run(ctx)
}

func (d *doctor) run(ctx context.Context) (*Report, error) {
	c := d.opt.Call
	r := d.report
	var pre *Exchange
	if r.Preflight {
		x, err := d.send(ctx, KindPreflight, "", d.preflightRequest(c.URL, c.Origin))
		if err != nil {
			return nil, err
		}
		pre = x
	}
	// The actual request follows only if some engine passes the
	// preflight.
	passes := pre == nil
	for _, e := range Engines {
		if pre != nil {
			if f, _ := e.preflightCheck(c, pre.Status, pre.header()); f == "" {
				passes = true
			}
		}
	}
	var hops []hop
	var actual []*Exchange
	switch {
	case !passes:
		r.ActualEvidence = EvidenceNone
	case c.safeMethod() || d.opt.SendActual:
		r.ActualEvidence = EvidenceSent
		var err error
		hops, actual, err = d.follow(ctx, c.Method, "")
		if err != nil {
			return nil, err
		}
	default:
		r.ActualEvidence = EvidenceGET
		var err error
		hops, actual, err = d.follow(ctx, "GET", "a GET standing in for "+c.Method+", which may have side effects")
		if err != nil {
			return nil, err
		}
		if last := actual[len(actual)-1]; last.Status == http.StatusNotFound || last.Status == http.StatusMethodNotAllowed {
			// No GET route: a preflight's answer is the best evidence left
			// of what the actual answer carries. A simple POST had none,
			// so one is sent for it: OPTIONS has no side effect.
			standIn := pre
			if standIn == nil {
				x, err := d.send(ctx, KindProbe, "a preflight standing in for "+c.Method+", since the GET found no route: its answer shows the CORS headers", d.preflightRequest(c.URL, c.Origin))
				if err != nil {
					return nil, err
				}
				standIn = x
			}
			r.ActualEvidence = EvidencePreflight
			hops = []hop{{url: c.URL, origin: c.Origin, status: standIn.Status, header: standIn.header()}}
		}
	}
	for _, e := range Engines {
		r.Engines = append(r.Engines, e.judge(c, pre, hops))
	}
	probes, err := d.probe(ctx)
	if err != nil {
		return nil, err
	}
	r.Findings = d.findings(ctx, pre, actual, probes)
	return r, nil
}

// preflightRequest is the CORS preflight a browser sends for the call
// (https://fetch.spec.whatwg.org/#cors-preflight-fetch-0, step 1 to 4):
// no credentials, Accept: */*, the method and the unsafe header names.
func (d *doctor) preflightRequest(target, origin string) *http.Request {
	c := d.opt.Call
	req, _ := http.NewRequest(http.MethodOptions, target, nil)
	req.Header.Set("Accept", "*/*")
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", c.Method)
	if v := c.requestHeadersValue(); v != "" {
		req.Header.Set("Access-Control-Request-Headers", v)
	}
	return req
}

// actualRequest is the actual request, or a GET standing in for it.
func (d *doctor) actualRequest(method, target, origin string) *http.Request {
	c := d.opt.Call
	req, _ := http.NewRequest(method, target, nil)
	for _, h := range c.Headers {
		req.Header.Add(h.Name, h.Value)
	}
	// Browsers send Origin on every cross-origin request.
	req.Header.Set("Origin", origin)
	return req
}

// follow sends the actual request (or a GET for it) and follows its
// redirects as https://fetch.spec.whatwg.org/#http-redirect-fetch says,
// stopping at the first answer without a CORS pass in any engine. After a
// cross-origin hop the Origin becomes null.
func (d *doctor) follow(ctx context.Context, method, purpose string) ([]hop, []*Exchange, error) {
	c := d.opt.Call
	target, origin := c.URL, c.Origin
	var hops []hop
	var xs []*Exchange
	for i := 0; ; i++ {
		x, err := d.send(ctx, KindActual, purpose, d.actualRequest(method, target, origin))
		if err != nil {
			return nil, nil, err
		}
		h := hop{url: target, origin: origin, status: x.Status, header: x.header()}
		hops, xs = append(hops, h), append(xs, x)
		if !h.isRedirect() || i == maxRedirects {
			return hops, xs, nil
		}
		// A redirect without a CORS pass ends the call in every engine.
		if f, _ := chromiumModel.accessCheck(h.header, origin, c.Credentials); f != "" {
			return hops, xs, nil
		}
		cur, _ := url.Parse(target)
		next, err := cur.Parse(h.header.Get("Location"))
		if err != nil || (next.Scheme != "http" && next.Scheme != "https") {
			return hops, xs, nil
		}
		if originOf(next) != originOf(cur) && origin != originOf(cur) {
			origin = "null"
		}
		if h.status == http.StatusSeeOther || (method == "POST" && (h.status == 301 || h.status == 302)) {
			method = "GET"
		}
		if !(method == "GET" || method == "HEAD" || d.opt.SendActual) {
			return hops, xs, nil
		}
		target = next.String()
		purpose = fmt.Sprintf("redirect %d followed", h.status)
	}
}

func originOf(u *url.URL) string { return u.Scheme + "://" + u.Host }

// send sends req and records the exchange. An error means no answer.
func (d *doctor) send(ctx context.Context, kind, purpose string, req *http.Request) (*Exchange, error) {
	req = req.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) {
			if d.remoteIP.IsValid() {
				return
			}
			if a, ok := info.Conn.RemoteAddr().(*net.TCPAddr); ok {
				if ip, ok := netip.AddrFromSlice(a.IP); ok {
					d.remoteIP = ip.Unmap()
				}
			}
		},
	}))
	req.Header.Set("User-Agent", "gincors-doctor")
	x := &Exchange{Kind: kind, Purpose: purpose, Method: req.Method, URL: req.URL.String(), RequestHeaders: map[string]string{}}
	for name, vs := range req.Header {
		if name != "User-Agent" {
			x.RequestHeaders[name] = vs[0]
		}
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s %s: %v", ErrNoAnswer, req.Method, req.URL, err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
	_ = resp.Body.Close()
	x.Status = resp.StatusCode
	x.ResponseHeaders = map[string][]string(resp.Header)
	d.report.Exchanges = append(d.report.Exchanges, *x)
	return x, nil
}
