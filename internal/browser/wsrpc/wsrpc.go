// Package wsrpc is the transport the Chromium (DevTools protocol) and
// Firefox (WebDriver BiDi) drivers share: JSON commands over one websocket,
// each carrying an id that its reply repeats, and events, which carry none.
// Each driver encodes its own commands and decodes its own messages; this
// package only correlates replies with commands and hands on events.
package wsrpc

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"golang.org/x/net/websocket"
)

// Conn is one websocket to a browser. It is safe for concurrent use.
type Conn struct {
	name    string // "chromium" or "firefox", for error messages
	ws      *websocket.Conn
	onEvent func(data []byte) // on the reader goroutine; must not block
	writeMu sync.Mutex

	mu      sync.Mutex
	nextID  int64
	pending map[int64]chan []byte
	err     error // set once the reader stops
	closed  chan struct{}
}

// Dial connects to the websocket at url, sending origin as the handshake's
// Origin, and passes every message without an id to onEvent.
func Dial(ctx context.Context, name, url, origin string, onEvent func(data []byte)) (*Conn, error) {
	cfg, err := websocket.NewConfig(url, origin)
	if err != nil {
		return nil, fmt.Errorf("%s: websocket URL %q: %w", name, url, err)
	}
	ws, err := cfg.DialContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: connect to %s: %w", name, url, err)
	}
	ws.MaxPayloadBytes = 64 << 20
	c := &Conn{name: name, ws: ws, onEvent: onEvent, pending: map[int64]chan []byte{}, closed: make(chan struct{})}
	go c.read()
	return c, nil
}

// read dispatches incoming messages until the connection fails.
func (c *Conn) read() {
	var err error
	for {
		var data []byte
		if err = websocket.Message.Receive(c.ws, &data); err != nil {
			break
		}
		var envelope struct {
			ID int64 `json:"id"`
		}
		if err = json.Unmarshal(data, &envelope); err != nil {
			err = fmt.Errorf("%s: bad message: %w", c.name, err)
			break
		}
		if envelope.ID == 0 {
			c.onEvent(data)
			continue
		}
		c.mu.Lock()
		if ch, ok := c.pending[envelope.ID]; ok {
			delete(c.pending, envelope.ID)
			ch <- data // buffered
		}
		c.mu.Unlock()
	}
	c.mu.Lock()
	c.err = fmt.Errorf("%s: connection closed: %w", c.name, err)
	for id, ch := range c.pending {
		delete(c.pending, id)
		close(ch)
	}
	c.mu.Unlock()
	close(c.closed)
}

// Call sends the command that encode builds around its id, and returns the
// reply, undecoded. method is for error messages.
func (c *Conn) Call(ctx context.Context, method string, encode func(id int64) any) ([]byte, error) {
	ch := make(chan []byte, 1)
	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		return nil, err
	}
	c.nextID++
	id := c.nextID
	c.pending[id] = ch
	c.mu.Unlock()

	data, err := json.Marshal(encode(id))
	if err != nil {
		c.forget(id)
		return nil, fmt.Errorf("%s: %s: %w", c.name, method, err)
	}
	c.writeMu.Lock()
	err = websocket.Message.Send(c.ws, string(data))
	c.writeMu.Unlock()
	if err != nil {
		c.forget(id)
		return nil, fmt.Errorf("%s: send %s: %w", c.name, method, err)
	}
	select {
	case reply, ok := <-ch:
		if !ok {
			c.mu.Lock()
			defer c.mu.Unlock()
			return nil, fmt.Errorf("%s: %s: %w", c.name, method, c.err)
		}
		return reply, nil
	case <-ctx.Done():
		c.forget(id)
		return nil, fmt.Errorf("%s: %s: %w", c.name, method, ctx.Err())
	}
}

func (c *Conn) forget(id int64) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
}

// Close closes the websocket and waits for the reader to stop.
func (c *Conn) Close() {
	_ = c.ws.Close()
	<-c.closed
}
