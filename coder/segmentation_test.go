package coder

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/clean"
	"github.com/detente/detente/nlp"
)

// The coder reuses the annotator's segmentation of the body when the
// annotations carry it, and segments the body itself when they do not
// (read back from JSON or a store) or when it is another text's: the
// events are the same every way.
func TestCodeReusesTheAnnotatorsSegmentationOnlyForItsBody(t *testing.T) {
	an, c := builtin(t)
	a := benchArticle()
	ann := an.Annotate(a)
	seg, ok := ann.Segmentation.(*nlp.Text)
	if !ok || seg.Body != a.Body || !reflect.DeepEqual(seg.Sentences, ann.Sentences) {
		t.Fatalf("Annotate's Segmentation = %T, want the body's *nlp.Text with its sentences", ann.Segmentation)
	}
	shared := c.Code(a, ann)
	if len(shared) == 0 {
		t.Fatal("no events from the bench article")
	}

	b, err := json.Marshal(ann)
	if err != nil {
		t.Fatal(err)
	}
	var back detente.Annotations
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Segmentation != nil {
		t.Fatalf("the segmentation went through JSON: %v", back.Segmentation)
	}
	if got := c.Code(a, &back); !reflect.DeepEqual(got, shared) {
		t.Errorf("events without the segmentation differ:\n got %+v\nwant %+v", got, shared)
	}

	// A segmentation of another text (the article edited after annotation)
	// is not used.
	stale := back
	stale.Segmentation = nlp.Segment("Iran attacked Iraq. Iraq condemned Iran.")
	if got := c.Code(a, &stale); !reflect.DeepEqual(got, shared) {
		t.Errorf("events with another text's segmentation differ:\n got %+v\nwant %+v", got, shared)
	}
}

// The scratch's lower-case words are strings.ToLower's, whatever the
// body: ASCII, accented letters, a letter whose lower case is longer or
// shorter in UTF-8 (İ, Ⱥ), invalid UTF-8.
func TestTokenBufLowerIsToLower(t *testing.T) {
	for _, body := range []string{
		"The UN Security Council MET in New York.",
		"Président Macron a rencontré M. Scholz à Berlin. ÉTATS-UNIS.",
		"İstanbul hosted Ⱥlpha talks; Erdoğan SAID so.",
		"Bad \xff bytes BEFORE Words.",
		"",
	} {
		checkTokenLower(t, body)
	}
}

func FuzzTokenBufLower(f *testing.F) {
	f.Add("The UN Security Council MET in New York.")
	f.Add("İstanbul — ÉTATS-UNIS \xff Ⱥ")
	f.Fuzz(checkTokenLower)
}

func checkTokenLower(t *testing.T, body string) {
	text := nlp.Segment(body)
	n := 0
	for _, toks := range text.Tokens {
		n += len(toks)
	}
	low, ascii, aligned := lowerText(body)
	if low != strings.ToLower(body) {
		t.Fatalf("%q: lowerText = %q, want %q", body, low, strings.ToLower(body))
	}
	buf := newTokenBuf(n, body, low, ascii, aligned)
	for _, toks := range text.Tokens {
		for _, tok := range toks {
			if got, want := buf.lower(tok), strings.ToLower(tok.Text); got != want {
				t.Fatalf("%q: lower(%q) = %q, want %q", body, tok.Text, got, want)
			}
		}
	}
	buf.release()
	// With the segmentation's byte offsets.
	buf = newTokenBuf(n, body, low, ascii, aligned)
	buf.seg = text
	for si, toks := range text.Tokens {
		for k, tok := range toks {
			if got, want := buf.lowerAt(si, k, tok), strings.ToLower(tok.Text); got != want {
				t.Fatalf("%q: lowerAt(%q) = %q, want %q", body, tok.Text, got, want)
			}
			if bs := text.TokenByte(si, k); body[bs:bs+len(tok.Text)] != tok.Text {
				t.Fatalf("%q: TokenByte(%d, %d) = %d, not where %q is", body, si, k, bs, tok.Text)
			}
		}
	}
	buf.release()
}

// On real news (the first 150 AllSides articles, when the shared data is
// there), coding with the annotator's segmentation and coding after a JSON
// round trip (the coder segments and lower-cases everything itself) give
// the same events.
func TestSharedSegmentationAgreesOnTheCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	sc := corpusLines(t)
	an, c := builtin(t)
	events := 0
	for n := 0; n < 150 && sc.Scan(); n++ {
		var a detente.Article
		if json.Unmarshal(sc.Bytes(), &a) != nil || a.Body == "" {
			continue
		}
		ca := clean.Article(&a)
		ann := an.Annotate(ca)
		shared := c.Code(ca, ann)
		plain := *ann
		plain.Segmentation = nil
		if got := c.Code(ca, &plain); !reflect.DeepEqual(got, shared) {
			t.Fatalf("article %d: events without the segmentation differ:\n got %+v\nwant %+v", n, got, shared)
		}
		events += len(shared)
	}
	if events == 0 {
		t.Fatal("no events coded from the corpus")
	}
}
