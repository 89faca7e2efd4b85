package clean

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/detente/detente"
	"github.com/detente/detente/internal/lowercase"
)

func TestIsWidget(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"Share", true},
		{"Copied", true},
		{"Copy link", true},
		{"Print", true},
		{"Email", true},
		{"Tweet", true},
		{"Share this article", true},
		{"Facebook", true},
		{"WhatsApp", true},
		{"LinkedIn", true},
		{"Comments", true},
		{"12 comments", true},
		{"1,204 Shares", true},
		{"Advertisement", true},
		{"ADVERTISEMENT", true},
		{"Story Continued Below", true},
		{"SHARE THIS ARTICLE Share Tweet Post Email", true},
		{"Facebook Twitter Pinterest", true},
		{"Slideshow (12 Images)", true},
		{"next Image 1 of 2", true},
		{"This article is more than 2 years old", true},
		{"The president shared the article on Twitter.", false},
		{"Share prices fell sharply on Tuesday.", false},
		{"Twitter said it had suspended the account", false},
		{"The story", false},
		{"12 people were killed", false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			if got := isWidget(tt.line); got != tt.want {
				t.Errorf("isWidget(%q) = %v, want %v", tt.line, got, tt.want)
			}
		})
	}
}

func TestTagList(t *testing.T) {
	tests := []struct {
		name, line string
		want       []string
		ok         bool
	}{
		{"one tag", `["china"]`, []string{"china"}, true},
		{"two tags with spaces", `["china", " thaad "]`, []string{"china", "thaad"}, true},
		{"an empty list is a tag line with no tags", `[]`, []string{}, true},
		{"numbers are not tags", `[1, 2]`, nil, false},
		{"a bracketed sentence is not a tag list", `[The statement was read aloud.]`, nil, false},
		{"long strings are text, not tags", `["` + string(make([]byte, 0)) + `This is a whole sentence that is far too long to be a tag on an article"]`, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tagList(tt.line)
			if ok != tt.ok || (ok && !reflect.DeepEqual(got, tt.want)) {
				t.Errorf("tagList(%q) = %q, %v; want %q, %v", tt.line, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestByline(t *testing.T) {
	tests := []struct {
		line, author string
		ok           bool
	}{
		{"By John Smith", "John Smith", true},
		{"BY JOHN SMITH", "JOHN SMITH", true},
		{"By John Smith and Jane Doe, Reuters", "John Smith and Jane Doe", true},
		{"By Jean H. Lee, Associated Press", "Jean H. Lee", true},
		{"By Jake Tapper, CNN Chief Washington Correspondent", "Jake Tapper", true},
		{"By Hans M. Kristensen and Matt Korda", "Hans M. Kristensen and Matt Korda", true},
		{"By John Smith, Jane Doe", "John Smith, Jane Doe", true},
		{"John Smith | CNN", "John Smith", true},
		{"By Tuesday, the troops had withdrawn.", "", false},
		{"By Monday", "", false},
		{"By contrast, Seoul said nothing", "", false},
		{"WASHINGTON (Reuters) - China said on Tuesday", "", false},
		{"John Smith", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			author, ok := byline(tt.line)
			if ok != tt.ok || author != tt.author {
				t.Errorf("byline(%q) = %q, %v; want %q, %v", tt.line, author, ok, tt.author, tt.ok)
			}
		})
	}
}

func TestSplitCredit(t *testing.T) {
	tests := []struct {
		name, p      string
		repeated     bool
		text, credit string
		ok           bool
	}{
		{"a slash credit after a sentence", "Troops arrive in Seongju, April 26, 2017. /Reuters Photo", false,
			"Troops arrive in Seongju, April 26, 2017.", "Reuters Photo", true},
		{"a one-word slash credit", "A view of Beijing. /CFP", false, "A view of Beijing.", "CFP", true},
		{"a spaced slash credit", "A view of Beijing. / Xinhua", false, "A view of Beijing.", "Xinhua", true},
		{"an AP photo credit in parentheses", "Kim waves to the crowd. (AP Photo/Lee Jin-man)", false,
			"Kim waves to the crowd.", "AP Photo/Lee Jin-man", true},
		{"a labelled credit in parentheses loses its label", "Kerry in Vienna. (Photo: Susan Walsh, AP)", false,
			"Kerry in Vienna.", "Susan Walsh, AP", true},
		{"two parenthesized credits keep the last", "Kabul, 2018. (AP Photo/ Rahmat Gul) (Photo: Rahmat Gul, AP)", false,
			"Kabul, 2018.", "Rahmat Gul, AP", true},
		{"a Photo: label after a sentence", "Workers pass a Beijing site. Photo: Reuters", false,
			"Workers pass a Beijing site.", "Reuters", true},
		{"a Credit: label", "Smoke over Aleppo. Credit: Jane Doe/AFP", false, "Smoke over Aleppo.", "Jane Doe/AFP", true},
		{"a share bar glued to the front is dropped", "Facebook Twitter Pinterest May in Brussels. Photograph: Hannah Mckay/EPA", false,
			"May in Brussels.", "Hannah Mckay/EPA", true},
		{"an agency in parentheses counts only for a repeated caption", "Smoke over Aleppo (Reuters)", true,
			"Smoke over Aleppo", "Reuters", true},
		{"an agency in parentheses does not make a paragraph a caption", "The ministry confirmed the deal (Reuters)", false,
			"", "", false},
		{"a parenthesis that is not a credit stays", "The talks were held in Seoul (South Korea).", false, "", "", false},
		{"a slash inside a sentence is not a credit", "He said the 24/7 hotline and/or email would do.", false, "", "", false},
		{"a slash credit must follow a finished sentence", "Jeon Heon-Kyun - Pool /Getty Images", false, "", "", false},
		{"a sentence mentioning a photo is not a caption", "The photo showed the launch. It was taken by Reuters.", false, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, credit, ok := splitCredit(tt.p, tt.repeated)
			if ok != tt.ok || (ok && (text != tt.text || credit != tt.credit)) {
				t.Errorf("splitCredit(%q) = %q, %q, %v; want %q, %q, %v", tt.p, text, credit, ok, tt.text, tt.credit, tt.ok)
			}
		})
	}
}

func TestLabelledCaption(t *testing.T) {
	tests := []struct {
		line string
		want detente.Caption
		ok   bool
	}{
		{"Image copyright AFP Image caption Protesters gathered in Seoul", detente.Caption{Text: "Protesters gathered in Seoul", Credit: "AFP"}, true},
		{"Media playback is unsupported on your device Media caption The moment Trump lands", detente.Caption{Text: "The moment Trump lands"}, true},
		{"Image caption Mr Moon in Pyongyang", detente.Caption{Text: "Mr Moon in Pyongyang"}, true},
		{"The image caption said nothing about the date.", detente.Caption{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			got, ok := labelledCaption(tt.line)
			if ok != tt.ok || got != tt.want {
				t.Errorf("labelledCaption(%q) = %+v, %v; want %+v, %v", tt.line, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// FuzzLabelledCaptionPrefilter holds labelledCaption, which looks for the
// label only in lines starting with "Image " or "Media ", to the expression
// alone.
func FuzzLabelledCaptionPrefilter(f *testing.F) {
	for _, s := range []string{"Image copyright AFP Image caption Protesters in Seoul", "Media caption The moment", "Image caption x",
		mediaPlayback + "Media caption y", mediaPlayback + "Image caption z", "Image source Reuters Media caption w", "The Image caption x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		m := captionLabelled.FindStringSubmatch(strings.TrimPrefix(line, mediaPlayback))
		want := containsAfterSpace(line, "caption ") && m != nil
		if _, got := labelledCaption(line); got != want {
			t.Errorf("labelledCaption(%q) = %v, the expression says %v", line, got, want)
		}
	})
}

func TestIsCreditOnly(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"Image copyright Getty Images", true},
		{"Photo: Nicholas Moreau.", true},
		{"Enlarge this image toggle caption Saul Loeb/AFP/Getty Images Saul Loeb/AFP/Getty Images", true},
		{"Photographs of the victims were displayed at the trial.", false},
		{"Credit Suisse said it would cut jobs.", false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			if got := isCreditOnly(tt.line); got != tt.want {
				t.Errorf("isCreditOnly(%q) = %v, want %v", tt.line, got, tt.want)
			}
		})
	}
}

// FuzzCreditOnlyPrefilter holds isCreditOnly, which tries the regular
// expression only on lines starting with one of its words, to the regular
// expression alone.
func FuzzCreditOnlyPrefilter(f *testing.F) {
	for _, s := range []string{"Image copyright Getty Images", "Image source AFP", "Images: AP", "Photo: Nicholas Moreau.",
		"Photographs by Name", "Photo credit: X", "Pictures by Y", "Credits: Z", "Image credits by W", "Photos: A",
		"toggle caption Saul Loeb/AFP", "Enlarge this image toggle caption X", "In Seoul", "Credit Suisse said", "", "P", "t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if len(line) >= 300 {
			return
		}
		if got, want := isCreditOnly(line), creditOnlyLine.MatchString(line); got != want {
			t.Errorf("isCreditOnly(%q) = %v, the expression says %v", line, got, want)
		}
	})
}

// FuzzWidgetDigitPrefilter checks that the counter and gallery expressions
// match no line without an ASCII digit, which isWidget relies on to skip
// them.
func FuzzWidgetDigitPrefilter(f *testing.F) {
	for _, s := range []string{"12 comments", "1.2k shares", "comments (3)", "slideshow (5 images)", "image 2 of 9",
		"3 of 10 i view slideshow", "this article is more than 2 years old", "comments", "٣ comments", "photo ٢ of ٥", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if !hasDigit(line) && (widgetCount.MatchString(line) || widgetGallery.MatchString(line)) {
			t.Errorf("%q has no ASCII digit but matches", line)
		}
	})
}

func TestLinksAndSectionHeaders(t *testing.T) {
	tests := []struct {
		line          string
		link, section bool
	}{
		{"Read more: Trump and Moon meet in Seoul", true, false},
		{"READ MORE: China protests THAAD", true, false},
		{"More: What we know about the attack", true, false},
		{"More On This... Obama names Susan Rice", true, false},
		{"RELATED: Gaza conflict offers Egypt's leader a moment", true, false},
		{"Related:", false, true},
		{"READ MORE", false, true},
		{"Related Articles", false, true},
		{"More On This...", false, true},
		{"Also read", false, true},
		{"More than 500,000 people live in the settlements.", false, false},
		{"Read more about the summit here:", false, false},
		{"Related talks will follow next week.", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			if got := isLinkLine(tt.line); got != tt.link {
				t.Errorf("isLinkLine(%q) = %v, want %v", tt.line, got, tt.link)
			}
			if got := isSectionHeader(tt.line); got != tt.section {
				t.Errorf("isSectionHeader(%q) = %v, want %v", tt.line, got, tt.section)
			}
		})
	}
}

func TestIsTailJunk(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"© 2017 CGTN", true},
		{"Copyright © 2019 The Washington Times, LLC. Click here for reprint permission.", true},
		{"Copyright 2018 The Associated Press. All rights reserved.", true},
		{"(Reporting by Caroline Copley; editing by Mark Heinrich)", true},
		{"Reporting by John Smith; Editing by Jane Doe", true},
		{"Follow us on Twitter @CNNOpinion.", true},
		{"Follow @politico", true},
		{"Sign up for our newsletter", true},
		{"Sign up for Daily Newsletters Manage Newsletters", true},
		{"Read or Share this story: https://usat.ly/1bZ3k2J", true},
		{"Reporting by CNN and the New York Times said the source was outside the inner circle.", false},
		{"The copyright dispute went to court in 2016.", false},
		{"The Associated Press contributed to this report.", false},
		{"Supporters follow him on Twitter in their millions.", false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			if got := isTailJunk(tt.line); got != tt.want {
				t.Errorf("isTailJunk(%q) = %v, want %v", tt.line, got, tt.want)
			}
		})
	}
}

