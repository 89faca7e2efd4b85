package nlp

import (
	"strings"
	"unicode/utf8"

	"github.com/detente/detente"
)

// QuoteMatch is a direct quotation and, when the text says it, who said it.
type QuoteMatch struct {
	// Span is the quotation without its quote marks; Text is its text.
	Span detente.Span
	Text string
	// Speaker is the speaker's noun phrase as the text gives it: a name
	// ("Kang Kyung-wha"), a description ("South Korea's Foreign Ministry",
	// "the ministry", "the statement") or a pronoun. It is empty
	// (Start == End) when no speaker was found.
	Speaker     detente.Span
	SpeakerText string
	// Pronoun is set when the speaker is a pronoun ("he", "she", "they"),
	// which the annotator resolves to the last named person or group.
	Pronoun bool
	// How says which pattern found the speaker:
	//   "after"     "…," X said / "…," said X
	//   "before"    X said: "…" / X said that "…"
	//   "reported"  a quoted fragment in X's reported statement: X said … "expeditiously."
	//   "according" … according to X
	//   "continued" the speaker of the previous quotation in the paragraph or
	//               of the quotation this one continues
	How string
	// Sentence is the index of the sentence where the quotation opens.
	Sentence int
	// Continued is set on the second and later pieces of a quotation that
	// runs over paragraphs (each paragraph opens with a quote mark and only
	// the last one closes it); each piece is its own QuoteMatch.
	Continued bool
}

// Quote is the quotation as the annotation output holds it; the annotator
// fills in the speaker's canonical name and actor code.
func (q QuoteMatch) Quote() detente.Quote {
	return detente.Quote{Text: q.Text, Start: q.Span.Start, End: q.Span.End, Speaker: q.SpeakerText}
}

// Quote mark kinds.
const (
	qNone = iota
	qOpen
	qClose
	qEither // a straight quote the spacing does not decide
)

// quoteMark classifies token k as an opening or closing double quote.
// A straight quote opens when it is attached to the next token and not to
// the previous one, and closes the other way round.
func (t *Text) quoteMark(k int) int {
	w := t.flat[k].Text
	if w == "" || w[0] != '"' && w[0] != 0xE2 && w[0] != 0xC2 {
		return qNone // every mark below starts with one of these bytes
	}
	switch w {
	case "“", "„", "«":
		return qOpen
	case "”", "»":
		return qClose
	case "\"":
	default:
		return qNone
	}
	n := len(t.flat)
	left := k > 0 && t.info[k].flags&(fSpaceBefore|fParaBefore) == 0
	right := k+1 < n && t.info[k+1].flags&(fSpaceBefore|fParaBefore) == 0
	switch {
	case right && !left:
		return qOpen
	case left && !right:
		return qClose
	case left && right:
		switch t.flat[k-1].Text {
		case "(", "[", "—", "–", "-", ":", "/":
			return qOpen
		}
		switch t.flat[k+1].Text {
		case ",", ".", ";", ":", ")", "?", "!":
			return qClose
		}
	}
	return qEither
}

// piece is a quotation found by pairing marks: o is the opening mark, c the
// closing mark or, for an unclosed piece, the first token of the next
// paragraph.
type piece struct {
	o, c      int
	closed    bool
	continued bool
}

