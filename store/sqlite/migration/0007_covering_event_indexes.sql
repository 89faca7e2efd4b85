-- 0007: an actor's events summed from the index alone (issue 5).
--
-- The actor page and the dyad timeline read, for every event of an actor,
-- its quad class, root, Goldstein score, mentions and date: one table
-- lookup each, which for an actor with hundreds of thousands of events
-- was most of the page's time. The two dyad indexes now carry those
-- columns after their keys (same keys and order, so every query that used
-- them still can), and those reads never leave the index.
DROP INDEX IF EXISTS events_dyad;
DROP INDEX IF EXISTS events_target;
CREATE INDEX events_dyad ON events(source, target, date, quad, root, goldstein, num_mentions);
CREATE INDEX events_target ON events(target, source, date, quad, root, goldstein, num_mentions);
