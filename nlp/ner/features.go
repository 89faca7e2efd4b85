package ner

import (
	"unicode"
	"unicode/utf8"
)

// Features are hashed straight into weight rows: each token's strings are
// hashed once (word, lowercase, shape, affixes) and every template then
// mixes a template number with those hashes, so tagging allocates nothing
// per token and the model needs no feature dictionary.

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// Template numbers; part of the model format, so never renumber them.
const (
	tBias = iota + 1
	tLower
	tExact
	tShape
	tShort
	tPre1
	tPre2
	tPre3
	tSuf1
	tSuf2
	tSuf3
	tSuf4
	tLowerM1
	tLowerP1
	tLowerM2
	tLowerP2
	tShortM1
	tShortP1
	tShortTri
	tBigramM1
	tBigramP1
	tFlags
	tFlagBit
	tGaz
	tPrev
	tPrev2
	tPrevLower
	tPrevShort
	tSufM1
	tSufP1
	tCap
	tCapFlags
	tCapM1
	tCapP1
)

// Flag bits of a token.
const (
	fInitCap = 1 << iota
	fAllCaps
	fHasDigit
	fAllDigit
	fHasHyphen
	fHasPeriod
	fPunct
	fSentStart
	fLower
	nFlagBits = 9
)

func mix(a, b uint64) uint64 {
	x := a*0x9E3779B97F4A7C15 ^ b
	x ^= x >> 31
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 29
	x *= 0x94D049BB133111EB
	x ^= x >> 32
	return x
}

func mix3(t, a, b uint64) uint64 { return mix(mix(t, a), b) }

