package coder

import (
	"testing"
	"unicode/utf8"

	"github.com/detente/detente"
	"github.com/detente/detente/annotate"
	"github.com/detente/detente/cameo"
	"github.com/detente/detente/coder/dict"
	"github.com/detente/detente/kb"
	"github.com/detente/detente/nlp/ner"
)

// FuzzAnnotateCode runs arbitrary text through the whole annotate → code
// path with the built-in knowledge: it must not panic, and every event must
// be a valid CAMEO code whose spans lie inside the body and inside their
// sentence.
func FuzzAnnotateCode(f *testing.F) {
	for _, s := range []string{
		"Chinese President Xi Jinping met his South Korean counterpart Moon Jae-in in Beijing on Tuesday.",
		"South Korea will not participate in the drills, the ministry said.",
		"\"We condemn the attack,\" U.S. Secretary of State said on Nov. 3.",
		"Russia and Ukraine\u200d signed\u202e a ceasefire. Police arrested 20 protesters in Paris.",
		"NATO (North Atlantic Treaty Organization) warned Iran; Iran rejected NATO's demand.",
		"", "\x00", "U.S.", "said said said said", "«Le président a dit»",
	} {
		f.Add(s, "2017-10-31")
	}
	b, err := dict.Builtin()
	if err != nil {
		f.Fatal(err)
	}
	an := annotate.New(annotate.NewKBLexicon(kb.Default()), ner.Default())
	c := New(b)
	f.Fuzz(func(t *testing.T, body, published string) {
		if !utf8.ValidString(body) {
			return // readers replace invalid UTF-8 before this path
		}
		a := &detente.Article{ID: "fuzz", Body: body, Published: published, Language: "en"}
		ann := an.Annotate(a)
		n := utf8.RuneCountInString(body)
		inside := func(s, in detente.Span) bool {
			return s == (detente.Span{}) || (s.Start >= in.Start && s.End <= in.End && s.Start <= s.End)
		}
		for _, e := range c.Code(a, ann) {
			if !cameo.Valid(e.CAMEO) || e.Quad < 1 || e.Quad > 4 {
				t.Fatalf("event %+v has an invalid code or quad", e)
			}
			for _, m := range e.Mentions {
				s := m.Sentence
				if s.Start < 0 || s.End > n || s.Start >= s.End {
					t.Fatalf("sentence %v outside a %d-code-point body", s, n)
				}
				if !inside(m.SourceSpan, s) || !inside(m.TargetSpan, s) || !inside(m.VerbSpan, s) {
					t.Fatalf("spans %v %v %v outside sentence %v", m.SourceSpan, m.TargetSpan, m.VerbSpan, s)
				}
				if m.Explanation == "" {
					t.Fatalf("event %s without an explanation", e.CAMEO)
				}
			}
		}
	})
}
