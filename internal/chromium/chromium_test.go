package chromium

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFindHonoursOverride(t *testing.T) {
	t.Run("a missing override is ErrNotFound", func(t *testing.T) {
		t.Setenv(EnvPath, "/nonexistent/chromium")
		_, err := Find()
		require.Error(t, err)
		assert.True(t, errors.Is(err, ErrNotFound), "%v", err)
		assert.Contains(t, err.Error(), "/nonexistent/chromium")
	})
	t.Run("an existing override is used as is", func(t *testing.T) {
		exe := filepath.Join(t.TempDir(), "my-chromium")
		require.NoError(t, os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755))
		t.Setenv(EnvPath, exe)
		got, err := Find()
		require.NoError(t, err)
		assert.Equal(t, exe, got)
	})
	t.Run("without an override or a browser on PATH it is ErrNotFound", func(t *testing.T) {
		t.Setenv(EnvPath, "")
		t.Setenv("PATH", t.TempDir())
		_, err := Find()
		assert.True(t, errors.Is(err, ErrNotFound), "%v", err)
	})
}

func TestStderrLogFindsEndpointAcrossWrites(t *testing.T) {
	l := newStderrLog()
	writes := []string{
		"[1:2:ERROR:bus.cc] Failed to connect to the bus\n\nDevTools list",
		"ening on ws://127.0.0.1:4242/devtools/browser/abc\r\n",
		"DevTools listening on ws://127.0.0.1:1/devtools/browser/second\n",
		"no newline yet",
	}
	for _, w := range writes {
		n, err := l.Write([]byte(w))
		require.NoError(t, err)
		require.Equal(t, len(w), n)
	}
	select {
	case got := <-l.endpoint:
		assert.Equal(t, "ws://127.0.0.1:4242/devtools/browser/abc", got)
	default:
		t.Fatal("endpoint not reported")
	}
	select {
	case got := <-l.endpoint:
		t.Fatalf("endpoint reported twice, the second time %q", got)
	default:
	}
	assert.Contains(t, l.tail(), "Failed to connect to the bus")
	assert.NotContains(t, l.tail(), "no newline yet", "a partial line is not a line yet")
}

func TestStderrLogKeepsOnlyTheTail(t *testing.T) {
	l := newStderrLog()
	for i := range stderrKeep + 10 {
		_, _ = l.Write([]byte{byte('a' + i%26), '\n'})
	}
	assert.Len(t, l.lines, stderrKeep)
}
