package dedup

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/detente/detente"
)

// wire is a made-up wire story long enough for near matching.
const wire = `GENEVA (Reuters) - Delegations from the two governments met on Tuesday for a third round of talks on the disputed border, officials said, after weeks of sporadic shelling that has displaced thousands of villagers.
The foreign ministers agreed to set up a joint commission to mark the frontier and to exchange prisoners held since the spring, according to a statement read out by the mediator.
"We have taken a first step, but it is a small one," the mediator told reporters outside the conference hall, adding that the next round would take place in the capital next month.
Both sides accused each other of violating a ceasefire agreed in March, and local residents said artillery fire could still be heard near the river crossing on Monday night.
Aid agencies have warned that more than forty thousand people need shelter before winter, and that roads to the mountain villages remain closed by landmines and flooding.
The talks are backed by the regional security organisation, which has offered to send observers once a ceasefire holds for thirty days.
Reporting by Anna Berg; Editing by Paul Weir`

// sameTopic is another article on the same talks, written independently.
const sameTopic = `The border negotiations resumed in Geneva this week with little expectation of a breakthrough. Diplomats from both capitals arrived separately and spoke only briefly to the press.
Analysts say the dispute over the river valley has festered for decades, and that neither government can afford to appear weak before elections next year.
Villagers displaced by the recent shelling told our correspondent they had little faith in the talks and wanted to return home before the snow.
A joint commission on the frontier was discussed, officials said, but details were scarce and no date was set for a prisoner exchange.
The regional security organisation repeated its offer of observers, while aid groups appealed for funds to shelter families through the winter.`

func TestExactCopiesIgnoreCaseWhitespaceAndPunctuation(t *testing.T) {
	h := NewHasher(DefaultConfig())
	base := h.Fingerprint("Hello, world! The talks resumed on Tuesday.")
	for _, body := range []string{
		"hello world the talks resumed on tuesday",
		"  HELLO —  world\n\nThe talks (resumed) on Tuesday…",
		"Hello, world!\tThe talks resumed on \"Tuesday\".",
	} {
		if got := h.Fingerprint(body).Exact; got != base.Exact {
			t.Errorf("Fingerprint(%q).Exact = %s, want %s", body, got, base.Exact)
		}
	}
	if h.Fingerprint("Hello, world! The talks resumed on Wednesday.").Exact == base.Exact {
		t.Error("a changed word did not change the exact hash")
	}
}

