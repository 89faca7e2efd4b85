package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/detente/detente"
	"github.com/detente/detente/store/postgres"
	"github.com/detente/detente/store/storetest"
)

// openTest opens a store in a schema of its own, dropped when the test
// ends; it skips when DETENTE_TEST_POSTGRES does not name a server.
func openTest(t testing.TB) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), testURL(t))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.DropSchema(context.Background()); err != nil {
			t.Errorf("drop schema %s: %v", db.Schema(), err)
		}
		db.Close()
	})
	return db
}

// testURL is DETENTE_TEST_POSTGRES with a fresh random schema.
func testURL(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("DETENTE_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("DETENTE_TEST_POSTGRES is not set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable); skipping PostgreSQL tests")
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("DETENTE_TEST_POSTGRES: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	q := u.Query()
	q.Set("schema", "detente_test_"+hex.EncodeToString(b))
	u.RawQuery = q.Encode()
	return u.String()
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) detente.Archive { return openTest(t) })
}

func TestOpenRefusesBadURLsAndTakesTheSchemaFromSearchPath(t *testing.T) {
	ctx := context.Background()
	for _, bad := range []string{"mysql://x", "postgres://h/db?schema=Robert%27%29DROP", "postgres://h/db?schema=a.b"} {
		if _, err := postgres.Open(ctx, bad); detente.ErrorCode(err) != detente.EINVALID {
			t.Errorf("Open(%q) = %v; want invalid", bad, err)
		}
	}
	u, err := url.Parse(testURL(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	schema := q.Get("schema")
	q.Del("schema")
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	db, err := postgres.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { db.DropSchema(ctx); db.Close() }()
	if db.Schema() != schema || postgres.SchemaVersion() < 2 {
		t.Errorf("schema %q (version %d); want %q from search_path", db.Schema(), postgres.SchemaVersion(), schema)
	}
	// Opening again finds the schema migrated and changes nothing.
	again, err := postgres.Open(ctx, u.String())
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	again.Close()
}
