package bench

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"
)

// series is one line of a chart.
type series struct {
	name   string
	color  string
	dashed bool
	xs, ys []float64
}

// SearchSVG plots the search index's p95 latency of 1-, 2- and 3-term
// queries against the number of articles, both axes logarithmic: wall
// time (solid) and the CPU time of the query (dashed), which is what a
// core to itself would take (the wall time on a shared machine is
// mostly waiting).
func (r *ScaleReport) SearchSVG(w io.Writer) error {
	colors := []string{"#1b6ca8", "#d1495b", "#2e8b57"}
	var ss []series
	for terms := 1; terms <= 3; terms++ {
		for _, cpu := range []bool{false, true} {
			s := series{name: fmt.Sprintf("%d-term p95", terms), color: colors[terms-1], dashed: cpu}
			if cpu {
				s.name += ", CPU"
			}
			for _, p := range r.Points {
				if p.Mode != "index" || len(p.Search) < terms {
					continue
				}
				v := p.Search[terms-1].P95ms
				if cpu {
					v = p.Search[terms-1].CPUP95ms
				}
				if v <= 0 {
					continue
				}
				s.xs, s.ys = append(s.xs, float64(p.Articles)), append(s.ys, v)
			}
			ss = append(ss, s)
		}
	}
	return chart(w, "Search p95 as the index grows (SQLite FTS5, top 20 by BM25)", "articles", "milliseconds", ss, true)
}

// IngestSVG plots ingest throughput against the number of articles: the
// search index (articles without annotations) and the whole pipeline,
// per second of wall time (solid) and of CPU time (dashed).
func (r *ScaleReport) IngestSVG(w io.Writer) error {
	idx := series{name: "store articles + full-text index (articles/s)", color: "#1b6ca8"}
	idxCPU := series{name: "the same per CPU-second", color: "#1b6ca8", dashed: true}
	full := series{name: "whole pipeline: clean, dedup, annotate, code, store (articles/s)", color: "#d1495b"}
	fullCPU := series{name: "the same per CPU-second", color: "#d1495b", dashed: true}
	for _, p := range r.Points {
		s, c := &idx, &idxCPU
		if p.Mode == "pipeline" {
			s, c = &full, &fullCPU
		}
		s.xs, s.ys = append(s.xs, float64(p.Articles)), append(s.ys, math.Max(p.PerSecond, 0.01))
		if p.PerCPUSecond > 0 {
			c.xs, c.ys = append(c.xs, float64(p.Articles)), append(c.ys, p.PerCPUSecond)
		}
	}
	return chart(w, fmt.Sprintf("Ingest throughput as the store grows (%d cores)", r.Cores), "articles", "articles per second",
		[]series{idx, idxCPU, full, fullCPU}, true)
}

// chart draws a line chart with a logarithmic x axis (and y axis when
// logY) as a self-contained SVG.
func chart(w io.Writer, title, xLabel, yLabel string, ss []series, logY bool) error {
	const width, height = 720.0, 420.0
	const left, right, top, bottom = 70.0, 20.0, 40.0, 120.0
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range ss {
		for i := range s.xs {
			minX, maxX = math.Min(minX, s.xs[i]), math.Max(maxX, s.xs[i])
			minY, maxY = math.Min(minY, s.ys[i]), math.Max(maxY, s.ys[i])
		}
	}
	if math.IsInf(minX, 0) {
		minX, maxX, minY, maxY = 1, 10, 1, 10
	}
	// Whole decades on log axes.
	lx0, lx1 := math.Floor(math.Log10(minX)), math.Ceil(math.Log10(maxX))
	if lx1 == lx0 {
		lx1++
	}
	var ly0, ly1 float64
	if logY {
		ly0, ly1 = math.Floor(math.Log10(minY)), math.Ceil(math.Log10(maxY))
		if ly1 == ly0 {
			ly1++
		}
	} else {
		ly0, ly1 = 0, maxY*1.1
	}
	px := func(x float64) float64 {
		return left + (math.Log10(x)-lx0)/(lx1-lx0)*(width-left-right)
	}
	py := func(y float64) float64 {
		v := y
		if logY {
			v = math.Log10(y)
		}
		return height - bottom - (v-ly0)/(ly1-ly0)*(height-top-bottom)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%.0f" y="22" font-size="15" font-weight="bold">%s</text>`+"\n", left, html.EscapeString(title))
	// Grid and ticks.
	for d := lx0; d <= lx1; d++ {
		x := px(math.Pow(10, d))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.0f" x2="%.1f" y2="%.0f" stroke="#ddd"/>`+"\n", x, top, x, height-bottom)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" text-anchor="middle">%s</text>`+"\n", x, height-bottom+16, tick(math.Pow(10, d)))
	}
	if logY {
		for d := ly0; d <= ly1; d++ {
			y := py(math.Pow(10, d))
			fmt.Fprintf(&b, `<line x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f" stroke="#ddd"/>`+"\n", left, y, width-right, y)
			fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" text-anchor="end">%s</text>`+"\n", left-6, y+4, tick(math.Pow(10, d)))
		}
	} else {
		for i := 0; i <= 5; i++ {
			v := ly1 * float64(i) / 5
			y := py(v)
			fmt.Fprintf(&b, `<line x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f" stroke="#ddd"/>`+"\n", left, y, width-right, y)
			fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" text-anchor="end">%s</text>`+"\n", left-6, y+4, tick(v))
		}
	}
	fmt.Fprintf(&b, `<rect x="%.0f" y="%.0f" width="%.0f" height="%.0f" fill="none" stroke="#444"/>`+"\n", left, top, width-left-right, height-top-bottom)
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="middle">%s</text>`+"\n", left+(width-left-right)/2, height-bottom+34, html.EscapeString(xLabel))
	fmt.Fprintf(&b, `<text transform="translate(16 %.0f) rotate(-90)" text-anchor="middle">%s</text>`+"\n", top+(height-top-bottom)/2, html.EscapeString(yLabel))
	// Lines, points and legend.
	for i, s := range ss {
		dash := ""
		if s.dashed {
			dash = ` stroke-dasharray="5 4"`
		}
		if len(s.xs) > 0 {
			var pts []string
			for j := range s.xs {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(s.xs[j]), py(s.ys[j])))
			}
			fmt.Fprintf(&b, `<polyline fill="none" stroke-width="2" stroke="%s"%s points="%s"/>`+"\n", s.color, dash, strings.Join(pts, " "))
			for j := range s.xs {
				fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`+"\n", px(s.xs[j]), py(s.ys[j]), s.color)
			}
		}
		lx, ly := left+float64(i%2)*300, height-bottom+56+float64(i/2)*18
		fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke-width="2" stroke="%s"%s/>`+"\n", lx, ly-4, lx+24, ly-4, s.color, dash)
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f">%s</text>`+"\n", lx+30, ly, html.EscapeString(s.name))
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// tick labels a power of ten or a round value briefly: 1k, 10k, 1M, 0.1.
func tick(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%gM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%gk", v/1e3)
	}
	return fmt.Sprintf("%g", math.Round(v*100)/100)
}
