package main

// Charts, as hand-written SVG: a grouped bar chart and a line chart need
// only rectangles, polylines and text on a log scale, which is less code
// than adapting a plotting package's defaults, and keeps the benchmarks
// module free of dependencies that only draw.

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// colors of the libraries, the same in every chart.
var colors = map[string]string{
	gincors:       "#1b6ac9",
	"gin-contrib": "#e07b00",
	"rs-cors":     "#2a9d4b",
}

// logAxis maps values from [lo, hi] (both > 0) onto pixels [p0, p1] on a
// log scale.
type logAxis struct{ lo, hi, p0, p1 float64 }

func (a logAxis) at(v float64) float64 {
	v = math.Max(v, a.lo)
	return a.p0 + (math.Log10(v)-math.Log10(a.lo))/(math.Log10(a.hi)-math.Log10(a.lo))*(a.p1-a.p0)
}

// decades returns the powers of ten from lo to hi.
func (a logAxis) decades() []float64 {
	var ds []float64
	for d := math.Pow(10, math.Floor(math.Log10(a.lo))); d <= a.hi*1.0001; d *= 10 {
		if d >= a.lo*0.9999 {
			ds = append(ds, d)
		}
	}
	return ds
}

// newLogAxis spans whole decades around [min, max].
func newLogAxis(min, max, p0, p1 float64) logAxis {
	return logAxis{
		lo: math.Pow(10, math.Floor(math.Log10(math.Max(min, 1)))),
		hi: math.Pow(10, math.Ceil(math.Log10(math.Max(max, 10)))),
		p0: p0, p1: p1,
	}
}

// short writes 1234567 as 1.2M, 4047 as 4k, 10000 as 10k, 555 as 555.
func short(v float64) string {
	unit, suffix := 1.0, ""
	switch a := math.Abs(v); {
	case a >= 1e6:
		unit, suffix = 1e6, "M"
	case a >= 1e3:
		unit, suffix = 1e3, "k"
	}
	digits := 1
	if math.Abs(v/unit) >= 10 || math.Mod(v, unit) == 0 {
		digits = 0
	}
	return strconv.FormatFloat(v/unit, 'f', digits, 64) + suffix
}

func esc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

type svg struct {
	w io.Writer
}

