package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/detente/detente"
)

// Search limits.
const (
	DefaultLimit = 20
	MaxLimit     = 1000
	// maxTerms bounds the work one query can ask for.
	maxTerms = 32
	// snippetTokens is how many tokens a snippet shows around the matches.
	snippetTokens = 24
)

// BM25 column weights: a match in the title counts five times one in the
// body, since a title names what the article is about.
const (
	titleWeight = 5.0
	bodyWeight  = 1.0
)

var datePrefix = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

// rankWindow bounds the ranking work of a query with many matches: bm25
// reads every ranked row's term positions and length, which for a word
// in 40% of a 100,000-article store took most of a second. With more
// matches than this, only the most recently stored rankWindow of them
// are ranked (the rest follow, newest stored first). 10,000 cost about 25
// ms of CPU a query, 5,000 half that, which a million-article store needs
// for the rest of the query (see BENCHMARKS.md). A variable so tests can
// exercise it with a few articles.
var rankWindow = 5000

// facetMatches is detente.FacetMatches, lowered by tests.
var facetMatches = detente.FacetMatches

// totalLimit is detente.SearchTotalLimit, lowered by tests.
var totalLimit = detente.SearchTotalLimit

// Search runs a ranked full-text search over titles and bodies and returns
// one page of hits and the total number of matches, counted up to
// detente.SearchTotalLimit: when more match, the total is one more than
// the limit (and every page is still served).
//
// The query is read as words, "quoted phrases" and word* prefixes, all of
// which must match; it is rebuilt as an FTS5 expression of quoted strings,
// so FTS5 operators (OR, NOT, NEAR, column filters, ^) in it are searched
// as plain words and cannot error or widen the search. A query with no
// searchable word (only punctuation) matches nothing. An empty query with
// filters lists stories by publication date, newest first.
//
// Hits are ranked by bm25, a title match weighing five body matches. When
// more than 5,000 articles match, the 5,000 stored last are ranked and
// come first, and the older matches follow, newest stored first: ranking
// every match of a common word costs time in proportion to the store.
// The index is kept in generations of consecutive articles (see fts.go)
// and a match's bm25 is computed within its generation: its term
// frequencies (IDF) and average lengths are its generation's, 131,072
// articles or fewer, not the whole store's. Generations of one stream of
// news have close statistics, so their scores are comparable enough to
// merge. A generation just begun, of a few hundred articles, gives a rare
// word a lower IDF than a full one does, so its matches can rank a little
// lower than they would in one index until it fills. Without this, bm25
// walked each query phrase's whole document list in the store for its
// IDF, the cost of a query growing with the store.
//
// Source keeps stories any copy of which came from that outlet (ASCII
// case-insensitively). From and To ("YYYY", "YYYY-MM" or "YYYY-MM-DD")
// compare with the original's publication date at that precision; undated
// articles are left out when either is set.
//
// Entity keeps articles with an entity whose name (its canonical name, or
// its text when it has none) equals it ASCII case-insensitively, or whose
// actor code equals it; Country keeps articles with an entity of that
// ISO3 country. Both look at the original's annotations only; articles
// stored without annotations never match them.
func (db *DB) Search(ctx context.Context, f detente.SearchFilter) ([]detente.SearchHit, int, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	offset := max(f.Offset, 0)

	q, err := compileFilter(f)
	if err != nil {
		return nil, 0, err
	}
	if q.none {
		return []detente.SearchHit{}, 0, nil
	}
	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: begin read: %w", err)
	}
	defer tx.Rollback()

	// The page is chosen first from keys and scores alone, and only its
	// rows are then read in full: SQLite computes every result column
	// before sorting, so asking for snippets (or bodies) in the ranking
	// query would build one for every match, not just for the page.
	if err := q.chooseDateSide(ctx, tx); err != nil {
		return nil, 0, err
	}
	if err := q.loadGenerations(ctx, tx); err != nil {
		return nil, 0, err
	}
	if q.hasQuery && offset+limit <= facetMatches {
		// A first page: the ranking the page's facets need too.
		r, err := db.bestRanked(ctx, tx, q)
		if err != nil {
			return nil, 0, err
		}
		hits, err := q.readHits(ctx, tx, r.top[min(offset, len(r.top)):min(offset+limit, len(r.top))])
		if err != nil {
			return nil, 0, err
		}
		return hits, r.total, nil
	}
	total, err := q.count(ctx, tx)
	if err != nil {
		return nil, 0, err
	}
	if total == 0 || total <= totalLimit && offset >= total {
		return []detente.SearchHit{}, total, nil
	}
	var page []scored
	if q.hasQuery {
		floor, ranked := int64(0), total
		if total > rankWindow {
			if floor, err = q.rankFloor(ctx, tx); err != nil {
				return nil, 0, err
			}
			ranked = rankWindow
		}
		page, err = q.rankedPage(ctx, tx, limit, offset, floor, ranked)
	} else {
		page, err = q.newestPage(ctx, tx, limit, offset)
	}
	if err != nil {
		return nil, 0, err
	}
	hits, err := q.readHits(ctx, tx, page)
	if err != nil {
		return nil, 0, err
	}
	return hits, total, nil
}

