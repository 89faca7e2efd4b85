package nlp

import (
	"unicode/utf8"

	"github.com/detente/detente"
)

// split groups the tokens into sentences.
func (t *Text) split() {
	n := len(t.flat)
	t.first = make([]int, 0, n/16+2)
	if n == 0 {
		t.first = append(t.first, 0)
		return
	}
	start := 0
	t.first = append(t.first, 0)
	for i := 0; i < n; {
		if i > start && t.info[i].flags&fParaBefore != 0 {
			t.first = append(t.first, i)
			start = i
		}
		end := t.sentenceEnd(i)
		if end < 0 {
			i++
			continue
		}
		// end is the index after the last token of the sentence
		if end < n && t.info[end].flags&fParaBefore == 0 {
			t.first = append(t.first, end)
			start = end
		}
		i = end
	}
	t.first = append(t.first, n)
	t.Sentences = make([]detente.Span, len(t.first)-1)
	t.Tokens = make([][]detente.Token, len(t.first)-1)
	for k := 0; k+1 < len(t.first); k++ {
		a, b := t.first[k], t.first[k+1]
		t.Sentences[k] = detente.Span{Start: t.flat[a].Start, End: t.flat[b-1].End}
		t.Tokens[k] = t.flat[a:b:b]
	}
}

// sentenceEnd decides whether token i ends a sentence. It returns the index
// just after the sentence's last token (closing quotes and brackets after
// the terminator belong to the sentence), or -1.
func (t *Text) sentenceEnd(i int) int {
	w := t.flat[i].Text
	fl := t.info[i].flags
	if fl&(fTitle|fAbbrev) == 0 && w != "" {
		// Most tokens: no terminator starts with their first byte (the
		// ASCII ones start with '.', '?' or '!', the others with a byte
		// from 0xE2 on).
		if c := w[0]; c != '.' && c != '?' && c != '!' && c < 0xE2 {
			return -1
		}
	}
	var kind byte
	switch {
	case w == "." || w == "?" || w == "!" || w == "?!" || w == "…" || w == "‽" || w == "。" || w == "？" || w == "！":
		kind = w[0]
	case len(w) >= 2 && w[0] == '.' && w[1] == '.':
		kind = 'e' // ellipsis
	case fl&fTitle != 0:
		return -1
	case fl&fAbbrev != 0:
		kind = 'a'
	default:
		return -1
	}
	if w == "…" {
		kind = 'e'
	}
	j := i + 1
	n := len(t.flat)
	// absorb more terminators and closing marks
	for j < n && t.info[j].flags&fParaBefore == 0 {
		x := t.flat[j].Text
		if x == "." || x == "?" || x == "!" || x == "…" {
			j++
			continue
		}
		if isCloser(x) || (x == "\"" || x == "'") && t.info[j].flags&fSpaceBefore == 0 {
			j++
			continue
		}
		break
	}
	if j >= n || t.info[j].flags&fParaBefore != 0 {
		return j
	}
	next := t.flat[j].Text
	r, _ := utf8.DecodeRuneInString(next)
	switch kind {
	case 'a':
		if starters[next] {
			return j
		}
		// U.S. “We… starts a sentence, U.S. “will continue… does not
		if isOpener(next) && j == i+1 && j+1 < n {
			r2, _ := utf8.DecodeRuneInString(t.flat[j+1].Text)
			if isUpper(r2) {
				return j
			}
		}
		return -1
	case 'e':
		if isUpper(r) && next != "I" || isOpener(next) {
			return j
		}
		return -1
	}
	// a plain period, question or exclamation mark: a lowercase word or
	// a comma after it continues the sentence ("Why?" he asked.)
	if isLower(r) || next == "," || next == ";" || next == ":" || next == ")" {
		return -1
	}
	if j > i+1 && t.attribution(j) {
		return -1 // "Why?" Pelosi said.
	}
	return j
}

// attribution reports whether tokens from j are a short speaker and a
// reporting verb that end the sentence ("Pelosi said.", "The ministry
// said,"), which belong to the quotation before them.
func (t *Text) attribution(j int) bool {
	for k := j; k < len(t.flat) && k < j+5; k++ {
		if k > j && t.info[k].flags&fParaBefore != 0 {
			return false
		}
		x := t.flat[k].Text
		if speechVerbs[x] {
			if k == j || k+1 >= len(t.flat) {
				return false
			}
			y := t.flat[k+1].Text
			return y == "." || y == ","
		}
		if !isWordToken(x) {
			return false
		}
	}
	return false
}

// isCloser reports closing quotes and brackets that follow a terminator.
func isCloser(x string) bool {
	switch x {
	case "”", "’", "»", "›", ")", "]", "}", "」", "』":
		return true
	}
	return false
}

// isOpener reports opening quotes and brackets.
func isOpener(x string) bool {
	switch x {
	case "“", "‘", "«", "‹", "„", "(", "[", "\"", "'", "「", "『":
		return true
	}
	return false
}
