// Package coder is detente's event coder: from each sentence of an
// annotated article it finds the political events between actors — who did
// what to whom — and codes them in CAMEO and PLOVER, each traceable to its
// words.
//
// It works TABARI-style, from the raw sentence and the annotation layer's
// actor mentions, with a shallow syntax of its own: verb candidates come
// from the verb dictionary's index of forms, patterns are matched on the
// words around the verb within its clause, the source is the subject actor
// before the verb (the passive voice's "by" actor), the target the first
// actor after it, compound actors ("China and South Korea") code each
// member, and the words of the verb group decide negation and modality
// (cameo.Resolve). The conventions are written down in docs/coding.md.
package coder

import (
	"fmt"
	"strings"

	"github.com/detente/detente"
	"github.com/detente/detente/annotate"
	"github.com/detente/detente/coder/dict"
)

// Coder codes events with one verb dictionary. It compiles the dictionary
// once in New; Code is safe for concurrent use.
type Coder struct {
	// Dict is the verb dictionary the coder was built from.
	Dict *dict.Dictionary
	// Plain, when set, codes every verb as written: no modality rules
	// ("will meet" stays 040) and negated events are dropped instead of
	// turned into their opposite. PETRARCH-1's own unit suite expects
	// this, since its dictionaries carry their modal phrasings as patterns.
	Plain bool

	// lex holds, for every verb form, every word a pattern names and the
	// closed word classes, the verbs of that form, the word's id (see
	// compiled.go) and its classes: one lookup per token serves finding
	// verbs, matching patterns and the syntax rules.
	lex *lexicon
	// synIndex numbers the synsets, and synsByID lists, per word id, the
	// phrases of each synset that start with it, so a synset element at a
	// token tries only the phrases that token can start.
	synIndex map[string]int32
	synsByID [][]synPhrases
	// synMask is, per word id, the synset bits of a clauseSig side for
	// the synsets the word can start (see addSide).
	synMask [][2]uint64
	// synByWord is synsByID while New builds it.
	synByWord map[int32][]synPhrases
	discards  []dict.Discard
	// sentDiscards indexes sentence-level discards by the first (up to)
	// four letters of their first word, so a sentence is checked token
	// by token instead of phrase by phrase.
	sentDiscards map[string][]sentDiscard
	// sentKeys holds sentDiscards' keys, so most tokens' prefixes are
	// ruled out without a map lookup.
	sentKeys prefixSet
	// storyLists holds the story-level discards by their first two bytes
	// (storyAt gives a pair's list, 0 the empty one), so the body is read
	// once rather than once per discard; storyQuads has a bit (hashed) for
	// the first four bytes of each, so that the places where none starts,
	// nearly all, are ruled out without reading a list ("in" and "to"
	// start listed phrases). shortStory are those shorter than four.
	storyLists [][]*dict.Discard
	storyAt    [1 << 16]uint32
	storyQuads [1 << 8]uint64
	shortStory []*dict.Discard
}

// prefixKey packs a word prefix of one to four bytes (and its length)
// into a number.
func prefixKey(p string) uint64 {
	var x uint64
	for i := 0; i < len(p); i++ {
		x |= uint64(p[i]) << (8 * i)
	}
	return x | uint64(len(p))<<32
}

// prefixSet is a 2^18-bit set of prefixKeys, hashed: a clear bit means
// the prefix is certainly not a key, a set bit that it may be.
type prefixSet [1 << 12]uint64

func prefixBit(x uint64) uint64 { return (x * 0x9E3779B97F4A7C15) >> (64 - 18) }

func (s *prefixSet) add(x uint64)      { b := prefixBit(x); s[b>>6] |= 1 << (b & 63) }
func (s *prefixSet) has(x uint64) bool { b := prefixBit(x); return s[b>>6]&(1<<(b&63)) != 0 }

// quadBit hashes four bytes to a bit of Coder.storyQuads.
func quadBit(x uint32) uint32 { return (x * 0x9E3779B1) >> (32 - 14) }

