package firefox

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"golang.org/x/net/websocket"
)

// conn is the WebDriver BiDi websocket: commands with ids, their results,
// and events, which go to one handler.
type conn struct {
	ws      *websocket.Conn
	writeMu sync.Mutex

	mu      sync.Mutex
	nextID  int64
	pending map[int64]chan message
	onEvent func(message) // called on the reader goroutine; must not block
	err     error         // set once the reader stops
	closed  chan struct{}
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
	cfg, err := websocket.NewConfig(wsURL, remoteOrigin)
	if err != nil {
		return nil, fmt.Errorf("firefox: BiDi URL %q: %w", wsURL, err)
	}
	ws, err := cfg.DialContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("firefox: connect to BiDi at %s: %w", wsURL, err)
	}
	ws.MaxPayloadBytes = 64 << 20
	c := &conn{ws: ws, pending: map[int64]chan message{}, onEvent: onEvent, closed: make(chan struct{})}
	go c.read()
	return c, nil
}

func (c *conn) read() {
	var err error
	for {
		var data []byte
		if err = websocket.Message.Receive(c.ws, &data); err != nil {
			break
		}
		var m message
		if err = json.Unmarshal(data, &m); err != nil {
			err = fmt.Errorf("firefox: bad BiDi message: %w", err)
			break
		}
		if m.Type == "event" {
			c.onEvent(m)
			continue
		}
		c.mu.Lock()
		if ch, ok := c.pending[m.ID]; ok {
			delete(c.pending, m.ID)
			ch <- m // buffered
		}
		c.mu.Unlock()
	}
	c.mu.Lock()
	c.err = fmt.Errorf("firefox: BiDi connection closed: %w", err)
	for id, ch := range c.pending {
		delete(c.pending, id)
		close(ch)
	}
	c.mu.Unlock()
	close(c.closed)
}

// call sends a command and decodes its result into result, which may be
// nil.
func (c *conn) call(ctx context.Context, method string, params, result any) error {
	if params == nil {
		params = struct{}{}
	}
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

	data, err := json.Marshal(struct {
		ID     int64  `json:"id"`
		Method string `json:"method"`
		Params any    `json:"params"`
	}{id, method, params})
	if err != nil {
		c.forget(id)
		return fmt.Errorf("firefox: %s: %w", method, err)
	}
	c.writeMu.Lock()
	err = websocket.Message.Send(c.ws, string(data))
	c.writeMu.Unlock()
	if err != nil {
		c.forget(id)
		return fmt.Errorf("firefox: send %s: %w", method, err)
	}
	select {
	case m, ok := <-ch:
		if !ok {
			c.mu.Lock()
			defer c.mu.Unlock()
			return fmt.Errorf("firefox: %s: %w", method, c.err)
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
	case <-ctx.Done():
		c.forget(id)
		return fmt.Errorf("firefox: %s: %w", method, ctx.Err())
	}
}

func (c *conn) forget(id int64) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
}

func (c *conn) close() {
	_ = c.ws.Close()
	<-c.closed
}
