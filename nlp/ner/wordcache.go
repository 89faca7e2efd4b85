package ner

import (
	"math/bits"

	"github.com/detente/detente/internal/lowercase"
)

// Most of a token's features depend on the word alone: its own (word,
// lowercase, shape, affixes, flags, capitalization bucket) and those it
// gives its neighbours (the next token's "previous word" features, the
// one before's "next word" ones, and the same two tokens away). News
// repeats its words, so the fast road sums each group's weight rows once
// per word and keeps the sums in a small cache: a token then costs one
// cache lookup and five vector additions instead of about 25 reads
// scattered over the large weight table, plus the features joining it
// with its neighbours (bigrams, the shape trigram) and the gazetteer's.
// The sums are int32 sums of the same int16 weights, so the emission
// scores are exactly those of adding the rows one by one.

// Groups of word features, each an L-vector of an entry.
const (
	gSelf   = iota // the token's own features
	gLeft1         // what it gives the token after it (tLowerM1, tShortM1, tSufM1, tCapM1)
	gRight1        // what it gives the token before it (tLowerP1, ...)
	gLeft2         // tLowerM2 of the token two after
	gRight2        // tLowerP2 of the token two before
	nGroups
)

// wordCacheBits sets the cache size: with 8192 words (2.2 MB) in pairs
// (two-way set associative) about 89% of the tokens of news are found
// (85% direct-mapped, 80% direct-mapped with 4096 words, 90% with 16384),
// and tagging was fastest.
const wordCacheBits = 13

// maxCachedWord bounds the words kept (in bytes): longer ones are rare
// and computed every time.
const maxCachedWord = 24

type wordEntry struct {
	n     uint8 // length of the word; 0: empty slot
	first bool  // the word opens its sentence (a flag feature)
	mru   uint8 // in a pair's first entry: the entry used last
	word  [maxCachedWord]byte
	// stamp is the sentence (wordCache.stamp) that used the entry last:
	// its sums are read only after the whole sentence is looked up, so an
	// entry the sentence uses is never replaced before then.
	stamp uint32
	lower uint64 // hashes the pairwise features need
	short uint64
}

// wordCache belongs to one scratch, so to one goroutine at a time.
type wordCache struct {
	f     *infer // the weights the sums were made with
	ents  []wordEntry
	vecs  []int32 // nGroups×L sums per entry
	stamp uint32  // the sentence being looked up, counting from 1
}

// is says whether the entry holds word t, first or not.
func (e *wordEntry) is(t string, first bool) bool {
	return int(e.n) == len(t) && e.first == first && string(e.word[:e.n]) == t
}

func newWordCache(f *infer) *wordCache {
	n := 1 << wordCacheBits
	return &wordCache{f: f, ents: make([]wordEntry, n), vecs: make([]int32, n*nGroups*f.L)}
}

// wordRows is the most rows a word's sums add: 15 of its own, one per
// flag bit, 10 for its neighbours.
const wordRows = 15 + nFlagBits + 10

// wordSums writes the group sums of the word whose info is t into v
// (nGroups×L). With AVX-512 and the shipped label set the word's rows are
// found first, without branching on zero rows, and each group summed in
// a register (wordSums11AVX512).
func (m *Model) wordSums(f *infer, t *tokInfo, v []int32) {
	if useAVX512 && f.L == 11 {
		var ks [wordRows]int32
		nSelf := m.wordRowsOf(f, t, &ks)
		wordSumsOfRows(v, f.w, &ks, nSelf, f.L)
		return
	}
	m.wordSumsGo(f, t, v)
}

// selfHashes are the hashes of a word's own features but its flag bits,
// in the order wordRowsOf and wordSumsGo add them.
func selfHashes(t *tokInfo) [15]uint64 {
	return [...]uint64{
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
		mix(tFlags, t.flags),
		mix(tCap, t.capb),
		mix3(tCapFlags, t.capb, t.flags&(fInitCap|fAllCaps|fSentStart)),
	}
}

