package clean

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/detente/detente"
)

// para is a normal article paragraph for fixtures.
func para(i int) string {
	return "Paragraph " + string(rune('A'+i)) + " reports that the two governments met in Seoul and agreed to keep talking."
}

func body(lines ...string) string { return strings.Join(lines, "\n") }

func TestArticle(t *testing.T) {
	tests := []struct {
		name string
		in   detente.Article
		want detente.Article
	}{
		{
			name: "metadata is normalized and nothing the reader found is dropped",
			in: detente.Article{ID: " x1 ", URL: " https://example.com/a ", Source: "  CGTN ", Title: "Beijing\u00a0and  Seoul ",
				Author: " Jane  Doe", Tags: []string{"China", " china", "THAAD", ""}, Published: "Oct 31, 2017",
				Language: "en-US", Body: para(0), Origin: "seed.txt#1", TextFrom: "summary"},
			want: detente.Article{ID: "x1", URL: "https://example.com/a", Source: "CGTN", Title: "Beijing and Seoul",
				Author: "Jane Doe", Tags: []string{"China", "THAAD"}, Published: "2017-10-31", Language: "en",
				Body: para(0), Origin: "seed.txt#1", TextFrom: "summary"},
		},
		{
			name: "the headline repeated as the first paragraph is dropped, but not later",
			in:   detente.Article{Title: "Talks resume", Language: "en", Body: body("Talks Resume", para(0), "Talks resume", para(1))},
			want: detente.Article{Title: "Talks resume", Language: "en", Body: body(para(0), "Talks resume", para(1))},
		},
		{
			name: "an unreadable published date becomes empty rather than guessed",
			in:   detente.Article{Published: "last Tuesday", Language: "en", Body: para(0)},
			want: detente.Article{Language: "en", Body: para(0)},
		},
		{
			name: "a tag line after the outlet becomes tags merged with the reader's",
			in:   detente.Article{Tags: []string{"China"}, Language: "en", Body: body(`["china", "thaad"]`, para(0))},
			want: detente.Article{Tags: []string{"China", "thaad"}, Language: "en", Body: para(0)},
		},
		{
			name: "a tag-like line in the middle of the body stays",
			in:   detente.Article{Language: "en", Body: body(para(0), `["china"]`, para(1))},
			want: detente.Article{Language: "en", Body: body(para(0), `["china"]`, para(1))},
		},
		{
			name: "a byline becomes the author and leaves the body; a dateline stays",
			in:   detente.Article{Language: "en", Body: body("By John Smith and Jane Doe, Reuters", "WASHINGTON (Reuters) - "+para(0))},
			want: detente.Article{Author: "John Smith and Jane Doe", Language: "en", Body: "WASHINGTON (Reuters) - " + para(0)},
		},
		{
			name: "a byline does not replace the reader's author",
			in:   detente.Article{Author: "J. Smith", Language: "en", Body: body("By John Smith", para(0))},
			want: detente.Article{Author: "J. Smith", Language: "en", Body: para(0)},
		},
		{
			name: "widget lines go wherever they are, sentences about them stay",
			in: detente.Article{Language: "en", Body: body("Share", para(0), "Advertisement", "12 comments",
				"The minister shared the statement on Twitter and Facebook.", "Copy link")},
			want: detente.Article{Language: "en", Body: body(para(0), "The minister shared the statement on Twitter and Facebook.")},
		},
		{
			name: "a caption repeated back to back is kept once, as a caption with its credit",
			in: detente.Article{Language: "en", Body: body(para(0), "Troops arrive in Seongju. /Reuters Photo",
				"Troops arrive in Seongju. /Reuters Photo", para(1))},
			want: detente.Article{Language: "en", Body: body(para(0), para(1)),
				Captions: []detente.Caption{{Text: "Troops arrive in Seongju.", Credit: "Reuters Photo"}}},
		},
		{
			name: "a repeated caption without a credit is still a caption",
			in:   detente.Article{Language: "en", Body: body(para(0), "Smoke rises over Aleppo on October 4.", "Smoke rises over Aleppo on October 4.")},
			want: detente.Article{Language: "en", Body: para(0), Captions: []detente.Caption{{Text: "Smoke rises over Aleppo on October 4."}}},
		},
		{
			name: "a doubled heading is kept once in the body",
			in:   detente.Article{Language: "en", Body: body("ANALYSIS/OPINION:", "ANALYSIS/OPINION:", para(0))},
			want: detente.Article{Language: "en", Body: body("ANALYSIS/OPINION:", para(0))},
		},
		{
			name: "a single paragraph with a photo credit is a caption",
			in:   detente.Article{Language: "en", Body: body(para(0), "Kim waves in Pyongyang. (AP Photo/Lee Jin-man)", para(1))},
			want: detente.Article{Language: "en", Body: body(para(0), para(1)),
				Captions: []detente.Caption{{Text: "Kim waves in Pyongyang.", Credit: "AP Photo/Lee Jin-man"}}},
		},
		{
			name: "a reader's captions are kept and not duplicated",
			in: detente.Article{Language: "en", Captions: []detente.Caption{{Text: "Kim waves.", Credit: "AP"}},
				Body: body(para(0), "Kim waves. (Photo: AP)")},
			want: detente.Article{Language: "en", Body: para(0), Captions: []detente.Caption{{Text: "Kim waves.", Credit: "AP"}}},
		},
		{
			name: "a related-links list at the tail goes with its heading",
			in: detente.Article{Language: "en", Body: body(para(0), para(1), para(2), para(3), para(4), para(5),
				"Related:", "China protests THAAD deployment", "Moon meets Xi in Da Nang")},
			want: detente.Article{Language: "en", Body: body(para(0), para(1), para(2), para(3), para(4), para(5))},
		},
		{
			name: "a related heading mid-article goes alone; the text after it stays",
			in: detente.Article{Language: "en", Body: body(para(0), "More On This...", para(1), para(2), para(3), para(4),
				para(5), para(6), para(7), para(8), para(9))},
			want: detente.Article{Language: "en", Body: body(para(0), para(1), para(2), para(3), para(4), para(5),
				para(6), para(7), para(8), para(9))},
		},
		{
			name: "copyright, agency credits and follow prompts go from the tail",
			in: detente.Article{Language: "en", Body: body(para(0), para(1), "(Reporting by John Smith; Editing by Jane Doe)",
				"Follow us on Twitter @CGTNOfficial", "© 2017 CGTN. All rights reserved.")},
			want: detente.Article{Language: "en", Body: body(para(0), para(1))},
		},
		{
			name: "a copyright line early in a long article is not the tail and stays",
			in: detente.Article{Language: "en", Body: body(para(0), "Copyright law was the subject of the talks", para(1), para(2),
				para(3), para(4), para(5), para(6), para(7), para(8), para(9), para(10))},
			want: detente.Article{Language: "en", Body: body(para(0), "Copyright law was the subject of the talks", para(1), para(2),
				para(3), para(4), para(5), para(6), para(7), para(8), para(9), para(10))},
		},
		{
			name: "removing a caption pair does not leave its twins behind",
			in:   detente.Article{Language: "en", Body: body(para(0), "Smoke over Aleppo in May.", "Smoke over Aleppo in May.", "Smoke over Aleppo in May.", para(1))},
			want: detente.Article{Language: "en", Body: body(para(0), para(1)), Captions: []detente.Caption{{Text: "Smoke over Aleppo in May."}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			got := Article(&in)
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("Article:\n got %+v\nwant %+v", *got, tt.want)
			}
			if !reflect.DeepEqual(in, tt.in) {
				t.Errorf("Article changed its input")
			}
			if again := Article(got); !reflect.DeepEqual(again, got) {
				t.Errorf("cleaning twice differs from cleaning once:\n%+v\n%+v", again, got)
			}
		})
	}
}

