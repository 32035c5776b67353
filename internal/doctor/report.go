package doctor

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
)

// Exchange kinds.
const (
	KindPreflight = "preflight"
	KindActual    = "actual"
	KindProbe     = "probe"
)

// Exchange is one request the tool sent and the answer it got.
type Exchange struct {
	// Kind is preflight, actual or probe.
	Kind string `json:"kind"`
	// Purpose says why the request was sent when it is not the call's own
	// preflight or actual request: a GET standing in for an unsafe
	// method, a redirect followed, or which origin a probe tries.
	Purpose        string            `json:"purpose,omitempty"`
	Method         string            `json:"method"`
	URL            string            `json:"url"`
	RequestHeaders map[string]string `json:"request_headers"`
	Status         int               `json:"status"`
	// ResponseHeaders keeps every line of each header, in order.
	ResponseHeaders map[string][]string `json:"response_headers"`
}

func (x *Exchange) header() http.Header { return http.Header(x.ResponseHeaders) }

// describe is the exchange in one line, for a finding's evidence.
func (x *Exchange) describe() string {
	s := fmt.Sprintf("%s %s %s", x.Kind, x.Method, x.URL)
	if o, ok := x.RequestHeaders["Origin"]; ok {
		s += " with Origin: " + o
	}
	return s + fmt.Sprintf(" → %d", x.Status)
}

// corsLines are the answer's Access-Control-* and Vary lines, for
// evidence; "no CORS header" when it has none.
func (x *Exchange) corsLines() string {
	var names []string
	for name := range x.ResponseHeaders {
		if strings.HasPrefix(name, "Access-Control-") || name == "Vary" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var lines []string
	for _, n := range names {
		for _, v := range x.ResponseHeaders[n] {
			lines = append(lines, n+": "+v)
		}
	}
	if len(lines) == 0 {
		return "no CORS header"
	}
	return strings.Join(lines, "; ")
}

// Severities of findings.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
)

// Finding is one problem, or fact worth knowing, about the deployment.
type Finding struct {
	Code     string   `json:"code"`
	Severity string   `json:"severity"`
	Engines  []string `json:"engines"`
	// Message says what is wrong.
	Message string `json:"message"`
	// Evidence is the request that showed it and the header lines or
	// status.
	Evidence string `json:"evidence"`
	// Fix is what to change: generically, then in gincors' Config or the
	// Gin wiring.
	Fix string `json:"fix"`
}

// Actual evidence: how the actual response was judged.
const (
	// EvidenceSent: the actual request was sent (GET or HEAD, or
	// -send-actual).
	EvidenceSent = "sent"
	// EvidenceGET: a GET to the same URL stood in for the unsafe method.
	EvidenceGET = "get"
	// EvidencePreflight: the preflight's answer alone (the GET found no
	// route).
	EvidencePreflight = "preflight"
	// EvidenceNone: the call fails before its actual request.
	EvidenceNone = "none"
)

// Report is everything the tool found, in the JSON contract of issue 21:
// the names below are kept; fields may be added.
type Report struct {
	URL         string `json:"url"`
	Origin      string `json:"origin"`
	Method      string `json:"method"`
	Credentials bool   `json:"credentials"`
	// Preflight says whether the call needs a preflight.
	Preflight bool `json:"preflight"`
	// ActualEvidence says how the actual response was judged: sent, get,
	// preflight or none.
	ActualEvidence string     `json:"actual_evidence"`
	Exchanges      []Exchange `json:"exchanges"`
	Engines        []Verdict  `json:"engines"`
	Findings       []Finding  `json:"findings"`
	// Browser is what the real engines did (-browser).
	Browser []Observed `json:"browser,omitempty"`
}

// OK reports whether every engine allows the call and no finding is an
// error: the tool's exit status 0.
func (r *Report) OK() bool {
	for _, v := range r.Engines {
		if !v.Allowed {
			return false
		}
	}
	for _, f := range r.Findings {
		if f.Severity == SeverityError {
			return false
		}
	}
	for _, o := range r.Browser {
		if o.Skipped == "" && !o.Allowed {
			return false
		}
	}
	return true
}

// Codes returns the findings' codes, in report order.
func (r *Report) Codes() []string {
	out := []string{}
	for _, f := range r.Findings {
		out = append(out, f.Code)
	}
	return out
}

// evidenceLine says how the actual response was judged, naming the
// call's method and, when a GET stood in for it, what the GET got.
func (r *Report) evidenceLine() string {
	notSent := fmt.Sprintf("The actual %s was not sent (it may change data; -send-actual sends it)", r.Method)
	switch r.ActualEvidence {
	case EvidenceSent:
		return "The actual request was sent"
	case EvidenceGET:
		return notSent + ": a GET to the same URL stood in for it"
	case EvidencePreflight:
		status := 0
		for i := range r.Exchanges {
			if r.Exchanges[i].Kind == KindActual {
				status = r.Exchanges[i].Status
			}
		}
		return fmt.Sprintf("%s. A GET to the same URL, sent in its place, got %d, so this verdict rests on the preflight alone", notSent, status)
	case EvidenceNone:
		return "No actual request: the call fails before it"
	}
	return ""
}

