package ner

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"
)

// The capitalization table: for each word of the unlabeled news corpora
// (seen at least five times), how often it is capitalized when it does not
// open a sentence, in CapBuckets buckets. It is derived by the committed
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
		capTable = map[string]uint8{}
		zr, err := gzip.NewReader(bytes.NewReader(capstatsGz))
		if err != nil {
			return
		}
		sc := bufio.NewScanner(zr)
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "#") {
				continue
			}
			w, b, ok := strings.Cut(line, "\t")
			if ok && len(b) == 1 && b[0] >= '0' && b[0] < '0'+CapBuckets {
				capTable[w] = b[0] - '0'
			}
		}
	})
	return capTable
}
