-- 0010: the full-text index is split by article seq into generations, one
-- FTS5 table each (articles_fts_1, articles_fts_2, ...), so that ranking
-- a query's newest matches walks term lists as long as a generation, not
-- the store (see fts.go). fts_generations lists them: generation gen is
-- the table articles_fts_<gen> and indexes the articles with lo <= seq <
-- hi. Each has its own delete and update triggers on articles, limited
-- to its range.
--
-- After this SQL, in the same transaction, the migration indexes every
-- article again by generation and drops articles_fts (splitIndex in
-- fts.go): the whole conversion commits or none of it does.
CREATE TABLE fts_generations (
    gen INTEGER PRIMARY KEY,
    lo  INTEGER NOT NULL,
    hi  INTEGER NOT NULL
);

DROP TRIGGER articles_fts_delete;
DROP TRIGGER articles_fts_update;
