package wsrpc

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/websocket"
)

// server answers each command {"id":N,"method":M} with {"id":N,"echo":M}
// after sending an event, and replies to "slow" only after the next
// command, so replies arrive out of order.
func server(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(websocket.Handler(func(ws *websocket.Conn) {
		var held []byte
		for {
			var data []byte
			if websocket.Message.Receive(ws, &data) != nil {
				return
			}
			var cmd struct {
				ID     int64  `json:"id"`
				Method string `json:"method"`
			}
			require.NoError(t, json.Unmarshal(data, &cmd))
			_ = websocket.Message.Send(ws, `{"event":"`+cmd.Method+`"}`)
			reply, _ := json.Marshal(map[string]any{"id": cmd.ID, "echo": cmd.Method})
			if cmd.Method == "slow" {
				held = reply
				continue
			}
			_ = websocket.Message.Send(ws, string(reply))
			if held != nil {
				_ = websocket.Message.Send(ws, string(held))
				held = nil
			}
		}
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

func TestCallsGetTheirOwnRepliesAndEventsAreHandedOn(t *testing.T) {
	var mu sync.Mutex
	var events []string
	slowSent := make(chan struct{})
	c, err := Dial(context.Background(), "test", server(t), "http://127.0.0.1", func(data []byte) {
		mu.Lock()
		events = append(events, string(data))
		mu.Unlock()
		if string(data) == `{"event":"slow"}` {
			close(slowSent)
		}
	})
	require.NoError(t, err)
	defer c.Close()

	call := func(method string) string {
		reply, err := c.Call(context.Background(), method, func(id int64) any {
			return map[string]any{"id": id, "method": method}
		})
		require.NoError(t, err)
		var r struct{ Echo string }
		require.NoError(t, json.Unmarshal(reply, &r))
		return r.Echo
	}
	slow := make(chan string)
	go func() { slow <- call("slow") }()
	<-slowSent // the server holds "slow" before "fast" is sent
	assert.Equal(t, "fast", call("fast"))
	assert.Equal(t, "slow", <-slow, "the held reply reaches its own caller")
	mu.Lock()
	assert.ElementsMatch(t, []string{`{"event":"slow"}`, `{"event":"fast"}`}, events)
	mu.Unlock()
}

func TestCallAfterCloseFails(t *testing.T) {
	c, err := Dial(context.Background(), "test", server(t), "http://127.0.0.1", func([]byte) {})
	require.NoError(t, err)
	c.Close()
	_, err = c.Call(context.Background(), "late", func(id int64) any { return map[string]any{"id": id} })
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "test: connection closed:"), err.Error())
}

func TestCallHonoursItsContext(t *testing.T) {
	c, err := Dial(context.Background(), "test", server(t), "http://127.0.0.1", func([]byte) {})
	require.NoError(t, err)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = c.Call(ctx, "slow", func(id int64) any { return map[string]any{"id": id, "method": "slow"} })
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}
