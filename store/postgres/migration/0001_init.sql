-- 0001: detente's whole schema on PostgreSQL, the same model as the
-- embedded SQLite store (see store/sqlite/migration): articles hold
-- originals only, every article ID ever stored has one copies row, and
-- events merge their mentions GDELT 2.0-style.
--
-- Text columns that are sorted or compared by range use COLLATE "C" so
-- they order by code point as SQLite does, whatever the database's
-- locale. SQLite's COLLATE NOCASE (ASCII case only) is a *_key column the
-- store fills with the ASCII-lower-cased value.

-- Full-text configuration: English Snowball stemming like FTS5's porter
-- tokenizer, but without a stop-word list, because FTS5 indexes every
-- word: "the" and "will" stay searchable and phrases keep their words.
CREATE TEXT SEARCH DICTIONARY detente_stem (TEMPLATE = snowball, Language = english);
CREATE TEXT SEARCH CONFIGURATION detente_fts (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION detente_fts
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH detente_stem;

CREATE TABLE sources (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL,
    name_key   text COLLATE "C" NOT NULL UNIQUE,
    first_seen text NOT NULL
);

-- fts is the weighted document: title as A (ranked five times the body,
-- as the SQLite store's BM25 weights do), body as D.
CREATE TABLE articles (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          text NOT NULL UNIQUE,
    url         text NOT NULL DEFAULT '',
    source      text NOT NULL DEFAULT '',
    title       text NOT NULL DEFAULT '',
    author      text NOT NULL DEFAULT '',
    published   text COLLATE "C" NOT NULL DEFAULT '',
    crawled     text NOT NULL DEFAULT '',
    language    text NOT NULL DEFAULT '',
    body        text NOT NULL DEFAULT '',
    text_from   text NOT NULL DEFAULT '',
    exact_hash  text NOT NULL DEFAULT '',
    signature   bytea,
    ingested_at text NOT NULL,
    fts         tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('detente_fts', title), 'A') ||
        setweight(to_tsvector('detente_fts', body), 'D')) STORED
);
CREATE INDEX articles_exact_hash ON articles (exact_hash);
CREATE INDEX articles_published ON articles (published, seq);
CREATE INDEX articles_fts ON articles USING gin (fts);

CREATE TABLE captions (
    article_seq bigint NOT NULL REFERENCES articles (seq) ON DELETE CASCADE,
    pos         integer NOT NULL,
    text        text NOT NULL,
    credit      text NOT NULL DEFAULT '',
    PRIMARY KEY (article_seq, pos)
);

CREATE TABLE tags (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name     text NOT NULL,
    name_key text COLLATE "C" NOT NULL UNIQUE
);

CREATE TABLE article_tags (
    article_seq bigint NOT NULL REFERENCES articles (seq) ON DELETE CASCADE,
    tag_id      bigint NOT NULL REFERENCES tags (id),
    pos         integer NOT NULL,
    PRIMARY KEY (article_seq, tag_id)
);
CREATE INDEX article_tags_tag ON article_tags (tag_id);

CREATE TABLE stories (
    id         text PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    created_at text NOT NULL
);

CREATE TABLE copies (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id  text NOT NULL UNIQUE,
    story_id    text NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    source      text NOT NULL DEFAULT '',
    source_key  text COLLATE "C" NOT NULL DEFAULT '',
    url         text NOT NULL DEFAULT '',
    title       text NOT NULL DEFAULT '',
    published   text COLLATE "C" NOT NULL DEFAULT '',
    kind        text NOT NULL CHECK (kind IN ('original', 'exact', 'near')),
    similarity  double precision NOT NULL,
    exact_hash  text NOT NULL DEFAULT '',
    ingested_at text NOT NULL
);
CREATE INDEX copies_story ON copies (story_id);
CREATE INDEX copies_source ON copies (source_key, story_id);
CREATE INDEX copies_exact_hash ON copies (exact_hash) WHERE exact_hash <> '';

-- LSH band keys of originals, uint64 stored bit for bit as bigint.
CREATE TABLE lsh_bands (
    band_key    bigint NOT NULL,
    article_seq bigint NOT NULL REFERENCES articles (seq) ON DELETE CASCADE,
    PRIMARY KEY (band_key, article_seq)
);
CREATE INDEX lsh_bands_article ON lsh_bands (article_seq);

CREATE TABLE annotations (
    article_seq  bigint PRIMARY KEY REFERENCES articles (seq) ON DELETE CASCADE,
    json         jsonb NOT NULL,
    entity_count integer NOT NULL,
    time_count   integer NOT NULL,
    quote_count  integer NOT NULL,
    annotated_at text NOT NULL
);