func hashString(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func hashRune(h uint64, r rune) uint64 {
	if r < utf8.RuneSelf {
		h ^= uint64(r)
		h *= fnvPrime
		return h
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	for i := 0; i < n; i++ {
		h ^= uint64(buf[i])
		h *= fnvPrime
	}
	return h
}

// tokInfo holds the hashes of one token's strings.
type tokInfo struct {
	exact, lower, shape, short uint64
	pre                        [3]uint64
	suf                        [4]uint64
	flags                      uint64
	// capb is the word's capitalization bucket in the news corpora
	// (capstats.go), 0 when unknown.
	capb uint64
}

// Hashes standing for the positions before and after the sentence.
var (
	padBefore = tokInfo{exact: 0xB05, lower: 0xB05, shape: 0xB05, short: 0xB05}
	padAfter  = tokInfo{exact: 0xE05, lower: 0xE05, shape: 0xE05, short: 0xE05}
)

func shapeOf(r rune) rune {
	switch {
	case unicode.IsUpper(r):
		return 'X'
	case unicode.IsLower(r), unicode.IsLetter(r):
		return 'x'
	case unicode.IsDigit(r):
		return 'd'
	}
	return r
}

// info hashes one token. first says whether it opens the sentence.
func info(tok string, first bool) tokInfo {
	var ti tokInfo
	ti.exact = hashString(tok)
	lower := uint64(fnvOffset)
	shape := uint64(fnvOffset)
	short := uint64(fnvOffset)
	var last rune = -1
	run := 0
	n := 0
	letters, uppers, lowers, digits, punct := 0, 0, 0, 0, 0
	var flags uint64
	for i, r := range tok {
		lr := unicode.ToLower(r)
		lower = hashRune(lower, lr)
		if n < 3 {
			ti.pre[n] = lower
		}
		s := shapeOf(r)
		if s == last {
			run++
		} else {
			run = 1
			short = hashRune(short, s)
		}
		if run <= 4 {
			shape = hashRune(shape, s)
		}
		last = s
		switch {
		case unicode.IsUpper(r):
			letters++
			uppers++
			if i == 0 {
				flags |= fInitCap
			}
		case unicode.IsLetter(r):
			letters++
			lowers++
		case unicode.IsDigit(r):
			digits++
		case r == '-':
			flags |= fHasHyphen
		case r == '.':
			flags |= fHasPeriod
		default:
			if unicode.IsPunct(r) || unicode.IsSymbol(r) {
				punct++
			}
		}
		n++
	}
	for k := n; k < 3; k++ {
		ti.pre[k] = lower
	}
	// Suffixes: hash the last k runes of the lowercased word.
	end := len(tok)
	for k := 0; k < 4; k++ {
		start := end
		for j := 0; j <= k && start > 0; j++ {
			_, size := utf8.DecodeLastRuneInString(tok[:start])
			start -= size
		}
		h := uint64(fnvOffset)
		for _, r := range tok[start:] {
			h = hashRune(h, unicode.ToLower(r))
		}
		ti.suf[k] = h
	}
	ti.lower, ti.shape, ti.short = lower, shape, short
	ti.flags = flags | countFlags(letters, uppers, lowers, digits, n, first)
	return ti
}

// countFlags are the flags info and infoFast both take from a token's
// counts: of its n characters, letters, upper- and lower-case letters and
// digits; first says it starts its sentence.
func countFlags(letters, uppers, lowers, digits, n int, first bool) uint64 {
	var flags uint64
	if uppers > 1 && lowers == 0 {
		flags |= fAllCaps
	}
	if digits > 0 {
		flags |= fHasDigit
		if digits == n {
			flags |= fAllDigit
		}
	}
	if letters == 0 && digits == 0 && n > 0 {
		flags |= fPunct
	}
	if first {
		flags |= fSentStart
	}
	if letters > 0 && uppers == 0 {
		flags |= fLower
	}
	return flags
}

// infoFast is info, computed byte by byte for a token of plain ASCII (most
// of news), where lower-casing, shapes and character classes need no
// Unicode tables; other tokens go to info.
func infoFast(tok string, first bool) tokInfo {
	for i := 0; i < len(tok); i++ {
		if tok[i] >= utf8.RuneSelf {
			return info(tok, first)
		}
	}
	var ti tokInfo
	ti.exact = hashString(tok)
	lower := uint64(fnvOffset)
	shape := uint64(fnvOffset)
	short := uint64(fnvOffset)
	last := -1
	run := 0
	letters, uppers, lowers, digits := 0, 0, 0, 0
	var flags uint64
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		lc, s := c, c
		switch {
		case c >= 'A' && c <= 'Z':
			lc, s = c+'a'-'A', 'X'
			letters++
			uppers++
			if i == 0 {
				flags |= fInitCap
			}
		case c >= 'a' && c <= 'z':
			s = 'x'
			letters++
			lowers++
		case c >= '0' && c <= '9':
			s = 'd'
			digits++
		case c == '-':
			flags |= fHasHyphen
		case c == '.':
			flags |= fHasPeriod
		}
		lower = (lower ^ uint64(lc)) * fnvPrime
		if i < 3 {
			ti.pre[i] = lower
		}
		if int(s) == last {
			run++
		} else {
			run = 1
			short = (short ^ uint64(s)) * fnvPrime
		}
		if run <= 4 {
			shape = (shape ^ uint64(s)) * fnvPrime
		}
		last = int(s)
	}
	n := len(tok)
	for k := n; k < 3; k++ {
		ti.pre[k] = lower
	}
	for k := 0; k < 4; k++ {
		h := uint64(fnvOffset)
		for i := max(n-k-1, 0); i < n; i++ {
			c := tok[i]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			h = (h ^ uint64(c)) * fnvPrime
		}
		ti.suf[k] = h
	}
	ti.lower, ti.shape, ti.short = lower, shape, short
	ti.flags = flags | countFlags(letters, uppers, lowers, digits, n, first)
	return ti
}

// staticFeatures appends the hashed features of token i that do not depend
// on earlier labels, and returns the extended slice.
func staticFeatures(dst []uint64, infos []tokInfo, i int, gaz []string) []uint64 {
	at := func(j int) *tokInfo {
		if j < 0 {
			return &padBefore
		}
		if j >= len(infos) {
			return &padAfter
		}
		return &infos[j]
	}
	t := &infos[i]
	m1, p1, m2, p2 := at(i-1), at(i+1), at(i-2), at(i+2)
	dst = append(dst,
		mix(tBias, 0),
		mix(tLower, t.lower),
		mix(tExact, t.exact),
		mix(tShape, t.shape),
		mix(tShort, t.short),
		mix(tPre1, t.pre[0]),
		mix(tPre2, t.pre[1]),
		mix(tPre3, t.pre[2]),
		mix(tSuf1, t.suf[0]),
		mix(tSuf2, t.suf[1]),
		mix(tSuf3, t.suf[2]),
		mix(tSuf4, t.suf[3]),
		mix(tLowerM1, m1.lower),
		mix(tLowerP1, p1.lower),
		mix(tLowerM2, m2.lower),
		mix(tLowerP2, p2.lower),
		mix(tShortM1, m1.short),
		mix(tShortP1, p1.short),
		mix(mix3(tShortTri, m1.short, t.short), p1.short),
		mix3(tBigramM1, m1.lower, t.lower),
		mix3(tBigramP1, t.lower, p1.lower),
		mix(tFlags, t.flags),
		mix(tSufM1, m1.suf[2]),
		mix(tSufP1, p1.suf[2]),
		mix(tCap, t.capb),
		mix3(tCapFlags, t.capb, t.flags&(fInitCap|fAllCaps|fSentStart)),
		mix3(tCapM1, m1.capb, m1.flags&fInitCap),
		mix3(tCapP1, p1.capb, p1.flags&fInitCap),
	)
	for b := 0; b < nFlagBits; b++ {
		if t.flags&(1<<b) != 0 {
			dst = append(dst, mix(tFlagBit, uint64(b)))
		}
	}
	for _, g := range gaz {
		dst = append(dst, mix(tGaz, hashString(g)))
	}
	return dst
}
