// Package detente holds the domain of detente: news articles in, political
// events out. It defines the types every stage shares (Article, Caption,
// Story, …), the Store interface the embedded and server stores implement,
// and the error codes the command line and the web layer map to messages and
// statuses. It imports none of its implementations; cmd/detente wires them.
package detente

import (
	"context"
	"time"
)

// Article is one news article as detente understands it after reading and
// cleaning: metadata plus a clean body whose paragraphs are separated by a
// single "\n". Offsets into Body elsewhere in detente count Unicode code
// points, not bytes.
type Article struct {
	// ID is stable across runs: the input's own id when it has one, else a
	// hash of what identifies the article (see ArticleID).
	ID     string   `json:"id"`
	URL    string   `json:"url"`
	Source string   `json:"source"` // the outlet, e.g. "CGTN"
	Title  string   `json:"title"`
	Author string   `json:"author,omitempty"`
	Tags   []string `json:"tags"`
	// Published is the publication date as "YYYY-MM-DD" or an RFC 3339
	// timestamp in UTC; empty when unknown (never guessed).
	Published string `json:"published"`
	// Crawled is when a crawler fetched the page (WARC-Date), RFC 3339.
	Crawled  string    `json:"crawled,omitempty"`
	Language string    `json:"language"` // ISO 639-1, "" when unknown
	Body     string    `json:"body"`
	Captions []Caption `json:"captions"`
	// TextFrom says where the body came from when it is not the full article
	// text: "summary" for a feed item that only had its summary.
	TextFrom string `json:"text_from,omitempty"`
	// DuplicateOf is the ID of the earlier article this one copies (exactly
	// or nearly); empty for an original.
	DuplicateOf string `json:"duplicate_of"`
	// Origin says where the article was read from: file, and line, item or
	// byte offset, e.g. "feeds/bbc.xml:item 3". For messages, not identity.
	Origin string `json:"-"`
}

// Caption is a photo caption found in an article body, kept once, with its
// credit ("Reuters Photo", "CFP", "Xinhua") split off.
type Caption struct {
	Text   string `json:"text"`
	Credit string `json:"credit,omitempty"`
}

// Copy is one appearance of a story: an outlet and URL that carried it.
// A story's first article is its original; exact and near copies add Copies
// rather than new articles.
type Copy struct {
	ArticleID  string  `json:"article_id"`
	Source     string  `json:"source"`
	URL        string  `json:"url"`
	Title      string  `json:"title"`
	Published  string  `json:"published"`
	Kind       string  `json:"kind"`       // CopyOriginal, CopyExact or CopyNear
	Similarity float64 `json:"similarity"` // estimated Jaccard with the original; 1 for exact
}

// Kinds of Copy.
const (
	CopyOriginal = "original"
	CopyExact    = "exact"
	CopyNear     = "near"
)

// Story is a set of articles that carry the same text: the original article
// and every copy of it.
type Story struct {
	ID       string  `json:"id"` // the original article's ID
	Original Article `json:"original"`
	Copies   []Copy  `json:"copies"`
}

// Fingerprint identifies an article's text for duplicate detection.
type Fingerprint struct {
	// Exact is a hash of the normalized body: equal for exact copies.
	Exact string
	// Signature is the MinHash signature of the body's word shingles.
	Signature []uint32
	// Bands are the LSH band keys derived from Signature; two articles that
	// share a band key are candidates for near duplicates.
	Bands []uint64
}

// PutStatus says what storing an article did.
type PutStatus int

const (
	// PutNew stored a new article and story.
	PutNew PutStatus = iota
	// PutExisting changed nothing: this article ID was already stored.
	PutExisting
	// PutExactCopy added a copy of an existing story (same normalized body).
	PutExactCopy
	// PutNearCopy added a near copy of an existing story.
	PutNearCopy
)

func (s PutStatus) String() string {
	switch s {
	case PutNew:
		return "new"
	case PutExisting:
		return "existing"
	case PutExactCopy:
		return "duplicate"
	case PutNearCopy:
		return "near-duplicate"
	}
	return "unknown"
}

// Candidate is a stored article that shares an LSH band with a new one.
type Candidate struct {
	ArticleID string
	Signature []uint32
}

// SearchFilter narrows a full-text search. Zero fields do not filter.
type SearchFilter struct {
	Query   string // the user's words; never passed to FTS syntax unescaped
	Source  string // outlet name, any copy of the story counts
	From    string // published on or after, "YYYY-MM-DD"
	To      string // published on or before, "YYYY-MM-DD"
	Entity  string // canonical entity name or actor code: articles mentioning it
	Country string // ISO 3166-1 alpha-3: articles with an entity of that country
	Limit   int
	Offset  int
}

// SearchTotalLimit is how far a search counts its matches. Counting every
// match of a common word takes time in proportion to the store (a word in
// most of a million articles), so when more than SearchTotalLimit match,
// Search reports a total of SearchTotalLimit+1, to be read and shown as
// "more than SearchTotalLimit"; the pages past it are still served.
const SearchTotalLimit = 10_000

