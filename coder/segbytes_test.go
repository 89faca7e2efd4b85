package coder

import (
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/clean"
)

func corpusAnnotated(t *testing.T, max int) (*Coder, []*detente.Article, []*detente.Annotations) {
	sc := corpusLines(t)
	an, c := builtin(t)
	var arts []*detente.Article
	var anns []*detente.Annotations
	for sc.Scan() && len(arts) < max {
		var a detente.Article
		if json.Unmarshal(sc.Bytes(), &a) != nil || a.Body == "" {
			continue
		}
		ca := clean.Article(&a)
		arts, anns = append(arts, ca), append(anns, an.Annotate(ca))
	}
	return c, arts, anns
}

// The segmentation's byte offsets and the walk through the body give the
// same events.
func TestSegmentationBytesCodeAsTheWalk(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	c, arts, anns := corpusAnnotated(t, 300)
	defer func() { walkBody = false }()
	for i, a := range arts {
		walkBody = true
		want := c.Code(a, anns[i])
		walkBody = false
		if got := c.Code(a, anns[i]); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: events differ with the segmentation's byte offsets", a.ID)
		}
	}
}

// TestSegmentationBytesAB times Code with the walk and with the
// segmentation's byte offsets in alternated blocks (AB=1).
func TestSegmentationBytesAB(t *testing.T) {
	if os.Getenv("AB") == "" {
		t.Skip("AB=1")
	}
	c, arts, anns := corpusAnnotated(t, 400)
	defer func() { walkBody = false }()
	run := func(walk bool, from int) float64 {
		walkBody = walk
		c0 := cpuSeconds()
		for r := 0; r < 2; r++ {
			for i := from; i < from+50; i++ {
				c.Code(arts[i], anns[i])
			}
		}
		return cpuSeconds() - c0
	}
	var rs []float64
	for k := 0; k < 160; k++ {
		from := (k * 50) % (len(arts) - 50)
		var a, b float64
		if k%2 == 0 {
			a, b = run(true, from), run(false, from)
		} else {
			b, a = run(false, from), run(true, from)
		}
		rs = append(rs, b/a)
	}
	sort.Float64s(rs)
	t.Logf("code new/old median %.3f (q1 %.3f q3 %.3f, %d blocks)", rs[len(rs)/2], rs[len(rs)/4], rs[3*len(rs)/4], len(rs))
}
