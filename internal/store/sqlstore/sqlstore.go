// Package sqlstore implements store.Store on SQLite (modernc.org/sqlite,
// pure Go, so releases build with CGO_ENABLED=0) and on PostgreSQL (pgx/v5
// through database/sql) with one set of SQL statements.
//
// Choices made once, so nobody has to rediscover them:
//
//   - Queries are written once with ? placeholders; rebind turns them into
//     $1, $2, … for PostgreSQL. The little that differs between the two
//     databases (placeholders, error codes, migration locking, backup) lives
//     in dialect.go; the schemas differ only in types (migrations/<dialect>).
//   - Times are stored as fixed-width RFC 3339 text in UTC with microsecond
//     precision ("2006-01-02T15:04:05.000000Z") in both databases: they sort
//     as text identically everywhere, round-trip exactly, and need no driver
//     conversions. JSON documents are TEXT in both.
//   - IDs are 26-character lower-case Crockford base32 strings whose first 48
//     bits are a millisecond timestamp and which increase strictly within a
//     process, so ordering by ID is creation order and serves as the cursor.
//   - SQLite runs in WAL mode so readers never wait for the writer. Every
//     read-write transaction begins IMMEDIATE (the driver's _txlock), taking
//     the write lock up front: two transactions can then never both read and
//     deadlock upgrading to write (SQLITE_BUSY that no timeout resolves).
//     busy_timeout(10000) makes a second writer queue for up to ten seconds
//     instead of failing. The pool holds sqliteMaxConns connections so WAL
//     readers run concurrently while the write lock serialises writers.
//   - PostgreSQL runs at READ COMMITTED. The invariants rest on unique
//     indexes and on the row lock that INSERT … ON CONFLICT DO UPDATE takes
//     on an area's sequence row; neither needs SERIALIZABLE. Domain rows are
//     written in a fixed order so that concurrent filings do not deadlock;
//     should PostgreSQL still pick a deadlock victim, InTx runs it again.
//   - Multi-statement methods run in their own transaction, or inside a
//     SAVEPOINT when called within InTx, so a method that fails changes
//     nothing on either database.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	mathrand "math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/beian-dev/beian/internal/store"
)

// Pool sizes. SQLite: enough connections for concurrent WAL readers; writes
// are serialised by the database's write lock whatever the pool size.
// PostgreSQL: per process; several replicas share the server's
// max_connections (100 by default), so keep it modest.
const (
	sqliteMaxConns   = 8
	postgresMaxConns = 12
)

// sqlitePragmas are applied by the driver to every new connection.
// busy_timeout comes first (the driver sorts it first anyway) so that the
// journal_mode switch itself waits rather than fails when several processes
// open the file at once.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
	"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"

// Store is a store.Store over one database pool; within InTx, a Store bound
// to the transaction.
type Store struct {
	db  *sql.DB
	d   *dialect
	tx  *txState // nil outside a transaction
	now func() time.Time
	// writer, on SQLite only, lets one write transaction of this process
	// at a time reach the database. SQLite serialises writers anyway, but a
	// writer that finds the lock taken waits in the driver's busy handler,
	// which (without usleep in the transpiled build) sleeps in steps of a
	// whole second; queueing here instead costs microseconds. Other
	// processes on the same file still meet busy_timeout.
	writer chan struct{}
	// stmts caches prepared statements (SQLite; nil on PostgreSQL).
	stmts *stmtCache
}

