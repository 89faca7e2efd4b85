#include "textflag.h"

// func sumEmissions11AVX512(emit *int32, vp *[]int32, w *int16, ks *int32, n int)
//
// For each token i: Z0 = vp[i+2][0:11] + vp[i+1][11:22] + vp[i+3][22:33]
// + vp[i][33:44] + vp[i+4][44:55] + the int16 rows ks[3i], ks[3i+1],
// ks[3i+2] of w, widened; emit[11i:11i+11] = Z0. K1 keeps every load and
// the store to eleven lanes. A slice header is 24 bytes, a row 22.
TEXT ·sumEmissions11AVX512(SB), NOSPLIT, $0-40
	MOVQ emit+0(FP), DI
	MOVQ vp+8(FP), SI
	MOVQ w+16(FP), BX
	MOVQ ks+24(FP), DX
	MOVQ n+32(FP), CX
	MOVQ $0x7ff, AX
	KMOVW AX, K1
loop:
	MOVQ 48(SI), R8
	VMOVDQU32.Z (R8), K1, Z0
	MOVQ 24(SI), R9
	VMOVDQU32.Z 44(R9), K1, Z1
	MOVQ 72(SI), R10
	VMOVDQU32.Z 88(R10), K1, Z2
	MOVQ 0(SI), R11
	VMOVDQU32.Z 132(R11), K1, Z3
	MOVQ 96(SI), R12
	VMOVDQU32.Z 176(R12), K1, Z4
	MOVLQSX 0(DX), R8
	IMUL3Q $22, R8, R8
	VPMOVSXWD.Z (BX)(R8*1), K1, Z5
	MOVLQSX 4(DX), R9
	IMUL3Q $22, R9, R9
	VPMOVSXWD.Z (BX)(R9*1), K1, Z6
	MOVLQSX 8(DX), R10
	IMUL3Q $22, R10, R10
	VPMOVSXWD.Z (BX)(R10*1), K1, Z7
	VPADDD Z1, Z0, Z0
	VPADDD Z3, Z2, Z2
	VPADDD Z5, Z4, Z4
	VPADDD Z7, Z6, Z6
	VPADDD Z2, Z0, Z0
	VPADDD Z6, Z4, Z4
	VPADDD Z4, Z0, Z0
	VMOVDQU32 Z0, K1, (DI)
	ADDQ $44, DI
	ADDQ $24, SI
	ADDQ $12, DX
	DECQ CX
	JNZ loop
	VZEROUPPER
	RET

// func wordSums11AVX512(v *int32, w *int16, ks *[wordRows]int32, nSelf int)
//
// v[0:11] = the int16 rows ks[0:nSelf] of w, widened and summed; then
// v[11:22], v[22:33] the next four rows each, v[33:44] and v[44:55] one
// each. Z0-Z3 take turns so the loads overlap.
TEXT ·wordSums11AVX512(SB), NOSPLIT, $0-32
	MOVQ v+0(FP), DI
	MOVQ w+8(FP), BX
	MOVQ ks+16(FP), DX
	MOVQ nSelf+24(FP), CX
	MOVQ $0x7ff, AX
	KMOVW AX, K1
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
self:
	MOVLQSX 0(DX), R8
	IMUL3Q $22, R8, R8
	VPMOVSXWD.Z (BX)(R8*1), K1, Z2
	VPADDD Z2, Z0, Z0
	ADDQ $4, DX
	DECQ CX
	JZ selfdone
	MOVLQSX 0(DX), R8
	IMUL3Q $22, R8, R8
	VPMOVSXWD.Z (BX)(R8*1), K1, Z3
	VPADDD Z3, Z1, Z1
	ADDQ $4, DX
	DECQ CX
	JNZ self