// wordRowsOf writes the rows (f.row) of the word's features into ks, its
// own first, then those of gLeft1 (4), gRight1 (4), gLeft2 and gRight2,
// and returns how many are its own; the order and features are
// wordSumsGo's.
func (m *Model) wordRowsOf(f *infer, t *tokInfo, ks *[wordRows]int32) int {
	shift := 64 - m.bits
	n := 0
	for _, h := range selfHashes(t) {
		ks[n] = int32(f.row(h, shift))
		n++
	}
	for b := 0; b < nFlagBits; b++ {
		if t.flags&(1<<b) != 0 {
			ks[n] = int32(f.row(mix(tFlagBit, uint64(b)), shift))
			n++
		}
	}
	nSelf := n
	for _, h := range [...]uint64{
		mix(tLowerM1, t.lower),
		mix(tShortM1, t.short),
		mix(tSufM1, t.suf[2]),
		mix3(tCapM1, t.capb, t.flags&fInitCap),
		mix(tLowerP1, t.lower),
		mix(tShortP1, t.short),
		mix(tSufP1, t.suf[2]),
		mix3(tCapP1, t.capb, t.flags&fInitCap),
		mix(tLowerM2, t.lower),
		mix(tLowerP2, t.lower),
	} {
		ks[n] = int32(f.row(h, shift))
		n++
	}
	return nSelf
}

// wordSumsOfRowsGo writes into v (nGroups×L) the sums of the rows of w
// that wordRowsOf gave: ks[:nSelf] for gSelf, then four, four, one and
// one for the neighbours' groups.
func wordSumsOfRowsGo(v []int32, w []int16, ks *[wordRows]int32, nSelf, L int) {
	clear(v)
	g := [nGroups + 1]int{0, nSelf, nSelf + 4, nSelf + 8, nSelf + 9, nSelf + 10}
	for grp := range nGroups {
		acc := v[grp*L:][:L]
		for _, k := range ks[g[grp]:g[grp+1]] {
			addRow(acc, w[int(k)*L:][:L])
		}
	}
}

// wordSumsGo is wordSums adding each nonzero row as it finds it.
func (m *Model) wordSumsGo(f *infer, t *tokInfo, v []int32) {
	clear(v)
	L := f.L
	self := v[gSelf*L:][:L]
	for _, h := range selfHashes(t) {
		m.addHash(f, self, h)
	}
	for b := 0; b < nFlagBits; b++ {
		if t.flags&(1<<b) != 0 {
			m.addHash(f, self, mix(tFlagBit, uint64(b)))
		}
	}
	m.neighbourSums(f, t, v)
}

// neighbourSums writes the groups the word gives its neighbours, all but
// gSelf, into v.
func (m *Model) neighbourSums(f *infer, t *tokInfo, v []int32) {
	L := f.L
	left1, right1 := v[gLeft1*L:][:L], v[gRight1*L:][:L]
	m.addHash(f, left1, mix(tLowerM1, t.lower))
	m.addHash(f, left1, mix(tShortM1, t.short))
	m.addHash(f, left1, mix(tSufM1, t.suf[2]))
	m.addHash(f, left1, mix3(tCapM1, t.capb, t.flags&fInitCap))
	m.addHash(f, right1, mix(tLowerP1, t.lower))
	m.addHash(f, right1, mix(tShortP1, t.short))
	m.addHash(f, right1, mix(tSufP1, t.suf[2]))
	m.addHash(f, right1, mix3(tCapP1, t.capb, t.flags&fInitCap))
	m.addHash(f, v[gLeft2*L:][:L], mix(tLowerM2, t.lower))
	m.addHash(f, v[gRight2*L:][:L], mix(tLowerP2, t.lower))
}

