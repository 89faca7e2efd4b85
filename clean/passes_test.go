package clean

import (
	"reflect"
	"slices"
	"testing"

	"github.com/detente/detente"
)

// cleanLinesEveryRule is cleanLines as it was before later passes skipped
// the tests that judge a line on its own: every rule in every pass.
func cleanLinesEveryRule(lines []string, a *detente.Article, trace tracer) []string {
	for pass := 0; pass < maxPasses; pass++ {
		n := len(lines)
		var kept []string
		lines = cleanHead(lines, a, trace)
		lines = dropWidgets(lines, trace)
		lines = takeCaptions(lines, a, trace, false, &kept)
		lines = dropLinks(lines, trace)
		lines = cleanTail(lines, trace, false)
		if len(lines) == n {
			break
		}
	}
	return lines
}

type traced struct{ rule, line string }

// checkLaterPasses compares clean with cleanEveryRule on a: the article
// and every line each rule removed, in order.
func checkLaterPasses(t *testing.T, name string, a *detente.Article) {
	t.Helper()
	var got, want []traced
	ga, wa := *a, *a
	g := cleanLines(splitParagraphs(a.Body), &ga, func(r, l string) { got = append(got, traced{r, l}) })
	w := cleanLinesEveryRule(splitParagraphs(a.Body), &wa, func(r, l string) { want = append(want, traced{r, l}) })
	if !slices.Equal(g, w) || !reflect.DeepEqual(ga, wa) {
		t.Errorf("%s: cleanLines\n%q\n%+v\nevery rule every pass\n%q\n%+v", name, g, ga, w, wa)
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: removed\n%q\nevery rule every pass removed\n%q", name, got, want)
	}
}

func TestLaterPassesSkipOnlyWhatCannotChange(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []string
	}{
		// "Photo: Reuters" is kept once as a doubled label in the first
		// pass, untested; the second pass (the share button went) finds
		// it is only a credit.
		{"a doubled credit line", []string{para(0), "Share", "Photo: Reuters", "Photo: Reuters", para(1), para(2)}},
		// Removing the link between them makes two copies of a caption
		// adjacent in the second pass.
		{"a caption doubled around a link", []string{para(0), "Protesters march in Seoul on Sunday", "Read more: Talks resume in Seoul",
			"Protesters march in Seoul on Sunday", para(1), para(2)}},
		{"a heading doubled around a widget", []string{para(0), "ANALYSIS:", "Advertisement", "ANALYSIS:", para(1), para(2)}},
		{"a related list and a copyright line", []string{para(0), para(1), para(2), para(3), para(4), para(5), "Related:",
			"Talks resume in Seoul", "Beijing protests THAAD", "© 2017 Reuters. All rights reserved."}},
		{"a tail junk line exposed", []string{para(0), para(1), "Copyright 2017 CGTN", "Share", "Tweet"}},
	} {
		a := &detente.Article{Language: "en", Body: body(tc.lines...)}
		checkLaterPasses(t, tc.name, a)
		if out := Article(a); out.Body == a.Body {
			t.Errorf("%s: nothing was cleaned; the fixture tests nothing", tc.name)
		}
	}
}

func TestLaterPassesSkipOnlyWhatCannotChangeOnCorpora(t *testing.T) {
	if testing.Short() {
		t.Skip("reads both corpora")
	}
	for _, rel := range []string{"corpora/allsides-intl-5720.jsonl", "corpora/wikinews-2019-2020.jsonl"} {
		for _, a := range readCorpus(t, rel) {
			checkLaterPasses(t, a.ID, a)
		}
	}
}
