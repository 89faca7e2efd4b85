package dedup

import "golang.org/x/sys/cpu"

// useAVX512 says whether minHashes may take eight hash functions a
// multiply: VPMULLQ (AVX-512 DQ) and VPMINUQ (AVX-512 F), with the OS
// saving the wide registers (x/sys/cpu checks that too).
var useAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ

// minHash64AVX512 sets out[j] to the least a[j]*x+b[j] (modulo 2^64) over
// the x of xs (not empty), for the 64 functions j; minHashes keeps the top
// 32 bits.
//
//go:noescape
func minHash64AVX512(a, b *[64]uint64, xs []uint64, out *[64]uint64)

// minHashes sets sig[j] to minHash(xs, a[j], b[j]) for every j, 64
// functions at a time in AVX-512 registers when the CPU has them.
func minHashes(sig []uint32, xs []uint64, a, b []uint64) {
	if !useAVX512 || len(xs) == 0 {
		minHashesGeneric(sig, xs, a, b)
		return
	}
	var out [64]uint64
	j := 0
	for ; j+64 <= len(sig); j += 64 {
		minHash64AVX512((*[64]uint64)(a[j:]), (*[64]uint64)(b[j:]), xs, &out)
		for k, m := range out {
			sig[j+k] = uint32(m >> 32)
		}
	}
	minHashesGeneric(sig[j:], xs, a[j:], b[j:])
}