func (s svg) open(width, height float64, title string) {
	fmt.Fprintf(s.w, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="Helvetica, Arial, sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(s.w, `<title>%s</title>`+"\n", esc(title))
	fmt.Fprintf(s.w, `<rect width="100%%" height="100%%" fill="#ffffff"/>`+"\n")
}

func (s svg) close() { fmt.Fprintln(s.w, "</svg>") }

func (s svg) text(x, y float64, anchor, attrs, t string) {
	fmt.Fprintf(s.w, `<text x="%.1f" y="%.1f" text-anchor="%s"%s>%s</text>`+"\n", x, y, anchor, attrs, esc(t))
}

func (s svg) line(x1, y1, x2, y2 float64, attrs string) {
	fmt.Fprintf(s.w, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f"%s/>`+"\n", x1, y1, x2, y2, attrs)
}

func (s svg) legend(x, y float64, libs []string) {
	for _, l := range libs {
		fmt.Fprintf(s.w, `<rect x="%.1f" y="%.1f" width="12" height="12" fill="%s"/>`+"\n", x, y-10, colors[l])
		s.text(x+16, y, "start", "", l)
		x += 24 + 7*float64(len(l))
	}
}

// writeSVGs writes dir/scenarios.svg and dir/scaling.svg.
func writeSVGs(dir string, results map[key]*result, cases map[string][]string) error {
	for _, out := range []struct {
		name string
		draw func(io.Writer, map[key]*result, map[string][]string)
	}{{"scenarios.svg", barChart}, {"scaling.svg", scalingChart}} {
		f, err := os.Create(filepath.Join(dir, out.name))
		if err != nil {
			return err
		}
		out.draw(f, results, cases)
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// added is lib's count minus bare Gin's in group g, case c.
func added(results map[key]*result, g, c, lib string) float64 {
	return get(results, g, c, lib).instr - get(results, g, c, bare).instr
}

// barChart draws instructions added above bare Gin per scenario and
// library, as horizontal bars on a log scale.
func barChart(w io.Writer, results map[key]*result, cases map[string][]string) {
	const g = "CORS"
	libs := append([]string{gincors}, peers...)
	cs := cases[g]
	const (
		left, right, top = 190.0, 90.0, 64.0
		bar, gap         = 11.0, 10.0
		width            = 900.0
	)
	height := top + float64(len(cs))*(float64(len(libs))*bar+gap) + 26
	lo, hi := math.Inf(1), 0.0
	for _, c := range cs {
		for _, l := range libs {
			if v := added(results, g, c, l); !math.IsNaN(v) {
				lo, hi = math.Min(lo, math.Max(v, 1)), math.Max(hi, v)
			}
		}
	}
	ax := newLogAxis(lo, hi, left, width-right)
	s := svg{w}
	s.open(width, height, "Instructions per request added above bare Gin")
	s.text(width/2, 20, "middle", ` font-size="15" font-weight="bold"`, "Instructions per request added above bare Gin (callgrind; log scale; shorter is better)")
	s.legend(left, 44, libs)
	s.text(width-right, 44, "end", ` fill="#555"`, "† answer not counted: wrong, or checks nothing (see BENCHMARKS.md)")
	bottom := height - 26
	for _, d := range ax.decades() {
		x := ax.at(d)
		s.line(x, top-6, x, bottom, ` stroke="#ddd"`)
		s.text(x, bottom+16, "middle", ` fill="#555"`, short(d))
	}
	y := top
	for _, c := range cs {
		s.text(left-8, y+bar*float64(len(libs))/2+4, "end", "", c)
		for _, l := range libs {
			v := added(results, g, c, l)
			if math.IsNaN(v) {
				s.text(left+4, y+bar-2, "start", ` font-size="10" fill="#888"`, l+": unsupported")
			} else {
				x := ax.at(math.Max(v, 1))
				fmt.Fprintf(w, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s, %s: %+.0f</title></rect>`+"\n",
					left, y, math.Max(x-left, 1), bar-1, colors[l], esc(c), l, v)
				label := fmt.Sprintf("%+.0f", v)
				if wrong(g, c, l) != "" {
					label += " †"
				}
				s.text(x+4, y+bar-2, "start", ` font-size="10"`, label)
			}
			y += bar
		}
		y += gap
	}
	s.line(left, top-6, left, bottom, ` stroke="#333"`)
	s.close()
}

// scalingChart draws added instructions against the number of configured
// origins: exact origins and wildcard patterns, side by side, log-log.
func scalingChart(w io.Writer, results map[key]*result, cases map[string][]string) {
	libs := append([]string{gincors}, peers...)
	panels := []struct{ group, title string }{
		{"ScaleExactOrigins", "exact origins configured"},
		{"ScaleWildcards", "wildcard patterns configured"},
	}
	const (
		width, height   = 900.0, 420.0
		top, bottom     = 70.0, 360.0
		panelW, marginL = 350.0, 60.0
	)
	lo, hi := math.Inf(1), 0.0
	for _, p := range panels {
		for _, c := range cases[p.group] {
			for _, l := range libs {
				if v := added(results, p.group, c, l); !math.IsNaN(v) {
					lo, hi = math.Min(lo, math.Max(v, 1)), math.Max(hi, v)
				}
			}
		}
	}
	s := svg{w}
	s.open(width, height, "Cost against the number of configured origins")
	s.text(width/2, 20, "middle", ` font-size="15" font-weight="bold"`, "Instructions per allowed request added above bare Gin, against policy size (log-log)")
	s.legend(marginL, 44, libs)
	for i, p := range panels {
		x0 := marginL + float64(i)*(panelW+marginL+40)
		y := newLogAxis(lo, hi, bottom, top)
		cs := cases[p.group]
		var ns []float64
		for _, c := range cs {
			n, _ := strconv.ParseFloat(strings.TrimPrefix(c, "n="), 64)
			ns = append(ns, n)
		}
		if len(ns) == 0 {
			continue
		}
		x := newLogAxis(ns[0], ns[len(ns)-1], x0, x0+panelW)
		for _, d := range y.decades() {
			s.line(x0, y.at(d), x0+panelW, y.at(d), ` stroke="#ddd"`)
			s.text(x0-6, y.at(d)+4, "end", ` fill="#555"`, short(d))
		}
		for _, d := range x.decades() {
			s.line(x.at(d), top, x.at(d), bottom, ` stroke="#eee"`)
			s.text(x.at(d), bottom+16, "middle", ` fill="#555"`, short(d))
		}
		s.line(x0, bottom, x0+panelW, bottom, ` stroke="#333"`)
		s.line(x0, top, x0, bottom, ` stroke="#333"`)
		s.text(x0+panelW/2, bottom+36, "middle", "", p.title)
		for _, l := range libs {
			var pts []string
			for j, c := range cs {
				v := added(results, p.group, c, l)
				if math.IsNaN(v) {
					continue
				}
				px, py := x.at(ns[j]), y.at(math.Max(v, 1))
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", px, py))
				fmt.Fprintf(w, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s, %s, %s: %+.0f</title></circle>`+"\n",
					px, py, colors[l], p.group, c, l, v)
				if j == len(cs)-1 {
					s.text(px-4, py-7, "end", ` font-size="10"`, fmt.Sprintf("%+.0f", v))
				}
			}
			fmt.Fprintf(w, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", strings.Join(pts, " "), colors[l])
		}
	}
	s.close()
}
