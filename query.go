package detente

import (
	"context"
	"slices"
)

// Archive is everything a full store offers the command line, the web
// layer and the exports beyond Store: batched writes, annotations, events
// and the read-side summaries. Both the embedded SQLite store and the
// PostgreSQL store implement it, and one contract test suite holds them to
// the same results. Implementations are safe for concurrent use.
type Archive interface {
	Store
	BatchPutter
	AnnotationStore
	EventStore
	// Stats counts what the store holds.
	Stats(ctx context.Context) (Stats, error)
	// Sources returns every outlet seen, most prolific first.
	Sources(ctx context.Context) ([]Outlet, error)
}

// AnnotationStore keeps each story's annotations (entities, times, quotes)
// and answers entity facets.
type AnnotationStore interface {
	// PutAnnotations replaces the stored annotations of an article.
	PutAnnotations(ctx context.Context, articleID string, ann *Annotations) error
	// Annotations returns an article's stored annotations; ENOTFOUND when
	// there are none.
	Annotations(ctx context.Context, articleID string) (*Annotations, error)
	// Entities returns an article's stored entity mentions in text order.
	Entities(ctx context.Context, articleID string) ([]Entity, error)
	// TopEntities returns the n entities mentioned by the most articles
	// among the filter's best FacetMatches matches (in Search's order),
	// optionally only of the given types.
	TopEntities(ctx context.Context, f SearchFilter, n int, types ...string) ([]EntityCount, error)
}

// FacetMatches is how many of a search's best matches entity facets
// count: a bounded sample keeps a facet's cost the same on a store of any
// size (a common word matches most of a large store, and each article has
// about a hundred entity mentions).
const FacetMatches = 200

// ArticleEvents returns the events an article (or copy) reported, in the
// order of their first mention in it, each with all of its reports (from
// this and other articles).
func ArticleEvents(ctx context.Context, s EventStore, articleID string) ([]*StoredEvent, error) {
	return articleEvents(ctx, s, EventFilter{ArticleID: articleID, Sort: "first_seen"})
}

// ArticleOwnEvents is ArticleEvents with each event's mentions in that
// article alone (Reports and Mentions; SourceURL is the article's own),
// for a page of the article that shows no other reports; the events and
// their counts (NumMentions, NumSources) are the same.
func ArticleOwnEvents(ctx context.Context, s EventStore, articleID string) ([]*StoredEvent, error) {
	return articleEvents(ctx, s, EventFilter{ArticleID: articleID, OwnMentions: true, Sort: "first_seen"})
}

func articleEvents(ctx context.Context, s EventStore, f EventFilter) ([]*StoredEvent, error) {
	articleID := f.ArticleID
	var out []*StoredEvent
	err := s.EachEvent(ctx, f, true, func(se *StoredEvent) error {
		out = append(out, se)
		return nil
	})
	if err != nil {
		return nil, err
	}
	first := func(se *StoredEvent) int {
		best := -1
		for _, m := range se.Reports {
			if m.ArticleID == articleID && (best < 0 || m.VerbSpan.Start < best) {
				best = m.VerbSpan.Start
			}
		}
		return best
	}
	slices.SortStableFunc(out, func(a, b *StoredEvent) int { return first(a) - first(b) })
	return out, nil
}

// EventStore keeps coded events and their mentions (the GDELT 2.0 model)
// and answers the explorer's, the dyad timeline's and the exports' queries.
type EventStore interface {
	// PutEvents replaces the mentions an article contributes, merging them
	// into stored events.
	PutEvents(ctx context.Context, articleID string, evs []Event) error
	// Events returns one page of the events f matches and the total.
	Events(ctx context.Context, f EventFilter) ([]Event, int, error)
	// Event returns one stored event with its reports; ENOTFOUND when
	// unknown.
	Event(ctx context.Context, id string) (*StoredEvent, error)
	// EachEvent streams every event f matches (its Limit and Offset are
	// ignored), with reports when mentions is true.
	EachEvent(ctx context.Context, f EventFilter, mentions bool, fn func(*StoredEvent) error) error
	// DyadTimeline counts the dated events between actors a and b per
	// bucket ("day", "week", "month" or "year") between from and to.
	DyadTimeline(ctx context.Context, a, b, bucket, from, to string) ([]TimelinePoint, error)
	// ActorSummary summarizes the events of an actor code.
	ActorSummary(ctx context.Context, code string) (*ActorSummary, error)
}

