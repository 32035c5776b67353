package gincors

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/net/publicsuffix"

	"github.com/gincors/gincors/internal/origin"
)

// The origin-function check: gincors cannot read a function, but it can
// ask one. With AllowCredentials or AllowPrivateNetwork, New asks each
// origin function, once, about origins no one can own a page at (under
// .invalid, which RFC 6761 §6.4 reserves), and about the look-alikes that
// prefix checks, suffix checks without their dot and scheme-blind suffix
// checks let in. A function that allows one certainly has a hole and is
// refused, as the same origin in AllowOrigins would be.
// docs/configuration.md lists every origin asked.

// checkDomain is the domain of the origins functions are asked about.
// Nobody can own a page under .invalid.
const checkDomain = "gincors-check.invalid"

// originFuncCheckTimeout bounds how long New waits for the functions'
// answers, all of them together. A function still running then is left to
// finish on its own and reported as not checked.
const originFuncCheckTimeout = time.Second

// originQuestion is one origin a function is asked about.
type originQuestion struct {
	origin string
	// certain: allowing origin is certainly a hole, and refused; otherwise
	// it may be one, and warned about.
	certain bool
	// message explains an answer of true, after `allowed "origin", `.
	message string
}

// askedFunc is one origin function of a Config.
type askedFunc struct {
	field string
	allow func(origin string) bool
}

// answer is what one function said.
type answer struct {
	allowed  []int  // indexes of the questions it allowed
	panicked string // the origin it panicked on, if it did
	panicVal any
}

// originQuestions returns what to ask the functions of c, whose strict
// checks are named by because.
func originQuestions(c Config, because string) []originQuestion {
	dev := `AllowOrigins: []string{"http://localhost:*", "http://127.0.0.1:*"}`
	qs := []originQuestion{
		{"https://" + checkDomain, true, fmt.Sprintf(`an origin no one can own a page at (.invalid is reserved, RFC 6761 §6.4): the function seems to allow every origin, and with %s any website could read your users' data. Return true only for origins you list, or list them in AllowOrigins: []string{"https://app.example.com"}; in development, %s`, because, dev)},
		{"http://" + checkDomain, true, fmt.Sprintf(`an origin no one can own a page at (.invalid is reserved, RFC 6761 §6.4): the function seems to allow every plain-http origin, and with %s any website served over http could read your users' data. Return true only for origins you list, or list them in AllowOrigins; in development, %s`, because, dev)},
	}
	for _, prefix := range []string{"http://localhost", "https://localhost", "http://127.0.0.1"} {
		qs = append(qs, originQuestion{prefix + "." + checkDomain, true, fmt.Sprintf(`which only begins like %q: a prefix check such as strings.HasPrefix(origin, %q) also lets in %q, and with %s that site could read your users' data. Compare the whole origin, or use %s`, prefix, prefix, prefix+".attacker.example", because, dev)})
	}
	seen := map[string]bool{}
	for _, s := range c.AllowOrigins {
		pat, err := parseOriginPattern(s)
		if err != nil || pat.Port != "" || pat.AnyPort || origin.IsLoopback(pat.Host) {
			continue
		}
		// A suffix check without its dot, strings.HasSuffix(origin,
		// "example.com"), also lets in a domain anyone can register.
		if domain, err := publicsuffix.EffectiveTLDPlusOne(pat.Host); err == nil {
			if lookalike := pat.Scheme + "://gincors-check" + domain; !seen[lookalike] {
				seen[lookalike] = true
				qs = append(qs, originQuestion{lookalike, true, fmt.Sprintf(`a look-alike of %q that anyone can register: a suffix check without its dot, such as strings.HasSuffix(origin, %q), lets in %q, and with %s that site could read your users' data. Check the dot too: strings.HasSuffix(origin, %q), or list origins in AllowOrigins`, domain, domain, pat.Scheme+"://evil"+domain, because, "."+domain)})
			}
		}
		if !pat.AnySubdomain {
			listed := pat.String()
			if !seen[listed] {
				seen[listed] = true
				qs = append(qs, originQuestion{listed + "." + checkDomain, true, fmt.Sprintf(`which only begins like %q, listed in AllowOrigins: a prefix check also lets in %q, and with %s that site could read your users' data. Compare the whole origin: origin == %q`, listed, listed+".attacker.example", because, listed)})
			}
		}
		if pat.Scheme != "https" || c.DangerouslyAllowInsecureOrigins {
			continue
		}
		host := pat.Host
		if pat.AnySubdomain {
			host = "gincors-check." + host
		}
		if plain := "http://" + host; !seen[plain] {
			seen[plain] = true
			qs = append(qs, originQuestion{plain, true, fmt.Sprintf(`plain http: anyone on the network path can impersonate it, and with %s read your users' data (AllowOrigins refuses it too). A suffix check such as strings.HasSuffix(origin, ".example.com") lets in http too: check the scheme as well (strings.HasPrefix(origin, "https://")), or set DangerouslyAllowInsecureOrigins if plain http is meant`, because)})
		}
	}
	return qs
}

