package coder

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/coder/dict"
	"github.com/detente/detente/nlp"
)

// fixture is a small dictionary in detente's format, written for these tests.
const fixture = `
synset TALKS = talks | negotiations
class ATTACK
verb 190 attack
verb 190 shell (shells shelled shelling)
class MEET
verb 040 meet (meets met meeting)
class HOLD
verb --- hold (holds held holding)
046:046   %both * &TALKS
046       * &TALKS (with +target)
class CONDEMN
verb 122 condemn
class PROMISE
verb 030 promise
0331      * (to +target) aid
class VISIT
verb 042:043 visit
class ACCUSE
verb 112 accuse
1121      * +target (of crimes)
class PARTICIPATE
verb 060 participate
062       * (in exercises)
class STAGE
verb --- stage
--- * mock attack
class OFFER
verb 030 offer
class NEGOTIATE
verb 046 negotiate
class SAY
verb 010 say (says said saying)
class BACK
verb 051 back
class BURN
verb 180 burn
class WARN
verb 160 warn
162       * at ^np +target
1621      * plans ^np +target
class OPPOSE
verb 111 oppose (opposes opposed opposing)
1112      said *
class DELAY
verb 191 delay (delays delayed delaying)
191       %both have *
class ANNOUNCE
verb 010 announce (announces announced announcing)
class SUSPEND
verb --- suspend (suspends suspended suspending)
161       * flights
class DEMAND
verb 100 demand (demands demanded demanding)
discard word: football
discard: 1988
discard: world war two
`

func fixtureCoder(t testing.TB) *Coder {
	t.Helper()
	d, errs := dict.Read(strings.NewReader(fixture), "fixture.txt")
	if len(errs) > 0 {
		t.Fatalf("fixture: %v", errs)
	}
	return New(d)
}

type want struct{ src, tgt, code, mode string }

