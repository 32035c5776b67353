package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// parallelRun is BenchmarkParallel's output from parallel.sh: ns/op,
// cpu-ns/op and allocs/op per round, keyed by scenario, library and GOMAXPROCS.
type parallelRun struct {
	scenarios []string
	procs     []int // in the order they first appear: 1, then every core
	// ns[k][round] and so on, k = scenario, library, procs.
	ns, cpu, allocs map[parallelKey]map[int]float64
	rounds          int
	loads           []string // the load average before each round
}

type parallelKey struct {
	scenario, lib string
	procs         int
}

func readParallel(path string) (*parallelRun, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	run := &parallelRun{ns: map[parallelKey]map[int]float64{}, cpu: map[parallelKey]map[int]float64{}, allocs: map[parallelKey]map[int]float64{}}
	round := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "# round "); ok {
			n, load, _ := strings.Cut(rest, ", load average ")
			round, _ = strconv.Atoi(n)
			run.rounds = max(run.rounds, round)
			run.loads = append(run.loads, load)
			continue
		}
		fs := strings.Fields(line)
		if len(fs) < 4 || !strings.HasPrefix(fs[0], "BenchmarkParallel/") {
			continue
		}
		name, procs := fs[0], 1
		if m := procsSuffix.FindString(name); m != "" {
			procs, _ = strconv.Atoi(m[1:])
			name = strings.TrimSuffix(name, m)
		}
		k, ok := parseName(name)
		if !ok {
			continue
		}
		pk := parallelKey{k.cas, k.lib, procs}
		if run.ns[pk] == nil {
			run.ns[pk], run.cpu[pk], run.allocs[pk] = map[int]float64{}, map[int]float64{}, map[int]float64{}
		}
		if !slices.Contains(run.scenarios, k.cas) {
			run.scenarios = append(run.scenarios, k.cas)
		}
		if !slices.Contains(run.procs, procs) {
			run.procs = append(run.procs, procs)
		}
		for i := 2; i+1 < len(fs); i += 2 {
			v, err := strconv.ParseFloat(fs[i], 64)
			if err != nil {
				continue
			}
			switch fs[i+1] {
			case "ns/op":
				run.ns[pk][round] = v
			case "cpu-ns/op":
				run.cpu[pk][round] = v
			case "allocs/op":
				run.allocs[pk][round] = v
			}
		}
	}
	return run, sc.Err()
}

func values(m map[int]float64) []float64 {
	var xs []float64
	for _, v := range m {
		xs = append(xs, v)
	}
	return xs
}

// scaling is a library's throughput at the highest GOMAXPROCS over its
// throughput at 1 (median ns/op at 1 over median ns/op at the highest).
func (run *parallelRun) scaling(scenario, lib string) float64 {
	lo, hi := run.procs[0], run.procs[len(run.procs)-1]
	return median(values(run.ns[parallelKey{scenario, lib, lo}])) / median(values(run.ns[parallelKey{scenario, lib, hi}]))
}

// relative is gincors's scaling over bare Gin's: from the medians, and per
// round (each round runs both at both GOMAXPROCS, a few seconds apart), as
// the median and range of the rounds' ratios.
func (run *parallelRun) relative(scenario string) (fromMedians, roundMedian, roundMin, roundMax float64) {
	fromMedians = run.scaling(scenario, gincors) / run.scaling(scenario, bare)
	lo, hi := run.procs[0], run.procs[len(run.procs)-1]
	var rs []float64
	for r := 1; r <= run.rounds; r++ {
		g1, ok1 := run.ns[parallelKey{scenario, gincors, lo}][r]
		g2, ok2 := run.ns[parallelKey{scenario, gincors, hi}][r]
		b1, ok3 := run.ns[parallelKey{scenario, bare, lo}][r]
		b2, ok4 := run.ns[parallelKey{scenario, bare, hi}][r]
		if ok1 && ok2 && ok3 && ok4 {
			rs = append(rs, (g1/g2)/(b1/b2))
		}
	}
	roundMin, roundMax = math.NaN(), math.NaN()
	for _, r := range rs {
		if math.IsNaN(roundMin) || r < roundMin {
			roundMin = r
		}
		if math.IsNaN(roundMax) || r > roundMax {
			roundMax = r
		}
	}
	return fromMedians, median(rs), roundMin, roundMax
}

