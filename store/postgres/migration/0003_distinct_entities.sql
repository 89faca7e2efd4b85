-- 0003: one entity row per distinct entity in an article, as the SQLite
-- store's migration 0008 (issue 8).
--
-- A row is one distinct (name, type, actor, country) of an article with
-- how many mentions it has and where the first starts, in the order of
-- first mentions; every mention stays in the annotation JSON, which
-- Entities reads. actor and country are NULL when empty, so their
-- indexes hold only codes a filter can ask for (actor = $1 implies actor
-- IS NOT NULL). The times and quotes tables, which no query read, are
-- dropped: the JSON holds both.
CREATE TABLE entities_new (
    article_seq bigint NOT NULL REFERENCES articles (seq) ON DELETE CASCADE,
    pos         integer NOT NULL,
    name        text COLLATE "C" NOT NULL,
    name_key    text COLLATE "C" NOT NULL,
    type        text COLLATE "C" NOT NULL DEFAULT '',
    actor       text COLLATE "C",
    country     text COLLATE "C",
    mentions    integer NOT NULL,
    first_start integer NOT NULL,
    PRIMARY KEY (article_seq, pos)
);

INSERT INTO entities_new (article_seq, pos, name, name_key, type, actor, country, mentions, first_start)
SELECT article_seq, (row_number() OVER (PARTITION BY article_seq ORDER BY min(pos)) - 1)::integer,
    name, min(name_key), type, nullif(actor, ''), nullif(country, ''), count(*)::integer, min(span_start)
FROM entities
GROUP BY article_seq, name, type, actor, country;

DROP TABLE entities;
ALTER TABLE entities_new RENAME TO entities;
ALTER TABLE entities RENAME CONSTRAINT entities_new_pkey TO entities_pkey;
ALTER TABLE entities RENAME CONSTRAINT entities_new_article_seq_fkey TO entities_article_seq_fkey;
CREATE INDEX entities_name ON entities (name_key, article_seq);
CREATE INDEX entities_actor ON entities (actor, article_seq) WHERE actor IS NOT NULL;
CREATE INDEX entities_country ON entities (country, article_seq) WHERE country IS NOT NULL;

DROP TABLE times;
DROP TABLE quotes;