func TestCodeSentenceFindsWhoDidWhatToWhom(t *testing.T) {
	an, _ := builtin(t)
	c := fixtureCoder(t)
	cases := []struct {
		name, text string
		want       []want
	}{
		{"a plain transitive verb codes subject against object",
			"France condemned Germany on Monday.", []want{{"FRA", "DEU", "122", ""}}},
		{"the passive voice takes the by-actor as source",
			"Germany was attacked by France.", []want{{"FRA", "DEU", "190", ""}}},
		{"a passive without a by-actor has no source: its subject is the target",
			"Germany was attacked yesterday.", []want{{"", "DEU", "190", ""}}},
		{"a compound subject codes each member",
			"France and Italy condemned Germany.", []want{{"FRA", "DEU", "122", ""}, {"ITA", "DEU", "122", ""}}},
		{"a compound with %both codes each member on the other",
			"France and Italy held talks in Rome.", []want{{"FRA", "ITA", "046", ""}, {"ITA", "FRA", "046", ""}}},
		{"a pattern with a target slot in a prepositional phrase",
			"France held talks with Italy.", []want{{"FRA", "ITA", "046", ""}}},
		{"a reverse code adds the hosting event",
			"France visited Italy.", []want{{"FRA", "ITA", "042", ""}, {"ITA", "FRA", "043", ""}}},
		{"will meet is an intent to meet with future mode",
			"France will meet Italy next week.", []want{{"FRA", "ITA", "036", "future"}}},
		{"will not participate is a rejection of military cooperation",
			"France will not participate in exercises with Italy.", []want{{"FRA", "ITA", "1212", "future"}}},
		{"a negated attack is no event",
			"France did not attack Italy.", nil},
		{"could attack is marked hypothetical, not coded as done",
			"France could attack Italy.", []want{{"FRA", "ITA", "190", "hypothetical"}}},
		{"threatened to attack is a threat",
			"France threatened to attack Italy.", []want{{"FRA", "ITA", "138", "intend"}}},
		{"a relative clause does not lend its actor as subject",
			"France, which borders Spain, condemned Italy.", []want{{"FRA", "ITA", "122", ""}}},
		{"reported speech: the embedded clause has its own subject",
			"Spain said France condemned Italy.", []want{{"FRA", "ITA", "122", ""}}},
		{"a coordinated verb phrase shares the subject",
			"France met Italy and condemned Germany.", []want{{"FRA", "ITA", "040", ""}, {"FRA", "DEU", "122", ""}}},
		{"a blocking pattern stops coding",
			"France staged a mock attack near Italy.", nil},
		{"a discarded sentence codes nothing",
			"France condemned Italy after the football match.", nil},
		{"a noun after a determiner is not coded as the verb",
			"France condemned the attack on Italy.", []want{{"FRA", "ITA", "122", ""}}},
		{"a modality verb lets its infinitive carry the event",
			"France offered to negotiate with Italy.", []want{{"FRA", "ITA", "036", "intend"}}},
		{"threatened to with a word between still reads the cue",
			"France threatened today to attack Italy.", []want{{"FRA", "ITA", "138", "intend"}}},
		{"a statement whose clause says what an actor must do is a demand on it",
			"France said Italy must negotiate.", []want{{"FRA", "ITA", "100", ""}}},
		{"a word mostly used as an adverb needs verb evidence",
			"France is back on a normal track with Italy.", nil},
		{"a subordinate clause with its own subject does not borrow the main one",
			"France condemned Italy after crowds burned a flag.", []want{{"FRA", "ITA", "122", ""}}},
		{"a compound pattern with a one-way code acts on the target after the verb",
			"France and Italy have delayed their visit to Spain.", []want{{"FRA", "ESP", "191", ""}, {"ITA", "ESP", "191", ""}}},
		{"a compound pattern with a one-way code and no target is symmetric",
			"France and Italy have delayed it.", []want{{"FRA", "ITA", "191", ""}, {"ITA", "FRA", "191", ""}}},
		{"a skipped noun phrase never starts with a preposition",
			"France warned of plans with Spain against Italy.", []want{{"FRA", "ITA", "1621", ""}}},
		{"a skipped noun phrase takes its determiner and its head together",
			"France warned at the Italy of Germany.", []want{{"FRA", "DEU", "162", ""}}},
		{"a year dates the verb before it, not the whole sentence",
			"France condemned Italy, which shelled Spain in 1988.", []want{{"FRA", "ITA", "122", ""}}},
		{"a year in a participle clause dates that clause, not the main verb",
			"France condemned Italy for crimes committed in 1988.", []want{{"FRA", "ITA", "122", ""}}},
		{"a discard after a temporal preposition dates a verb instead of skipping the sentence",
			"France condemned Italy for crimes committed during World War Two.", []want{{"FRA", "ITA", "122", ""}}},
		{"a modal conflictual act with an if-condition is a threat",
			"France may attack Italy if talks fail.", []want{{"FRA", "ITA", "138", "conditional"}}},
		{"is opposed to is the subject's stance, not a passive",
			"France is opposed to Italy.", []want{{"FRA", "ITA", "111", ""}}},
		{"a statement announcing an act noun codes the act",
			"France announced a suspension of flights to Italy.", []want{{"FRA", "ITA", "161", ""}}},
		{"a declaration demanding that an actor act is a demand on it",
			"France issued a declaration demanding that Italy negotiate.", []want{{"FRA", "ITA", "100", ""}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := c.CodeSentence(tc.text, "2020-01-15", an)
			var gs []want
			for _, e := range got {
				mode := ""
				if e.Mode == "future" || e.Mode == "intend" || e.Mode == "hypothetical" || e.Mode == "conditional" {
					mode = e.Mode
				}
				gs = append(gs, want{e.Source, e.Target, e.CAMEO, mode})
			}
			if len(gs) != len(tc.want) {
				t.Fatalf("got %v, want %v", gs, tc.want)
			}
			for _, w := range tc.want {
				found := false
				for _, g := range gs {
					if g == w {
						found = true
					}
				}
				if !found {
					t.Errorf("missing %v in %v", w, gs)
				}
			}
		})
	}
}

