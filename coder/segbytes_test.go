package coder

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/clean"
)

func corpusAnnotated(t testing.TB, max int) (*Coder, []*detente.Article, []*detente.Annotations) {
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

// BenchmarkSegmentationBytes codes the same 200 AllSides articles with the
// tokens' byte offsets recovered by walking the body (walk) and taken from
// the segmentation (offsets); compare the two with benchstat.
func BenchmarkSegmentationBytes(b *testing.B) {
	c, arts, anns := corpusAnnotated(b, 200)
	defer func() { walkBody = false }()
	for _, walk := range []bool{true, false} {
		name := map[bool]string{true: "walk", false: "offsets"}[walk]
		b.Run(name, func(b *testing.B) {
			walkBody = walk
			for b.Loop() {
				for i := range arts {
					c.Code(arts[i], anns[i])
				}
			}
		})
	}
}
