package benchmarks

import (
	"errors"
	"net/http"
	"os"
	"runtime"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.ReleaseMode)
	os.Exit(m.Run())
}

// series are the scaling series, each a set of scenarios.
var series = []struct {
	name      string
	scenarios func() []scenario
}{
	{"ScaleExactOrigins", originScaling},
	{"ScaleWildcards", wildcardScaling},
	{"ScaleACRH", acrhScaling},
}

// setup builds lib's engine for s and serves s's request once, checking the
// response. It reports errUnsupported if lib lacks a feature s needs.
func setup(lib library, s scenario) (*gin.Engine, *http.Request, *recorder, error) {
	mw, err := lib.middleware(s.policy)
	if err != nil {
		return nil, nil, nil, err
	}
	e, r, w := newEngine(mw), s.request(), newRecorder()
	e.ServeHTTP(w, r)
	if err := check(w, s.want(lib.name)); err != nil {
		return nil, nil, nil, err
	}
	// Serve it again: a library that edits shared state in place would
	// answer differently the second time.
	w.reset()
	e.ServeHTTP(w, r)
	if err := check(w, s.want(lib.name)); err != nil {
		return nil, nil, nil, errors.New("second request: " + err.Error())
	}
	return e, r, w, nil
}

// TestScenarios checks every library's answer in every scenario and
// scaling step: what the benchmarks measure is a correct answer.
func TestScenarios(t *testing.T) {
	groups := append([]struct {
		name      string
		scenarios func() []scenario
	}{{"CORS", scenarios}}, series...)
	for _, g := range groups {
		for _, s := range g.scenarios() {
			for _, lib := range libraries {
				t.Run(g.name+"/"+s.name+"/"+lib.name, func(t *testing.T) {
					_, _, _, err := setup(lib, s)
					if errors.Is(err, errUnsupported) {
						t.Skip(err)
					}
					if err != nil {
						t.Fatal(err)
					}
				})
			}
		}
	}
}

// TestRsCorsAdapter checks that the Gin adapter for rs/cors behaves as
// rs/cors's own Gin wrapper: a preflight stops the chain with 204, an
// OPTIONS request without Access-Control-Request-Method reaches the route.
func TestRsCorsAdapter(t *testing.T) {
	mw, err := newRsCors(policy{origins: []string{allowedOrigin}})
	if err != nil {
		t.Fatal(err)
	}
	e := gin.New()
	e.Use(mw)
	ran := false
	e.OPTIONS(routePath, func(c *gin.Context) { ran = true; c.Status(http.StatusTeapot) })

	w := newRecorder()
	e.ServeHTTP(w, preflight(allowedOrigin)())
	if ran || w.status != http.StatusNoContent || w.header.Get("Access-Control-Allow-Origin") != allowedOrigin {
		t.Errorf("preflight: handler ran %v, status %d, headers %v", ran, w.status, w.header)
	}
	w.reset()
	e.ServeHTTP(w, newRequest(http.MethodOptions, allowedOrigin))
	if !ran || w.status != http.StatusTeapot {
		t.Errorf("plain OPTIONS: handler ran %v, status %d", ran, w.status)
	}
}

// BenchmarkCORS runs every scenario against every library. Sub-benchmark
// names are scenario=NAME/lib=NAME so that benchstat can tabulate them.
func BenchmarkCORS(b *testing.B) {
	benchScenarios(b, scenarios(), "scenario")
}

// BenchmarkScaleExactOrigins: an allowed actual request with 1 to 10,000
// exact origins configured, the allowed one last.
func BenchmarkScaleExactOrigins(b *testing.B) { benchScenarios(b, originScaling(), "origins") }

// BenchmarkScaleWildcards: an allowed actual request with 1 to 1,000
// wildcard-subdomain patterns configured, only the last one matching.
func BenchmarkScaleWildcards(b *testing.B) { benchScenarios(b, wildcardScaling(), "wildcards") }

// BenchmarkScaleACRH: a preflight from an allowed origin whose
// Access-Control-Request-Headers is 10 B to 1 MB of commas.
func BenchmarkScaleACRH(b *testing.B) { benchScenarios(b, acrhScaling(), "acrh") }

func benchScenarios(b *testing.B, ss []scenario, key string) {
	for _, s := range ss {
		name := s.name
		if key == "scenario" {
			name = "scenario=" + s.name
		}
		b.Run(name, func(b *testing.B) {
			for _, lib := range libraries {
				b.Run("lib="+lib.name, func(b *testing.B) {
					e, r, w, err := setup(lib, s)
					if errors.Is(err, errUnsupported) {
						b.Skip(err)
					}
					if err != nil {
						b.Fatal(err)
					}
					// Collect the setup's garbage now, so that no
					// collection of it is charged to the requests.
					runtime.GC()
					b.ReportAllocs()
					b.ResetTimer()
					for range b.N {
						w.reset()
						e.ServeHTTP(w, r)
					}
				})
			}
		})
	}
}
