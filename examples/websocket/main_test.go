package main

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/websocket"
)

func TestWebSocketOrigin(t *testing.T) {
	router, err := newRouter()
	require.NoError(t, err)
	srv := httptest.NewServer(router)
	defer srv.Close()
	wsURL := "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"

	cases := []struct {
		name     string
		origin   string
		wantEcho bool
	}{
		{name: "an allowed origin opens the socket and gets its echo", origin: "http://localhost:5173", wantEcho: true},
		{name: "another allowed origin opens the socket", origin: "https://app.example.com", wantEcho: true},
		{name: "a hostile page cannot open the socket", origin: "https://evil.example.org"},
		{name: "a look-alike origin cannot open the socket", origin: "https://app.example.com.evil.io"},
		{name: "null cannot open the socket", origin: "null"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := websocket.NewConfig(wsURL, "http://placeholder")
			require.NoError(t, err)
			// Set directly: NewConfig wants an absolute URL, and "null" is not one.
			cfg.Origin, err = url.Parse(tc.origin)
			require.NoError(t, err)
			ws, err := websocket.DialConfig(cfg)
			if !tc.wantEcho {
				require.Error(t, err)
				var dialErr *websocket.DialError
				require.ErrorAs(t, err, &dialErr)
				assert.ErrorIs(t, dialErr.Err, websocket.ErrBadStatus, "the handshake is refused with 403")
				return
			}
			require.NoError(t, err)
			defer ws.Close()
			require.NoError(t, websocket.Message.Send(ws, "ping"))
			var got string
			require.NoError(t, websocket.Message.Receive(ws, &got))
			assert.Equal(t, "ping", got)
		})
	}
}

// TestWebSocketHandshakeStatus pins the refusal's status, which the
// client above only sees as a bad status.
func TestWebSocketHandshakeStatus(t *testing.T) {
	router, err := newRouter()
	require.NoError(t, err)
	cases := []struct {
		name       string
		origin     string
		wantStatus int
	}{
		{name: "allowed origin: switching protocols", origin: "http://localhost:5173", wantStatus: http.StatusSwitchingProtocols},
		{name: "other origin: forbidden", origin: "https://evil.example.org", wantStatus: http.StatusForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(router)
			defer srv.Close()
			req, err := http.NewRequest(http.MethodGet, srv.URL+"/ws", nil)
			require.NoError(t, err)
			req.Header.Set("Origin", tc.origin)
			req.Header.Set("Connection", "Upgrade")
			req.Header.Set("Upgrade", "websocket")
			req.Header.Set("Sec-WebSocket-Version", "13")
			req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
			res, err := http.DefaultTransport.RoundTrip(req)
			require.NoError(t, err)
			defer res.Body.Close()
			assert.Equal(t, tc.wantStatus, res.StatusCode)
		})
	}
}
