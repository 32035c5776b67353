// Command report turns the output of run.sh, instructions.sh and
// parallel.sh into the Markdown tables and the charts of BENCHMARKS.md.
//
//	go run ./cmd/report -bench results/bench.txt -instr results/instructions.tsv \
//		-before-bench results/before/bench.txt -before-instr results/before/instructions.tsv \
//		-parallel results/parallel.txt -before-parallel results/before/parallel.txt -svg results
//
// allocs/op are medians over the -count runs in the bench files;
// instructions per request come from the callgrind tables. "Added" means
// above bare Gin serving the same request.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

const (
	bare    = "bare-gin"
	gincors = "gincors"
)

var peers = []string{"gin-contrib", "rs-cors"}

// result is one benchmark's medians.
type result struct {
	ns, bytes, allocs float64
	instr             float64 // instructions per request, NaN if not counted
}

// key identifies a benchmark: its group (the top-level benchmark), its
// case (scenario or scaling step) and its library.
type key struct{ group, cas, lib string }

var procsSuffix = regexp.MustCompile(`-\d+$`)

func parseName(name string) (key, bool) {
	name = procsSuffix.ReplaceAllString(name, "")
	parts := strings.Split(name, "/")
	if len(parts) != 3 || !strings.HasPrefix(parts[2], "lib=") {
		return key{}, false
	}
	return key{
		group: strings.TrimPrefix(parts[0], "Benchmark"),
		cas:   strings.TrimPrefix(parts[1], "scenario="),
		lib:   strings.TrimPrefix(parts[2], "lib="),
	}, true
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func readBench(r io.Reader, results map[key]*result, order *[]key) error {
	samples := map[key][3][]float64{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		k, ok := parseName(f[0])
		if !ok {
			continue
		}
		s, seen := samples[k]
		if !seen {
			*order = append(*order, k)
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				s[0] = append(s[0], v)
			case "B/op":
				s[1] = append(s[1], v)
			case "allocs/op":
				s[2] = append(s[2], v)
			}
		}
		samples[k] = s
	}
	for k, s := range samples {
		results[k] = &result{ns: median(s[0]), bytes: median(s[1]), allocs: median(s[2]), instr: math.NaN()}
	}
	return sc.Err()
}

func readInstr(r io.Reader, results map[key]*result, order *[]key) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 6 {
			continue
		}
		k, ok := parseName(f[0])
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(f[5], 64)
		if err != nil {
			continue
		}
		res := results[k]
		if res == nil {
			res = &result{ns: math.NaN(), bytes: math.NaN(), allocs: math.NaN()}
			results[k] = res
			*order = append(*order, k)
		}
		res.instr = v
	}
	return sc.Err()
}

func main() {
	benchFile := flag.String("bench", "results/bench.txt", "go test -bench output (several -count runs)")
	instrFile := flag.String("instr", "results/instructions.tsv", "instructions.sh output")
	beforeBench := flag.String("before-bench", "", "go test -bench output of an earlier commit (gincors's allocations before)")
	beforeInstr := flag.String("before-instr", "", "instructions.sh output of an earlier commit (gincors's instructions before)")
	parallelFile := flag.String("parallel", "", "parallel.sh output (BenchmarkParallel at -cpu 1,N)")
	beforeParallel := flag.String("before-parallel", "", "parallel.sh output of an earlier commit")
	svgDir := flag.String("svg", "", "directory to write scenarios.svg and scaling.svg to")
	flag.Parse()

	results, order, err := load(*benchFile, *instrFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
	before := map[key]*result{}
	if *beforeBench != "" || *beforeInstr != "" {
		if before, _, err = load(*beforeBench, *beforeInstr); err != nil {
			fmt.Fprintln(os.Stderr, "report:", err)
			os.Exit(1)
		}
	}

	// Groups and cases in the order they first appear.
	var groups []string
	cases := map[string][]string{}
	for _, k := range order {
		if !slices.Contains(groups, k.group) {
			groups = append(groups, k.group)
		}
		if !slices.Contains(cases[k.group], k.cas) {
			cases[k.group] = append(cases[k.group], k.cas)
		}
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	current(w, results, before, groups, cases)
	if *parallelFile != "" {
		if err := parallelTable(w, *parallelFile, *beforeParallel); err != nil {
			fmt.Fprintln(os.Stderr, "report:", err)
			os.Exit(1)
		}
	}
	if *svgDir != "" {
		if err := writeSVGs(*svgDir, results, cases); err != nil {
			fmt.Fprintln(os.Stderr, "report:", err)
			os.Exit(1)
		}
	}
}

// load reads a bench file and an instructions file; an empty path is
// skipped.
func load(benchPath, instrPath string) (map[key]*result, []key, error) {
	results := map[key]*result{}
	var order []key
	for _, in := range []struct {
		path string
		read func(io.Reader, map[key]*result, *[]key) error
	}{{benchPath, readBench}, {instrPath, readInstr}} {
		if in.path == "" {
			continue
		}
		f, err := os.Open(in.path)
		if err != nil {
			return nil, nil, err
		}
		err = in.read(f, results, &order)
		f.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", in.path, err)
		}
	}
	return results, order, nil
}

func get(results map[key]*result, g, c, lib string) *result {
	if r := results[key{g, c, lib}]; r != nil {
		return r
	}
	return &result{ns: math.NaN(), bytes: math.NaN(), allocs: math.NaN(), instr: math.NaN()}
}

func num(v float64, format string) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fmt.Sprintf(format, v)
}