// The prefilter must never turn away a line the expression matches.
func FuzzTailJunkPrefilter(f *testing.F) {
	for _, s := range []string{"© 2017 CGTN", "(Reporting by A; editing by B)", "Sign up for our newsletter",
		"We all rights reserved", "Follow @x", "LIKE us on Facebook", "get our daily newsletter", "Plain news text."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		lower := strings.ToLower(line)
		if tailJunk.MatchString(lower) && !mayBeTailJunk(lower) {
			t.Errorf("prefilter rejects %q, which tailJunk matches", lower)
		}
	})
}

// On real articles too: every line the expression matches passes the
// prefilter, and the prefilter turns most lines away.
func TestTailJunkPrefilterOnTheCorpus(t *testing.T) {
	arts := readCorpus(t, "corpora/allsides-intl-5720.jsonl")
	lines, passed, matched := 0, 0, 0
	for _, a := range arts {
		for _, line := range strings.Split(a.Body, "\n") {
			lower := strings.ToLower(strings.TrimSpace(line))
			lines++
			pass := mayBeTailJunk(lower)
			if pass {
				passed++
			}
			if tailJunk.MatchString(lower) {
				matched++
				if !pass {
					t.Errorf("prefilter rejects %q, which tailJunk matches", lower)
				}
			}
		}
	}
	if matched == 0 || passed > lines/4 {
		t.Errorf("%d of %d lines pass the prefilter and %d match; want some matches and most lines turned away", passed, lines, matched)
	}
	t.Logf("%d lines, %d pass the prefilter, %d match", lines, passed, matched)
}