// Quotes finds direct quotations (straight and curly double quotes,
// including quotations that run over several paragraphs) and their
// speakers. Quotations whose speaker the patterns do not find are returned
// with an empty Speaker, so the caller decides what to do with scare quotes.
func (t *Text) Quotes() []QuoteMatch {
	n := len(t.flat)
	if n == 0 {
		return nil
	}
	var pieces []piece
	open, cont := -1, false
	for k := 0; k < n; k++ {
		m := t.quoteMark(k)
		if k > 0 && t.info[k].flags&fParaBefore != 0 && open >= 0 {
			if m == qOpen || m == qEither {
				// the quotation goes on in this paragraph
				if k > open+1 {
					pieces = append(pieces, piece{o: open, c: k, continued: cont})
				}
				open, cont = k, true
				continue
			}
			open, cont = -1, false
		}
		switch {
		case m == qNone:
		case open < 0:
			if m != qClose {
				open = k
			}
		case m == qOpen:
			open, cont = k, false // an unbalanced mark: start again
		default:
			if k > open+1 {
				pieces = append(pieces, piece{o: open, c: k, closed: true, continued: cont})
			}
			open, cont = -1, false
		}
	}
	if len(pieces) == 0 {
		return nil
	}
	sentOf := t.sentenceIndex()
	out := make([]QuoteMatch, len(pieces))
	for i, p := range pieces {
		cs := detente.Span{Start: t.flat[p.o+1].Start, End: t.flat[p.c-1].End}
		q := QuoteMatch{Span: cs, Text: t.Span(cs), Sentence: int(sentOf[p.o]), Continued: p.continued}
		a, b, how := t.speaker(p, sentOf)
		if b > a {
			q.Speaker = detente.Span{Start: t.flat[a].Start, End: t.flat[b-1].End}
			q.SpeakerText = t.Span(q.Speaker)
			q.Pronoun = b == a+1 && pronouns[t.flat[a].Text]
			q.How = how
		}
		out[i] = q
	}
	// a quotation without a speaker takes the one of the quotation it
	// continues, or of the previous quotation in its paragraph
	for i := 1; i < len(out); i++ {
		if out[i].How != "" {
			continue
		}
		if pieces[i].continued || t.samePara(pieces[i-1].c, pieces[i].o) {
			if out[i-1].How != "" {
				inherit(&out[i], out[i-1])
			}
		}
	}
	// and the first pieces of a multi-paragraph quotation take the speaker
	// named after its last piece
	for i := len(out) - 2; i >= 0; i-- {
		if out[i].How == "" && pieces[i+1].continued && out[i+1].How != "" {
			inherit(&out[i], out[i+1])
		}
	}
	return out
}

func inherit(q *QuoteMatch, from QuoteMatch) {
	q.Speaker, q.SpeakerText, q.Pronoun = from.Speaker, from.SpeakerText, from.Pronoun
	q.How = "continued"
}

// samePara reports whether no line break lies between tokens a and b.
func (t *Text) samePara(a, b int) bool {
	for k := a + 1; k <= b && k < len(t.info); k++ {
		if t.info[k].flags&fParaBefore != 0 {
			return false
		}
	}
	return true
}

// sentenceIndex maps each token to its sentence.
func (t *Text) sentenceIndex() []int32 {
	s := make([]int32, len(t.flat))
	for i := 0; i+1 < len(t.first); i++ {
		for k := t.first[i]; k < t.first[i+1]; k++ {
			s[k] = int32(i)
		}
	}
	return s
}

// speaker finds the speaker of a quotation: tokens [a, b) and how.
func (t *Text) speaker(p piece, sentOf []int32) (int, int, string) {
	if p.closed {
		if a, b := t.speakerAfter(p.c, sentOf); b > a {
			return a, b, "after"
		}
	}
	if a, b, how := t.speakerBefore(p.o, sentOf); b > a {
		return a, b, how
	}
	if a, b := t.according(p, sentOf); b > a {
		return a, b, "according"
	}
	if a, b := t.speakerAtEnd(p, sentOf); b > a {
		return a, b, "reported"
	}
	return 0, 0, ""
}

// speakerAtEnd reads an attribution that ends the quotation's sentence
// after the quotation: `… "submersible" equipment, Soelistyo said.` or
// `…, said Soelistyo.`
func (t *Text) speakerAtEnd(p piece, sentOf []int32) (int, int) {
	if !p.closed {
		return 0, 0
	}
	s := sentOf[p.c]
	lo, hi := t.first[s], t.first[s+1]
	e := hi
	for e > lo && isPunct(t.flat[e-1].Text) {
		e--
	}
	if e <= p.c+1 {
		return 0, 0
	}
	if speechVerbs[t.flat[e-1].Text] {
		a, b := t.npBackward(e-1, p.c+1)
		if b > a && a > lo && t.flat[a-1].Text == "," {
			return a, b
		}
		return 0, 0
	}
	// ", said X."
	for v := e - 2; v > p.c+1 && v >= e-8; v-- {
		if speechVerbs[t.flat[v].Text] && t.flat[v-1].Text == "," {
			if a, b := t.npForward(v+1, e); b == e {
				return a, b
			}
			return 0, 0
		}
	}
	return 0, 0
}

