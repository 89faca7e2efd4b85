package kb

import (
	"bufio"
	"encoding/json"
	"hash/maphash"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/detente/detente/internal/shareddata"
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
	f, err := os.Open(shareddata.Path("corpora", "allsides-intl-5720.jsonl"))
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
	var d differences
	for _, s := range sents {
		for _, prefer := range [][]string{nil, {"USA"}} {
			got, want := k.MatchPrefer(s, prefer), referenceMatch(k, s, prefer)
			if !reflect.DeepEqual(got, want) {
				d.add(t, "%q:\n got %+v\nwant %+v", strings.Join(s, " "), got, want)
			}
		}
	}
	d.report(t, 2*len(sents), "sentences")
}

// differences counts mismatches against a reference, shows the first
// three and, at the end, how many there were.
type differences struct{ bad int }

func (d *differences) add(t *testing.T, format string, args ...any) {
	t.Helper()
	if d.bad++; d.bad <= 3 {
		t.Errorf(format, args...)
	}
}

func (d *differences) report(t *testing.T, of int, what string) {
	t.Helper()
	if d.bad > 0 {
		t.Errorf("%d of %d %s matched differently", d.bad, of, what)
	}
}

func TestWordTableFindsEveryKeyAndNothingElse(t *testing.T) {
	k := Default()
	k.ensure()
	w := &k.words
	if len(w.table.keys) == 0 {
		t.Fatal("empty word table")
	}
	for id, key := range w.table.keys {
		if got := w.table.lookup([]byte(key)); got != int32(id) {
			t.Fatalf("lookup(%q) = %d, want %d", key, got, id)
		}
		// Each key with a byte more or less is another word.
		for _, other := range []string{key + "x", key[:len(key)-1]} {
			got := w.table.lookup([]byte(other))
			if got >= 0 && w.table.keys[got] != other {
				t.Fatalf("lookup(%q) = %d, the number of %q", other, got, w.table.keys[got])
			}
		}
	}
	var buf []byte
	for tok, want := range map[string]string{"China": "china", "U.S.": "us", "Erdoğan": "erdogan", "said": "said"} {
		got := w.wordID(tok, &buf)
		if got < 0 || w.table.keys[got] != want {
			t.Errorf("wordID(%q) = %d, want the number of %q", tok, got, want)
		}
	}
	if got := w.wordID("Xqzvvtt", &buf); got != -1 {
		t.Errorf("wordID of an unknown word = %d, want -1", got)
	}
}

// BenchmarkMatchNews matches the sentences of 300 AllSides articles (as
// corpusSentences splits them), in tokens/s.
func BenchmarkMatchNews(b *testing.B) {
	sentences := corpusSentences(300)
	if len(sentences) == 0 {
		b.Skip("AllSides corpus not found (set DETENTE_SHARED to the shared folder)")
	}
	tokens := 0
	for _, s := range sentences {
		tokens += len(s)
	}
	k := Default()
	k.Match(sentences[0])
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, s := range sentences {
			k.Match(s)
		}
	}
	b.ReportMetric(float64(tokens*b.N)/b.Elapsed().Seconds(), "tokens/s")
}

func TestCachedWordIDAgreesWithTheTable(t *testing.T) {
	k := Default()
	k.ensure()
	c := idCachePool.New().(*idCache)
	var buf []byte
	toks := []string{"Strider", "Fornost", "China", "china", "U.S.", "Erdoğan", "said", "Xqzvvtt", "", "Kyung", "a-very-long-token-past-the-cache-limit"}
	for _, s := range corpusSentences(50) {
		toks = append(toks, s...)
	}
	for pass := 0; pass < 2; pass++ { // the second pass reads the cache
		for _, tok := range toks {
			id, root := k.words.cachedWordID(tok, &buf, c)
			want := k.words.wordID(tok, &buf)
			var wantRoot int32
			if want >= 0 {
				wantRoot, _ = k.words.child(0, want)
			}
			if id != want || root != wantRoot {
				t.Fatalf("pass %d: cachedWordID(%q) = %d, %d; want %d, %d", pass, tok, id, root, want, wantRoot)
			}
		}
	}
	// The same cache over another knowledge base forgets the first one's
	// numbers.
	other, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := other.LoadActors("testdata/actors.txt"); err != nil {
		t.Fatal(err)
	}
	other.ensure()
	for _, tok := range toks {
		if got, _ := other.words.cachedWordID(tok, &buf, c); got != other.words.wordID(tok, &buf) {
			t.Fatalf("other KB: cachedWordID(%q) = %d, wordID = %d", tok, got, other.words.wordID(tok, &buf))
		}
	}
}

