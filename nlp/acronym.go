package nlp

import (
	"unicode"

	"github.com/detente/detente"
)

// AcronymDef is one place where an article defines an acronym:
// "Terminal High Altitude Area Defense (THAAD)" or, in reverse order,
// "THAAD (Terminal High Altitude Area Defense)".
type AcronymDef struct {
	Short     string       // "THAAD"
	Long      string       // "Terminal High Altitude Area Defense"
	ShortSpan detente.Span // where Short is in the body
	LongSpan  detente.Span // where Long is in the body
}

// Acronym is the definition as the annotation output holds it.
func (d AcronymDef) Acronym() detente.Acronym {
	return detente.Acronym{Short: d.Short, Long: d.Long}
}

// Acronyms finds acronym definitions: a short form in parentheses after its
// long form, or a long form in parentheses after its short form. Each
// definition is returned where it occurs, so an acronym defined twice
// comes twice.
//
// The matcher follows the idea of Schwartz and Hearst (2003): the short
// form's letters and digits are matched right to left, case-insensitively,
// against the long form's characters, the first one at the start of a word,
// and the long form is the shortest run of words that matches. Two checks
// of our own keep parenthetical remarks out: the short form must look like
// an acronym (at least two capitals, most of its letters capitals) and
// every content word of the long form must start with a letter the short
// form has.
func (t *Text) Acronyms() []AcronymDef {
	var out []AcronymDef
	for _, toks := range t.Tokens {
		for p := 0; p < len(toks); p++ {
			if toks[p].Text != "(" {
				continue
			}
			q := p + 1
			for q < len(toks) && q-p <= 14 && toks[q].Text != ")" && toks[q].Text != "(" {
				q++
			}
			if q >= len(toks) || toks[q].Text != ")" || q == p+1 {
				continue
			}
			inner := toks[p+1 : q]
			if d, ok := t.shortInParens(toks[:p], inner); ok {
				out = append(out, d)
			} else if d, ok := t.longInParens(toks[:p], inner); ok {
				out = append(out, d)
			}
		}
	}
	return out
}

// shortInParens tries "long form (SF)"; before are the sentence's tokens
// before the parenthesis.
func (t *Text) shortInParens(before, inner []detente.Token) (AcronymDef, bool) {
	if len(inner) > 3 || len(before) == 0 {
		return AcronymDef{}, false
	}
	ss := detente.Span{Start: inner[0].Start, End: inner[len(inner)-1].End}
	sf := []rune(t.Span(ss))
	if !looksShort(sf) {
		return AcronymDef{}, false
	}
	maxWords := min(len(sf)+5, 2*len(sf))
	// candidate long form: up to maxWords words before "(", not crossing
	// punctuation that ends a phrase
	a := len(before)
	words := 0
	for a > 0 && words < maxWords {
		w := before[a-1].Text
		if !isWordToken(w) && w != "'s" && w != "’s" && w != "&" {
			break
		}
		a--
		words++
	}
	if a == len(before) {
		return AcronymDef{}, false
	}
	cand := before[a:]
	start := shMatch(sf, t.runes(cand))
	if start < 0 {
		return AcronymDef{}, false
	}
	k := 0
	base := cand[0].Start
	for k < len(cand) && cand[k].End-base <= start {
		k++
	}
	long := cand[k:]
	if len(long) == 0 || isStop(long[0].Text) || !covers(sf, long) {
		return AcronymDef{}, false
	}
	ls := detente.Span{Start: long[0].Start, End: long[len(long)-1].End}
	if ls.End-ls.Start <= len(sf) {
		return AcronymDef{}, false
	}
	return AcronymDef{Short: string(sf), Long: t.Span(ls), ShortSpan: ss, LongSpan: ls}, true
}

