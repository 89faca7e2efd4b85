package clean

import (
	"strings"
	"testing"
)

func TestPlainEnglishLeavesOtherLanguagesToWhatlanggo(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       bool
	}{
		{"english news", strings.Repeat("The president said on Tuesday that the talks with the two countries would continue, and that it was not clear whether they had been a success. ", 3), true},
		{"german news", strings.Repeat("Der Präsident sagte am Dienstag, dass die Gespräche mit den beiden Ländern fortgesetzt würden und dass nicht klar sei, ob sie ein Erfolg gewesen seien. ", 3), false},
		{"french with an english quote", strings.Repeat("Le président a déclaré mardi que les discussions avec les deux pays se poursuivraient, « the talks will go on » selon lui. ", 3), false},
		{"spanish news", strings.Repeat("El presidente dijo el martes que las conversaciones con los dos países continuarían y que no estaba claro si habían sido un éxito. ", 3), false},
		{"english list of names", strings.Repeat("Smith, Jones, Brown, Taylor, Wilson, Davies, Evans, Thomas, Johnson, Roberts. ", 4), false},
	} {
		if got := plainEnglish(tc.text); got != tc.want {
			t.Errorf("%s: plainEnglish = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestFastEnglishAgreesWithWhatlanggo checks the shortcut against
// whatlanggo's own decision on every real article of both corpora.
func TestFastEnglishAgreesWithWhatlanggo(t *testing.T) {
	if testing.Short() {
		t.Skip("reads both corpora")
	}
	total, fast, differ := 0, 0, 0
	for _, rel := range []string{"corpora/allsides-intl-5720.jsonl", "corpora/wikinews-2019-2020.jsonl"} {
		for _, a := range readCorpus(t, rel) {
			a.Language = ""
			out := Article(a)
			want := ""
			sample, ok := languageSample(out.Body)
			if ok {
				want = detect(sample)
				if plainEnglish(sample) {
					fast++
				}
			}
			total++
			if out.Language != want {
				differ++
				if differ <= 5 {
					t.Errorf("%s: language %q, whatlanggo %q: %.120q", a.ID, out.Language, want, out.Body)
				}
			}
		}
	}
	t.Logf("%d articles: %d decided by the English shortcut, %d differ from whatlanggo", total, fast, differ)
}

// TestEnglishTableIsEnglishWords checks the table plainEnglish looks words
// up in against the map on every word of one to five lower-case letters.
func TestEnglishTableIsEnglishWords(t *testing.T) {
	found := 0
	var word [maxEnglishWord]byte
	var walk func(n int)
	walk = func(n int) {
		if n > 0 {
			key := uint64(n) << 56
			for i := 0; i < n; i++ {
				key |= uint64(word[i]) << (8 * i)
			}
			got, want := isEnglishWord(key), englishWords[string(word[:n])]
			if got != want {
				t.Fatalf("isEnglishWord(%q) = %v, want %v", word[:n], got, want)
			}
			if got {
				found++
			}
		}
		if n == maxEnglishWord {
			return
		}
		for c := byte('a'); c <= 'z'; c++ {
			word[n] = c
			walk(n + 1)
		}
	}
	walk(0)
	if found != len(englishWords) {
		t.Errorf("found %d of the %d English words", found, len(englishWords))
	}
}