// SearchHit is one ranked search result.
type SearchHit struct {
	ArticleID string  `json:"id"`
	Title     string  `json:"title"`
	Source    string  `json:"source"`
	URL       string  `json:"url"`
	Published string  `json:"published"`
	Snippet   string  `json:"snippet"` // with matches wrapped in [ and ]
	Score     float64 `json:"score"`   // BM25; lower is better, as SQLite reports it
	Copies    int     `json:"copies"`  // how many outlets carried the story
}

// Store keeps articles, their stories and copies, and finds them again.
// Implementations must make PutArticle atomic and idempotent: storing the
// same article ID twice changes nothing and reports PutExisting. They are
// safe for concurrent use: the pipeline's workers look articles up while
// its writer stores.
type Store interface {
	// PutArticle stores a cleaned article with its fingerprint. When the
	// article is a copy of a stored story (dup names that story's original
	// article ID and kind), it is recorded as a Copy of that story instead
	// of as a new article.
	PutArticle(ctx context.Context, a *Article, fp Fingerprint, dup *Duplicate) (PutStatus, error)
	// ExactMatch returns the ID of a stored article whose normalized body has
	// this exact hash, or "" when there is none.
	ExactMatch(ctx context.Context, exact string) (string, error)
	// NearCandidates returns stored original articles that share at least one
	// of the given LSH band keys.
	NearCandidates(ctx context.Context, bands []uint64) ([]Candidate, error)
	// HasArticle reports whether an article or copy with this ID is stored.
	HasArticle(ctx context.Context, id string) (bool, error)
	// Article returns a stored article with its story's copies; ENOTFOUND
	// when the ID is unknown (a copy's ID returns its story's original).
	Article(ctx context.Context, id string) (*Story, error)
	// Search runs a ranked full-text search and returns one page of hits and
	// the total number of matches, or SearchTotalLimit+1 when more than
	// SearchTotalLimit match.
	Search(ctx context.Context, f SearchFilter) ([]SearchHit, int, error)
	Close() error
}

// Duplicate says which stored article a new one copies, and how closely.
type Duplicate struct {
	Of         string  // the original article's ID
	Kind       string  // CopyExact or CopyNear
	Similarity float64 // estimated Jaccard
}

// Now is the clock; tests may replace it.
var Now = func() time.Time { return time.Now().UTC() }

// PutItem is one article to store with its fingerprint and, for a copy, the
// stored story it copies.
type PutItem struct {
	Article     *Article
	Fingerprint Fingerprint
	Duplicate   *Duplicate
	Annotations *Annotations // nil when the article was not annotated
	// Events coded from the article; nil when not coded. A copy's events
	// are ignored: its story's original's stand, and the copy adds its
	// outlet to them.
	Events []Event
}

// BatchPutter is implemented by stores that can store many articles in one
// transaction. Each batch is atomic; later items may copy earlier ones.
type BatchPutter interface {
	PutBatch(ctx context.Context, items []PutItem) ([]PutStatus, error)
}

// EventFilter narrows a listing of stored events. Zero fields do not
// filter; all set fields must hold.
type EventFilter struct {
	// Source and Target are CAMEO actor codes: exact ("CHNGOV"), or a
	// prefix when they end in "*" ("CHN*": China and every Chinese actor).
	Source string
	Target string
	// Between is a dyad in either direction: events from Between[0] to
	// Between[1] or from Between[1] to Between[0]; codes as in Source.
	// Both must be set to filter.
	Between [2]string
	// Code is a CAMEO event code, exact ("036") or a prefix ending in "*"
	// ("03*": every code under root 03).
	Code string
	// Root is a two-digit CAMEO root category ("03").
	Root string
	// PLOVER is a PLOVER event type ("CONSULT").
	PLOVER string
	// Quad is a quad class, 1 verbal cooperation … 4 material conflict.
	Quad int
	// From and To bound the event's date, inclusive, as "YYYY",
	// "YYYY-MM" or "YYYY-MM-DD" (compared at that precision). Undated
	// events are left out when either is set.
	From string
	To   string
	// Country is an ISO3 country code: events whose source or target
	// actor is of that country (its code starts with it) or that took
	// place in it.
	Country string
	// ArticleID keeps the events that article (or copy) reported.
	ArticleID string
	// OwnMentions, with ArticleID, makes EachEvent read each event's
	// mentions in that article alone, not every report of it: an
	// article's page shows no others, and a story syndicated a hundred
	// times would read a hundred reports of each of its events.
	OwnMentions bool
	// Limit and Offset page the results; Limit 0 means the store's
	// default in Events and no limit in EachEvent.
	Limit  int
	Offset int
	// Sort orders the results: "date", "mentions", "goldstein" or
	// "first_seen", ascending, or descending with a leading "-". "" is
	// "-date": newest first.
	Sort string
}
