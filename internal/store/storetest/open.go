// Package storetest is the conformance suite every store.Store passes (Run),
// and the helpers other packages' tests use to get a fresh, empty database
// of each kind: a temporary SQLite file always, and a PostgreSQL schema of
// its own when BEIAN_TEST_POSTGRES_URL is set.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/store"
	"github.com/beian-dev/beian/internal/store/sqlstore"
	_ "github.com/beian-dev/beian/internal/store/sqlstore/pgdriver" // postgres:// databases
)

// Test switches, read from the environment.
const (
	// EnvPostgresURL names a PostgreSQL database the tests may use, e.g.
	// postgres://beian:beian@127.0.0.1:5432/beian_test?sslmode=disable.
	// Each test works in a schema of its own, dropped afterwards, so runs
	// can overlap and repeat.
	EnvPostgresURL = "BEIAN_TEST_POSTGRES_URL"
	// EnvRequirePostgres=1 turns the PostgreSQL tests' skip into a failure
	// when EnvPostgresURL is unset, so CI cannot pass without them.
	EnvRequirePostgres = "BEIAN_TEST_REQUIRE_POSTGRES"
)

// NewSQLiteDSN returns the DSN of a fresh SQLite file in t's temporary
// directory (for tests that start a server process on it).
func NewSQLiteDSN(t testing.TB) string {
	t.Helper()
	return "sqlite:" + filepath.Join(t.TempDir(), "beian.db")
}

// OpenSQLite opens a fresh SQLite store, closed when t ends.
func OpenSQLite(t testing.TB) store.Store {
	t.Helper()
	return openDSN(t, NewSQLiteDSN(t))
}

// PostgresURL is EnvPostgresURL. When it is unset the test is skipped, or
// fails if EnvRequirePostgres is "1".
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvPostgresURL)
	if u == "" {
		if os.Getenv(EnvRequirePostgres) == "1" {
			t.Fatalf("%s=1 but %s is not set: the PostgreSQL tests must run", EnvRequirePostgres, EnvPostgresURL)
		}
		t.Skipf("%s not set: skipping PostgreSQL", EnvPostgresURL)
	}
	return u
}

// NewPostgresDSN creates an empty schema in the PostgreSQL test database,
// drops it when t ends, and returns a DSN whose search_path is that schema.
// Skips or fails as PostgresURL does.
func NewPostgresDSN(t testing.TB) string {
	t.Helper()
	base := PostgresURL(t)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s is not a URL", EnvPostgresURL)
	}
	var b [8]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])

	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", EnvPostgresURL, err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// OpenPostgres opens a store on a fresh schema (see NewPostgresDSN) and
// returns it with its DSN, so a test can open a second, independent pool on
// the same data — a stand-in for a second server process.
func OpenPostgres(t testing.TB) (store.Store, string) {
	t.Helper()
	dsn := NewPostgresDSN(t)
	return openDSN(t, dsn), dsn
}

// Open opens dsn with sqlstore and closes the store when t ends.
func Open(t testing.TB, dsn string) store.Store {
	t.Helper()
	return openDSN(t, dsn)
}

func openDSN(t testing.TB, dsn string) store.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Dialects runs fn once per database: "sqlite" always, "postgres" when
// EnvPostgresURL is set (skipped otherwise, or failed under
// EnvRequirePostgres=1). open gives a fresh, empty store each call.
func Dialects(t *testing.T, fn func(t *testing.T, open func(t *testing.T) store.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, func(t *testing.T) store.Store { return OpenSQLite(t) })
	})
	t.Run("postgres", func(t *testing.T) {
		PostgresURL(t)
		fn(t, func(t *testing.T) store.Store { s, _ := OpenPostgres(t); return s })
	})
}
