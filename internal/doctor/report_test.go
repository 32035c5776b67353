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

func TestEvidenceLine(t *testing.T) {
	getGot := func(status int) []Exchange {
		return []Exchange{{Kind: KindPreflight, Method: "OPTIONS", Status: 204}, {Kind: KindActual, Method: "GET", Status: status}}
	}
	cases := []struct {
		name, evidence string
		exchanges      []Exchange
		want           string
	}{
		{"sent", EvidenceSent, nil, "The actual request was sent"},
		{"a GET stood in", EvidenceGET, getGot(200),
			"The actual PUT was not sent (it may change data; -send-actual sends it): a GET to the same URL stood in for it"},
		{"the GET found no route", EvidencePreflight, getGot(404),
			"The actual PUT was not sent (it may change data; -send-actual sends it). A GET to the same URL, sent in its place, got 404, so this verdict rests on the preflight alone"},
		{"the GET was refused", EvidencePreflight, getGot(405),
			"The actual PUT was not sent (it may change data; -send-actual sends it). A GET to the same URL, sent in its place, got 405, so this verdict rests on the preflight alone"},
		{"none", EvidenceNone, nil, "No actual request: the call fails before it"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := &Report{Method: "PUT", ActualEvidence: tc.evidence, Exchanges: tc.exchanges}
			assert.Equal(t, tc.want, r.evidenceLine())
		})
	}
}

func TestProbeLabelsHaveNoNestedParentheses(t *testing.T) {
	for _, p := range probeOrigins("https://app.example.com") {
		assert.NotContains(t, p.why, "(", p.origin)
	}
	assert.Equal(t, "the null origin: sandboxed iframes, data: and file: documents, redirects", probeOrigins("null")[1].why)
}
