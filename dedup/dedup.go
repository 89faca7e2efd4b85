// Package dedup finds exact and near copies of news articles.
//
// An exact copy has the same normalized body: the same sequence of
// lowercased words, whatever the whitespace and punctuation. A near copy is
// a syndicated story carried with small changes — another headline, a
// trimmed tail, an inserted caption — and is found with MinHash signatures
// over word shingles and locality-sensitive hashing (LSH) on bands of the
// signature. See docs/dedup.md for the method and its measured precision
// and recall.
//
// Signatures and band keys are stored in databases, so every hash here is
// deterministic across processes and platforms; the golden test pins them.
package dedup

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/detente/detente"
)

// Config sets the shingle size, the signature length, the LSH banding and
// the similarity threshold of a Hasher.
type Config struct {
	// Shingle is the number of consecutive words in a shingle. Default 5.
	Shingle int
	// Hashes is the MinHash signature length. Default 128.
	Hashes int
	// Bands is the number of LSH bands; each band has Hashes/Bands rows
	// (rounded down). Zero picks the banding whose S-curve threshold
	// (1/b)^(1/r) sits well below Threshold (see TuneBands).
	Bands int
	// Threshold is the estimated Jaccard similarity at or above which a
	// candidate is a near copy. Default 0.5 (measured, docs/dedup.md).
	Threshold float64
	// Containment is a second test for copies much shorter than their
	// original (trimmed tails): a candidate whose estimated containment
	// |A∩B|/min(|A|,|B|) reaches it is a near copy even below Threshold.
	// Zero disables the test. Default 0.9.
	Containment float64
}

// DefaultConfig returns the measured defaults (docs/dedup.md): 5-word
// shingles, 128 hashes, 42 bands of 3 rows (S-curve threshold ≈ 0.29, so a
// pair at Jaccard 0.5 is a candidate with probability 0.996), Jaccard
// threshold 0.5, containment 0.9.
func DefaultConfig() Config {
	return Config{Shingle: 5, Hashes: 128, Bands: 42, Threshold: 0.5, Containment: 0.9}
}

// TuneBands returns the number of bands b, of r = hashes/b rows each,
// whose LSH S-curve threshold (1/b)^(1/r) is the largest one at or below
// 0.6×threshold, so that pairs at the threshold are almost surely
// candidates (a 128-hash signature at threshold 0.5 gets 42 bands of 3
// rows: a pair at 0.5 shares a band with probability 0.996).
func TuneBands(hashes int, threshold float64) int {
	best, bestT := 1, -1.0
	for r := 1; r <= hashes; r++ {
		b := hashes / r // as many bands as fit: more bands, more recall
		if t := SCurveThreshold(b, r); t <= 0.6*threshold && t > bestT {
			best, bestT = b, t
		}
	}
	return best
}

// SCurveThreshold is the Jaccard similarity (1/b)^(1/r) at which the LSH
// S-curve 1-(1-s^r)^b rises most steeply for b bands of r rows.
func SCurveThreshold(b, r int) float64 {
	return math.Pow(1/float64(b), 1/float64(r))
}

// CandidateProbability is the LSH S-curve: the probability that two texts
// with Jaccard similarity s share at least one of b bands of r rows.
func CandidateProbability(s float64, b, r int) float64 {
	return 1 - math.Pow(1-math.Pow(s, float64(r)), float64(b))
}

// Hasher computes fingerprints. Its permutation seeds are fixed, so the
// same body gets the same fingerprint in every process. A Hasher is safe
// for concurrent use.
type Hasher struct {
	c    Config
	rows int
	a, b []uint64 // h_i(x) = (a_i*x + b_i) mod 2^64, high 32 bits kept
	pool sync.Pool
}

// scratch is the per-call working memory of Fingerprint, pooled so that
// fingerprinting an article allocates little more than its result.
type scratch struct {
	words []uint64 // hash of each word
	norm  []byte   // normalized body: lowercased words joined by spaces
	sig   []uint32
	shs   []uint64 // hash of each shingle
}

// seed is the fixed seed of the permutation generator. Changing it (or the
// hashing below) changes every stored signature; the golden test guards it.
const seed = 0x6465_7465_6e74_6531 // "detente1"

