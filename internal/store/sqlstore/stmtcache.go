package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStatements bounds the statement cache: the store's queries are
// constants, a few dozen, but the ones built with a placeholder per value
// (domain batches, IN lists) vary; past the bound a query runs unprepared.
const maxCachedStatements = 256

// stmtCache prepares each query once per database and keeps it, so that
// SQLite does not parse and plan the same text on every request (without
// it, sqlite3_prepare_v2 was a quarter of the server's CPU). database/sql
// prepares a cached statement lazily on each pooled connection and, inside
// a transaction, reuses the one already prepared on the transaction's
// connection (Tx.StmtContext). PostgreSQL does not use it: pgx keeps its
// own per-connection statement cache.
type stmtCache struct {
	mu sync.RWMutex
	m  map[string]*sql.Stmt
	// prepareInTx says a query first met inside a transaction may be
	// prepared on another pooled connection. It is false for the
	// one-connection in-memory database, where that would wait forever
	// for the connection the transaction holds; with a file, the writer
	// lock lets one transaction hold a connection at a time and the pool
	// has sqliteMaxConns.
	prepareInTx bool
}

func newStmtCache(prepareInTx bool) *stmtCache {
	return &stmtCache{m: map[string]*sql.Stmt{}, prepareInTx: prepareInTx}
}

// get returns the prepared statement of query (already bound), preparing
// it on first use; nil (run it unprepared) when the cache is full.
func (c *stmtCache) get(ctx context.Context, db *sql.DB, query string, inTx bool) (*sql.Stmt, error) {
	c.mu.RLock()
	st, ok := c.m[query]
	full := len(c.m) >= maxCachedStatements
	c.mu.RUnlock()
	if ok || full || inTx && !c.prepareInTx {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.m[query]; ok { // prepared meanwhile by another request
		st.Close()
		return prev, nil
	}
	if len(c.m) >= maxCachedStatements {
		st.Close()
		return nil, nil
	}
	c.m[query] = st
	return st, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		st.Close()
		delete(c.m, q)
	}
}

// stmt is the statement to run query with: the cached one, bound to the
// transaction when there is one; nil to run the text itself.
func (s *Store) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if s.stmts == nil {
		return nil, nil
	}
	st, err := s.stmts.get(ctx, s.db, query, s.tx != nil)
	if err != nil || st == nil {
		return nil, err
	}
	if s.tx != nil {
		return s.tx.tx.StmtContext(ctx, st), nil
	}
	return st, nil
}

// execQ, queryRowQ and queryQ run query through the statement cache when
// it has the query, and as text otherwise.
func (s *Store) execQ(ctx context.Context, query string, args ...any) (sql.Result, error) {
	q := s.d.bind(query)
	st, err := s.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if st != nil {
		return st.ExecContext(ctx, args...)
	}
	return s.q().ExecContext(ctx, q, args...)
}

func (s *Store) queryRowQ(ctx context.Context, query string, args ...any) *sql.Row {
	q := s.d.bind(query)
	if st, err := s.stmt(ctx, q); err == nil && st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.q().QueryRowContext(ctx, q, args...)
}

func (s *Store) queryQ(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q := s.d.bind(query)
	st, err := s.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.q().QueryContext(ctx, q, args...)
}
