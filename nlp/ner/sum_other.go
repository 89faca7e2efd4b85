//go:build !amd64

package ner

// useAVX512 is false off amd64.
var useAVX512 = false

// sumEmissions is sumEmissionsGo.
func sumEmissions(emit []int32, vp [][]int32, w []int16, ks []int32, L int) {
	sumEmissionsGo(emit, vp, w, ks, L)
}

// wordSumsOfRows is wordSumsOfRowsGo.
func wordSumsOfRows(v []int32, w []int16, ks *[wordRows]int32, nSelf, L int) {
	wordSumsOfRowsGo(v, w, ks, nSelf, L)
}

// viterbi11AVX512 is never called off amd64 (useAVX512 is false).
func viterbi11AVX512(delta *[16]int32, emit *int32, back *int16, wt *[11][16]int32, n int) {
	panic("ner: no AVX-512")
}
