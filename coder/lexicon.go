package coder

import (
	"math/bits"
	"sync"
)

// A lexicon answers, for a lower-case word, everything the coder keeps
// about it: its pattern word id, the verbs it is a form of, and which of
// the closed word classes below it belongs to. prepare looks each token up
// once; the later steps test per-token bits instead of hashing the word
// again for every map they consult.
//
// Words of up to 16 bytes (nearly all) sit in an open-addressing table
// with the bytes packed into the slot itself beside the word's id and
// classes, so a look-up reads one slot, usually one cache line; longer
// words use a map. Alone it is about as fast as a Go map; the gain is that
// one look-up answers what a dozen map look-ups answered.
type lexicon struct {
	slots []lexSlot
	shift uint
	long  map[string]int32
	// infos[0] is the unknown word.
	infos []wordInfo
}

// lexSlot holds a word's id and classes besides its infos index, so that
// most look-ups touch one cache line.
type lexSlot struct {
	k0, k1 uint64
	n      uint32 // the word's length + 1; 0 marks an empty slot
	info   int32
	id     int32
	flags  wordFlags
}

// wordInfo is what the coder knows of a word: its id (0 when no pattern
// names it), the verbs it is a form of, its word classes.
type wordInfo struct {
	id    int32
	flags wordFlags
	verbs []*cverb
}

// wordFlags are word classes, one bit each; a set bit means the word is a
// key of that class's map with the value true.
type wordFlags uint32

const (
	fAux wordFlags = 1 << iota
	fPrep
	fDet
	fBe
	fSubord
	fReport
	fDemand
	fIntent
	fRefuse
	fCue
	fSubjPron
	fFiniteAux
	fCondition
	fMust
	fSubjunctive
	fDate
	fStative
	fMeeting
	fEventNoun
	fCounterpart
	fStrikeHead
	fNounish
	fAnaphorStart  // the first word of an anaphor (anaphorStartSet)
	fAnaphorSecond // the second word of an anaphor (anaphorSecondSet)
	fVerb          // a form of a dictionary verb (Coder lexicons only)
	// fDiscard: a sentence-level discard may start at the word (Coder
	// lexicons only); a word of the lexicon without it starts none.
	fDiscard
)

// closedClasses are the maps the flags stand for.
func closedClasses() map[wordFlags]map[string]bool {
	return map[wordFlags]map[string]bool{
		fAux: auxWords, fPrep: prepositions, fDet: determiners, fBe: beForms, fSubord: subordinators,
		fReport: reportingWords, fDemand: demandVerbs, fIntent: intentVerbs, fRefuse: refuseVerbs,
		fCue: cueVerbs, fSubjPron: subjectPronouns, fFiniteAux: finiteAux, fCondition: conditionWords,
		fMust: mustWords, fSubjunctive: subjunctiveVerbs, fDate: dateWords,
		fStative: statives, fMeeting: keys(meetingNouns),
		fEventNoun: keys(eventNouns), fCounterpart: counterpartPreps, fStrikeHead: strikeHeads,
		fNounish: nounish, fAnaphorStart: anaphorStartSet,
		fAnaphorSecond: anaphorSecondSet,
	}
}

// keys is the set of a map's keys.
func keys[V any](m map[string]V) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

// closedWords are the words of the closed classes, each with its classes:
// the start of every lexicon.
func closedWords() map[string]wordInfo {
	out := map[string]wordInfo{}
	for f, m := range closedClasses() {
		for w, ok := range m {
			if ok {
				wi := out[w]
				wi.flags |= f
				out[w] = wi
			}
		}
	}
	return out
}

// baseLexicon knows the word classes only: prepare's lexicon when there
// is no Coder (tests), built on first use rather than at every start.
var baseLexicon = sync.OnceValue(func() *lexicon { return newLexicon(closedWords()) })

