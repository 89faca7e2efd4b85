package ner

import (
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/detente/detente/kb"
)

// Tagging with the shipped int16 weights takes a faster road than the
// generic viterbi the tests keep as the reference, with the same result:
//
//   - emission scores add up in int32; the float64 sums of the reference
//     are exact for int16 weights, and a token has fewer than 64 features
//     of at most 32767 each, so both pick the same labels, ties included;
//   - rows that are all zero (features never seen in training) are skipped
//     by a bitmap that fits in cache, sparing a miss in the large table;
//   - the other rows (83,000 of the shipped model's 524,288) are copied in
//     order into a compact table of 1.8 MB instead of 11.5 MB, which the
//     processor's caches hold far better; a row's place there is the
//     number of nonzero rows before it, read from the bitmap (a count
//     kept per 64 rows plus a popcount);
//   - the transition weights, with the moves BIO forbids, are a table
//     computed once per model; the recursion tries only the allowed moves
//     into each label (76 of 121 with the shipped labels), in the
//     reference's order; for the shipped label set's shape it runs
//     unrolled over fixed arrays, a label's best predecessor among all
//     eleven picked without a branch (viterbi11, twice as fast);
//   - path scores are int32, kept small by subtracting the best after each
//     token, which changes no comparison; the AVX-512 recursion subtracts
//     label 0's (O) instead, a step shorter than finding the best: every
//     label may move to O and O to every label that opens a name, so no
//     score strays from O's by more than two tokens' weights;
//   - the emission scores are summed per word and cached (wordcache.go);
//     the features joining a token with its neighbours are hashed for
//     the whole sentence first, their rows found without branching on
//     whether they are zero (a shared zero row stands for those), and
//     added last, so the processor overlaps the rows' cache misses
//     instead of waiting on each behind a mispredicted branch; the
//     gazetteer's features are numbers whose rows are found once;
//   - a token's scores are summed in one pass once the sentence's word
//     sums are found: its own, its neighbours' and its pairwise rows, in
//     one AVX-512 register where the CPU has them (sum_amd64.s), stored
//     once instead of five vector additions into memory a token.

// infer is what fast tagging precomputes once per set of weights.
type infer struct {
	once sync.Once
	L    int
	zero int // the index in w of a row of zeros
	// gazRows holds the row of each gazetteer feature (gazFeature).
	gazRows []int32
	nz      []nzWord // bit r%64 of nz[r/64] is set when row r has a nonzero weight
	w       []int16  // the nonzero rows, in order
	// trans is (prev+1)*L + l: the weight of the transition prev → l
	// (tPrev), forbidden for transitions the label scheme rules out.
	trans []int32
	// The transitions into label l that the scheme allows, for the
	// recursion: previous labels pred[po[l]:po[l+1]] in increasing order,
	// with their weights predW (the same order as the reference, so ties
	// break alike).
	pred  []int
	predW []int32
	po    []int
	// bio11 holds the same moves for the shipped label set's shape, 11
	// labels each entered from every label or from two (BIO with five
	// types); nil for other label sets.
	bio11 *bio11Moves
	// padBefore and padAfter are the word sums (wordSums) of the
	// positions before and after the sentence.
	padBefore, padAfter []int32
	// spare keeps word caches between calls: a scratch goes back to a
	// sync.Pool, which drops it at the second garbage collection, and a
	// new cache starts cold; at most GOMAXPROCS caches are kept.
	spare chan *wordCache
}

// nzWord is 64 rows' word of the nonzero bitmap with the number of
// nonzero rows before them, together so a lookup touches one cache line.
type nzWord struct {
	bits uint64
	rank uint32
}

// forbidden scores a transition the label scheme rules out: far below any
// path's score, yet clear of int32 overflow.
const forbidden = -1 << 28