func TestEventsCarryExplanationsOffsetsAndIDs(t *testing.T) {
	an, _ := builtin(t)
	c := fixtureCoder(t)
	text := "France accused Italy of crimes."
	evs := c.CodeSentence(text, "2020-01-15", an)
	if len(evs) != 1 {
		t.Fatalf("got %d events", len(evs))
	}
	e := evs[0]
	m := e.Mentions[0]
	if e.CAMEO != "1121" || e.Date != "2020-01-15" || e.ID == "" {
		t.Errorf("event %+v", e)
	}
	if text[m.SourceSpan.Start:m.SourceSpan.End] != "France" || text[m.TargetSpan.Start:m.TargetSpan.End] != "Italy" || text[m.VerbSpan.Start:m.VerbSpan.End] != "accused" {
		t.Errorf("spans %+v", m)
	}
	if !strings.Contains(m.Explanation, "fixture.txt:") || !strings.Contains(m.Explanation, "of crimes") {
		t.Errorf("explanation %q", m.Explanation)
	}
	again := c.CodeSentence(text, "2020-01-15", an)
	if again[0].ID != e.ID {
		t.Error("event IDs are not stable")
	}
}

func TestMentionsOfOneEventMergeWithinAnArticle(t *testing.T) {
	an, _ := builtin(t)
	c := fixtureCoder(t)
	evs := c.CodeSentence("France condemned Italy. Paris also condemned Italy.", "2020-01-15", an)
	if len(evs) != 1 || evs[0].NumMentions != 2 || len(evs[0].Mentions) != 2 {
		t.Fatalf("got %+v", evs)
	}
}

func TestBuiltinDictionaryCodesCommonNewsSentences(t *testing.T) {
	an, c := builtin(t)
	cases := []struct {
		text, src, tgt, root string
	}{
		{"Russia condemned the United States on Monday.", "RUS", "USA", "11"},
		{"Israeli troops attacked Palestinian militants in Gaza.", "ISR", "PSE", "19"},
		{"Japan will provide aid to the Philippines.", "JPN", "PHL", "03"},
		{"Russia demanded that Ukraine withdraw its troops.", "RUS", "UKR", "10"},
		{"Serbia lifted a curfew in Montenegro.", "SRB", "MNE", "08"},
		{"Britain expelled two Russian diplomats.", "GBR", "RUS", "16"},
		// An ethnic group is coded in the country it lives in (SRBALB).
		{"Ethnic Albanians demonstrated in Serbia.", "SRBALB", "SRB", "14"},
		// An attribution clause names who reports, not the target.
		{"Czechia and China signed a trade agreement today, the official news agency said.", "CZE", "CHN", "03"},
		// A participle modifying the object is no clause of its own.
		{"Switzerland expelled two Russian diplomats based in Geneva.", "CHE", "RUS", "16"},
		// The source's own forces are not the target.
		{"Syria offered its troops to Lebanon.", "SYR", "LBN", "03"},
		// A threat is aimed at whoever must meet its condition.
		{"Iran threatened to launch a new offensive unless Iraq accepted its conditions.", "IRN", "IRQ", "13"},
		// A pronoun opening a reported clause is the reporter.
		{"Nigerian opposition leaders announced that they are willing to forgive the Ghanaian government.", "NGA", "GHA", "03"},
		// A sector word alone takes the one country its sentence names.
		{"Islamic fundamentalists demanded the resignation of the Algerian president.", "DZA", "DZA", "10"},
		// An intent cue may stand a few words before its "to".
		{"Japan agreed in principle on Saturday to provide aid to Romania.", "JPN", "ROU", "03"},
		// A statement announcing an act noun codes the act (CAMEO 16).
		{"Italy announced a suspension of air links with Serbia.", "ITA", "SRB", "16"},
		{"Pakistan, a key U.S. ally in the war against terrorism, has refused to deploy peacekeepers in Iraq.", "PAK", "IRQ", "12"},
		{"Kenya's vice-president declined to resign despite pressure from Britain.", "KEN", "GBR", "12"},
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			for _, e := range c.CodeSentence(tc.text, "2020-01-15", an) {
				if strings.HasPrefix(e.Source, tc.src) && strings.HasPrefix(e.Target, tc.tgt) && e.Root == tc.root {
					return
				}
			}
			t.Errorf("no %s→%s %s event: %v", tc.src, tc.tgt, tc.root, c.CodeSentence(tc.text, "2020-01-15", an))
		})
	}
}

