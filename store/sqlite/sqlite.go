// Package sqlite is detente's embedded store: one SQLite file (pure Go,
// modernc.org/sqlite) holding articles, their stories and copies, the LSH
// bands duplicate detection looks up, an FTS5 full-text index, and each
// original's annotations (entities, times, quotes) for searching by who
// and where.
//
// The file is opened in WAL mode so readers never block the writer, and
// every write transaction begins IMMEDIATE so two writers (two goroutines or
// two processes) queue on busy_timeout instead of deadlocking when a reader
// tries to upgrade to a writer. Each PutArticle or PutBatch is one
// transaction, and putting the same article ID again changes nothing, so a
// crash loses at most the batch in flight and a rerun completes it.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/detente/detente"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// busyTimeoutMillis is how long a writer waits for another writer's
// transaction before failing with SQLITE_BUSY. A batch of a few hundred
// articles commits in well under a second, so this leaves ample margin.
const busyTimeoutMillis = 30000

//go:embed migration/*.sql
var migrationFS embed.FS

// migration is one numbered schema change.
type migration struct {
	version int
	name    string
	sql     string
	// then, if set, runs after sql in the same transaction: a change
	// SQL alone cannot make.
	then func(context.Context, *sql.Tx) error
}

// migrationSteps are the migrations' steps in Go, by version.
var migrationSteps = map[int]func(context.Context, *sql.Tx) error{
	10: splitIndex,
}

// migrations returns the embedded migrations ordered by version. File
// names are NNNN_name.sql; the number is the schema version they lead to.
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
			return nil, fmt.Errorf("sqlite: migration %q is not named NNNN_name.sql", e.Name())
		}
		b, err := migrationFS.ReadFile(path.Join("migration", e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b), then: migrationSteps[v]})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("sqlite: migration %s out of sequence, want version %d", m.name, i+1)
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

// DB is a detente store in one SQLite file. It is safe for concurrent use.
type DB struct {
	db   *sql.DB
	path string
	// readOnly is set when the file could only be opened for reading (a
	// read-only disk or file): queries work, every write fails.
	readOnly bool
	st       statements
	est      eventStatements // nil statements below schema version 3
	ranks    rankFlights     // rankings under way, shared (search.go)
	near     struct {        // NearCandidates' statements (read.go)
		mu    sync.Mutex
		stmts map[int]*sql.Stmt
	}
	// writer is the connection PutBatch writes on, taken from the pool at
	// the first batch and kept until Close (see PutBatch); mu also makes
	// batches take turns.
	writer struct {
		mu   sync.Mutex
		conn *sql.Conn
		raw  rawStmts // prepared on conn (see rawExec)
	}
}

// statements are the writes PutBatch runs per article, prepared once and
// bound to each write transaction once (see writer.stmt).
type statements struct {
	hasCopy, exactMatch, copyInfo, insertArticle, insertStory, insertCopy, insertSource,
	insertCaption, insertTag, tagID, insertArticleTag, insertBand, storySeq *sql.Stmt
	// indexSince indexes a transaction's new articles below schema
	// version 10, in the one articles_fts; nil from 10 on, where
	// indexSince (fts.go) indexes them by generation.
	indexSince *sql.Stmt
	// Since schema version 8, whose entities rows it writes (only tests
	// open a file at an older version).
	insertAnnotations *sql.Stmt
	// Rows an article has many of, inserted many per statement.
	bands, entities *rowInsert
}

