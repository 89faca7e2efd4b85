package ner

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// referenceEmissions sums each token's static feature rows one by one
// from the full weight table (no cache, no compact table).
func referenceEmissions(m *Model, tokens []string) []int32 {
	var s scratch
	s.prepare(tokens, nil)
	L := len(m.labels)
	out := make([]int32, len(tokens)*L)
	for i := range tokens {
		for _, h := range s.feats[s.offs[i]:s.offs[i+1]] {
			row := m.w[int(h>>(64-m.bits))*L:][:L]
			for l, v := range row {
				out[i*L+l] += int32(v)
			}
		}
	}
	return out
}

// collidingWords returns n words that share one set of the word cache.
func collidingWords(n int) []string {
	mask := uint64(1<<wordCacheBits/2 - 1)
	bySet := map[uint64][]string{}
	for i := 0; ; i++ {
		w := fmt.Sprintf("Word%d", i)
		set := mix(hashString(w), 0) & mask
		bySet[set] = append(bySet[set], w)
		if len(bySet[set]) == n {
			return bySet[set]
		}
	}
}

// The emission scores are the sums of the features' rows, with the sums
// in AVX-512 registers or not, the cache cold or warm, and when a
// sentence has more words of one cache set than the set holds: an entry
// the sentence uses is not replaced before its sums are read.
func TestEmissionsAreTheSumsOfTheFeatureRows(t *testing.T) {
	m := Default()
	f := m.infer()
	ws := collidingWords(4)
	sents := [][]string{
		append(slices.Clone(ws), ws...),
		{ws[0], ws[1], ws[2], ws[3], ws[0]},
		{ws[0]},
	}
	sents = append(sents, sampleSentences(t)[1:]...)
	modes := []bool{false}
	if useAVX512 {
		modes = append(modes, true)
	}
	defer func(u bool) { useAVX512 = u }(useAVX512)
	for _, simd := range modes {
		useAVX512 = simd
		s := &scratch{}
		for pass := range 2 {
			for _, toks := range sents {
				if len(toks) == 0 {
					continue
				}
				m.emissions(f, s, toks, nil, nil)
				want := referenceEmissions(m, toks)
				if got := s.emit[:len(want)]; !slices.Equal(got, want) {
					t.Fatalf("AVX-512 %v, pass %d, %q:\n got %v\nwant %v", simd, pass, strings.Join(toks, " "), got, want)
				}
			}
		}
	}
}

// The AVX-512 sums equal sumEmissionsGo's, wrapping included.
func TestSumEmissionsInRegistersAgreesWithGo(t *testing.T) {
	if !useAVX512 {
		t.Skip("no AVX-512")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	const L = 11
	w := make([]int16, 50*L)
	for i := range w {
		w[i] = int16(rng.Uint32())
	}
	for trial := range 500 {
		n := 1 + rng.IntN(40)
		vp := make([][]int32, n+4)
		for j := range vp {
			vp[j] = make([]int32, nGroups*L)
			for k := range vp[j] {
				vp[j][k] = int32(rng.Uint32())
				if trial%2 == 0 {
					vp[j][k] >>= 16
				}
			}
		}
		ks := make([]int32, 3*n)
		for j := range ks {
			ks[j] = rng.Int32N(50)
		}
		want := make([]int32, n*L+3)
		got := make([]int32, n*L+3)
		got[n*L], got[n*L+1], got[n*L+2] = 7, 8, 9
		copy(want[n*L:], got[n*L:])
		sumEmissionsGo(want[:n*L], vp, w, ks, L)
		sumEmissions(got[:n*L], vp, w, ks, L)
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d (n %d):\n got %v\nwant %v", trial, n, got, want)
		}
	}
}

// A word's sums from its rows found first (AVX-512 or the Go loop) equal
// those of adding each nonzero row as it is found.
func TestWordSumsOfRowsAgreeWithAddingEachRow(t *testing.T) {
	m := Default()
	f := m.infer()
	caps := capIndexLoad()
	words := strings.Fields("the The THE Paris paris Xi-Jinping U.S. 1,200 2024 , . ' Nordrhein-Westfalen-Landesregierung ERDOĞAN élan McDonald's @user x ( )")
	defer func(u bool) { useAVX512 = u }(useAVX512)
	for _, simd := range []bool{false, useAVX512} {
		useAVX512 = simd
		for i, w := range words {
			ti := infoFast(w, i%3 == 0)
			ti.capb = uint64(caps.bucketHashed([]byte(strings.ToLower(w)), ti.lower))
			want := make([]int32, nGroups*f.L)
			m.wordSumsGo(f, &ti, want)
			got := make([]int32, nGroups*f.L)
			for k := range got {
				got[k] = -1
			}
			m.wordSums(f, &ti, got)
			if !slices.Equal(got, want) {
				t.Fatalf("AVX-512 %v, %q:\n got %v\nwant %v", simd, w, got, want)
			}
		}
	}
}
