package postgres

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/detente/detente"
	"github.com/jackc/pgx/v5"
)

// Search limits, as in the SQLite store.
const (
	DefaultLimit = 20
	MaxLimit     = 1000
	maxTerms     = 32
	// snippetWords is how many words a snippet shows around the matches.
	snippetWords = 24
)

// rankWeights weighs ts_rank_cd's classes {D, C, B, A}: the title (A)
// counts five times the body (D), as the SQLite store's BM25 weights do.
// Normalization 1 divides by 1 + log(length), so a long article does not
// win by length alone, as BM25's length normalization intends.
const rankSQL = `ts_rank_cd('{0.2, 0.2, 0.2, 1.0}', a.fts, q.q, 1)`

// headlineOptions make ts_headline mark matches as the SQLite store's
// snippets do.
const headlineOptions = `StartSel=[, StopSel=], MaxWords=24, MinWords=12, ShortWord=0, HighlightAll=false, MaxFragments=1, FragmentDelimiter=…`

var datePrefix = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

// compiled is a SearchFilter as SQL over articles a (and q, the query).
type compiled struct {
	hasQuery bool
	none     bool
	tsquery  string // SQL making the query's tsquery
	// tsArgs are the tsquery's parameters, always the first ones.
	tsArgs int
	where  []string
	args   []any
}

func (q *compiled) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

func (q *compiled) from() string {
	if q.hasQuery {
		return "FROM articles a, (SELECT " + q.tsquery + " AS q) q"
	}
	return "FROM articles a"
}

func (q *compiled) whereSQL() string {
	if len(q.where) == 0 {
		return ""
	}
	return "WHERE " + strings.Join(q.where, " AND ")
}

// searchTerm is one term of a user's query.
type searchTerm struct {
	text   string
	prefix bool
}

// terms reads a user's query as the SQLite store's FTSQuery does: words,
// "quoted phrases" and word* prefixes, all of which must match; words
// with no letter or digit are dropped.
func terms(q string) []searchTerm {
	var out []searchTerm
	add := func(text string, prefix bool) {
		if len(out) >= maxTerms || !searchable(text) {
			return
		}
		out = append(out, searchTerm{text, prefix})
	}
	rs := []rune(q)
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
			add(strings.TrimRight(w, "*"), strings.HasSuffix(w, "*"))
			i = j
		}
	}
	return out
}

func searchable(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return true
		}
	}
	return false
}

// prefixQuery is a prefix term as to_tsquery syntax built only of its
// letters and digits, so nothing in it is read as an operator: the runs
// follow each other, the last a prefix ("u.s*" → u <-> s:*).
func prefixQuery(text string) string {
	runs := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
	return strings.Join(runs, " <-> ") + ":*"
}

// compileFilter turns a filter's conditions into SQL; user input reaches
// PostgreSQL only as bound parameters.
func compileFilter(f detente.SearchFilter) (*compiled, error) {
	for _, d := range []string{f.From, f.To} {
		if d != "" && !datePrefix.MatchString(d) {
			return nil, detente.Errorf(detente.EINVALID, "date %q is not YYYY-MM-DD", d)
		}
	}
	q := &compiled{hasQuery: strings.TrimSpace(f.Query) != ""}
	if q.hasQuery {
		ts := terms(f.Query)
		if len(ts) == 0 {
			q.none = true
			return q, nil
		}
		var parts []string
		for _, t := range ts {
			if t.prefix {
				parts = append(parts, "to_tsquery('detente_fts', "+q.arg(prefixQuery(pgText(t.text)))+")")
			} else {
				parts = append(parts, "phraseto_tsquery('detente_fts', "+q.arg(pgText(t.text))+")")
			}
		}
		q.tsquery = "(" + strings.Join(parts, " && ") + ")"
		q.tsArgs = len(q.args)
		q.where = append(q.where, "a.fts @@ q.q")
	}
	if src := strings.TrimSpace(f.Source); src != "" {
		q.where = append(q.where, "EXISTS (SELECT 1 FROM copies c WHERE c.story_id = a.id AND c.source_key = "+
			q.arg(asciiLower(pgText(src)))+")")
	}
	if f.From != "" {
		p := q.arg(f.From)
		q.where = append(q.where, "a.published <> '' AND substr(a.published, 1, length("+p+"::text)) >= "+p)
	}
	if f.To != "" {
		p := q.arg(f.To)
		q.where = append(q.where, "a.published <> '' AND substr(a.published, 1, length("+p+"::text)) <= "+p)
	}
	if e := strings.TrimSpace(f.Entity); e != "" {
		q.where = append(q.where, "a.seq IN (SELECT article_seq FROM entities WHERE name_key = "+q.arg(asciiLower(pgText(e)))+
			" UNION SELECT article_seq FROM entities WHERE actor = "+q.arg(strings.ToUpper(pgText(e)))+")")
	}
	if c := strings.TrimSpace(f.Country); c != "" {
		q.where = append(q.where, "a.seq IN (SELECT article_seq FROM entities WHERE country = "+q.arg(strings.ToUpper(pgText(c)))+")")
	}
	return q, nil
}

// copiesCount is how many copies a hit's story has.
const copiesCount = "(SELECT count(*) FROM copies c WHERE c.story_id = a.id)"