func TestArticleOfNilIsNil(t *testing.T) {
	if Article(nil) != nil {
		t.Error("Article(nil) is not nil")
	}
}

func TestArticleLanguage(t *testing.T) {
	long := strings.Repeat(para(0)+" ", 5)
	tests := []struct {
		name, given, body, want string
	}{
		{"an English body is detected as en", "", long, "en"},
		{"a body too short for a reliable guess stays unknown", "", "Seoul agreed.", ""},
		{"a region subtag is dropped", "en-GB", "", "en"},
		{"an ISO 639-3 code becomes ISO 639-1", "deu", "", "de"},
		{"the reader's value wins over detection", "fr", long, "fr"},
		{"a value we cannot map is kept, lower-cased", "English", "", "english"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Article(&detente.Article{Language: tt.given, Body: tt.body}).Language
			if got != tt.want {
				t.Errorf("language = %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzArticle(f *testing.F) {
	f.Add("T", "CGTN", "Oct 31, 2017", `["china"]`+"\nShare\nCopied\n"+para(0)+"\nA car. /Reuters Photo\nA car. /Reuters Photo\n"+para(1))
	f.Add("", "", "", "By John Smith\n"+para(0)+"\nRelated:\nHeadline\n© 2017 X")
	f.Add("\u200b", "\xff", "2017-10-31T08:00:00+08:00", "e\u200b\u0301\r\n\u2028 a  b\nx\nx\nx\ny\nx")
	f.Add("", "", "", "A\nB\nA\nA\nB\nC (Photo: D)\nC (Photo: D)")
	f.Fuzz(func(t *testing.T, title, source, published, raw string) {
		a := &detente.Article{Title: title, Source: source, Published: published, Body: raw}
		once := Article(a)
		for _, s := range []string{once.Title, once.Source, once.Published, once.Body, once.Author, once.Language} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in %q", s)
			}
		}
		for _, c := range once.Captions {
			if !utf8.ValidString(c.Text) || !utf8.ValidString(c.Credit) {
				t.Fatalf("invalid UTF-8 in caption %+v", c)
			}
		}
		if strings.Contains(once.Body, "\n\n") || strings.HasPrefix(once.Body, "\n") || strings.HasSuffix(once.Body, "\n") {
			t.Fatalf("body paragraphs not separated by exactly one newline: %q", once.Body)
		}
		twice := Article(once)
		if !reflect.DeepEqual(once, twice) {
			t.Fatalf("not idempotent:\nonce  %+v\ntwice %+v", once, twice)
		}
	})
}
