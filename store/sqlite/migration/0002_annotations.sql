-- 0002: the annotation layer (issue 3).
--
-- Annotations belong to an original article (a copy's body is the
-- original's, or nearly, and its offsets are into the original's body), so
-- every table here hangs off articles(seq) and a copy adds nothing. An
-- annotated article has exactly one annotations row and all of its
-- entities, times and quotes rows, written in the transaction that stores
-- the article or replaces its annotations; an article without an
-- annotations row was not annotated (for instance, stored by version 1).

-- The whole detente.Annotations as JSON: what `show --json` and the web
-- layer return, sentences and acronyms included. The tables below are
-- indexes into it for searching, not a second source of truth.
CREATE TABLE annotations (
    article_seq  INTEGER PRIMARY KEY REFERENCES articles(seq) ON DELETE CASCADE,
    json         TEXT NOT NULL,
    -- How many rows of each table below belong to it, so a check can
    -- tell a whole annotation from a partial one.
    entity_count INTEGER NOT NULL,
    time_count   INTEGER NOT NULL,
    quote_count  INTEGER NOT NULL,
    annotated_at TEXT NOT NULL
);

-- One row per entity mention, in the order the annotator gave them.
-- canonical is as annotated (may be ''); name is what search and facets
-- group by: canonical, else the mention's text, so an entity the knowledge
-- base does not know is still findable by name. Both compare without
-- ASCII case. lat and lon are NULL for a mention that is not a place.
CREATE TABLE entities (
    article_seq INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE,
    pos         INTEGER NOT NULL,
    span_start  INTEGER NOT NULL,
    span_end    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    type        TEXT NOT NULL DEFAULT '',
    canonical   TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
    name        TEXT NOT NULL COLLATE NOCASE,
    actor       TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL DEFAULT '',
    lat         REAL,
    lon         REAL,
    source      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_seq, pos)
) WITHOUT ROWID;
-- Each index ends in article_seq so a filter reads matching articles from
-- the index alone. name is the canonical-name index (canonical itself is
-- not indexed separately: name equals it whenever it is set, and every
-- index slows the batch insert); it also carries what the entity facet
-- reports, so a facet over many articles is one scan of it (50 ms rather
-- than 260 over 150,000 mentions).
CREATE INDEX entities_name ON entities(name, article_seq, type, actor, country);
CREATE INDEX entities_actor ON entities(actor, article_seq);
CREATE INDEX entities_country ON entities(country, article_seq);
CREATE INDEX entities_type ON entities(type, article_seq);

-- Time expressions: value is the TIMEX3-style value, indexed so events can
-- later be dated and articles found by the dates they talk about.
CREATE TABLE times (
    article_seq INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE,
    pos         INTEGER NOT NULL,
    span_start  INTEGER NOT NULL,
    span_end    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    value       TEXT NOT NULL DEFAULT '',
    value_end   TEXT NOT NULL DEFAULT '',
    type        TEXT NOT NULL DEFAULT '',
    unresolved  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_seq, pos)
) WITHOUT ROWID;
CREATE INDEX times_value ON times(value, article_seq);

-- Direct quotes with their speaker: who said what, findable by actor code.
CREATE TABLE quotes (
    article_seq INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE,
    pos         INTEGER NOT NULL,
    span_start  INTEGER NOT NULL,
    span_end    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    speaker     TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
    actor       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_seq, pos)
) WITHOUT ROWID;
CREATE INDEX quotes_actor ON quotes(actor, article_seq);
CREATE INDEX quotes_speaker ON quotes(speaker, article_seq);
