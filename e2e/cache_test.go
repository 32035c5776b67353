package e2e

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gincors/gincors"
)

// defaultPreflightCache is how long browsers cache a preflight answer
// that has no Access-Control-Max-Age: measured between 3 and 6 s in
// Chromium, Firefox and WebKit, and 5 s in Chromium's source.
const defaultPreflightCache = 3 * time.Second

func TestPreflightCache(t *testing.T) {
	t.Parallel()
	put := func(path string) fetchRequest { return fetchRequest{URL: path, Method: "PUT"} }
	del := func(path string) fetchRequest { return fetchRequest{URL: path, Method: "DELETE"} }
	cases := []struct {
		name    string
		maxAge  time.Duration
		fetches []fetchRequest // run in order from one page, each must succeed
		// within says the fetches must all start within the browsers'
		// default cache lifetime of the first one.
		within bool
		// preflights lists, per path, the Access-Control-Request-Method
		// of each preflight the server received.
		preflights map[string][]string
		maxAgeSent []string // Access-Control-Max-Age of the preflight answers; nil for none
	}{
		{
			name:   "MaxAge lets the second identical fetch skip the preflight",
			maxAge: 10 * time.Minute, fetches: []fetchRequest{put("/r/a"), put("/r/a")},
			preflights: map[string][]string{"/r/a": {"PUT"}}, maxAgeSent: []string{"600"},
		},
		{
			name:   "DisablePreflightCache sends Max-Age 0 and every fetch is preflighted",
			maxAge: gincors.DisablePreflightCache, fetches: []fetchRequest{put("/r/a"), put("/r/a")},
			preflights: map[string][]string{"/r/a": {"PUT", "PUT"}}, maxAgeSent: []string{"0", "0"},
		},
		{
			// Knowingly relies on the browsers' default: without the
			// header they cache for a few seconds, so a fetch right
			// after the first one needs no preflight.
			name:   "without Max-Age the browser still caches for a few seconds",
			maxAge: 0, fetches: []fetchRequest{put("/r/a"), put("/r/a")}, within: true,
			preflights: map[string][]string{"/r/a": {"PUT"}}, maxAgeSent: nil,
		},
		{
			name:   "the cache is per URL: another URL needs its own preflight",
			maxAge: 10 * time.Minute, fetches: []fetchRequest{put("/r/a"), put("/r/b"), put("/r/a")},
			preflights: map[string][]string{"/r/a": {"PUT"}, "/r/b": {"PUT"}}, maxAgeSent: []string{"600", "600"},
		},
		{
			// Chromium keeps one preflight answer per origin and URL,
			// replaced by each new preflight. gincors answers with every
			// allowed method, so alternating methods on one URL (REST: PUT
			// and DELETE /items/1) need a single preflight.
			name:   "MaxAge covers every allowed method of a URL, so alternating methods are preflighted once",
			maxAge: 10 * time.Minute, fetches: []fetchRequest{put("/r/a"), del("/r/a"), put("/r/a"), del("/r/a")},
			preflights: map[string][]string{"/r/a": {"PUT"}}, maxAgeSent: []string{"600"},
		},
	}
	forEachEngine(t, func(t *testing.T, e *engine) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				b := newBrowserContext(t, e)
				api := newAPI(t, allowApp(gincors.Config{AllowMethods: []string{"PUT", "DELETE"}, MaxAge: tc.maxAge}))
				p := b.open(appHost)

				start := time.Now()
				runs := map[string]int{}
				for i, f := range tc.fetches {
					path := f.URL
					f.URL = api.URL + path
					if tc.within {
						require.Less(t, time.Since(start), defaultPreflightCache-time.Second,
							"precondition: fetch %d must start within the default preflight cache lifetime", i)
					}
					res := p.fetch(f)
					require.True(t, res.Resolved, "fetch %d (%s %s) rejected: %s", i, f.Method, path, res.Error)
					assert.Equal(t, f.Method+" "+path, res.Body)
					runs[path]++
				}

				var sent []string
				for path, want := range tc.preflights {
					var got []string
					for _, pf := range api.preflights(path) {
						got = append(got, pf.RequestMethod)
						assert.Equal(t, http.StatusNoContent, pf.Status)
						sent = append(sent, pf.Response.Values("Access-Control-Max-Age")...)
					}
					assert.Equal(t, want, got, "preflights the server received for %s", path)
					assert.Equal(t, runs[path], api.handlerRuns(path), "handler runs for %s", path)
				}
				assert.Equal(t, tc.maxAgeSent, sent, "Access-Control-Max-Age sent")
			})
		}
	})
}