func (m *Model) infer() *infer {
	f := m.fast
	f.once.Do(func() {
		L := len(m.labels)
		rows := len(m.w) / L
		f.L = L
		f.nz = make([]nzWord, (rows+63)/64)
		for r := 0; r < rows; r++ {
			if r&63 == 0 {
				f.nz[r>>6].rank = uint32(len(f.w) / L)
			}
			for _, v := range m.w[r*L : r*L+L] {
				if v != 0 {
					f.nz[r>>6].bits |= 1 << (r & 63)
					f.w = append(f.w, m.w[r*L:r*L+L]...)
					break
				}
			}
		}
		f.zero = len(f.w) / L
		f.w = append(f.w, make([]int16, L)...) // a zero row
		f.w = slices.Clip(f.w)
		shift := 64 - m.bits
		f.trans = make([]int32, (L+1)*L)
		for p := -1; p < L; p++ {
			row := m.w[int(mix(tPrev, uint64(p+2))>>shift)*L:][:L]
			for l := range L {
				f.trans[(p+1)*L+l] = int32(row[l])
				if !m.ls.allowed(p, l) {
					f.trans[(p+1)*L+l] = forbidden
				}
			}
		}
		f.po = append(f.po[:0], 0)
		for l := range L {
			for p := 0; p < L; p++ {
				if m.ls.allowed(p, l) {
					f.pred = append(f.pred, p)
					f.predW = append(f.predW, f.trans[(p+1)*L+l])
				}
			}
			if len(f.pred) == f.po[l] { // a label nothing may precede: keep the forbidden moves, as before
				for p := 0; p < L; p++ {
					f.pred = append(f.pred, p)
					f.predW = append(f.predW, f.trans[(p+1)*L+l])
				}
			}
			f.po = append(f.po, len(f.pred))
		}
		f.bio11 = newBIO11(f)
		f.gazRows = make([]int32, numGazFeats)
		for g := range f.gazRows {
			f.gazRows[g] = int32(f.row(mix(tGaz, hashString(gazName(gazFeature(g)))), 64-m.bits))
		}
		f.spare = make(chan *wordCache, runtime.GOMAXPROCS(0))
		f.padBefore, f.padAfter = make([]int32, nGroups*L), make([]int32, nGroups*L)
		m.neighbourSums(f, &padBefore, f.padBefore)
		m.neighbourSums(f, &padAfter, f.padAfter)
	})
	return f
}

// bio11Moves is the recursion's moves for 11 labels each entered either
// from every label (all) or from two (BIO's I-X, from B-X and I-X), laid
// out so the recursion runs unrolled over fixed arrays: a label's best
// previous label among all 11 is found without a branch (max11).
type bio11Moves struct {
	all [11]bool
	two [11][2]uint8  // the two previous labels, increasing, when !all
	w   [11][16]int32 // the moves' weights: w[l][p] when all, else w[l][0] and w[l][1]
	// The same moves by previous label, for the recursion over all labels
	// at once in AVX-512 registers (viterbi11AVX512), which adds each
	// previous label's score to its row and takes the best of the eleven
	// rows by a tree of comparisons, the left on ties, so the first label
	// giving the best as the recursion does: wt[p][l] is the weight of
	// p → l, closedMove where p may not precede l.
	wt [11][16]int32
}

// closedMove weighs a move the label scheme rules out in bio11Moves.wt:
// so low that it is never the best, as no score strays from label 0's by
// more than the start's forbidden moves and two tokens' weights (see the
// comment at the top), yet clear of int32 overflow.
const closedMove = -1 << 29

// newBIO11 returns f's moves as a bio11Moves, or nil when f's label set
// does not have that shape.
func newBIO11(f *infer) *bio11Moves {
	if f.L != 11 {
		return nil
	}
	t := &bio11Moves{}
	for l := range 11 {
		ps, ws := f.pred[f.po[l]:f.po[l+1]], f.predW[f.po[l]:f.po[l+1]]
		switch len(ps) {
		case 11:
			for k, p := range ps {
				if p != k {
					return nil
				}
				t.w[l][p] = ws[k]
			}
			t.all[l] = true
		case 2:
			t.two[l] = [2]uint8{uint8(ps[0]), uint8(ps[1])}
			t.w[l][0], t.w[l][1] = ws[0], ws[1]
		default:
			return nil
		}
	}
	if !t.all[0] { // viterbi11AVX512 keeps scores relative to label 0's
		return nil
	}
	for p := range 11 {
		for l := range 11 {
			t.wt[p][l] = closedMove
			if t.all[l] || int(t.two[l][0]) == p || int(t.two[l][1]) == p {
				t.wt[p][l] = f.trans[(p+1)*11+l]
			}
		}
	}
	return t
}

