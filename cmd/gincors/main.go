// Command gincors diagnoses cross-origin calls that fail.
//
//	gincors doctor [flags] URL     # make the call against a live server; per-engine verdicts and findings
//	gincors explain [-json] TEXT   # explain a console message pasted from a browser ("-" reads stdin)
//
// Exit status: 0 when every engine allows the call and no finding is an
// error (doctor) or the message was recognised (explain); 1 otherwise; 2
// when the tool could not do its job (bad flags, no answer from the
// server). See docs/doctor.md.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/gincors/gincors/internal/doctor"
	"github.com/gincors/gincors/internal/doctor/inbrowser"
	"github.com/gincors/gincors/internal/explain"
)

// Exit statuses.
const (
	exitOK       = 0
	exitProblems = 1
	exitBroken   = 2
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `usage:
  gincors doctor -origin ORIGIN [flags] URL
  gincors explain [-json] TEXT|-
Run "gincors doctor -h" or "gincors explain -h" for the flags; docs/doctor.md has the details.
`

// run is the command, with its environment as arguments so that tests
// can run it; it returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitBroken
	}
	switch args[0] {
	case "doctor":
		return runDoctor(ctx, args[1:], stdout, stderr)
	case "explain":
		return runExplain(args[1:], stdin, stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "gincors: unknown command %q\n%s", args[0], usage)
	return exitBroken
}

// listFlag is a repeatable flag.
type listFlag []string

// String implements flag.Value.
func (l *listFlag) String() string { return strings.Join(*l, ", ") }

// Set implements flag.Value: each use of the flag adds one value.
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func runDoctor(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gincors doctor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opt doctor.Options
	var headers, reads listFlag
	var jsonOut bool
	var browsers string
	fs.StringVar(&opt.Origin, "origin", "", "the `origin` of the page that makes the call (required), such as https://app.example.com")
	fs.StringVar(&opt.Method, "method", "GET", "the request `method`")
	fs.Var(&headers, "header", "a header the page's script sets, `NAME[:VALUE]` (repeatable)")
	fs.BoolVar(&opt.Credentials, "credentials", false, "the page sends credentials (credentials: 'include', withCredentials)")
	fs.Var(&reads, "read-header", "a response header the script reads, `NAME` (repeatable)")
	fs.BoolVar(&opt.SendActual, "send-actual", false, "send the actual request even for a method other than GET and HEAD (it may have side effects)")
	fs.BoolVar(&jsonOut, "json", false, "print one JSON report on stdout")
	fs.StringVar(&browsers, "browser", "", "also run the call in the installed `engines`: a comma-separated list of chromium, firefox, webkit")
	fs.BoolVar(&opt.Insecure, "insecure", false, "accept an untrusted TLS certificate (local development)")
	fs.DurationVar(&opt.Timeout, "timeout", 10*time.Second, "how long each request may take")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: gincors doctor -origin ORIGIN [flags] URL\n\nMakes the cross-origin call a page at ORIGIN would make to URL, as a browser sends it,\nand says per engine whether it works, why not, and how to fix it.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitBroken
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "gincors doctor: give exactly one URL after the flags")
		fs.Usage()
		return exitBroken
	}
	opt.URL = fs.Arg(0)
	for _, h := range headers {
		name, value, _ := strings.Cut(h, ":")
		opt.Headers = append(opt.Headers, doctor.Header{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value)})
	}
	opt.ReadHeaders = reads
	var engines []string
	if browsers != "" {
		for _, id := range strings.Split(browsers, ",") {
			id = strings.TrimSpace(strings.ToLower(id))
			if !slices.Contains(inbrowser.Engines, id) {
				fmt.Fprintf(stderr, "gincors doctor: -browser: unknown engine %q (use %s)\n", id, strings.Join(inbrowser.Engines, ","))
				return exitBroken
			}
			engines = append(engines, id)
		}
		// A real browser sends the actual request once the preflight
		// passes: that is a side effect only -send-actual may cause.
		if m := strings.ToUpper(opt.Method); m != "GET" && m != "HEAD" && !opt.SendActual {
			fmt.Fprintf(stderr, "gincors doctor: -browser with %s makes the browser send the actual request, which may have side effects; add -send-actual to allow it\n", opt.Method)
			return exitBroken
		}
	}
	rep, err := doctor.Run(ctx, opt)
	if err != nil {
		fmt.Fprintln(stderr, "gincors doctor:", err)
		return exitBroken
	}
	if len(engines) > 0 {
		obs, err := inbrowser.Run(ctx, opt.Call, engines, inbrowser.Options{Insecure: opt.Insecure})
		if err != nil {
			fmt.Fprintln(stderr, "gincors doctor: -browser:", err)
			return exitBroken
		}
		rep.AddObserved(obs)
	}
	if jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintln(stderr, "gincors doctor:", err)
			return exitBroken
		}
	} else if err := rep.WriteText(stdout); err != nil {
		fmt.Fprintln(stderr, "gincors doctor:", err)
		return exitBroken
	}
	if rep.OK() {
		return exitOK
	}
	return exitProblems
}

func runExplain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gincors explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	jsonOut := fs.Bool("json", false, "print one JSON explanation on stdout")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: gincors explain [-json] TEXT|-\n\nExplains a CORS console message pasted from Chromium, Firefox or Safari (\"-\" reads it from stdin).\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitBroken
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitBroken
	}
	text := strings.Join(fs.Args(), " ")
	if text == "-" {
		b, err := io.ReadAll(io.LimitReader(stdin, 1<<20))
		if err != nil {
			fmt.Fprintln(stderr, "gincors explain:", err)
			return exitBroken
		}
		text = string(b)
	}
	ex := explain.Explain(text)
	if *jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(ex); err != nil {
			fmt.Fprintln(stderr, "gincors explain:", err)
			return exitBroken
		}
	} else if err := ex.WriteText(stdout); err != nil {
		fmt.Fprintln(stderr, "gincors explain:", err)
		return exitBroken
	}
	if ex.Class == explain.ClassUnknown {
		return exitProblems
	}
	return exitOK
}