// cpuGrowth is a library's CPU time per request at the highest GOMAXPROCS
// over that at 1 (medians): 1.0 when the goroutines cost each other
// nothing, whatever share of the cores the process got.
func (run *parallelRun) cpuGrowth(scenario, lib string) float64 {
	lo, hi := run.procs[0], run.procs[len(run.procs)-1]
	return median(values(run.cpu[parallelKey{scenario, lib, hi}])) / median(values(run.cpu[parallelKey{scenario, lib, lo}]))
}

// parallelTable prints the parallel scaling of bare Gin and gincors, after
// and (if beforePath is set) before.
func parallelTable(w io.Writer, path, beforePath string) error {
	run, err := readParallel(path)
	if err != nil {
		return err
	}
	if len(run.procs) < 2 {
		return fmt.Errorf("%s: BenchmarkParallel needs two GOMAXPROCS values (-cpu 1,N)", path)
	}
	var before *parallelRun
	if beforePath != "" {
		if before, err = readParallel(beforePath); err != nil {
			return err
		}
	}
	lo, hi := run.procs[0], run.procs[len(run.procs)-1]
	fmt.Fprintf(w, "### Throughput from %d to %d cores (BenchmarkParallel, b.RunParallel, %d rounds, medians)\n\n", lo, hi, run.rounds)
	fmt.Fprintf(w, "Load average before each round: %s.\n\n", strings.Join(run.loads, "; "))
	fmt.Fprintf(w, "| scenario | bare Gin ns/op at %d → %d | scaling | gincors ns/op at %d → %d | scaling | gincors / bare Gin scaling (medians) | per round: median [min, max] |", lo, hi, lo, hi)
	if before != nil {
		fmt.Fprint(w, " before: gincors / bare Gin scaling (medians) | before: per round |")
	}
	fmt.Fprintf(w, " CPU time per request at %d over at %d: bare Gin, gincors |", hi, lo)
	fmt.Fprintf(w, " allocs/op at %d, before → after |\n", hi)
	cols := 8
	if before != nil {
		cols += 2
	}
	fmt.Fprintf(w, "|---|%s\n", strings.Repeat("---:|", cols))
	for _, s := range run.scenarios {
		nsCell := func(lib string) string {
			return fmt.Sprintf("%.0f → %.0f", median(values(run.ns[parallelKey{s, lib, lo}])), median(values(run.ns[parallelKey{s, lib, hi}])))
		}
		rel, rm, rmin, rmax := run.relative(s)
		row := []string{s, nsCell(bare), num(run.scaling(s, bare), "%.2f"), nsCell(gincors), num(run.scaling(s, gincors), "%.2f"),
			num(rel, "**%.2f**"), fmt.Sprintf("%s [%s, %s]", num(rm, "%.2f"), num(rmin, "%.2f"), num(rmax, "%.2f"))}
		allocsBefore := math.NaN()
		if before != nil {
			brel, brm, bmin, bmax := before.relative(s)
			row = append(row, num(brel, "%.2f"), fmt.Sprintf("%s [%s, %s]", num(brm, "%.2f"), num(bmin, "%.2f"), num(bmax, "%.2f")))
			allocsBefore = median(values(before.allocs[parallelKey{s, gincors, hi}]))
		}
		row = append(row, fmt.Sprintf("%s, %s", num(run.cpuGrowth(s, bare), "%.2f"), num(run.cpuGrowth(s, gincors), "%.2f")))
		row = append(row, fmt.Sprintf("%s → %s", num(allocsBefore, "%.0f"), num(median(values(run.allocs[parallelKey{s, gincors, hi}])), "%.0f")))
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
	fmt.Fprintln(w)
	return nil
}
