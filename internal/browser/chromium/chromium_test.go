package chromium

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gincors/gincors/internal/browser"
)

func TestFindHonoursOverride(t *testing.T) {
	t.Run("a missing override is ErrNotFound", func(t *testing.T) {
		t.Setenv(EnvPath, "/nonexistent/chromium")
		_, err := Find()
		require.Error(t, err)
		assert.True(t, errors.Is(err, browser.ErrNotFound), "%v", err)
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
		assert.True(t, errors.Is(err, browser.ErrNotFound), "%v", err)
	})
}
