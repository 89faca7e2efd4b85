// Package clean turns a raw article, as a reader delivers it, into a clean
// one: metadata normalized, page furniture (share bars, ads, related-link
// lists, copyright lines) removed from the body, photo captions moved out of
// the body into Captions with their credits split off. It is site
// independent: every rule is a small named function matching a general
// shape, and every rule removes only whole lines.
//
// Clean is idempotent: cleaning a clean article changes nothing.
package clean

import (
	"slices"
	"strings"

	"github.com/detente/detente"
)

// Article returns a cleaned copy of a; a itself is not changed. Title,
// Author, Source and tags are normalized with Text; Published and Crawled
// with Date; Language is normalized to ISO 639-1, or detected from the body
// when empty and the detection is reliable. The body keeps its paragraphs in
// order, each normalized with Text, separated by one "\n".
//
// Metadata the reader found is kept, with one exception: a Published or
// Crawled value that Date cannot read becomes empty, because those fields
// promise a date and downstream filters compare them as dates; a string we
// cannot read is not one, and we do not guess.
func Article(a *detente.Article) *detente.Article {
	return clean(a, nil)
}

// tracer is told every line a rule removes; the corpus survey uses it.
type tracer func(rule, line string)

// maxPasses bounds the rule passes: each pass only removes lines, and
// removing one can expose another (a caption's twin, a new last line), so
// the rules run until nothing changes. That is what makes Article
// idempotent.
const maxPasses = 8

func clean(a *detente.Article, trace tracer) *detente.Article {
	if a == nil {
		return nil
	}
	if trace == nil {
		trace = func(string, string) {}
	}
	out := *a
	out.ID = strings.TrimSpace(a.ID)
	out.URL = strings.TrimSpace(a.URL)
	out.Source = Text(a.Source)
	out.Title = Text(a.Title)
	out.Author = Text(a.Author)
	out.Published = normDate(a.Published)
	out.Crawled = normDate(a.Crawled)
	out.Tags = nil
	out.Tags = addTags(out.Tags, a.Tags)
	out.Captions = nil
	for _, c := range a.Captions {
		out.Captions = addCaption(out.Captions, detente.Caption{Text: Text(c.Text), Credit: Text(c.Credit)})
	}

	lines := cleanLines(splitParagraphs(a.Body), &out, trace)
	out.Body = strings.Join(lines, "\n")
	out.Language = language(a.Language, out.Body)
	return &out
}

// cleanLines runs the rules over the paragraphs of a's body until they
// remove nothing more; what they take for tags, an author or captions goes
// into a.
//
// The rules filter lines in place: each writes the lines it keeps over
// the ones it has read, never ahead of what it still reads.
func cleanLines(lines []string, a *detente.Article, trace tracer) []string {
	// The rules only remove whole lines, never change or add one. So a
	// test that judges a line on its own (the widgets, the links, the
	// section headings, a caption's credit or label) has already kept
	// every line a later pass sees, and would keep it again: later passes
	// run only what depends on a line's neighbours or place (the head,
	// repeated lines, the tail), and the caption tests for the lines the
	// first pass kept as repeated without testing them (kept).
	var kept []string
	for pass := 0; pass < maxPasses; pass++ {
		n := len(lines)
		again := pass > 0
		lines = cleanHead(lines, a, trace)
		if !again {
			lines = dropWidgets(lines, trace)
		}
		lines = takeCaptions(lines, a, trace, again, &kept)
		if !again {
			lines = dropLinks(lines, trace)
		}
		lines = cleanTail(lines, trace, again)
		if len(lines) == n {
			break
		}
	}
	return lines
}

// normDate is Date without the error: "" for what is not a date.
func normDate(s string) string {
	d, err := Date(s)
	if err != nil {
		return ""
	}
	return d
}

// addTags appends the normalized, non-empty tags that are not already in
// tags (compared without case) and returns the result.
func addTags(tags, more []string) []string {
	for _, t := range more {
		t = Text(t)
		if t == "" {
			continue
		}
		dup := false
		for _, have := range tags {
			if strings.EqualFold(have, t) {
				dup = true
				break
			}
		}
		if !dup {
			tags = append(tags, t)
		}
	}
	return tags
}

// addCaption appends c unless it is empty or already there.
func addCaption(cs []detente.Caption, c detente.Caption) []detente.Caption {
	if c.Text == "" && c.Credit == "" {
		return cs
	}
	for _, have := range cs {
		if have == c {
			return cs
		}
	}
	return append(cs, c)
}

// headLines is how far into the body a byline may stand (after a dek or a
// kicker line).
const headLines = 3

