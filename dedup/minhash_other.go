//go:build !amd64

package dedup

// useAVX512 is for amd64 only.
var useAVX512 = false

// minHashes sets sig[j] to minHash(xs, a[j], b[j]) for every j.
func minHashes(sig []uint32, xs []uint64, a, b []uint64) { minHashesGeneric(sig, xs, a, b) }
