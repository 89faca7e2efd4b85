package clean

import (
	"encoding/json"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/detente/detente"
	"github.com/detente/detente/internal/lowercase"
)

// Names of the rules, as the trace reports them.
const (
	ruleTags            = "tags"
	ruleWidget          = "widget"
	ruleByline          = "byline"
	ruleCaptionRepeated = "caption-repeated"
	ruleRepeated        = "repeated"
	ruleCaptionCredit   = "caption-credit"
	ruleCaptionLabelled = "caption-labelled"
	ruleCreditOnly      = "credit-only"
	ruleLink            = "link"
	ruleSection         = "tail-section"
	ruleTail            = "tail"
	ruleTitle           = "title"
)

// containsAfterSpace is strings.Contains(s, " "+sub): sub (not starting
// with a space) is searched for, a byte rarer than a space in text.
func containsAfterSpace(s, sub string) bool {
	for i := 1; i < len(s); {
		k := strings.Index(s[i:], sub)
		if k < 0 {
			return false
		}
		if s[i+k-1] == ' ' {
			return true
		}
		i += k + 1
	}
	return false
}

// runes counts the code points of s.
func runes(s string) int { return utf8.RuneCountInString(s) }

// runesAtMost says whether s has at most n code points; a string of at most
// n bytes has, so most lines are not counted.
func runesAtMost(s string, n int) bool { return len(s) <= n || runes(s) <= n }

// tagList parses a JSON list of strings on a line of its own, the way
// page-text dumps carry an article's tags (`["china", "thaad"]`). Tags are
// short; a list of long strings is text, not tags.
func tagList(line string) ([]string, bool) {
	if len(line) < 2 || len(line) > 1000 || line[0] != '[' || line[len(line)-1] != ']' {
		return nil, false
	}
	var raw []string
	if err := json.Unmarshal([]byte(line), &raw); err != nil {
		return nil, false
	}
	tags := make([]string, 0, len(raw))
	for _, t := range raw {
		t = Text(t)
		if runes(t) > 60 {
			return nil, false
		}
		if t != "" {
			tags = append(tags, t)
		}
	}
	return tags, true
}

// widgetPhrases are whole lines that are page furniture: share buttons and
// their confirmations, ad slots, gallery and player controls. Matched on the
// lower-cased line without a trailing colon.
var widgetPhrases = map[string]bool{}

func init() {
	for _, p := range strings.Split(`share|shares|share this|share this article|share this story|share article|share story|share on facebook|share on twitter|share via email|copied|copy|copy link|copy url|link copied|copied to clipboard|print|print this|print article|email|e-mail|email this|tweet|facebook|twitter|whatsapp|linkedin|reddit|pinterest|messenger|telegram|flipboard|comments|comment|view comments|show comments|leave a comment|advertisement|advertisement advertisement|advertising|ad|sponsored|story continued below|continue reading below|continue reading the main story|continue reading|article continues below|loading...|loading…|close|skip ad|skip advertisement|photo|photos|video|image|listen|listen to this article|save|save article|bookmark|gift this article|hide caption|toggle caption|enlarge this image|click to enlarge|view slideshow|play video|watch video|font size|text size`, "|") {
		widgetPhrases[p] = true
	}
}

// widgetVocabulary is the vocabulary of share bars ("SHARE THIS ARTICLE
// Share Tweet Post Email"); a short line made only of these words, with at
// least one that is a button (true), is a widget.
var widgetVocabulary = map[string]bool{
	"share": true, "tweet": true, "email": true, "e-mail": true, "print": true, "copy": true, "copied": true,
	"facebook": true, "twitter": true, "whatsapp": true, "linkedin": true, "reddit": true, "pinterest": true,
	"comments": true, "messenger": true, "telegram": true, "flipboard": true,
	"sharing": false, "shares": false, "link": false, "post": false, "this": false, "article": false,
	"story": false, "on": false, "via": false, "the": false, "to": false, "clipboard": false, "save": false,
	"url": false, "comment": false, "|": false, "·": false, "•": false,
}

var (
	widgetCount   = regexp.MustCompile(`^(?:\d[\d,.]*\s?[km]?\+?\s+(?:comments?|shares?|views?|likes?|replies|reactions|reads)|(?:comments?|shares?)\s*\(\d+\))$`)
	widgetGallery = regexp.MustCompile(`^(?:slideshow \(\d+ images?\)|(?:next |prev |previous )?(?:image|photo) \d+ of \d+|\d+ of \d+(?: i view slideshow)?|this article is more than \d+ (?:years?|months?) old)$`)
)

