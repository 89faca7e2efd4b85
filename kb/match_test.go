package kb

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// referenceMatch is the matcher the plain way: normalized key strings, the
// first key's bucket scanned longest first. Match's word numbers and trie
// must find exactly what it finds.
func referenceMatch(k *KB, tokens []string, prefer []string) []Match {
	k.ensure()
	var subs []sub
	var keys []string
	for i, t := range tokens {
		if strings.IndexByte(t, '-') <= 0 || strings.HasSuffix(t, "-") {
			subs = append(subs, sub{text: t, whole: t, tok: i, first: true, last: true})
			keys = append(keys, normKey(t))
			continue
		}
		parts := strings.Split(t, "-")
		for j, p := range parts {
			if p != "" {
				subs = append(subs, sub{text: p, whole: t, tok: i, first: j == 0, last: j == len(parts)-1})
				keys = append(keys, normKey(p))
			}
		}
	}
	fits := func(p *phrase, i int) bool {
		for j, key := range p.keys {
			if keys[i+j] != key {
				return false
			}
		}
		// The case and boundary rules need only the parts, and their
		// word numbers agree once the keys do.
		for j := range p.keys {
			subs[i+j].id = p.ids[j]
		}
		return k.fits(p, subs[i:i+len(p.keys)])
	}
	var out []Match
	for i := 0; i < len(subs); {
		if !subs[i].first {
			i++
			continue
		}
		bestLen := 0
		var cands []int32
		for _, pid := range k.index[keys[i]] {
			p := &k.phrases[pid]
			n := len(p.keys)
			if n < bestLen {
				break
			}
			if i+n > len(subs) || !fits(p, i) {
				continue
			}
			bestLen = n
			cands = append(cands, pid)
		}
		if bestLen == 0 {
			i++
			continue
		}
		m, ok := k.choose(cands, subs[i:i+bestLen], prefer)
		if !ok {
			i++
			continue
		}
		m.Start, m.End = subs[i].tok, subs[i+bestLen-1].tok+1
		out = append(out, m)
		next := i + bestLen
		for next < len(subs) && !subs[next].first {
			next++
		}
		i = next
	}
	return out
}

// corpusSentences splits up to n AllSides bodies into rough sentences of
// whitespace tokens with punctuation apart, or returns nil without the
// shared folder.
func corpusSentences(n int) [][]string {
	dir := os.Getenv("DETENTE_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared")
	}
	f, err := os.Open(filepath.Join(dir, "corpora", "allsides-intl-5720.jsonl"))
	if err != nil {
		return nil
	}
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	r := strings.NewReplacer(",", " , ", ".", " . ", "\"", " \" ", "“", " “ ", "”", " ” ", "'s ", " 's ", "’s ", " ’s ")
	for i := 0; i < n && sc.Scan(); i++ {
		var a struct{ Body string }
		if json.Unmarshal(sc.Bytes(), &a) != nil {
			continue
		}
		for _, line := range strings.Split(a.Body, "\n") {
			if f := strings.Fields(r.Replace(line)); len(f) > 0 {
				out = append(out, f)
			}
		}
	}
	return out
}

func TestMatchFindsWhatThePlainScanFinds(t *testing.T) {
	k := Default()
	sents := [][]string{
		strings.Fields("Chinese President Xi Jinping met South Korea-US envoys in Seongju , the Kremlin said ."),
		strings.Fields("U.S. forces , the UN and NATO 's chief ; Erdoğan , ERDOĞAN , Who and WHO ; Hwasong-15 and the US-led coalition"),
		strings.Fields("the Democratic People 's Republic of Korea . . -- - a--b"),
	}
	sents = append(sents, corpusSentences(300)...)
	bad := 0
	for _, s := range sents {
		for _, prefer := range [][]string{nil, {"USA"}} {
			got, want := k.MatchPrefer(s, prefer), referenceMatch(k, s, prefer)
			if !reflect.DeepEqual(got, want) {
				bad++
				if bad <= 3 {
					t.Errorf("%q:\n got %+v\nwant %+v", strings.Join(s, " "), got, want)
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d sentences matched differently", bad, 2*len(sents))
	}
}