// scored is a match's article seq and bm25 score (0 without a query).
type scored struct {
	seq   int64
	score float64
}

// newestPage lists a filter's matches without a query: newest published
// first, by the published index (an empty date sorts last when descending).
func (q *compiled) newestPage(ctx context.Context, tx *sql.Tx, limit, offset int) ([]scored, error) {
	if err := q.chooseProbes(ctx, tx); err != nil {
		return nil, err
	}
	defer func() { q.probe = false }()
	var page []scored
	err := scanAll(ctx, tx, "SELECT a.seq "+q.from()+" "+q.whereSQL()+
		" ORDER BY a.published DESC, a.seq DESC LIMIT "+strconv.Itoa(limit)+" OFFSET "+strconv.Itoa(offset),
		q.args, func(r *sql.Rows) error {
			var s scored
			err := r.Scan(&s.seq)
			page = append(page, s)
			return err
		})
	return page, err
}

// count counts a filter's matches up to totalLimit+1: past the limit a
// count costs time in proportion to the matches (a common word in most of
// a million articles), and the total is reported as more than the limit.
func (q *compiled) count(ctx context.Context, tx *sql.Tx) (int, error) {
	if !q.hasQuery {
		return q.countIn(ctx, tx, generation{}, "", totalLimit+1)
	}
	n := 0
	for _, g := range q.gens {
		c, err := q.countIn(ctx, tx, g, "", totalLimit+1-n)
		if err != nil {
			return 0, err
		}
		if n += c; n > totalLimit {
			break
		}
	}
	return n, nil
}

// countIn counts a filter's matches in generation g (any with no query),
// with the extra condition and, up to limit.
func (q *compiled) countIn(ctx context.Context, tx *sql.Tx, g generation, and string, limit int) (int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, q.in(g, "SELECT count(*) FROM (SELECT 1 "+q.from()+" "+q.whereSQL()+and+
		" LIMIT "+strconv.Itoa(limit)+")"), q.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: search: %w", err)
	}
	return n, nil
}

// rankFloor is the rowid from which a query's matches are ranked: 0 when
// there are at most rankWindow of them, else the rankWindow-th newest's.
// Finding it walks the match lists backwards without scoring, newest
// generation first, counting the matches of each generation it passes.
func (q *compiled) rankFloor(ctx context.Context, tx *sql.Tx) (int64, error) {
	need := rankWindow
	for _, g := range q.gens {
		var floor int64
		err := tx.QueryRowContext(ctx, q.in(g, "SELECT {fts}.rowid "+q.from()+" "+q.whereSQL()+
			" ORDER BY {fts}.rowid DESC LIMIT 1 OFFSET "+strconv.Itoa(need-1)), q.args...).Scan(&floor)
		if err == nil {
			return floor, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("sqlite: search: %w", err)
		}
		n, err := q.countIn(ctx, tx, g, "", need)
		if err != nil {
			return 0, err
		}
		need -= n
	}
	return 0, nil
}