// pair is the two bytes of s at i as one number.
func pair(s string, i int) uint16 { return uint16(s[i])<<8 | uint16(s[i+1]) }

// sentDiscard is a sentence-level discard split into words.
type sentDiscard struct {
	d     *dict.Discard
	words int
}

// cverb is a verb with its patterns compiled and sorted most specific first.
type cverb struct {
	// pre and post are v.Pre and v.Post, here so that findVerbs, trying
	// every entry of a form, reads no dict.Verb.
	pre, post []string
	// lemma, code and rev are v.Lemma, v.Code and v.ReverseCode; edForm
	// says whether one of v.Forms ends in "ed" (a regular past form);
	// nounish whether the verb is one news uses mostly as a noun
	// (nounish) and has no words around its head. Here, beside pre and
	// post, so that finding verbs, choosing among a form's entries and
	// the syntax rules read no dict.Verb and none of its forms.
	lemma, code, rev string
	edForm, nounish  bool
	v                *dict.Verb
	patterns         []cpattern
	// gates are what choose reads of each pattern before trying it, in a
	// compact list of their own: common verbs have hundreds of patterns.
	gates []patGate
	// file is the file part of v.Source (sourceFile).
	file string
	// phrase is v.Phrase(); bare is the explanation's words for the verb
	// coded without a pattern. Both are written once here rather than
	// per event.
	phrase, bare string
}

// cpattern is a pattern split around its verb: before holds the elements
// before the verb in sentence order, after those following it.
type cpattern struct {
	p             *dict.Pattern
	before, after []celem
	// expl is the explanation's words for the pattern: its elements, code
	// and source.
	expl string
	// need is the summary of the words every match needs before and after
	// the verb (literal words and prepositions, a first word of each
	// synset), its nonzero words: a clause lacking one there is not tried.
	need []sigWord
	// verbJoined: the verb must directly follow the last before element;
	// afterJoined likewise for the first after element.
	verbJoined bool
	weight     int
	hasSource  bool
	hasTarget  bool
	compound   bool
}

// New compiles d: an index from every verb form to its verbs, patterns
// sorted most specific first (PETRARCH tries the longest first), synsets
// split into words.
func New(d *dict.Dictionary) *Coder {
	c := &Coder{Dict: d}
	index := map[string][]*cverb{}
	v := vocab{}
	c.compileSynsets(d, v)
	type compiled struct {
		ps []cpattern
		gs []patGate
	}
	shared := map[*dict.Pattern]compiled{}
	for i := range d.Verbs {
		dv := &d.Verbs[i]
		cv := &cverb{v: dv, pre: dv.Pre, post: dv.Post, file: sourceFile(dv.Source), phrase: dv.Phrase(), lemma: dv.Lemma,
			code: dv.Code, rev: dv.ReverseCode,
			edForm: hasEdForm(dv), nounish: nounish[dv.Lemma] && len(dv.Pre)+len(dv.Post) == 0}
		cv.bare = fmt.Sprintf("(%s) with no pattern matching: the verb's own code [%s] from %s", cv.phrase, codeString(dv.Code, dv.ReverseCode), dv.Source)
		if len(dv.Patterns) > 0 {
			key := &dv.Patterns[0]
			if cp, ok := shared[key]; ok {
				cv.patterns, cv.gates = cp.ps, cp.gs
			} else {
				for j := range dv.Patterns {
					cv.patterns = append(cv.patterns, c.compile(&dv.Patterns[j], v))
				}
				sortPatterns(cv.patterns)
				cv.gates = gatesOf(cv.patterns)
				shared[key] = compiled{cv.patterns, cv.gates}
			}
		}
		for _, f := range dv.Forms {
			index[f] = append(index[f], cv)
		}
	}
	c.finishVocab(v, index)
	c.discards = d.Discards
	c.sentDiscards = map[string][]sentDiscard{}
	c.storyLists = [][]*dict.Discard{nil}
	for i := range d.Discards {
		ds := &d.Discards[i]
		if ds.Story {
			if len(ds.Text) < 4 {
				c.shortStory = append(c.shortStory, ds)
				continue
			}
			k := pair(ds.Text, 0)
			if c.storyAt[k] == 0 {
				c.storyAt[k] = uint32(len(c.storyLists))
				c.storyLists = append(c.storyLists, nil)
			}
			c.storyLists[c.storyAt[k]] = append(c.storyLists[c.storyAt[k]], ds)
			q := quadBit(le32(ds.Text, 0))
			c.storyQuads[q>>6] |= 1 << (q & 63)
			continue
		}
		first := strings.Fields(ds.Text)[0]
		key := first
		if len(key) > 4 {
			key = key[:4]
		}
		c.sentDiscards[key] = append(c.sentDiscards[key], sentDiscard{ds, len(strings.Fields(ds.Text))})
		c.sentKeys.add(prefixKey(key))
	}
	c.lex.mark(fDiscard, func(w string) bool {
		for k := 1; k <= 4 && k <= len(w); k++ {
			if len(c.sentDiscards[w[:k]]) > 0 {
				return true
			}
		}
		return false
	})
	return c
}

