package ner

import (
	"bufio"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/clean"
	"github.com/detente/detente/kb"
	"github.com/detente/detente/nlp"
)

// referenceTag is tagging the straightforward way: the gazetteer's strings,
// the generic float64 Viterbi, no precomputed tables. The fast road must
// agree with it label for label.
func referenceTag(m *Model, tokens []string) []string {
	var s scratch
	var gaz [][]string
	if m.gaz != nil {
		gaz = m.gaz.Features(tokens)
	}
	s.prepare(tokens, gaz)
	out := make([]string, len(tokens))
	for i, l := range viterbi(m.w, m.bits, &m.ls, &s, &vbuf{}, nil) {
		out[i] = m.ls.bio(l)
	}
	return out
}

// sampleSentences gives news-like sentences: a few written here and, when
// the shared folder is present, wikigold's.
func sampleSentences(t *testing.T) [][]string {
	sents := [][]string{
		nil,
		{"."},
		strings.Fields("Chinese President Xi Jinping met South Korean President Moon Jae-in in Beijing on Tuesday , the Foreign Ministry said ."),
		strings.Fields("The deployment of the Terminal High Altitude Area Defense system in Seongju has angered China ."),
		strings.Fields("US-led forces and Kurdish-led fighters clashed near the Turkish border , according to the Pentagon ."),
		strings.Fields("ERDOĞAN told the UN General Assembly that Ankara would not back down"),
		// Words repeated in a sentence and words too long for the word
		// cache (wordcache.go).
		strings.Fields("Paris said Paris and Nordrhein-Westfalen-Landesregierung met Nordrhein-Westfalen-Landesregierung in Paris , Paris said"),
	}
	if testing.Short() {
		return sents
	}
	shared := sharedDir(t)
	gold, err := readCoNLLFile(filepath.Join(shared, WikigoldPath), "wikigold")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range gold {
		sents = append(sents, s.Tokens)
	}
	return sents
}

// With AVX-512 where the CPU has it, and without.
func TestFastTaggingAgreesWithTheReferenceDecoderOnEverySentence(t *testing.T) {
	m := Default()
	matches := kb.Default()
	sents := sampleSentences(t)
	want := make([][]string, len(sents))
	for i, toks := range sents {
		want[i] = referenceTag(m, toks)
	}
	defer func(u bool) { useAVX512 = u }(useAVX512)
	for _, simd := range slices.Compact([]bool{false, useAVX512}) {
		useAVX512 = simd
		bad := 0
		for i, toks := range sents {
			got := m.Tag(toks)
			with := m.TagWithMatches(toks, matches.Match(toks))
			if !reflect.DeepEqual(got, want[i]) || !reflect.DeepEqual(with, want[i]) {
				bad++
				if bad <= 5 {
					t.Errorf("AVX-512 %v, %q:\n fast %v\n with %v\n want %v", simd, strings.Join(toks, " "), got, with, want[i])
				}
			}
		}
		if bad > 0 {
			t.Errorf("AVX-512 %v: %d sentences tagged differently", simd, bad)
		}
	}
}

func TestSpansWithMatchesEqualsSpans(t *testing.T) {
	m := Default()
	for _, toks := range sampleSentences(t)[:6] {
		got := m.SpansWithMatches(toks, kb.Default().Match(toks))
		if want := m.Spans(toks); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: SpansWithMatches %v, Spans %v", strings.Join(toks, " "), got, want)
		}
	}
}

// AppendSpansWithMatches adds a sentence's spans after dst's, leaving
// those as they are (one ending where a new one starts is not extended,
// nor one opening with "The" trimmed again).
func TestAppendSpansWithMatchesKeepsWhatItAppendsTo(t *testing.T) {
	m := Default()
	prev := []Span{{Start: 0, End: 2, Type: TypePlace}, {Start: 2, End: 3, Type: TypePerson}}
	n := 0
	for _, toks := range sampleSentences(t)[:6] {
		ms := kb.Default().Match(toks)
		want := append(append([]Span(nil), prev...), m.SpansWithMatches(toks, ms)...)
		got := m.AppendSpansWithMatches(append([]Span(nil), prev...), toks, ms)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: AppendSpansWithMatches %v, want %v", strings.Join(toks, " "), got, want)
		}
		n += len(got) - len(prev)
	}
	if n == 0 {
		t.Error("no spans appended")
	}
}

func TestFeaturesFromGivesTheGazetteerFeatures(t *testing.T) {
	g := DefaultGazetteer()
	for _, toks := range sampleSentences(t)[:6] {
		if got, want := g.FeaturesFrom(toks, kb.Default().Match(toks)), g.Features(toks); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: %v, want %v", strings.Join(toks, " "), got, want)
		}
	}
}

