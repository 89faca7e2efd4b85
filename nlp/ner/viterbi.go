package ner

// Whole-sentence decoding. A token's score for label l is the sum of its
// static feature rows (emission) plus the weight of the transition from
// the previous label (the row of tPrev and that label), so Viterbi finds
// the best sequence exactly, and the structured perceptron trains on the
// same decoder it tags with. Label constraints (BIO/BILOU) are hard.
// Features joining the previous label with the word (tPrevLower,
// tPrevShort), which the greedy tagger needed, made no difference here
// (GUM CV .653 vs .652, CrossNER .744 vs .740) and cost a third of the speed.

// vbuf is Viterbi's working memory, reused between sentences.
type vbuf struct {
	emit  []float64 // the current token's emission scores
	trans []float64 // (L+1)×L transition scores, row 0 the sentence start
	delta []float64 // best score of a path ending in each label
	next  []float64
	ok    []bool // delta holds a path
	okNx  []bool
	back  []int16 // n×L best previous label
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// viterbi returns the best label sequence of the prepared sentence in
// out. It is the reference the tagger's fast road (viterbiFast) must agree
// with, and the decoder of training: scores are float64, in which sums of
// int16 weights are exact.
func viterbi[W weights](w []W, bits uint, ls *labelSet, s *scratch, b *vbuf, out []int) []int {
	n := len(s.infos)
	out = out[:0]
	if n == 0 {
		return out
	}
	L := len(ls.names)
	shift := 64 - bits
	add := func(dst []float64, h uint64) {
		row := w[int(h>>shift)*L:][:len(dst)]
		for l, v := range row {
			dst[l] += float64(v)
		}
	}
	b.emit = grow(b.emit, L)
	b.back = grow(b.back, n*L)
	b.trans = grow(b.trans, (L+1)*L)
	b.delta, b.next = grow(b.delta, L), grow(b.next, L)
	b.ok, b.okNx = grow(b.ok, L), grow(b.okNx, L)
	clear(b.trans)
	for p := -1; p < L; p++ {
		add(b.trans[(p+1)*L:][:L], mix(tPrev, uint64(p+2)))
	}
	for i := 0; i < n; i++ {
		e := b.emit
		clear(e)
		for _, h := range s.feats[s.offs[i]:s.offs[i+1]] {
			add(e, h)
		}
		if i == 0 {
			for l := range L {
				b.ok[l] = ls.allowed(-1, l)
				b.delta[l] = b.trans[l] + e[l]
			}
			continue
		}
		back := b.back[i*L:][:L]
		for l := range L {
			best, found := 0.0, false
			for p := 0; p < L; p++ {
				if !b.ok[p] || !ls.allowed(p, l) {
					continue
				}
				if sc := b.delta[p] + b.trans[(p+1)*L+l]; !found || sc > best {
					best, found, back[l] = sc, true, int16(p)
				}
			}
			b.okNx[l] = found
			b.next[l] = best + e[l]
		}
		b.delta, b.next = b.next, b.delta
		b.ok, b.okNx = b.okNx, b.ok
	}
	last, found := 0, false
	for l := range L {
		if b.ok[l] && ls.canEnd(l) && (!found || b.delta[l] > b.delta[last]) {
			last, found = l, true
		}
	}
	out = grow(out, n)
	out[n-1] = last
	for i := n - 1; i > 0; i-- {
		out[i-1] = int(b.back[i*L+out[i]])
	}
	return out
}
