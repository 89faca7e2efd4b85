-- 0005: leaner writes (issue 8).
--
-- No query looks quotes up by actor or speaker, nor times by value, yet
-- every quote and time row paid for these indexes on insert and on disk.
-- A feature that searches them can index what it needs again.
DROP INDEX IF EXISTS quotes_actor;
DROP INDEX IF EXISTS quotes_speaker;
DROP INDEX IF EXISTS times_value;