func TestMatchAfterLoadingActorsSeesTheNewNames(t *testing.T) {
	k, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	words := strings.Fields("Strider met Aragorn of Gondor")
	before := k.Match(words)
	if err := k.LoadActors("testdata/actors.txt"); err != nil {
		t.Fatal(err)
	}
	after := k.Match(words)
	if reflect.DeepEqual(before, after) {
		t.Errorf("Match found the same before and after LoadActors: %+v", after)
	}
}

func TestAppendNormNameIsNormName(t *testing.T) {
	names := []string{"", " ", "Xi Jinping", "U.S.", ".", "..", "a .. b", "St. John's", "Jae-in", "Moon_Jae-in",
		"O’Brien’s", "ERDOĞAN's", "Côte d'Ivoire", "  double  space ", "-lead-", "AL-QAEDA'S", "x's", "'s", "\xff.A"}
	for _, e := range Default().Entries() {
		names = append(names, e.Canonical)
		names = append(names, e.Names...)
	}
	for _, s := range corpusSentences(20) {
		names = append(names, strings.Join(s, " "))
	}
	for _, n := range names {
		if got, want := string(appendNormName(nil, n)), splitNormName(n); got != want {
			t.Fatalf("appendNormName(%q) = %q, want %q", n, got, want)
		}
	}
}

// splitNormName is normName written the plain way, the reference the
// allocation-free appendNormName is held to.
func splitNormName(s string) string {
	ws := splitName(s)
	for i, w := range ws {
		ws[i] = normKey(w)
	}
	return strings.Join(ws, " ")
}

func TestWordTableFindsEveryKeyThroughItsFilter(t *testing.T) {
	k := Default()
	k.ensure()
	tab := &k.words.table
	for id, key := range tab.keys {
		if got := tab.lookup([]byte(key)); got != int32(id) {
			t.Fatalf("lookup(%q) = %d, want %d", key, got, id)
		}
	}
	// The filter turns most unknown words away by itself.
	rejected, unknown := 0, 0
	for _, s := range corpusSentences(100) {
		for _, w := range s {
			key := appendKey(nil, w)
			if tab.lookup(key) >= 0 {
				continue
			}
			unknown++
			h := maphash.Bytes(tab.seed, key)
			if a, b := bloomBits(h); (tab.bloom[a/64]>>(a%64))&(tab.bloom[b/64]>>(b%64))&1 == 0 {
				rejected++
			}
		}
	}
	if unknown > 0 && rejected < unknown*8/10 {
		t.Errorf("the filter turned away %d of %d unknown tokens", rejected, unknown)
	}
	t.Logf("filter turned away %d of %d unknown tokens", rejected, unknown)
}

