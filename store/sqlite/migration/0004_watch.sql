-- State of `detente watch`: what each feed answered last (for conditional
-- GET and backoff) and every item URL seen, with where it stands.
CREATE TABLE watch_feeds (
    url           TEXT PRIMARY KEY,
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    last_polled   TEXT NOT NULL DEFAULT '', -- RFC 3339
    next_poll     TEXT NOT NULL DEFAULT '', -- RFC 3339; '' means now
    last_status   INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    failures      INTEGER NOT NULL DEFAULT 0 -- consecutive
);

-- state: pending (due at next_attempt), fetching (claimed by a running
-- watcher; a crash leaves it so and the next start makes it pending),
-- done (stored, or already stored), skipped (robots.txt forbids it),
-- failed (given up).
CREATE TABLE watch_items (
    url          TEXT PRIMARY KEY,
    feed_url     TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'fetching', 'done', 'skipped', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt TEXT NOT NULL DEFAULT '',
    last_error   TEXT NOT NULL DEFAULT '',
    outcome      TEXT NOT NULL DEFAULT '', -- new, duplicate, unchanged, robots, …
    article_id   TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL DEFAULT '',
    published    TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT '',
    language     TEXT NOT NULL DEFAULT '',
    first_seen   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX watch_items_due ON watch_items (state, next_attempt);