// StoredEvent is an event as the store keeps it: the event with its
// GDELT-style numeric ID, when it was first stored, and its mentions with
// what the store knows of each reporting article.
type StoredEvent struct {
	Event
	Seq       int64  // GDELT's GlobalEventID
	FirstSeen string // RFC 3339, when the first report was stored
	// SourceURL is the URL of the first article that reported it.
	SourceURL string
	// Reports are its mentions with their articles (EachEvent with
	// mentions; Event.Mentions holds the same mentions without them).
	Reports []EventReport
}

// EventReport is one stored mention with its reporting article.
type EventReport struct {
	EventMention
	Outlet    string `json:"outlet"`
	URL       string `json:"url"`
	Title     string `json:"title"`
	Published string `json:"published"`
	AddedAt   string `json:"added_at"` // RFC 3339, when it was stored
	// SentenceNo is the sentence's 1-based number in the article, 0 when
	// the article was stored without its sentences.
	SentenceNo int `json:"sentence_no"`
	DocLen     int `json:"doc_len"` // the body's length in code points
}

// TimelinePoint is one bucket of a dyad's timeline.
type TimelinePoint struct {
	// Bucket is the period: "2024-05-01" for a day, the Monday that
	// starts an ISO week for a week, "2024-05" for a month, "2024" for a
	// year.
	Bucket string `json:"bucket"`
	// Quad counts the bucket's events by quad class: Quad[0] verbal
	// cooperation … Quad[3] material conflict.
	Quad          [4]int  `json:"quad"`
	MeanGoldstein float64 `json:"mean_goldstein"` // over its events; 0 when none
	N             int     `json:"n"`              // events
	Mentions      int     `json:"mentions"`       // their mentions
	AToB          int     `json:"a_to_b"`         // events with a as source
	BToA          int     `json:"b_to_a"`         // events with b as source (and not a)
}

// ActorSummary is what the store knows of one actor's events.
type ActorSummary struct {
	Code          string  `json:"code"`
	Events        int     `json:"events"`    // events it is source or target of
	AsSource      int     `json:"as_source"` // of them, as source
	AsTarget      int     `json:"as_target"` // as target (and not source)
	Mentions      int     `json:"mentions"`
	Quad          [4]int  `json:"quad"` // events by quad class, 1 … 4
	MeanGoldstein float64 `json:"mean_goldstein"`
	First         string  `json:"first"` // earliest event date
	Last          string  `json:"last"`  // latest event date
	// Partners are the actors it has the most events with, at most
	// MaxPartners; "" is events with no other actor.
	Partners []Partner `json:"partners"`
	// Roots count its events by CAMEO root category, most first.
	Roots []CodeCount `json:"roots"`
}

// Partner is an actor's counterpart and their events.
type Partner struct {
	Code          string  `json:"code"`
	Events        int     `json:"events"`
	AsSource      int     `json:"as_source"` // the summarized actor as source
	AsTarget      int     `json:"as_target"`
	Mentions      int     `json:"mentions"`
	MeanGoldstein float64 `json:"mean_goldstein"`
}

// CodeCount is a code and how many events have it.
type CodeCount struct {
	Code   string `json:"code"`
	Events int    `json:"events"`
}

// EntityCount is one entity of a facet: how many matching articles
// mention it and how often.
type EntityCount struct {
	// Name is the canonical name (the mention's text when it had none).
	Name string `json:"name"`
	// Type, Actor and Country come from its mentions; when they disagree
	// (an ambiguous name) the greatest value, so a set one wins over "".
	Type     string `json:"type"`
	Actor    string `json:"actor"`
	Country  string `json:"country"`
	Articles int    `json:"articles"` // matching articles that mention it
	Mentions int    `json:"mentions"` // its mentions in them
}

// Stats counts what the store holds.
type Stats struct {
	Articles int `json:"articles"` // article IDs stored: originals and copies
	Stories  int `json:"stories"`  // distinct texts: one original each
	Copies   int `json:"copies"`   // exact and near copies, originals not counted
	Exact    int `json:"exact"`    // of Copies, exact ones
	Near     int `json:"near"`     // of Copies, near ones
	Sources  int `json:"sources"`  // outlets seen
	// Annotated counts stories whose original has stored annotations.
	Annotated int `json:"annotated"`
}

// Outlet is an outlet and how much of the store it carried.
type Outlet struct {
	Name    string `json:"name"`
	Copies  int    `json:"copies"`  // article IDs from this outlet, originals included
	Stories int    `json:"stories"` // distinct stories it carried
}
