-- 0001: the initial schema.
--
-- articles holds original articles only: a copy (exact or near) never
-- stores its body again, it adds a row to copies under its story. Every
-- article ID ever stored, original or copy, has exactly one copies row.

-- sources are the outlets seen, kept in the spelling first seen and unique
-- regardless of ASCII case.
CREATE TABLE sources (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    first_seen TEXT NOT NULL
);

-- seq is the integer key the FTS index refers to (an explicit INTEGER
-- PRIMARY KEY, so VACUUM cannot renumber it under the index); id is the
-- article's stable detente ID.
CREATE TABLE articles (
    seq         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    url         TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    author      TEXT NOT NULL DEFAULT '',
    published   TEXT NOT NULL DEFAULT '',
    crawled     TEXT NOT NULL DEFAULT '',
    language    TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    text_from   TEXT NOT NULL DEFAULT '',
    exact_hash  TEXT NOT NULL DEFAULT '',
    signature   BLOB,
    ingested_at TEXT NOT NULL
);
CREATE INDEX articles_exact_hash ON articles(exact_hash);
CREATE INDEX articles_published ON articles(published);

CREATE TABLE captions (
    article_seq INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE,
    pos         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    credit      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_seq, pos)
) WITHOUT ROWID;

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE article_tags (
    article_seq INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tags(id),
    pos         INTEGER NOT NULL,
    PRIMARY KEY (article_seq, tag_id)
) WITHOUT ROWID;
CREATE INDEX article_tags_tag ON article_tags(tag_id);

-- A story's ID is its original article's ID.
CREATE TABLE stories (
    id         TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);

-- copies: one row per article ID ever stored. seq keeps insertion order;
-- article_id is the key. exact_hash is kept for non-original copies only
-- (an original's is in articles), so that an exact copy of a near copy is
-- still found by ExactMatch.
CREATE TABLE copies (
    seq         INTEGER PRIMARY KEY,
    article_id  TEXT NOT NULL UNIQUE,
    story_id    TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    source      TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
    url         TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    published   TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL CHECK (kind IN ('original', 'exact', 'near')),
    similarity  REAL NOT NULL,
    exact_hash  TEXT NOT NULL DEFAULT '',
    ingested_at TEXT NOT NULL
);
CREATE INDEX copies_story ON copies(story_id);
CREATE INDEX copies_source ON copies(source, story_id);
CREATE INDEX copies_exact_hash ON copies(exact_hash);

-- LSH band keys of original articles (uint64 keys stored bit for bit as
-- int64). The primary key doubles as the band_key index NearCandidates uses.
CREATE TABLE lsh_bands (
    band_key    INTEGER NOT NULL,
    article_seq INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE,
    PRIMARY KEY (band_key, article_seq)
) WITHOUT ROWID;

-- Full-text index over title and body with articles as its external
-- content: the text is stored once (in articles) and snippet() reads it
-- from there. New rows are indexed by the writer in one
-- INSERT ... SELECT at the end of each transaction rather than by an
-- insert trigger: FTS5 flushes its pending terms to a new segment at every
-- statement savepoint, so indexing row by row wrote one segment per
-- article and then spent most of the time merging them. Triggers keep the
-- index right when a row is deleted or its text changed.
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body,
    content = 'articles', content_rowid = 'seq',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.seq, old.title, old.body);
END;

CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.seq, old.title, old.body);
    INSERT INTO articles_fts(rowid, title, body) VALUES (new.seq, new.title, new.body);
END;