// newsSentences tokenizes the first n AllSides articles of the shared
// folder, cleaned as the pipeline cleans them.
func newsSentences(b testing.TB, n int) [][]string {
	f, err := os.Open(filepath.Join(sharedDir(b), "corpora", "allsides-intl-5720.jsonl"))
	if err != nil {
		b.Skip(err)
	}
	defer f.Close()
	var sents [][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for arts := 0; sc.Scan() && arts < n; {
		var a detente.Article
		if json.Unmarshal(sc.Bytes(), &a) != nil {
			continue
		}
		arts++
		a.Language = "en"
		c := clean.Article(&a)
		for _, s := range nlp.Sentences(c.Body) {
			var toks []string
			for _, t := range nlp.Tokens(c.Body, s) {
				toks = append(toks, t.Text)
			}
			sents = append(sents, toks)
		}
	}
	return sents
}

// BenchmarkTagNews tags news sentences given the knowledge base's matches,
// as the annotator calls the tagger, so it measures the tagger alone.
func BenchmarkTagNews(b *testing.B) {
	m := Default()
	sents := newsSentences(b, 300)
	ms := make([][]kb.Match, len(sents))
	for i, s := range sents {
		ms[i] = kb.Default().Match(s)
	}
	m.Spans(sents[0])
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(sents)
		m.SpansWithMatches(sents[k], ms[k])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}

// Goroutines tagging at once each get their own word cache (and hand it
// on), and tag as one alone does.
func TestConcurrentTaggingAgreesWithSequential(t *testing.T) {
	m := Default()
	sents := sampleSentences(t)
	if len(sents) > 300 {
		sents = sents[:300]
	}
	want := make([][]string, len(sents))
	for i, s := range sents {
		want[i] = m.Tag(s)
	}
	errs := make(chan string, 4)
	for g := range 4 {
		go func() {
			bad := ""
			for k := range sents {
				i := (k + g*37) % len(sents)
				if got := m.Tag(sents[i]); !reflect.DeepEqual(got, want[i]) && bad == "" {
					bad = strings.Join(sents[i], " ")
				}
			}
			errs <- bad
		}()
	}
	for range 4 {
		if bad := <-errs; bad != "" {
			t.Errorf("tagged differently under concurrency: %q", bad)
		}
	}
}

// The unrolled recursion for the shipped label set's shape picks the
// labels the general one does, ties included: besides the shipped model,
// models of that shape with weights drawn from a few small values, and
// emission scores drawn the same way, make many ties; with AVX-512 (all
// labels at once, viterbi11AVX512) and without.
func TestViterbi11AgreesWithTheGeneralRecursion(t *testing.T) {
	avx512 := useAVX512
	rng := rand.New(rand.NewPCG(1, 2))
	models := []*Model{Default()}
	labels := labelNames([]string{"A", "B", "C", "D", "E"}, false)
	for range 20 {
		m := &Model{bits: 4, labels: labels, ls: newLabelSet(labels), fast: &infer{}, w: make([]int16, len(labels)<<4)}
		for i := range m.w {
			m.w[i] = int16(rng.IntN(5) - 2)
		}
		models = append(models, m)
	}
	var s scratch
	defer func(u bool) { useAVX512 = u }(useAVX512)
	for k, m := range models {
		f := m.infer()
		if f.bio11 == nil {
			t.Fatalf("model %d: should take the unrolled road", k)
		}
		for trial := range 600 {
			useAVX512 = trial%2 == 1 && avx512
			n := 1 + rng.IntN(40)
			s.emit = grow(s.emit, n*f.L)
			spread := int32(1 + trial%5)
			if k == 0 && trial%4 < 2 {
				spread = 40000
			}
			for i := range s.emit {
				s.emit[i] = rng.Int32N(2*spread+1) - spread
			}
			want := slices.Clone(m.viterbiGeneral(f, &s, n))
			if got := m.viterbi11(f, &s, n); !slices.Equal(got, want) {
				t.Fatalf("model %d, trial %d (AVX-512 %v): unrolled %v, general %v", k, trial, useAVX512, got, want)
			}
		}
	}
}

// Every gazetteer feature number stands for the string the gazetteer
// gave before it numbered them.
func TestGazetteerFeatureNames(t *testing.T) {
	for k := range 256 {
		s := kb.Kind(k).String()
		for v, p := range []string{"kb:B-", "kb:I-", "kb:E-", "kb:multi-", "kb:prev-", "kb:next-"} {
			if got := gazName(kindFeature(kb.Kind(k), v)); got != p+s {
				t.Fatalf("kind %d variant %d: %q, want %q", k, v, got, p+s)
			}
		}
	}
	if gazName(gazFirst) != "kb:first" || gazName(gazLast) != "kb:last" {
		t.Errorf("name features: %q %q", gazName(gazFirst), gazName(gazLast))
	}
}