// rankedPage returns the matches [offset, offset+limit) of a query: the
// ranked matches (rowid floor and up, ranked of them) by score, then the
// older ones by rowid, newest first.
//
// Each generation from the floor up ranks its own matches (bm25 sees one
// generation's statistics, see Search) and the best of them are merged;
// the older matches are listed generation by generation, newest first.
func (q *compiled) rankedPage(ctx context.Context, tx *sql.Tx, limit, offset int, floor int64, ranked int) ([]scored, error) {
	var page []scored
	if offset < ranked {
		n := offset + min(limit, ranked-offset)
		var best []scored
		for _, g := range q.gens {
			if g.hi <= floor {
				break
			}
			// Materialized first: FTS5's functions cannot run in the sort.
			query := "WITH m AS MATERIALIZED (SELECT {fts}.rowid, " + bm25 + " AS score " + q.from() + " " + q.whereSQL() +
				" AND {fts}.rowid >= " + strconv.FormatInt(floor, 10) + ") SELECT * FROM m ORDER BY 2, 1 LIMIT " + strconv.Itoa(n)
			if err := scanAll(ctx, tx, q.in(g, query), q.args, scanScored(&best)); err != nil {
				return nil, err
			}
		}
		sortScored(best)
		page = append(page, best[min(offset, len(best)):min(n, len(best))]...)
	}
	rest := offset + limit - ranked
	if rest <= 0 || floor <= 0 {
		return page, nil
	}
	rest = min(rest, limit)
	skip := max(offset-ranked, 0)
	below := " AND {fts}.rowid < " + strconv.FormatInt(floor, 10)
	for _, g := range q.gens {
		if rest <= 0 {
			break
		}
		if g.lo >= floor {
			continue
		}
		if skip > 0 {
			// Skipping a whole generation counts its matches, scoring none.
			c, err := q.countIn(ctx, tx, g, below, skip)
			if err != nil {
				return nil, err
			}
			if c < skip {
				skip -= c
				continue
			}
		}
		// FTS5 walks its lists in rowid order and skips the offset's
		// rows before scoring: only the page's rows are scored.
		got := len(page)
		query := "SELECT {fts}.rowid, " + bm25 + " " + q.from() + " " + q.whereSQL() + below +
			" ORDER BY {fts}.rowid DESC LIMIT " + strconv.Itoa(rest) + " OFFSET " + strconv.Itoa(skip)
		if err := scanAll(ctx, tx, q.in(g, query), q.args, scanScored(&page)); err != nil {
			return nil, err
		}
		rest -= len(page) - got
		skip = 0
	}
	return page, nil
}

// bm25 is a match's score in its generation, {fts}.
var bm25 = fmt.Sprintf("bm25({fts}, %g, %g)", titleWeight, bodyWeight)

// scanScored appends each row's seq and score to list.
func scanScored(list *[]scored) func(*sql.Rows) error {
	return func(r *sql.Rows) error {
		var s scored
		err := r.Scan(&s.seq, &s.score)
		*list = append(*list, s)
		return err
	}
}

// sortScored orders matches best first (lowest bm25), ties oldest first.
func sortScored(list []scored) {
	slices.SortFunc(list, func(a, b scored) int {
		if a.score != b.score {
			if a.score < b.score {
				return -1
			}
			return 1
		}
		return int(min(max(a.seq-b.seq, -1), 1))
	})
}

// byGeneration groups a page's seqs by the generation indexing them,
// newest generation first; seqs no generation indexes are left out.
func (q *compiled) byGeneration(page []scored) ([]generation, map[int64][]int64) {
	var gens []generation
	seqs := map[int64][]int64{}
	for _, p := range page {
		g, ok := generationOf(q.gens, p.seq)
		if !ok {
			continue
		}
		if _, seen := seqs[g.n]; !seen {
			gens = append(gens, g)
		}
		seqs[g.n] = append(seqs[g.n], p.seq)
	}
	slices.SortFunc(gens, func(a, b generation) int { return int(min(max(b.lo-a.lo, -1), 1)) })
	return gens, seqs
}