// isPunct reports a token that is punctuation rather than a word.
func isPunct(x string) bool {
	return !isWordToken(x) && x != "'s" && x != "’s"
}

// speakerAfter reads `"…," X said` and `"…," said X` after closing mark c.
func (t *Text) speakerAfter(c int, sentOf []int32) (int, int) {
	k := c + 1
	if k >= len(t.flat) || sentOf[k] != sentOf[c] || t.info[k].flags&fParaBefore != 0 {
		return 0, 0
	}
	end := t.first[sentOf[c]+1]
	if x := t.flat[k].Text; x == "," || x == "—" || x == "–" || x == "--" {
		k++
	} else if !isPunct(t.flat[c-1].Text) {
		// `the "submersible" equipment, X said`: a fragment, not `"…," X said`
		return 0, 0
	}
	if k >= end {
		return 0, 0
	}
	if speechVerbs[t.flat[k].Text] {
		return t.npForward(k+1, end)
	}
	for v := k + 1; v < end && v < k+14; v++ {
		x := t.flat[v].Text
		if t.quoteMark(v) != qNone || x == "." || x == ";" || x == "?" || x == "!" {
			break
		}
		if !speechVerbs[x] {
			continue
		}
		// the subject is what lies between; an appositive after a comma
		// ("Kang, the foreign minister, said") is left out
		b := k
		for b < v && t.flat[b].Text != "," && t.flat[b].Text != "(" {
			b++
		}
		for b > k && isAdverb(t.flat[b-1].Text) {
			b--
		}
		if t.validNP(k, b) {
			return k, b
		}
		break
	}
	return 0, 0
}

// speakerBefore reads `X said: "…"`, `X said that "…"` and a quoted
// fragment in a reported statement (`X said … "expeditiously."`): the
// nearest reporting verb before the opening mark in its sentence, and its
// subject.
func (t *Text) speakerBefore(o int, sentOf []int32) (int, int, string) {
	lo := t.first[sentOf[o]]
	for v := o - 1; v >= lo; v-- {
		if t.quoteMark(v) != qNone {
			break
		}
		x := t.flat[v].Text
		if !speechVerbs[x] {
			continue
		}
		a, b := t.npBackward(v, lo)
		if b <= a {
			return 0, 0, ""
		}
		how := "reported"
		between := 0
		for k := v + 1; k < o; k++ {
			y := t.flat[k].Text
			if y == ":" || y == "," || y == "that" || y == "—" {
				continue
			}
			between++
		}
		if between <= 3 && (o-1 <= v || t.flat[o-1].Text == ":" || t.flat[o-1].Text == "," || t.flat[o-1].Text == "that" || between == 0) {
			how = "before"
		}
		return a, b, how
	}
	return 0, 0, ""
}

// according finds "according to X" in the quotation's sentences, outside
// the quotation.
func (t *Text) according(p piece, sentOf []int32) (int, int) {
	lo := t.first[sentOf[p.o]]
	last := p.c
	if last >= len(t.flat) {
		last = len(t.flat) - 1
	}
	hi := t.first[sentOf[last]+1]
	for k := lo; k+2 < hi; k++ {
		if k >= p.o && k <= p.c {
			continue
		}
		if strings.EqualFold(t.flat[k].Text, "according") && t.flat[k+1].Text == "to" {
			return t.npForward(k+2, hi)
		}
	}
	return 0, 0
}