// The stack-lowered checks agree with lowering by strings.ToLower: the
// prefilter on the raw line keeps what mayBeTailJunk keeps, lowerIn with the map look-up,
// runesAtMost with counting.
func FuzzLoweredChecksAgree(f *testing.F) {
	for _, s := range []string{"© 2017 CGTN", "(Reporting by A)", "Sign Up for", "ALL RIGHTS RESERVED.", "Facebook",
		"Twitter", "Çà et là", "İstanbul", "plain words", "FOLLOW us", "",
		"ALL RİGHTS RESERVED", "SİGN UP for our newsletter", "Cl\u0130ck here for more from X", "\u212aeep up", "LİKE us on Facebook",
		"All Rights ReSeRvEd", "Please siGN Up to our newsletters", "\xffCopyright", "İİİİİİİİİİİİİİİİİİİİİİİİİİİİfollow "} {
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		lower := strings.ToLower(s)
		var buf [8]byte
		if low, ok := lowercase.ASCII(buf[:0], s); ok {
			if string(low) != lower {
				t.Fatalf("lowercase.ASCII(%q) = %q, want %q", s, low, lower)
			}
		} else if utf8.ValidString(s) && isASCII(s) {
			t.Fatalf("lowercase.ASCII(%q) refused an ASCII string", s)
		}
		if mayBeTailJunk(lower) && !mayBeTailJunkRaw(s) {
			t.Errorf("mayBeTailJunkRaw(%q) turned away a line mayBeTailJunk keeps", s)
		}
		if lowerIn(widgetVocabulary, s) != widgetVocabulary[lower] {
			t.Errorf("lowerIn(%q) != widgetVocabulary[%q]", s, lower)
		}
		if runesAtMost(s, n) != (runes(s) <= n) {
			t.Errorf("runesAtMost(%q, %d) != (runes <= %d)", s, n, n)
		}
	})
}

