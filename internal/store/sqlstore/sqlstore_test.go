package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/store"
	"github.com/beian-dev/beian/internal/store/sqlstore"
	"github.com/beian-dev/beian/internal/store/storetest"
)

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return storetest.OpenSQLite(t) })
}

func TestPostgres(t *testing.T) {
	storetest.PostgresURL(t) // skip, or fail under BEIAN_TEST_REQUIRE_POSTGRES=1
	storetest.Run(t, func(t *testing.T) store.Store {
		s, _ := storetest.OpenPostgres(t)
		return s
	})
}

// TestPostgresTwoPools stands in for two server processes on one
// PostgreSQL: two independent pools, the same schema. Sequences and domain
// uniqueness must hold across them.
func TestPostgresTwoPools(t *testing.T) {
	first, dsn := storetest.OpenPostgres(t)
	second := storetest.Open(t, dsn+"&pool_max_conns=4") // a smaller second process
	stores := []store.Store{first, second}
	t.Run("sequences", func(t *testing.T) { storetest.ConcurrentSequences(t, stores, 200) })
	t.Run("reservations", func(t *testing.T) { storetest.ConcurrentReservations(t, stores, 50) })
}

// TestSQLiteTwoPools: the same over two pools on one SQLite file (two
// processes sharing a sandbox database).
func TestSQLiteTwoPools(t *testing.T) {
	dsn := storetest.NewSQLiteDSN(t)
	stores := []store.Store{storetest.Open(t, dsn), storetest.Open(t, dsn)}
	t.Run("sequences", func(t *testing.T) { storetest.ConcurrentSequences(t, stores, 200) })
	t.Run("reservations", func(t *testing.T) { storetest.ConcurrentReservations(t, stores, 50) })
}

func TestDialects(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		s := open(t).(*sqlstore.Store)
		if want := t.Name()[len("TestDialects/"):]; s.Dialect() != want {
			t.Errorf("Dialect() = %q, want %q", s.Dialect(), want)
		}
		v, err := s.SchemaVersion(t.Context())
		if err != nil || v < 1 {
			t.Errorf("SchemaVersion = %d, %v", v, err)
		}
		if err := s.Ping(t.Context()); err != nil {
			t.Errorf("Ping: %v", err)
		}
	})
}

// Several processes starting at once on a fresh database each migrate; the
// schema must come out whole and each migration applied once.
func TestConcurrentMigrations(t *testing.T) {
	run := func(t *testing.T, dsn string) {
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for range 4 {
			wg.Go(func() {
				if err := sqlstore.Migrate(t.Context(), dsn); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		s, err := sqlstore.Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if v, err := s.SchemaVersion(t.Context()); err != nil || v != sqlstore.LatestMigrationForTest("sqlite") || v != sqlstore.LatestMigrationForTest("postgres") {
			t.Fatalf("schema version %d, %v; want the latest migration of both dialects", v, err)
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, storetest.NewSQLiteDSN(t)) })
	t.Run("postgres", func(t *testing.T) { run(t, storetest.NewPostgresDSN(t)) })
}

func TestOpenRefusesUnknownDSN(t *testing.T) {
	for _, dsn := range []string{"", "mysql://x", "sqlite:", "sqlite:/tmp/a?b.db"} {
		if s, err := sqlstore.Open(t.Context(), dsn); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", dsn)
		}
	}
}

func TestOpenUnreachablePostgresIsUnavailable(t *testing.T) {
	// Port 1 on loopback: nothing listens, the connection is refused.
	_, err := sqlstore.Open(t.Context(), "postgres://beian:secret-pw@127.0.0.1:1/beian?sslmode=disable&connect_timeout=2")
	if !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("error = %v, want ErrUnavailable", err)
	}
}

func TestClosedStoreIsUnavailable(t *testing.T) {
	s, err := sqlstore.Open(t.Context(), storetest.NewSQLiteDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := s.Ping(t.Context()); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Ping after Close: %v, want ErrUnavailable", err)
	}
	if _, err := s.AccountByLogin(t.Context(), "x"); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("query after Close: %v, want ErrUnavailable", err)
	}
}

