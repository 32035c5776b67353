package inbrowser

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

	"github.com/gincors/gincors/internal/browser/chromium"
	"github.com/gincors/gincors/internal/doctor"
	"github.com/gincors/gincors/internal/doctor/zoo"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(m.Run())
}

// TestChromium runs -browser's machinery in Chromium, the quickest engine
// to start, for a page at an http:// and at an https:// origin (served
// with a locally made certificate), against an allowed and a blocked
// call; the e2e suite covers every engine and zoo case.
func TestChromium(t *testing.T) {
	if _, err := chromium.Find(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true requires Chromium: %v", err)
		}
		t.Skipf("Chromium is not installed, so -browser is not exercised: %v (apt-get install chromium)", err)
	}
	cases := []struct {
		zooCase string
		origin  string
		allowed bool
	}{
		{"a plain Go handler: the exact origin with Vary, a credentialed GET", "https://app.example.com", true},
		{"a gateway and the app both echo the origin", "http://localhost:3000", false},
	}
	for _, tc := range cases {
		t.Run(tc.zooCase, func(t *testing.T) {
			var c zoo.Case
			for _, x := range zoo.Cases {
				if x.Name == tc.zooCase {
					c = x
				}
			}
			require.NotNil(t, c.Server, "zoo case exists")
			l, err := net.Listen("tcp4", "127.0.0.1:0")
			require.NoError(t, err)
			srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: c.Server(tc.origin, &zoo.Runs{})}}
			srv.Start()
			defer srv.Close()
			call := doctor.Call{URL: srv.URL + c.Path, Origin: tc.origin, Method: c.Method, Credentials: c.Credentials}
			rep, err := doctor.Run(context.Background(), doctor.Options{Call: call, LookupIP: func(context.Context, string) ([]netip.Addr, error) {
				return nil, errors.New("not resolved in tests")
			}})
			require.NoError(t, err)
			obs, err := Run(context.Background(), call, []string{doctor.Chromium}, Options{})
			require.NoError(t, err)
			require.Len(t, obs, 1)
			require.Empty(t, obs[0].Skipped)
			assert.Equal(t, tc.allowed, obs[0].Allowed, obs[0].Error)
			rep.AddObserved(obs)
			assert.NotContains(t, rep.Codes(), doctor.CodeModelDisagrees, "the model agrees with Chromium: %+v", obs[0])
			if !tc.allowed {
				assert.NotEmpty(t, obs[0].Console)
			}
		})
	}
}

func TestRunRefusesNullOrigin(t *testing.T) {
	_, err := Run(context.Background(), doctor.Call{URL: "http://127.0.0.1:1/", Origin: "null"}, []string{doctor.Chromium}, Options{})
	assert.Error(t, err)
}
