package sqlite

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/cameo"
)

// checkEventCounts asserts that every event's counts are what its
// mention rows say.
func checkEventCounts(t *testing.T, db *DB) {
	t.Helper()
	bad := count(t, db, `SELECT count(*) FROM events e WHERE
		num_mentions <> (SELECT count(*) FROM event_mentions m WHERE m.event_seq = e.seq) OR
		num_articles <> (SELECT count(DISTINCT article_id) FROM event_mentions m WHERE m.event_seq = e.seq) OR
		num_sources <> (SELECT count(DISTINCT CASE WHEN trim(outlet) <> '' THEN 'o:' || lower(trim(outlet))
			ELSE 'a:' || article_id END) FROM event_mentions m WHERE m.event_seq = e.seq)`)
	if bad != 0 {
		t.Errorf("%d events have counts their mentions do not give", bad)
	}
	if n := count(t, db, "SELECT count(*) FROM events WHERE num_mentions = 0"); n != 0 {
		t.Errorf("%d events have no mention", n)
	}
}

func TestNewAndMergedEventsAreCountedAsTheirMentionsSay(t *testing.T) {
	db := openTemp(t)
	rng := rand.New(rand.NewPCG(3, 4))
	codes := cameo.Codes()
	var past []detente.Event
	for b := range 4 {
		// One in ten events repeats an earlier one, in this batch or a
		// stored one.
		items := benchEventItems(rng, codes, b, 40, &past)
		// An event reported by two sentences, one of them twice: two
		// mentions.
		e := &items[0].Events[0]
		m := e.Mentions[0]
		other := m
		other.Sentence, other.VerbSpan = detente.Span{Start: 0, End: 40}, detente.Span{Start: 30, End: 35}
		e.Mentions = append(e.Mentions, m, other)
		// An event with no mention is reported once.
		items[1].Events[1].Mentions = nil
		if b > 0 {
			// Copies of an article stored before and of one in this batch
			// repeat their stories' mentions.
			for i, of := range []string{"ev-000000", items[2].Article.ID} {
				cp := &detente.Article{ID: fmt.Sprintf("copy-%d-%d", b, i), Source: "Copier", Body: "copy"}
				items = append(items, detente.PutItem{Article: cp, Fingerprint: fingerprint(cp.Body + cp.ID),
					Duplicate: &detente.Duplicate{Of: of, Kind: detente.CopyExact, Similarity: 1}})
			}
		}
		put(t, db, items...)
	}
	checkEventCounts(t, db)
	if n := count(t, db, "SELECT count(*) FROM event_mentions WHERE article_id LIKE 'copy-%'"); n == 0 {
		t.Error("fixture: the copies have no mentions")
	}
}