// lockWriter waits for this process's turn to write (SQLite only) and
// returns the function that gives it back.
func (s *Store) lockWriter(ctx context.Context) (func(), error) {
	if s.writer == nil || s.tx != nil {
		return func() {}, nil
	}
	select {
	case s.writer <- struct{}{}:
		return func() { <-s.writer }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// isWrite: a statement that needs SQLite's write lock.
func isWrite(query string) bool {
	q := strings.TrimSpace(query)
	if len(q) < 6 {
		return false
	}
	switch strings.ToUpper(q[:6]) {
	case "INSERT", "UPDATE", "DELETE", "REPLAC":
		return true
	}
	return false
}

// txState is the transaction shared by a Store and the Stores of nested InTx
// calls; savepoints number from it.
type txState struct {
	tx         *sql.Tx
	savepoints atomic.Int64
}

var _ store.Store = (*Store)(nil)

// Open connects to the database named by dsn and brings its schema up to
// date. dsn is "sqlite:PATH" (also "sqlite://PATH"; "sqlite::memory:" for a
// throwaway in-memory database on one connection) or a PostgreSQL URL
// ("postgres://…" or "postgresql://…"). In a PostgreSQL URL,
// pool_max_conns=N sets this process's pool size (default 12; mind the
// server's max_connections across replicas); other parameters, such as
// sslmode or search_path, go to pgx and the server.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s, err := open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := migrate(ctx, s.db, s.d); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// Migrate applies the embedded migrations that dsn's database lacks; it is
// what `beian-server migrate` runs. Open does the same on start-up; both are
// safe when several processes start at once.
func Migrate(ctx context.Context, dsn string) error {
	s, err := Open(ctx, dsn)
	if err != nil {
		return err
	}
	return s.Close()
}

func open(ctx context.Context, dsn string) (*Store, error) {
	d, driverName, driverDSN, maxConns, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	if d.name == dialectPostgres {
		pg := postgresDriver.Load()
		if pg == nil {
			return nil, errNoPostgres
		}
		driverName = pg.SQLDriver
	}
	db, err := sql.Open(driverName, driverDSN)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open %s: %w", d.name, err)
	}
	switch {
	case d.name == dialectSQLite && driverDSN == ":memory:?"+sqliteMemoryPragmas:
		// Every connection to :memory: is a separate, empty database, and
		// closing the last one loses it: keep exactly one, forever.
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
	case d.name == dialectSQLite:
		db.SetMaxOpenConns(sqliteMaxConns)
		db.SetMaxIdleConns(sqliteMaxConns)
	default:
		db.SetMaxOpenConns(maxConns)
		db.SetMaxIdleConns(maxConns)
		db.SetConnMaxIdleTime(5 * time.Minute)
		db.SetConnMaxLifetime(time.Hour)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlstore: connect to %s: %w", d.name, d.mapErr(err))
	}
	st := &Store{db: db, d: d, now: time.Now}
	if d.name == dialectSQLite {
		st.writer = make(chan struct{}, 1)
		st.stmts = newStmtCache(maxConns > 1)
	}
	return st, nil
}

// sqliteMemoryPragmas: WAL needs a file, so the in-memory database keeps
// the default journal.
const sqliteMemoryPragmas = "_pragma=foreign_keys(1)&_txlock=immediate"

// parseDSN picks the dialect, the driver's own DSN and, for PostgreSQL, the
// pool size.
func parseDSN(dsn string) (d *dialect, driverName, driverDSN string, maxConns int, err error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		if p, ok := strings.CutPrefix(path, "//"); ok {
			path = p
		}
		if path == ":memory:" {
			return sqliteDialect, "sqlite", ":memory:?" + sqliteMemoryPragmas, 1, nil
		}
		if path == "" {
			return nil, "", "", 0, errors.New("sqlstore: sqlite DSN without a path (want sqlite:PATH)")
		}
		if strings.ContainsAny(path, "?#") {
			return nil, "", "", 0, fmt.Errorf("sqlstore: sqlite path %q must not contain ? or #", path)
		}
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, "", "", 0, fmt.Errorf("sqlstore: create the database directory: %w", err)
			}
		}
		if err := privateFile(path); err != nil {
			return nil, "", "", 0, err
		}
		return sqliteDialect, "sqlite", path + "?" + sqlitePragmas, sqliteMaxConns, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		u, err := url.Parse(dsn)
		if err != nil {
			return nil, "", "", 0, errors.New("sqlstore: malformed PostgreSQL URL") // it may hold a password: do not echo it
		}
		maxConns = postgresMaxConns
		q := u.Query()
		if v := q.Get("pool_max_conns"); v != "" {
			if maxConns, err = strconv.Atoi(v); err != nil || maxConns < 1 {
				return nil, "", "", 0, fmt.Errorf("sqlstore: pool_max_conns=%q is not a positive number", v)
			}
			q.Del("pool_max_conns") // ours, not a server setting
			u.RawQuery = q.Encode()
			dsn = u.String()
		}
		return postgresDialect, "pgx", dsn, maxConns, nil
	}
	return nil, "", "", 0, errors.New(`sqlstore: unknown database (want "sqlite:PATH" or "postgres://…")`)
}

// privateFile makes the database file readable by its owner only (0600):
// it holds identity numbers, mobiles and password hashes. SQLite gives its
// -wal and -shm files the database file's mode.
func privateFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("sqlstore: open the database file: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("sqlstore: open the database file: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		if err := f.Chmod(st.Mode().Perm() &^ 0o077); err != nil {
			return fmt.Errorf("sqlstore: make the database file private: %w", err)
		}
	}
	return nil
}

// Dialect is "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

// Ping checks that the database answers (readiness).
func (s *Store) Ping(ctx context.Context) error {
	return s.d.mapErr(s.db.PingContext(ctx))
}

// Close closes the pool. Within InTx it is an error: the transaction is not
// the Store's to end.
func (s *Store) Close() error {
	if s.tx != nil {
		return errors.New("sqlstore: Close inside a transaction")
	}
	if s.stmts != nil {
		s.stmts.close()
	}
	return s.db.Close()
}

// Backup writes a consistent copy of a SQLite database to path, which must
// not exist, while the server keeps running (VACUUM INTO).
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.d.name != dialectSQLite {
		return errors.New("sqlstore: online backup is for SQLite; back PostgreSQL up with pg_dump")
	}
	if s.tx != nil {
		return errors.New("sqlstore: Backup inside a transaction")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("sqlstore: backup target %s exists", path)
	}
	_, err := s.db.ExecContext(ctx, "VACUUM INTO ?", path)
	return s.d.mapErr(err)
}