// checkOriginFuncs asks each of c's origin functions the questions of
// originQuestions, recording a problem for each function that allows an
// origin certainly a hole, and a warning for one that may be, panics or
// does not answer in time.
func checkOriginFuncs(c Config, o *originPolicy, checks originChecks, ps *problems) {
	if !checks.strict || c.DangerouslySkipOriginFuncCheck {
		return
	}
	var funcs []askedFunc
	for i, m := range o.matchers {
		field := "AllowOriginMatcher"
		if i == 0 && c.AllowOriginFunc != nil {
			field = "AllowOriginFunc"
		}
		funcs = append(funcs, askedFunc{field, m.MatchOrigin})
	}
	if f := c.AllowOriginWithContextFunc; f != nil {
		funcs = append(funcs, askedFunc{"AllowOriginWithContextFunc", func(s string) bool {
			return f(checkContext(s), s)
		}})
	}
	if len(funcs) == 0 {
		return
	}
	qs := originQuestions(c, checks.because)
	answers := make([]chan answer, len(funcs))
	for i, f := range funcs {
		answers[i] = make(chan answer, 1)
		go ask(f.allow, qs, answers[i])
	}
	deadline := time.NewTimer(originFuncCheckTimeout)
	defer deadline.Stop()
	for i, f := range funcs {
		var a answer
		select {
		case a = <-answers[i]:
		case <-deadline.C:
			// Later functions get no more time: the wait is bounded for
			// all of them together.
			for _, f := range funcs[i:] {
				ps.warn(f.field, "", "did not answer within %s when asked at start about origins no one can own, so it was not checked (docs/configuration.md); an origin function runs on every request and should answer quickly. If it waits for something that is ready only later, set DangerouslySkipOriginFuncCheck", originFuncCheckTimeout)
			}
			return
		}
		reportAnswer(f.field, qs, a, ps)
	}
}

// ask puts each question to allow, in order. A panic counts as a refusal
// of that origin, and the first is reported; the other questions are still
// asked, so a function that panics on one origin is still checked.
func ask(allow func(string) bool, qs []originQuestion, out chan<- answer) {
	var a answer
	defer func() { out <- a }()
	for i, q := range qs {
		allowed, panicVal := askOne(allow, q.origin)
		if panicVal != nil && a.panicked == "" {
			a.panicked, a.panicVal = q.origin, panicVal
		}
		if allowed {
			a.allowed = append(a.allowed, i)
		}
	}
}

// askOne calls allow(s), recovering a panic.
func askOne(allow func(string) bool, s string) (allowed bool, panicVal any) {
	defer func() { panicVal = recover() }()
	return allow(s), nil
}

// reportAnswer records what function field answered: a problem for the
// first certain hole it allowed, else a warning for the first origin that
// may be one, and a warning if it panicked.
func reportAnswer(field string, qs []originQuestion, a answer, ps *problems) {
	var warned bool
	for _, i := range a.allowed {
		q := qs[i]
		if q.certain {
			ps.add(field, "", "allowed %q, %s", q.origin, q.message)
			return
		}
		if !warned {
			ps.warn(field, "", "allowed %q, %s", q.origin, q.message)
			warned = true
		}
	}
	if a.panicked != "" {
		ps.warn(field, "", "panicked when asked at start about %q (%v), so it was not fully checked (docs/configuration.md); return false for an origin you do not know, or set DangerouslySkipOriginFuncCheck if it cannot run before the server starts", a.panicked, a.panicVal)
	}
}

// checkContext returns a gin.Context for asking a context function about
// origin s: a GET request for "/" on host gincors-check.invalid from s,
// whose response is discarded.
func checkContext(s string) *gin.Context {
	r, _ := http.NewRequest(http.MethodGet, "http://"+checkDomain+"/", nil) // a constant URL: no error
	r.Header.Set("Origin", s)
	c := gin.CreateTestContextOnly(discardResponse{http.Header{}}, &gin.Engine{})
	c.Request = r
	return c
}

// discardResponse is the http.ResponseWriter of checkContext.
type discardResponse struct{ header http.Header }

func (d discardResponse) Header() http.Header         { return d.header }
func (d discardResponse) Write(b []byte) (int, error) { return len(b), nil }
func (d discardResponse) WriteHeader(int)             {}