// hasDigit reports an ASCII digit in s: every alternative of widgetCount
// and widgetGallery needs one (\d is ASCII in Go's expressions), and most
// short lines have none.
func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			return true
		}
	}
	return false
}

// trimWidgetWords removes a share bar glued to the front of a line
// ("Facebook Twitter Pinterest Protesters march …"), keeping the rest.
func trimWidgetWords(line string) string {
	rest := line
	cut := false
	for {
		w, after, _ := strings.Cut(rest, " ")
		if after == "" || !lowerIn(widgetVocabulary, w) {
			break
		}
		rest, cut = after, true
	}
	if !cut {
		return line
	}
	return rest
}

// isWidget reports whether a whole line is UI rather than article text. Only
// short lines qualify, so a sentence that mentions Twitter stays.
func isWidget(line string) bool {
	if len(line) > 60 {
		return false
	}
	l := strings.ToLower(line)
	l = strings.TrimSpace(strings.TrimRight(l, ":"))
	if widgetPhrases[l] || hasDigit(l) && (widgetCount.MatchString(l) || widgetGallery.MatchString(l)) {
		return true
	}
	words := strings.Fields(l)
	if len(words) > 8 {
		return false
	}
	button := false
	for _, w := range words {
		isButton, ok := widgetVocabulary[w]
		if !ok {
			return false
		}
		button = button || isButton
	}
	return button
}

const (
	bylineName     = `(?:\p{Lu}\.|\p{Lu}[\p{L}'’\-]*\.?)`
	bylineParticle = `(?:de|da|del|der|van|von|bin|ibn|al|el|la|le|du|dos|di)`
	bylinePerson   = bylineName + `(?:\s+(?:` + bylineParticle + `\s+)?` + bylineName + `){0,4}`
	bylinePersons  = bylinePerson + `(?:(?:\s*,\s*|\s+and\s+|\s*&\s*)` + bylinePerson + `)*`
	bylineOrg      = `[\p{Lu}\p{N}][\p{L}\p{N}&'’.\- ]{0,40}`
)

var (
	bylineBy   = regexp.MustCompile(`^(?i:by)\s+(` + bylinePersons + `)(?:\s*[|–—]\s*` + bylineOrg + `)?$`)
	bylinePipe = regexp.MustCompile(`^(` + bylinePersons + `)\s*\|\s*` + bylineOrg + `$`)
	notPerson  = map[string]bool{
		"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true,
		"sunday": true, "january": true, "february": true, "march": true, "april": true, "may": true, "june": true,
		"july": true, "august": true, "september": true, "october": true, "november": true, "december": true,
		"then": true, "now": true, "contrast": true, "comparison": true, "far": true, "law": true, "default": true,
	}
	orgWord = regexp.MustCompile(`(?i)\b(?:news|press|agency|times|post|journal|network|reuters|afp|ap|cnn|bbc|staff|writer|reporter|correspondent|editor|service|wire|wires|media|radio|tv|television|daily|magazine|group)\b`)
)

// byline recognizes a byline line ("By John Smith", "By John Smith and Jane
// Doe, Reuters", "John Smith | CNN") and returns the author(s) without the
// outlet. A dateline such as "WASHINGTON (Reuters) -" is not a byline: it
// opens the first paragraph and is article text, so it stays in the body.
func byline(line string) (string, bool) {
	if len(line) > 160 {
		return "", false
	}
	var m []string
	if len(line) > 3 && (line[0] == 'B' || line[0] == 'b') && (line[1] == 'y' || line[1] == 'Y') {
		m = bylineBy.FindStringSubmatch(line)
	} else if strings.Contains(line, "|") {
		m = bylinePipe.FindStringSubmatch(line)
	}
	if m == nil {
		return "", false
	}
	names := m[1]
	first := strings.ToLower(strings.Trim(strings.Fields(names)[0], ".,"))
	if notPerson[first] {
		return "", false
	}
	// "John Smith, Reuters": a last comma segment that is one word, all
	// capitals or an outlet word is the outlet, not a second author.
	if i := strings.LastIndex(names, ","); i >= 0 {
		last := strings.TrimSpace(names[i+1:])
		if len(strings.Fields(last)) == 1 || last == strings.ToUpper(last) || orgWord.MatchString(last) {
			names = strings.TrimSpace(names[:i])
		}
	}
	return names, true
}

const creditWord = `[\p{Lu}\p{N}][\p{L}\p{N}&'’.\-]*`

