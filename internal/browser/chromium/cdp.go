package chromium

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/gincors/gincors/internal/browser/wsrpc"
)

// conn is one websocket to the browser's DevTools endpoint. Commands for a
// tab carry the tab's session id (flat sessions, Target.attachToTarget with
// flatten), so a single connection serves every tab.
type conn struct {
	rpc *wsrpc.Conn

	mu       sync.Mutex
	sessions map[string]func(message) // event handlers by session id
}

// message is any DevTools message: a response (ID set) or an event
// (Method set).
type message struct {
	ID        int64           `json:"id,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *protocolError  `json:"error,omitempty"`
}

type protocolError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    string `json:"data,omitempty"`
}

func (e *protocolError) Error() string {
	if e.Data != "" {
		return fmt.Sprintf("%s (%d): %s", e.Message, e.Code, e.Data)
	}
	return fmt.Sprintf("%s (%d)", e.Message, e.Code)
}

func dial(ctx context.Context, wsURL string) (*conn, error) {
	c := &conn{sessions: map[string]func(message){}}
	rpc, err := wsrpc.Dial(ctx, "chromium", wsURL, devtoolsOrigin, c.event)
	if err != nil {
		return nil, err
	}
	c.rpc = rpc
	return c, nil
}

// event hands an event to its tab's handler, under the lock, so that no
// handler runs once unsubscribe has returned.
func (c *conn) event(data []byte) {
	var m message
	if json.Unmarshal(data, &m) != nil || m.Method == "" {
		return
	}
	c.mu.Lock()
	if handle, ok := c.sessions[m.SessionID]; ok {
		handle(m) // must not block
	}
	c.mu.Unlock()
}

// call sends a command (to the browser if sessionID is "", else to that
// tab) and decodes its result into result, which may be nil.
func (c *conn) call(ctx context.Context, sessionID, method string, params, result any) error {
	reply, err := c.rpc.Call(ctx, method, func(id int64) any {
		return struct {
			ID        int64  `json:"id"`
			SessionID string `json:"sessionId,omitempty"`
			Method    string `json:"method"`
			Params    any    `json:"params,omitempty"`
		}{id, sessionID, method, params}
	})
	if err != nil {
		return err
	}
	var m message
	if err := json.Unmarshal(reply, &m); err != nil {
		return fmt.Errorf("chromium: %s: bad reply: %w", method, err)
	}
	if m.Error != nil {
		return fmt.Errorf("chromium: %s: %w", method, m.Error)
	}
	if result == nil {
		return nil
	}
	if err := json.Unmarshal(m.Result, result); err != nil {
		return fmt.Errorf("chromium: %s: decode result: %w", method, err)
	}
	return nil
}

// subscribe passes the events of a tab to handle, which is called from the
// reader goroutine and must not block.
func (c *conn) subscribe(sessionID string, handle func(message)) {
	c.mu.Lock()
	c.sessions[sessionID] = handle
	c.mu.Unlock()
}

func (c *conn) unsubscribe(sessionID string) {
	c.mu.Lock()
	delete(c.sessions, sessionID)
	c.mu.Unlock()
}

func (c *conn) close() { c.rpc.Close() }

// errClosed reports a use of a closed tab.
var errClosed = errors.New("chromium: tab closed")
