-- 0003: coded events and their mentions (issue 4), GDELT 2.0's model.
--
-- An event is who did what to whom on which day: one row per distinct
-- (source, target, cameo, date), however many sentences, articles and
-- outlets report it. Each report is an event_mentions row; the counts on
-- events are kept equal to what its mentions say (see events.go), in the
-- transaction that stores the reporting article, so an article and its
-- events are stored together or not at all.

-- seq is GDELT's numeric GlobalEventID; id is detente's stable event ID
-- (a hash of the key). Mode, negated and location are those of the first
-- report (a later one only fills a missing location). loc_lat and loc_lon
-- are NULL when there is no location.
CREATE TABLE events (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    source       TEXT NOT NULL DEFAULT '',
    target       TEXT NOT NULL DEFAULT '',
    cameo        TEXT NOT NULL,
    base         TEXT NOT NULL,
    root         TEXT NOT NULL,
    quad         INTEGER NOT NULL,
    goldstein    REAL NOT NULL,
    plover       TEXT NOT NULL DEFAULT '',
    mode         TEXT NOT NULL DEFAULT '',
    negated      INTEGER NOT NULL DEFAULT 0,
    date         TEXT NOT NULL DEFAULT '',
    loc_name     TEXT NOT NULL DEFAULT '',
    loc_country  TEXT NOT NULL DEFAULT '',
    loc_lat      REAL,
    loc_lon      REAL,
    num_mentions INTEGER NOT NULL DEFAULT 0,
    num_sources  INTEGER NOT NULL DEFAULT 0,
    num_articles INTEGER NOT NULL DEFAULT 0,
    first_seen   TEXT NOT NULL,
    UNIQUE (source, target, cameo, date)
);
-- Dyad timelines and source filters (a dyad's other direction uses the
-- target index); the explorer's root, date and PLOVER filters; places.
CREATE INDEX events_dyad ON events(source, target, date);
CREATE INDEX events_target ON events(target, source, date);
CREATE INDEX events_root ON events(root, date);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_plover ON events(plover, date);
CREATE INDEX events_country ON events(loc_country, date);

-- One row per sentence of an article (or copy) that reports an event.
-- article_id is the reporting article or copy; article_seq the story's
-- original, whose body every offset points into (a copy's mentions repeat
-- the original's offsets). outlet is the reporting article's outlet.
-- sentence_no is the sentence's 1-based number when the article's
-- sentences were known, else 0; doc_len the body's length in code points.
CREATE TABLE event_mentions (
    event_seq      INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE,
    article_id     TEXT NOT NULL,
    article_seq    INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE,
    sentence_start INTEGER NOT NULL,
    sentence_end   INTEGER NOT NULL,
    source_start   INTEGER NOT NULL,
    source_end     INTEGER NOT NULL,
    target_start   INTEGER NOT NULL,
    target_end     INTEGER NOT NULL,
    verb_start     INTEGER NOT NULL,
    verb_end       INTEGER NOT NULL,
    root_event     INTEGER NOT NULL DEFAULT 0,
    confidence     REAL NOT NULL DEFAULT 0,
    explanation    TEXT NOT NULL DEFAULT '',
    outlet         TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
    sentence_no    INTEGER NOT NULL DEFAULT 0,
    doc_len        INTEGER NOT NULL DEFAULT 0,
    added_at       TEXT NOT NULL,
    PRIMARY KEY (event_seq, article_id, sentence_start, sentence_end, verb_start, verb_end)
) WITHOUT ROWID;
CREATE INDEX event_mentions_article ON event_mentions(article_seq, article_id);