// npForward reads a speaker noun phrase starting at token k: a pronoun, or
// an optional determiner followed by capitalized words (with 's, and "of",
// "for", "and" between capitalized words) and up to three common nouns.
func (t *Text) npForward(k, end int) (int, int) {
	if k >= end {
		return 0, 0
	}
	if pronouns[t.flat[k].Text] {
		return k, k + 1
	}
	j := k
	if determiners[t.flat[j].Text] {
		j++
	}
	lowers := 0
	for j < end {
		x := t.flat[j].Text
		switch {
		case isCapWord(x) && !isStop(x):
		case (x == "'s" || x == "’s") && j > k:
		case isJoiner(x) && j > k && j+1 < end && isCapWord(t.flat[j+1].Text):
		case isLowerWord(x) && !isStop(x) && lowers < 3:
			lowers++
		default:
			goto done
		}
		j++
	}
done:
	for j > k && isJoiner(t.flat[j-1].Text) {
		j--
	}
	if !t.validNP(k, j) {
		return 0, 0
	}
	return k, j
}

// npBackward reads the subject noun phrase that ends just before verb v,
// not going back past token lo.
func (t *Text) npBackward(v, lo int) (int, int) {
	j := v - 1
	if strings.HasSuffix(t.flat[v].Text, "ing") && j-1 >= lo && t.flat[j].Text == "as" && t.flat[j-1].Text == "quoted" {
		j -= 2 // "X was quoted as saying"
		if j >= lo && (t.flat[j].Text == "was" || t.flat[j].Text == "were" || t.flat[j].Text == "is") {
			j--
		}
	}
	for j >= lo && isAdverb(t.flat[j].Text) {
		j--
	}
	end := j + 1
	if j < lo {
		return 0, 0
	}
	if pronouns[t.flat[j].Text] {
		return j, j + 1
	}
	lowers := 0
	for j >= lo {
		x := t.flat[j].Text
		switch {
		case determiners[x]:
			j--
			if j >= lo && (t.flat[j].Text == "of" || t.flat[j].Text == "for") && j > lo {
				j-- // "a spokesman for the ministry"
				continue
			}
			goto done
		case isCapWord(x) && !isStop(x):
		case (x == "'s" || x == "’s") && j > lo:
		case isJoiner(x) && j > lo && j+1 < end && isCapWord(t.flat[j-1].Text) && isCapWord(t.flat[j+1].Text):
		case isLowerWord(x) && !isStop(x) && lowers < 3:
			lowers++
		default:
			goto done
		}
		j--
	}
done:
	a := j + 1
	if !t.validNP(a, end) {
		return 0, 0
	}
	return a, end
}

// validNP checks that tokens [a, b) can be a speaker: at most ten tokens,
// all words, not starting with a stop word or a possessive.
func (t *Text) validNP(a, b int) bool {
	if b <= a || b-a > 10 {
		return false
	}
	first := t.flat[a].Text
	if b == a+1 && pronouns[first] {
		return true
	}
	if isStop(first) || first == "'s" || first == "’s" {
		return false
	}
	content := false
	for k := a; k < b; k++ {
		x := t.flat[k].Text
		if !isWordToken(x) && x != "'s" && x != "’s" && x != "&" {
			return false
		}
		if !determiners[x] && !isJoiner(x) {
			content = true
		}
	}
	return content
}

func isJoiner(x string) bool {
	return x == "of" || x == "for" || x == "and" || x == "the" || x == "&" || x == "de" || x == "al"
}

// isAdverb reports words that sit between a subject and its reporting
// verb ("also said", "has said", "later told").
func isAdverb(x string) bool {
	switch x {
	case "also", "later", "then", "has", "had", "have", "recently", "previously", "reportedly", "again",
		"further", "earlier", "separately", "repeatedly", "publicly", "privately", "once", "would",
		"will", "did", "does", "do", "not", "never", "first":
		return true
	}
	return len(x) > 4 && strings.HasSuffix(x, "ly") && isLowerWord(x)
}

func isCapWord(x string) bool {
	r, _ := utf8.DecodeRuneInString(x)
	return isUpper(r)
}

func isLowerWord(x string) bool {
	r, _ := utf8.DecodeRuneInString(x)
	return isLower(r)
}
