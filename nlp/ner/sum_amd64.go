package ner

import "golang.org/x/sys/cpu"

// useAVX512 says whether sumEmissions may add a token's eleven scores in
// one AVX-512 register (AVX-512 F, the OS saving the wide registers; x/sys/cpu
// checks both).
var useAVX512 = cpu.X86.HasAVX512F

// sumEmissions11AVX512 is sumEmissionsGo for eleven labels, each token's
// row summed in a register and stored once (masked to its eleven lanes,
// which the loads are too, so nothing past a row is read or written).
//
//go:noescape
func sumEmissions11AVX512(emit *int32, vp *[]int32, w *int16, ks *int32, n int)

// sumEmissions is sumEmissionsGo, in AVX-512 registers for the shipped
// label set's eleven labels when the CPU has them.
func sumEmissions(emit []int32, vp [][]int32, w []int16, ks []int32, L int) {
	n := len(emit) / L
	if !useAVX512 || L != 11 || n == 0 {
		sumEmissionsGo(emit, vp, w, ks, L)
		return
	}
	// What the assembly reads without checking: every position's sums,
	// and rows inside w.
	vp, ks = vp[:n+4], ks[:3*n]
	for _, v := range vp {
		_ = v[nGroups*11-1]
	}
	rows := int32(len(w) / 11)
	for _, k := range ks {
		if uint32(k) >= uint32(rows) {
			panic("ner: weight row out of range")
		}
	}
	sumEmissions11AVX512(&emit[0], &vp[0], &w[0], &ks[0], n)
}

// wordSums11AVX512 is wordSumsOfRowsGo for eleven labels, each group
// summed in a register.
//
//go:noescape
func wordSums11AVX512(v *int32, w *int16, ks *[wordRows]int32, nSelf int)

// wordSumsOfRows is wordSumsOfRowsGo, in AVX-512 registers for eleven
// labels when the CPU has them.
func wordSumsOfRows(v []int32, w []int16, ks *[wordRows]int32, nSelf, L int) {
	if !useAVX512 || L != 11 {
		wordSumsOfRowsGo(v, w, ks, nSelf, L)
		return
	}
	_ = v[nGroups*11-1]
	rows := int32(len(w) / 11)
	for _, k := range ks[:nSelf+10] {
		if uint32(k) >= uint32(rows) {
			panic("ner: weight row out of range")
		}
	}
	wordSums11AVX512(&v[0], &w[0], ks, nSelf)
}

// viterbi11AVX512 runs viterbi11's recursion over the n tokens whose
// emission scores start at emit (11 a token), from the scores delta of the
// token before them, over all eleven labels at once: each previous label
// p's scores (delta[p] plus the weights wt[p], closedMove where p may not
// precede), the best of them by a tree of comparisons in which a tie keeps
// the earlier label, as the recursion's loop over p does. It writes each
// token's best previous labels to back (11 a token) and leaves the last
// token's scores, less label 0's, in delta.
//
//go:noescape
func viterbi11AVX512(delta *[16]int32, emit *int32, back *int16, wt *[11][16]int32, n int)