// prepare prepares the statements the schema at version has tables for;
// the others stay nil (only tests open a file at an older version).
func (db *DB) prepare(ctx context.Context, version int) error {
	for _, p := range []struct {
		s            **sql.Stmt
		since, until int // prepared at since <= version < until (0: any)
		sql          string
	}{
		{&db.st.hasCopy, 1, 0, `SELECT 1 FROM copies WHERE article_id = ?`},
		// An original first, else a copy (see ExactMatch).
		{&db.st.exactMatch, 1, 0, `SELECT id FROM (
			SELECT id, 0 AS pref, seq FROM articles WHERE exact_hash = ?1
			UNION ALL
			SELECT article_id, 1, seq FROM copies WHERE exact_hash = ?1
		) ORDER BY pref, seq LIMIT 1`},
		{&db.st.copyInfo, 1, 0, `SELECT story_id, kind, similarity FROM copies WHERE article_id = ?`},
		{&db.st.insertArticle, 1, 0, `INSERT INTO articles (id, url, source, title, author, published, crawled,
			language, body, text_from, exact_hash, signature, ingested_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&db.st.insertStory, 1, 0, `INSERT INTO stories (id, created_at) VALUES (?, ?)`},
		{&db.st.insertCopy, 1, 0, `INSERT INTO copies (article_id, story_id, source, url, title, published,
			kind, similarity, exact_hash, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&db.st.insertSource, 1, 0, `INSERT INTO sources (name, first_seen) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`},
		{&db.st.insertCaption, 1, 0, `INSERT INTO captions (article_seq, pos, text, credit) VALUES (?, ?, ?, ?)`},
		{&db.st.insertTag, 1, 0, `INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING`},
		{&db.st.tagID, 1, 0, `SELECT id FROM tags WHERE name = ?`},
		{&db.st.insertArticleTag, 1, 0, `INSERT OR IGNORE INTO article_tags (article_seq, tag_id, pos) VALUES (?, ?, ?)`},
		{&db.st.storySeq, 1, 0, `SELECT seq FROM articles WHERE id = ?`},
		{&db.st.indexSince, 1, 10, `INSERT INTO articles_fts (rowid, title, body) SELECT seq, title, body FROM articles WHERE seq >= ?`},
		{&db.st.insertAnnotations, 8, 0, `INSERT INTO annotations (article_seq, json, entity_count, time_count,
			quote_count, annotated_at) VALUES (?, ?, ?, ?, ?, ?)`},
	} {
		if p.since > version || p.until > 0 && version >= p.until {
			continue
		}
		s, err := db.db.PrepareContext(ctx, p.sql)
		if err != nil {
			return fmt.Errorf("sqlite: prepare %q: %w", p.sql, err)
		}
		*p.s = s
	}
	db.st.bands = newRowInsert("INSERT OR IGNORE", "lsh_bands", "band_key", "article_seq")
	db.st.entities = newRowInsert("INSERT OR FAIL", "entities", "article_seq", "pos", "name", "type", "actor", "country",
		"mentions", "first_start")
	return nil
}

var _ detente.Store = (*DB)(nil)
var _ detente.BatchPutter = (*DB)(nil)

// cacheKiB is each connection's page cache (see dsn).
const cacheKiB = 32768

// writerCacheKiB is the page cache of PutBatch's kept connection, twice a
// reader's. Past a couple of thousand AllSides articles the indexes that
// every article adds entries all over (event IDs, dyads, roots, entity
// names, LSH bands) outgrow 32 MiB, and a batch read again from the file
// the pages it had just evicted: storing 5,720 articles took 2.4 ms of CPU
// each against 1.6 for the first 2,000. With 64 MiB, storing prepared
// AllSides items took a tenth less CPU at 5,720 and 23,000 articles
// (128 and 256 MiB did no better at 23,000). Readers keep 32 MiB: their
// caches are emptied at every commit.
const writerCacheKiB = 2 * cacheKiB

// dsn builds the connection string: every connection gets the busy
// timeout, foreign keys, WAL and synchronous=NORMAL (durable at each
// checkpoint, consistent after any crash under WAL), a 32 MiB page cache
// (the default 2 MiB made a batch re-read index pages it had just written:
// a batch of annotated articles touches the entity indexes all over),
// temporary storage in memory (the statement journals of multi-row
// inserts, see rowInsert, and sorts), and write transactions begin
// IMMEDIATE.
func dsn(file string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.Itoa(busyTimeoutMillis)+")")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "cache_size(-"+strconv.Itoa(cacheKiB)+")")
	q.Add("_pragma", "temp_store(2)")
	q.Set("_txlock", "immediate")
	return "file:" + file + "?" + q.Encode()
}

// Open opens the store at path, creating the file when it does not exist,
// and migrates its schema to the current version. It refuses, with an
// EINVALID error, a database written by a newer detente.
//
// A file that exists but cannot be written (read-only media, no write
// permission) opens read-only when its schema is current: searches and
// exports work, writes fail, and ReadOnly says so up front.
func Open(file string) (*DB, error) {
	db, err := open(file, 0)
	if err == nil || !cannotWrite(err) {
		return db, err
	}
	if _, statErr := os.Stat(file); statErr != nil {
		return nil, err
	}
	ro, roErr := openReadOnly(file)
	if roErr != nil {
		return nil, fmt.Errorf("%w (and read-only: %v)", err, roErr)
	}
	return ro, nil
}

// ReadOnly reports whether the store was opened read-only; commands that
// write check it first and refuse with a clear message.
func (db *DB) ReadOnly() bool { return db.readOnly }

