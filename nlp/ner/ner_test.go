package ner

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/detente/detente/internal/lowercase"
)

func TestReadCoNLLReadsIOB1AndIOB2AndMapsTypes(t *testing.T) {
	tests := []struct {
		name, in string
		want     [][]string
	}{
		{"wikigold IOB1 with space separators",
			"-DOCSTART- O\n\nThe I-ORG\nMad I-ORG\nCapsule I-ORG\nplayed O\nin O\nTokyo I-LOC\nJapan B-LOC\n\n",
			[][]string{{"B-ORG", "I-ORG", "I-ORG", "O", "O", "B-GPE", "B-GPE"}}},
		{"CrossNER IOB2 with tabs and fine-grained types",
			"Prime\tO\nMinister\tO\nBoris\tB-politician\nJohnson\tI-politician\nled\tO\nthe\tO\nConservative\tB-politicalparty\nParty\tI-politicalparty\n\nThe\tO\n2019\tB-election\nelection\tI-election\n",
			[][]string{{"O", "O", "B-PERSON", "I-PERSON", "O", "O", "B-ORG", "I-ORG"}, {"O", "B-EVENT", "I-EVENT"}}},
		{"unknown types become O",
			"Physics B-discipline\nrocks O\n",
			[][]string{{"O", "O"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadCoNLL(strings.NewReader(tc.in), "test", nil)
			if err != nil {
				t.Fatal(err)
			}
			var labels [][]string
			for _, s := range got {
				labels = append(labels, s.Labels)
			}
			if !reflect.DeepEqual(labels, tc.want) {
				t.Errorf("labels = %v, want %v", labels, tc.want)
			}
		})
	}
}

// A hand-written GUM-style sentence: "critics of U.S. President Donald
// Trump's policies in the Daughters Hall, said Kamen."
const gumFixture = `# newdoc id = GUM_news_fixture
# sent_id = GUM_news_fixture-1
# text = critics of U.S. President Donald Trump's policies
1	critics	critic	NOUN	NNS	_	0	root	_	Entity=(1-person-new-sssss-cf1-1-sgl
2	of	of	ADP	IN	_	8	case	_	_
3	U.S.	U.S.	PROPN	NNP	_	6	compound	_	Entity=(2-person-new-ssnsn-cf5-1,2,3,4-coref-Donald_Trump(3-place-giv:act-snsns-cf2-1-coref-United_States)
4	President	President	PROPN	NNP	_	6	compound	_	_
5	Donald	Donald	PROPN	NNP	_	6	flat	_	_
6	Trump	Trump	PROPN	NNP	_	8	nmod:poss	_	_
7	's	's	PART	POS	_	6	case	_	Entity=2)
8	policies	policy	NOUN	NNS	_	1	nmod	_	Entity=1)
9	in	in	ADP	IN	_	11	case	_	_
10	the	the	DET	DT	_	11	det	_	Entity=(4-place-new-sssss-cf1-2-sgl-Daughters_Hall
11	Daughters	Daughters	PROPN	NNP	_	8	nmod	_	_
12	Hall	Hall	PROPN	NNP	_	11	flat	_	Entity=4)
13	,	,	PUNCT	,	_	14	punct	_	_
14	said	say	VERB	VBD	_	1	parataxis	_	_
15	Kamen	Kamen	PROPN	NNP	_	14	nsubj	_	Entity=(5-person-new-sssss-cf1-1-sgl)
16	.	.	PUNCT	.	_	14	punct	_	_
`

func TestReadGUMFindsNestedMentionsAndTrimsThemToNames(t *testing.T) {
	sents, err := ReadGUM(strings.NewReader(gumFixture))
	if err != nil {
		t.Fatal(err)
	}
	if len(sents) != 1 || sents[0].Doc != "GUM_news_fixture" || len(sents[0].Tokens) != 16 {
		t.Fatalf("read %+v", sents)
	}
	if n := len(sents[0].Mentions); n != 5 {
		t.Errorf("%d mentions, want 5: %+v", n, sents[0].Mentions)
	}
	tests := []struct {
		name       string
		linkedOnly bool
		want       []Span
	}{
		{"linked names drop titles, determiners and the possessive", true, []Span{
			{Start: 2, End: 3, Type: TypePlace}, {Start: 4, End: 6, Type: TypePerson}, {Start: 10, End: 12, Type: TypePlace}}},
		{"all proper-noun mentions add the unlinked Kamen", false, []Span{
			{Start: 2, End: 3, Type: TypePlace}, {Start: 4, End: 6, Type: TypePerson}, {Start: 10, End: 12, Type: TypePlace}, {Start: 14, End: 15, Type: TypePerson}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := sents[0].NameSpans(tc.linkedOnly); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("NameSpans = %+v, want %+v", got, tc.want)
			}
		})
	}
}

