package doctor

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Probe kinds: which finding an allowed probe origin raises.
const (
	probeUnrelated = "reflects-any-origin"
	probeNull      = "allows-null-origin"
	probeLookalike = "allows-lookalike-origin"
	probeInsecure  = "allows-insecure-origin"
)

// probeOrigin is one origin the security probes try.
type probeOrigin struct {
	code   string // the finding it raises when allowed
	origin string
	why    string
}

// probeHost is the made-up registrable domain of the probes' origins:
// .invalid never resolves (RFC 6761 §6.4).
const probeHost = "gincors-doctor-probe.invalid"

// probeOrigins are the origins tried besides the page's: an unrelated one,
// null, look-alikes of the page's (a longer host that starts with it, a
// host that ends with its registrable domain without the dot), and the
// http:// twin of an https:// origin.
func probeOrigins(pageOrigin string) []probeOrigin {
	out := []probeOrigin{
		{probeUnrelated, "https://" + probeHost, "an unrelated origin"},
		{probeNull, "null", "the null origin: sandboxed iframes, data: and file: documents, redirects"},
	}
	u, err := url.Parse(pageOrigin)
	if pageOrigin == "null" || err != nil || u.Host == "" {
		return out
	}
	host, port := u.Hostname(), u.Port()
	withPort := func(h string) string {
		if port != "" {
			return net.JoinHostPort(h, port)
		}
		return h
	}
	if !strings.Contains(host, ":") { // not an IPv6 literal
		out = append(out, probeOrigin{probeLookalike, u.Scheme + "://" + withPort(host+"."+probeHost),
			"a look-alike that starts with the page's host: it passes a prefix check"})
		site := host
		if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
			site = d
		}
		out = append(out, probeOrigin{probeLookalike, u.Scheme + "://" + withPort("evil"+site),
			"a look-alike that ends with the page's site without the dot: it passes a suffix check"})
	}
	if u.Scheme == "https" {
		out = append(out, probeOrigin{probeInsecure, "http://" + u.Host,
			"the page's http:// twin, which anyone on the network can impersonate"})
	}
	return out
}

// probeResult is one probe's answer.
type probeResult struct {
	probe probeOrigin
	x     *Exchange
}

// allowed reports whether the probe's origin is allowed by name: the
// answer echoes it in Access-Control-Allow-Origin ("*" is a deliberate
// wildcard, not a mistaken match).
func (p probeResult) allowed() bool {
	return p.x.header().Get("Access-Control-Allow-Origin") == p.probe.origin
}

// withCredentials reports whether the probe's answer also allows
// credentials: then any page of that origin reads responses with the
// user's cookies.
func (p probeResult) withCredentials() bool {
	return p.x.header().Get("Access-Control-Allow-Credentials") == "true"
}

// probe sends the call from each probe origin: a preflight when the call
// needs one, otherwise a GET (HEAD for a HEAD call), never following
// redirects. The probes never send an unsafe method.
func (d *doctor) probe(ctx context.Context) ([]probeResult, error) {
	c := d.opt.Call
	var out []probeResult
	for _, p := range probeOrigins(c.Origin) {
		if p.origin == c.Origin {
			continue
		}
		var req *http.Request
		if d.report.Preflight {
			req = d.preflightRequest(c.URL, p.origin)
		} else {
			method := "GET"
			if c.Method == "HEAD" {
				method = "HEAD"
			}
			req = d.actualRequest(method, c.URL, p.origin)
		}
		x, err := d.send(ctx, KindProbe, p.why, req)
		if err != nil {
			return nil, err
		}
		out = append(out, probeResult{probe: p, x: x})
	}
	return out, nil
}
