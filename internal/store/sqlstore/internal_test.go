package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/store"
)

func TestRebind(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT a FROM t WHERE a = ? AND b = ?", "SELECT a FROM t WHERE a = $1 AND b = $2"},
		{"INSERT INTO t VALUES (?, '?', ?)", "INSERT INTO t VALUES ($1, '?', $2)"},
		{`SELECT "odd?name" FROM t WHERE x IN (?, ?, ?)`, `SELECT "odd?name" FROM t WHERE x IN ($1, $2, $3)`},
		{"(a, b) > (?, ?) LIMIT ?", "(a, b) > ($1, $2) LIMIT $3"},
	} {
		if got := rebind(tc.in); got != tc.want {
			t.Errorf("rebind(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTimeFormatSortsAsText(t *testing.T) {
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	times := []time.Time{
		base, base.Add(time.Microsecond), base.Add(500 * time.Millisecond), base.Add(time.Second),
		base.Add(-time.Nanosecond),                                        // truncated to the microsecond below base
		time.Date(2026, 1, 2, 11, 4, 5, 0, time.FixedZone("CST", 8*3600)), // = base in UTC
	}
	var texts []string
	for _, tm := range times {
		s := formatTime(tm)
		if len(s) != len(timeLayout) {
			t.Errorf("formatTime(%v) = %q: not fixed width", tm, s)
		}
		var back time.Time
		if err := (timeCol{&back}).Scan(s); err != nil || !back.Equal(tm.Truncate(time.Microsecond)) {
			t.Errorf("round trip of %v: %v, %v", tm, back, err)
		}
		texts = append(texts, s)
	}
	if !sort.SliceIsSorted(texts[:4], func(i, j int) bool { return texts[i] < texts[j] }) {
		t.Errorf("text order is not time order: %v", texts[:4])
	}
	if texts[4] >= texts[0] || texts[5] != texts[0] {
		t.Errorf("got %v", texts)
	}
}

func TestIDsIncrease(t *testing.T) {
	prev := newID()
	for range 10000 {
		id := newID()
		if len(id) != 26 || id <= prev {
			t.Fatalf("%q after %q: want 26 characters, strictly increasing", id, prev)
		}
		prev = id
	}
}

func TestCursor(t *testing.T) {
	c := encodeCursor("2026-01-02T03:04:05.000000Z", "site", "01abc")
	f, err := decodeCursor(c, 3)
	if err != nil || !slices.Equal(f, []string{"2026-01-02T03:04:05.000000Z", "site", "01abc"}) {
		t.Fatalf("decode = %v, %v", f, err)
	}
	for _, bad := range []string{"!!", encodeCursor("a", "b"), encodeCursor("", "b", "c")} {
		if _, err := decodeCursor(bad, 3); !errors.Is(err, store.ErrInvalidCursor) {
			t.Errorf("decodeCursor(%q) = %v", bad, err)
		}
	}
}

func TestPrefixRange(t *testing.T) {
	lo, hi := prefixRange("4201")
	for _, code := range []string{"420100", "420111", "420199"} {
		if !(code >= lo && code < hi) {
			t.Errorf("%s outside [%s, %s)", code, lo, hi)
		}
	}
	for _, code := range []string{"420000", "420200", "4202", "110101"} {
		if code >= lo && code < hi {
			t.Errorf("%s inside [%s, %s)", code, lo, hi)
		}
	}
	if lo, hi := prefixRange("42019"); lo != "42019" || hi != "4201:" {
		t.Errorf("prefixRange(42019) = %q, %q", lo, hi)
	}
}

func TestPageLimit(t *testing.T) {
	for in, want := range map[int]int{-1: 50, 0: 50, 1: 1, 500: 500, 501: 500} {
		if got := pageLimit(in); got != want {
			t.Errorf("pageLimit(%d) = %d, want %d", in, got, want)
		}
	}
}

func TestDedupe(t *testing.T) {
	got := dedupe([]string{"a.cn", "", "b.cn", "a.cn"})
	if !slices.Equal(got, []string{"a.cn", "b.cn"}) {
		t.Errorf("dedupe = %v", got)
	}
}

func TestParseDSN(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		dsn, dialect, driverDSN string
		maxConns                int
	}{
		{"sqlite:" + dir + "/a.db", dialectSQLite, dir + "/a.db?" + sqlitePragmas, sqliteMaxConns},
		{"sqlite://" + dir + "/b.db", dialectSQLite, dir + "/b.db?" + sqlitePragmas, sqliteMaxConns},
		{"sqlite::memory:", dialectSQLite, ":memory:?" + sqliteMemoryPragmas, 1},
		{"postgres://u:p@db:5432/beian?sslmode=disable", dialectPostgres, "postgres://u:p@db:5432/beian?sslmode=disable", postgresMaxConns},
		{"postgresql://u:p@db/beian?pool_max_conns=30&sslmode=require", dialectPostgres, "postgresql://u:p@db/beian?sslmode=require", 30},
	} {
		d, _, driverDSN, n, err := parseDSN(tc.dsn)
		if err != nil || d.name != tc.dialect || driverDSN != tc.driverDSN || n != tc.maxConns {
			t.Errorf("parseDSN(%q) = %v, %q, %d, %v; want %s, %q, %d", tc.dsn, d, driverDSN, n, err, tc.dialect, tc.driverDSN, tc.maxConns)
		}
	}
	for _, bad := range []string{"", "sqlite:", "mysql://x", "postgres://u:secret@db/x?pool_max_conns=0", "postgres://u:secret@db/x?pool_max_conns=many"} {
		_, _, _, _, err := parseDSN(bad)
		if err == nil {
			t.Errorf("parseDSN(%q) accepted", bad)
		} else if strings.Contains(err.Error(), "secret") {
			t.Errorf("parseDSN(%q) echoes the password: %v", bad, err)
		}
	}
}

func TestMapErr(t *testing.T) {
	for _, u := range uniques {
		if u.constraint == "" || u.pgIndex == "" || u.sqliteCols == "" {
			t.Errorf("incomplete entry %+v", u)
		}
	}
	if got := sqliteDialect.mapErr(sql.ErrNoRows); !errors.Is(got, store.ErrNotFound) {
		t.Errorf("ErrNoRows → %v", got)
	}
	if got := postgresDialect.mapErr(context.DeadlineExceeded); !errors.Is(got, context.DeadlineExceeded) {
		t.Errorf("deadline → %v", got)
	}
}

// The two schemas must stay in step: the same tables, columns and index
// names (mapErr finds PostgreSQL's unique violations by index name).
func TestSchemasInStep(t *testing.T) {
	names := func(dialect string) []string {
		ms, err := migrations(dialect)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range ms {
			for _, line := range strings.Split(m.sql, "\n") {
				f := strings.Fields(strings.ReplaceAll(line, ",", ""))
				switch {
				case len(f) >= 3 && f[0] == "CREATE" && f[1] == "TABLE":
					out = append(out, "table "+f[2])
				case len(f) >= 4 && f[0] == "CREATE" && (f[1] == "INDEX" || f[2] == "INDEX"):
					out = append(out, "index "+f[slices.Index(f, "INDEX")+1])
				case len(f) >= 2 && strings.HasPrefix(line, "    ") && f[0] != "CONSTRAINT" && f[0] != "PRIMARY":
					out = append(out, "column "+f[0])
				}
			}
		}
		return out
	}
	sqlite, pg := names(dialectSQLite), names(dialectPostgres)
	if len(sqlite) < 20 || !slices.Equal(sqlite, pg) {
		t.Fatalf("schemas differ:\nsqlite   %v\npostgres %v", sqlite, pg)
	}
	ms, _ := migrations(dialectPostgres)
	var all strings.Builder
	for _, m := range ms {
		all.WriteString(m.sql)
	}
	for _, u := range uniques {
		// subjects_pkey is the name PostgreSQL gives the primary key itself.
		if u.pgIndex != "subjects_pkey" && !strings.Contains(all.String(), " "+u.pgIndex+" ") {
			t.Errorf("unique %s: no index or constraint %s in the schema", u.constraint, u.pgIndex)
		}
	}
}

// A binary without pgdriver says so for a postgres:// DSN, naming the
// package to import, instead of database/sql's "unknown driver".
func TestOpenPostgresWithoutTheDriver(t *testing.T) {
	saved := postgresDriver.Swap(nil)
	defer postgresDriver.Store(saved)
	_, err := Open(t.Context(), "postgres://u:p@127.0.0.1:1/x?sslmode=disable")
	if !errors.Is(err, errNoPostgres) {
		t.Fatalf("Open = %v, want %v", err, errNoPostgres)
	}
}

// A query is prepared once and reused; inside a transaction on the
// one-connection in-memory database an uncached query runs as text instead
// of waiting for a connection the transaction holds.
func TestStatementCache(t *testing.T) {
	for _, dsn := range []string{"sqlite:" + t.TempDir() + "/c.db", "sqlite::memory:"} {
		t.Run(dsn[:12], func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			s, err := Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			const q = "SELECT count(*) FROM accounts WHERE login = ?"
			var n int
			for range 3 {
				if err := s.get(ctx, q, []any{"nobody"}, &n); err != nil {
					t.Fatal(err)
				}
			}
			cached := len(s.stmts.m)
			if _, ok := s.stmts.m[q]; !ok {
				t.Fatalf("%q not cached (%d statements)", q, cached)
			}
			err = s.inTx(ctx, func(tx *Store) error {
				for range 2 {
					if err := tx.get(ctx, q, []any{"nobody"}, &n); err != nil { // cached: bound to the tx
						return err
					}
					if err := tx.get(ctx, "SELECT count(*) FROM sites WHERE id = ?", []any{"x"}, &n); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if ctx.Err() != nil {
				t.Fatal("the transaction waited for a connection")
			}
			if want := cached + map[bool]int{true: 1, false: 0}[s.stmts.prepareInTx]; len(s.stmts.m) != want {
				t.Errorf("%d statements cached after the transaction, want %d", len(s.stmts.m), want)
			}
		})
	}
}
