package clean

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/detente/detente"
)

// readSeed reads the reference page-text dump the way the reader does: line
// 1 is the title, line 2 the outlet, the rest the raw body.
func readSeed(t *testing.T) (*detente.Article, []string) {
	t.Helper()
	raw, err := os.ReadFile(sharedFile(t, "seed/cgtn-2017-beijing-seoul-thaad.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	if len(lines) < 3 {
		t.Fatalf("seed has %d lines, want a title, an outlet and a body", len(lines))
	}
	return &detente.Article{Title: lines[0], Source: lines[1], Body: strings.Join(lines[2:], "\n")}, lines
}

func TestArticleCleansTheSeedAsExpectedSays(t *testing.T) {
	raw, lines := readSeed(t)
	got := Article(raw)

	if got.Title != "Beijing and Seoul agree to 'normalize' ties after THAAD" {
		t.Errorf("title = %q", got.Title)
	}
	if got.Source != "CGTN" {
		t.Errorf("source = %q, want CGTN", got.Source)
	}
	if !reflect.DeepEqual(got.Tags, []string{"china"}) {
		t.Errorf("tags = %q, want [china]", got.Tags)
	}
	wantCaption := []detente.Caption{{
		Text:   "A US military vehicle which is a part of Terminal High Altitude Area Defense (THAAD) system arrives in Seongju, April 26, 2017.",
		Credit: "Reuters Photo",
	}}
	if !reflect.DeepEqual(got.Captions, wantCaption) {
		t.Errorf("captions = %+v, want %+v", got.Captions, wantCaption)
	}
	// The body is the file's other nine paragraphs, in order and unchanged:
	// everything after the tag line, Share, Copied and the caption pair.
	var want []string
	for _, l := range lines[5:] {
		if !strings.HasPrefix(l, "A US military vehicle") {
			want = append(want, l)
		}
	}
	if len(want) != 9 {
		t.Fatalf("the seed's layout changed: %d body paragraphs, want 9", len(want))
	}
	if body := strings.Split(got.Body, "\n"); !reflect.DeepEqual(body, want) {
		t.Errorf("body paragraphs:\n%s\nwant:\n%s", strings.Join(body, "\n"), strings.Join(want, "\n"))
	}
	for _, junk := range []string{"Share", "Copied", `["china"]`, "/Reuters Photo"} {
		if strings.Contains(got.Body, junk) {
			t.Errorf("body still contains %q", junk)
		}
	}
	if got.Language != "en" {
		t.Errorf("language = %q, want en (detected)", got.Language)
	}
	if got.Published != "" {
		t.Errorf("published = %q, want empty: the seed carries no date", got.Published)
	}
	if again := Article(got); !reflect.DeepEqual(again, got) {
		t.Errorf("cleaning the cleaned seed changed it:\n%+v\n%+v", again, got)
	}
}
