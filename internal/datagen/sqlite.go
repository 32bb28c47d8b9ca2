package datagen

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// sqliteWriter loads a SQLite file through one connection with multi-row
// INSERTs in large transactions. During the load the file has no journal
// and no fsync (a failed load is thrown away, not recovered); finish puts
// it back in WAL mode, as the server runs it.
type sqliteWriter struct {
	conn  *sql.DB
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

// sqliteMaxVars is SQLite's limit on bound parameters per statement.
const sqliteMaxVars = 32766

func openSQLite(path string) (*sqliteWriter, error) {
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("datagen: sqlite path %q must not contain ? or #", path)
	}
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(0)"+
		"&_pragma=synchronous(OFF)&_pragma=cache_size(-262144)&_pragma=temp_store(MEMORY)&_pragma=mmap_size(17179869184)&_pragma=threads(2)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1) // pragmas below are per connection: keep the one
	if _, err := db.Exec("PRAGMA journal_mode=OFF"); err != nil {
		db.Close()
		return nil, fmt.Errorf("datagen: %w", err)
	}
	return &sqliteWriter{conn: db}, nil
}

func (w *sqliteWriter) db() *sql.DB { return w.conn }

func (w *sqliteWriter) begin(ctx context.Context) error {
	tx, err := w.conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("datagen: begin: %w", err)
	}
	w.tx, w.stmts = tx, map[string]*sql.Stmt{}
	return nil
}

func (w *sqliteWriter) add(ctx context.Context, table string, cols []string, rows [][]any) error {
	per := min(500, sqliteMaxVars/len(cols))
	args := make([]any, 0, per*len(cols))
	for len(rows) > 0 {
		n := min(per, len(rows))
		stmt, err := w.stmt(ctx, table, cols, n)
		if err != nil {
			return err
		}
		args = args[:0]
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("datagen: insert into %s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}

// stmt prepares (once per transaction) the INSERT of n rows into table.
func (w *sqliteWriter) stmt(ctx context.Context, table string, cols []string, n int) (*sql.Stmt, error) {
	key := fmt.Sprintf("%s/%d", table, n)
	if s, ok := w.stmts[key]; ok {
		return s, nil
	}
	s, err := w.tx.PrepareContext(ctx, insertSQL(table, cols, n))
	if err != nil {
		return nil, fmt.Errorf("datagen: prepare insert into %s: %w", table, err)
	}
	w.stmts[key] = s
	return s, nil
}

// insertSQL is INSERT INTO table (cols) VALUES (?, …), … for n rows.
func insertSQL(table string, cols []string, n int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}

func (w *sqliteWriter) commit(context.Context) error {
	for _, s := range w.stmts {
		s.Close()
	}
	w.stmts = nil
	err := w.tx.Commit()
	w.tx = nil
	if err != nil {
		return fmt.Errorf("datagen: commit: %w", err)
	}
	return nil
}

func (w *sqliteWriter) dropIndexes(ctx context.Context, tables ...string) ([]string, error) {
	var names, ddls []string
	for _, t := range tables {
		rows, err := w.conn.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", t)
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
		if _, err := w.conn.ExecContext(ctx, `DROP INDEX "`+n+`"`); err != nil {
			return nil, fmt.Errorf("datagen: drop index %s: %w", n, err)
		}
	}
	return ddls, nil
}

func (w *sqliteWriter) finish(ctx context.Context) error {
	if _, err := w.conn.ExecContext(ctx, "PRAGMA journal_mode=WAL"); err != nil {
		return fmt.Errorf("datagen: back to WAL: %w", err)
	}
	return nil
}

func (w *sqliteWriter) close() {
	if w.tx != nil {
		w.tx.Rollback()
	}
	w.conn.Close()
}