// TestOnlyTwoRunesLowerToASCII is what mayBeTailJunkRaw relies on: outside
// ASCII only U+0130 and the Kelvin sign lower into ASCII, to "i" and "k".
func TestOnlyTwoRunesLowerToASCII(t *testing.T) {
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		if l := unicode.ToLower(r); l < utf8.RuneSelf && !(r == 0x130 && l == 'i' || r == 0x212a && l == 'k') {
			t.Errorf("%U lowers to %q", r, l)
		}
	}
}

func TestMayBeTailJunkRawFindsPhrasesInAnyCase(t *testing.T) {
	for _, s := range []string{"© 2017 CGTN", "ALL RİGHTS RESERVED.", "Text. All Rights ReSeRvEd", "SİGN UP for our newsletter",
		"CL\u0130CK HERE for more from CGTN", "(Reporting by A)", "Our Standards"} {
		if !mayBeTailJunkRaw(s) {
			t.Errorf("mayBeTailJunkRaw(%q) = false", s)
		}
	}
	for _, s := range []string{"The talks resumed.", "Rights were not kept for all.", "Sign the petition", "\u212aeep up"} {
		if mayBeTailJunkRaw(s) {
			t.Errorf("mayBeTailJunkRaw(%q) = true", s)
		}
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func FuzzContainsAfterSpace(f *testing.F) {
	for _, s := range []string{"Media caption Protesters", "caption x", " caption", "AP Photo /Reuters", "a/b /c", "//", " /"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, sub := range []string{"caption ", "/", "c"} {
			if got, want := containsAfterSpace(s, sub), strings.Contains(s, " "+sub); got != want {
				t.Errorf("containsAfterSpace(%q, %q) = %v, want %v", s, sub, got, want)
			}
		}
	})
}

// The link prefilter turns away no line whose first two bytes linkLine
// could start a match with: every case form of re, al, se and mo.
func TestLinkLinePrefilter(t *testing.T) {
	for _, l := range []string{"Read more: Headline here", "RELATED: Something", "Also read: x", "See also… y", "More: z",
		"MORE ON THIS... w", "rEaD aLsO: v", "Said more: no"} {
		want := linkLine.MatchString(l) && runesAtMost(l, 220)
		if got := isLinkLine(l); got != want {
			t.Errorf("isLinkLine(%q) = %v, want %v", l, got, want)
		}
	}
	for _, p := range []string{"read more", "related", "also read", "read also", "see also", "more", "more on this"} {
		for _, r := range []rune(p)[1:2] {
			for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
				if !strings.ContainsRune("EeLlOo", f) {
					t.Errorf("%q: the second letter's case form %q is not let through", p, f)
				}
			}
		}
	}
}
