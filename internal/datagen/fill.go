package datagen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/beian-dev/beian/internal/recordno"
	"github.com/beian-dev/beian/internal/store/sqlstore"
	_ "github.com/beian-dev/beian/internal/store/sqlstore/pgdriver" // postgres:// databases
)

// Stats says what Fill wrote and how long it took.
type Stats struct {
	Accounts int
	Sites    int
	Domains  int
	Elapsed  time.Duration
	// IndexRebuild is the part of Elapsed spent recreating indexes.
	IndexRebuild time.Duration
}

// rebuildAbove is the number of sites from which Fill drops the indexes of
// sites and site_domains and builds them again afterwards: sorting once
// beats updating a B-tree per row, and the unique indexes, recreated, still
// prove that no two sites share a live domain or a record number.
const rebuildAbove = 50_000

// Fill creates the schema on the empty database dsn ("sqlite:PATH" or a
// PostgreSQL URL, as sqlstore.Open takes) and writes the plan into it.
// The database must hold no beian data yet.
func Fill(ctx context.Context, dsn string, p *Plan) (Stats, error) {
	start := time.Now()
	// sqlstore creates (or checks) the schema, exactly as the server will.
	st, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return Stats{}, err
	}
	st.Close()

	var w writer
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		w, err = openSQLite(strings.TrimPrefix(path, "//"))
	} else {
		w, err = openPostgres(ctx, dsn)
	}
	if err != nil {
		return Stats{}, err
	}
	defer w.close()

	var n int
	if err := w.db().QueryRowContext(ctx, "SELECT COUNT(*) FROM accounts").Scan(&n); err != nil {
		return Stats{}, fmt.Errorf("datagen: %w", err)
	}
	if n > 0 {
		return Stats{}, errors.New("datagen: the database already holds accounts; Fill needs an empty one")
	}

	var rebuild []string
	if p.Sites() >= rebuildAbove {
		if rebuild, err = w.dropIndexes(ctx, "sites", "site_domains"); err != nil {
			return Stats{}, err
		}
	}
	stats := Stats{Accounts: p.Accounts() + 1, Sites: p.Sites(), Domains: p.Sites()}
	if err := fill(ctx, w, p); err != nil {
		return Stats{}, err
	}
	t := time.Now()
	for _, ddl := range rebuild {
		if _, err := w.db().ExecContext(ctx, ddl); err != nil {
			return Stats{}, fmt.Errorf("datagen: rebuild index: %w (%s)", err, ddl)
		}
	}
	stats.IndexRebuild = time.Since(t)
	if err := w.finish(ctx); err != nil {
		return Stats{}, err
	}
	stats.Elapsed = time.Since(start)
	return stats, nil
}

// writer appends rows to tables, in whatever way is fastest for its database.
type writer interface {
	db() *sql.DB
	// begin starts a bulk section; rows go in with add, commit ends it.
	begin(ctx context.Context) error
	add(ctx context.Context, table string, cols []string, rows [][]any) error
	commit(ctx context.Context) error
	dropIndexes(ctx context.Context, tables ...string) (recreate []string, err error)
	finish(ctx context.Context) error
	close()
}

// chunk is a run of sites generated together, in site order.
type chunk struct {
	lo, hi  int
	sites   [][]any
	domains [][]any
}

const chunkSites = 5000

