package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/stretchr/testify/require"
)

// probeJS defines probe(req), which runs one fetch() and describes what
// the script could observe of it. It never throws: a rejected fetch is
// {resolved: false, error: "TypeError: ..."}.
const probeJS = `
async function probe(req) {
  const init = {
    method: req.method || 'GET',
    headers: req.headers || {},
    credentials: req.credentials || 'same-origin',
    mode: 'cors',
  };
  if (req.body !== undefined && req.body !== null && req.body !== '') init.body = req.body;
  const out = {origin: self.origin, resolved: false};
  try {
    const resp = await fetch(req.url, init);
    out.status = resp.status;
    out.type = resp.type;
    out.body = await resp.text();
    out.headers = {};
    for (const name of req.read || []) out.headers[name] = resp.headers.get(name);
    out.headerNames = [...resp.headers.keys()];
    out.resolved = true;
  } catch (e) {
    out.error = e.name + ': ' + e.message;
  }
  return out;
}
`

// frameHostJS, in a page holding an iframe with an opaque origin (so that
// its requests carry "Origin: null"), runs probe inside the iframe.
const frameHostJS = `
function probeInFrame(req) {
  const frame = document.getElementById('frame').contentWindow;
  const id = String(Math.random());
  return new Promise((resolve) => {
    addEventListener('message', function onMessage(ev) {
      if (ev.source !== frame || !ev.data || ev.data.id !== id) return;
      removeEventListener('message', onMessage);
      resolve(ev.data.result);
    });
    frame.postMessage({id, req}, '*');
  });
}
`

// frameJS answers probeInFrame's messages.
const frameJS = `
addEventListener('message', async (ev) => {
  ev.source.postMessage({id: ev.data.id, result: await probe(ev.data.req)}, '*');
});
`

func page(scripts ...string) string {
	s := "<!doctype html><meta charset=utf-8><title>gincors e2e</title>\n"
	for _, js := range scripts {
		s += "<script>" + js + "</script>\n"
	}
	return s
}

// startPageServer serves the test pages on 127.0.0.1 under every host
// name: "/" defines probe; "/sandboxed" holds a sandboxed iframe ("/frame")
// and "/data-frame" a data: iframe, and both define probeInFrame.
//
// A data: document is tested as an iframe because a top-level data:
// document cannot reach loopback at all: Chromium's Local Network Access
// checks block it ("the request client is not a secure context and the
// resource is in more-private address space") before any request is sent.
// A data: iframe inherits its parent's address space and still has an
// opaque origin.
func startPageServer() (*httptest.Server, error) {
	mux := http.NewServeMux()
	serve := func(path, html string) {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			_, _ = w.Write([]byte(html))
		})
	}
	serve("/{$}", page(probeJS))
	frame := page(probeJS, frameJS)
	serve("/frame", frame)
	serve("/sandboxed", page(frameHostJS)+`<iframe id="frame" sandbox="allow-scripts" src="/frame"></iframe>`)
	dataURL := "data:text/html;base64," + base64.StdEncoding.EncodeToString([]byte(frame))
	serve("/data-frame", page(frameHostJS)+`<iframe id="frame" src="`+dataURL+`"></iframe>`)
	serve("/blank", page())
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	return startServer(mux)
}

// pageOrigin is the origin of the page server under host.
func pageOrigin(host string) string {
	return "http://" + host + ":" + suite.pagePort
}

// fetchRequest is the argument of probe: a fetch() call.
type fetchRequest struct {
	URL         string            `json:"url"`
	Method      string            `json:"method,omitempty"`
	Headers     map[string]string `json:"headers,omitempty"`
	Body        string            `json:"body,omitempty"`
	Credentials string            `json:"credentials,omitempty"` // omit, same-origin (default) or include
	Read        []string          `json:"read,omitempty"`        // response headers to read with headers.get
}

// fetchResult is what the page's script observed.
type fetchResult struct {
	Origin      string             `json:"origin"`   // self.origin of the calling script
	Resolved    bool               `json:"resolved"` // fetch() resolved; otherwise Error
	Error       string             `json:"error"`    // "TypeError: Failed to fetch"
	Status      int                `json:"status"`
	Type        string             `json:"type"` // "cors" for a readable cross-origin response
	Body        string             `json:"body"`
	Headers     map[string]*string `json:"headers"`     // headers.get(name) for each Read name; nil is null
	HeaderNames []string           `json:"headerNames"` // every name headers.keys() yields
}

// fetch runs req in the page and returns what the script saw. It checks
// that the script ran in the expected origin.
func (p *tab) fetch(req fetchRequest) fetchResult {
	p.t.Helper()
	arg, err := json.Marshal(req)
	require.NoError(p.t, err)
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	var res fetchResult
	require.NoError(p.t, p.page.Evaluate(ctx, p.call+"("+string(arg)+")", &res), "run fetch in the page")
	require.Equal(p.t, p.origin, res.Origin, "the script's origin")
	return res
}

// header returns what headers.get(name) returned, or "<null>".
func (r fetchResult) header(name string) string {
	v, ok := r.Headers[name]
	if !ok || v == nil {
		return "<null>"
	}
	return *v
}

// consoleWait bounds how long a console message may trail the fetch that
// caused it: engines report them asynchronously.
const consoleWait = 3 * time.Second

// requireConsole fails the test unless one of the page's console messages
// so far contains text.
func (p *tab) requireConsole(text string) {
	p.t.Helper()
	deadline := time.Now().Add(consoleWait)
	for {
		msgs := p.page.Console()
		for _, m := range msgs {
			if strings.Contains(m, text) {
				confirm(p.engine, text)
				return
			}
		}
		if time.Now().After(deadline) {
			p.t.Errorf("%s console has no message containing %q; it has:\n\t%s", p.engine.title, text, strings.Join(msgs, "\n\t"))
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