selfdone:
	VPADDD Z1, Z0, Z0
	VMOVDQU32 Z0, K1, (DI)
	// gLeft1: four rows
	MOVLQSX 0(DX), R8
	IMUL3Q $22, R8, R8
	VPMOVSXWD.Z (BX)(R8*1), K1, Z0
	MOVLQSX 4(DX), R9
	IMUL3Q $22, R9, R9
	VPMOVSXWD.Z (BX)(R9*1), K1, Z1
	MOVLQSX 8(DX), R10
	IMUL3Q $22, R10, R10
	VPMOVSXWD.Z (BX)(R10*1), K1, Z2
	MOVLQSX 12(DX), R11
	IMUL3Q $22, R11, R11
	VPMOVSXWD.Z (BX)(R11*1), K1, Z3
	VPADDD Z1, Z0, Z0
	VPADDD Z3, Z2, Z2
	VPADDD Z2, Z0, Z0
	VMOVDQU32 Z0, K1, 44(DI)
	// gRight1: four rows
	MOVLQSX 16(DX), R8
	IMUL3Q $22, R8, R8
	VPMOVSXWD.Z (BX)(R8*1), K1, Z4
	MOVLQSX 20(DX), R9
	IMUL3Q $22, R9, R9
	VPMOVSXWD.Z (BX)(R9*1), K1, Z5
	MOVLQSX 24(DX), R10
	IMUL3Q $22, R10, R10
	VPMOVSXWD.Z (BX)(R10*1), K1, Z6
	MOVLQSX 28(DX), R11
	IMUL3Q $22, R11, R11
	VPMOVSXWD.Z (BX)(R11*1), K1, Z7
	VPADDD Z5, Z4, Z4
	VPADDD Z7, Z6, Z6
	VPADDD Z6, Z4, Z4
	VMOVDQU32 Z4, K1, 88(DI)
	// gLeft2, gRight2: one row each
	MOVLQSX 32(DX), R8
	IMUL3Q $22, R8, R8
	VPMOVSXWD.Z (BX)(R8*1), K1, Z0
	VMOVDQU32 Z0, K1, 132(DI)
	MOVLQSX 36(DX), R9
	IMUL3Q $22, R9, R9
	VPMOVSXWD.Z (BX)(R9*1), K1, Z1
	VMOVDQU32 Z1, K1, 176(DI)
	VZEROUPPER
	RET

// One previous label p of viterbi11AVX512's recursion: Z1 = delta[p] +
// wt[p]; the labels p may precede (K2) take Z1 into their best (B) and p
// into their best previous label (P) where Z1 is greater, and those p
// precedes first in its half (K3) take them whatever Z1 is.
#define MOVE(p, B, P) \
	VPBROADCASTD (p*4)(DI), Z1; \
	VPADDD (p*64)(BX), Z1, Z1; \
	KMOVW (p*2)(R8), K2; \
	KMOVW (22+p*2)(R8), K3; \
	VPCMPGTD B, Z1, K2, K2; \
	KORW K3, K2, K2; \
	VMOVDQA32 Z1, K2, B; \
	MOVL $p, AX; \
	VPBROADCASTD AX, K2, P

// func viterbi11AVX512(delta *[16]int32, emit *int32, back *int16, wt *[11][16]int32, masks *[24]uint16, n int)
TEXT ·viterbi11AVX512(SB), NOSPLIT, $0-48
	MOVQ delta+0(FP), DI
	MOVQ emit+8(FP), SI
	MOVQ back+16(FP), DX
	MOVQ wt+24(FP), BX
	MOVQ masks+32(FP), R8
	MOVQ n+40(FP), CX
	MOVQ $0x7ff, AX
	KMOVW AX, K1
	KMOVW 44(R8), K4
	KMOVW 46(R8), K5
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
vloop:
	// the two halves (splitMoves), interleaved
	MOVE(0, Z2, Z3)
	MOVE(6, Z12, Z13)
	MOVE(1, Z2, Z3)
	MOVE(7, Z12, Z13)
	MOVE(2, Z2, Z3)
	MOVE(8, Z12, Z13)
	MOVE(3, Z2, Z3)
	MOVE(9, Z12, Z13)
	MOVE(4, Z2, Z3)
	MOVE(10, Z12, Z13)
	MOVE(5, Z2, Z3)
	// the second half's best where it has moves and is greater, or where
	// the first has none
	VPCMPGTD Z2, Z12, K4, K2
	KORW K5, K2, K2
	VMOVDQA32 Z12, K2, Z2
	VMOVDQA32 Z13, K2, Z3
	// Z4 = best + emission in the eleven lanes (zero in the others), less
	// label 0's in every lane
	VPADDD.Z (SI), Z2, K1, Z4
	VPBROADCASTD X4, Z8
	VPSUBD Z8, Z4, Z0
	VMOVDQU32 Z0, (DI)
	VPMOVDW Z3, K1, (DX)
	ADDQ $44, SI
	ADDQ $22, DX
	DECQ CX
	JNZ vloop
	VZEROUPPER
	RET
