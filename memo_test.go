package gincors

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMemoNeverChangesADecision sends, from several goroutines, allowed and
// refused preflights and actual requests whose Access-Control-Request-Headers
// and origins repeat, so that the header and regexp memos fill and are hit,
// and checks every answer against the one a fresh policy gives.
func TestMemoNeverChangesADecision(t *testing.T) {
	cfg := Config{
		AllowOriginRegexps: []string{`https://[a-z]+\.example\.com`},
		AllowMethods:       []string{"PUT"},
		AllowHeaders:       []string{"Content-Type", "X-A"},
	}
	lists := []string{"content-type", "content-type,x-a", "x-a,x-b", "x-b", "X-A", "content-type, x-a", "content-type x-a"}
	origins := []string{"https://a.example.com", "https://b.example.com", "https://a.example.net", "https://A.example.com"}
	type exchange struct {
		req  request
		want result
	}
	var exchanges []exchange
	fresh := func(r request) result { return newTestServer(t, cfg).serve(t, r) }
	for _, o := range origins {
		exchanges = append(exchanges, exchange{request{method: "GET", lines: lines("Origin", o)}, fresh(request{method: "GET", lines: lines("Origin", o)})})
		for _, l := range lists {
			r := preflightReq(o, "PUT", headerRequestHeaders, l)
			exchanges = append(exchanges, exchange{r, fresh(r)})
		}
	}
	require.Equal(t, result{204, hdr(headerAllowOrigin, "https://a.example.com", headerAllowMethods, "PUT", headerAllowHeaders, "Content-Type, X-A"), false},
		exchanges[2].want, "precondition: an allowed preflight among the cases")

	s := newTestServer(t, cfg)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 * len(exchanges) {
				x := exchanges[(i+g)%len(exchanges)]
				got := s.serve(t, x.req)
				if !assert.Equal(t, x.want.status, got.status) || !assert.Equal(t, x.want.cors, got.cors) {
					return
				}
			}
		}()
	}
	wg.Wait()
}
