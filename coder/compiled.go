package coder

import (
	"sort"

	"github.com/detente/detente/coder/dict"
)

// Patterns are matched on word ids, not strings: New gives every word a
// pattern can name (literal words, prepositions, synset and choice
// phrases) a small integer, each sentence maps its tokens to those ids
// once, and an element then compares integers instead of hashing and
// comparing strings per token per pattern. Tokens no pattern names get 0.

// celem is a dict.Element compiled for matching.
type celem struct {
	kind   dict.Kind
	joined bool
	// id is the word of a Word element or the preposition of a Prep.
	id int32
	// particle marks a Word element that is a phrasal verb's particle
	// ("fire off", "call off"): see seqFwd.
	particle bool
	// syn is a Synset element's index into Coder.synsetNames (-1 when the
	// dictionary has no synset of that name: it never matches).
	syn int32
	// alts are a Choice's alternatives as word ids.
	alts [][]int32
	// elems are a NounPhrase's words or a Prep's object.
	elems []celem
}

// synPhrases are the phrases of one synset that start with one word.
type synPhrases struct {
	syn     int32
	phrases [][]int32
}

// vocab assigns word ids; it is only used while New compiles.
type vocab map[string]int32

func (v vocab) id(w string) int32 {
	if id, ok := v[w]; ok {
		return id
	}
	id := int32(len(v) + 1)
	v[w] = id
	return id
}

func (v vocab) ids(ws []string) []int32 {
	out := make([]int32, len(ws))
	for i, w := range ws {
		out[i] = v.id(w)
	}
	return out
}

// compileSynsets gives every synset an index and files its phrases (as
// word ids) under their first word, in each word's list by synset index.
func (c *Coder) compileSynsets(d *dict.Dictionary, v vocab) {
	c.synIndex = map[string]int32{}
	byFirst := map[int32][]synPhrases{}
	names := make([]string, 0, len(d.Synsets))
	for name := range d.Synsets {
		names = append(names, name)
	}
	sort.Strings(names)
	for i, name := range names {
		c.synIndex[name] = int32(i)
		for _, m := range d.Synsets[name] {
			// An empty phrase never matches, so it is left out.
			ws := words(m)
			if len(ws) == 0 {
				continue
			}
			ids := v.ids(ws)
			l := byFirst[ids[0]]
			if n := len(l); n > 0 && l[n-1].syn == int32(i) {
				l[n-1].phrases = append(l[n-1].phrases, ids)
			} else {
				l = append(l, synPhrases{syn: int32(i), phrases: [][]int32{ids}})
			}
			byFirst[ids[0]] = l
		}
	}
	c.synByWord = byFirst
}

// compileElems compiles es, assigning word ids from v.
func (c *Coder) compileElems(es []dict.Element, v vocab) []celem {
	if len(es) == 0 {
		return nil
	}
	out := make([]celem, len(es))
	for i := range es {
		e := &es[i]
		ce := celem{kind: e.Kind, joined: e.Joined, syn: -1}
		switch e.Kind {
		case dict.Word, dict.Prep:
			ce.id = v.id(e.Text)
			ce.particle = e.Kind == dict.Word && particles[e.Text]
		case dict.Synset:
			if k, ok := c.synIndex[e.Text]; ok {
				ce.syn = k
			}
		case dict.Choice:
			ce.alts = make([][]int32, len(e.Alternatives))
			for j, alt := range e.Alternatives {
				ce.alts[j] = v.ids(words(alt))
			}
		}
		ce.elems = c.compileElems(e.Elems, v)
		out[i] = ce
	}
	return out
}

// finishVocab joins the word ids, the verb index and the closed word
// classes into the coder's lexicon, and puts the per-word synset lists in a
// slice indexed by id.
func (c *Coder) finishVocab(v vocab, index map[string][]*cverb) {
	words := closedWords()
	for w, id := range v {
		wi := words[w]
		wi.id = id
		words[w] = wi
	}
	for w, vs := range index {
		wi := words[w]
		wi.verbs = vs
		if len(vs) > 0 {
			wi.flags |= fVerb
		}
		words[w] = wi
	}
	c.lex = newLexicon(words)
	c.synsByID = make([][]synPhrases, len(v)+1)
	c.synMask = make([][2]uint64, len(v)+1)
	for id, l := range c.synByWord {
		c.synsByID[id] = l
		for _, sp := range l {
			c.synMask[id][(sp.syn>>6)&1] |= 1 << (uint32(sp.syn) & 63)
		}
	}
	c.synByWord = nil
}

