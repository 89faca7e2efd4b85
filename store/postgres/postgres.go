// Package postgres is detente's server store: the same model and the same
// contract (detente.Archive) as the embedded SQLite store, on PostgreSQL
// through pgx, for a team sharing one archive and many workers writing to
// it at once.
//
// Full-text search is a weighted tsvector (title over body) with a GIN
// index, ranked by ts_rank_cd with ts_headline snippets; events and their
// mentions have the indexes the explorer and dyad timelines query by;
// child rows (captions, tags, bands, entities, mentions) go
// in by COPY. Each PutBatch is one transaction that first takes
// transaction-scoped advisory locks on its article IDs, so concurrent
// writers of the same article (a redelivered queue message) queue rather
// than both store it, and every write is idempotent. A transaction that
// deadlocks or fails to serialize with another is retried.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/detente/detente"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migration/*.sql
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations ordered by version; file
// names are NNNN_name.sql, the number being the version they lead to.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migration")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("postgres: migration %q is not named NNNN_name.sql", e.Name())
		}
		b, err := migrationFS.ReadFile(path.Join("migration", e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("postgres: migration %s out of sequence, want version %d", m.name, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion is the schema version this code migrates a database to.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil {
		return 0
	}
	return len(ms)
}

// DB is a detente store in one PostgreSQL schema. It is safe for
// concurrent use.
type DB struct {
	pool   *pgxpool.Pool
	schema string
	// lockSpace keeps this schema's advisory locks apart from another
	// schema's in the same database.
	lockSpace string
	nearCheck func(a, b []uint32) (bool, float64)
}

var _ detente.Archive = (*DB)(nil)

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// DefaultSchema is where detente's tables live when the URL names none.
const DefaultSchema = "detente"

// Open connects to the database a postgres:// URL names and migrates the
// store's schema to the current version. The URL's own parameters are
// pgx's (sslmode, pool_max_conns, …) plus schema=NAME, the schema that
// holds the tables (default "detente", created when missing; a
// search_path parameter's first schema when schema is not given), so
// several archives or test runs can share a database. It refuses, with EINVALID,
// a schema written by a newer detente.
func Open(ctx context.Context, dsn string) (*DB, error) { return open(ctx, dsn, 0) }

// open opens the store migrated to version, 0 meaning the current one;
// tests use an older version to make a schema to upgrade.
func open(ctx context.Context, dsn string, version int) (*DB, error) {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, detente.Errorf(detente.EINVALID, "%q is not a postgres:// URL", redact(dsn))
	}
	q := u.Query()
	schema := q.Get("schema")
	q.Del("schema")
	if schema == "" && q.Get("search_path") != "" {
		// A search_path names the schema too: its first entry.
		schema, _, _ = strings.Cut(q.Get("search_path"), ",")
		schema = strings.Trim(strings.TrimSpace(schema), `"`)
	}
	q.Del("search_path")
	if schema == "" {
		schema = DefaultSchema
	}
	if !schemaName.MatchString(schema) {
		return nil, detente.Errorf(detente.EINVALID, "schema %q: want lower-case letters, digits and _", schema)
	}
	u.RawQuery = q.Encode()
	cfg, err := pgxpool.ParseConfig(u.String())
	if err != nil {
		return nil, detente.Errorf(detente.EINVALID, "%s: %v", redact(dsn), err)
	}
	// Unqualified names resolve in the store's schema; the text search
	// configuration lives there too.
	cfg.ConnConfig.RuntimeParams["search_path"] = schema
	if !q.Has("pool_max_conns") {
		cfg.MaxConns = 8
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect %s: %w", redact(dsn), err)
	}
	db := &DB{pool: pool, schema: schema, lockSpace: schema + "\x00"}
	if err := db.migrate(ctx, version); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// redact hides a URL's password in messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "the database URL"
	}
	return u.Redacted()
}

// Schema returns the schema the store's tables are in.
func (db *DB) Schema() string { return db.schema }

// Pool returns the connection pool, for tests and tools.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Close closes the store's connections.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// DropSchema removes the store's schema and everything in it; tests call
// it to leave the database as they found it.
func (db *DB) DropSchema(ctx context.Context) error {
	_, err := db.pool.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{db.schema}.Sanitize()+" CASCADE")
	return err
}

// SetNearCheck makes PutBatch check each article it is told is an
// original against the stories stored meanwhile, under locks on its exact
// hash and LSH band keys: when another writer stored the same text (or a
// text near it in both directions, by near) since the caller decided, the
// article is stored as a copy of that story instead of as a second
// original. Queue workers set it; see queue's package comment for why
// near must hold both ways. nil (the default) stores what it is told.
func (db *DB) SetNearCheck(near func(a, b []uint32) (bool, float64)) { db.nearCheck = near }

// migrate applies the migrations newer than the schema's version, each in
// its own transaction, holding an advisory lock so that workers starting
// together migrate once.
func (db *DB) migrate(ctx context.Context, version int) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	known := len(ms)
	if version > 0 && version < len(ms) {
		ms = ms[:version]
	}
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: connect: %w", err)
	}
	defer conn.Release()
	key := lockKey("migrate\x00" + db.schema)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		return fmt.Errorf("postgres: lock for migration: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key)
	ident := pgx.Identifier{db.schema}.Sanitize()
	if _, err := conn.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+ident); err != nil {
		return fmt.Errorf("postgres: create schema %s: %w", db.schema, err)
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("postgres: migrations table: %w", err)
	}
	var v int
	if err := conn.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&v); err != nil {
		return fmt.Errorf("postgres: read schema version: %w", err)
	}
	if v > known {
		return detente.Errorf(detente.EINVALID,
			"database schema version %d is newer than this detente (%d); upgrade detente", v, known)
	}
	for _, m := range ms[min(v, len(ms)):] {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name)
			return err
		})
		if err != nil {
			return fmt.Errorf("postgres: migration %s: %w", m.name, err)
		}
	}
	return nil
}

// lockKey maps a name to a 64-bit advisory lock key.
func lockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return int64(h.Sum64())
}

// maxAttempts bounds how often a write transaction is retried after a
// deadlock or serialization failure.
const maxAttempts = 8

// retryable reports whether err is a conflict between concurrent
// transactions that running again resolves.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "40001", "40P01": // serialization_failure, deadlock_detected
		return true
	}
	return false
}

// inTx runs fn in a transaction, again after a deadlock or serialization
// failure (with a short, growing pause), and commits.
func (db *DB) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	var err error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		err = pgx.BeginFunc(ctx, db.pool, fn)
		if err == nil || !retryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt*attempt) * 5 * time.Millisecond):
		}
	}
	return err
}

// readTx runs fn in a read-only repeatable-read transaction: one snapshot
// for a page and its details, as the SQLite store's read transactions.
func (db *DB) readTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

// asciiLower lower-cases ASCII letters only, as SQLite's NOCASE compares:
// the *_key columns hold it.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// pgText makes a string storable: PostgreSQL text cannot hold NUL, which
// SQLite can, so a NUL becomes U+FFFD, one code point for one, keeping
// every offset into the text right.
// The same goes for each byte of invalid UTF-8, which SQLite keeps and
// counts as one code point.
func pgText(s string) string {
	if strings.IndexByte(s, 0) < 0 && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == 0 || r == utf8.RuneError && n == 1 {
			r = utf8.RuneError
		}
		b.WriteRune(r)
		i += n
	}
	return b.String()
}