// addHash adds the weight row of feature hash h to acc, skipping rows
// that are all zero and reading the others from the compact table.
func (m *Model) addHash(f *infer, acc []int32, h uint64) {
	r := h >> (64 - m.bits)
	z := f.nz[r>>6]
	bit := uint64(1) << (r & 63)
	if z.bits&bit == 0 {
		return
	}
	k := int(z.rank) + bits.OnesCount64(z.bits&(bit-1))
	addRow(acc, f.w[k*f.L:][:f.L])
}

// addVec adds v to acc; the shipped label set (11 labels) takes an
// unrolled road without bounds checks.
func addVec(acc, v []int32) {
	if len(acc) == 11 && len(v) == 11 {
		a, r := (*[11]int32)(acc), (*[11]int32)(v)
		a[0] += r[0]
		a[1] += r[1]
		a[2] += r[2]
		a[3] += r[3]
		a[4] += r[4]
		a[5] += r[5]
		a[6] += r[6]
		a[7] += r[7]
		a[8] += r[8]
		a[9] += r[9]
		a[10] += r[10]
		return
	}
	v = v[:len(acc)]
	for l := range acc {
		acc[l] += v[l]
	}
}

// emissions fills s.emit with the n×L emission scores of tokens, the sums
// of each token's static feature rows (staticFeatures), and s.infos with
// the hashes the pairwise features need. The tokens' word sums are found
// first (s.vp, one per position with the padding's two on either side),
// then each token's row is summed in one pass from its own and its
// neighbours' sums and its pairwise rows (sumEmissions), in registers.
func (m *Model) emissions(f *infer, s *scratch, tokens []string, gaz [][]string, gids [][]gazFeature) {
	n, L := len(tokens), f.L
	if s.wc == nil {
		select {
		case s.wc = <-f.spare:
		default:
			s.wc = newWordCache(f)
		}
	}
	if s.wc.f != f {
		s.wc = newWordCache(f)
	}
	wc := s.wc
	wc.stamp++
	if wc.stamp == 0 { // wrapped: no entry may look in use
		for k := range wc.ents {
			wc.ents[k].stamp = 0
		}
		wc.stamp = 1
	}
	stamp := wc.stamp
	s.emit = grow(s.emit, n*L)
	s.infos = grow(s.infos, n)
	s.tmp = grow(s.tmp, n*nGroups*L)
	s.vp = grow(s.vp, n+4)
	vp := s.vp
	vp[0], vp[1] = f.padBefore, f.padBefore
	vp[n+2], vp[n+3] = f.padAfter, f.padAfter
	caps := capIndexLoad()
	mask := uint64(len(wc.ents)/2 - 1)
	for i, t := range tokens {
		first := i == 0
		var v []int32
		ti := &s.infos[i]
		h := hashString(t)
		if first {
			h = ^h
		}
		// Two ways: a word may sit in either slot of its pair; a new one
		// replaces the one used less recently (set.mru, kept in the first).
		k := 2 * int(mix(h, 0)&mask)
		set := &wc.ents[k]
		e := set
		if !e.is(t, first) {
			k++
			e = &wc.ents[k]
		}
		if e.is(t, first) {
			set.mru = uint8(k & 1)
			e.stamp = stamp
			ti.lower, ti.short = e.lower, e.short
			v = wc.vecs[k*nGroups*L:][:nGroups*L]
		} else {
			k = k&^1 + 1 - int(set.mru)
			e = &wc.ents[k]
			*ti = infoFast(t, first)
			s.low = lowercase.Append(s.low[:0], t)
			ti.capb = uint64(caps.bucketHashed(s.low, ti.lower))
			v = s.tmp[i*nGroups*L:][:nGroups*L]
			if len(t) > 0 && len(t) <= maxCachedWord && e.stamp != stamp {
				e.n, e.first, e.lower, e.short, e.stamp = uint8(len(t)), first, ti.lower, ti.short, stamp
				copy(e.word[:], t)
				set.mru = uint8(k & 1)
				v = wc.vecs[k*nGroups*L:][:nGroups*L]
			}
			m.wordSums(f, ti, v)
		}
		vp[i+2] = v
	}
	m.pairwise(f, s, n, gaz, gids)
}