// cannotWrite reports whether err is SQLite failing to open a file for
// writing: SQLITE_CANTOPEN (14) or SQLITE_READONLY (8), any extended code.
func cannotWrite(err error) bool {
	var se interface{ Code() int }
	if !errors.As(err, &se) {
		return false
	}
	c := se.Code() & 0xff
	return c == 14 || c == 8
}

// openReadOnly opens file for reading only. A WAL database on read-only
// media can be read when its -shm file can be used; when it cannot, the
// file is opened as immutable, which is safe because nothing can write it.
func openReadOnly(file string) (*DB, error) {
	var lastErr error
	for _, extra := range []string{"mode=ro", "immutable=1"} {
		q := url.Values{}
		q.Add("_pragma", "busy_timeout("+strconv.Itoa(busyTimeoutMillis)+")")
		q.Add("_pragma", "query_only(1)")
		sqldb, err := sql.Open("sqlite", "file:"+file+"?"+extra+"&"+q.Encode())
		if err != nil {
			return nil, err
		}
		sqldb.SetMaxOpenConns(4)
		var v int
		if err := sqldb.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
			sqldb.Close()
			lastErr = err
			continue
		}
		ms, err := migrations()
		if err != nil {
			sqldb.Close()
			return nil, err
		}
		if v != len(ms) {
			sqldb.Close()
			if v > len(ms) {
				return nil, detente.Errorf(detente.EINVALID, "database schema version %d is newer than this detente (%d); upgrade detente", v, len(ms))
			}
			return nil, detente.Errorf(detente.EINVALID,
				"database %s is read-only and at schema version %d; this detente needs %d: open it once where it can be written to upgrade it", file, v, len(ms))
		}
		db := &DB{db: sqldb, path: file, readOnly: true}
		if err := db.prepare(context.Background(), v); err != nil {
			sqldb.Close()
			return nil, err
		}
		if err := db.prepareEvents(context.Background()); err != nil {
			sqldb.Close()
			return nil, err
		}
		return db, nil
	}
	return nil, lastErr
}

// open opens the store at path migrated to version, 0 meaning the
// current one; tests use an older version to make a file to upgrade.
func open(file string, version int) (*DB, error) {
	if file == "" {
		return nil, detente.Errorf(detente.EINVALID, "no database path given")
	}
	create(file)
	sqldb, err := sql.Open("sqlite", dsn(file))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", file, err)
	}
	// A handful of connections lets searches run beside a write; writes
	// still go one at a time because each begins IMMEDIATE. One of them is
	// PutBatch's once it has run (see PutBatch), so four serve the rest.
	sqldb.SetMaxOpenConns(5)
	sqldb.SetMaxIdleConns(5)
	db := &DB{db: sqldb, path: file}
	ms, err := migrations()
	if err != nil {
		sqldb.Close()
		return nil, err
	}
	if version <= 0 || version > len(ms) {
		version = len(ms)
	}
	// Turning a new file to WAL needs a lock that SQLite does not wait
	// for with the busy handler, so processes opening one new file at
	// once can see SQLITE_BUSY here; the file is WAL (and migrated) a
	// moment later, so waiting and trying again is enough.
	for attempt := 1; ; attempt++ {
		err = db.migrate(context.Background(), ms[:version])
		if err == nil {
			break
		}
		if !isBusy(err) || attempt == openAttempts {
			sqldb.Close()
			return nil, err
		}
		time.Sleep(time.Duration(attempt) * 10 * time.Millisecond)
	}
	if err := db.prepare(context.Background(), version); err != nil {
		sqldb.Close()
		return nil, err
	}
	if version >= 3 {
		if err := db.prepareEvents(context.Background()); err != nil {
			sqldb.Close()
			return nil, err
		}
	}
	return db, nil
}

// newPageSize is the page size of the files Open creates. Storing an
// article writes about a hundred rows spread over a dozen indexes, and
// the commit and the checkpoints write each page it changed: 16 KiB pages
// take a tenth less CPU for it than SQLite's default 4 KiB (fewer, larger
// writes and fewer B-tree splits), for 7% more disk, with searches as
// fast (issue 8). The page cache holds as many bytes (cache_size, dsn).
const newPageSize = 16384