var stageNames = map[string]string{StagePreflight: "preflight", StageActual: "actual request", StageRedirect: "redirect"}

// WriteText writes the report for a person to read.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s from %s", r.Method, r.URL, r.Origin)
	if r.Credentials {
		b.WriteString(" with credentials")
	}
	b.WriteString("\n")
	if r.Preflight {
		b.WriteString("A browser sends a preflight first. ")
	} else {
		b.WriteString("No preflight is needed. ")
	}
	b.WriteString(r.evidenceLine() + ".\n\nRequests sent:\n")
	for i := range r.Exchanges {
		x := &r.Exchanges[i]
		fmt.Fprintf(&b, "  %s", x.describe())
		if x.Purpose != "" {
			fmt.Fprintf(&b, " (%s)", x.Purpose)
		}
		fmt.Fprintf(&b, "\n      %s\n", x.corsLines())
	}
	b.WriteString("\nPer engine:\n")
	for _, v := range r.Engines {
		name := EngineByID(v.Engine).Name
		if v.Allowed {
			fmt.Fprintf(&b, "  %-9s allowed", name)
			if r.Preflight {
				fmt.Fprintf(&b, "; preflight cached for %d s", v.PreflightCacheSeconds)
			}
			b.WriteString("\n")
			for _, w := range v.Warnings {
				fmt.Fprintf(&b, "            warning: %s\n", w)
			}
			continue
		}
		fmt.Fprintf(&b, "  %-9s BLOCKED at the %s: %s\n", name, stageNames[v.Stage], strings.ReplaceAll(v.Console, "\n", "\n            "))
	}
	if len(r.Browser) > 0 {
		b.WriteString("\nIn the real engines (-browser):\n")
	}
	for _, o := range r.Browser {
		name := EngineByID(o.Engine).Name
		switch {
		case o.Skipped != "":
			fmt.Fprintf(&b, "  %-9s not run: %s\n", name, o.Skipped)
		default:
			fmt.Fprintf(&b, "  %-9s %s: fetch() %s\n", name, o.Version, outcomeWord(o))
			for _, m := range o.Console {
				fmt.Fprintf(&b, "            console: %s\n", m)
			}
		}
	}
	if len(r.Findings) == 0 {
		b.WriteString("\nNo findings.\n")
	}
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "\n%s %s [%s]\n  %s\n  evidence: %s\n  fix: %s\n", strings.ToUpper(f.Severity), f.Code, strings.Join(f.Engines, ", "), f.Message, f.Evidence, f.Fix)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Observed is what a real engine did with the call (gincors doctor
// -browser).
type Observed struct {
	Engine string `json:"engine"`
	// Version is the browser's version string.
	Version string `json:"version,omitempty"`
	// Skipped says why the engine did not run (not installed, failed to
	// start); the other fields are then empty.
	Skipped string `json:"skipped,omitempty"`
	// Allowed says fetch() resolved; otherwise Error is its rejection.
	Allowed bool   `json:"allowed"`
	Error   string `json:"error,omitempty"`
	Status  int    `json:"status,omitempty"`
	// Console holds the engine's console messages, where it exposes them.
	Console []string `json:"console,omitempty"`
}

// AddObserved records what the real engines did and adds a
// model-disagrees finding for each engine that did otherwise than
// predicted, or (info) whose console lacks the predicted message.
func (r *Report) AddObserved(obs []Observed) {
	r.Browser = obs
	for _, o := range obs {
		if o.Skipped != "" {
			continue
		}
		var predicted Verdict
		for _, v := range r.Engines {
			if v.Engine == o.Engine {
				predicted = v
			}
		}
		seen := strings.Join(o.Console, " | ")
		if seen == "" {
			seen = "no console exposed"
		}
		switch {
		case o.Allowed != predicted.Allowed:
			r.Findings = append(r.Findings, Finding{CodeModelDisagrees, SeverityWarning, []string{o.Engine},
				fmt.Sprintf("%s %s the call, but the model predicted %s.", EngineByID(o.Engine).Name, allowedWord(o.Allowed), allowedWord(predicted.Allowed)),
				fmt.Sprintf("%s: fetch() %s; console: %s", o.Version, outcomeWord(o), seen),
				"Trust the engine. Please report the case (the JSON report with -json) so that the model in internal/doctor/engines.go can be corrected."})
		case !o.Allowed && len(o.Console) > 0 && !consoleHas(o.Console, predicted.Console):
			r.Findings = append(r.Findings, Finding{CodeModelDisagrees, SeverityInfo, []string{o.Engine},
				fmt.Sprintf("%s blocked the call as predicted, but its console words it otherwise.", EngineByID(o.Engine).Name),
				fmt.Sprintf("%s console: %s", o.Version, seen),
				"Nothing to fix in the server for this; the model's wording in internal/doctor/engines.go needs updating."})
		}
	}
}

func consoleHas(msgs []string, text string) bool {
	for _, m := range msgs {
		if strings.Contains(m, text) {
			return true
		}
	}
	return false
}

func allowedWord(allowed bool) string {
	if allowed {
		return "allowed"
	}
	return "blocked"
}

func outcomeWord(o Observed) string {
	if o.Allowed {
		return fmt.Sprintf("resolved with status %d", o.Status)
	}
	return "rejected: " + o.Error
}
