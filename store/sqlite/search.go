package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
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

// Search runs a ranked full-text search over titles and bodies and returns
// one page of hits and the total number of matches.
//
// The query is read as words, "quoted phrases" and word* prefixes, all of
// which must match; it is rebuilt as an FTS5 expression of quoted strings,
// so FTS5 operators (OR, NOT, NEAR, column filters, ^) in it are searched
// as plain words and cannot error or widen the search. A query with no
// searchable word (only punctuation) matches nothing. An empty query with
// filters lists stories by publication date, newest first.
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
	hasQuery, whereSQL := q.hasQuery, q.whereSQL()

	// The page is chosen first from keys and scores alone, and only its
	// rows are then read in full: SQLite computes every result column
	// before sorting, so asking for snippets (or bodies) in the ranking
	// query would build one for every match, not just for the page.
	from := q.from()
	// Without a query the published index serves the order ('' sorts
	// last when descending) and the total is a separate count.
	pageSQL := "SELECT a.seq, 0.0, -1 " + from + " " + whereSQL +
		" ORDER BY a.published DESC, a.seq DESC LIMIT " + q.arg(limit) + " OFFSET " + q.arg(offset)
	detail := "SELECT a.seq, a.id, a.title, a.source, a.url, a.published, substr(a.body, 1, 1000), " +
		copiesCount + " FROM articles a WHERE a.seq IN (SELECT value FROM json_each(?1))"
	if hasQuery {
		// Ranking must look at every match anyway, so the total comes
		// from a window over them; they are materialized first because
		// FTS5's functions cannot run inside a window query.
		pageSQL = fmt.Sprintf("WITH m AS MATERIALIZED (SELECT a.seq, bm25(articles_fts, %g, %g) AS score %s %s) "+
			"SELECT seq, score, count(*) OVER () FROM m ORDER BY score, seq LIMIT ?%d OFFSET ?%d",
			titleWeight, bodyWeight, from, whereSQL, len(q.args)-1, len(q.args))
		// FTS5 cannot seek to a list of rowids, so this evaluates the
		// match once and filters; snippet() runs for the page's rows only.
		detail = fmt.Sprintf("SELECT a.seq, a.id, a.title, a.source, a.url, a.published, "+
			"snippet(articles_fts, -1, '[', ']', '…', %d), %s "+
			"FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid "+
			"WHERE articles_fts MATCH ?2 AND articles_fts.rowid IN (SELECT value FROM json_each(?1))",
			snippetTokens, copiesCount)
	}

	tx, err := db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: begin read: %w", err)
	}
	defer tx.Rollback()

	total := -1
	var seqs []int64
	scores := map[int64]float64{}
	if err := scanAll(ctx, tx, pageSQL, q.args, func(r *sql.Rows) error {
		var seq int64
		var score float64
		err := r.Scan(&seq, &score, &total)
		seqs = append(seqs, seq)
		scores[seq] = score
		return err
	}); err != nil {
		return nil, 0, err
	}
	args := q.args[:len(q.args)-2] // drop limit and offset
	if total < 0 {
		// No window count: no query, or an empty page, which says nothing
		// about the total.
		if err := tx.QueryRowContext(ctx, "SELECT count(*) "+from+" "+whereSQL, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("sqlite: search: %w", err)
		}
	}
	if len(seqs) == 0 {
		return []detente.SearchHit{}, total, nil
	}

	list, _ := json.Marshal(seqs)
	dargs := []any{string(list)}
	if hasQuery {
		dargs = append(dargs, args[0]) // the MATCH expression
	}
	byseq := make(map[int64]detente.SearchHit, len(seqs))
	if err := scanAll(ctx, tx, detail, dargs, func(r *sql.Rows) error {
		var seq int64
		var h detente.SearchHit
		err := r.Scan(&seq, &h.ArticleID, &h.Title, &h.Source, &h.URL, &h.Published, &h.Snippet, &h.Copies)
		if !hasQuery {
			h.Snippet = leadSnippet(h.Snippet, snippetTokens)
		}
		h.Score = scores[seq]
		byseq[seq] = h
		return err
	}); err != nil {
		return nil, 0, err
	}
	hits := make([]detente.SearchHit, 0, len(seqs))
	for _, seq := range seqs {
		if h, ok := byseq[seq]; ok {
			hits = append(hits, h)
		}
	}
	return hits, total, nil
}

// compiled is a SearchFilter as SQL: the FROM and WHERE clauses that
// select the matching articles (alias a) and their numbered parameters.
type compiled struct {
	hasQuery bool
	// none is set when the query had no searchable word: nothing matches.
	none  bool
	where []string
	args  []any
}

// arg adds a parameter and returns its ?N. Every parameter is numbered so
// a clause can use its value twice; the MATCH expression, when there is
// one, is always ?1.
func (q *compiled) arg(v any) string {
	q.args = append(q.args, v)
	return fmt.Sprintf("?%d", len(q.args))
}

func (q *compiled) from() string {
	if q.hasQuery {
		return "FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
	}
	return "FROM articles a"
}

func (q *compiled) whereSQL() string {
	if len(q.where) == 0 {
		return ""
	}
	return "WHERE " + strings.Join(q.where, " AND ")
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
		q.where = append(q.where, "articles_fts MATCH "+q.arg(match))
	}
	if src := strings.TrimSpace(f.Source); src != "" {
		q.where = append(q.where, "EXISTS (SELECT 1 FROM copies c WHERE c.story_id = a.id AND c.source = "+q.arg(src)+")")
	}
	if f.From != "" {
		p := q.arg(f.From)
		q.where = append(q.where, "a.published <> '' AND substr(a.published, 1, length("+p+")) >= "+p)
	}
	if f.To != "" {
		p := q.arg(f.To)
		q.where = append(q.where, "a.published <> '' AND substr(a.published, 1, length("+p+")) <= "+p)
	}
	// The entity lists are read from their indexes once and probed per
	// article, rather than looking up each candidate's entities.
	if e := strings.TrimSpace(f.Entity); e != "" {
		q.where = append(q.where, "a.seq IN (SELECT article_seq FROM entities WHERE name = "+q.arg(e)+
			" UNION SELECT article_seq FROM entities WHERE actor = "+q.arg(strings.ToUpper(e))+")")
	}
	if c := strings.TrimSpace(f.Country); c != "" {
		q.where = append(q.where, "a.seq IN (SELECT article_seq FROM entities WHERE country = "+q.arg(strings.ToUpper(c))+")")
	}
	return q, nil
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
