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

// Previous label p's row of viterbi11AVX512's recursion: R = delta[p] +
// wt[p], delta[p] taken from the scores (Z0) by I (p in every lane).
#define ROW(p, I, R) \
	VPERMD Z0, I, R; \
	VPADDD (p*64)(BX), R, R

// The better of two rows A and B (B of later labels) into A, and of their
// best previous labels IA and IB into I: B's where it is greater, so a tie
// keeps the earlier label.
#define BETTER(A, B, IA, IB, I, K) \
	VPCMPGTD A, B, K; \
	VMOVDQA32 B, K, A; \
	VPBLENDMD IB, IA, K, I

// func viterbi11AVX512(delta *[16]int32, emit *int32, back *int16, wt *[11][16]int32, n int)
TEXT ·viterbi11AVX512(SB), NOSPLIT, $0-40
	MOVQ delta+0(FP), DI
	MOVQ emit+8(FP), SI
	MOVQ back+16(FP), DX
	MOVQ wt+24(FP), BX
	MOVQ n+32(FP), CX
	MOVQ $0x7ff, AX
	KMOVW AX, K1
	// the scores stay in Z0 from token to token; Z16+p holds p in every
	// lane
	VMOVDQU32 (DI), Z0
	MOVL $0, AX
	VPBROADCASTD AX, Z16
	MOVL $1, AX
	VPBROADCASTD AX, Z17
	MOVL $2, AX
	VPBROADCASTD AX, Z18
	MOVL $3, AX
	VPBROADCASTD AX, Z19
	MOVL $4, AX
	VPBROADCASTD AX, Z20
	MOVL $5, AX
	VPBROADCASTD AX, Z21
	MOVL $6, AX
	VPBROADCASTD AX, Z22
	MOVL $7, AX
	VPBROADCASTD AX, Z23
	MOVL $8, AX
	VPBROADCASTD AX, Z24
	MOVL $9, AX
	VPBROADCASTD AX, Z25
	MOVL $10, AX
	VPBROADCASTD AX, Z26
vloop:
	ROW(0, Z16, Z1)
	ROW(1, Z17, Z2)
	ROW(2, Z18, Z3)
	ROW(3, Z19, Z4)
	ROW(4, Z20, Z5)
	ROW(5, Z21, Z6)
	ROW(6, Z22, Z7)
	ROW(7, Z23, Z8)
	ROW(8, Z24, Z9)
	ROW(9, Z25, Z10)
	ROW(10, Z26, Z11)
	// the tree: 0-1, 2-3, 4-5, 6-7, 8-9; 0-3, 4-7, 8-10; 0-7; 0-10
	BETTER(Z1, Z2, Z16, Z17, Z12, K2)
	BETTER(Z3, Z4, Z18, Z19, Z13, K3)
	BETTER(Z5, Z6, Z20, Z21, Z14, K4)
	BETTER(Z7, Z8, Z22, Z23, Z15, K5)
	BETTER(Z9, Z10, Z24, Z25, Z27, K6)
	BETTER(Z1, Z3, Z12, Z13, Z12, K2)
	BETTER(Z5, Z7, Z14, Z15, Z14, K3)
	BETTER(Z9, Z11, Z27, Z26, Z27, K4)
	BETTER(Z1, Z5, Z12, Z14, Z12, K2)
	BETTER(Z1, Z9, Z12, Z27, Z12, K3)
	// Z4 = best + emission in the eleven lanes (zero in the others), less
	// label 0's in every lane
	VPADDD.Z (SI), Z1, K1, Z4
	VPBROADCASTD X4, Z8
	VPSUBD Z8, Z4, Z0
	VPMOVDW Z12, K1, (DX)
	ADDQ $44, SI
	ADDQ $22, DX
	DECQ CX
	JNZ vloop
	VMOVDQU32 Z0, (DI)
	VZEROUPPER
	RET