// newLexicon freezes words into a lexicon.
func newLexicon(words map[string]wordInfo) *lexicon {
	l := &lexicon{long: map[string]int32{}, infos: make([]wordInfo, 1, len(words)+1)}
	size := 64
	for 2*size < 3*len(words) { // at most two-thirds full: a smaller table stays in cache
		size *= 2
	}
	l.slots = make([]lexSlot, size)
	l.shift = uint(64 - bits.TrailingZeros(uint(size)))
	for w, wi := range words {
		idx := int32(len(l.infos))
		l.infos = append(l.infos, wi)
		if len(w) > 16 {
			l.long[w] = idx
			continue
		}
		k0, k1 := packWord(w)
		mask := uint64(len(l.slots) - 1)
		h := lexHash(k0, k1, len(w))
		for i := h >> l.shift; ; i = (i + 1) & mask {
			if l.slots[i].n == 0 {
				l.slots[i] = lexSlot{k0, k1, uint32(len(w) + 1), idx, wi.id, wi.flags}
				break
			}
		}
	}
	return l
}

// packWord puts the bytes of a word of up to 16 bytes into two numbers,
// byte i at bits 8i (of k1 for i >= 8), with whole loads of 8 or 4 bytes
// that may overlap rather than a loop over the bytes.
func packWord(w string) (k0, k1 uint64) {
	n := len(w)
	switch {
	case n >= 8:
		k0 = le64(w, 0)
		if n > 8 {
			k1 = le64(w, n-8) >> (8 * (16 - n))
		}
	case n >= 4:
		k0 = uint64(le32(w, 0)) | uint64(le32(w, n-4))<<(8*(n-4))
	case n > 0:
		k0 = uint64(w[0]) | uint64(w[n/2])<<(8*(n/2)) | uint64(w[n-1])<<(8*(n-1))
	}
	return k0, k1
}

// le64 and le32 read 8 and 4 bytes of w from i, little-endian (the
// compiler makes each one load).
func le64(w string, i int) uint64 {
	b := w[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

func le32(w string, i int) uint32 {
	b := w[i : i+4]
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func lexHash(k0, k1 uint64, n int) uint64 {
	h := (k0 ^ uint64(n)<<58) * 0x9E3779B97F4A7C15
	h ^= bits.RotateLeft64(k1*0xC2B2AE3D27D4EB4F, 31)
	h ^= h >> 29
	return h * 0x94D049BB133111EB
}

// find returns w's slot: the index of its info, its id and classes (all
// zero when the lexicon lacks it).
func (l *lexicon) find(w string) lexSlot {
	if len(w) > 16 {
		k, ok := l.long[w]
		if !ok {
			return lexSlot{}
		}
		wi := &l.infos[k]
		return lexSlot{info: k, id: wi.id, flags: wi.flags}
	}
	k0, k1 := packWord(w)
	n := uint32(len(w) + 1)
	mask := uint64(len(l.slots) - 1)
	h := lexHash(k0, k1, len(w))
	for i := h >> l.shift; ; i = (i + 1) & mask {
		s := &l.slots[i]
		if (s.k0^k0)|(s.k1^k1)|uint64(s.n^n) == 0 { // one branch for the three compares
			return *s
		}
		if s.n == 0 {
			return lexSlot{}
		}
	}
}

// mark adds f to the classes of every word for which is says so.
func (l *lexicon) mark(f wordFlags, is func(w string) bool) {
	for i := range l.slots {
		s := &l.slots[i]
		if s.n == 0 {
			continue
		}
		var b [16]byte
		for k := range int(s.n - 1) {
			if k < 8 {
				b[k] = byte(s.k0 >> (8 * k))
			} else {
				b[k] = byte(s.k1 >> (8 * (k - 8)))
			}
		}
		if is(string(b[:s.n-1])) {
			s.flags |= f
			l.infos[s.info].flags |= f
		}
	}
	for w, k := range l.long {
		if is(w) {
			l.infos[k].flags |= f
		}
	}
}

// info returns what the lexicon knows of w (the zero wordInfo when
// nothing).
func (l *lexicon) info(w string) *wordInfo { return &l.infos[l.find(w).info] }
