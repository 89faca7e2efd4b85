-- 0008: one entity row per distinct entity in an article (issue 8).
--
-- An AllSides article has about 116 entity mentions but far fewer
-- distinct entities, and every mention was a row in entities and in four
-- indexes: the largest share of storing an article's time and size. What
-- search and facets ask is which articles mention an entity (by name,
-- actor or country) and how often, so a row is now one distinct
-- (name, type, actor, country) of an article with how many mentions it
-- has and where the first starts; each mention's span, text, canonical
-- name, coordinates and source stay in the annotation JSON, which
-- Entities and Annotations read. name is still the canonical name, else
-- the mention's text, compared without ASCII case; it is grouped here
-- with case, so names differing in case only stay apart (a facet joins
-- them again). pos orders the rows by their first mention.
--
-- actor and country are NULL when the entity has none (most have no
-- actor), so their indexes hold only the rows a filter can find: a query
-- comparing actor = ? implies actor IS NOT NULL, and SQLite uses the
-- partial index for it. entities_type served no query (facets read an
-- article's rows by the primary key), and entities_name no longer needs
-- the facet's columns.
--
-- The times and quotes tables are dropped: no query read them (0005
-- dropped their last indexes), and the JSON holds both.
CREATE TABLE entities_new (
    article_seq INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE,
    pos         INTEGER NOT NULL,
    name        TEXT NOT NULL COLLATE NOCASE,
    type        TEXT NOT NULL DEFAULT '',
    actor       TEXT,
    country     TEXT,
    mentions    INTEGER NOT NULL,
    first_start INTEGER NOT NULL,
    PRIMARY KEY (article_seq, pos)
) WITHOUT ROWID;

INSERT INTO entities_new (article_seq, pos, name, type, actor, country, mentions, first_start)
SELECT article_seq, row_number() OVER (PARTITION BY article_seq ORDER BY min(pos)) - 1,
    name, type, nullif(actor, ''), nullif(country, ''), count(*), min(span_start)
FROM entities
GROUP BY article_seq, name COLLATE BINARY, type, actor, country;

DROP TABLE entities;
ALTER TABLE entities_new RENAME TO entities;
CREATE INDEX entities_name ON entities(name, article_seq);
CREATE INDEX entities_actor ON entities(actor, article_seq) WHERE actor IS NOT NULL;
CREATE INDEX entities_country ON entities(country, article_seq) WHERE country IS NOT NULL;

DROP TABLE times;
DROP TABLE quotes;