// readHits reads a page's articles in full, in the page's order, with a
// snippet of each: around the matches with a query, else the body's lead.
func (q *compiled) readHits(ctx context.Context, tx *sql.Tx, page []scored) ([]detente.SearchHit, error) {
	hits := make([]detente.SearchHit, 0, len(page))
	if len(page) == 0 {
		return hits, nil
	}
	if q.hasQuery && !q.filtered() && len(page) > 1 {
		return q.readHitsOnePass(ctx, tx, page)
	}
	cols := "SELECT a.id, a.title, a.source, a.url, a.published, substr(a.body, 1, 1000), " + copiesCount + " FROM articles a WHERE a.seq = ?1"
	if q.hasQuery {
		// One lookup per row: FTS5 seeks to a rowid given as equal, but
		// reads a list of them by evaluating the whole match.
		cols = fmt.Sprintf("SELECT a.id, a.title, a.source, a.url, a.published, "+
			"snippet({fts}, -1, '[', ']', '…', %d), %s "+
			"FROM {fts} JOIN articles a ON a.seq = {fts}.rowid "+
			"WHERE {fts} MATCH ?2 AND {fts}.rowid = ?1", snippetTokens, copiesCount)
	}
	stmts := map[int64]*sql.Stmt{} // by generation
	defer func() {
		for _, s := range stmts {
			s.Close()
		}
	}()
	for _, p := range page {
		var g generation
		args := []any{p.seq}
		if q.hasQuery {
			var ok bool
			if g, ok = generationOf(q.gens, p.seq); !ok {
				continue
			}
			args = append(args, q.args[0]) // the MATCH expression
		}
		stmt := stmts[g.n]
		if stmt == nil {
			var err error
			if stmt, err = tx.PrepareContext(ctx, q.in(g, cols)); err != nil {
				return nil, fmt.Errorf("sqlite: search: %w", err)
			}
			stmts[g.n] = stmt
		}
		var h detente.SearchHit
		err := stmt.QueryRowContext(ctx, args...).Scan(&h.ArticleID, &h.Title, &h.Source, &h.URL, &h.Published, &h.Snippet, &h.Copies)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("sqlite: search: %w", err)
		}
		if !q.hasQuery {
			h.Snippet = leadSnippet(h.Snippet, snippetTokens)
		}
		h.Score = p.score
		hits = append(hits, h)
	}
	return hits, nil
}