// create makes file, when it does not exist, an empty database with
// newPageSize pages in WAL mode. A file keeps the page size it was made
// with (in WAL mode even VACUUM keeps it), so stores made with 4 KiB
// pages keep them. dsn cannot set it: the driver runs a connection's
// pragmas sorted by name, and journal_mode, which writes the first page,
// comes before page_size. It does its best and says nothing: when it
// cannot make the file, open makes it with the default page size or
// reports why it cannot.
func create(file string) {
	if _, err := os.Stat(file); !errors.Is(err, fs.ErrNotExist) {
		return
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.Itoa(busyTimeoutMillis)+")")
	db, err := sql.Open("sqlite", "file:"+file+"?"+q.Encode())
	if err != nil {
		return
	}
	defer db.Close()
	conn, err := db.Conn(context.Background())
	if err != nil {
		return
	}
	defer conn.Close()
	// Two statements on one connection, in this order.
	if _, err := conn.ExecContext(context.Background(), "PRAGMA page_size = "+strconv.Itoa(newPageSize)); err == nil {
		conn.ExecContext(context.Background(), "PRAGMA journal_mode = WAL")
	}
}

// openAttempts bounds Open's retries of a busy new file: about two
// seconds of waiting in all.
const openAttempts = 20

// isBusy reports whether err is SQLite's SQLITE_BUSY (any extended code).
func isBusy(err error) bool {
	var se interface{ Code() int }
	return errors.As(err, &se) && se.Code()&0xff == 5
}

// Close closes the store.
func (db *DB) Close() error {
	db.writer.mu.Lock()
	if db.writer.conn != nil {
		closeRaw(db.writer.conn, &db.writer.raw)
		releaseWriter(db.writer.conn)
		db.writer.conn = nil
	}
	db.writer.mu.Unlock()
	return db.db.Close()
}

// Path returns the file the store was opened from.
func (db *DB) Path() string { return db.path }

// migrate applies each migration newer than the file's PRAGMA user_version
// in its own transaction, which also sets user_version, so a crash
// mid-migration leaves the previous version intact. The version is read
// again inside the transaction because another process may have migrated
// the file meanwhile.
//
// A migration may rewrite a table with rows for every article (0008
// groups every entity mention), sorting all of them: its connection keeps
// temporary storage in files while it migrates rather than in memory, as
// connections do otherwise (see dsn), so a large store migrates in
// bounded memory (SQLite refuses the change inside a transaction).
//
// A migration may also rebuild a table others refer to (0009 rebuilds
// events, whose mentions cascade from it), as SQLite's documented
// procedure does: with foreign keys off, which are also set only outside
// a transaction, or dropping the old table would delete the rows that
// refer to it. Each migration's transaction then checks every foreign key
// before it commits, so a migration cannot leave a dangling reference.
func (db *DB) migrate(ctx context.Context, ms []migration) error {
	known := len(ms)
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: open %s: %w", db.path, err)
	}
	defer conn.Close()
	for _, p := range []string{"PRAGMA temp_store = FILE", "PRAGMA foreign_keys = OFF"} {
		if _, err := conn.ExecContext(ctx, p); err != nil {
			return fmt.Errorf("sqlite: open %s: %w", db.path, err)
		}
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA temp_store = MEMORY")
	// Back on before the connection serves anything else (dsn turns them
	// on only when a connection opens).
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
	for {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("sqlite: open %s: %w", db.path, err)
		}
		var v int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: open %s: read schema version: %w", db.path, err)
		}
		if v > known {
			tx.Rollback()
			return detente.Errorf(detente.EINVALID,
				"database schema version %d is newer than this detente (%d); upgrade detente", v, known)
		}
		if v == known {
			return tx.Rollback()
		}
		m := ms[v]
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: migration %s: %w", m.name, err)
		}
		if m.then != nil {
			if err := m.then(ctx, tx); err != nil {
				tx.Rollback()
				return fmt.Errorf("sqlite: migration %s: %w", m.name, err)
			}
		}
		if err := foreignKeysHold(ctx, tx); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: migration %s: %w", m.name, err)
		}
		// PRAGMA takes no bound parameters; m.version is an int we made.
		if _, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(m.version)); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: migration %s: %w", m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("sqlite: migration %s: %w", m.name, err)
		}
	}
}

var _ detente.Archive = (*DB)(nil)

// foreignKeysHold fails when a row refers to one that is not there, naming
// the first such row.
func foreignKeysHold(ctx context.Context, tx *sql.Tx) error {
	var table, parent string
	var rowid sql.NullInt64
	var fk int
	err := tx.QueryRowContext(ctx, "PRAGMA foreign_key_check").Scan(&table, &rowid, &parent, &fk)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("check foreign keys: %w", err)
	}
	return fmt.Errorf("a row of %s (rowid %v) refers to a missing row of %s", table, rowid.Int64, parent)
}
