package doctor_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gincors/gincors/internal/doctor"
	"github.com/gincors/gincors/internal/doctor/zoo"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(m.Run())
}

// pageOrigin is the origin of the page in the zoo tests.
const pageOrigin = "https://app.example.com"

// serve starts h on 127.0.0.1 and returns its base URL.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	s := &httptest.Server{Listener: l, Config: &http.Server{Handler: h}}
	s.Start()
	t.Cleanup(s.Close)
	return s.URL
}

// lookup resolves the page's host: to a public address for a public
// page, otherwise not at all (so no Local Network Access finding).
func lookup(public bool) func(context.Context, string) ([]netip.Addr, error) {
	return func(context.Context, string) ([]netip.Addr, error) {
		if public {
			return []netip.Addr{netip.MustParseAddr("203.0.113.7")}, nil
		}
		return nil, errors.New("not resolved in tests")
	}
}

// Options is the doctor's options for a zoo case against base.
func Options(tc zoo.Case, base, origin string) doctor.Options {
	opt := doctor.Options{
		Call: doctor.Call{
			URL: base + tc.Path, Origin: origin, Method: tc.Method,
			Credentials: tc.Credentials, ReadHeaders: tc.ReadHeaders,
		},
		SendActual: tc.SendActual,
		LookupIP:   lookup(tc.PublicPage),
	}
	for name, value := range tc.Headers {
		opt.Headers = append(opt.Headers, doctor.Header{Name: name, Value: value})
	}
	return opt
}

func TestZoo(t *testing.T) {
	for _, tc := range zoo.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			runs := &zoo.Runs{}
			base := serve(t, tc.Server(pageOrigin, runs))
			rep, err := doctor.Run(context.Background(), Options(tc, base, pageOrigin))
			require.NoError(t, err)

			assert.Equal(t, tc.Codes, rep.Codes(), "finding codes")
			if tc.Evidence != "" {
				assert.Equal(t, tc.Evidence, rep.ActualEvidence, "how the actual answer was judged")
			}
			require.Len(t, rep.Engines, 3)
			for _, v := range rep.Engines {
				stage := tc.Blocked[v.Engine]
				assert.Equal(t, stage == "", v.Allowed, "%s allowed (%s)", v.Engine, v.Console)
				assert.Equal(t, stage, v.Stage, "%s stage", v.Engine)
				assert.Equal(t, stage != "", v.Console != "", "%s has a console message if and only if it blocks", v.Engine)
				if tc.CacheSeconds != nil {
					assert.Equal(t, tc.CacheSeconds[v.Engine], v.PreflightCacheSeconds, "%s preflight cache", v.Engine)
				}
			}
			// No side effect the user did not ask for.
			assert.Equal(t, tc.UnsafeRuns, runs.Unsafe(), "runs of an unsafe method's handler")
			for _, x := range rep.Exchanges {
				if x.Kind == doctor.KindActual && x.Method == tc.Method && tc.SendActual {
					continue
				}
				assert.Contains(t, []string{"OPTIONS", "GET", "HEAD"}, x.Method, "%s %s", x.Kind, x.URL)
			}
			for _, f := range rep.Findings {
				assert.NotEmpty(t, f.Evidence, f.Code)
				assert.NotEmpty(t, f.Fix, f.Code)
				assert.NotEmpty(t, f.Engines, f.Code)
				assert.Contains(t, []string{"error", "warning", "info"}, f.Severity, f.Code)
			}
		})
	}
}
