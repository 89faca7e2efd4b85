package coder

import (
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

// sharedDir finds the shared data directory or returns "".
func sharedDir() string {
	if d := os.Getenv("DETENTE_SHARED"); d != "" {
		return d
	}
	for _, d := range []string{filepath.Join("..", "..", "shared"), filepath.Join("..", "..", "..", "shared")} {
		if _, err := os.Stat(d); err == nil {
			return d
		}
	}
	return ""
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

func TestSeedPrint(t *testing.T) {
	a := seedArticle(t)
	an, c := builtin(t)
	ann := an.Annotate(a)
	for _, e := range ann.Entities {
		t.Logf("ENT %q %s %s", e.Text, e.Type, e.Actor)
	}
	for _, e := range c.Code(a, ann) {
		t.Logf("%s→%s %s %s mode=%s neg=%v date=%s n=%d loc=%v\n   %s", e.Source, e.Target, e.CAMEO, e.PLOVER, e.Mode, e.Negated, e.Date, e.NumMentions, e.Location, e.Mentions[0].Explanation)
	}
}