// InTx runs fn in one transaction. Within a transaction it joins it. On
// PostgreSQL a transaction chosen as a deadlock victim is run again (up to
// txAttempts times in all), so fn must not have effects outside the store.
func (s *Store) InTx(ctx context.Context, fn func(tx store.Store) error) error {
	return s.inTx(ctx, func(tx *Store) error { return fn(tx) })
}

// txAttempts bounds how often a transaction that PostgreSQL aborted as a
// deadlock victim or serialization failure is run again.
const txAttempts = 3

func (s *Store) inTx(ctx context.Context, fn func(tx *Store) error) error {
	if s.tx != nil {
		return fn(s)
	}
	for attempt := 1; ; attempt++ {
		err := s.runTx(ctx, fn)
		if attempt == txAttempts || !retryable(err) {
			return err
		}
		// Back off a little, differently for each contender.
		select {
		case <-time.After(time.Duration(attempt*(5+mathrand.IntN(20))) * time.Millisecond):
		case <-ctx.Done():
			return err
		}
	}
}

// retryable: PostgreSQL gave up on the transaction for a reason that says
// nothing about its content (deadlock_detected, serialization_failure), so
// running it again may well succeed. Lock order is kept deterministic where
// this package controls it, so this is a safety net, not a routine.
func retryable(err error) bool {
	code, _, ok := pgServerError(err)
	return ok && (code == "40P01" || code == "40001")
}

func (s *Store) runTx(ctx context.Context, fn func(tx *Store) error) (err error) {
	unlock, err := s.lockWriter(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.d.mapErr(err)
	}
	done := false
	defer func() {
		if !done {
			tx.Rollback() // fn panicked: undo, let the panic continue
		}
	}()
	if err := fn(&Store{db: s.db, d: s.d, tx: &txState{tx: tx}, now: s.now, writer: s.writer, stmts: s.stmts}); err != nil {
		done = true
		tx.Rollback()
		return err
	}
	done = true
	return s.d.mapErr(tx.Commit())
}

// atomically runs a multi-statement method so that it changes nothing when
// it fails: in its own transaction, or within a savepoint of the caller's.
func (s *Store) atomically(ctx context.Context, fn func(tx *Store) error) error {
	if s.tx == nil {
		return s.inTx(ctx, fn)
	}
	name := fmt.Sprintf("sp%d", s.tx.savepoints.Add(1))
	if _, err := s.tx.tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return s.d.mapErr(err)
	}
	if err := fn(s); err != nil {
		// On PostgreSQL this also clears the aborted state the error left.
		if _, rerr := s.tx.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+name); rerr != nil {
			return errors.Join(err, s.d.mapErr(rerr))
		}
		return err
	}
	_, err := s.tx.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+name)
	return s.d.mapErr(err)
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Store) q() querier {
	if s.tx != nil {
		return s.tx.tx
	}
	return s.db
}

// exec runs a statement and returns the number of rows it touched.
func (s *Store) exec(ctx context.Context, query string, args ...any) (int64, error) {
	unlock, err := s.lockWriter(ctx)
	if err != nil {
		return 0, err
	}
	defer unlock()
	r, err := s.execQ(ctx, query, args...)
	if err != nil {
		return 0, s.d.mapErr(err)
	}
	n, err := r.RowsAffected()
	return n, s.d.mapErr(err)
}

// get scans the single row of query into dest; no row is store.ErrNotFound.
func (s *Store) get(ctx context.Context, query string, args []any, dest ...any) error {
	if isWrite(query) { // UPDATE … RETURNING outside a transaction
		unlock, err := s.lockWriter(ctx)
		if err != nil {
			return err
		}
		defer unlock()
	}
	return s.d.mapErr(s.queryRowQ(ctx, query, args...).Scan(dest...))
}

// list runs query and calls scan for every row.
func (s *Store) list(ctx context.Context, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := s.queryQ(ctx, query, args...)
	if err != nil {
		return s.d.mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return s.d.mapErr(err)
		}
	}
	return s.d.mapErr(rows.Err())
}

// exists reports whether query finds a row; it tells ErrNotFound from
// ErrVersionConflict after a guarded write touched nothing.
func (s *Store) exists(ctx context.Context, query string, args ...any) (bool, error) {
	var one int
	err := s.get(ctx, query, args, &one)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// staleOrMissing is the error of a guarded write that touched no row.
func (s *Store) staleOrMissing(ctx context.Context, table, keyCol string, key any) error {
	ok, err := s.exists(ctx, "SELECT 1 FROM "+table+" WHERE "+keyCol+" = ?", key)
	switch {
	case err != nil:
		return err
	case ok:
		return store.ErrVersionConflict
	}
	return store.ErrNotFound
}

func (s *Store) stamp() time.Time { return s.now().UTC().Truncate(time.Microsecond) }
