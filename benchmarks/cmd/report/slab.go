package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// slabTable prints the parallel slab benchmarks: ns/op at each GOMAXPROCS
// the run used (medians), B/op and allocs/op at the highest, and the
// instructions per operation callgrind counted at GOMAXPROCS=1.
func slabTable(w io.Writer, benchPath, instrPath string) error {
	type sample struct{ ns, bytes, allocs []float64 }
	samples := map[string]map[int]*sample{} // name -> procs -> samples
	var names []string
	procSet := map[int]bool{}
	f, err := os.Open(benchPath)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 4 || !strings.HasPrefix(fs[0], "Benchmark") {
			continue
		}
		name, procs := fs[0], 1
		if m := procsSuffix.FindString(name); m != "" {
			procs, _ = strconv.Atoi(m[1:])
			name = strings.TrimSuffix(name, m)
		}
		name = strings.TrimPrefix(name, "Benchmark")
		if samples[name] == nil {
			samples[name] = map[int]*sample{}
			names = append(names, name)
		}
		sm := samples[name][procs]
		if sm == nil {
			sm = &sample{}
			samples[name][procs] = sm
		}
		procSet[procs] = true
		for i := 2; i+1 < len(fs); i += 2 {
			v, err := strconv.ParseFloat(fs[i], 64)
			if err != nil {
				continue
			}
			switch fs[i+1] {
			case "ns/op":
				sm.ns = append(sm.ns, v)
			case "B/op":
				sm.bytes = append(sm.bytes, v)
			case "allocs/op":
				sm.allocs = append(sm.allocs, v)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	instr := map[string]float64{}
	if instrPath != "" {
		if f, err := os.Open(instrPath); err == nil {
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				fs := strings.Split(sc.Text(), "\t")
				if len(fs) < 6 {
					continue
				}
				if v, err := strconv.ParseFloat(fs[5], 64); err == nil {
					instr[strings.TrimPrefix(fs[0], "Benchmark")] = v
				}
			}
			f.Close()
		}
	}
	var procs []int
	for p := range procSet {
		procs = append(procs, p)
	}
	slices.Sort(procs)
	if len(procs) == 0 {
		return nil
	}
	top := procs[len(procs)-1]

	fmt.Fprintln(w, "### Header-value slab under parallel load (root package, b.RunParallel)")
	fmt.Fprintln(w)
	head := []string{"benchmark", "instructions/op (callgrind, GOMAXPROCS=1)"}
	for _, p := range procs {
		head = append(head, fmt.Sprintf("ns/op, GOMAXPROCS=%d", p))
	}
	head = append(head, fmt.Sprintf("B/op, allocs/op at GOMAXPROCS=%d", top))
	fmt.Fprintf(w, "| %s |\n", strings.Join(head, " | "))
	fmt.Fprintf(w, "|---|%s\n", strings.Repeat("---:|", len(head)-1))
	for _, n := range names {
		v, ok := instr[n]
		row := []string{n, "n/a"}
		if ok {
			row[1] = fmt.Sprintf("%.0f", v)
		}
		for _, p := range procs {
			cell := "n/a"
			if sm := samples[n][p]; sm != nil {
				cell = fmt.Sprintf("%.1f", median(sm.ns))
			}
			row = append(row, cell)
		}
		cell := "n/a"
		if sm := samples[n][top]; sm != nil {
			cell = fmt.Sprintf("%s B, %s allocs", num(median(sm.bytes), "%.0f"), num(median(sm.allocs), "%.0f"))
		}
		row = append(row, cell)
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
	fmt.Fprintln(w)
	return nil
}
