package nlp

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/detente/detente/internal/shareddata"
)

// sharedPath returns the path of rel in the shared data, skipping the
// test when it is absent.
func sharedPath(t testing.TB, rel string) string {
	t.Helper()
	return shareddata.Require(t, rel)
}

// tryShared returns the path of rel in the shared data, or "".
func tryShared(rel string) string {
	p := shareddata.Path(rel)
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return p
}

// seedBody is the seed article's clean body: the page-text dump's lines
// from the sixth on, with the doubled caption kept once.
func seedBody(t testing.TB) string {
	b, err := os.ReadFile(sharedPath(t, "seed/cgtn-2017-beijing-seoul-thaad.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")[5:]
	var keep []string
	for i, l := range lines {
		if i > 0 && l == lines[i-1] {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}

// readBodies reads up to max article bodies from a JSONL corpus.
func readBodies(t testing.TB, rel string, max int) []string {
	f, err := os.Open(sharedPath(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var out []string
	for sc.Scan() && len(out) < max {
		var a struct{ Body string }
		if err := json.Unmarshal(sc.Bytes(), &a); err == nil && a.Body != "" {
			out = append(out, a.Body)
		}
	}
	return out
}

func TestSeedQuotesAndAcronyms(t *testing.T) {
	tx := Segment(seedBody(t))
	if len(tx.Sentences) != 11 {
		t.Errorf("want 11 sentences (10 paragraphs, the caption credit on its own), got %d", len(tx.Sentences))
	}
	acr := map[string]string{}
	for _, d := range tx.Acronyms() {
		acr[d.Short] = d.Long
	}
	for short, long := range map[string]string{
		"THAAD": "Terminal High Altitude Area Defense", "MD": "missile defense", "APEC": "Asia-Pacific Economic Cooperation",
	} {
		if acr[short] != long {
			t.Errorf("acronym %s = %q, want %q", short, acr[short], long)
		}
	}
	qs := tx.Quotes()
	if len(qs) != 2 {
		t.Fatalf("want 2 quotes, got %+v", qs)
	}
	if qs[0].Text != "expeditiously." || qs[0].SpeakerText != "South Korea's Foreign Ministry" {
		t.Errorf("first quote %q by %q", qs[0].Text, qs[0].SpeakerText)
	}
	if !strings.HasPrefix(qs[1].Text, "Both sides shared the view") || qs[1].SpeakerText != "South Korean Foreign Ministry" {
		t.Errorf("second quote %q by %q", qs[1].Text, qs[1].SpeakerText)
	}
}
