package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/detente/detente"
	"github.com/detente/detente/cameo"
)

// chart is a timeline drawn as SVG: stacked bars of event counts per quad
// class and a line of mean Goldstein scores. It holds geometry only; the
// "chart" template draws it, so every label is escaped like any text.
type chart struct {
	Width, Height      float64
	Left, Right        float64 // plot area's x bounds
	Top, Bottom        float64 // plot area's y bounds
	Bars               []bar
	GoldPoints         string // polyline points of the mean Goldstein line
	Dots               []dot
	CountTicks         []tick
	GoldTicks          []tick
	XLabels            []tick
	ZeroY              float64 // y of Goldstein 0
	Label              string  // accessible description
	MaxCount, NBuckets int
}

type bar struct {
	X, W     float64
	Rects    []rect
	Href     string
	Title    string
	Selected bool
}

type rect struct {
	Y, H  float64
	Class string
}

type dot struct {
	X, Y  float64
	Title string
}

type tick struct {
	Pos   float64
	Label string
}

var quadClasses = [4]string{"q1", "q2", "q3", "q4"}

// newChart lays out points; href gives each bucket's link and selected
// marks the bucket shown below the chart.
func newChart(points []detente.TimelinePoint, label string, href func(bucket string) string, selected string) *chart {
	c := &chart{Width: 960, Height: 300, Left: 48, Right: 960 - 48, Top: 16, Bottom: 300 - 44, Label: label}
	c.NBuckets = len(points)
	if len(points) == 0 {
		return c
	}
	for _, p := range points {
		c.MaxCount = max(c.MaxCount, p.N)
	}
	top := niceCeil(c.MaxCount)
	plotH := c.Bottom - c.Top
	step := (c.Right - c.Left) / float64(len(points))
	barW := math.Min(math.Max(step*0.7, 1), 56) // wide bars for few points look like blocks
	yCount := func(v int) float64 { return c.Bottom - float64(v)/float64(top)*plotH }
	yGold := func(g float64) float64 { return c.Top + (10-g)/20*plotH }
	c.ZeroY = yGold(0)
	var line []string
	for i, p := range points {
		x := c.Left + float64(i)*step + (step-barW)/2
		b := bar{X: round1(x), W: round1(barW), Href: href(p.Bucket), Selected: p.Bucket == selected}
		b.Title = fmt.Sprintf("%s: %d events (%d verbal coop., %d material coop., %d verbal conflict, %d material conflict), mean Goldstein %.1f",
			p.Bucket, p.N, p.Quad[0], p.Quad[1], p.Quad[2], p.Quad[3], p.MeanGoldstein)
		y := c.Bottom
		for q := 0; q < 4; q++ {
			if p.Quad[q] == 0 {
				continue
			}
			h := float64(p.Quad[q]) / float64(top) * plotH
			y -= h
			b.Rects = append(b.Rects, rect{Y: round1(y), H: round1(h), Class: quadClasses[q]})
		}
		c.Bars = append(c.Bars, b)
		if p.N > 0 {
			cx, cy := round1(x+barW/2), round1(yGold(p.MeanGoldstein))
			line = append(line, strconv.FormatFloat(cx, 'f', 1, 64)+","+strconv.FormatFloat(cy, 'f', 1, 64))
			c.Dots = append(c.Dots, dot{X: cx, Y: cy, Title: fmt.Sprintf("%s: mean Goldstein %.2f over %d events", p.Bucket, p.MeanGoldstein, p.N)})
		}
	}
	c.GoldPoints = strings.Join(line, " ")
	for _, v := range []int{0, top / 2, top} {
		c.CountTicks = append(c.CountTicks, tick{Pos: round1(yCount(v)), Label: strconv.Itoa(v)})
	}
	for _, g := range []float64{-10, -5, 0, 5, 10} {
		c.GoldTicks = append(c.GoldTicks, tick{Pos: round1(yGold(g)), Label: strconv.FormatFloat(g, 'f', 0, 64)})
	}
	// At most ~10 x labels, evenly spaced.
	every := max(1, (len(points)+9)/10)
	for i := 0; i < len(points); i += every {
		c.XLabels = append(c.XLabels, tick{Pos: round1(c.Left + float64(i)*step + step/2), Label: points[i].Bucket})
	}
	return c
}

// niceCeil rounds a count up to 1, 2 or 5 times a power of ten, so the
// axis labels are round.
func niceCeil(n int) int {
	if n <= 2 {
		return 2
	}
	p := 1
	for p*10 < n {
		p *= 10
	}
	for _, m := range []int{1, 2, 5, 10} {
		if m*p >= n {
			return m * p
		}
	}
	return 10 * p
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// quadName names a quad class for the legend and tables.
func quadName(q int) string { return cameo.QuadName(q) }
