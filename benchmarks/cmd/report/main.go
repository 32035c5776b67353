// Command report turns the output of run.sh and instructions.sh into the
// Markdown tables of BENCHMARKS.md.
//
//	go run ./cmd/report -bench results/bench.txt -instr results/instructions.tsv
//
// ns/op, B/op and allocs/op are medians over the -count runs in the bench
// file; instructions per request come from the callgrind table. "Added"
// means above bare Gin serving the same request.
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
	slabFile := flag.String("slab", "", "the root package's parallel slab benchmarks (go test -cpu 1,N output)")
	slabInstrFile := flag.String("slab-instr", "", "instructions.sh output for the slab benchmarks")
	svgDir := flag.String("svg", "", "directory to write scenarios.svg and scaling.svg to")
	beforeFile := flag.String("before", "", "an earlier instructions.sh output, for a before/after table of gincors")
	flag.Parse()

	results := map[key]*result{}
	var order []key
	for _, in := range []struct {
		path string
		read func(io.Reader, map[key]*result, *[]key) error
	}{{*benchFile, readBench}, {*instrFile, readInstr}} {
		f, err := os.Open(in.path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "report:", err)
			continue
		}
		err = in.read(f, results, &order)
		f.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, "report:", in.path, err)
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
	for _, g := range groups {
		switch g {
		case "CORS":
			headline(w, results, cases[g])
		case "MemoMiss":
			scaling(w, g, results, cases[g])
			memoTable(w, results, cases[g])
		default:
			scaling(w, g, results, cases[g])
		}
	}
	if *beforeFile != "" {
		if err := beforeAfter(w, *beforeFile, results, cases["CORS"]); err != nil {
			fmt.Fprintln(os.Stderr, "report:", err)
			os.Exit(1)
		}
	}
	if *slabFile != "" {
		if err := slabTable(w, *slabFile, *slabInstrFile); err != nil {
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

// differs marks the peers whose answer in a scenario differs from
// gincors's by design (see BENCHMARKS.md), so that doing less is not
// mistaken for being faster.
var differs = map[[2]string]string{
	{"NonCORS", "gin-contrib"}:                "no Vary: Origin",
	{"ActualDisallowed", "gin-contrib"}:       "403, route handler skipped",
	{"PreflightAllowed", "gin-contrib"}:       "checks neither method nor headers",
	{"PreflightHeaders100", "gin-contrib"}:    "checks neither method nor headers",
	{"PreflightAnyOrigin", "gin-contrib"}:     "checks neither method nor headers",
	{"PreflightACRH1MB", "gin-contrib"}:       "does not read the header",
	{"PreflightACRH1MB", "rs-cors"}:           "refuses: over 16 empty elements",
	{"PreflightACRH1000Lines", "gin-contrib"}: "does not read the header",
	{"PreflightACRH1000Lines", "rs-cors"}:     "refuses: over 16 empty elements",
}

// ratio returns gincors's added instructions over the least any of peers
// adds in case c, with that peer's name.
func ratio(results map[key]*result, g, c string, peers []string) (float64, string) {
	base := get(results, g, c, bare).instr
	best, bestAdded := "", math.Inf(1)
	for _, p := range peers {
		if added := get(results, g, c, p).instr - base; !math.IsNaN(added) && added < bestAdded {
			best, bestAdded = p, added
		}
	}
	if best == "" {
		return math.NaN(), ""
	}
	return (get(results, g, c, gincors).instr - base) / bestAdded, best
}

func headline(w io.Writer, results map[key]*result, cs []string) {
	const g = "CORS"
	libs := append([]string{gincors}, peers...)

	fmt.Fprintln(w, "### Instructions per request (callgrind), added above bare Gin")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "† the peer answers differently by design (see the notes); the last column leaves such answers out.")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "| scenario | bare Gin (total) | %s | gincors / fastest peer | gincors / fastest peer with the same answer |\n", strings.Join(libs, " | "))
	fmt.Fprintf(w, "|---|---:|%s---:|---:|\n", strings.Repeat("---:|", len(libs)))
	var logSum [2]float64
	var n [2]int
	var free []string // scenarios where gincors adds nothing or less: no ratio to average
	for _, c := range cs {
		base := get(results, g, c, bare).instr
		row := []string{c, num(base, "%.0f")}
		var same []string
		for _, l := range libs {
			cell := num(get(results, g, c, l).instr-base, "%+.0f")
			if why := differs[[2]string{c, l}]; why != "" {
				cell += " †"
			} else if l != gincors {
				same = append(same, l)
			}
			if math.IsNaN(get(results, g, c, l).instr) {
				cell = "unsupported"
			}
			row = append(row, cell)
		}
		for i, ps := range [][]string{peers, same} {
			r, peer := ratio(results, g, c, ps)
			if peer == "" || math.IsNaN(r) {
				row = append(row, "n/a")
				continue
			}
			row = append(row, fmt.Sprintf("%.2f (%s)", r, peer))
			switch {
			case r > 0:
				logSum[i] += math.Log(r)
				n[i]++
			case i == 0:
				free = append(free, c)
			}
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
	gm := func(i int) string {
		if n[i] == 0 {
			return "n/a"
		}
		return fmt.Sprintf("**%.2f**", math.Exp(logSum[i]/float64(n[i])))
	}
	fmt.Fprintf(w, "| **geometric mean** | | | | | %s | %s |\n", gm(0), gm(1))
	fmt.Fprintln(w)
	if len(free) > 0 {
		fmt.Fprintf(w, "The geometric means leave out %s, where gincors costs no more than bare Gin: a ratio of zero or less has no logarithm, and leaving it out raises the mean.\n\n", strings.Join(free, ", "))
	}

	fmt.Fprintln(w, "### Time and memory per request (medians over the -count runs)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "ns/op, then in brackets the time added above bare Gin, then B/op and allocs/op.")
	fmt.Fprintln(w)
	all := append([]string{bare}, libs...)
	fmt.Fprintf(w, "| scenario | %s | gincors / fastest peer (ns added) |\n", strings.Join(all, " | "))
	fmt.Fprintf(w, "|---|%s---:|\n", strings.Repeat("---:|", len(all)))
	for _, c := range cs {
		base := get(results, g, c, bare).ns
		row := []string{c}
		for _, l := range all {
			r := get(results, g, c, l)
			if math.IsNaN(r.ns) {
				row = append(row, "unsupported")
				continue
			}
			cell := num(r.ns, "%.0f ns")
			if l != bare {
				cell += num(r.ns-base, " (%+.0f)")
			}
			cell += fmt.Sprintf(", %s B, %s allocs", num(r.bytes, "%.0f"), num(r.allocs, "%.0f"))
			row = append(row, cell)
		}
		bestPeer := math.Inf(1)
		for _, p := range peers {
			if v := get(results, g, c, p).ns - base; !math.IsNaN(v) && v < bestPeer {
				bestPeer = v
			}
		}
		ours := get(results, g, c, gincors).ns - base
		if math.IsInf(bestPeer, 1) || bestPeer <= 0 {
			row = append(row, "n/a")
		} else {
			row = append(row, num(ours/bestPeer, "%.2f"))
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
	fmt.Fprintln(w)
}

func scaling(w io.Writer, g string, results map[key]*result, cs []string) {
	libs := append([]string{gincors}, peers...)
	fmt.Fprintf(w, "### %s: instructions added per request (ns/op median; allocs/op)\n\n", g)
	fmt.Fprintf(w, "| step | bare Gin (total) | %s |\n", strings.Join(libs, " | "))
	fmt.Fprintf(w, "|---|---:|%s\n", strings.Repeat("---:|", len(libs)))
	for _, c := range cs {
		b := get(results, g, c, bare)
		row := []string{c, num(b.instr, "%.0f") + " (" + num(b.ns, "%.0f ns") + ")"}
		for _, l := range libs {
			r := get(results, g, c, l)
			row = append(row, fmt.Sprintf("%s (%s; %s)", num(r.instr-b.instr, "%+.0f"), num(r.ns, "%.0f ns"), num(r.allocs, "%.0f allocs")))
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
	fmt.Fprintln(w)
}

// beforeAfter prints gincors's added instructions per scenario in an
// earlier run next to this one's, with the fastest peer of this run.
func beforeAfter(w io.Writer, path string, results map[key]*result, cs []string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	before := map[key]*result{}
	var order []key
	if err := readInstr(f, before, &order); err != nil {
		return err
	}
	const g = "CORS"
	fmt.Fprintln(w, "### gincors before and after (instructions added above bare Gin)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| scenario | before | after | change | fastest peer now | after / fastest peer |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|")
	for _, c := range cs {
		b := get(before, g, c, gincors).instr - get(before, g, c, bare).instr
		a := get(results, g, c, gincors).instr - get(results, g, c, bare).instr
		r, peer := ratio(results, g, c, peers)
		peerCell := "n/a"
		if peer != "" {
			peerCell = fmt.Sprintf("%+.0f (%s)", get(results, g, c, peer).instr-get(results, g, c, bare).instr, peer)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", c, num(b, "%+.0f"), num(a, "%+.0f"), num(a-b, "%+.0f"), peerCell, num(r, "%.2f"))
	}
	fmt.Fprintln(w)
	return nil
}

// memoTable sets gincors's cost when its header or origin memo hits (the
// BenchmarkCORS scenario, one request repeated) beside its cost when the
// memo misses (BenchmarkMemoMiss, a new list or origin every time), with
// the cheapest peer on the missing workload.
func memoTable(w io.Writer, results map[key]*result, cs []string) {
	fmt.Fprintln(w, "### gincors with the memo hitting and missing (instructions added above bare Gin)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| scenario | hit (BenchmarkCORS) | miss (BenchmarkMemoMiss) | miss − hit | fastest peer on the miss workload | miss / fastest peer | allocs/op on a miss |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|")
	for _, c := range cs {
		hit := get(results, "CORS", c, gincors).instr - get(results, "CORS", c, bare).instr
		miss := get(results, "MemoMiss", c, gincors).instr - get(results, "MemoMiss", c, bare).instr
		r, peer := ratio(results, "MemoMiss", c, peers)
		peerCell := "n/a"
		if peer != "" {
			peerCell = fmt.Sprintf("%+.0f (%s)", get(results, "MemoMiss", c, peer).instr-get(results, "MemoMiss", c, bare).instr, peer)
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", c, num(hit, "%+.0f"), num(miss, "%+.0f"), num(miss-hit, "%+.0f"),
			peerCell, num(r, "%.2f"), num(get(results, "MemoMiss", c, gincors).allocs, "%.0f"))
	}
	fmt.Fprintln(w)
}
