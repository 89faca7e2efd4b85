package coder

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/annotate"
	"github.com/detente/detente/clean"
	"github.com/detente/detente/coder/dict"
	"github.com/detente/detente/kb"
	"github.com/detente/detente/nlp/ner"

	"github.com/detente/detente/internal/shareddata"
)

var (
	setupOnce sync.Once
	testAn    *annotate.Annotator
	testCoder *Coder
)

// builtin returns the annotator and coder as detente ships them.
func builtin(t testing.TB) (*annotate.Annotator, *Coder) {
	t.Helper()
	setupOnce.Do(func() {
		testAn = annotate.New(annotate.NewKBLexicon(kb.Default()), ner.Default())
		d, err := dict.Builtin()
		if err != nil {
			panic(err)
		}
		testCoder = New(d)
	})
	return testAn, testCoder
}

// sharedDir is the shared data directory.
func sharedDir() string { return shareddata.Dir() }

// corpusLines reads the shared AllSides corpus a line (an article) at a
// time, skipping tb without it.
func corpusLines(tb testing.TB) *bufio.Scanner {
	dir := sharedDir()
	f, err := os.Open(filepath.Join(dir, "corpora", "allsides-intl-5720.jsonl"))
	if dir == "" || err != nil {
		tb.Skip("AllSides corpus not found (set DETENTE_SHARED)")
	}
	tb.Cleanup(func() { f.Close() })
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	return sc
}

func seedArticle(t *testing.T) *detente.Article {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(sharedDir(), "seed", "cgtn-2017-beijing-seoul-thaad.txt"))
	if err != nil {
		t.Skipf("seed article not found (set DETENTE_SHARED): %v", err)
	}
	lines := strings.SplitN(string(raw), "\n", 3)
	return clean.Article(&detente.Article{ID: "seed", Title: lines[0], Source: lines[1], Body: lines[2], Published: "2017-10-31"})
}

// TestSeedYieldsTheSixExpectedEvents checks the event table of
// ../shared/seed/EXPECTED.md: all six events, events 1 and 3 as one event
// with two mentions, no negated statement coded as its positive.
func TestSeedYieldsTheSixExpectedEvents(t *testing.T) {
	a := seedArticle(t)
	an, c := builtin(t)
	events := c.Code(a, an.Annotate(a))
	find := func(src, tgt, root, sentence string) *detente.Event {
		for i, e := range events {
			if e.Source != src || e.Target != tgt || e.Root != root {
				continue
			}
			for _, m := range e.Mentions {
				if strings.HasPrefix(a.Body[byteOffset(a.Body, m.Sentence.Start):], sentence) {
					return &events[i]
				}
			}
		}
		return nil
	}
	cases := []struct {
		name, src, tgt, root, sentence, plover string
	}{
		{"1 China and South Korea agree", "CHN", "KOR", "03", "China and South Korea have agreed", "AGREE"},
		{"1 symmetric: South Korea agrees with China", "KOR", "CHN", "03", "China and South Korea have agreed", "AGREE"},
		{"2 talks between the two countries", "CHN", "KOR", "04", "China and South Korea have agreed", "CONSULT"},
		{"2 symmetric", "KOR", "CHN", "04", "China and South Korea have agreed", "CONSULT"},
		{"3 both countries agreed (the Foreign Ministry's statement)", "KOR", "CHN", "03", "Meanwhile, South Korea's Foreign Ministry said", "AGREE"},
		{"4 Seoul will not participate in the US-led network", "KOR", "USA", "12", "On Monday, South Korean Foreign Ministry Kang", "REJECT"},
		{"5 the two countries discussed", "CHN", "KOR", "04", "The statements said the two countries", "CONSULT"},
		{"6 Xi will meet Moon (PLOVER: a future consultation)", "CHNGOV", "KORGOV", "03", "Chinese President Xi Jinping will meet", "CONSULT"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := find(tc.src, tc.tgt, tc.root, tc.sentence)
			if e == nil {
				t.Fatalf("no %s→%s %s event in %q…", tc.src, tc.tgt, tc.root, tc.sentence)
			}
			if e.PLOVER != tc.plover {
				t.Errorf("PLOVER %s, want %s", e.PLOVER, tc.plover)
			}
			if e.Date == "" || e.Goldstein == 0 || e.Quad == 0 || e.Mentions[0].Explanation == "" {
				t.Errorf("incomplete event %+v", e)
			}
		})
	}
	t.Run("events 1 and 3 are one event with two mentions", func(t *testing.T) {
		e := find("CHN", "KOR", "03", "China and South Korea have agreed")
		if e == nil || e.NumMentions < 2 || find("CHN", "KOR", "03", "Meanwhile, South Korea's Foreign Ministry said") != e {
			t.Fatalf("not merged: %+v", e)
		}
	})
	t.Run("the meeting is planned, dated to the summit and located in Vietnam", func(t *testing.T) {
		e := find("CHNGOV", "KORGOV", "03", "Chinese President Xi Jinping will meet")
		if e.CAMEO != "036" || e.Mode != "future" || e.Date != "2017-11-10" || e.Location == nil || e.Location.Country != "VNM" {
			t.Fatalf("got %s mode %q date %s location %+v", e.CAMEO, e.Mode, e.Date, e.Location)
		}
	})
	t.Run("the refusal is 1212 and negated", func(t *testing.T) {
		e := find("KOR", "USA", "12", "On Monday, South Korean Foreign Ministry Kang")
		if e.CAMEO != "1212" || !e.Negated {
			t.Fatalf("got %s negated %v", e.CAMEO, e.Negated)
		}
	})
	t.Run("no negated statement is coded as its positive", func(t *testing.T) {
		for _, e := range events {
			for _, m := range e.Mentions {
				sent := a.Body[byteOffset(a.Body, m.Sentence.Start):byteOffset(a.Body, m.Sentence.End)]
				verbAt := a.Body[byteOffset(a.Body, m.Sentence.Start):byteOffset(a.Body, m.VerbSpan.Start)]
				_ = sent
				if strings.HasSuffix(strings.TrimSpace(verbAt), "not") && !e.Negated {
					t.Errorf("%s→%s %s coded from a negated verb: %s", e.Source, e.Target, e.CAMEO, m.Explanation)
				}
				if strings.Contains(m.Explanation, "\"target\"") || strings.Contains(m.Explanation, "\"harm\"") || strings.Contains(m.Explanation, "\"mull\"") {
					t.Errorf("negated verb coded: %s", m.Explanation)
				}
			}
		}
	})
}

// byteOffset converts a code-point offset into a byte offset of s.
func byteOffset(s string, cp int) int {
	n := 0
	for i := range s {
		if n == cp {
			return i
		}
		n++
	}
	return len(s)
}
