package e2e

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gincors/gincors/internal/doctor"
	"github.com/gincors/gincors/internal/doctor/zoo"
	"github.com/gincors/gincors/internal/explain"
)

// loopbackTransport sends every request for a *.test host to 127.0.0.1 on
// the same port, as the browsers here are set up to: the doctor reaches
// http://api.example.test:PORT like the page does.
func loopbackTransport() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		if strings.HasSuffix(host, ".test") {
			addr = net.JoinHostPort("127.0.0.1", port)
		}
		return dialer.DialContext(ctx, network, addr)
	}
	return t
}

// strictAuthorizationReason is why firefox-strict blocks where the model's
// Firefox allows.
const strictAuthorizationReason = "Firefox with " + strictAuthorizationPref + "=false applies the standard: " +
	"* in Access-Control-Allow-Headers does not cover Authorization, so the doctor's authorization-wildcard case fails there, as the finding warns"

// TestDoctorModelAgrees runs every case of the doctor's zoo in every
// engine: the doctor predicts, from the same server, what each engine
// does; the page's fetch() must then resolve exactly where the model says
// the engine allows the call, and where the engine exposes its console,
// it must print the message the model words (and `gincors explain` must
// recognise it).
func TestDoctorModelAgrees(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, e *engine) {
		for _, tc := range zoo.Cases {
			t.Run(tc.Name, func(t *testing.T) {
				t.Parallel()
				if _, ok := tc.Headers["Authorization"]; e.id == "firefox-strict" && !ok {
					t.Skip("firefox-strict differs from firefox only for Authorization; this case runs in firefox")
				}
				b := newBrowserContext(t, e)
				origin := pageOrigin(appHost)
				srv, err := startServer(tc.Server(origin, &zoo.Runs{}))
				require.NoError(t, err)
				t.Cleanup(srv.Close)
				url := "http://" + apiHost + ":" + portOf(srv.Listener) + tc.Path

				opt := doctor.Options{
					Call: doctor.Call{URL: url, Origin: origin, Method: tc.Method,
						Credentials: tc.Credentials, ReadHeaders: tc.ReadHeaders},
					SendActual: tc.SendActual,
					Transport:  loopbackTransport(),
					LookupIP: func(context.Context, string) ([]netip.Addr, error) {
						return nil, errors.New("the pages here are loopback")
					},
				}
				req := fetchRequest{URL: url, Method: tc.Method, Headers: tc.Headers, Read: tc.ReadHeaders}
				for name, value := range tc.Headers {
					opt.Headers = append(opt.Headers, doctor.Header{Name: name, Value: value})
				}
				if tc.Credentials {
					req.Credentials = "include"
				}
				rep, err := doctor.Run(context.Background(), opt)
				require.NoError(t, err)
				var predicted doctor.Verdict
				for _, v := range rep.Engines {
					if doctor.EngineByID(v.Engine).Name == e.family() {
						predicted = v
					}
				}
				require.NotEmpty(t, predicted.Engine, "the model has a verdict for %s", e.family())
				wantAllowed := predicted.Allowed
				if e.id == "firefox-strict" && contains(rep.Codes(), doctor.CodeAuthorizationWildcard) {
					wantAllowed = false
					noteDifference(t, e, strictAuthorizationReason)
				}

				p := b.open(appHost)
				res := p.fetch(req)
				assert.Equal(t, wantAllowed, res.Resolved, "the model predicts allowed=%v at %q (%s); the page saw %s", predicted.Allowed, predicted.Stage, predicted.Console, res.Error)
				if predicted.Allowed {
					return
				}
				if !e.browser.HasConsole() {
					noteDifference(t, e, noConsoleReason)
					return
				}
				// The engine's own wording, and explain's reading of it.
				msg := p.consoleContaining(predicted.Console)
				if msg == "" {
					return
				}
				ex := explain.Explain(msg)
				assert.Equal(t, strings.ToLower(e.family()), ex.Engine, "explain names the engine of %q", msg)
				assert.NotEqual(t, explain.ClassUnknown, ex.Class, "explain recognises %q", msg)
			})
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// consoleContaining waits for a console message containing text and
// returns it, or fails the test and returns "".
func (p *tab) consoleContaining(text string) string {
	p.t.Helper()
	deadline := time.Now().Add(consoleWait)
	for {
		msgs := p.page.Console()
		for _, m := range msgs {
			if strings.Contains(m, text) {
				return m
			}
		}
		if time.Now().After(deadline) {
			p.t.Errorf("%s console has no message containing the model's text\n\t%q\nit has:\n\t%s", p.engine.title, text, strings.Join(msgs, "\n\t"))
			return ""
		}
		time.Sleep(20 * time.Millisecond)
	}
}