// longInParens tries "SF (long form)".
func (t *Text) longInParens(before, inner []detente.Token) (AcronymDef, bool) {
	if len(before) == 0 || len(inner) < 2 {
		return AcronymDef{}, false
	}
	st := before[len(before)-1]
	sf := []rune(st.Text)
	if !looksShort(sf) || len(inner) > min(len(sf)+5, 2*len(sf)) {
		return AcronymDef{}, false
	}
	for _, k := range inner {
		if !isWordToken(k.Text) && k.Text != "'s" && k.Text != "’s" && k.Text != "&" {
			return AcronymDef{}, false
		}
	}
	long := inner
	for len(long) > 0 && (long[0].Text == "the" || long[0].Text == "The") {
		long = long[1:]
	}
	if len(long) == 0 || shMatch(sf, t.runes(long)) != 0 || !covers(sf, long) {
		return AcronymDef{}, false
	}
	ls := detente.Span{Start: long[0].Start, End: long[len(long)-1].End}
	ss := detente.Span{Start: st.Start, End: st.End}
	return AcronymDef{Short: st.Text, Long: t.Span(ls), ShortSpan: ss, LongSpan: ls}, true
}

// runes is the body text under toks, as runes (a long form is short).
func (t *Text) runes(toks []detente.Token) []rune {
	return []rune(t.Span(detente.Span{Start: toks[0].Start, End: toks[len(toks)-1].End}))
}

// looksShort reports whether sf can be a short form: 2–10 characters,
// starting with a letter or digit, with at least two capitals that make up
// at least half of its letters ("THAAD", "MD", "DPRK", "PoW", "SARS-CoV-2").
func looksShort(sf []rune) bool {
	if len(sf) < 2 || len(sf) > 10 || !isWordRune(sf[0]) {
		return false
	}
	up, letters := 0, 0
	for _, r := range sf {
		switch {
		case isUpper(r):
			up++
			letters++
		case isLetter(r):
			letters++
		case isDigit(r) || r == '-' || r == '&' || r == '.' || r == ' ':
		default:
			return false
		}
	}
	return up >= 2 && 2*up >= letters
}

// isWordToken reports whether a token is a word or number.
func isWordToken(w string) bool {
	r := []rune(w[:min(len(w), 4)])
	return len(r) > 0 && isWordRune(r[0])
}

// shMatch matches the short form right to left against lf and returns the
// rune index in lf where the long form begins (the start of the word that
// holds the match of the first character), or -1.
func shMatch(sf, lf []rune) int {
	first := 0
	for first < len(sf) && !isWordRune(sf[first]) {
		first++
	}
	li := len(lf) - 1
	for si := len(sf) - 1; si >= first; si-- {
		c := unicode.ToLower(sf[si])
		if !isWordRune(c) {
			continue
		}
		for li >= 0 {
			if unicode.ToLower(lf[li]) == c && (si != first || li == 0 || !isWordRune(lf[li-1])) {
				break
			}
			li--
		}
		if li < 0 {
			return -1
		}
		li--
	}
	s := li + 1
	for s > 0 && !isSpace(lf[s-1]) {
		s--
	}
	return s
}

// covers reports whether every content word of the long form starts with a
// letter or digit the short form has.
func covers(sf []rune, long []detente.Token) bool {
	var have [128]bool
	other := map[rune]bool{}
	for _, r := range sf {
		r = unicode.ToLower(r)
		if r < 128 {
			have[r] = true
		} else {
			other[r] = true
		}
	}
	for _, k := range long {
		if !isWordToken(k.Text) || isStop(k.Text) || k.Text == "the" || k.Text == "The" || k.Text == "a" {
			continue
		}
		for _, part := range splitHyphen(k.Text) {
			r := unicode.ToLower([]rune(part)[0])
			if r < 128 && !have[r] || r >= 128 && !other[r] {
				return false
			}
		}
	}
	return true
}

// splitHyphen splits "Asia-Pacific" into its parts (non-empty).
func splitHyphen(w string) []string {
	var parts []string
	a := 0
	for i := 0; i < len(w); i++ {
		if w[i] == '-' {
			if i > a {
				parts = append(parts, w[a:i])
			}
			a = i + 1
		}
	}
	if a < len(w) {
		parts = append(parts, w[a:])
	}
	return parts
}
