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