// pairwise writes s.emit: each token's word sums and those its
// neighbours give it (s.vp), the features joining it with its neighbours
// (the shape trigram and the two bigrams) and the gazetteer's, as numbers
// (gids, a KBGazetteer's) or strings (gaz, another's). The joined
// features are hashed and their rows found for the whole sentence before
// any is added: see the comment at the top of fast.go.
func (m *Model) pairwise(f *infer, s *scratch, n int, gaz [][]string, gids [][]gazFeature) {
	L := f.L
	hs := s.hs[:0]
	for i := range n {
		t := &s.infos[i]
		m1, p1 := &padBefore, &padAfter
		if i > 0 {
			m1 = &s.infos[i-1]
		}
		if i+1 < n {
			p1 = &s.infos[i+1]
		}
		hs = append(hs, mix(mix3(tShortTri, m1.short, t.short), p1.short),
			mix3(tBigramM1, m1.lower, t.lower),
			mix3(tBigramP1, t.lower, p1.lower))
	}
	s.hs = hs
	s.ks = grow(s.ks, len(hs))
	ks := s.ks[:len(hs)]
	f.rows(ks, hs, 64-m.bits)
	sumEmissions(s.emit[:n*L], s.vp[:n+4], f.w, ks, L)
	for i := range n {
		e := s.emit[i*L:][:L]
		if i < len(gids) {
			for _, g := range gids[i] {
				addRow(e, f.w[int(f.gazRows[g])*L:][:L])
			}
		}
		if i < len(gaz) {
			for _, g := range gaz[i] {
				m.addHash(f, e, mix(tGaz, hashString(g)))
			}
		}
	}
}

// sumEmissionsGo sets each token i's row of emit (n×L) to the sum of its
// own word sums (vp[i+2], group gSelf), what its neighbours give it
// (vp[i+1] gLeft1, vp[i+3] gRight1, vp[i] gLeft2, vp[i+4] gRight2) and
// the weight rows ks[3i:3i+3]. The sums wrap in int32, so any order of
// adding gives the same scores.
func sumEmissionsGo(emit []int32, vp [][]int32, w []int16, ks []int32, L int) {
	n := len(emit) / L
	vp, ks = vp[:n+4], ks[:3*n]
	for i := range n {
		e := emit[i*L:][:L]
		copy(e, vp[i+2][gSelf*L:][:L])
		addVec(e, vp[i+1][gLeft1*L:][:L])
		addVec(e, vp[i+3][gRight1*L:][:L])
		addVec(e, vp[i][gLeft2*L:][:L])
		addVec(e, vp[i+4][gRight2*L:][:L])
		k3 := ks[3*i:][:3]
		addRow(e, w[int(k3[0])*L:][:L])
		addRow(e, w[int(k3[1])*L:][:L])
		addRow(e, w[int(k3[2])*L:][:L])
	}
}

// rows writes the row (row) of each feature hash hs[j] to ks[j]: in a
// function of its own, the loop keeps its values in registers.
func (f *infer) rows(ks []int32, hs []uint64, shift uint) {
	ks = ks[:len(hs)]
	for j, h := range hs {
		ks[j] = int32(f.row(h, shift))
	}
}

// row is the index in f.w of feature hash h's row, f.zero when the row
// is all zero; shift is 64 minus the model's bits. It does not branch on
// the row being there, so the loads of several rows overlap: the choice
// is made with a mask, as the compiler made a branch of an if (about
// half of a sentence's pairwise features have no row, unpredictably).
func (f *infer) row(h uint64, shift uint) int {
	r := h >> shift
	z := f.nz[r>>6]
	k := int(z.rank) + bits.OnesCount64(z.bits&(uint64(1)<<(r&63)-1))
	has := -int(z.bits >> (r & 63) & 1) // all ones when the row is there
	return f.zero ^ (k^f.zero)&has
}