// max11 returns the best of d[p]+w[p] over p < 11 and the first p that
// gives it, as the recursion's loop over previous labels does.
func max11(d, w *[16]int32) (int32, int) {
	best, bp := d[0]+w[0], 0
	if sc := d[1] + w[1]; sc > best {
		best, bp = sc, 1
	}
	if sc := d[2] + w[2]; sc > best {
		best, bp = sc, 2
	}
	if sc := d[3] + w[3]; sc > best {
		best, bp = sc, 3
	}
	if sc := d[4] + w[4]; sc > best {
		best, bp = sc, 4
	}
	if sc := d[5] + w[5]; sc > best {
		best, bp = sc, 5
	}
	if sc := d[6] + w[6]; sc > best {
		best, bp = sc, 6
	}
	if sc := d[7] + w[7]; sc > best {
		best, bp = sc, 7
	}
	if sc := d[8] + w[8]; sc > best {
		best, bp = sc, 8
	}
	if sc := d[9] + w[9]; sc > best {
		best, bp = sc, 9
	}
	if sc := d[10] + w[10]; sc > best {
		best, bp = sc, 10
	}
	return best, bp
}

// viterbi11 is viterbiFast for a label set of bio11Moves' shape.
func (m *Model) viterbi11(f *infer, s *scratch, n int) []int {
	t := f.bio11
	var delta, next [16]int32
	b := &s.vi
	b.back = grow(b.back, n*11)
	e0 := (*[11]int32)(s.emit[:11])
	tr := (*[11]int32)(f.trans[:11])
	for l := range 11 {
		delta[l] = e0[l] + tr[l]
	}
	i := 1
	if useAVX512 && n > 1 { // all labels at once, in registers
		viterbi11AVX512(&delta, &s.emit[11], &b.back[11], &t.wt, n-1)
		i = n
	}
	for ; i < n; i++ {
		e := (*[11]int32)(s.emit[i*11:][:11])
		back := (*[11]int16)(b.back[i*11:][:11])
		top := int32(math.MinInt32)
		for l := range 11 {
			var best int32
			var bp int
			if t.all[l] {
				best, bp = max11(&delta, &t.w[l])
			} else {
				p, q := t.two[l][0]&15, t.two[l][1]&15
				best, bp = delta[p]+t.w[l][0], int(p)
				if sc := delta[q] + t.w[l][1]; sc > best {
					best, bp = sc, int(q)
				}
			}
			back[l] = int16(bp)
			v := best + e[l]
			next[l] = v
			top = max(top, v)
		}
		for l := range 11 {
			delta[l] = next[l] - top
		}
	}
	last := -1
	for l := range 11 {
		if m.ls.canEnd(l) && (last < 0 || delta[l] > delta[last&15]) {
			last = l
		}
	}
	out := grow(s.out, n)
	out[n-1] = last
	for i := n - 1; i > 0; i-- {
		out[i-1] = int(b.back[i*11+out[i]])
	}
	s.out = out
	return out
}

// viterbiFast is viterbi for int16 weights given the emission scores
// s.emit (emissions); see the comment at the top.
func (m *Model) viterbiFast(f *infer, s *scratch, n int) []int {
	s.out = s.out[:0]
	if n == 0 {
		return s.out
	}
	if f.bio11 != nil {
		return m.viterbi11(f, s, n)
	}
	return m.viterbiGeneral(f, s, n)
}