const meantimeFixture = `<?xml version="1.0" ?><Document doc_id="1" doc_name="fixture" lang="en">
<token number="0" sentence="0" t_id="1">Airbus</token>
<token number="1" sentence="0" t_id="2">beat</token>
<token number="2" sentence="0" t_id="3">Boeing</token>
<token number="3" sentence="1" t_id="4">The</token>
<token number="4" sentence="1" t_id="5">company</token>
<token number="5" sentence="1" t_id="6">is</token>
<token number="6" sentence="1" t_id="7">in</token>
<token number="7" sentence="1" t_id="8">New</token>
<token number="8" sentence="1" t_id="9">York</token>
<Markables>
<ENTITY_MENTION m_id="10" syntactic_type="NAM"><token_anchor t_id="1"/></ENTITY_MENTION>
<ENTITY_MENTION m_id="11" syntactic_type="NAM"><token_anchor t_id="3"/></ENTITY_MENTION>
<ENTITY_MENTION m_id="12" syntactic_type="NOM"><token_anchor t_id="4"/><token_anchor t_id="5"/></ENTITY_MENTION>
<ENTITY_MENTION m_id="13" syntactic_type="NAM"><token_anchor t_id="8"/><token_anchor t_id="9"/></ENTITY_MENTION>
<ENTITY m_id="20" ent_type="ORG"/>
<ENTITY m_id="21" ent_type="ORG"/>
<ENTITY m_id="22" ent_type="LOC"/>
</Markables>
<Relations>
<REFERS_TO r_id="1"><source m_id="10"/><source m_id="12"/><target m_id="20"/></REFERS_TO>
<REFERS_TO r_id="2"><source m_id="11"/><target m_id="21"/></REFERS_TO>
<REFERS_TO r_id="3"><source m_id="13"/><target m_id="22"/></REFERS_TO>
</Relations>
</Document>`

func TestReadMEANTIMELabelsProperNameMentionsByTheirEntityType(t *testing.T) {
	got, err := ReadMEANTIME(strings.NewReader(meantimeFixture))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"B-ORG", "O", "B-ORG"}, {"O", "O", "O", "O", "B-GPE", "I-GPE"}}
	if len(got) != 2 || !reflect.DeepEqual(got[0].Labels, want[0]) || !reflect.DeepEqual(got[1].Labels, want[1]) {
		t.Errorf("got %+v, want labels %v", got, want)
	}
}

