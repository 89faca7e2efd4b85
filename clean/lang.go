package clean

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/RadhiFadlillah/whatlanggo"
)

// Language detection reads at most this many bytes of the body: enough for
// a reliable guess, and it keeps detection cheap on long articles.
const (
	langSample   = 1000
	langMinRunes = 200 // below this whatlanggo's confidence is not worth much
)

// language returns the ISO 639-1 code of an article: the reader's value
// normalized ("en-US" → "en", "eng" → "en"), or, when there is none, the
// language detected from body when whatlanggo calls its guess reliable.
// A value we cannot map is kept as the reader gave it, lower-cased.
func language(given, body string) string {
	if g := strings.ToLower(Text(given)); g != "" {
		primary := g
		if i := strings.IndexAny(g, "-_"); i > 0 {
			primary = g[:i]
		}
		switch len(primary) {
		case 2:
			return primary
		case 3:
			if c := whatlanggo.CodeToLang(primary).Iso6391(); c != "" {
				return c
			}
		}
		return g
	}
	sample, ok := languageSample(body)
	if !ok {
		return ""
	}
	if plainEnglish(sample) {
		return "en"
	}
	return detect(sample)
}

// languageSample is the start of body that detection reads; ok is false
// when it is too short to judge.
func languageSample(body string) (string, bool) {
	sample := body
	if len(sample) > langSample {
		cut := langSample
		for cut > 0 && !utf8.RuneStart(sample[cut]) {
			cut--
		}
		sample = sample[:cut]
	}
	return sample, utf8.RuneCountInString(sample) >= langMinRunes
}

// detect is whatlanggo's guess when it calls it reliable, else "".
func detect(sample string) string {
	info := whatlanggo.Detect(sample)
	if !info.IsReliable() {
		return ""
	}
	return info.Lang.Iso6391()
}

// englishWords are function words frequent in English prose and rare as
// words of other languages ("a", "in", "is", "die", "an", "on" are left
// out: Romance, German and Dutch use them too).
var englishWords = map[string]bool{"the": true, "of": true, "and": true, "to": true, "that": true, "for": true,
	"with": true, "was": true, "were": true, "have": true, "has": true, "had": true, "this": true, "which": true,
	"from": true, "by": true, "said": true, "his": true, "her": true, "they": true, "their": true, "will": true,
	"would": true, "been": true, "be": true, "are": true, "not": true, "it": true, "its": true, "at": true,
	"who": true, "but": true, "or": true, "as": true, "after": true, "about": true, "more": true, "than": true}

// plainEnglish decides "en" without whatlanggo for the common case, which
// is most of its cost: mostly ASCII letters, at least 8 English function
// words, and those a fifth of all the words (English news runs at a third
// or more; text in another language that quotes English stays far below).
// It agrees with whatlanggo on every article of the AllSides and Wikinews
// corpora (TestFastEnglishAgreesWithWhatlanggo); anything else falls
// through to whatlanggo.
func plainEnglish(sample string) bool {
	words, hits, ascii, other := 0, 0, 0, 0
	n := 0
	key := uint64(0) // the word's letters, lowered, while it is short enough
	flush := func() {
		if n > 0 {
			words++
			if n <= maxEnglishWord && isEnglishWord(key|uint64(n)<<56) {
				hits++
			}
		}
		n, key = 0, 0
	}
	for i := 0; i < len(sample); i++ {
		c := sample[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			ascii++
			if n < maxEnglishWord {
				key |= uint64(c|0x20) << (8 * n)
			}
			n++
		case c >= utf8.RuneSelf:
			if utf8.RuneStart(c) {
				r, _ := utf8.DecodeRuneInString(sample[i:])
				if unicode.IsLetter(r) {
					other++
				}
			}
			flush()
		default:
			flush()
		}
	}
	flush()
	return hits >= 8 && hits*5 >= words && other*50 <= ascii
}

// maxEnglishWord is the length of the longest of englishWords.
const maxEnglishWord = 5

// englishTable holds englishWords as keys (a word's bytes from bit 0, its
// length at bit 56) in an open-addressed table of a few cache lines:
// plainEnglish looks up every word of the sample, a map costs more.
var englishTable = func() (t [128]uint64) {
	for w := range englishWords {
		if len(w) > maxEnglishWord {
			panic("clean: englishWords has a word longer than maxEnglishWord")
		}
		k := uint64(len(w)) << 56
		for i := 0; i < len(w); i++ {
			k |= uint64(w[i]) << (8 * i)
		}
		h := englishHash(k)
		for t[h] != 0 {
			h = (h + 1) % uint64(len(t))
		}
		t[h] = k
	}
	return t
}()

func englishHash(k uint64) uint64 { return (k * 0x9E3779B97F4A7C15) >> 57 }

// isEnglishWord reports whether key (as englishTable keeps them) is one of
// englishWords.
func isEnglishWord(key uint64) bool {
	for h := englishHash(key); englishTable[h] != 0; h = (h + 1) % uint64(len(englishTable)) {
		if englishTable[h] == key {
			return true
		}
	}
	return false
}