var (
	// " /Reuters Photo", "/CFP", " / Xinhua": a slash-led credit at the end.
	creditSlash = regexp.MustCompile(`\s/\s?(` + creditWord + `(?:(?:\s+|\s?/\s?)` + creditWord + `){0,5})$`)
	// "(AP Photo/Name)", "(Photo: Name, AP)", "(Reuters)".
	creditParen = regexp.MustCompile(`\(([^()]{2,100})\)$`)
	// "Photo: Name/Getty Images", "Credit: Name", "Photo by Name".
	creditLabel = regexp.MustCompile(`\s(?:Photo|Photograph|Picture|Image|Credit|Photo credit|Image credit)s?\s*(?::|\bby\b)\s*([^:]{2,80})$`)
	// A credit inside parentheses names a picture or its source.
	photoWord    = regexp.MustCompile(`(?i)\b(?:photos?|photograph|images?|pictures?|credit|getty|handout|courtesy|pool)\b`)
	creditPrefix = regexp.MustCompile(`(?i)^(?:photo|photograph|picture|image|credit|photo credit|image credit)s?\s*(?::|\bby\b)\s*`)
	allCredit    = regexp.MustCompile(`^` + creditWord + `(?:(?:\s+|\s*[/,]\s*)` + creditWord + `){0,5}$`)
	sentenceEnd  = regexp.MustCompile(`[.!?"”’)]$`)
)

// creditTail is how far from the end of a paragraph a credit may start;
// matching only the tail keeps the credit patterns cheap on long paragraphs.
const creditTail = 160

// matchEnd matches re, anchored at the end, against the tail of p and
// returns the byte offset in p where the match starts and its first group.
func matchEnd(re *regexp.Regexp, p string) (int, string, bool) {
	off := 0
	if len(p) > creditTail {
		off = len(p) - creditTail
		for off < len(p) && !utf8.RuneStart(p[off]) {
			off++
		}
	}
	m := re.FindStringSubmatchIndex(p[off:])
	if m == nil {
		return 0, "", false
	}
	return off + m[0], p[off+m[2] : off+m[3]], true
}

// hasCreditLabel is a cheap test for the words creditLabel needs.
func hasCreditLabel(s string) bool {
	return strings.Contains(s, "Photo") || strings.Contains(s, "Image") ||
		strings.Contains(s, "Picture") || strings.Contains(s, "Credit")
}

// splitCredit splits a trailing photo credit off a paragraph. For a single
// paragraph (repeated false) it asks for clear evidence: the credit names a
// photo, or follows a finished sentence; a repeated paragraph is already a
// caption, so any credit-shaped ending counts.
func splitCredit(p string, repeated bool) (text, credit string, ok bool) {
	p = trimWidgetWords(p)
	finished := func(text string) bool { return repeated || sentenceEnd.MatchString(text) }
	tail := p
	if len(tail) > creditTail {
		tail = tail[len(tail)-creditTail:]
	}
	if containsAfterSpace(tail, "/") {
		if at, c, ok := matchEnd(creditSlash, p); ok && at > 0 && finished(strings.TrimSpace(p[:at])) {
			return Text(p[:at]), Text(c), true
		}
	}
	if !hasCreditLabel(tail) {
		// no label: skip the label pattern
	} else if at, c, ok := matchEnd(creditLabel, p); ok && at > 0 && !strings.Contains(c, ". ") && finished(strings.TrimSpace(p[:at])) {
		return Text(p[:at]), Text(strings.TrimSuffix(c, ".")), true
	}
	if strings.HasSuffix(p, ")") {
		if at, inner, ok := matchEnd(creditParen, p); ok && at > 0 {
			inner = strings.TrimSpace(inner)
			if photoWord.MatchString(inner) || (repeated && allCredit.MatchString(inner)) {
				text := strings.TrimSpace(p[:at])
				// "(AP Photo/Name) (Photo: Name, AP)": one credit is enough.
				for strings.HasSuffix(text, ")") {
					at2, inner2, ok := matchEnd(creditParen, text)
					if !ok || at2 == 0 || !photoWord.MatchString(inner2) {
						break
					}
					text = strings.TrimSpace(text[:at2])
				}
				return Text(text), Text(creditPrefix.ReplaceAllString(inner, "")), true
			}
		}
	}
	return p, "", false
}

var (
	captionLabelled = regexp.MustCompile(`^(?:Image (?:copyright|source) (.+?) )?(?:Image|Media) caption (.+)$`)
	creditOnlyLine  = regexp.MustCompile(`^(?:Image (?:copyright|source) \S.{0,80}|(?:Photo|Photograph|Picture|Image|Credit|Photo credit|Image credit)s?\s*(?::|\bby\b)\s*[^.!?]{1,60}\.?|(?:Enlarge this image )?toggle caption\b.{0,200})$`)
	mediaPlayback   = "Media playback is unsupported on your device "
)

