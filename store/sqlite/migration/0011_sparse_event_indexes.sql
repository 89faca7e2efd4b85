-- 0011: the indexes of the sparse event columns hold only the events
-- that have a value (issue 8).
--
-- Of the events an AllSides ingest stores, 34% have no target, 22% no
-- PLOVER type and 85% no location country; events_target, events_plover
-- and events_country had an entry for each of them, which every new event
-- wrote (and events_target rewrote at every change of its mention count),
-- though no query looks an empty value up in them: each filter they serve
-- asks for a non-empty code. As partial indexes they hold only the events
-- whose column is not empty. SQLite uses a partial index only when the
-- query's WHERE carries the index's condition as a term, so every filter
-- that wants one of them says so too (see eventquery.go); the columns and
-- their order are as 0007 and 0009 left them.
DROP INDEX events_target;
DROP INDEX events_plover;
DROP INDEX events_country;
-- Target filters, a dyad's other direction, actor-as-target.
CREATE INDEX events_target ON events(target, source, date, quad, root, goldstein, num_mentions) WHERE target <> '';
-- The PLOVER filter.
CREATE INDEX events_plover ON events(plover, date) WHERE plover <> '';
-- The country filter's event-location arm.
CREATE INDEX events_country ON events(loc_country, date) WHERE loc_country <> '';
