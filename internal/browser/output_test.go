package browser

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOutputAnnouncesThePrefixedLineAcrossWrites(t *testing.T) {
	o := NewOutput("DevTools listening on ")
	writes := []string{
		"[1:2:ERROR:bus.cc] Failed to connect to the bus\n\nDevTools list",
		"ening on ws://127.0.0.1:4242/devtools/browser/abc\r\n",
		"DevTools listening on ws://127.0.0.1:1/devtools/browser/second\n",
		"no newline yet",
	}
	for _, w := range writes {
		n, err := o.Write([]byte(w))
		require.NoError(t, err)
		require.Equal(t, len(w), n)
	}
	select {
	case got := <-o.Announced:
		assert.Equal(t, "ws://127.0.0.1:4242/devtools/browser/abc", got)
	default:
		t.Fatal("line not announced")
	}
	select {
	case got := <-o.Announced:
		t.Fatalf("announced twice, the second time %q", got)
	default:
	}
	assert.Contains(t, o.Tail(), "Failed to connect to the bus")
	assert.NotContains(t, o.Tail(), "no newline yet", "a partial line is not a line yet")
}

func TestOutputKeepsOnlyTheTail(t *testing.T) {
	o := NewOutput("")
	for i := range OutputKeep + 10 {
		_, _ = o.Write([]byte{byte('a' + i%26), '\n'})
	}
	assert.Equal(t, OutputKeep, o.Lines())
}
