package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/detente/detente"
	"github.com/detente/detente/dedup"
	"github.com/detente/detente/pipeline"
	"github.com/detente/detente/store/sqlite"
)

// Fixture articles, written for these tests: two fictional countries,
// Atlantis (ATL) and Lemuria (LEM), and markup where no markup belongs.
const (
	hostileTitle  = `Atlantis talks <script>alert("title")</script> resume`
	hostileBody   = "Atlantis and Lemuria held talks in Poseidonia on Monday, the Atlantean foreign ministry said.\n<script>alert('body')</script> was printed beside the communique.\n\"We will meet again,\" the Lemurian envoy said."
	hostileEntity = `<script>alert("entity")</script>`
	secondBody    = "Lemuria criticized Atlantis over fishing rights on 10 April.\nThe dispute has lasted a decade."
)

// runes returns the code point span of the first sub in s.
func runes(s, sub string) detente.Span {
	i := strings.Index(s, sub)
	if i < 0 {
		panic("fixture: " + sub + " not in text")
	}
	start := utf8.RuneCountInString(s[:i])
	return detente.Span{Start: start, End: start + utf8.RuneCountInString(sub)}
}

func entity(body, text, typ, canonical, actor, country string) detente.Entity {
	sp := runes(body, text)
	return detente.Entity{Text: text, Start: sp.Start, End: sp.End, Type: typ, Canonical: canonical, Actor: actor, Country: country, Source: "kb"}
}

func mention(id, body, sentence, src, verb, tgt, why string) detente.EventMention {
	m := detente.EventMention{ArticleID: id, Sentence: runes(body, sentence), VerbSpan: runes(body, verb),
		Confidence: 0.9, Explanation: why}
	if src != "" {
		m.SourceSpan = runes(body, src)
	}
	if tgt != "" {
		m.TargetSpan = runes(body, tgt)
	}
	return m
}

type fixture struct {
	db        *sqlite.DB
	first     *detente.Article
	second    *detente.Article
	copyID    string
	firstSent string
}

// newFixture stores the fixture articles, with annotations and events, in
// a new SQLite store.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "web.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h := dedup.NewHasher(dedup.DefaultConfig())
	first := &detente.Article{Title: hostileTitle, Source: "Atlantis Daily", URL: "https://atlantis.example/talks",
		Published: "2020-03-02", Language: "en", Body: hostileBody, Tags: []string{}}
	first.ID = detente.ArticleID(first)
	second := &detente.Article{Title: "Lemuria criticizes Atlantis", Source: "Lemuria Post", URL: "https://lemuria.example/fish",
		Published: "2020-04-10", Language: "en", Body: secondBody, Tags: []string{}}
	second.ID = detente.ArticleID(second)
	cp := *first
	cp.Source, cp.URL, cp.ID = "Wire Service", "https://wire.example/atlantis-talks", ""
	cp.ID = detente.ArticleID(&cp)

	s1 := "Atlantis and Lemuria held talks in Poseidonia on Monday, the Atlantean foreign ministry said."
	ann1 := &detente.Annotations{
		Sentences: []detente.Span{runes(hostileBody, s1), runes(hostileBody, "<script>alert('body')</script> was printed beside the communique.")},
		Entities: []detente.Entity{
			entity(hostileBody, "Atlantis", detente.EntityGPE, hostileEntity, "ATL", "ATL"),
			entity(hostileBody, "Lemuria", detente.EntityGPE, "Lemuria", "LEM", "LEM"),
			entity(hostileBody, "Atlantean foreign ministry", detente.EntityOrg, "Atlantean Foreign Ministry", "ATLGOV", "ATL"),
		},
		Times:  []detente.TimeExpr{{Text: "on Monday", Start: runes(hostileBody, "on Monday").Start, End: runes(hostileBody, "on Monday").End, Value: "2020-03-02", Type: "DATE"}},
		Quotes: []detente.Quote{{Text: "We will meet again,", Start: runes(hostileBody, "We will meet again,").Start, End: runes(hostileBody, "We will meet again,").End, Speaker: "the Lemurian envoy", Actor: "LEMGOV"}},
	}
	ev1 := detente.Event{Source: "ATL", Target: "LEM", CAMEO: "040", Date: "2020-03-02",
		Mentions: []detente.EventMention{mention(first.ID, hostileBody, s1, "Atlantis", "held talks", "Lemuria", `verb "held talks" matched pattern HOLD TALKS → 040`)}}
	s2 := "Lemuria criticized Atlantis over fishing rights on 10 April."
	ann2 := &detente.Annotations{
		Sentences: []detente.Span{runes(secondBody, s2)},
		Entities: []detente.Entity{
			entity(secondBody, "Lemuria", detente.EntityGPE, "Lemuria", "LEM", "LEM"),
			entity(secondBody, "Atlantis", detente.EntityGPE, hostileEntity, "ATL", "ATL"),
		},
		Times: []detente.TimeExpr{{Text: "10 April", Start: runes(secondBody, "10 April").Start, End: runes(secondBody, "10 April").End, Value: "2020-04-10", Type: "DATE"}},
	}
	ev2 := detente.Event{Source: "LEM", Target: "ATL", CAMEO: "111", Date: "2020-04-10",
		Mentions: []detente.EventMention{mention(second.ID, secondBody, s2, "Lemuria", "criticized", "Atlantis", `verb "criticized" → 111`)}}
	items := []detente.PutItem{
		{Article: first, Fingerprint: h.Fingerprint(first.Body), Annotations: ann1, Events: []detente.Event{ev1}},
		{Article: second, Fingerprint: h.Fingerprint(second.Body), Annotations: ann2, Events: []detente.Event{ev2}},
		{Article: &cp, Fingerprint: h.Fingerprint(cp.Body), Duplicate: &detente.Duplicate{Of: first.ID, Kind: detente.CopyExact, Similarity: 1}},
	}
	if _, err := db.PutBatch(context.Background(), items); err != nil {
		t.Fatal(err)
	}
	return &fixture{db: db, first: first, second: second, copyID: cp.ID, firstSent: s1}
}

// plainIngest is the pipeline without annotation or coding: enough to
// store what the API receives.
func plainIngest(store detente.Store) IngestFunc {
	return func(ctx context.Context, in <-chan pipeline.Input, progress func(pipeline.Summary)) (pipeline.Summary, error) {
		g := &pipeline.Ingester{Store: store, Hasher: dedup.NewHasher(dedup.DefaultConfig()), Progress: progress}
		return g.Run(ctx, in)
	}
}

func newTestServer(t testing.TB, cfg Config) *Server {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// do serves one request and returns the response and its body.
func do(t testing.TB, h http.Handler, r *http.Request) (*http.Response, string) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	res := w.Result()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func getURL(t testing.TB, h http.Handler, target string) (*http.Response, string) {
	t.Helper()
	return do(t, h, httptest.NewRequest(http.MethodGet, target, nil))
}
