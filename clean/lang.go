package clean

import (
	"strings"
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
	sample := body
	if len(sample) > langSample {
		cut := langSample
		for cut > 0 && !utf8.RuneStart(sample[cut]) {
			cut--
		}
		sample = sample[:cut]
	}
	if utf8.RuneCountInString(sample) < langMinRunes {
		return ""
	}
	info := whatlanggo.Detect(sample)
	if !info.IsReliable() {
		return ""
	}
	return info.Lang.Iso6391()
}
