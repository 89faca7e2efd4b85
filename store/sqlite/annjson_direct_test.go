package sqlite

import (
	"bytes"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/detente/detente"
)

// The written-out encoder is in use: a failure here means a field was
// added to, dropped from or moved in an annotation type, and
// appendPackedDirect (and directLayouts) must follow it.
func TestDirectPackingKnowsEveryField(t *testing.T) {
	if !directLayoutsMatch {
		for _, d := range directLayouts {
			t.Logf("%s: types have %q, appendPackedDirect writes %q", d.t, layoutOf(d.t).names, d.names)
		}
		t.Fatal("appendPackedDirect is out of date with the annotation types")
	}
	// Every struct type packAnnotations reaches is written out.
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(rt reflect.Type) {
		switch rt.Kind() {
		case reflect.Pointer, reflect.Slice:
			walk(rt.Elem())
		case reflect.Struct:
			if seen[rt] {
				return
			}
			seen[rt] = true
			found := false
			for _, d := range directLayouts {
				found = found || d.t == rt
			}
			if !found {
				t.Errorf("appendPackedDirect does not write %s", rt)
			}
			for _, i := range layoutOf(rt).fields {
				walk(rt.Field(i).Type)
			}
		}
	}
	walk(reflect.TypeFor[detente.Annotations]())
}

func samePacking(t *testing.T, a *detente.Annotations) {
	t.Helper()
	want, werr := appendPackedReflect(nil, a)
	got, gerr := appendPackedDirect(nil, a)
	if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
		t.Fatalf("errors differ: reflective %v, direct %v", werr, gerr)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("direct packing differs:\n got %s\nwant %s", got, want)
	}
}

func TestDirectPackingEqualsReflective(t *testing.T) {
	var full detente.Annotations
	n := 0
	fill(reflect.ValueOf(&full).Elem(), &n)
	samePacking(t, &full)
	samePacking(t, &detente.Annotations{})
	samePacking(t, &detente.Annotations{Sentences: []detente.Span{}, Entities: []detente.Entity{},
		Acronyms: []detente.Acronym{}, Times: []detente.TimeExpr{}, Quotes: []detente.Quote{},
		Captions: []detente.TextAnnotations{}, Title: &detente.TextAnnotations{}})
	nan := math.NaN()
	samePacking(t, &detente.Annotations{Entities: []detente.Entity{{Lat: &nan}}})
	inf := math.Inf(-1)
	samePacking(t, &detente.Annotations{Captions: []detente.TextAnnotations{{Credit: &detente.Entity{Lon: &inf}}}})

	rng := rand.New(rand.NewPCG(1, 2))
	strs := []string{"", "Quetta", "é\"\\\n<x>&", "\x00\x1f\u2028", "bad\xffutf8", "Ünïcödé 中文", strings.Repeat("a", 40)}
	str := func() string { return strs[rng.IntN(len(strs))] }
	num := func() int { return rng.IntN(200000) - 100 }
	fl := func() *float64 {
		if rng.IntN(3) == 0 {
			return nil
		}
		f := (rng.Float64() - 0.5) * math.Pow(10, float64(rng.IntN(40)-20))
		return &f
	}
	ents := func(k int) []detente.Entity {
		if k < 0 {
			return nil
		}
		out := make([]detente.Entity, k)
		for i := range out {
			out[i] = detente.Entity{Text: str(), Start: num(), End: num(), Type: str(), Canonical: str(), Actor: str(),
				Country: str(), Lat: fl(), Lon: fl(), Source: str()}
		}
		return out
	}
	times := func(k int) []detente.TimeExpr {
		if k < 0 {
			return nil
		}
		out := make([]detente.TimeExpr, k)
		for i := range out {
			out[i] = detente.TimeExpr{Text: str(), Start: num(), End: num(), Value: str(), ValueEnd: str(), Type: str(),
				Unresolved: rng.IntN(2) == 0}
		}
		return out
	}
	for range 2000 {
		a := &detente.Annotations{Entities: ents(rng.IntN(6) - 1), Times: times(rng.IntN(4) - 1)}
		if k := rng.IntN(5) - 1; k >= 0 {
			a.Sentences = make([]detente.Span, k)
			for i := range a.Sentences {
				a.Sentences[i] = detente.Span{Start: num(), End: num()}
			}
		}
		if k := rng.IntN(3) - 1; k >= 0 {
			a.Acronyms = make([]detente.Acronym, k)
			for i := range a.Acronyms {
				a.Acronyms[i] = detente.Acronym{Short: str(), Long: str()}
			}
		}
		if k := rng.IntN(3) - 1; k >= 0 {
			a.Quotes = make([]detente.Quote, k)
			for i := range a.Quotes {
				a.Quotes[i] = detente.Quote{Text: str(), Start: num(), End: num(), Speaker: str(), Actor: str()}
			}
		}
		if rng.IntN(2) == 0 {
			a.Title = &detente.TextAnnotations{Entities: ents(rng.IntN(3) - 1), Times: times(rng.IntN(3) - 1)}
		}
		if k := rng.IntN(3) - 1; k >= 0 {
			a.Captions = make([]detente.TextAnnotations, k)
			for i := range a.Captions {
				a.Captions[i] = detente.TextAnnotations{Entities: ents(rng.IntN(3) - 1), Times: times(rng.IntN(2) - 1)}
				if rng.IntN(2) == 0 {
					a.Captions[i].Credit = &ents(1)[0]
				}
			}
		}
		samePacking(t, a)
	}
}