// wrong says why a peer's answer in a case is not counted: it is wrong,
// or right only because the peer checks nothing a correct answer depends
// on (BENCHMARKS.md, "Where the peers answer wrongly"). The empty string
// means the answer counts. Memo-miss cases share the scenario names.
func wrong(g, c, lib string) string {
	if lib == "gin-contrib" {
		switch {
		case c == "NonCORS":
			return "no Vary: Origin"
		case c == "ActualDisallowed":
			return "403, route handler skipped"
		case c == "PreflightDisallowed":
			// Refused for its origin, as it should be: method and
			// headers do not matter.
		case strings.HasPrefix(c, "Preflight") || g == "ScaleACRH":
			return "checks neither method nor request headers"
		}
	}
	return ""
}

// cheapest returns the peer with a correct answer that adds the fewest
// instructions in group g, case c, and what it adds.
func cheapest(results map[key]*result, g, c string) (string, float64) {
	base := get(results, g, c, bare).instr
	best, bestAdded := "", math.Inf(1)
	for _, p := range peers {
		if wrong(g, c, p) != "" {
			continue
		}
		if added := get(results, g, c, p).instr - base; !math.IsNaN(added) && added < bestAdded {
			best, bestAdded = p, added
		}
	}
	return best, bestAdded
}

// current prints one row per case of every group: gincors's instructions
// added above bare Gin before and after, the cheapest peer with a correct
// answer, their ratio, and gincors's allocations before and after. Bare
// Gin and the peers are the same code before and after, so the before
// figures subtract this run's bare Gin. The geometric mean is over the
// CORS scenarios where gincors adds something.
func current(w io.Writer, results, before map[key]*result, groups []string, cases map[string][]string) {
	fmt.Fprintln(w, "### Instructions added above bare Gin, and allocations, per request")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| scenario | bare Gin (total) | gincors before | gincors after | cheapest correct peer | after / peer | allocs/op before → after |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|")
	var logSum float64
	var n int
	var free []string
	for _, g := range groups {
		for _, c := range cases[g] {
			base := get(results, g, c, bare).instr
			b := get(before, g, c, gincors).instr - base
			a := get(results, g, c, gincors).instr - base
			label := c
			if g != "CORS" {
				label = g + " " + c
			}
			peer, peerAdded := cheapest(results, g, c)
			peerCell, ratioCell := "none", "n/a"
			if peer != "" {
				r := a / peerAdded
				peerCell, ratioCell = fmt.Sprintf("%+.0f (%s)", peerAdded, peer), num(r, "%.2f")
				if g == "CORS" {
					if r > 0 {
						logSum += math.Log(r)
						n++
					} else {
						free = append(free, c)
					}
				}
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s → %s |\n", label, num(base, "%.0f"), num(b, "%+.0f"), num(a, "%+.0f"),
				peerCell, ratioCell, num(get(before, g, c, gincors).allocs, "%.0f"), num(get(results, g, c, gincors).allocs, "%.0f"))
		}
	}
	if n > 0 {
		fmt.Fprintf(w, "| **geometric mean of after / peer, CORS scenarios** | | | | | **%.2f** | |\n", math.Exp(logSum/float64(n)))
	}
	fmt.Fprintln(w)
	if len(free) > 0 {
		fmt.Fprintf(w, "The geometric mean leaves out %s, where gincors costs no more than bare Gin: a ratio of zero or less has no logarithm, and leaving it out raises the mean.\n\n", strings.Join(free, ", "))
	}
}
