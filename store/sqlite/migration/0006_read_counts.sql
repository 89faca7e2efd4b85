-- 0006: store-wide counts without reading whole tables (issue 5).
--
-- Stats counts annotated articles and exact and near copies. Counting the
-- annotations table read every row's JSON (about 1 GB for 100,000
-- articles) and counting copies by kind read every copy; these small
-- indexes answer both from a few pages, for one more small entry per
-- article written.
CREATE INDEX IF NOT EXISTS annotations_count ON annotations(entity_count);
CREATE INDEX IF NOT EXISTS copies_kind ON copies(kind);
