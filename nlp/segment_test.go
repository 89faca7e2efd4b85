package nlp

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/detente/detente"
)

// sentenceTexts returns the text of each sentence of body.
func sentenceTexts(body string) []string {
	t := Segment(body)
	var out []string
	for _, s := range t.Sentences {
		out = append(out, t.Span(s))
	}
	return out
}

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"plain sentences split at periods", "The talks ended. Both sides left.",
			[]string{"The talks ended.", "Both sides left."}},
		{"a title abbreviation does not end a sentence", "Gen. Smith met Dr. Jones and Mr. Lee. They talked.",
			[]string{"Gen. Smith met Dr. Jones and Mr. Lee.", "They talked."}},
		{"U.S. before a name goes on", "The U.S. State Department said so. It was late.",
			[]string{"The U.S. State Department said so.", "It was late."}},
		{"U.S. before a sentence starter ends the sentence", "Troops returned to the U.S. The war was over.",
			[]string{"Troops returned to the U.S.", "The war was over."}},
		{"a month abbreviation before a day goes on", "The vote is on Nov. 10 in Seoul. Polls open early.",
			[]string{"The vote is on Nov. 10 in Seoul.", "Polls open early."}},
		{"initials stay inside the name", "John F. Kennedy and J.R.R. Tolkien were born then. Both died.",
			[]string{"John F. Kennedy and J.R.R. Tolkien were born then.", "Both died."}},
		{"decimals are not periods", "Growth was 3.5 percent. It fell.", []string{"Growth was 3.5 percent.", "It fell."}},
		{"Lt. Col. and Sen. and Rep. are titles", "Lt. Col. Ann Wu and Sen. Bo Li and Rep. Al Ray came. They spoke.",
			[]string{"Lt. Col. Ann Wu and Sen. Bo Li and Rep. Al Ray came.", "They spoke."}},
		{"No. before a number is an abbreviation", "He lives at No. 10 Downing Street. He left.",
			[]string{"He lives at No. 10 Downing Street.", "He left."}},
		{"times with a.m. go on before a number", "It began at 9 a.m. on Monday. It ended.",
			[]string{"It began at 9 a.m. on Monday.", "It ended."}},
		{"company suffixes go on", "Apple Inc. and Acme Corp. said nothing. Shares fell.",
			[]string{"Apple Inc. and Acme Corp. said nothing.", "Shares fell."}},
		{"a closing quote after the period belongs to the sentence", `"We will go." He left.`,
			[]string{`"We will go."`, "He left."}},
		{"a curly closing quote after the period belongs to the sentence", "“We will go.” He left.",
			[]string{"“We will go.”", "He left."}},
		{"a comma inside a quote does not end the sentence", `"We will go," he said. Then he left.`,
			[]string{`"We will go," he said.`, "Then he left."}},
		{"a question mark before a lowercase attribution goes on", `"Why?" she asked. Nobody knew.`,
			[]string{`"Why?" she asked.`, "Nobody knew."}},
		{"a question mark before a named attribution goes on", `"Why now?" Pelosi said. Nobody knew.`,
			[]string{`"Why now?" Pelosi said.`, "Nobody knew."}},
		{"an ellipsis before a capital ends the sentence", "He waited... Nothing came.",
			[]string{"He waited...", "Nothing came."}},
		{"an ellipsis before lowercase goes on", "He waited ... and waited.", []string{"He waited ... and waited."}},
		{"a line break always ends a sentence", "Headline without a period\nThe body starts here.",
			[]string{"Headline without a period", "The body starts here."}},
		{"blank lines between paragraphs make no empty sentences", "One.\n\n\nTwo.", []string{"One.", "Two."}},
		{"a closing parenthesis after the period belongs to the sentence", "He agreed. (The deal was signed.) Then he left.",
			[]string{"He agreed.", "(The deal was signed.)", "Then he left."}},
		{"an empty body has no sentences", "", nil},
		{"whitespace alone has no sentences", " \n\t ", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := sentenceTexts(tc.body); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func tokenTexts(body string) []string {
	var out []string
	for _, k := range Tokens(body, detente.Span{Start: 0, End: len([]rune(body))}) {
		out = append(out, k.Text)
	}
	return out
}

func TestTokens(t *testing.T) {
	tests := []struct {
		name string
		text string
		want string // tokens joined by |
	}{
		{"numbers keep their separators", "1,550 troops, 3.5 percent, at 10:30 on 10/11/2017", "1,550|troops|,|3.5|percent|,|at|10:30|on|10/11/2017"},
		{"a number range is one token", "November 10-11 and 10–12", "November|10-11|and|10–12"},
		{"hyphenated words are one token", "the US-led talks with Kang Kyung-wha", "the|US-led|talks|with|Kang|Kyung-wha"},
		{"a possessive is split off", "China's and China’s stance", "China|'s|and|China|’s|stance"},
		{"negation is split the Penn way", "They don't and won’t", "They|do|n't|and|wo|n’t"},
		{"other apostrophes stay in the word", "O'Brien said", "O'Brien|said"},
		{"punctuation and quotes are separate", `He said: "No." (Really!) “Yes”`, `He|said|:|"|No|.|"|(|Really|!|)|“|Yes|”`},
		{"abbreviations keep their period", "U.S. and U.N. at 9 a.m. with Mr. Li", "U.S.|and|U.N.|at|9|a.m.|with|Mr.|Li"},
		{"a plain word at the end loses its period", "He left.", "He|left|."},
		{"an ellipsis is one token", "Wait... what", "Wait|...|what"},
		{"a zero-width joiner inside a word stays", "a\u200db c", "a\u200db|c"},
		{"RTL marks are not tokens", "\u200fسلام\u200f world", "سلام|world"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(tokenTexts(tc.text), "|"); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestTokenOffsetsAreCodePoints(t *testing.T) {
	body := "Émile’s café — “Ça va.”\nNext line."
	runes := []rune(body)
	tx := Segment(body)
	for _, toks := range tx.Tokens {
		for _, k := range toks {
			if got := string(runes[k.Start:k.End]); got != k.Text {
				t.Errorf("token %q at %d:%d reads %q from the body", k.Text, k.Start, k.End, got)
			}
		}
	}
	if len(tx.Sentences) != 2 {
		t.Fatalf("want 2 sentences, got %d", len(tx.Sentences))
	}
	if got := string(runes[tx.Sentences[1].Start:tx.Sentences[1].End]); got != "Next line." {
		t.Errorf("second sentence is %q", got)
	}
}

func TestTokensOfASpanHaveBodyOffsets(t *testing.T) {
	body := "Über alles. Kang Kyung-wha spoke."
	tx := Segment(body)
	got := Tokens(body, tx.Sentences[1])
	if len(got) != 4 || got[0].Text != "Kang" || got[0].Start != 12 || got[1].Text != "Kyung-wha" {
		t.Errorf("got %+v", got)
	}
	if !reflect.DeepEqual(got, tx.Tokens[1]) {
		t.Errorf("Tokens of the span %+v differ from Segment's %+v", got, tx.Tokens[1])
	}
}

func TestTokenTextIsTheSpanOfTheTokens(t *testing.T) {
	body := "Chinese President Xi Jinping met Moon Jae-in in Seoul on Nov. 10, “the U.S.-led talks” said.\n" +
		"Ärzte ohne Grenzen (MSF) didn't say; O'Brien’s team — 3–0 — won.  Next…"
	tx := Segment(body)
	n := 0
	for sent, toks := range tx.Tokens {
		for a := 0; a < len(toks); a++ {
			for b := a; b <= len(toks); b++ {
				want := ""
				if b > a {
					want = tx.Span(detente.Span{Start: toks[a].Start, End: toks[b-1].End})
				}
				if got := tx.TokenText(sent, a, b); got != want {
					t.Fatalf("TokenText(%d, %d, %d) = %q, want %q", sent, a, b, got, want)
				}
				n++
			}
		}
	}
	if len(tx.Tokens) < 2 || n < 100 {
		t.Fatalf("only %d sentences, %d spans compared", len(tx.Tokens), n)
	}
}

func TestTokenByteIsWhereTheTokenStarts(t *testing.T) {
	for _, body := range []string{
		"The UN Security Council met in New York.",
		"Président Macron a rencontré M. Scholz à Berlin. “Non,” dit-il.\n\nİstanbul — ÉTATS-UNIS.",
		"Bad \xff bytes before words. Erdoğan’s aides didn’t.",
	} {
		text := Segment(body)
		for si, toks := range text.Tokens {
			for k, tok := range toks {
				bs := text.TokenByte(si, k)
				if bs < 0 || bs+len(tok.Text) > len(body) || body[bs:bs+len(tok.Text)] != tok.Text || utf8.RuneCountInString(body[:bs]) != tok.Start {
					t.Errorf("%q: TokenByte(%d, %d) = %d, not where %q (code point %d) is", body, si, k, bs, tok.Text, tok.Start)
				}
			}
		}
	}
}

// A token's byte offsets come from where its text lies in Body; the tokens
// are exported, and one whose text a caller replaced (by a copy, by "")
// is found by its code point offsets instead, at the same bytes.
func TestTokenByteOfAReplacedToken(t *testing.T) {
	body := "Erdoğan’s aides met “the U.S.-led” team.\n\nİstanbul — next."
	tx := Segment(body)
	type at struct {
		b    int
		text string
	}
	var want []at
	for si, toks := range tx.Tokens {
		for k := range toks {
			want = append(want, at{tx.TokenByte(si, k), tx.TokenText(si, k, k+1)})
		}
	}
	for _, replace := range []func(string) string{strings.Clone, func(string) string { return "" }} {
		n := 0
		for si, toks := range tx.Tokens {
			for k := range toks {
				toks[k].Text = replace(toks[k].Text)
				if got := (at{tx.TokenByte(si, k), tx.TokenText(si, k, k+1)}); got != want[n] {
					t.Errorf("token %d of sentence %d replaced: TokenByte, TokenText = %d, %q; want %d, %q", k, si, got.b, got.text, want[n].b, want[n].text)
				}
				n++
			}
		}
		if n < 10 {
			t.Fatalf("only %d tokens", n)
		}
	}
}