// labelledCaption reads a caption that the page marked as one ("Image
// copyright AFP Image caption Protesters in …", "Media caption …").
func labelledCaption(line string) (detente.Caption, bool) {
	// captionLabelled is anchored at "Image " or "Media " (and
	// mediaPlayback starts with "Media "): other lines need not be
	// searched for the label.
	if !strings.HasPrefix(line, "Image ") && !strings.HasPrefix(line, "Media ") || !containsAfterSpace(line, "caption ") {
		return detente.Caption{}, false
	}
	m := captionLabelled.FindStringSubmatch(strings.TrimPrefix(line, mediaPlayback))
	if m == nil {
		return detente.Caption{}, false
	}
	return detente.Caption{Text: Text(m[2]), Credit: Text(m[1])}, true
}

// isCreditOnly reports a line that is just a picture credit with no caption
// ("Image copyright Getty Images", "Photo: Name", "toggle caption Name").
func isCreditOnly(line string) bool {
	if len(line) >= 300 || !hasCreditOnlyStart(line) {
		return false
	}
	return creditOnlyLine.MatchString(line)
}

// hasCreditOnlyStart reports whether line starts with a word every line
// creditOnlyLine matches starts with, one for each of its alternatives:
// "Image" (both image forms), "Photo" (photograph, photo credit),
// "Picture", "Credit", "Enlarge this image" and "toggle caption". Most
// lines starting with I, P, C, E or t start with none of them and are
// spared the regular expression.
func hasCreditOnlyStart(line string) bool {
	if line == "" {
		return false
	}
	switch line[0] {
	case 'I':
		return strings.HasPrefix(line, "Image")
	case 'P':
		return strings.HasPrefix(line, "Photo") || strings.HasPrefix(line, "Picture")
	case 'C':
		return strings.HasPrefix(line, "Credit")
	case 'E':
		return strings.HasPrefix(line, "Enlarge this image ")
	case 't':
		return strings.HasPrefix(line, "toggle caption")
	}
	return false
}

const sectionWords = `related|related articles?|related stories|related coverage|related content|related news|related links|related reading|read more|more on this|also read|read also|see also|more|more stories|more from \S+(?: \S+){0,2}|recommended|recommended for you|you may also like|you might also like|most read|most popular|top stories|more coverage|further reading|trending`

var (
	sectionHeader = regexp.MustCompile(`^(?i:` + sectionWords + `)\s*(?::|\.\.\.|…)?$`)
	linkLine      = regexp.MustCompile(`^(?i:read more|related|also read|read also|see also|more|more on this)\s*(?::|\.\.\.|…)\s*\S`)
)

// isSectionHeader reports the heading of a list of links ("Related:",
// "READ MORE", "More On This...").
func isSectionHeader(line string) bool {
	return len(line) <= 60 && sectionHeader.MatchString(line)
}

// isLinkLine reports a link to another article ("Read more: Headline",
// "More: Headline"): junk wherever it stands, when what follows the label is
// headline-sized.
func isLinkLine(line string) bool {
	// Every phrase of linkLine starts with re, al, se or mo, in any case;
	// their second letters have no other case forms.
	if len(line) < 2 || !strings.ContainsRune("RrAaSsMm", rune(line[0])) || !strings.ContainsRune("EeLlOo", rune(line[1])) {
		return false
	}
	return runesAtMost(line, 220) && linkLine.MatchString(line)
}

var tailJunk = regexp.MustCompile(`^(?:` +
	`(?:©|\(c\)|copyright\b).{0,250}` +
	`|.{0,200}\ball rights reserved\b.{0,200}` +
	`|\((?:reporting|writing|editing|additional reporting|compiled|edited) by [^()]{1,300}\)` +
	`|reporting by [^.]{1,150}; (?:editing|writing) by .{1,150}` +
	`|(?:follow|join|like) (?:us|@\w+|\w+(?: \w+)?) on (?:twitter|facebook|instagram|telegram|youtube|linkedin)\b.{0,100}` +
	`|follow @\w+(?: on \w+)?\.?` +
	`|.{0,60}\bsign up (?:for|to) .{0,60}newsletters?\b.{0,80}` +
	`|(?:subscribe to|get) our .{0,40}newsletters?\b.{0,80}` +
	`|newsletter sign-?up` +
	`|click (?:here )?for (?:reprint permission|more from) .{0,80}` +
	`|read or share this story: \S+` +
	`|our standards: the thomson reuters trust principles\.?` +
	`)$`)

