package datagen

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// pgWriter loads PostgreSQL with COPY (pgx's CopyFrom) over one connection,
// in large transactions. The DSN's search_path, if any, picks the schema.
type pgWriter struct {
	pool *sql.DB
	conn *sql.Conn
	tx   pgx.Tx
}

func openPostgres(ctx context.Context, dsn string) (*pgWriter, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("datagen: connect: %w", err)
	}
	// Nothing here needs to survive a crash until the load commits.
	if _, err := conn.ExecContext(ctx, "SET synchronous_commit = off"); err != nil {
		conn.Close()
		db.Close()
		return nil, fmt.Errorf("datagen: %w", err)
	}
	return &pgWriter{pool: db, conn: conn}, nil
}

func (w *pgWriter) db() *sql.DB { return w.pool }

// raw runs fn on the pgx connection under the database/sql one.
func (w *pgWriter) raw(fn func(c *pgx.Conn) error) error {
	return w.conn.Raw(func(dc any) error { return fn(dc.(*stdlib.Conn).Conn()) })
}

func (w *pgWriter) begin(ctx context.Context) error {
	return w.raw(func(c *pgx.Conn) error {
		tx, err := c.Begin(ctx)
		if err != nil {
			return fmt.Errorf("datagen: begin: %w", err)
		}
		w.tx = tx
		return nil
	})
}

func (w *pgWriter) add(ctx context.Context, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	return w.raw(func(*pgx.Conn) error {
		if _, err := w.tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("datagen: copy into %s: %w", table, err)
		}
		return nil
	})
}

func (w *pgWriter) commit(ctx context.Context) error {
	return w.raw(func(*pgx.Conn) error {
		err := w.tx.Commit(ctx)
		w.tx = nil
		if err != nil {
			return fmt.Errorf("datagen: commit: %w", err)
		}
		return nil
	})
}

func (w *pgWriter) dropIndexes(ctx context.Context, tables ...string) ([]string, error) {
	var names, ddls []string
	for _, t := range tables {
		// Indexes behind constraints (primary keys) stay: DROP INDEX
		// cannot remove them.
		rows, err := w.conn.QueryContext(ctx, `SELECT indexname, indexdef FROM pg_indexes
			WHERE schemaname = current_schema() AND tablename = $1
			AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE connamespace = current_schema()::regnamespace)`, t)
		if err != nil {
			return nil, fmt.Errorf("datagen: list indexes: %w", err)
		}
		for rows.Next() {
			var name, ddl string
			if err := rows.Scan(&name, &ddl); err != nil {
				rows.Close()
				return nil, err
			}
			names, ddls = append(names, name), append(ddls, ddl)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	for _, n := range names {
		if _, err := w.conn.ExecContext(ctx, "DROP INDEX "+pgx.Identifier{n}.Sanitize()); err != nil {
			return nil, fmt.Errorf("datagen: drop index %s: %w", n, err)
		}
	}
	return ddls, nil
}

// finish gathers planner statistics, as autovacuum would shortly after a
// load this size, so that the benchmark does not depend on its timing.
func (w *pgWriter) finish(ctx context.Context) error {
	if _, err := w.conn.ExecContext(ctx, "ANALYZE accounts, subjects, tokens, sites, site_domains, area_sequences"); err != nil {
		return fmt.Errorf("datagen: analyze: %w", err)
	}
	return nil
}

func (w *pgWriter) close() {
	if w.tx != nil {
		_ = w.raw(func(*pgx.Conn) error { return w.tx.Rollback(context.Background()) })
	}
	w.conn.Close()
	w.pool.Close()
}