func TestPlainModeFollowsPetrarchOneConventions(t *testing.T) {
	an, _ := builtin(t)
	c := fixtureCoder(t)
	c.Plain = true
	cases := []struct {
		name, text string
		want       []want
	}{
		{"a short closing comma clause is removed before coding",
			"France condemned Italy, a senior official said on Monday.", []want{{"FRA", "ITA", "122", ""}}},
		{"a closing clause longer than eight words is coded, with no target",
			"France condemned Italy, the newly elected and widely respected Spanish government said on Monday.",
			[]want{{"FRA", "ITA", "122", ""}, {"ESPGOV", "", "010", ""}}},
		{"a verb an earlier pattern word stands for is part of that pattern, not an event",
			"France said it opposed Italy.", []want{{"FRA", "ITA", "1112", ""}}},
		{"a verb without a target inside the main clause still yields to one with a target",
			"France condemned Italy after crowds burned a flag in Spain.", []want{{"FRA", "ITA", "122", ""}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var gs []want
			for _, e := range c.CodeSentence(tc.text, "2020-01-15", an) {
				gs = append(gs, want{e.Source, e.Target, e.CAMEO, ""})
			}
			if len(gs) != len(tc.want) {
				t.Fatalf("got %v, want %v", gs, tc.want)
			}
			for i, w := range tc.want {
				if gs[i] != w {
					t.Errorf("event %d: got %v, want %v", i, gs[i], w)
				}
			}
		})
	}
}

func TestAnEventIsNeverDatedWithATimexPlaceholder(t *testing.T) {
	for _, v := range []string{"XXXX-XX-XX", "XXXX-11-10", "2017-W44", "2017-11", "PRESENT_REF", ""} {
		if isDay(v) {
			t.Errorf("isDay(%q) = true", v)
		}
	}
	ts := []detente.TimeExpr{{Text: "that day", Start: 0, End: 8, Value: "XXXX-XX-XX"}}
	if got := sentenceDate(ts, detente.Span{Start: 0, End: 20}, ""); got != "" {
		t.Errorf("sentenceDate with only a placeholder and no publication date = %q, want empty", got)
	}
	if got := sentenceDate(ts, detente.Span{Start: 0, End: 20}, "2020-01-02"); got != "2020-01-02" {
		t.Errorf("sentenceDate = %q, want the publication date", got)
	}
}