// webkitNoHTTPCacheReason is why WebKit's Vary scenarios expect every
// request at the server: TestEngineProbes confirms it.
const webkitNoHTTPCacheReason = "WebKit driven by WebDriver serves no fetch() from its HTTP cache, " +
	"even a public, max-age=60 response (probably its automation session's ephemeral data store), " +
	"so every request reaches the server and gets its own Access-Control-Allow-Origin: nothing is stale to show Vary's effect"

// withoutHTTPCache is what steps become in a browser that serves nothing
// from its HTTP cache: every step reaches the server and is readable.
func withoutHTTPCache(steps []step) []step {
	out := make([]step, len(steps))
	for i, s := range steps {
		out[i] = step{host: s.host, readable: true, served: i + 1}
	}
	return out
}

// step is one fetch of TestVaryOrigin.
type step struct {
	host     string
	readable bool
	// served is how many requests the server has received after the
	// step: unchanged means the browser's HTTP cache answered.
	served int
}

// TestVaryOrigin shows why responses that depend on the Origin carry
// "Vary: Origin": two sibling subdomains of one site share Chromium's HTTP
// cache (partitioned by site), and fetch the same cacheable URL.
func TestVaryOrigin(t *testing.T) {
	t.Parallel()
	cfg := gincors.Config{AllowOrigins: []string{"http://*.example.test:" + suite.pagePort}}
	const (
		siblingA = "a.example.test"
		siblingB = "b.example.test"
	)
	cases := []struct {
		name  string
		path  string
		steps []step
	}{
		{
			name: "with Vary: Origin each sibling gets a response it may read",
			path: "/cacheable",
			steps: []step{
				{siblingA, true, 1},
				{siblingA, true, 1}, // cached: the cache is in play
				{siblingB, true, 2}, // Vary: Origin: not A's entry
				{siblingB, true, 2},
			},
		},
		{
			// The control: the same route with Vary removed by the
			// handler. B is served A's cached response, whose
			// Access-Control-Allow-Origin names A, and cannot read it.
			name: "control: without Vary the sibling is served the other's cached response and fails",
			path: "/cacheable-without-vary",
			steps: []step{
				{siblingA, true, 1},
				{siblingB, false, 1},
			},
		},
	}
	forEachEngine(t, func(t *testing.T, e *engine) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				b := newBrowserContext(t, e)
				if e.family() == familyWebKit {
					noteDifference(t, e, webkitNoHTTPCacheReason)
					tc.steps = withoutHTTPCache(tc.steps)
				}
				api := newAPI(t, cfg)
				var p *tab
				for i, s := range tc.steps {
					if p == nil || p.origin != pageOrigin(s.host) {
						p = b.open(s.host)
					}
					res := p.fetch(fetchRequest{URL: api.URL + tc.path})
					if s.readable {
						if assert.True(t, res.Resolved, "step %d from %s rejected: %s", i, s.host, res.Error) {
							assert.Equal(t, "for "+pageOrigin(s.host), res.Body, "step %d from %s", i, s.host)
						}
					} else {
						assert.False(t, res.Resolved, "step %d from %s resolved: %q", i, s.host, res.Body)
					}
					assert.Len(t, api.exchanges(tc.path), s.served, "requests served after step %d", i)
				}

				var origins []string
				for _, x := range api.exchanges(tc.path) {
					origins = append(origins, x.Origin)
					assert.Equal(t, x.Origin, x.Response.Get("Access-Control-Allow-Origin"))
					assert.Equal(t, "public, max-age=60", x.Response.Get("Cache-Control"))
				}
				if tc.path == "/cacheable" {
					// The origins of the steps that reached the server.
					var want []string
					served := 0
					for _, s := range tc.steps {
						if s.served > served {
							want = append(want, pageOrigin(s.host))
						}
						served = s.served
					}
					assert.Equal(t, want, origins)
					for _, x := range api.exchanges(tc.path) {
						assert.Equal(t, "Origin", x.Response.Get("Vary"))
					}
				}
			})
		}
	})
}
