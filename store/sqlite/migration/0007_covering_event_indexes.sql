-- 0007: event pages read from indexes alone (issue 5).
--
-- The actor page and the dyad timeline read, for every event of an actor,
-- its quad class, root, Goldstein score, mentions and date: one table
-- lookup each, which for an actor with hundreds of thousands of events
-- was most of the page's time. The explorer sorts a root's or all events
-- by Goldstein score or first report, again a lookup per event before the
-- sort (0.8 s for 100,000 events of one root). Each index here keeps its
-- keys and their order, so every query that used it still can, and
-- carries those columns after them. Only the dyad indexes carry the
-- mention count, which every new report of an event updates: in all four
-- it made storing events half again as slow (1.3 → 2.0 ms an article in
-- BenchmarkEventStore); in these two, the actor page needs it.
DROP INDEX IF EXISTS events_dyad;
DROP INDEX IF EXISTS events_target;
DROP INDEX IF EXISTS events_root;
DROP INDEX IF EXISTS events_date;
CREATE INDEX events_dyad ON events(source, target, date, quad, root, goldstein, num_mentions);
CREATE INDEX events_target ON events(target, source, date, quad, root, goldstein, num_mentions);
CREATE INDEX events_root ON events(root, date, goldstein, first_seen);
CREATE INDEX events_date ON events(date, goldstein, first_seen);