// Search runs a ranked full-text search over titles and bodies and
// returns one page of hits and the total number of matches (more than
// detente.SearchTotalLimit reported as one more than it), with the
// SQLite store's query language and filters (see sqlite.DB.Search). Hits
// rank by ts_rank_cd, best first; Score is its negation, so lower is
// better as with SQLite's BM25. Snippets come from ts_headline with the
// matches in [ and ].
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
	from, where := q.from(), q.whereSQL()
	nFilter := len(q.args)
	var pageSQL string
	if q.hasQuery {
		// Ranking looks at every match, so the total comes from a window.
		pageSQL = "SELECT a.seq, -" + rankSQL + " AS score, count(*) OVER () " + from + " " + where +
			" ORDER BY score, a.seq LIMIT " + q.arg(limit) + " OFFSET " + q.arg(offset)
	} else {
		// Without a query the published index serves the order.
		pageSQL = "SELECT a.seq, 0.0::float8, -1::bigint " + from + " " + where +
			" ORDER BY a.published DESC, a.seq DESC LIMIT " + q.arg(limit) + " OFFSET " + q.arg(offset)
	}
	var hits []detente.SearchHit
	total := -1
	err = db.readTx(ctx, func(tx pgx.Tx) error {
		var seqs []int64
		scores := map[int64]float64{}
		if err := scanAll(ctx, tx, pageSQL, q.args, func(r pgx.Rows) error {
			var seq int64
			var score float64
			var n int64
			err := r.Scan(&seq, &score, &n)
			seqs = append(seqs, seq)
			scores[seq] = score
			total = int(n)
			return err
		}); err != nil {
			return err
		}
		args := q.args[:nFilter]
		if total < 0 {
			if err := tx.QueryRow(ctx, "SELECT count(*) FROM (SELECT 1 "+from+" "+where+" LIMIT "+
				strconv.Itoa(detente.SearchTotalLimit+1)+") m", args...).Scan(&total); err != nil {
				return fmt.Errorf("postgres: search: %w", err)
			}
		}
		total = min(total, detente.SearchTotalLimit+1)
		hits = make([]detente.SearchHit, 0, len(seqs))
		if len(seqs) == 0 {
			return nil
		}
		// Details, and snippets, for the page's rows only.
		detail := "SELECT a.seq, a.id, a.title, a.source, a.url, a.published, substr(a.body, 1, 1000), '', " +
			copiesCount + " FROM articles a WHERE a.seq = ANY($1)"
		dargs := []any{seqs}
		if q.hasQuery {
			// The query's parameters keep their numbers; the page's seqs
			// come after them.
			dargs = append(append([]any{}, args[:q.tsArgs]...), seqs)
			detail = "SELECT a.seq, a.id, a.title, a.source, a.url, a.published, " +
				"ts_headline('detente_fts', a.body, q.q, '" + headlineOptions + "'), " +
				"ts_headline('detente_fts', a.title, q.q, '" + headlineOptions + "'), " + copiesCount +
				" " + from + " WHERE a.seq = ANY($" + strconv.Itoa(len(dargs)) + ")"
		}
		byseq := make(map[int64]detente.SearchHit, len(seqs))
		if err := scanAll(ctx, tx, detail, dargs, func(r pgx.Rows) error {
			var seq int64
			var h detente.SearchHit
			var titleSnippet string
			err := r.Scan(&seq, &h.ArticleID, &h.Title, &h.Source, &h.URL, &h.Published, &h.Snippet, &titleSnippet, &h.Copies)
			switch {
			case !q.hasQuery:
				h.Snippet = leadSnippet(h.Snippet, snippetWords)
			case !strings.Contains(h.Snippet, "[") && strings.Contains(titleSnippet, "["):
				// Only the title matched: show it, as FTS5's snippet
				// picks the column that matched.
				h.Snippet = titleSnippet
			}
			h.Score = scores[seq]
			byseq[seq] = h
			return err
		}); err != nil {
			return err
		}
		for _, seq := range seqs {
			if h, ok := byseq[seq]; ok {
				hits = append(hits, h)
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return hits, total, nil
}

// MaxFacet caps TopEntities.
const MaxFacet = 1000

// TopEntities returns the n entities mentioned by the most articles among
// the filter's best detente.FacetMatches matches (newest first without a
// query), then by mentions, then by name (ASCII case ignored), as the
// SQLite store does.
func (db *DB) TopEntities(ctx context.Context, f detente.SearchFilter, n int, types ...string) ([]detente.EntityCount, error) {
	if n <= 0 {
		n = DefaultLimit
	}
	n = min(n, MaxFacet)
	q, err := compileFilter(f)
	if err != nil {
		return nil, err
	}
	out := []detente.EntityCount{}
	if q.none {
		return out, nil
	}
	// The best FacetMatches matches in Search's order, as the SQLite
	// store counts: a facet's cost stays bounded on any store.
	order := "a.published DESC, a.seq DESC"
	if q.hasQuery {
		order = "-" + rankSQL + ", a.seq"
	}
	where := []string{"e.article_seq IN (SELECT a.seq " + q.from() + " " + q.whereSQL() + " ORDER BY " + order +
		" LIMIT " + strconv.Itoa(detente.FacetMatches) + ")"}
	if len(types) > 0 {
		where = append(where, "e.type = ANY("+q.arg(types)+"::text[])")
	}
	where = append(where, "e.name <> ''")
	// A row is a distinct entity of an article: its mentions are summed;
	// actor and country are NULL when it has none.
	query := `SELECT min(e.name), max(e.type), coalesce(max(e.actor), ''), coalesce(max(e.country), ''),
		count(DISTINCT e.article_seq), sum(e.mentions)
		FROM entities e WHERE ` + strings.Join(where, " AND ") + `
		GROUP BY e.name_key ORDER BY 5 DESC, 6 DESC, e.name_key LIMIT ` + q.arg(n)
	err = scanAll(ctx, db.pool, query, q.args, func(r pgx.Rows) error {
		var c detente.EntityCount
		err := r.Scan(&c.Name, &c.Type, &c.Actor, &c.Country, &c.Articles, &c.Mentions)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
