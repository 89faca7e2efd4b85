package dedup

import (
	"fmt"
	"os"
	"testing"
)

func TestExplore(t *testing.T) {
	if os.Getenv("EXPLORE") == "" {
		t.Skip()
	}
	p := sharedPath(t, "corpora/allsides-intl-5720.jsonl")
	for _, b := range []int{32, 42} {
		c := DefaultConfig()
		c.Bands = b
		rep, err := EvaluateCorpus(p, c, "testdata/allsides-pairs.tsv")
		if err != nil {
			t.Fatal(err)
		}
		fmt.Println(rep)
	}
}