-- name is canonical, else the mention's text; name_key its ASCII
-- lower case, which search and facets group and compare by.
CREATE TABLE entities (
    article_seq bigint NOT NULL REFERENCES articles (seq) ON DELETE CASCADE,
    pos         integer NOT NULL,
    span_start  integer NOT NULL,
    span_end    integer NOT NULL,
    text        text NOT NULL,
    type        text COLLATE "C" NOT NULL DEFAULT '',
    canonical   text NOT NULL DEFAULT '',
    name        text COLLATE "C" NOT NULL,
    name_key    text COLLATE "C" NOT NULL,
    actor       text COLLATE "C" NOT NULL DEFAULT '',
    country     text COLLATE "C" NOT NULL DEFAULT '',
    lat         double precision,
    lon         double precision,
    source      text NOT NULL DEFAULT '',
    PRIMARY KEY (article_seq, pos)
);
CREATE INDEX entities_name ON entities (name_key, article_seq);
CREATE INDEX entities_actor ON entities (actor, article_seq);
CREATE INDEX entities_country ON entities (country, article_seq);

CREATE TABLE times (
    article_seq bigint NOT NULL REFERENCES articles (seq) ON DELETE CASCADE,
    pos         integer NOT NULL,
    span_start  integer NOT NULL,
    span_end    integer NOT NULL,
    text        text NOT NULL,
    value       text NOT NULL DEFAULT '',
    value_end   text NOT NULL DEFAULT '',
    type        text NOT NULL DEFAULT '',
    unresolved  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (article_seq, pos)
);
CREATE INDEX times_value ON times (value, article_seq);

CREATE TABLE quotes (
    article_seq bigint NOT NULL REFERENCES articles (seq) ON DELETE CASCADE,
    pos         integer NOT NULL,
    span_start  integer NOT NULL,
    span_end    integer NOT NULL,
    text        text NOT NULL,
    speaker     text NOT NULL DEFAULT '',
    actor       text NOT NULL DEFAULT '',
    PRIMARY KEY (article_seq, pos)
);
CREATE INDEX quotes_actor ON quotes (actor, article_seq);

-- Events: one row per (source, target, cameo, date); counts kept equal to
-- their mentions by the transaction that changes them.
CREATE TABLE events (
    seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id           text NOT NULL UNIQUE,
    source       text COLLATE "C" NOT NULL DEFAULT '',
    target       text COLLATE "C" NOT NULL DEFAULT '',
    cameo        text COLLATE "C" NOT NULL,
    base         text COLLATE "C" NOT NULL,
    root         text COLLATE "C" NOT NULL,
    quad         integer NOT NULL,
    goldstein    double precision NOT NULL,
    plover       text COLLATE "C" NOT NULL DEFAULT '',
    mode         text NOT NULL DEFAULT '',
    negated      boolean NOT NULL DEFAULT false,
    date         text COLLATE "C" NOT NULL DEFAULT '',
    loc_name     text NOT NULL DEFAULT '',
    loc_country  text COLLATE "C" NOT NULL DEFAULT '',
    loc_lat      double precision,
    loc_lon      double precision,
    num_mentions integer NOT NULL DEFAULT 0,
    num_sources  integer NOT NULL DEFAULT 0,
    num_articles integer NOT NULL DEFAULT 0,
    first_seen   text COLLATE "C" NOT NULL,
    UNIQUE (source, target, cameo, date)
);
-- Dyad timelines and source filters use the unique index (source,
-- target, cameo, date); the other direction and target filters this one.
CREATE INDEX events_target ON events (target, source, date);
CREATE INDEX events_root ON events (root, date);
CREATE INDEX events_date ON events (date, seq);
CREATE INDEX events_plover ON events (plover, date);
CREATE INDEX events_country ON events (loc_country, date);
CREATE INDEX events_mentions ON events (num_mentions, seq);

CREATE TABLE event_mentions (
    event_seq      bigint NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
    article_id     text NOT NULL,
    article_seq    bigint NOT NULL REFERENCES articles (seq) ON DELETE CASCADE,
    sentence_start integer NOT NULL,
    sentence_end   integer NOT NULL,
    source_start   integer NOT NULL,
    source_end     integer NOT NULL,
    target_start   integer NOT NULL,
    target_end     integer NOT NULL,
    verb_start     integer NOT NULL,
    verb_end       integer NOT NULL,
    root_event     boolean NOT NULL DEFAULT false,
    confidence     double precision NOT NULL DEFAULT 0,
    explanation    text NOT NULL DEFAULT '',
    outlet         text NOT NULL DEFAULT '',
    -- events.SourceKey(outlet, article_id): what num_sources counts.
    source_key     text NOT NULL,
    sentence_no    integer NOT NULL DEFAULT 0,
    doc_len        integer NOT NULL DEFAULT 0,
    added_at       text NOT NULL,
    PRIMARY KEY (event_seq, article_id, sentence_start, sentence_end, verb_start, verb_end)
);
CREATE INDEX event_mentions_article ON event_mentions (article_seq, article_id);