// cleanHead removes what page-text dumps put before the article: the JSON tag
// list (into Tags), UI lines, the headline repeated as the first paragraph, and a byline (into Author when it is empty).
func cleanHead(lines []string, a *detente.Article, trace tracer) []string {
	for len(lines) > 0 {
		if tags, ok := tagList(lines[0]); ok {
			trace(ruleTags, lines[0])
			a.Tags = addTags(a.Tags, tags)
		} else if isWidget(lines[0]) {
			trace(ruleWidget, lines[0])
		} else if a.Title != "" && strings.EqualFold(lines[0], a.Title) {
			// HTML extraction often keeps the page's headline as the first
			// paragraph; it is the title, not article text.
			trace(ruleTitle, lines[0])
		} else {
			break
		}
		lines = lines[1:]
	}
	for i := 0; i < len(lines) && i < headLines; i++ {
		if author, ok := byline(lines[i]); ok {
			trace(ruleByline, lines[i])
			if a.Author == "" {
				a.Author = Text(author)
			}
			lines = append(lines[:i:i], lines[i+1:]...)
			break
		}
	}
	return lines
}

// dropWidgets removes UI lines anywhere in the body.
func dropWidgets(lines []string, trace tracer) []string {
	out := lines[:0]
	for _, l := range lines {
		if isWidget(l) {
			trace(ruleWidget, l)
			continue
		}
		out = append(out, l)
	}
	return out
}

// takeCaptions moves captions out of the body: a paragraph repeated back to
// back (how page-text dumps render a photo's caption; a doubled heading is
// kept once instead), a paragraph ending in
// a clear photo credit, and a caption the page labelled; lines that are only
// a credit go too.
//
// When again, every line was here on an earlier call and, unless it is in
// *kept (a repeated line kept once without the single-line tests), passed
// those tests; only its neighbours can have changed.
func takeCaptions(lines []string, a *detente.Article, trace tracer, again bool, kept *[]string) []string {
	out := lines[:0]
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if i+1 < len(lines) && lines[i+1] == l {
			if !isCaptionLike(l) {
				// A heading or label doubled by the page: keep one.
				for i+1 < len(lines) && lines[i+1] == l {
					trace(ruleRepeated, l)
					i++
				}
				out = append(out, l)
				*kept = append(*kept, l)
				continue
			}
			for i+1 < len(lines) && lines[i+1] == l {
				trace(ruleCaptionRepeated, l)
				i++
			}
			trace(ruleCaptionRepeated, l)
			text, credit, _ := splitCredit(l, true)
			a.Captions = addCaption(a.Captions, detente.Caption{Text: text, Credit: credit})
			continue
		}
		if again && !slices.Contains(*kept, l) {
			out = append(out, l) // tested and kept before
			continue
		}
		if c, ok := labelledCaption(l); ok {
			trace(ruleCaptionLabelled, l)
			a.Captions = addCaption(a.Captions, c)
			continue
		}
		if isCreditOnly(l) {
			trace(ruleCreditOnly, l)
			continue
		}
		if runesAtMost(l, maxCaption) {
			if text, credit, ok := splitCredit(l, false); ok && text != "" {
				trace(ruleCaptionCredit, l)
				a.Captions = addCaption(a.Captions, detente.Caption{Text: text, Credit: credit})
				continue
			}
		}
		out = append(out, l)
	}
	return out
}

// maxCaption is the longest single paragraph taken for a caption on the
// strength of its credit alone; captions are a sentence or two.
const maxCaption = 500

// dropLinks removes links to other articles and the headings of link lists
// wherever they stand; at the tail cleanTail removes whole lists.
func dropLinks(lines []string, trace tracer) []string {
	out := lines[:0]
	for _, l := range lines {
		if isLinkLine(l) {
			trace(ruleLink, l)
			continue
		}
		out = append(out, l)
	}
	return out
}

// tailStart is the index where the tail of an n-line body begins: the last
// fifth, and at least the last five lines.
func tailStart(n int) int {
	k := (n + 4) / 5
	if k < 5 {
		k = 5
	}
	if n-k < 0 {
		return 0
	}
	return n - k
}

// cleanTail removes page furniture from the tail only: a "Related"/"Read
// more" heading with the list of headlines after it, and lines that are
// copyright notices, agency credits or follow/subscribe prompts. Earlier in
// the body only a heading alone goes; the lines after it may be text.
// Every heading goes, so when again (the lines are what an earlier call
// returned, or fewer) there is none and only the tail is looked at.
func cleanTail(lines []string, trace tracer, again bool) []string {
	if !again {
		lines = dropSections(lines, trace)
	}
	start := tailStart(len(lines))
	out := lines[:start]
	for _, l := range lines[start:] {
		if isTailJunk(l) {
			trace(ruleTail, l)
			continue
		}
		out = append(out, l)
	}
	return out
}

// dropSections removes every "Related"/"Read more" heading: in the tail
// with the list of headlines after it, elsewhere alone.
func dropSections(lines []string, trace tracer) []string {
	start := tailStart(len(lines))
	// listAfter[i]: every line after i could be a link in a list.
	listAfter := make([]bool, len(lines)+1)
	listAfter[len(lines)] = true
	for i := len(lines) - 1; i >= 0; i-- {
		listAfter[i] = listAfter[i+1] && (isHeadlineLike(lines[i]) || isTailJunk(lines[i]))
	}
	out := lines[:0]
	for i, l := range lines {
		if !isSectionHeader(l) {
			out = append(out, l)
			continue
		}
		if i >= start && listAfter[i+1] {
			for _, l := range lines[i:] {
				trace(ruleSection, l)
			}
			break
		}
		trace(ruleSection, l)
	}
	return out
}
