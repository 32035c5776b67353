package firefox

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/gincors/gincors/internal/browser/wsrpc"
)

// conn is the WebDriver BiDi websocket: commands with ids, their results,
// and events, which go to one handler.
type conn struct {
	rpc *wsrpc.Conn
}

// message is a BiDi message: a command's success or error (ID set), or an
// event (Type "event").
type message struct {
	Type    string          `json:"type"`
	ID      int64           `json:"id,omitempty"`
	Method  string          `json:"method,omitempty"`
	Params  json.RawMessage `json:"params,omitempty"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   string          `json:"error,omitempty"`
	Message string          `json:"message,omitempty"`
}

func dial(ctx context.Context, wsURL string, onEvent func(message)) (*conn, error) {
	rpc, err := wsrpc.Dial(ctx, "firefox", wsURL, remoteOrigin, func(data []byte) {
		var m message
		if json.Unmarshal(data, &m) == nil && m.Type == "event" {
			onEvent(m) // on the reader goroutine; must not block
		}
	})
	if err != nil {
		return nil, err
	}
	return &conn{rpc: rpc}, nil
}

// call sends a command and decodes its result into result, which may be
// nil.
func (c *conn) call(ctx context.Context, method string, params, result any) error {
	if params == nil {
		params = struct{}{}
	}
	reply, err := c.rpc.Call(ctx, method, func(id int64) any {
		return struct {
			ID     int64  `json:"id"`
			Method string `json:"method"`
			Params any    `json:"params"`
		}{id, method, params}
	})
	if err != nil {
		return err
	}
	var m message
	if err := json.Unmarshal(reply, &m); err != nil {
		return fmt.Errorf("firefox: %s: bad reply: %w", method, err)
	}
	if m.Type == "error" {
		return fmt.Errorf("firefox: %s: %s: %s", method, m.Error, m.Message)
	}
	if result == nil {
		return nil
	}
	if err := json.Unmarshal(m.Result, result); err != nil {
		return fmt.Errorf("firefox: %s: decode result: %w", method, err)
	}
	return nil
}

func (c *conn) close() { c.rpc.Close() }
