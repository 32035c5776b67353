package chromium

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/net/websocket"
)

// conn is one websocket to the browser's DevTools endpoint. Commands for a
// tab carry the tab's session id (flat sessions, Target.attachToTarget with
// flatten), so a single connection serves every tab.
type conn struct {
	ws *websocket.Conn

	writeMu sync.Mutex

	mu       sync.Mutex
	nextID   int64
	pending  map[int64]chan message
	sessions map[string]func(message) // event handlers by session id
	err      error                    // set once the reader stops
	closed   chan struct{}
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
	cfg, err := websocket.NewConfig(wsURL, devtoolsOrigin)
	if err != nil {
		return nil, fmt.Errorf("chromium: DevTools URL %q: %w", wsURL, err)
	}
	ws, err := cfg.DialContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("chromium: connect to DevTools at %s: %w", wsURL, err)
	}
	ws.MaxPayloadBytes = 64 << 20
	c := &conn{
		ws:       ws,
		pending:  map[int64]chan message{},
		sessions: map[string]func(message){},
		closed:   make(chan struct{}),
	}
	go c.read()
	return c, nil
}

// read dispatches incoming messages until the connection fails.
func (c *conn) read() {
	var err error
	for {
		var data []byte
		if err = websocket.Message.Receive(c.ws, &data); err != nil {
			break
		}
		var m message
		if err = json.Unmarshal(data, &m); err != nil {
			err = fmt.Errorf("chromium: bad DevTools message: %w", err)
			break
		}
		c.mu.Lock()
		if m.ID != 0 {
			if ch, ok := c.pending[m.ID]; ok {
				delete(c.pending, m.ID)
				ch <- m // buffered
			}
		} else if handle, ok := c.sessions[m.SessionID]; ok && m.Method != "" {
			handle(m) // must not block
		}
		c.mu.Unlock()
	}
	c.mu.Lock()
	c.err = fmt.Errorf("chromium: DevTools connection closed: %w", err)
	for id, ch := range c.pending {
		delete(c.pending, id)
		close(ch)
	}
	c.mu.Unlock()
	close(c.closed)
}

// call sends a command (to the browser if sessionID is "", else to that
// tab) and decodes its result into result, which may be nil.
func (c *conn) call(ctx context.Context, sessionID, method string, params, result any) error {
	ch := make(chan message, 1)
	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		return err
	}
	c.nextID++
	id := c.nextID
	c.pending[id] = ch
	c.mu.Unlock()

	req := struct {
		ID        int64  `json:"id"`
		SessionID string `json:"sessionId,omitempty"`
		Method    string `json:"method"`
		Params    any    `json:"params,omitempty"`
	}{id, sessionID, method, params}
	data, err := json.Marshal(req)
	if err != nil {
		c.forget(id)
		return fmt.Errorf("chromium: %s: %w", method, err)
	}
	c.writeMu.Lock()
	err = websocket.Message.Send(c.ws, string(data))
	c.writeMu.Unlock()
	if err != nil {
		c.forget(id)
		return fmt.Errorf("chromium: send %s: %w", method, err)
	}

	select {
	case m, ok := <-ch:
		if !ok {
			c.mu.Lock()
			defer c.mu.Unlock()
			return fmt.Errorf("chromium: %s: %w", method, c.err)
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
	case <-ctx.Done():
		c.forget(id)
		return fmt.Errorf("chromium: %s: %w", method, ctx.Err())
	}
}

func (c *conn) forget(id int64) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
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

func (c *conn) close() {
	_ = c.ws.Close()
	<-c.closed
}

// errClosed reports a use of a closed tab.
var errClosed = errors.New("chromium: tab closed")
