-- 0009: one index fewer for every new event (issue 8).
--
-- events.id is a hash of the key (source, target, cameo, date) (see
-- events.ID; every stored event's ID is set from its key by
-- events.Normalize), so the ID's unique index already makes the key
-- unique, and the writer finds a stored event by its ID. The key's own
-- unique index was one more entry to write for every new event and served
-- no query the dyad index (source, target, date, …) does not.
--
-- SQLite cannot drop a table's UNIQUE constraint, so the table is rebuilt
-- as its documented procedure for other schema changes says (ALTER TABLE,
-- "Making Other Kinds Of Table Schema Changes"): migrate runs this with
-- foreign keys off (dropping events would otherwise delete every
-- event_mentions row by cascade), in one transaction, and checks the
-- foreign keys before committing. The rows keep their seq, which
-- event_mentions refers to; event_mentions' reference to events is by
-- name, so it refers to the new table once renamed. The other indexes are
-- made again as 0007 left them: each serves a query (see eventquery.go).
CREATE TABLE events_new (
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
    first_seen   TEXT NOT NULL
);

INSERT INTO events_new (seq, id, source, target, cameo, base, root, quad, goldstein, plover, mode, negated,
    date, loc_name, loc_country, loc_lat, loc_lon, num_mentions, num_sources, num_articles, first_seen)
SELECT seq, id, source, target, cameo, base, root, quad, goldstein, plover, mode, negated,
    date, loc_name, loc_country, loc_lat, loc_lon, num_mentions, num_sources, num_articles, first_seen
FROM events ORDER BY seq;

DROP TABLE events;
ALTER TABLE events_new RENAME TO events;

-- Source, dyad (and its timeline) and actor-as-source filters.
CREATE INDEX events_dyad ON events(source, target, date, quad, root, goldstein, num_mentions);
-- Target filters, a dyad's other direction, actor-as-target.
CREATE INDEX events_target ON events(target, source, date, quad, root, goldstein, num_mentions);
-- Root and CAMEO-prefix filters, sorted by date, Goldstein or first report.
CREATE INDEX events_root ON events(root, date, goldstein, first_seen);
-- The default order (newest first) and date ranges.
CREATE INDEX events_date ON events(date, goldstein, first_seen);
-- The PLOVER filter.
CREATE INDEX events_plover ON events(plover, date);
-- The country filter's event-location arm.
CREATE INDEX events_country ON events(loc_country, date);
