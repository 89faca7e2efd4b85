package dedup

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/detente/detente"
)

const allsides = "corpora/allsides-intl-5720.jsonl"

func TestEvaluateCorpusOnAllSidesIsSane(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus evaluation takes seconds; skipped with -short")
	}
	p := sharedPath(t, allsides)
	rep, err := EvaluateCorpus(p, DefaultConfig(), "testdata/allsides-pairs.tsv")
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + rep.String())
	if rep.Articles != 5720 || rep.LabelsMissing != 0 || rep.Labelled != 45 {
		t.Errorf("articles %d, labels %d (missing %d), want 5720 and 45 (0)", rep.Articles, rep.Labelled, rep.LabelsMissing)
	}
	if rep.ExactFound != rep.ExactPairs {
		t.Errorf("exact duplicates found %d of %d", rep.ExactFound, rep.ExactPairs)
	}
	for _, s := range rep.Synthetic {
		if strings.HasPrefix(s.Kind, "reformatted") && s.Found != s.Copies {
			t.Errorf("reformatted exact copies found %d of %d", s.Found, s.Copies)
		}
	}
	for _, b := range rep.Curve {
		if b.Lo >= 0.5 && b.Candidates != b.Pairs {
			t.Errorf("LSH missed pairs with true Jaccard %.1f-%.1f: %d of %d", b.Lo, b.Hi, b.Candidates, b.Pairs)
		}
	}
}

// corpusBodies reads the AllSides bodies for benchmarks.
func corpusBodies(b testing.TB) []string {
	p := sharedPath(b, allsides)
	f, err := os.Open(p)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var rec struct{ Body string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			b.Fatal(err)
		}
		out = append(out, rec.Body)
	}
	return out
}

func BenchmarkFingerprint(b *testing.B) {
	bodies := corpusBodies(b)
	h := NewHasher(DefaultConfig())
	var n int64
	for _, s := range bodies {
		n += int64(len(s))
	}
	b.SetBytes(n / int64(len(bodies)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.Fingerprint(bodies[i%len(bodies)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

func BenchmarkIndexCheck(b *testing.B) {
	bodies := corpusBodies(b)
	h := NewHasher(DefaultConfig())
	ix := NewIndex(h)
	// Probes are the articles without their last paragraph: no exact
	// match, so every Check walks the band keys and compares signatures.
	fps := make([]detente.Fingerprint, len(bodies))
	for i, s := range bodies {
		ix.Add(strconv.Itoa(i), h.Fingerprint(s))
		if k := strings.LastIndexByte(s, '\n'); k > 0 {
			s = s[:k]
		}
		fps[i] = h.Fingerprint(s)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ix.Check("probe", fps[i%len(fps)])
	}
}

// Every AllSides article's signature is the reference loop's.
func TestCorpusSignaturesAgreeWithReference(t *testing.T) {
	if testing.Short() {
		t.Skip("seconds; skipped with -short")
	}
	h := NewHasher(DefaultConfig())
	for i, body := range corpusBodies(t) {
		if got, want := h.Fingerprint(body).Signature, fingerprintRef(h, body); !slices.Equal(got, want) {
			t.Fatalf("article %d: signature differs from the reference", i)
		}
	}
}