func TestMemory(t *testing.T) {
	s, err := sqlstore.Open(t.Context(), "sqlite::memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a := store.Account{Login: "mem"}
	if err := s.CreateAccount(t.Context(), &a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AccountByLogin(t.Context(), "mem"); err != nil {
		t.Fatal(err)
	}
}

func TestBackup(t *testing.T) {
	ctx := t.Context()
	s := storetest.OpenSQLite(t).(*sqlstore.Store)
	a := store.Account{Login: "backed-up", Mobile: "13800138000"}
	if err := s.CreateAccount(ctx, &a); err != nil {
		t.Fatal(err)
	}
	v := store.Site{AccountID: a.ID, State: filing.StateRecorded, Data: filingtest.Site("backup.example.com"),
		Domains: []string{"backup.example.com"}, RecordNumber: "鄂公网安备42011102000001号"}
	if err := s.CreateSite(ctx, &v); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := s.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(ctx, path); err == nil {
		t.Error("a second backup over the first succeeded")
	}
	c, err := sqlstore.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got, err := c.SiteByRecordNumber(ctx, v.RecordNumber)
	if err != nil || got.ID != v.ID || len(got.Domains) != 1 {
		t.Fatalf("site in the backup = %+v, %v", got, err)
	}
}

func TestBackupRefusedOnPostgres(t *testing.T) {
	s, _ := storetest.OpenPostgres(t)
	if err := s.(*sqlstore.Store).Backup(t.Context(), filepath.Join(t.TempDir(), "x.db")); err == nil {
		t.Fatal("Backup on PostgreSQL succeeded")
	}
}

// TestSQLitePragmas checks the connection settings the package comment
// promises, on a connection of the store's own pool.
func TestSQLitePragmas(t *testing.T) {
	dsn := storetest.NewSQLiteDSN(t)
	s, err := sqlstore.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	path := dsn[len("sqlite:"):]
	if _, err := os.Stat(path + "-wal"); err != nil {
		t.Errorf("no WAL file beside the database: %v", err)
	}
	for pragma, want := range map[string]string{"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "10000"} {
		got, err := sqlstore.PragmaForTest(t.Context(), s, pragma)
		if err != nil || got != want {
			t.Errorf("PRAGMA %s = %q, %v; want %q", pragma, got, err, want)
		}
	}
}

func BenchmarkCreateSite(b *testing.B) {
	s := storetest.OpenSQLite(b)
	ctx := context.Background()
	a := store.Account{Login: "bench"}
	if err := s.CreateAccount(ctx, &a); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		d := fmt.Sprintf("bench%d.example.com", i)
		i++
		v := store.Site{AccountID: a.ID, State: filing.StateUnderReview, Data: filingtest.Site(d),
			Domains: []string{d, "www." + d}, AreaCode: "420111"}
		if err := s.CreateSite(ctx, &v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDomainHolders: a batch check of 1,000 domains (the API maximum)
// against 5,000 filed sites.
func BenchmarkDomainHolders(b *testing.B) {
	s := storetest.OpenSQLite(b)
	ctx := context.Background()
	a := store.Account{Login: "bench"}
	if err := s.CreateAccount(ctx, &a); err != nil {
		b.Fatal(err)
	}
	err := s.InTx(ctx, func(tx store.Store) error {
		for i := range 5000 {
			d := fmt.Sprintf("filed%d.example.com", i)
			v := store.Site{AccountID: a.ID, State: filing.StateRecorded, Data: filing.Site{PrimaryDomain: d}, Domains: []string{d}}
			if err := tx.CreateSite(ctx, &v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	batch := make([]string, 1000)
	for i := range batch {
		batch[i] = fmt.Sprintf("filed%d.example.com", i*7) // about 700 held, 300 free
	}
	for b.Loop() {
		if _, err := s.DomainHolders(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPostgresDeadlockVictimRetried: two approvals take two areas' sequence
// rows in opposite orders. PostgreSQL aborts one as a deadlock victim; InTx
// runs it again, so both commit and the numbers stay consecutive.
func TestPostgresDeadlockVictimRetried(t *testing.T) {
	s, _ := storetest.OpenPostgres(t)
	ctx := t.Context()
	var (
		firstLocks sync.WaitGroup
		wg         sync.WaitGroup
		runs       [2]int
		errs       [2]error
	)
	firstLocks.Add(2)
	areas := [2][2]string{{"420111", "420102"}, {"420102", "420111"}}
	for i := range 2 {
		wg.Go(func() {
			errs[i] = s.InTx(ctx, func(tx store.Store) error {
				runs[i]++
				if _, err := tx.NextSequence(ctx, areas[i][0]); err != nil {
					return err
				}
				if runs[i] == 1 {
					firstLocks.Done() // both hold their first row: now cross
					firstLocks.Wait()
				}
				_, err := tx.NextSequence(ctx, areas[i][1])
				return err
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("approval %d: %v", i, err)
		}
	}
	if runs[0]+runs[1] != 3 {
		t.Errorf("runs = %v: want one of the two run again after the deadlock", runs)
	}
	for _, area := range areas[0] {
		if n, err := s.NextSequence(ctx, area); err != nil || n != 3 {
			t.Errorf("next in %s = %d, %v; want 3", area, n, err)
		}
	}
}

// Issue 9 item 14: the SQLite file (and its WAL) is its owner's only.
func TestSQLiteFileIsPrivate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "beian.db")
	s, err := sqlstore.Open(t.Context(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Ping(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal"} {
		st, err := os.Stat(f)
		if err != nil {
			continue // no WAL yet
		}
		if perm := st.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has mode %o, want 0600", filepath.Base(f), perm)
		}
	}
	// An existing world-readable file is made private.
	loose := filepath.Join(dir, "loose.db")
	if err := os.WriteFile(loose, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s2, err := sqlstore.Open(t.Context(), "sqlite:"+loose)
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
	if st, _ := os.Stat(loose); st.Mode().Perm() != 0o600 {
		t.Errorf("an existing 0644 database is %o after opening, want 0600", st.Mode().Perm())
	}
}