func (c *Coder) compile(p *dict.Pattern, v vocab) cpattern {
	cp := cpattern{p: p}
	cp.expl = fmt.Sprintf("%q [%s] from %s", dict.FormatElements(p.Elements), codeString(p.Code, p.ReverseCode), p.Source)
	vi := -1
	var before, after []dict.Element
	for i, e := range p.Elements {
		if e.Kind == dict.VerbSlot {
			vi = i
			cp.verbJoined = e.Joined
			continue
		}
		if vi < 0 {
			before = append(before, e)
		} else {
			after = append(after, e)
		}
	}
	cp.before, cp.after = c.compileElems(before, v), c.compileElems(after, v)
	var req clauseSig
	required(cp.before, &req, sideBefore)
	required(cp.after, &req, sideAfter)
	cp.need = req.sparse()
	var walk func(es []dict.Element)
	walk = func(es []dict.Element) {
		for _, e := range es {
			switch e.Kind {
			case dict.SourceSlot:
				cp.hasSource = true
				cp.weight++
			case dict.TargetSlot:
				cp.hasTarget = true
				cp.weight++
			case dict.CompoundSlot:
				cp.compound = true
				cp.weight++
			case dict.Word, dict.Synset, dict.Choice:
				cp.weight += 2
			case dict.Skip:
				cp.weight++
			case dict.Prep:
				cp.weight += 2
			}
			walk(e.Elems)
		}
	}
	walk(p.Elements)
	return cp
}

func sortPatterns(ps []cpattern) {
	// insertion sort keeps file order among equals (stable), patterns are few
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].weight > ps[j-1].weight; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// CodeSentence codes one sentence given as text, annotated on the spot
// with an, dated date ("YYYY-MM-DD" or ""). It is the helper behind
// `detente code "one sentence"`.
func (c *Coder) CodeSentence(text, date string, an *annotate.Annotator) []detente.Event {
	a := &detente.Article{ID: "sentence", Body: text, Published: date, Language: "en"}
	return c.Code(a, an.Annotate(a))
}

// words splits a dictionary phrase the way the tokenizer splits text:
// clitics apart ("didn't" → "did n't", "won't" → "wo n't", "gondor's" →
// "gondor 's").
func words(phrase string) []string {
	var out []string
	for _, w := range strings.Fields(phrase) {
		switch {
		case len(w) > 3 && strings.HasSuffix(w, "n't"):
			out = append(out, w[:len(w)-3], "n't")
		case len(w) > 2 && strings.HasSuffix(w, "'s"):
			out = append(out, w[:len(w)-2], "'s")
		default:
			out = append(out, w)
		}
	}
	return out
}