// NewHasher returns a Hasher for c; zero fields take the defaults and a
// zero Bands is tuned to Threshold. Each band has Hashes/Bands rows; when
// Bands does not divide Hashes the last few signature values take part in
// the similarity but in no band.
func NewHasher(c Config) *Hasher {
	d := DefaultConfig()
	if c.Shingle <= 0 {
		c.Shingle = d.Shingle
	}
	if c.Hashes <= 0 {
		c.Hashes = d.Hashes
	}
	if c.Threshold <= 0 {
		c.Threshold = d.Threshold
	}
	if c.Containment < 0 || c.Containment > 1 {
		c.Containment = 0
	}
	if c.Bands <= 0 {
		c.Bands = TuneBands(c.Hashes, c.Threshold)
	}
	if c.Bands > c.Hashes {
		c.Bands = c.Hashes
	}
	rows := c.Hashes / c.Bands
	h := &Hasher{c: c, rows: rows, a: make([]uint64, c.Hashes), b: make([]uint64, c.Hashes)}
	s := uint64(seed)
	for i := range h.a {
		h.a[i] = splitmix(&s) | 1 // odd multipliers permute the 64-bit space
		h.b[i] = splitmix(&s)
	}
	h.pool.New = func() any { return &scratch{} }
	return h
}

// Config returns the configuration in effect, defaults filled in.
func (h *Hasher) Config() Config { return h.c }

// Rows is the number of signature rows per LSH band.
func (h *Hasher) Rows() int { return h.rows }

// splitmix advances a SplitMix64 generator: a fixed, documented sequence,
// unlike math/rand whose streams are not promised across Go versions.
func splitmix(s *uint64) uint64 {
	*s += 0x9e3779b97f4a7c15
	return mix64(*s)
}

// mix64 is the SplitMix64 finalizer: it spreads every input bit over the
// output so that word-hash combinations look uniform to the permutations.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// Words returns the normalized words of body: maximal runs of Unicode
// letters, digits and combining marks, lowercased. It is the tokenization
// Fingerprint uses, exported for evaluation and tests.
func Words(body string) []string {
	var out []string
	var cur []byte
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range body {
		if isWord(r) {
			cur = utf8.AppendRune(cur, unicode.ToLower(r))
		} else {
			flush()
		}
	}
	flush()
	return out
}

func isWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// scan tokenizes body into s.words (FNV-1a hash per word) and s.norm (the
// words lowercased, joined by single spaces), with an ASCII fast path.
func (s *scratch) scan(body string) {
	s.words, s.norm = s.words[:0], s.norm[:0]
	var wh uint64 = fnvOffset
	in := false
	end := func() {
		if in {
			s.words = append(s.words, wh)
			wh, in = fnvOffset, false
		}
	}
	for i := 0; i < len(body); {
		c := body[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			default:
				end()
				continue
			}
			if !in && len(s.norm) > 0 {
				s.norm = append(s.norm, ' ')
			}
			in = true
			s.norm = append(s.norm, c)
			wh = (wh ^ uint64(c)) * fnvPrime
			continue
		}
		r, n := utf8.DecodeRuneInString(body[i:])
		i += n
		if !isWord(r) {
			end()
			continue
		}
		if !in && len(s.norm) > 0 {
			s.norm = append(s.norm, ' ')
		}
		in = true
		start := len(s.norm)
		s.norm = utf8.AppendRune(s.norm, unicode.ToLower(r))
		for _, b := range s.norm[start:] {
			wh = (wh ^ uint64(b)) * fnvPrime
		}
	}
	end()
}

// shingle returns the hash of the k words starting at words[i].
func shingle(words []uint64, i, k int) uint64 {
	var x uint64 = fnvOffset
	for _, w := range words[i : i+k] {
		x = (x ^ w) * fnvPrime
	}
	return mix64(x)
}

// Fingerprint returns the fingerprint of an article body. Exact is the hex
// SHA-256 of the normalized body (lowercased words joined by single
// spaces). Signature and Bands are nil when the body has fewer words than a
// shingle: such a body can only match exactly.
func (h *Hasher) Fingerprint(body string) detente.Fingerprint {
	s := h.pool.Get().(*scratch)
	defer h.pool.Put(s)
	s.scan(body)
	sum := sha256.Sum256(s.norm)
	fp := detente.Fingerprint{Exact: hex.EncodeToString(sum[:])}
	k := h.c.Shingle
	if len(s.words) < k {
		return fp
	}
	n := h.c.Hashes
	if cap(s.sig) < n {
		s.sig = make([]uint32, n)
	}
	sig := s.sig[:n]
	shs := s.shs[:0]
	for i := 0; i+k <= len(s.words); i++ {
		shs = append(shs, shingle(s.words, i, k))
	}
	s.shs = shs
	minHashes(sig, shs, h.a[:n], h.b[:n])
	fp.Signature = append([]uint32(nil), sig...)
	fp.Bands = h.Bands(fp.Signature)
	return fp
}