// TestMatchBothIsTwoMatches checks MatchBoth against two Match calls: alt
// with "the" read as "The" before capitalized words (the annotator's
// rewriting), with other case changes, with a token split differently
// (which MatchBoth must look up on its own) and of another length.
func TestMatchBothIsTwoMatches(t *testing.T) {
	k := Default()
	sents := [][]string{
		strings.Fields("the Hague and the Gambia , the Kremlin said ; the Democratic People 's Republic of Korea"),
		strings.Fields("the US-led coalition met the UN in the Hague"),
	}
	sents = append(sents, corpusSentences(300)...)
	altsOf := func(s []string) [][]string {
		the := make([]string, len(s))
		upper := make([]string, len(s))
		lower := make([]string, len(s))
		split := make([]string, len(s))
		for i, w := range s {
			the[i], upper[i], lower[i], split[i] = w, strings.ToUpper(w), strings.ToLower(w), w
			if w == "the" && i+1 < len(s) && capitalized(s[i+1]) {
				the[i] = "The"
			}
		}
		if len(s) > 1 {
			split[1] = s[1] + "-Korea" // one part more
		}
		return [][]string{the, upper, lower, split, s[:len(s)-1]}
	}
	var d differences
	rewritten := 0
	shared, apart := 0, 0 // "the" readings whose matches MatchBoth shared, or made twice
	for _, s := range sents {
		for n, alt := range altsOf(s) {
			if n == 0 && !reflect.DeepEqual(alt, s) {
				rewritten++
			}
			ms, altMs := k.MatchBoth(s, alt)
			if n == 0 && len(ms) > 0 && len(altMs) > 0 {
				if &ms[0] == &altMs[0] {
					shared++
				} else {
					apart++
				}
			}
			if want, wantAlt := k.Match(s), k.Match(alt); !reflect.DeepEqual(ms, want) || !reflect.DeepEqual(altMs, wantAlt) {
				d.add(t, "%q / %q:\n got %+v\n     %+v\nwant %+v\n     %+v", strings.Join(s, " "), strings.Join(alt, " "), ms, altMs, want, wantAlt)
			}
		}
	}
	if rewritten == 0 {
		t.Error("no sentence had a \"the\" to rewrite")
	}
	if shared == 0 || apart == 0 {
		t.Errorf("of the \"the\" readings, %d shared their matches and %d were matched twice: want both", shared, apart)
	}
	d.report(t, 5*len(sents), "pairs")
}

// TestTrieLeadsEveryPhraseToItsNode walks every phrase's words down the
// trie to a node that lists it, and asks every node for each child's word
// (found) and the words between (not found), so nodes with many children
// take the binary search.
func TestTrieLeadsEveryPhraseToItsNode(t *testing.T) {
	k := Default()
	k.ensure()
	w := &k.words
	for pid := range k.phrases {
		p := &k.phrases[pid]
		node := int32(0)
		for _, id := range p.ids {
			c, ok := w.child(node, id)
			if !ok || c <= 0 {
				t.Fatalf("phrase %q: no child for word %d below node %d", p.keys, id, node)
			}
			node = c
		}
		if !slices.Contains(w.endsAt(node), int32(pid)) {
			t.Fatalf("phrase %q: node %d does not list it", p.keys, node)
		}
	}
	nodes, big := 0, 0
	for off := int32(2); off < int32(len(w.trie)); off += 2 + 2*w.trie[off] {
		nodes++
		n := w.trie[off]
		if n > 8 {
			big++
		}
		prev := int32(-1)
		for j := range n {
			word, kid := w.trie[off+2+2*j], w.trie[off+3+2*j]
			if word <= prev {
				t.Fatalf("node %d: words not increasing", off)
			}
			if c, ok := w.child(off, word); !ok || c != kid {
				t.Fatalf("node %d: child(%d) = %d, %v; want %d", off, word, c, ok, kid)
			}
			if word > prev+1 {
				if _, ok := w.child(off, word-1); ok {
					t.Fatalf("node %d: child(%d) found, which it does not have", off, word-1)
				}
			}
			prev = word
		}
		if _, ok := w.child(off, prev+1); ok {
			t.Fatalf("node %d: child(%d) found past its last", off, prev+1)
		}
	}
	if nodes == 0 || big == 0 {
		t.Fatalf("%d nodes, %d with more than 8 children", nodes, big)
	}
}
