package clean

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/RadhiFadlillah/whatlanggo"
)

// whatlanggoDetect is detect without detectLatin: whatlanggo's reliable
// guess.
func whatlanggoDetect(sample string) string {
	info := whatlanggo.Detect(sample)
	if !info.IsReliable() {
		return ""
	}
	return info.Lang.Iso6391()
}

// checkDetectLatin compares detectLatin with whatlanggo on text and
// reports whether detectLatin judged it.
func checkDetectLatin(t *testing.T, name, text string) bool {
	t.Helper()
	got, ok := detectLatin(text)
	if !ok {
		return false
	}
	if want := whatlanggoDetect(text); got != want {
		t.Errorf("%s: detectLatin %q, whatlanggo %q: %.200q", name, got, want, text)
	}
	return true
}

func TestDetectLatinAgreesWithWhatlanggoOnLanguages(t *testing.T) {
	for _, tc := range []struct{ name, text string }{
		{"english", "The president said on Tuesday that the talks with the two countries would continue, and that it was not clear whether they had been a success."},
		{"german", "Der Präsident sagte am Dienstag, dass die Gespräche mit den beiden Ländern fortgesetzt würden und dass nicht klar sei, ob sie ein Erfolg gewesen seien."},
		{"french", "Le président a déclaré mardi que les discussions avec les deux pays se poursuivraient, « the talks will go on » selon lui."},
		{"spanish", "El presidente dijo el martes que las conversaciones con los dos países continuarían y que no estaba claro si habían sido un éxito."},
		{"danish", "Præsidenten sagde tirsdag, at forhandlingerne med de to lande ville fortsætte, og at det ikke var klart, om de havde været en succes."},
		{"norwegian", "Presidenten sa tirsdag at samtalene med de to landene ville fortsette, og at det ikke var klart om de hadde vært en suksess."},
		{"vietnamese", "Tổng thống nói hôm thứ Ba rằng các cuộc đàm phán với hai nước sẽ tiếp tục và không rõ liệu chúng có thành công hay không."},
		{"names", "Smith, Jones, Brown, Taylor, Wilson, Davies, Evans, Thomas, Johnson, Roberts."},
		{"digits and symbols", "12 345 678 — 90% + $1,000 (2019) 3.14 ... 42 !!"},
		{"empty", ""},
		{"russian", "Президент заявил во вторник, что переговоры с двумя странами продолжатся."},
		{"mixed scripts", "Президент заявил во вторник the president said on Tuesday"},
	} {
		for _, n := range []int{1, 2, 6} {
			checkDetectLatin(t, tc.name, strings.Repeat(tc.text+" ", n))
		}
	}
	if _, ok := detectLatin(strings.Repeat("Президент заявил во вторник ", 5)); ok {
		t.Error("detectLatin judged a Cyrillic text; it must leave it to whatlanggo")
	}
	if _, ok := detectLatin(strings.Repeat("the talks ", 200)); ok {
		t.Error("detectLatin judged a text longer than a language sample")
	}
	if _, ok := detectLatin(strings.Repeat("the talks ", 20)); !ok {
		t.Error("detectLatin left an English text to whatlanggo")
	}
}

// TestDetectLatinAgreesWithWhatlanggoOnMixtures builds texts from the
// profiles' own trigrams, mixing two or three languages so that their
// distances come close and every branch of the confidence is taken
// (reliable, unreliable, ties).
func TestDetectLatinAgreesWithWhatlanggoOnMixtures(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	profile := func(i int) []string {
		var out []string
		for s := latinProfiles[i].trigrams; s != ""; {
			n := 0
			for k := 0; k < 3; k++ {
				_, size := utf8.DecodeRuneInString(s[n:])
				n += size
			}
			out = append(out, s[:n])
			s = s[n:]
		}
		return out
	}
	reliable, unreliable := 0, 0
	for trial := 0; trial < 3000; trial++ {
		langs := []int{rng.IntN(len(latinProfiles)), rng.IntN(len(latinProfiles)), rng.IntN(len(latinProfiles))}
		var b strings.Builder
		words := 5 + rng.IntN(120)
		for w := 0; w < words && b.Len() < 900; w++ {
			p := profile(langs[rng.IntN(1+trial%3)])
			b.WriteString(strings.TrimSpace(p[rng.IntN(min(len(p), 20+rng.IntN(300)))]))
			if rng.IntN(3) == 0 {
				b.WriteString(strings.TrimSpace(p[rng.IntN(len(p))]))
			}
			switch rng.IntN(12) {
			case 0:
				b.WriteString(", ")
			case 1:
				b.WriteString(". ")
			case 2:
				b.WriteString(" 42 ")
			default:
				b.WriteString(" ")
			}
		}
		text := b.String()
		if !checkDetectLatin(t, "mixture", text) {
			continue
		}
		if whatlanggoDetect(text) == "" {
			unreliable++
		} else {
			reliable++
		}
	}
	if reliable < 100 || unreliable < 100 {
		t.Errorf("mixtures too one-sided to test both outcomes: %d reliable, %d unreliable", reliable, unreliable)
	}
}

// TestDetectLatinAgreesWithWhatlanggoOnCorpora compares the two on the
// language sample of every article of both corpora, and on samples taken
// further into each body.
func TestDetectLatinAgreesWithWhatlanggoOnCorpora(t *testing.T) {
	if testing.Short() {
		t.Skip("reads both corpora")
	}
	judged, total := 0, 0
	for _, rel := range []string{"corpora/allsides-intl-5720.jsonl", "corpora/wikinews-2019-2020.jsonl"} {
		for _, a := range readCorpus(t, rel) {
			body := Article(a).Body
			for _, off := range []int{0, 1500, 4000} {
				if off >= len(body) {
					break
				}
				for off < len(body) && !utf8.RuneStart(body[off]) {
					off++
				}
				sample, _ := languageSample(body[off:])
				total++
				if checkDetectLatin(t, a.ID, sample) {
					judged++
				}
			}
		}
	}
	if judged*10 < total*9 {
		t.Errorf("detectLatin judged only %d of %d samples", judged, total)
	}
	t.Logf("%d samples, %d judged by detectLatin", total, judged)
}
