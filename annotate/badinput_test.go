package annotate

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/detente/detente"
	"github.com/detente/detente/clean"
)

// checkOffsets asserts that every span lies inside the body, on code point
// offsets, and that each entity's text is what its span covers.
func checkOffsets(t *testing.T, body string, ann *detente.Annotations) {
	t.Helper()
	runes := []rune(body)
	n := len(runes)
	for _, s := range ann.Sentences {
		if s.Start < 0 || s.End > n || s.Start > s.End {
			t.Fatalf("sentence %+v outside a body of %d code points", s, n)
		}
	}
	for _, e := range ann.Entities {
		if e.Start < 0 || e.End > n || e.Start >= e.End {
			t.Fatalf("entity %+v outside a body of %d code points", e, n)
		}
		if got := string(runes[e.Start:e.End]); got != e.Text {
			t.Fatalf("entity text %q but its span covers %q", e.Text, got)
		}
	}
	for _, x := range ann.Times {
		if got := string(runes[x.Start:x.End]); got != x.Text {
			t.Fatalf("time text %q but its span covers %q", x.Text, got)
		}
	}
}

func TestBadInputGivesAClearResult(t *testing.T) {
	an := builtinAnnotator()
	paragraph := "Russian President Vladimir Putin met Turkish President Recep Tayyip Erdogan in Sochi on Monday, the Kremlin said. "
	tests := []struct {
		name string
		body string
		lang string
	}{
		{"an empty body", "", "en"},
		{"only whitespace", " \n\t\n ", "en"},
		{"right-to-left marks and zero-width joiners", "\u200fThe UN\u200d said\u200b that Iran\u200e and Iraq met.\u202b", "en"},
		{"emoji with joiners", "Leaders 👩‍👩‍👧 met in Paris. 🇫🇷 France said so.", "en"},
		{"combining marks", "Erdoğan and Erdog\u0306an met in Ankara.", "en"},
		{"unbalanced quotes and brackets", "\"He said (that \"they [would\" go.", "en"},
		{"a 5 MB article", strings.Repeat(paragraph+"\n", 5<<20/len(paragraph)), "en"},
		{"one 2 MB line without punctuation", strings.Repeat("word ", 2<<20/5), "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := clean.Article(&detente.Article{Body: tt.body, Language: tt.lang})
			ann := an.Annotate(a)
			if ann == nil || ann.Entities == nil || ann.Times == nil || ann.Quotes == nil {
				t.Fatalf("want empty lists, not nil: %+v", ann)
			}
			if !utf8.ValidString(a.Body) {
				t.Fatal("cleaned body is not valid UTF-8")
			}
			checkOffsets(t, a.Body, ann)
		})
	}
}

func TestTextInAnotherLanguageIsMarkedAndNotAnnotated(t *testing.T) {
	body := "El presidente de Francia, Emmanuel Macron, se reunió el martes en París con el canciller alemán para hablar de la guerra en Ucrania y de la crisis energética que afecta a Europa desde hace meses. " +
		"Ambos dirigentes acordaron coordinar sus posiciones antes de la próxima cumbre de la Unión Europea en Bruselas."
	a := clean.Article(&detente.Article{Body: body})
	if a.Language != "es" {
		t.Fatalf("language = %q, want es detected", a.Language)
	}
	ann := builtinAnnotator().Annotate(a)
	if len(ann.Sentences) != 2 || len(ann.Entities) != 0 || len(ann.Times) != 0 || len(ann.Quotes) != 0 {
		t.Errorf("Spanish text got %d entities, %d times, %d quotes; want sentences only", len(ann.Entities), len(ann.Times), len(ann.Quotes))
	}
}

func TestOffsetsCountCodePointsNotBytes(t *testing.T) {
	body := "Ökonomen in Zürich — und Erdoğan — sagten: Turkish President Recep Tayyip Erdogan visited Moscow on Monday."
	ann := builtinAnnotator().Annotate(&detente.Article{Body: body, Language: "en", Published: "2020-03-04"})
	checkOffsets(t, body, ann)
	found := false
	for _, e := range ann.Entities {
		if e.Text == "Moscow" {
			found = true
		}
	}
	if !found {
		t.Errorf("Moscow not found after multi-byte text: %+v", ann.Entities)
	}
}