// readHitsOnePass reads a page of an unfiltered query's hits with one
// evaluation of the match over the page's rowid range, where a lookup per
// hit set the whole match up again each time (seeking every term in every
// segment: half of a search's time). The range holds few other matches:
// a first page's hits are among the rankWindow newest matches, a later
// page's follow each other.
func (q *compiled) readHitsOnePass(ctx context.Context, tx *sql.Tx, page []scored) ([]detente.SearchHit, error) {
	gens, seqs := q.byGeneration(page)
	byseq := make(map[int64]detente.SearchHit, len(page))
	for _, g := range gens {
		lo, hi := seqs[g.n][0], seqs[g.n][0]
		for _, s := range seqs[g.n] {
			lo, hi = min(lo, s), max(hi, s)
		}
		list, _ := json.Marshal(seqs[g.n])
		// Materialized so that SQLite walks the FTS index once and does
		// not turn the join around into a lookup per article.
		query := fmt.Sprintf("WITH h AS MATERIALIZED (SELECT {fts}.rowid AS seq, snippet({fts}, -1, '[', ']', '…', %d) AS snippet "+
			"FROM {fts} WHERE {fts} MATCH ?1 AND {fts}.rowid BETWEEN ?2 AND ?3 "+
			"AND +{fts}.rowid IN (SELECT value FROM json_each(?4))) "+
			"SELECT h.seq, a.id, a.title, a.source, a.url, a.published, h.snippet, %s FROM h JOIN articles a ON a.seq = h.seq",
			snippetTokens, copiesCount)
		err := scanAll(ctx, tx, q.in(g, query), []any{q.args[0], lo, hi, string(list)}, func(r *sql.Rows) error {
			var seq int64
			var h detente.SearchHit
			if err := r.Scan(&seq, &h.ArticleID, &h.Title, &h.Source, &h.URL, &h.Published, &h.Snippet, &h.Copies); err != nil {
				return err
			}
			byseq[seq] = h
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	hits := make([]detente.SearchHit, 0, len(page))
	for _, p := range page {
		if h, ok := byseq[p.seq]; ok {
			h.Score = p.score
			hits = append(hits, h)
		}
	}
	return hits, nil
}

// bestMatches returns the seqs of a filter's facetMatches best matches,
// in Search's order.
func (db *DB) bestMatches(ctx context.Context, tx *sql.Tx, q *compiled) ([]scored, error) {
	if !q.hasQuery {
		return q.newestPage(ctx, tx, facetMatches, 0)
	}
	if err := q.chooseDateSide(ctx, tx); err != nil {
		return nil, err
	}
	if err := q.loadGenerations(ctx, tx); err != nil {
		return nil, err
	}
	r, err := db.bestRanked(ctx, tx, q)
	return r.top, err
}

// ranking is a query's facetMatches best matches and how many match.
type ranking struct {
	top   []scored
	total int
}

// bestRanked ranks a query's matches. The search page asks for them
// three times at once (its hits and two facets), so concurrent calls for
// the same filter share one ranking; nothing is kept after it, so every
// search sees the store as it is.
func (db *DB) bestRanked(ctx context.Context, tx *sql.Tx, q *compiled) (ranking, error) {
	key := fmt.Sprintf("%s %q", q.whereSQL(), q.args)
	return db.ranks.do(ctx, key, func() (ranking, error) {
		if q.filtered() {
			return q.rankListed(ctx, tx)
		}
		var r ranking
		var err error
		if r.total, err = q.count(ctx, tx); err != nil {
			return r, err
		}
		floor, ranked := int64(0), r.total
		if r.total > rankWindow {
			if floor, err = q.rankFloor(ctx, tx); err != nil {
				return r, err
			}
			ranked = rankWindow
		}
		r.top, err = q.rankedPage(ctx, tx, facetMatches, 0, floor, ranked)
		return r, err
	})
}

// filtered reports whether a query has conditions besides its words.
func (q *compiled) filtered() bool {
	return len(q.where) > 1 || q.dates != nil || len(q.sets) > 0
}

// rankListed ranks a query with filters: its matches are listed once,
// newest first, which counts them and finds the rank window, and the
// window is then ranked by its seqs. Each filter's list of articles is
// read once this way, where counting, finding the window and ranking
// each read them again.
func (q *compiled) rankListed(ctx context.Context, tx *sql.Tx) (ranking, error) {
	var r ranking
	var ids []int64 // the window, then the older matches the top needs
	want := max(rankWindow, facetMatches, totalLimit+1)
	for _, g := range q.gens {
		if r.total >= want {
			break
		}
		err := scanAll(ctx, tx, q.in(g, "SELECT {fts}.rowid "+q.from()+" "+q.whereSQL()+" ORDER BY {fts}.rowid DESC LIMIT "+
			strconv.Itoa(want-r.total)),
			q.args, func(rows *sql.Rows) error {
				r.total++
				if len(ids) < max(rankWindow, facetMatches) {
					var seq int64
					err := rows.Scan(&seq)
					ids = append(ids, seq)
					return err
				}
				return nil
			})
		if err != nil {
			return r, err
		}
	}
	r.total = min(r.total, totalLimit+1)
	if len(ids) == 0 {
		return r, nil
	}
	window, rest := ids[:min(len(ids), rankWindow)], ids[min(len(ids), rankWindow):]
	// score ranks seqs generation by generation, each keeping its limit
	// best in order.
	score := func(seqs []int64, order string, limit int) ([]scored, error) {
		var out []scored
		page := make([]scored, len(seqs))
		for i, s := range seqs {
			page[i].seq = s
		}
		gens, byGen := q.byGeneration(page)
		for _, g := range gens {
			list, _ := json.Marshal(byGen[g.n])
			err := scanAll(ctx, tx, q.in(g, fmt.Sprintf("WITH m AS MATERIALIZED (SELECT {fts}.rowid, %s "+
				"FROM {fts} WHERE {fts} MATCH ?1 AND {fts}.rowid >= %d AND "+
				"+{fts}.rowid IN (SELECT value FROM json_each(?2))) SELECT * FROM m ORDER BY %s LIMIT %d",
				bm25, slices.Min(byGen[g.n]), order, limit)),
				[]any{q.args[0], string(list)}, scanScored(&out))
			if err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	best, err := score(window, "2, 1", facetMatches)
	if err != nil {
		return r, err
	}
	sortScored(best)
	r.top = best[:min(len(best), facetMatches)]
	if n := facetMatches - len(r.top); n > 0 && len(rest) > 0 {
		older, err := score(rest[:min(n, len(rest))], "1 DESC", n)
		if err != nil {
			return r, err
		}
		// Generations come newest first, each newest first within.
		r.top = append(r.top, older...)
	}
	return r, nil
}

// rankFlights are the rankings under way, by filter.
type rankFlights struct {
	mu sync.Mutex
	m  map[string]*rankFlight
}

type rankFlight struct {
	done chan struct{}
	r    ranking
	err  error
}

// do runs rank, or waits for the same key's run under way and takes its
// result. A caller whose own context is still live ranks again if the run
// it waited for failed (its caller may have given up).
func (f *rankFlights) do(ctx context.Context, key string, rank func() (ranking, error)) (ranking, error) {
	f.mu.Lock()
	if c, ok := f.m[key]; ok {
		f.mu.Unlock()
		select {
		case <-c.done:
		case <-ctx.Done():
			return ranking{}, ctx.Err()
		}
		if c.err == nil {
			return c.r, nil
		}
		return rank()
	}
	if f.m == nil {
		f.m = map[string]*rankFlight{}
	}
	c := &rankFlight{done: make(chan struct{})}
	f.m[key] = c
	f.mu.Unlock()
	c.r, c.err = rank()
	f.mu.Lock()
	delete(f.m, key)
	f.mu.Unlock()
	close(c.done)
	return c.r, c.err
}

// compiled is a SearchFilter as SQL: the FROM and WHERE clauses that
// select the matching articles (alias a) and their numbered parameters.
type compiled struct {
	hasQuery bool
	// none is set when the query had no searchable word: nothing matches.
	none  bool
	where []string
	args  []any
	// sets are the entity and country conditions; probe says to test
	// each candidate for them rather than list their articles.
	sets  []entitySet
	probe bool
	dates *dateRange
	// gens are the index's generations, newest first (with a query).
	gens []generation
}

// loadGenerations reads the index's generations for a query.
func (q *compiled) loadGenerations(ctx context.Context, tx *sql.Tx) error {
	if !q.hasQuery || q.gens != nil {
		return nil
	}
	gens, err := loadGenerations(ctx, tx)
	if err != nil {
		return err
	}
	q.gens = append(make([]generation, 0, len(gens)), gens...)
	return nil
}

// in is SQL over generation g: its table in place of {fts}.
func (q *compiled) in(g generation, sql string) string {
	return strings.ReplaceAll(sql, "{fts}", g.table())
}

// arg adds a parameter and returns its ?N. Every parameter is numbered so
// a clause can use its value twice; the MATCH expression, when there is
// one, is always ?1.
func (q *compiled) arg(v any) string {
	q.args = append(q.args, v)
	return fmt.Sprintf("?%d", len(q.args))
}

// from is the FTS index alone with a query, one generation's ({fts}; a
// lookup of each match's article row cost 80 ms per 10,000 matches), else
// the articles.
func (q *compiled) from() string {
	if q.hasQuery {
		return "FROM {fts}"
	}
	return "FROM articles a"
}

// seq is the column of a match's article seq in from().
func (q *compiled) seq() string {
	if q.hasQuery {
		return "{fts}.rowid"
	}
	return "a.seq"
}

func (q *compiled) whereSQL() string {
	conds := slices.Clone(q.where)
	if q.dates != nil {
		conds = append(conds, q.dates.condition(q.hasQuery))
	}
	for _, set := range q.sets {
		if q.probe {
			conds = append(conds, set.probe)
		} else {
			conds = append(conds, set.list)
		}
	}
	if len(conds) == 0 {
		return ""
	}
	return "WHERE " + strings.ReplaceAll(strings.Join(conds, " AND "), "{seq}", q.seq())
}

// compileFilter turns a filter's conditions (not its limit and offset)
// into SQL. User input only ever reaches SQLite as bound parameters.
func compileFilter(f detente.SearchFilter) (*compiled, error) {
	for _, d := range []string{f.From, f.To} {
		if d != "" && !datePrefix.MatchString(d) {
			return nil, detente.Errorf(detente.EINVALID, "date %q is not YYYY-MM-DD", d)
		}
	}
	q := &compiled{hasQuery: strings.TrimSpace(f.Query) != ""}
	if q.hasQuery {
		match := FTSQuery(f.Query)
		if match == "" {
			q.none = true
			return q, nil
		}
		q.where = append(q.where, "{fts} MATCH "+q.arg(match))
	}
	// Every condition is a list of articles, read once from an index and
	// looked up per candidate: with a query, the FTS index alone drives
	// the search (no article row is read per match). The unary plus
	// keeps SQLite from turning a list into one FTS5 lookup per article
	// listed, each evaluating the whole query again (47 s for a country
	// in 30,000 of 100,000 articles), or from driving a listing by date
	// from the list rather than from the date index.
	if src := strings.TrimSpace(f.Source); src != "" {
		q.where = append(q.where, "+{seq} IN (SELECT s.seq FROM copies c JOIN articles s ON s.id = c.story_id WHERE c.source = "+
			q.arg(src)+")")
	}
	// A date at its precision is a range of the published index: from
	// "2017" is published >= "2017", to "2017-05" is published before
	// "2017-05" followed by the highest code point.
	if f.From != "" || f.To != "" {
		q.dates = &dateRange{from: q.arg(f.From), to: q.arg(f.To + highest), args: []any{f.From, f.To + highest}}
		if f.To == "" {
			q.dates.to = ""
			q.args = q.args[:len(q.args)-1]
			q.dates.args = q.dates.args[:1]
		}
	}
	// The entity lists are read from their indexes once and probed per
	// article, rather than looking up each candidate's entities (but see
	// chooseProbes).
	if e := strings.TrimSpace(f.Entity); e != "" {
		name, actor := q.arg(e), q.arg(strings.ToUpper(e))
		q.sets = append(q.sets, entitySet{
			list: "+{seq} IN (SELECT article_seq FROM entities WHERE name = " + name +
				" UNION SELECT article_seq FROM entities WHERE actor = " + actor + ")",
			probe: "(EXISTS (SELECT 1 FROM entities WHERE name = " + name + " AND article_seq = {seq})" +
				" OR EXISTS (SELECT 1 FROM entities WHERE actor = " + actor + " AND article_seq = {seq}))",
			where: "name = ?1 OR actor = ?2", args: []any{e, strings.ToUpper(e)}})
	}
	if c := strings.TrimSpace(f.Country); c != "" {
		country := q.arg(strings.ToUpper(c))
		q.sets = append(q.sets, entitySet{
			list:  "+{seq} IN (SELECT article_seq FROM entities WHERE country = " + country + ")",
			probe: "EXISTS (SELECT 1 FROM entities WHERE country = " + country + " AND article_seq = {seq})",
			where: "country = ?1", args: []any{strings.ToUpper(c)}})
	}
	return q, nil
}

// dateRange is a From/To condition: its parameters (to is "" when open)
// and their values.
type dateRange struct {
	from, to string
	args     []any
	// outside says to test matches against the articles outside the
	// range, the shorter list when most of the store is in it.
	outside bool
}

// inRange is the SQL for a dated article in the range, over column col.
func (d *dateRange) inRange(col string) string {
	c := col + " <> '' AND " + col + " >= " + d.from
	if d.to != "" {
		c += " AND " + col + " < " + d.to
	}
	return c
}

// condition is the range as a condition on a match's seq (with a query)
// or on the article a.
func (d *dateRange) condition(hasQuery bool) string {
	switch {
	case !hasQuery:
		return d.inRange("a.published") // the published index serves it
	case d.outside:
		c := "published = '' OR published < " + d.from
		if d.to != "" {
			c += " OR published >= " + d.to
		}
		return "+{seq} NOT IN (SELECT seq FROM articles WHERE " + c + ")"
	}
	return "+{seq} IN (SELECT seq FROM articles WHERE " + d.inRange("published") + ")"
}

// chooseDateSide decides whether a query's date range is tested against
// the articles in it or those outside it: whichever list is shorter, as
// building the list is most of such a search's time (from 2017 in a
// store from 2015 to 2024: 80,000 articles in, 20,000 out).
func (q *compiled) chooseDateSide(ctx context.Context, tx *sql.Tx) error {
	if !q.hasQuery || q.dates == nil {
		return nil
	}
	// The parameters are renumbered from 1 for this count alone.
	d := *q.dates
	d.from, d.to = "?1", ""
	if len(d.args) > 1 {
		d.to = "?2"
	}
	var in, all int
	if err := tx.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM articles WHERE "+d.inRange("published")+
		"), (SELECT count(*) FROM articles)", d.args...).Scan(&in, &all); err != nil {
		return fmt.Errorf("sqlite: search: %w", err)
	}
	q.dates.outside = in > all-in
	return nil
}

// entitySet is an entity or country condition: as a list of the articles
// that have it, as a test of one article, and its mentions to count.
type entitySet struct {
	list, probe string
	where       string
	args        []any
}

// probeFrom is how many mentions make an entity condition common enough
// that newestPage probes each article for it instead of listing them all
// (a variable so tests can lower it).
var probeFrom = 5000

// chooseProbes decides, for a listing by date, whether to test the newest
// articles one by one for the entity conditions: when every one of them
// has probeFrom mentions or more, the first page comes after a few
// hundred probes, where listing every mention of a common entity (a
// country in most articles) reads hundreds of thousands.
func (q *compiled) chooseProbes(ctx context.Context, tx *sql.Tx) error {
	if len(q.sets) == 0 {
		return nil
	}
	for _, set := range q.sets {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM entities WHERE "+set.where+
			" LIMIT "+strconv.Itoa(probeFrom)+")", set.args...).Scan(&n); err != nil {
			return fmt.Errorf("sqlite: search: %w", err)
		}
		if n < probeFrom {
			return nil
		}
	}
	q.probe = true
	return nil
}

// copiesCount is the SQL for how many copies a hit's story has.
const copiesCount = "(SELECT count(*) FROM copies c WHERE c.story_id = a.id)"

// leadSnippet is the snippet of a hit found without a query: the body's
// first words.
func leadSnippet(body string, words int) string {
	f := strings.Fields(body)
	if len(f) <= words {
		return strings.Join(f, " ")
	}
	return strings.Join(f[:words], " ") + "…"
}

// FTSQuery turns a user's search words into a safe FTS5 query: each word
// becomes a quoted FTS5 string (so operators and punctuation in it are
// text, not syntax), a "quoted phrase" stays a phrase, a word ending in *
// becomes a prefix query, and all of them must match. Words with no letter
// or digit are dropped; "" means nothing searchable was left.
func FTSQuery(q string) string {
	var terms []string
	add := func(text string, prefix bool) {
		if len(terms) >= maxTerms || !searchable(text) {
			return
		}
		t := `"` + strings.ReplaceAll(text, `"`, `""`) + `"`
		if prefix {
			t += "*"
		}
		terms = append(terms, t)
	}
	// FTS5 reads its query as a C string: a NUL would end it inside a
	// quoted term ("unterminated string"). No control character is part
	// of a word, so each separates words.
	rs := []rune(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, q))
	for i := 0; i < len(rs); {
		switch r := rs[i]; {
		case unicode.IsSpace(r):
			i++
		case r == '"':
			j := i + 1
			for j < len(rs) && rs[j] != '"' {
				j++
			}
			add(string(rs[i+1:j]), false)
			i = j + 1
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && rs[j] != '"' {
				j++
			}
			w := string(rs[i:j])
			prefix := strings.HasSuffix(w, "*")
			add(strings.TrimRight(w, "*"), prefix)
			i = j
		}
	}
	return strings.Join(terms, " ")
}

// searchable reports whether s has a letter or digit, which is what the
// unicode61 tokenizer makes tokens of.
func searchable(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return true
		}
	}
	return false
}
