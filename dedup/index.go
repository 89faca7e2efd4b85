package dedup

import (
	"sync"

	"github.com/detente/detente"
)

// Index is an in-memory duplicate index, for runs without a store (detente
// annotate) and for evaluation. It keeps what a store keeps: exact hashes,
// signatures and band keys. It is safe for concurrent use.
type Index struct {
	h     *Hasher
	mu    sync.RWMutex
	exact map[string]string  // exact hash → first article ID
	bands map[uint64][]int32 // band key → entries
	ids   []string
	sigs  [][]uint32
}

// NewIndex returns an empty index that judges near copies with h.
func NewIndex(h *Hasher) *Index {
	return &Index{h: h, exact: map[string]string{}, bands: map[uint64][]int32{}}
}

// Len is the number of articles added.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.ids)
}

// Check returns what an article with this fingerprint copies: an exact
// copy when an added article has the same Exact hash, else the most
// similar near copy among the articles sharing a band key, else nil. The
// article itself (same id) is never its own copy. Check does not add.
func (ix *Index) Check(id string, fp detente.Fingerprint) *detente.Duplicate {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if of, ok := ix.exact[fp.Exact]; ok && fp.Exact != "" && of != id {
		return &detente.Duplicate{Of: of, Kind: detente.CopyExact, Similarity: 1}
	}
	if len(fp.Signature) == 0 {
		return nil
	}
	var best *detente.Duplicate
	seen := map[int32]bool{}
	for _, key := range fp.Bands {
		for _, e := range ix.bands[key] {
			if seen[e] || ix.ids[e] == id {
				continue
			}
			seen[e] = true
			ok, j := ix.h.IsNear(fp.Signature, ix.sigs[e])
			if ok && (best == nil || j > best.Similarity) {
				best = &detente.Duplicate{Of: ix.ids[e], Kind: detente.CopyNear, Similarity: j}
			}
		}
	}
	return best
}

// Add adds an article. Callers normally add only originals, as a store
// keeps only originals' signatures, so copies point at the first article
// of their story. The first article with an Exact hash keeps it.
func (ix *Index) Add(id string, fp detente.Fingerprint) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if _, ok := ix.exact[fp.Exact]; !ok && fp.Exact != "" {
		ix.exact[fp.Exact] = id
	}
	if len(fp.Signature) == 0 {
		return
	}
	e := int32(len(ix.ids))
	ix.ids = append(ix.ids, id)
	ix.sigs = append(ix.sigs, fp.Signature)
	for _, key := range fp.Bands {
		ix.bands[key] = append(ix.bands[key], e)
	}
}