// minHash is the least top 32 bits of a*x+b (modulo 2^64) over the
// shingle hashes xs (not empty): one hash function's MinHash value. The
// top 32 bits of the least value are the least top 32 bits.
func minHash(xs []uint64, a, b uint64) uint32 {
	m := uint64(math.MaxUint64)
	for _, x := range xs {
		m = min(m, a*x+b)
	}
	return uint32(m >> 32)
}

// minHashesGeneric is minHashes one function at a time.
func minHashesGeneric(sig []uint32, xs []uint64, a, b []uint64) {
	for j := range sig {
		sig[j] = minHash(xs, a[j], b[j])
	}
}

// Bands returns the LSH band keys of a signature: one per band, hashing
// the band's index with its rows so that equal rows in different bands do
// not collide.
func (h *Hasher) Bands(sig []uint32) []uint64 {
	if len(sig) != h.c.Hashes {
		return nil
	}
	out := make([]uint64, h.c.Bands)
	for bi := range out {
		x := (uint64(fnvOffset) ^ uint64(bi)) * fnvPrime
		for _, v := range sig[bi*h.rows : (bi+1)*h.rows] {
			x = (x ^ uint64(v)) * fnvPrime
		}
		out[bi] = mix64(x)
	}
	return out
}

// Similarity estimates the Jaccard similarity of two texts from their
// MinHash signatures: the fraction of positions where they agree. It is 0
// when the signatures are empty or of different lengths.
func Similarity(a, b []uint32) float64 {
	if len(a) == 0 || len(a) != len(b) {
		return 0
	}
	eq := 0
	for i, v := range a {
		if v == b[i] {
			eq++
		}
	}
	return float64(eq) / float64(len(a))
}

// Cardinality estimates the number of distinct shingles behind a
// signature from its minima: each minimum of n uniform values in [0,1)
// has mean 1/(n+1), and (k-1)/Σmin is an unbiased estimate of n, with a
// relative error of about 1/√k (9% for 128 hashes).
func Cardinality(sig []uint32) float64 {
	if len(sig) < 2 {
		return 0
	}
	var sum float64
	for _, v := range sig {
		sum += (float64(v) + 0.5) / (1 << 32)
	}
	return float64(len(sig)-1) / sum
}

// Containment estimates |A∩B|/min(|A|,|B|) for shingle sets A and B from
// their signatures, combining the Jaccard estimate j with the cardinality
// estimates: |A∩B| = j(|A|+|B|)/(1+j). It is high when the shorter text is
// mostly inside the longer one, as with a copy whose tail was trimmed.
func Containment(a, b []uint32, j float64) float64 {
	na, nb := Cardinality(a), Cardinality(b)
	if na == 0 || nb == 0 {
		return 0
	}
	c := j * (na + nb) / (1 + j) / math.Min(na, nb)
	return math.Min(c, 1)
}

// IsNear reports whether two signatures belong to copies of one text, and
// the estimated Jaccard similarity: similarity at or above Threshold, or
// estimated containment at or above Containment when that test is on.
func (h *Hasher) IsNear(a, b []uint32) (bool, float64) {
	j := Similarity(a, b)
	if j == 0 {
		return false, 0
	}
	if j >= h.c.Threshold {
		return true, j
	}
	if h.c.Containment > 0 && Containment(a, b, j) >= h.c.Containment {
		return true, j
	}
	return false, j
}

// Best returns the best near match for sig among candidates (as a store's
// NearCandidates returns them): the most similar candidate that IsNear
// accepts, or nil. Stores use it so that they decide as Index does.
func (h *Hasher) Best(sig []uint32, candidates []detente.Candidate) *detente.Duplicate {
	var best *detente.Duplicate
	for _, c := range candidates {
		ok, j := h.IsNear(sig, c.Signature)
		if ok && (best == nil || j > best.Similarity || j == best.Similarity && c.ArticleID < best.Of) {
			best = &detente.Duplicate{Of: c.ArticleID, Kind: detente.CopyNear, Similarity: j}
		}
	}
	return best
}
