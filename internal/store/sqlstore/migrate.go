package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// migrationsFS holds the schema, one directory per dialect. A migration is
// NNNN_name.sql, applied once in NNNN order and recorded in
// schema_migrations. Never edit an applied file: add the next one.
//
//go:embed migrations
var migrationsFS embed.FS

// migrationLockKey is the PostgreSQL advisory lock taken while migrating, so
// that replicas starting together apply each migration once. ("beian" in
// ASCII.)
const migrationLockKey = 0x62_65_69_61_6e

type migration struct {
	version int
	name    string
	sql     string
}

func migrations(dialect string) ([]migration, error) {
	dir := path.Join("migrations", dialect)
	entries, err := fs.ReadDir(migrationsFS, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("sqlstore: migration %s/%s is not named NNNN_name.sql", dir, e.Name())
		}
		b, err := fs.ReadFile(migrationsFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrator is what *sql.DB and *sql.Conn have in common.
type migrator interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// migrate applies what is missing, each migration in its own transaction.
// On SQLite the transaction's immediate write lock serialises concurrent
// starters; on PostgreSQL an advisory lock held on one connection does.
// Either way each migration re-checks schema_migrations under the lock.
func migrate(ctx context.Context, db *sql.DB, d *dialect) error {
	ms, err := migrations(d.name)
	if err != nil {
		return err
	}
	var m migrator = db
	if d.name == dialectPostgres {
		conn, err := db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("sqlstore: migrate: %w", d.mapErr(err))
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
			return fmt.Errorf("sqlstore: migrate: lock: %w", d.mapErr(err))
		}
		defer func() {
			// Closing the connection releases the lock too; this only frees it sooner.
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockKey)
		}()
		m = conn
	}
	if _, err := m.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", d.mapErr(err))
	}
	for _, mg := range ms {
		if err := applyMigration(ctx, m, d, mg); err != nil {
			return fmt.Errorf("sqlstore: migration %s: %w", mg.name, err)
		}
	}
	return nil
}

func applyMigration(ctx context.Context, m migrator, d *dialect, mg migration) error {
	tx, err := m.BeginTx(ctx, nil)
	if err != nil {
		return d.mapErr(err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, d.bind("SELECT COUNT(*) FROM schema_migrations WHERE version = ?"), mg.version).Scan(&n); err != nil {
		return d.mapErr(err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, mg.sql); err != nil {
		return d.mapErr(err)
	}
	if _, err := tx.ExecContext(ctx, d.bind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
		mg.version, mg.name, formatTime(time.Now())); err != nil {
		return d.mapErr(err)
	}
	return d.mapErr(tx.Commit())
}

// SchemaVersion is the highest migration applied to the database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.get(ctx, "SELECT MAX(version) FROM schema_migrations", nil, &v)
	return int(v.Int64), err
}
