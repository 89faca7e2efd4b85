package clean

import (
	"math"
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/RadhiFadlillah/whatlanggo"
)

// whatlanggo scores a Latin-script text against each of its ~50 language
// profiles by looking every one of the profile's 300 trigrams up in a map of
// the text's trigrams: 15,000 lookups of short strings spread over a large
// table, 0.25 ms an article when cleaning runs alone and over a millisecond
// inside the pipeline, whose other stages have evicted that table. The few
// articles the English shortcut leaves to it (one in forty of AllSides)
// cost a third of cleaning.
//
// detectLatin computes the same decision from the other side: the text's
// own trigrams (at most a thousand) are sorted, and each distinct one is
// looked up once in an index of the profiles that lists, for every trigram,
// the languages that have it and at what rank. The distances, trigram
// counts and confidence are whatlanggo's own integers and formulas, so the
// result is the same (TestDetectLatinAgreesWithWhatlanggo).

//go:generate go run gen_trigrams.go

// maxTrigramDistance is whatlanggo's: the trigram at rank i of a profile
// weighs maxTrigramDistance-i.
const maxTrigramDistance = 300

// posting is one language having a trigram: the language's index in
// latinProfiles and the trigram's weight in its profile.
type posting struct {
	lang   uint8
	weight uint16
}

type trigramIndex struct {
	// span[key] is where key's postings stand in postings.
	span     map[uint64]struct{ at, n uint16 }
	postings []posting
	iso      []string // latinProfiles[i].lang.Iso6391()
}

// trigramKey packs three runes (21 bits each) into one integer.
func trigramKey(r1, r2, r3 rune) uint64 {
	return uint64(r1)<<42 | uint64(r2)<<21 | uint64(r3)
}

var latinIndex = sync.OnceValue(func() *trigramIndex {
	byKey := map[uint64][]posting{}
	var keys []uint64
	for li, p := range latinProfiles {
		s := p.trigrams
		for rank := 0; s != ""; rank++ {
			var r [3]rune
			for k := range r {
				c, size := utf8.DecodeRuneInString(s)
				r[k], s = c, s[size:]
			}
			key := trigramKey(r[0], r[1], r[2])
			if _, ok := byKey[key]; !ok {
				keys = append(keys, key)
			}
			byKey[key] = append(byKey[key], posting{uint8(li), uint16(maxTrigramDistance - rank)})
		}
	}
	x := &trigramIndex{span: make(map[uint64]struct{ at, n uint16 }, len(keys))}
	for _, key := range keys {
		ps := byKey[key]
		if len(latinProfiles) > 64 || len(x.postings)+len(ps) > math.MaxUint16 {
			panic("clean: whatlanggo's Latin profiles outgrew the trigram index")
		}
		x.span[key] = struct{ at, n uint16 }{uint16(len(x.postings)), uint16(len(ps))}
		x.postings = append(x.postings, ps...)
	}
	for _, p := range latinProfiles {
		x.iso = append(x.iso, p.lang.Iso6391())
	}
	return x
})

// asciiClass is, for each ASCII byte, whether whatlanggo treats it as a
// stop character (space, punctuation, symbol, digit) and whether it is a
// Latin letter; it is computed with whatlanggo's own tests.
var asciiClass = func() (c [utf8.RuneSelf]uint8) {
	for r := rune(0); r < utf8.RuneSelf; r++ {
		if isStopChar(r) {
			c[r] |= classStop
		}
		if unicode.Is(unicode.Latin, r) {
			c[r] |= classLatin
		}
	}
	return c
}()

const (
	classStop  = 1
	classLatin = 2
)

// isStopChar is whatlanggo's: the runes it reads as a space.
func isStopChar(r rune) bool {
	return unicode.IsSymbol(r) || unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsDigit(r)
}

// mostlyLatin reports whether whatlanggo's script detection returns Latin
// on its first test: more Latin letters than half the bytes of text. (No
// other script can then win, and without it detectLatin is not used.)
func mostlyLatin(text string) bool {
	n := 0
	for _, r := range text {
		if r < utf8.RuneSelf {
			if asciiClass[r]&(classStop|classLatin) == classLatin {
				n++
			}
		} else if !isStopChar(r) && unicode.Is(unicode.Latin, r) {
			n++
		}
	}
	return n > len(text)/2
}

// trigramRune is whatlanggo's rune for a trigram: stop characters become a
// space, and letters are lowered.
func trigramRune(r rune) rune {
	if r < utf8.RuneSelf {
		if asciiClass[r]&classStop != 0 {
			return ' '
		}
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	if isStopChar(r) {
		return ' '
	}
	return unicode.ToLower(r)
}

// maxSample bounds the runes detectLatin reads; language samples are
// langSample bytes.
const maxSample = langSample

// detectLatin is whatlanggo.Detect(text)'s language when it calls it
// reliable, else ""; ok is false when text is not one detectLatin can
// judge the same way (not mostly Latin letters, or too long), and the
// caller must ask whatlanggo.
func detectLatin(text string) (lang string, ok bool) {
	if len(text) > maxSample || !mostlyLatin(text) {
		return "", false
	}
	// The text's trigrams, as whatlanggo's count makes them: the text
	// followed by a space, read from a space, skipping a space between two
	// spaces and at either end of a word.
	var buf [maxSample + 1]uint64
	keys := buf[:0]
	r1, r2 := ' ', rune(-1)
	emit := func(r3 rune) {
		if r2 < 0 {
			r2 = r3
			return
		}
		if !(r2 == ' ' && (r1 == ' ' || r3 == ' ')) {
			keys = append(keys, trigramKey(r1, r2, r3))
		}
		r1, r2 = r2, r3
	}
	for _, r := range text {
		emit(trigramRune(r))
	}
	emit(' ')
	slices.Sort(keys)

	x := latinIndex()
	var dist, num [64]int
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j] == keys[i] {
			j++
		}
		if sp, found := x.span[keys[i]]; found {
			count := j - i
			for _, p := range x.postings[sp.at : sp.at+sp.n] {
				dist[p.lang] += int(p.weight) * count
				num[p.lang]++
			}
		}
		i = j
	}
	return x.decide(dist[:len(x.iso)], num[:len(x.iso)]), true
}

// decide is whatlanggo's calculateConfidence followed by IsReliable: the
// language with the greatest distance when its lead over the next is
// clear enough. When two share the greatest distance whatlanggo's choice
// between them depends on map order, but its confidence is then 0 (or the
// distance is 0 and there is no language), so the answer is "" either way.
func (x *trigramIndex) decide(dist, num []int) string {
	best := -1
	for i, d := range dist {
		if best < 0 || d > dist[best] {
			best = i
		}
	}
	score1, score2 := dist[best], -1
	for i, d := range dist {
		if i != best && d > score2 {
			score2 = d
		}
	}
	var confidence float64
	switch {
	case score1 == 0 || score1 == score2:
		return ""
	case score2 == 0:
		confidence = float64(score1 / 500) // whatlanggo's: an integer division
		if confidence > 1.0 {
			confidence = 1.0
		}
	default:
		rate := float64(score1-score2) / float64(score2)
		confidentRate := float64(12.0/float64(num[best])) + 0.05
		if rate > confidentRate {
			confidence = 1.0
		} else {
			confidence = rate / confidentRate
		}
		confidence = math.Round(confidence*100) / 100
	}
	if !(confidence > whatlanggo.ReliableConfidenceThreshold) {
		return ""
	}
	return x.iso[best]
}
