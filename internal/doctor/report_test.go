package doctor

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAddObserved(t *testing.T) {
	blocked := Verdict{Engine: Firefox, Allowed: false, Stage: StageActual, Console: firefoxBlocked + "x"}
	cases := []struct {
		name      string
		predicted []Verdict
		observed  []Observed
		codes     []string
		severity  string
		ok        bool
	}{
		{"agrees: allowed", []Verdict{{Engine: Chromium, Allowed: true}}, []Observed{{Engine: Chromium, Allowed: true}}, []string{}, "", true},
		{"agrees: blocked with the same wording", []Verdict{blocked}, []Observed{{Engine: Firefox, Console: []string{firefoxBlocked + "x and more"}}}, []string{}, "", false},
		{"disagrees", []Verdict{{Engine: WebKit, Allowed: true}}, []Observed{{Engine: WebKit, Error: "TypeError: Load failed"}}, []string{CodeModelDisagrees}, SeverityWarning, false},
		{"other wording", []Verdict{blocked}, []Observed{{Engine: Firefox, Console: []string{"something else"}}}, []string{CodeModelDisagrees}, SeverityInfo, false},
		{"skipped", []Verdict{{Engine: WebKit, Allowed: true}}, []Observed{{Engine: WebKit, Skipped: "not installed"}}, []string{}, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := &Report{Engines: tc.predicted, Findings: []Finding{}}
			r.AddObserved(tc.observed)
			assert.Equal(t, tc.codes, r.Codes())
			if tc.severity != "" {
				assert.Equal(t, tc.severity, r.Findings[0].Severity)
			}
			assert.Equal(t, tc.ok, r.OK())
		})
	}
}