func TestSpansFromLabelsReadsBIOAndStrayInsideLabels(t *testing.T) {
	tests := []struct {
		name   string
		labels []string
		want   []Span
	}{
		{"B then I is one span", []string{"B-ORG", "I-ORG", "O"}, []Span{{0, 2, "ORG"}}},
		{"two Bs are two spans", []string{"B-ORG", "B-ORG"}, []Span{{0, 1, "ORG"}, {1, 2, "ORG"}}},
		{"a stray I opens a span", []string{"O", "I-PERSON", "I-PERSON"}, []Span{{1, 3, "PERSON"}}},
		{"a type change opens a span", []string{"B-ORG", "I-GPE"}, []Span{{0, 1, "ORG"}, {1, 2, "GPE"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := SpansFromLabels(tc.labels); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// synthetic makes a small regular language: "<First> <Last> visited
// <City> with <Org> Corp ." so a model must learn capitalized context.
func synthetic(n int) []Sentence {
	firsts := []string{"Anna", "Boris", "Chen", "Dara", "Emil", "Fatima", "Goran", "Hana"}
	lasts := []string{"Smith", "Ivanov", "Wei", "Okafor", "Berg", "Khan", "Novak", "Sato"}
	cities := []string{"Paris", "Lagos", "Lima", "Oslo", "Quito", "Hanoi", "Riga", "Accra"}
	orgs := []string{"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Tyrell", "Cyberdyne"}
	verbs := []string{"visited", "left", "toured", "praised"}
	var out []Sentence
	for i := 0; i < n; i++ {
		toks := []string{firsts[i%8], lasts[(i/8)%8], verbs[i%4], cities[(i*3)%8], "with", orgs[(i*5)%8], "Corp", "."}
		labels := []string{"B-PERSON", "I-PERSON", "O", "B-GPE", "O", "B-ORG", "I-ORG", "O"}
		out = append(out, Sentence{Tokens: toks, Labels: labels})
	}
	return out
}

func TestTrainLearnsASyntheticLanguage(t *testing.T) {
	m := Train(synthetic(200), TrainOptions{Bits: 14, Epochs: 5})
	// Unseen combination of seen words.
	toks := strings.Fields("Hana Wei praised Oslo with Stark Corp .")
	want := []string{"B-PERSON", "I-PERSON", "O", "B-GPE", "O", "B-ORG", "I-ORG", "O"}
	if got := m.Tag(toks); !reflect.DeepEqual(got, want) {
		t.Errorf("Tag = %v, want %v", got, want)
	}
	spans := m.Spans(toks)
	wantSpans := []Span{{0, 2, TypePerson}, {3, 4, TypePlace}, {5, 7, TypeOrg}}
	if !reflect.DeepEqual(spans, wantSpans) {
		t.Errorf("Spans = %v, want %v", spans, wantSpans)
	}
}

func TestTrainingTwiceWritesIdenticalBytesThatLoadBack(t *testing.T) {
	var a, b bytes.Buffer
	if _, err := Train(synthetic(100), TrainOptions{Bits: 12}).WriteTo(&a); err != nil {
		t.Fatal(err)
	}
	if _, err := Train(synthetic(100), TrainOptions{Bits: 12}).WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two trainings on the same data wrote different models")
	}
	m, err := Load(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	toks := strings.Fields("Anna Smith visited Paris with Acme Corp .")
	if got := m.Tag(toks); got[0] != "B-PERSON" || got[3] != "B-GPE" {
		t.Errorf("loaded model tags %v", got)
	}
}

func TestLoadRejectsWhatIsNotAModel(t *testing.T) {
	if _, err := Load(strings.NewReader("not gzip")); err == nil {
		t.Error("Load accepted garbage")
	}
}

type capsGazetteer struct{}

func (capsGazetteer) Features(tokens []string) [][]string {
	out := make([][]string, len(tokens))
	for i, t := range tokens {
		if t == "Zork" {
			out[i] = []string{"kb:GPE"}
		}
	}
	return out
}

func TestAGazetteerFeatureIsLearnedAndUsedAtTaggingTime(t *testing.T) {
	var data []Sentence
	for i := 0; i < 50; i++ {
		data = append(data,
			Sentence{Tokens: []string{"They", "went", "to", "Zork", "."}, Labels: []string{"O", "O", "O", "B-GPE", "O"}},
			Sentence{Tokens: []string{"They", "went", "to", "Bob", "."}, Labels: []string{"O", "O", "O", "B-PERSON", "O"}})
	}
	m := Train(data, TrainOptions{Bits: 12, Gazetteer: capsGazetteer{}})
	if got := m.Tag([]string{"They", "went", "to", "Zork", "."}); got[3] != "B-GPE" {
		t.Errorf("Tag = %v, want Zork as GPE", got)
	}
}

func TestTheShippedModelLoadsAndTagsNews(t *testing.T) {
	m := Default()
	toks := strings.Fields("Chinese President Xi Jinping met South Korean President Moon Jae-in in Beijing on Tuesday , the Foreign Ministry said .")
	got := map[string]string{}
	for _, s := range m.Spans(toks) {
		got[strings.Join(toks[s.Start:s.End], " ")] = s.Type
	}
	for name, typ := range map[string]string{"Xi Jinping": TypePerson, "Moon Jae-in": TypePerson, "Beijing": TypePlace} {
		if got[name] != typ {
			t.Errorf("%q tagged %q, want %q (all: %v)", name, got[name], typ, got)
		}
	}
	if len(m.Tag(nil)) != 0 || len(m.Spans(nil)) != 0 {
		t.Error("an empty sentence should have no labels")
	}
}

func BenchmarkTag(b *testing.B) {
	m := Default()
	sents := [][]string{
		strings.Fields("Chinese President Xi Jinping met South Korean President Moon Jae-in in Beijing on Tuesday , the Foreign Ministry said ."),
		strings.Fields("The deployment of the Terminal High Altitude Area Defense system in Seongju has angered China ."),
		strings.Fields("Officials in Washington said the talks would continue next week ."),
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Spans(sents[i%len(sents)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}

func ExampleModel_Spans() {
	toks := strings.Fields("Angela Merkel spoke in Paris .")
	for _, s := range Default().Spans(toks) {
		fmt.Println(strings.Join(toks[s.Start:s.End], " "), s.Type)
	}
	// Output:
	// Angela Merkel PERSON
	// Paris GPE
}

func TestBILOULabelsEncodeNamesByTheirEdgesAndDecodeToBIO(t *testing.T) {
	ls := newLabelSet(labelNames([]string{TypePerson, TypeOrg, TypePlace}, true))
	in := []string{"B-PERSON", "I-PERSON", "O", "B-GPE", "I-ORG", "I-ORG", "B-NOPE"}
	var got []string
	for _, l := range ls.encode(in, len(in)) {
		got = append(got, ls.names[l])
	}
	want := []string{"B-PERSON", "L-PERSON", "O", "U-GPE", "B-ORG", "L-ORG", "O"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("encode = %v, want %v", got, want)
	}
	idx := func(n string) int { return slices.Index(ls.names, n) }
	if ls.allowed(idx("B-PERSON"), idx("O")) || ls.allowed(idx("O"), idx("L-ORG")) || !ls.allowed(idx("U-GPE"), idx("B-ORG")) || ls.canEnd(idx("I-ORG")) {
		t.Error("BILOU constraints: a name left open or closed without opening")
	}
	m := Train(synthetic(200), TrainOptions{Bits: 14, Epochs: 5, BILOU: true})
	toks := strings.Fields("Hana Wei praised Oslo with Stark Corp .")
	if got, want := m.Tag(toks), []string{"B-PERSON", "I-PERSON", "O", "B-GPE", "O", "B-ORG", "I-ORG", "O"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Tag = %v, want %v (BIO, whatever the model's labels)", got, want)
	}
}

func TestAveragingSeveralRunsIsStillDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	Train(synthetic(100), TrainOptions{Bits: 12, Runs: 3}).WriteTo(&a)
	Train(synthetic(100), TrainOptions{Bits: 12, Runs: 3}).WriteTo(&b)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two trainings of three runs each wrote different models")
	}
	var one bytes.Buffer
	Train(synthetic(100), TrainOptions{Bits: 12}).WriteTo(&one)
	if bytes.Equal(a.Bytes(), one.Bytes()) {
		t.Error("three runs gave the model of one")
	}
}

func TestCapitalizationOfIsCapitalizationOfTheLowerCaseWord(t *testing.T) {
	words := []string{"Former", "former", "EVIL", "Neighbouring", "Washington", "the", "The", "Ärzte", "İstanbul",
		"ΣΟΦΙΑ", "Xqzvvtt", "", "\xff", strings.Repeat("Long", 40)}
	known := 0
	for _, w := range words {
		got, want := CapitalizationOf(w), Capitalization(strings.ToLower(w))
		if got != want {
			t.Errorf("CapitalizationOf(%q) = %d, want %d", w, got, want)
		}
		if got > 0 {
			known++
		}
	}
	if known < 3 {
		t.Errorf("only %d of the words are in the table: the test compares little", known)
	}
}

// infoFast hashes every token as info does: plain ASCII on its own road,
// the rest through info; and a token's lower hash is the hash of
// lowercase.Append's bytes, which the capitalization look-up relies on.
func TestInfoFastIsInfo(t *testing.T) {
	toks := []string{"", "a", "A", "ab", "Ab", "AB", "a.", "U.S.", "US-led", "9", "1990s", "10th", "'s", "n't", "--", "...",
		"Xi", "Jinping", "ERDOĞAN", "Erdoğan", "café", "\xff", "a\xffb", "\t", " ", "O'Brien", "e-mail", "3.5", "$", "#1", "Hello!"}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		b := make([]byte, rng.IntN(9))
		for i := range b {
			b[i] = byte(rng.IntN(128))
		}
		toks = append(toks, string(b))
	}
	if !testing.Short() {
		for _, s := range sampleSentences(t) {
			toks = append(toks, s...)
		}
	}
	for _, tok := range toks {
		for _, first := range []bool{false, true} {
			got, want := infoFast(tok, first), info(tok, first)
			if got != want {
				t.Fatalf("infoFast(%q, %v) = %+v, info %+v", tok, first, got, want)
			}
			// The capitalization table is looked up by this hash.
			if low := lowercase.Append(nil, tok); want.lower != hashString(string(low)) {
				t.Fatalf("%q: lower hash %x, hash of %q %x", tok, want.lower, low, hashString(string(low)))
			}
		}
	}
}
