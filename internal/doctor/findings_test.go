package doctor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMaxAgeCapped(t *testing.T) {
	cases := []struct {
		name    string
		seconds int
		found   bool
		engines []string
		message string
		fix     string
	}{
		{"within every cap", 600, false, nil, "", ""},
		{"above WebKit's cap", 3600, true, []string{WebKit},
			"Access-Control-Max-Age is 3600 s; WebKit keeps a preflight at most 600 s, so it repeats this preflight every 10 minutes.",
			"Nothing breaks. For one value every engine honours: Access-Control-Max-Age: 600. gincors: Config.MaxAge: 10 * time.Minute."},
		{"above Chromium's and WebKit's caps", 86400, true, []string{Chromium, WebKit},
			"Access-Control-Max-Age is 86400 s; Chromium keeps a preflight at most 7200 s and WebKit at most 600 s, so Chromium repeats this preflight every 2 hours and WebKit every 10 minutes.",
			"Nothing breaks. For one value every engine honours: Access-Control-Max-Age: 600. gincors: Config.MaxAge: 10 * time.Minute."},
		{"above every cap", 100000, true, []string{Chromium, Firefox, WebKit},
			"Access-Control-Max-Age is 100000 s; Chromium keeps a preflight at most 7200 s, Firefox at most 86400 s and WebKit at most 600 s, so Chromium repeats this preflight every 2 hours, Firefox every 1 day and WebKit every 10 minutes.",
			"Nothing breaks. For one value every engine honours: Access-Control-Max-Age: 600. gincors: Config.MaxAge: 10 * time.Minute."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, found := maxAgeCapped(tc.seconds, "preflight → 204")
			require.Equal(t, tc.found, found)
			if !found {
				return
			}
			assert.Equal(t, CodeMaxAgeCapped, f.Code)
			assert.Equal(t, SeverityInfo, f.Severity)
			assert.Equal(t, tc.engines, f.Engines)
			assert.Equal(t, tc.message, f.Message)
			assert.Equal(t, "preflight → 204", f.Evidence)
			assert.Equal(t, tc.fix, f.Fix)
		})
	}
}

func TestSpokenSecondsAndGoDuration(t *testing.T) {
	cases := []struct {
		seconds      int
		spoken, goes string
	}{
		{5, "5 seconds", "5 * time.Second"},
		{90, "90 seconds", "90 * time.Second"},
		{600, "10 minutes", "10 * time.Minute"},
		{3600, "1 hour", "1 * time.Hour"},
		{7200, "2 hours", "2 * time.Hour"},
		{86400, "1 day", "24 * time.Hour"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.spoken, spokenSeconds(tc.seconds), tc.seconds)
		assert.Equal(t, tc.goes, goDuration(tc.seconds), tc.seconds)
	}
}
