package annotate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/detente/detente/kb"
)

// tinyActors is a PETRARCH-format actor file written for these tests.
const tinyActors = `THE_NORTH_REACH  [NRA/NRB]
PORT OF ELDERWICK  [ELW]
`

func tinyKBLexicon(t *testing.T) *KBLexicon {
	t.Helper()
	p := filepath.Join(t.TempDir(), "actors.txt")
	if err := os.WriteFile(p, []byte(tinyActors), 0o644); err != nil {
		t.Fatal(err)
	}
	k, err := kb.Open(kb.Options{ActorFiles: []string{p}})
	if err != nil {
		t.Fatal(err)
	}
	return NewKBLexicon(k)
}

func TestKBLexiconReadsJoinedWordsAndNameArticles(t *testing.T) {
	l := tinyKBLexicon(t)
	cases := []struct {
		name  string
		words string
		want  string // matched words, space-joined; "" for no match
		actor string
	}{
		{"words joined by underscores the tokenizer split off are the phrase", "left Port _ of _ Elderwick now", "Port _ of _ Elderwick", "ELW"},
		{"underscore-joined words inside one token are the phrase", "reached Port_of_Elderwick today", "Port_of_Elderwick", "ELW"},
		{"a lower-case article before a capitalized name is the name's own", "met the North Reach today", "North Reach", "NRA/NRB"},
		{"a lower-case article before a lower-case word is not", "met the north reach today", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			words := strings.Fields(tc.words)
			var got, actor string
			for _, m := range l.Match(words, "") {
				if m.Entry.Actor == "" {
					continue
				}
				got, actor = strings.Join(words[m.Start:m.End], " "), m.Entry.Actor
			}
			if tc.want == "" {
				if got != "" {
					t.Fatalf("matched %q (%s), want no match", got, actor)
				}
				return
			}
			if got != tc.want || actor != tc.actor {
				t.Fatalf("got %q %s, want %q %s", got, actor, tc.want, tc.actor)
			}
		})
	}
}

func TestLowerEqualIsEqualityOfLowerCase(t *testing.T) {
	words := []string{"", "a", "A", "Obama", "OBAMA", "obama", "Obamas", "Erdoğan", "ERDOĞAN", "erdoğan", "Erdogan",
		"İstanbul", "istanbul", "K", "\u212a", "k", "Jae-in", "JAE-IN", "\xff", "\xffA", "\xffa"}
	for _, a := range words {
		for _, b := range words {
			if got, want := lowerEqual(a, b), strings.ToLower(a) == strings.ToLower(b); got != want {
				t.Errorf("lowerEqual(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
	if got := nameStart(strings.Fields("US President Barack Obama"), "Barack Obama"); got != 2 {
		t.Errorf("nameStart = %d, want 2", got)
	}
	if got := nameStart(strings.Fields("Barack Obama"), "Barack Obama"); got != 0 {
		t.Errorf("nameStart of the bare name = %d, want 0", got)
	}
}
