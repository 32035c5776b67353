package firefox

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteProfileKeepsFirefoxOffTheNetwork(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "profile")
	err := writeProfile(dir, Options{
		LocalDomains: []string{"a.test", "b.test"},
		Prefs:        map[string]any{"media.gmp-manager.updateEnabled": true, "x.strict": false},
	})
	require.NoError(t, err)
	data, err := os.ReadFile(filepath.Join(dir, "user.js"))
	require.NoError(t, err)
	js := string(data)
	assert.Contains(t, js, `user_pref("network.dns.localDomains", "a.test,b.test");`)
	assert.Contains(t, js, `user_pref("toolkit.telemetry.enabled", false);`)
	assert.Contains(t, js, `user_pref("x.strict", false);`)
	assert.Contains(t, js, `user_pref("media.gmp-manager.updateEnabled", true);`, "Options.Prefs override the defaults")
	assert.NotContains(t, js, `user_pref("media.gmp-manager.updateEnabled", false);`)
}