// viterbiGeneral is viterbiFast for any label set.
func (m *Model) viterbiGeneral(f *infer, s *scratch, n int) []int {
	L := f.L
	trans := f.trans
	b := &s.vi
	b.delta, b.next = grow(b.delta, L), grow(b.next, L)
	b.back = grow(b.back, n*L)
	for i := 0; i < n; i++ {
		e := s.emit[i*L:][:L]
		if i == 0 {
			for l := range L {
				b.delta[l] = e[l] + trans[l]
			}
			continue
		}
		back := b.back[i*L:][:L]
		top := int32(math.MinInt32)
		for l := range L {
			best, bp := int32(math.MinInt32), 0
			ps, ws := f.pred[f.po[l]:f.po[l+1]], f.predW[f.po[l]:f.po[l+1]]
			ws = ws[:len(ps)]
			for k, p := range ps {
				if sc := b.delta[p] + ws[k]; sc > best {
					best, bp = sc, p
				}
			}
			back[l] = int16(bp)
			b.next[l] = best + e[l]
			top = max(top, b.next[l])
		}
		for l := range L {
			b.next[l] -= top
		}
		b.delta, b.next = b.next, b.delta
	}
	last := -1
	for l := range L {
		if m.ls.canEnd(l) && (last < 0 || b.delta[l] > b.delta[last]) {
			last = l
		}
	}
	out := grow(s.out, n)
	out[n-1] = last
	for i := n - 1; i > 0; i-- {
		out[i-1] = int(b.back[i*L+out[i]])
	}
	s.out = out
	return out
}

// SpansWithMatches is Spans given ms, exactly what the knowledge base's
// Match returns for these tokens (kb.Default().Match(tokens) for the
// default model), so a caller that matched the sentence already does not
// pay for it twice. A model whose gazetteer is not a KBGazetteer ignores ms.
func (m *Model) SpansWithMatches(tokens []string, ms []kb.Match) []Span {
	return m.AppendSpansWithMatches(nil, tokens, ms)
}

// AppendSpansWithMatches is SpansWithMatches appending the spans to dst,
// so a caller done with a sentence's spans can reuse their slice for the
// next.
func (m *Model) AppendSpansWithMatches(dst []Span, tokens []string, ms []kb.Match) []Span {
	spans := dst
	m.runWith(tokens, ms, true, func(labels []int) { spans = m.appendSpansOf(dst, tokens, labels) })
	return spans
}

// KB returns the knowledge base whose matches SpansWithMatches takes: that
// of the model's KBGazetteer, nil when it has none.
func (m *Model) KB() *kb.KB {
	if g, ok := m.gaz.(*KBGazetteer); ok {
		return g.kb
	}
	return nil
}

// FirstName says whether w is the first word of the name of a person the
// model's knowledge-base gazetteer knows ("Mark", "Priscilla"); false
// without one.
func (m *Model) FirstName(w string) bool {
	g, ok := m.gaz.(*KBGazetteer)
	if !ok {
		return false
	}
	g.once.Do(g.names)
	return g.nameBitsOf(w)&nameFirst != 0
}

// TagWithMatches is Tag given the knowledge base's matches of tokens; see
// SpansWithMatches.
func (m *Model) TagWithMatches(tokens []string, ms []kb.Match) []string {
	out := make([]string, len(tokens))
	m.runWith(tokens, ms, true, func(labels []int) {
		for i, l := range labels {
			out[i] = m.ls.bio(l)
		}
	})
	return out
}

// addRow adds a weight row to the scores; the shipped label set (11
// labels) takes an unrolled road without bounds checks.
func addRow(acc []int32, row []int16) {
	if len(acc) == 11 && len(row) == 11 {
		a, r := (*[11]int32)(acc), (*[11]int16)(row)
		a[0] += int32(r[0])
		a[1] += int32(r[1])
		a[2] += int32(r[2])
		a[3] += int32(r[3])
		a[4] += int32(r[4])
		a[5] += int32(r[5])
		a[6] += int32(r[6])
		a[7] += int32(r[7])
		a[8] += int32(r[8])
		a[9] += int32(r[9])
		a[10] += int32(r[10])
		return
	}
	row = row[:len(acc)]
	for l := range acc {
		acc[l] += int32(row[l])
	}
}
