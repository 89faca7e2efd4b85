-- 0002: input order, for writers that store out of order.
--
-- Queue workers store articles in whatever order they finish, but an
-- event keeps the mode, negation and location of its first report, and
-- "first" must mean first in the input, as in a single-process run. A
-- writer that knows each article's input position (PutBatchOrdered)
-- records it: first_ord is the position of the report whose mode and
-- negation the event has, loc_ord that of the report its location came
-- from. NULL where the writer stored in input order (PutBatch).
ALTER TABLE events ADD COLUMN first_ord bigint, ADD COLUMN loc_ord bigint;
