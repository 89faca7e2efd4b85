package ner

import (
	"bytes"
	"hash/maphash"
	"slices"
	"strings"
	"testing"

	"github.com/detente/detente/internal/shareddata"
)

func TestTheKBGazetteerMarksKnowledgeBaseMatchesWithTheirPosition(t *testing.T) {
	toks := strings.Fields("Chinese President Xi Jinping visited South Korea and Paris on Monday .")
	feats := DefaultGazetteer().Features(toks)
	tests := []struct {
		tok  int
		want string
	}{
		{0, "kb:B-Demonym"},
		{2, "kb:B-Person"},
		{3, "kb:I-Person"},
		{5, "kb:B-Country"},
		{6, "kb:I-Country"},
		{6, "kb:E-Country"},
		{8, "kb:B-Capital"},
		{4, "kb:prev-Person"},
	}
	for _, tc := range tests {
		if !slices.Contains(feats[tc.tok], tc.want) {
			t.Errorf("%q has features %v, want %q among them", toks[tc.tok], feats[tc.tok], tc.want)
		}
	}
	if len(feats[10]) != 0 {
		t.Errorf("%q has features %v, want none", toks[10], feats[10])
	}
}

// TestTheShippedModelGetsMostEasyNewsNamesRight guards the tagger on its
// own (the annotator adds the knowledge base on top): plain news sentences
// we wrote, where a reader would not hesitate. One-sentence checks flip
// with retraining, so the guard is a rate over many names, and every miss
// is logged for whoever retrains.
func TestTheShippedModelGetsMostEasyNewsNamesRight(t *testing.T) {
	tests := []struct {
		sentence string
		want     map[string]string // name → type; "" means not an entity
	}{
		{"Xi said on Monday that talks would go on .", map[string]string{"Xi": TypePerson, "Monday": ""}},
		{"Merkel visited Paris .", map[string]string{"Merkel": TypePerson, "Paris": TypePlace}},
		{"The United Nations condemned the attack in Syria .", map[string]string{"United Nations": TypeOrg, "Syria": TypePlace}},
		{"Prime Minister Boris Johnson spoke to reporters in London on Tuesday .", map[string]string{"Boris Johnson": TypePerson, "London": TypePlace, "Tuesday": ""}},
		{"NATO troops arrived in Lithuania last week .", map[string]string{"NATO": TypeOrg, "Lithuania": TypePlace}},
		{"The European Union imposed new sanctions on Russia .", map[string]string{"European Union": TypeOrg, "Russia": TypePlace}},
		{"Police in Nairobi arrested two men , a spokesman for Kenya Police said .", map[string]string{"Nairobi": TypePlace}},
		{"Emmanuel Macron will meet Joe Biden at the White House .", map[string]string{"Emmanuel Macron": TypePerson, "Joe Biden": TypePerson}},
		{"Reuters reported that Iran had enriched more uranium .", map[string]string{"Reuters": TypeOrg, "Iran": TypePlace}},
		{"Thousands marched through Hong Kong on Sunday .", map[string]string{"Hong Kong": TypePlace, "Sunday": ""}},
		{"The World Health Organization said the outbreak in Brazil was slowing .", map[string]string{"World Health Organization": TypeOrg, "Brazil": TypePlace}},
		{"Japanese officials met their counterparts from South Korea in Tokyo .", map[string]string{"South Korea": TypePlace, "Tokyo": TypePlace}},
	}
	right, total := 0, 0
	for _, tc := range tests {
		toks := strings.Fields(tc.sentence)
		got := map[string]string{}
		for _, s := range Default().Spans(toks) {
			got[strings.Join(toks[s.Start:s.End], " ")] = s.Type
		}
		for name, typ := range tc.want {
			total++
			if got[name] == typ {
				right++
			} else {
				t.Logf("miss: %q: %q tagged %q, want %q (all: %v)", tc.sentence, name, got[name], typ, got)
			}
		}
	}
	if rate := float64(right) / float64(total); rate < 0.8 {
		t.Errorf("the tagger got %d of %d easy names right (%.0f%%), want at least 80%%", right, total, 100*rate)
	}
}

// sharedDir finds the shared folder with the gold sets, or skips.
func sharedDir(t testing.TB) string {
	t.Helper()
	shareddata.Require(t, GUMDir)
	return shareddata.Dir()
}

func TestRetrainingFromTheSharedFolderReproducesTheShippedModel(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the full model")
	}
	shared := sharedDir(t)
	var buf bytes.Buffer
	if err := TrainFromShared(shared, &buf, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), shipped) {
		t.Fatalf("retrained model (%d bytes) differs from model.bin.gz (%d bytes): retrain with `detente train ner`", buf.Len(), len(shipped))
	}
}

func TestCapIndexAgreesWithTheTable(t *testing.T) {
	x := capIndexLoad()
	n := 0
	for w, b := range capTableLoad() {
		if got := x.bucket([]byte(w)); got != b {
			t.Fatalf("%q: bucket %d, table %d", w, got, b)
		}
		n++
	}
	if n < 1000 {
		t.Fatalf("table has %d words", n)
	}
	for _, w := range []string{"", "zzqxj", "paris!", "saidd", "\xff"} {
		if got, want := x.bucket([]byte(w)), capTableLoad()[w]; got != want {
			t.Errorf("%q: bucket %d, table %d", w, got, want)
		}
	}
}

func TestNameBitsOfAgreesWithTheMap(t *testing.T) {
	g := DefaultGazetteer()
	g.once.Do(g.names)
	for w, bits := range g.nameBits {
		if got := g.nameBitsOf(w); got != bits {
			t.Fatalf("nameBitsOf(%q) = %d, want %d", w, got, bits)
		}
	}
	turned, unknown := 0, 0
	for _, s := range sampleSentences(t) {
		for _, w := range s {
			if g.nameBitsOf(w) != g.nameBits[w] {
				t.Fatalf("nameBitsOf(%q) = %d, want %d", w, g.nameBitsOf(w), g.nameBits[w])
			}
			if g.nameBits[w] != 0 {
				continue
			}
			unknown++
			a, b := nameSeenBits(maphash.String(g.nameSeed, w))
			if (g.nameSeen[a/64]>>(a%64))&(g.nameSeen[b/64]>>(b%64))&1 == 0 {
				turned++
			}
		}
	}
	if turned < unknown*8/10 {
		t.Errorf("the filter turned away %d of %d words that are no name part", turned, unknown)
	}
}