func fill(ctx context.Context, w writer, p *Plan) error {
	created := ts(base.Add(-time.Hour))
	approved := ts(base.Add(-30 * time.Minute))
	expires := ts(time.Now().AddDate(10, 0, 0))

	// Accounts, subjects and tokens: one account per Plan account, plus the
	// admin. Built in order; they are a tenth of the sites.
	accounts := make([]account, p.Accounts())
	parallel(p.Accounts(), func(j int) { accounts[j] = p.accountOf(j) })

	if err := w.begin(ctx); err != nil {
		return err
	}
	var accRows, subRows, tokRows [][]any
	accRows = append(accRows, []any{p.AdminID(), AdminLogin, nil, "admin@bench.example", true, "", "admin", "", created})
	tokRows = append(tokRows, []any{tokenHash(p.AdminToken()), p.AdminID(), expires, created})
	flush := func() error {
		for _, t := range []struct {
			name string
			cols []string
			rows [][]any
		}{{"accounts", accountCols, accRows}, {"subjects", subjectCols, subRows}, {"tokens", tokenCols, tokRows}} {
			if err := w.add(ctx, t.name, t.cols, t.rows); err != nil {
				return err
			}
		}
		accRows, subRows, tokRows = accRows[:0], subRows[:0], tokRows[:0]
		return nil
	}
	for j := range accounts {
		a := &accounts[j]
		accRows = append(accRows, []any{a.id, a.login, a.mobile, a.email, true, "", "sponsor", "", created})
		subRows = append(subRows, []any{a.id, "approved", 3, a.subjectJSON, a.subject.CertNumber, a.area, "", approved, approved, created, approved})
		tokRows = append(tokRows, []any{tokenHash(p.Token(j)), a.id, expires, created})
		if len(accRows) >= 2000 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}

	// Sites: generated in parallel chunks, written in order by this
	// goroutine, which alone hands out record numbers (area by area, 1, 2, 3…).
	seq := map[string]int{}
	nChunks := (p.Sites() + chunkSites - 1) / chunkSites
	results := make([]chan *chunk, nChunks)
	for c := range results {
		results[c] = make(chan *chunk, 1)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	// window bounds the chunks generated ahead of the writer, so memory
	// stays flat however many sites there are.
	window := make(chan struct{}, 4*runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)-1) {
		wg.Go(func() {
			for c := range jobs {
				results[c] <- p.makeChunk(accounts, c*chunkSites, min((c+1)*chunkSites, p.Sites()))
			}
		})
	}
	go func() {
		defer close(jobs)
		for c := range nChunks {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	defer wg.Wait()
	defer cancel()

	const txSites = 50_000 // commit every this many sites: big transactions, bounded journal
	inTx := 0
	for c := range nChunks {
		var ch *chunk
		select {
		case ch = <-results[c]:
		case <-ctx.Done():
			return ctx.Err()
		}
		<-window
		for k := range ch.sites {
			i := ch.lo + k
			if p.Kind(i) != Recorded {
				continue
			}
			areaCode := ch.sites[k][5].(string)
			seq[areaCode]++
			num, err := recordno.New(areaCode, seq[areaCode])
			if err != nil {
				return fmt.Errorf("datagen: record number of site %d: %w", i, err)
			}
			ch.sites[k][6] = num.String()
		}
		if err := w.add(ctx, "sites", siteCols, ch.sites); err != nil {
			return err
		}
		if err := w.add(ctx, "site_domains", domainCols, ch.domains); err != nil {
			return err
		}
		inTx += len(ch.sites)
		if inTx >= txSites {
			if err := w.commit(ctx); err != nil {
				return err
			}
			if err := w.begin(ctx); err != nil {
				return err
			}
			inTx = 0
		}
	}
	var seqRows [][]any
	for a, n := range seq {
		seqRows = append(seqRows, []any{a, n})
	}
	if err := w.add(ctx, "area_sequences", sequenceCols, seqRows); err != nil {
		return err
	}
	return w.commit(ctx)
}

// makeChunk builds the rows of sites [lo, hi).
func (p *Plan) makeChunk(accounts []account, lo, hi int) *chunk {
	ch := &chunk{lo: lo, hi: hi, sites: make([][]any, 0, hi-lo), domains: make([][]any, 0, hi-lo)}
	var buf []byte
	for i := lo; i < hi; i++ {
		a := &accounts[p.AccountOf(i)]
		domain := p.Domain(i)
		buf = a.siteJSON(buf, a.siteNames[i%len(a.siteNames)], domain)
		created := p.siteTime(i)
		id := p.SiteID(i)
		// Versions count the writes the desk would have made: created (1),
		// submitted (2), approved (3).
		var state string
		var version int
		var submitted, recorded any
		switch p.Kind(i) {
		case Recorded:
			state, version = "recorded", 3
			submitted, recorded = ts(created.Add(time.Hour)), ts(created.Add(72*time.Hour))
		case Draft:
			state, version = "draft", 1
		case UnderReview:
			state, version = "under_review", 2
			submitted = ts(created.Add(time.Hour))
		}
		updated := created
		if recorded != nil {
			updated = created.Add(72 * time.Hour)
		}
		reserving := state != "draft"
		// The record number (index 6) is filled in by the writer.
		ch.sites = append(ch.sites, []any{id, a.id, state, version, string(buf), a.area, nil, "", "", "", false,
			submitted, recorded, ts(created), ts(updated)})
		ch.domains = append(ch.domains, []any{id, 0, domain, a.id, reserving, true})
	}
	return ch
}

// parallel runs fn(0..n-1) on every core.
func parallel(n int, fn func(i int)) {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				fn(i)
			}
		})
	}
	wg.Wait()
}