func TestWordsSplitOnUnicodeLettersAndDigitsAndLowercase(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Hello, World!", "hello world"},
		{"Covid-19 cases rose 3.5%", "covid 19 cases rose 3 5"},
		{"ÉLYSÉE Palace; Müller's", "élysée palace müller s"},
		{"Москва и Пекин", "москва и пекин"},
		{"", ""},
	} {
		if got := strings.Join(Words(tc.in), " "); got != tc.want {
			t.Errorf("Words(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestExactHashIsSHA256OfTheWordsJoinedBySpaces(t *testing.T) {
	h := NewHasher(DefaultConfig())
	for _, body := range []string{"Ünïcode TEXT, with Москва!", "a b", wire} {
		s := &scratch{}
		s.scan(body)
		if got, want := string(s.norm), strings.Join(Words(body), " "); got != want {
			t.Errorf("normalized %q = %q, want %q", body, got, want)
		}
		if len(h.Fingerprint(body).Exact) != 64 {
			t.Errorf("Exact of %q is not 64 hex digits", body)
		}
	}
}

func TestShortBodiesGetNoSignature(t *testing.T) {
	h := NewHasher(DefaultConfig())
	fp := h.Fingerprint("Only four words here.")
	if fp.Exact == "" || fp.Signature != nil || fp.Bands != nil {
		t.Errorf("short body fingerprint = %+v, want exact hash only", fp)
	}
}

func TestSignaturesAreDeterministic(t *testing.T) {
	// Stored signatures depend on these values: if this test fails the
	// hashing changed and every stored fingerprint is stale.
	h := NewHasher(DefaultConfig())
	fp := h.Fingerprint("The quick brown fox jumps over the lazy dog near the river bank.")
	got := fmt.Sprintf("%s %d %d %d %x %x", fp.Exact[:16], fp.Signature[0], fp.Signature[1], fp.Signature[127], fp.Bands[0], fp.Bands[41])
	const want = "82f791bea315c971 267099152 283698702 42009655 94dc400e433d263d e80ba46243635def"
	if got != want {
		t.Errorf("golden fingerprint = %q, want %q", got, want)
	}
	if again := NewHasher(DefaultConfig()).Fingerprint("The quick brown fox jumps over the lazy dog near the river bank."); Similarity(again.Signature, fp.Signature) != 1 {
		t.Error("two hashers gave different signatures")
	}
}

func TestBandKeysDifferBetweenBandsWithEqualRows(t *testing.T) {
	h := NewHasher(Config{Hashes: 8, Bands: 4, Threshold: 0.5})
	keys := h.Bands(make([]uint32, 8)) // every band has the same rows
	seen := map[uint64]bool{}
	for _, k := range keys {
		if seen[k] {
			t.Fatalf("band keys %x collide across bands", keys)
		}
		seen[k] = true
	}
}

func TestNearCopiesAreFoundAndUnrelatedArticlesAreNot(t *testing.T) {
	h := NewHasher(DefaultConfig())
	paras := strings.Split(wire, "\n")
	for _, tc := range []struct {
		name string
		body string
		near bool
	}{
		{"a copy with another dateline and a trimmed tail is near",
			"(AP) " + strings.Join(paras[:len(paras)-2], "\n"), true},
		{"a copy with an inserted caption is near",
			strings.Join(paras[:2], "\n") + "\nDelegates arrive at the conference hall in Geneva. REUTERS/Staff\n" + strings.Join(paras[2:], "\n"), true},
		{"a copy trimmed to its first half is near by containment",
			strings.Join(paras[:3], "\n"), true},
		{"an article on the same talks written independently is not near", sameTopic, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, j := h.IsNear(h.Fingerprint(wire).Signature, h.Fingerprint(tc.body).Signature)
			if ok != tc.near {
				t.Errorf("IsNear = %v (similarity %.2f), want %v", ok, j, tc.near)
			}
		})
	}
}

func TestSimilarityOfDifferentLengthsOrEmptyIsZero(t *testing.T) {
	for _, tc := range []struct {
		a, b []uint32
		want float64
	}{
		{nil, nil, 0},
		{[]uint32{1, 2}, []uint32{1}, 0},
		{[]uint32{1, 2, 3, 4}, []uint32{1, 2, 0, 0}, 0.5},
		{[]uint32{7}, []uint32{7}, 1},
	} {
		if got := Similarity(tc.a, tc.b); got != tc.want {
			t.Errorf("Similarity(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestCardinalityEstimatesTheNumberOfShingles(t *testing.T) {
	h := NewHasher(DefaultConfig())
	var b strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&b, "w%d ", i)
	}
	n := Cardinality(h.Fingerprint(b.String()).Signature) // 996 shingles
	if n < 700 || n > 1300 {
		t.Errorf("Cardinality = %.0f, want about 996", n)
	}
}

func TestTuneBandsPutsTheSCurveWellBelowTheThreshold(t *testing.T) {
	if b := TuneBands(128, 0.5); b != 42 {
		t.Errorf("TuneBands(128, 0.5) = %d, want 42", b)
	}
	if p := CandidateProbability(0.5, 42, 3); p < 0.99 {
		t.Errorf("candidate probability at 0.5 = %.3f, want ≥ 0.99", p)
	}
	if h := NewHasher(Config{Threshold: 0.8}); SCurveThreshold(h.Config().Bands, h.Rows()) > 0.48 {
		t.Errorf("tuned banding for 0.8 has S-curve threshold %.2f", SCurveThreshold(h.Config().Bands, h.Rows()))
	}
}

func TestIndex(t *testing.T) {
	h := NewHasher(DefaultConfig())
	ix := NewIndex(h)
	orig, other := h.Fingerprint(wire), h.Fingerprint(sameTopic)
	paras := strings.Split(wire, "\n")
	near := h.Fingerprint(strings.Join(paras[:len(paras)-1], "\n"))
	exact := h.Fingerprint(strings.ToUpper(wire))

	if d := ix.Check("a", orig); d != nil {
		t.Fatalf("empty index found %+v", d)
	}
	ix.Add("a", orig)
	ix.Add("b", other)
	for _, tc := range []struct {
		name, id string
		fp       detente.Fingerprint
		of, kind string
	}{
		{"an exact copy matches exactly", "c", exact, "a", detente.CopyExact},
		{"a near copy matches its original", "d", near, "a", detente.CopyNear},
		{"an article does not match itself", "a", orig, "", ""},
		{"an unrelated article matches nothing", "e", h.Fingerprint("Completely different words about football and the weather in the north of the country this weekend."), "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := ix.Check(tc.id, tc.fp)
			switch {
			case tc.of == "" && d != nil:
				t.Errorf("Check = %+v, want nil", d)
			case tc.of != "" && (d == nil || d.Of != tc.of || d.Kind != tc.kind):
				t.Errorf("Check = %+v, want %s copy of %s", d, tc.kind, tc.of)
			}
		})
	}
	if d := ix.Check("d", near); d != nil && d.Similarity >= 1 {
		t.Errorf("near copy similarity = %v, want < 1", d.Similarity)
	}
	if ix.Len() != 2 {
		t.Errorf("Len = %d after two Adds and four Checks, want 2", ix.Len())
	}
}

func TestBestPicksTheMostSimilarAcceptedCandidate(t *testing.T) {
	h := NewHasher(DefaultConfig())
	paras := strings.Split(wire, "\n")
	fp := h.Fingerprint(wire)
	cands := []detente.Candidate{
		{ArticleID: "topic", Signature: h.Fingerprint(sameTopic).Signature},
		{ArticleID: "trimmed", Signature: h.Fingerprint(strings.Join(paras[:4], "\n")).Signature},
		{ArticleID: "close", Signature: h.Fingerprint(strings.Join(paras[:6], "\n")).Signature},
	}
	if d := h.Best(fp.Signature, cands); d == nil || d.Of != "close" || d.Kind != detente.CopyNear {
		t.Errorf("Best = %+v, want near copy of close", d)
	}
	if d := h.Best(fp.Signature, cands[:1]); d != nil {
		t.Errorf("Best over an unrelated candidate = %+v, want nil", d)
	}
}

// fingerprintRef is the MinHash signature as first written: every shingle
// through every hash function, the top 32 bits compared, the least kept.
func fingerprintRef(h *Hasher, body string) []uint32 {
	words := Words(body)
	k, n := h.c.Shingle, h.c.Hashes
	if len(words) < k {
		return nil
	}
	hs := make([]uint64, len(words))
	for i, w := range words {
		var x uint64 = fnvOffset
		for j := 0; j < len(w); j++ {
			x = (x ^ uint64(w[j])) * fnvPrime
		}
		hs[i] = x
	}
	sig := make([]uint32, n)
	for i := range sig {
		sig[i] = math.MaxUint32
	}
	for i := 0; i+k <= len(hs); i++ {
		x := shingle(hs, i, k)
		for j := range sig {
			if v := uint32((h.a[j]*x + h.b[j]) >> 32); v < sig[j] {
				sig[j] = v
			}
		}
	}
	return sig
}

func TestSignatureAgreesWithReference(t *testing.T) {
	if useAVX512 {
		// The generic path too, where the AVX-512 one would run.
		t.Cleanup(func() { useAVX512 = true })
		useAVX512 = false
		t.Run("generic", testSignatureAgreesWithReference)
		useAVX512 = true
	}
	testSignatureAgreesWithReference(t)
}

func testSignatureAgreesWithReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	vocab := strings.Fields("the talks between china and south korea resumed on tuesday après the summit Über 2017 ministers said")
	for _, c := range []Config{DefaultConfig(), {Shingle: 3, Hashes: 100, Threshold: 0.5}, {Shingle: 5, Hashes: 200, Threshold: 0.5}} {
		h := NewHasher(c)
		for n := 0; n < 300; n++ {
			var b strings.Builder
			for w := rng.IntN(80); w >= 0; w-- {
				b.WriteString(vocab[rng.IntN(len(vocab))])
				b.WriteByte(" \n,."[rng.IntN(4)])
			}
			body := b.String()
			if got, want := h.Fingerprint(body).Signature, fingerprintRef(h, body); !slices.Equal(got, want) {
				t.Fatalf("hashes %d, signature of %q:\n got %v\nwant %v", c.Hashes, body, got, want)
			}
		}
	}
}

// minHashes agrees with the one-function-at-a-time loop on random
// constants and shingle lists of every length up to 40 (the AVX-512 path
// where the CPU has it, and the rest past the last 64 functions).
func TestMinHashesAgreeWithGeneric(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{64, 128, 130, 200} {
		a, b := make([]uint64, n), make([]uint64, n)
		for j := range a {
			a[j], b[j] = rng.Uint64()|1, rng.Uint64()
		}
		for m := 1; m <= 40; m++ {
			xs := make([]uint64, m)
			for i := range xs {
				xs[i] = rng.Uint64()
			}
			if m == 7 {
				xs[3] = 0 // a*0+b: the constant alone
			}
			got, want := make([]uint32, n), make([]uint32, n)
			minHashes(got, xs, a, b)
			minHashesGeneric(want, xs, a, b)
			if !slices.Equal(got, want) {
				t.Fatalf("%d functions, %d shingles: got %v, want %v", n, m, got, want)
			}
		}
	}
}