// The story discards' two-byte index finds exactly what a search for each
// phrase finds.
func TestStoryDiscardIndexAgreesWithSearch(t *testing.T) {
	d := &dict.Dictionary{Discards: []dict.Discard{
		{Text: "world cup", Story: true}, {Text: "golf", Story: true, WholeWord: true},
		{Text: "x", Story: true, WholeWord: true}, {Text: "-ab", Story: true}, {Text: "cup final", Story: true},
	}}
	c := New(d)
	search := func(low string) bool {
		for i := range d.Discards {
			if discardAt(low, &d.Discards[i]) {
				return true
			}
		}
		return false
	}
	alphabet := []string{"world", " ", "cup", "golf", "golfer", "x", "-ab", "a", ",", "final", "é"}
	rng := rand.New(rand.NewPCG(1, 2))
	found := 0
	for n := 0; n < 5000; n++ {
		var sb strings.Builder
		for k := rng.IntN(8); k >= 0; k-- {
			sb.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		low := sb.String()
		want := search(low)
		if got := c.discarded(low, true); got != want {
			t.Fatalf("%q: index says %v, search %v", low, got, want)
		}
		if want {
			found++
		}
	}
	if found == 0 || found == 5000 {
		t.Fatalf("the generated texts do not exercise both outcomes (%d of 5000 discarded)", found)
	}
}

// nonWordBytes marks exactly the bytes wordBytes says are no word bytes,
// every byte value in every one of the eight places.
func TestNonWordBytes(t *testing.T) {
	for b := range 256 {
		for lane := range 8 {
			w := uint64(b)<<(8*lane) | 0x6161616161616161&^(0xff<<(8*lane)) // 'a' elsewhere
			want := uint64(0)
			if !wordBytes[b] {
				want = 0x80 << (8 * lane)
			}
			if got := nonWordBytes(w); got != want {
				t.Fatalf("byte %#x in place %d: %#x, want %#x", b, lane, got, want)
			}
		}
	}
}

// Each sentence gets, in the article's order, every entity touching its
// span: the same as filtering all of them per sentence.
func TestEntitiesBySentence(t *testing.T) {
	sents := []detente.Span{{Start: 0, End: 10}, {Start: 11, End: 20}, {Start: 21, End: 30}}
	for _, ents := range [][]detente.Entity{
		{ // out of order, across and on sentence ends
			{Text: "late", Start: 22, End: 25}, {Text: "early", Start: 1, End: 4}, {Text: "across", Start: 8, End: 13},
			{Text: "edge", Start: 20, End: 21}, {Text: "empty", Start: 10, End: 10}, {Text: "past", Start: 40, End: 45},
		},
		{ // in text order, each inside its sentence
			{Text: "a", Start: 1, End: 4}, {Text: "b", Start: 5, End: 9}, {Text: "c", Start: 22, End: 25},
		},
	} {
		got := entitiesBySentence(ents, sents)
		for si, sp := range sents {
			var want []string
			for _, e := range ents {
				if e.Start <= sp.End && e.End >= sp.Start {
					want = append(want, e.Text)
				}
			}
			var have []string
			for _, e := range got[si] {
				have = append(have, e.Text)
			}
			if strings.Join(have, ",") != strings.Join(want, ",") {
				t.Errorf("sentence %d: got %v, want %v", si, have, want)
			}
		}
	}
	if got := entitiesBySentence(nil, sents); len(got) != 3 || got[0] != nil {
		t.Errorf("no entities: got %v", got)
	}
}

// The clause summary only skips patterns that cannot match: every pattern
// that matches a verb of the benchmark text passes it, and it does skip
// some that do not.
func TestClauseSummarySkipsOnlyPatternsThatCannotMatch(t *testing.T) {
	an, c := builtin(t)
	a := benchArticle()
	ann := an.Annotate(a)
	text := nlp.Segment(a.Body)
	matched, skipped := 0, 0
	for si, span := range text.Sentences {
		s := prepare(si, span, text.Tokens[si], ann.Entities, nil, c.lex, false, nil)
		c.findVerbs(s)
		for _, h := range s.verbs {
			var sig clauseSig
			c.addSide(&sig, sideBefore, s.ids[h.lo:h.start])
			c.addSide(&sig, sideAfter, s.ids[h.end:h.hi])
			for _, v := range h.verbs {
				for i := range v.patterns {
					p := &v.patterns[i]
					_, ok := c.match(s, h, p)
					pass := sig.hasAll(p.need)
					if ok && !pass {
						t.Errorf("sentence %d, verb %q: pattern %s matches but the summary skips it", si, s.low[h.head], p.p.Source)
					}
					if ok {
						matched++
					}
					if !pass {
						skipped++
					}
				}
			}
		}
	}
	if matched == 0 || skipped == 0 {
		t.Fatalf("the text exercises too little: %d patterns matched, %d skipped", matched, skipped)
	}
}

// Sentence discards found through the prefix index and its bit set are
// those a check of every discard at every token finds.
func TestSentenceDiscardIndexAgreesWithSearch(t *testing.T) {
	d := &dict.Dictionary{Discards: []dict.Discard{
		{Text: "world cup"}, {Text: "basket"}, {Text: "a b", WholeWord: true}, {Text: "goalkeeper", WholeWord: true},
		{Text: "x"}, {Text: "é t"},
	}}
	c := New(d)
	search := func(low []string) bool {
		for i := range low {
			for _, ds := range d.Discards {
				n := len(strings.Fields(ds.Text))
				if i+n > len(low) {
					continue
				}
				cand := strings.Join(low[i:i+n], " ")
				if strings.HasPrefix(cand, ds.Text) && (!ds.WholeWord || len(cand) == len(ds.Text)) {
					return true
				}
			}
		}
		return false
	}
	if c.lex.find("a").flags&fDiscard == 0 || c.lex.find("the").info == 0 || c.lex.find("the").flags&fDiscard != 0 {
		t.Fatal(`the lexicon should know "a" and "the" and mark "a" alone as starting a discard`)
	}
	vocab := []string{"world", "cup", "cups", "basketball", "basket", "a", "b", "bc", "goalkeeper", "goalkeepers", "x", "xylophone", "é", "t", "the", ","}
	rng := rand.New(rand.NewPCG(3, 4))
	found := 0
	for n := 0; n < 5000; n++ {
		low := make([]string, 1+rng.IntN(6))
		for i := range low {
			low[i] = vocab[rng.IntN(len(vocab))]
		}
		want := search(low)
		if got := c.sentenceDiscarded(low, nil); got != want {
			t.Fatalf("%q: index says %v, search %v", low, got, want)
		}
		// The same through the lexicon's marks ("a" and "the" are in it,
		// only "a" starts a discard).
		wi, fl := make([]int32, len(low)), make([]wordFlags, len(low))
		for i, w := range low {
			e := c.lex.find(w)
			wi[i], fl[i] = e.info, e.flags
		}
		if got := c.discardedWords(low, wi, fl, nil); got != want {
			t.Fatalf("%q: index with lexicon marks says %v, search %v", low, got, want)
		}
		if want {
			found++
		}
	}
	if found == 0 || found == 5000 {
		t.Fatalf("the generated sentences do not exercise both outcomes (%d of 5000 discarded)", found)
	}
}

// sentenceDates gives every sentence what sentenceDate gives it, for
// random sentences (in order, touching, or out of order) and time
// expressions (resolved or not, inside, across or between sentences).
func TestSentenceDatesAgreeWithSentenceDate(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	values := []string{"2020-01-02", "2021-03-04T10:00", "XXXX-XX-XX", "2017-W44", "2019-12-31"}
	for n := 0; n < 3000; n++ {
		var sents []detente.Span
		p := 0
		for k := rng.IntN(6); k > 0; k-- {
			p += rng.IntN(3)
			e := p + rng.IntN(10)
			sents = append(sents, detente.Span{Start: p, End: e})
			p = e
		}
		if n%5 == 0 && len(sents) > 1 {
			sents[0], sents[1] = sents[1], sents[0]
		}
		var ts []detente.TimeExpr
		for k := rng.IntN(5); k > 0; k-- {
			s := rng.IntN(p + 2)
			ts = append(ts, detente.TimeExpr{Start: s, End: s + rng.IntN(5), Value: values[rng.IntN(len(values))], Unresolved: rng.IntN(4) == 0})
		}
		got := sentenceDates(ts, sents, "2000-01-01")
		for si, sp := range sents {
			if want := sentenceDate(ts, sp, "2000-01-01"); got[si] != want {
				t.Fatalf("sentences %v, times %v: sentence %d dated %q, want %q", sents, ts, si, got[si], want)
			}
		}
	}
}
