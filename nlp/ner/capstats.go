package ner

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"errors"
	"io"
	"strings"
	"sync"

	"github.com/detente/detente/internal/lowercase"
)

// The capitalization table: for each word of openly licensed running text
// (Wikinews, and the text of the wikigold and CrossNER politics train+dev
// training sets; see MODEL.md and ATTRIBUTION.md), how often it is
// capitalized when it does not open a sentence, in CapBuckets buckets. It is derived by the committed
// program nlp/ner/internal/capstats and is a model input: the tagger's
// features read it at training and at tagging time alike.
//
//go:embed capstats.tsv.gz
var capstatsGz []byte

// CapBuckets is the number of capitalization buckets; bucket 0 is kept for
// words the table does not know.
const CapBuckets = 6

// CapBucket buckets a word's capitalized share of mid-sentence uses:
// 1 almost never (< 2%), 2 rarely, 3 often, 4 mostly, 5 almost always
// (≥ 98%).
func CapBucket(upper, total int) int {
	if total == 0 {
		return 0
	}
	r := float64(upper) / float64(total)
	switch {
	case r < 0.02:
		return 1
	case r < 0.3:
		return 2
	case r < 0.7:
		return 3
	case r < 0.98:
		return 4
	}
	return 5
}

// Capitalization returns the capitalization bucket of a lower-case word
// (see CapBucket), 0 when the table does not know it.
func Capitalization(lower string) int { return int(capTableLoad()[lower]) }

var (
	capOnce  sync.Once
	capTable map[string]uint8
)

// capTableLoad decodes the embedded table on first use.
func capTableLoad() map[string]uint8 {
	capOnce.Do(func() {
		capTable, _ = readCapTable(bytes.NewReader(capstatsGz))
		if capTable == nil {
			capTable = map[string]uint8{}
		}
	})
	return capTable
}

// readCapTable reads a gzipped table as capstats writes it.
func readCapTable(r io.Reader) (map[string]uint8, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	t := map[string]uint8{}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		w, b, ok := strings.Cut(line, "\t")
		if ok && len(b) == 1 && b[0] >= '0' && b[0] < '0'+CapBuckets {
			t[w] = b[0] - '0'
		}
	}
	return t, sc.Err()
}

// UseCapTable replaces the embedded capitalization table by the gzipped
// one read from r (as nlp/ner/internal/capstats writes it), for
// experiments with other tables (nerexp -captable). It must be called
// before anything trains or tags; a model trained with one table is only
// right with that table.
func UseCapTable(r io.Reader) error {
	t, err := readCapTable(r)
	if err != nil {
		return err
	}
	used := true
	capOnce.Do(func() { capTable, used = t, false })
	if used {
		return errors.New("ner: UseCapTable after the capitalization table was read")
	}
	return nil
}

// capIndex is the table again, laid out for the tagger's fast road: open
// addressing on the word's hash, the words in one string, so a lookup
// usually reads one slot (and the word, to compare, when the hash
// matches) instead of a map's group, key and word.
type capIndex struct {
	slots []capSlot
	words string
}

type capSlot struct {
	h    uint64 // hashString of the word
	off  uint32 // the word is words[off:off+n]
	n    uint16
	b    uint8 // its bucket
	used bool
}

var (
	capIdxOnce sync.Once
	capIdx     capIndex
)

func capIndexLoad() *capIndex {
	capIdxOnce.Do(func() {
		t := capTableLoad()
		size := 16
		for size < 2*len(t) {
			size *= 2
		}
		x := capIndex{slots: make([]capSlot, size)}
		var words strings.Builder
		for w, b := range t {
			if len(w) > 0xffff {
				continue // no such words; the lookup then falls back on the map
			}
			h := hashString(w)
			i := mix(h, 0) & uint64(size-1)
			for x.slots[i].used {
				i = (i + 1) & uint64(size-1)
			}
			x.slots[i] = capSlot{h: h, off: uint32(words.Len()), n: uint16(len(w)), b: b, used: true}
			words.WriteString(w)
		}
		x.words = words.String()
		capIdx = x
	})
	return &capIdx
}

// bucket is the bucket of the lower-case word low, as capTable has it.
func (x *capIndex) bucket(low []byte) uint8 {
	return x.bucketHashed(low, hashString(string(low)))
}

// bucketHashed is bucket given h, hashString(string(low)): a token's
// tokInfo.lower is that hash of its lower-cased form.
func (x *capIndex) bucketHashed(low []byte, h uint64) uint8 {
	if len(low) > 0xffff {
		return capTableLoad()[string(low)]
	}
	mask := uint64(len(x.slots) - 1)
	for i := mix(h, 0) & mask; x.slots[i].used; i = (i + 1) & mask {
		s := &x.slots[i]
		if s.h == h && int(s.n) == len(low) && x.words[s.off:s.off+uint32(s.n)] == string(low) {
			return s.b
		}
	}
	return 0
}

// CapitalizationOf is Capitalization(strings.ToLower(w)), without
// allocating the lower-case word: callers ask it of every capitalized word
// they look at.
func CapitalizationOf(w string) int {
	var buf [48]byte
	return int(capIndexLoad().bucket(lowercase.Append(buf[:0], w)))
}