// synsetAt returns the phrases of synset syn that start with word id w.
func (c *Coder) synsetAt(syn, w int32) [][]int32 {
	if w <= 0 || syn < 0 {
		return nil
	}
	for _, sp := range c.synsByID[w] {
		if sp.syn == syn {
			return sp.phrases
		}
		if sp.syn > syn {
			break
		}
	}
	return nil
}

// required adds to sig what every match of es needs: its literal words
// and prepositions, and a word starting each of its synsets, including
// those inside noun phrases and prepositional objects (all of whose
// elements must match). Choices, whose alternatives vary, add nothing.
func required(es []celem, sig *clauseSig, side int) {
	for i := range es {
		e := &es[i]
		switch e.kind {
		case dict.Word, dict.Prep:
			sig.addWord(side, e.id)
		case dict.Synset:
			if e.syn >= 0 {
				sig.addSynset(side, e.syn)
			}
		}
		if e.kind == dict.NounPhrase || e.kind == dict.Prep {
			required(e.elems, sig, side)
		}
	}
}

// clauseSig is a summary of the words on both sides of a verb: for each
// side a 512-bit set of their ids and a 128-bit set of the synsets they can
// start (both folded modulo their size, so a bit may stand for several).
// A pattern's own summary holds what it needs; a clause lacking any of it
// cannot match.
type clauseSig [2 * sigSide]uint64

// sigSide is the number of words of one side's summary: 8 of word ids, 2
// of synsets.
const sigSide = 10

// Sides of the verb in a clauseSig.
const (
	sideBefore = 0
	sideAfter  = sigSide
)

func (b *clauseSig) addWord(side int, id int32) { b[side+int((id>>6)&7)] |= 1 << (uint32(id) & 63) }
func (b *clauseSig) addSynset(side int, k int32) {
	b[side+8+int((k>>6)&1)] |= 1 << (uint32(k) & 63)
}

// sigWord is one nonzero word of a pattern's summary.
type sigWord struct {
	i    int
	bits uint64
}

// sparse lists the nonzero words of b: most patterns need one or two.
func (b *clauseSig) sparse() []sigWord {
	var out []sigWord
	for i, w := range b {
		if w != 0 {
			out = append(out, sigWord{i, w})
		}
	}
	return out
}

// hasAll says whether b holds everything need holds.
func (b *clauseSig) hasAll(need []sigWord) bool {
	for _, w := range need {
		if b[w.i]&w.bits != w.bits {
			return false
		}
	}
	return true
}

// patGate is a pattern's weight, its code's root and the first two words
// of its need (see cpattern).
type patGate struct {
	weight int32
	// root is the code's first two bytes with bit 16 set, 0 when the
	// code is shorter.
	root   uint32
	n      uint8 // len(need); those past two are read from the pattern
	i0, i1 uint8
	b0, b1 uint64
}

// gatesOf lists the gates of ps.
func gatesOf(ps []cpattern) []patGate {
	gs := make([]patGate, len(ps))
	for i := range ps {
		p := &ps[i]
		g := &gs[i]
		g.weight = int32(p.weight)
		g.root = rootKey(p.p.Code)
		g.n = uint8(min(len(p.need), 255))
		if len(p.need) > 0 {
			g.i0, g.b0 = uint8(p.need[0].i), p.need[0].bits
		}
		if len(p.need) > 1 {
			g.i1, g.b1 = uint8(p.need[1].i), p.need[1].bits
		}
	}
	return gs
}

// rootKey is a code's first two bytes with bit 16 set, 0 when it is
// shorter: for a code of two bytes or more, strings.HasPrefix(code, r)
// with len(r) == 2 is rootKey(code) == rootKey(r).
func rootKey(code string) uint32 {
	if len(code) < 2 {
		return 0
	}
	return 1<<16 | uint32(code[0])<<8 | uint32(code[1])
}

// admits says whether b holds all that pattern p (whose gate g is) needs.
func (b *clauseSig) admits(g *patGate, p *cpattern) bool {
	switch {
	case g.n == 0:
		return true
	case b[g.i0]&g.b0 != g.b0:
		return false
	case g.n == 1:
		return true
	case b[g.i1]&g.b1 != g.b1:
		return false
	case g.n == 2:
		return true
	}
	return b.hasAll(p.need[2:])
}

// addSide summarizes ids, one side of a verb in its clause, where all of
// a pattern's words on that side must be.
func (c *Coder) addSide(b *clauseSig, side int, ids []int32) {
	for _, id := range ids {
		if id != 0 {
			b.addWord(side, id)
			m := &c.synMask[id] // addSynset for each synset the word starts
			b[side+8] |= m[0]
			b[side+9] |= m[1]
		}
	}
}