// isTailJunk reports the lines that end a page rather than an article:
// copyright, agency credits, follow-us and newsletter prompts.
func isTailJunk(line string) bool {
	if len(line) > 400 || !mayBeTailJunkRaw(line) {
		return false // most lines go no further
	}
	lower := strings.ToLower(line)
	return mayBeTailJunk(lower) && tailJunk.MatchString(lower)
}

// mayBeTailJunkRaw is false only when mayBeTailJunk(strings.ToLower(line))
// is: it lowers just the start of line, and looks for the phrases without
// lowering. Only two runes outside ASCII lower into it, U+0130 to "i" and
// the Kelvin sign to "k" (TestOnlyTwoRunesLowerToASCII), and neither
// "reserved" (of "all rights reserved") nor "gn up " (of "sign up ") has
// an i or a k: where the lowered line has one of them, line has it in
// ASCII, in some mix of cases.
func mayBeTailJunkRaw(line string) bool {
	var buf [tailJunkStartMax + utf8.UTFMax]byte
	low := buf[:0]
	for _, r := range line {
		if len(low) >= tailJunkStartMax {
			break
		}
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			low = append(low, byte(r))
			continue
		}
		low = utf8.AppendRune(low, unicode.ToLower(r))
	}
	for _, p := range tailJunkStarts {
		if len(low) >= len(p) && string(low[:len(p)]) == p {
			return true
		}
	}
	return containsFoldASCII(line, "reserved", 5) || containsFoldASCII(line, "gn up ", 4)
}

// containsFoldASCII reports whether s has needle (lower-case ASCII letters
// and spaces) in some mix of cases; it may also say so of a few other
// bytes in the place of a space, never the other way. It jumps between
// the places of needle[k], a rare letter, in either case.
func containsFoldASCII(s, needle string, k int) bool {
	for _, key := range [2]byte{needle[k], needle[k] - ('a' - 'A')} {
		for i := k; i < len(s); {
			j := strings.IndexByte(s[i:], key)
			if j < 0 {
				break
			}
			if at := i + j - k; at+len(needle) <= len(s) && equalFoldASCII(s[at:at+len(needle)], needle) {
				return true
			}
			i += j + 1
		}
	}
	return false
}

// equalFoldASCII is containsFoldASCII's test at one place.
func equalFoldASCII(s, needle string) bool {
	for i := 0; i < len(needle); i++ {
		if s[i]|0x20 != needle[i] {
			return false
		}
	}
	return true
}

// lowerIn is m[strings.ToLower(w)], without making a string when w is
// short ASCII.
func lowerIn(m map[string]bool, w string) bool {
	var buf [32]byte
	if len(w) <= len(buf) {
		if low, ok := lowercase.ASCII(buf[:0], w); ok {
			return m[string(low)]
		}
	}
	return m[strings.ToLower(w)]
}

// tailJunkStarts are the literal beginnings of tailJunk's anchored
// alternatives. Most lines of an article start with none of them and
// contain neither of the phrases the two unanchored alternatives need, so
// this test spares them the regular expression (a third of cleaning an
// article took).
var tailJunkStarts = []string{"©", "(", "copyright", "reporting by ", "follow ", "join ", "like ",
	"subscribe to our ", "get our ", "newsletter", "click ", "read or share this story: ", "our standards"}

// tailJunkStartMax is the length of the longest of tailJunkStarts.
const tailJunkStartMax = len("read or share this story: ")

// mayBeTailJunk is false only for a lowered line tailJunk cannot match.
func mayBeTailJunk(lower string) bool {
	for _, p := range tailJunkStarts {
		if strings.HasPrefix(lower, p) {
			return true
		}
	}
	return strings.Contains(lower, "all rights reserved") || strings.Contains(lower, "sign up ")
}

// isCaptionLike reports whether a repeated line can be a caption: a few
// words, not a heading ending in a colon ("ANALYSIS/OPINION:").
func isCaptionLike(line string) bool {
	return len(strings.Fields(line)) >= 3 && !strings.HasSuffix(line, ":")
}

// isHeadlineLike reports a line that could be a link in a list: short and not
// a finished sentence.
func isHeadlineLike(line string) bool {
	end := strings.TrimRight(line, `"”’'`)
	return runesAtMost(line, 160) && !strings.HasSuffix(end, ".") && !strings.HasSuffix(end, "!")
}
