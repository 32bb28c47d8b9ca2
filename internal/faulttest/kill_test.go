package faulttest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/datagen"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/loadtest"
	"github.com/beian-dev/beian/internal/store/storetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	Cleanup()
	removeFuzzDirs()
	os.Exit(code)
}

func TestKillDuringSubmissionsSQLite(t *testing.T) {
	t.Parallel()
	testKillDuringSubmissions(t, storetest.NewSQLiteDSN(t))
}

func TestKillDuringSubmissionsPostgres(t *testing.T) {
	t.Parallel()
	testKillDuringSubmissions(t, storetest.NewPostgresDSN(t))
}

// submissions is how many filings are submitted at once.
const submissions = 1000

// liveServer is the server the clients talk to; a restart replaces it.
type liveServer struct {
	mu  sync.RWMutex
	url string
}

func (l *liveServer) get() string          { l.mu.RLock(); defer l.mu.RUnlock(); return l.url }
func (l *liveServer) set(url string)       { l.mu.Lock(); l.url = url; l.mu.Unlock() }
func (l *liveServer) path(p string) string { return l.get() + p }

// testKillDuringSubmissions: 1,000 clients each create a draft and submit
// it, every request carrying its own Idempotency-Key and retried until
// acknowledged, as `beian file` does. The server is killed with SIGKILL
// twice while they run and restarted on the same database. Afterwards every
// acknowledged submission exists exactly once, under review, with its one
// domain row, and no other site, domain row or effect was left behind.
func testKillDuringSubmissions(t *testing.T, dsn string) {
	bin := ServerBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	plan := datagen.NewPlan(datagen.Config{MinAccounts: 20})
	if _, err := datagen.Fill(ctx, dsn, plan); err != nil {
		t.Fatal(err)
	}
	start := func() *loadtest.Server {
		t.Helper()
		srv, err := loadtest.StartServer(ctx, loadtest.ServerOptions{Binary: bin, DSN: dsn,
			Args: []string{"--log-level", "warn", "--attachments", t.TempDir()}})
		if err != nil {
			t.Fatal(err)
		}
		return srv
	}
	srv := start()
	live := &liveServer{url: srv.URL}

	client := loadtest.NewClient(submissions, 15*time.Second)
	defer client.CloseIdleConnections()
	type outcome struct {
		siteID string
		err    error
		tries  int
	}
	outcomes := make([]outcome, submissions)
	var acked atomic.Int64
	var wg sync.WaitGroup
	for i := range submissions {
		wg.Go(func() {
			account := i % plan.Accounts()
			token := plan.Token(account)
			site := plan.NewSite(account, plan.FreshDomain(i))
			o := &outcomes[i]
			var rec api.SiteRecord
			o.tries, o.err = untilAcknowledged(ctx, client, live, "POST", "/v1/sites", token, api.SiteWrite{Site: site},
				fmt.Sprintf("kill-create-%d", i), http.StatusCreated, &rec)
			if o.err != nil {
				return
			}
			var sub api.SiteRecord
			n, err := untilAcknowledged(ctx, client, live, "POST", "/v1/sites/"+rec.ID+"/submit", token, nil,
				fmt.Sprintf("kill-submit-%d", i), http.StatusOK, &sub)
			o.tries += n
			if err == nil && (sub.ID != rec.ID || sub.State != filing.StateUnderReview) {
				err = fmt.Errorf("submit acknowledged %s in state %s for draft %s", sub.ID, sub.State, rec.ID)
			}
			o.siteID, o.err = rec.ID, err
			if err == nil {
				acked.Add(1)
			}
		})
	}

	// Two kills, each once a share of the submissions is acknowledged (and
	// so while many others are in flight), each followed by a restart on the
	// same database.
	for _, at := range []int64{submissions / 5, submissions / 2} {
		for acked.Load() < at && ctx.Err() == nil {
			time.Sleep(5 * time.Millisecond)
		}
		before := acked.Load()
		srv.Kill()
		t.Logf("SIGKILL with %d of %d submissions acknowledged", before, submissions)
		time.Sleep(time.Duration(200+rand.IntN(300)) * time.Millisecond)
		srv = start()
		live.set(srv.URL)
	}
	wg.Wait()
	defer srv.Stop(30 * time.Second)

	retried := 0
	for i, o := range outcomes {
		if o.err != nil {
			t.Fatalf("submission %d never acknowledged after %d tries: %v\nserver log:\n%s", i, o.tries, o.err, srv.Log())
		}
		if o.tries > 2 {
			retried++
		}
	}
	t.Logf("%d of %d submissions needed retries", retried, submissions)
	if retried == 0 {
		t.Fatal("no submission was interrupted: the kills came too late to prove anything")
	}
	checkExactlyOnce(t, dsn, plan, outcomes[:], func(o outcome) string { return o.siteID })
}

// untilAcknowledged sends a keyed request until the server answers want,
// as a client does: the same Idempotency-Key every time, retrying on lost
// connections and on 503/429, giving up on any other answer.
func untilAcknowledged(ctx context.Context, c *http.Client, live *liveServer, method, path, token string, body any, key string, want int, out any) (int, error) {
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return 0, err
		}
	}
	var last error
	for try := 1; ; try++ {
		if ctx.Err() != nil {
			return try - 1, fmt.Errorf("gave up: %w (last: %v)", ctx.Err(), last)
		}
		req, err := http.NewRequestWithContext(ctx, method, live.path(path), bytes.NewReader(raw))
		if err != nil {
			return try, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set(api.HeaderIdempotencyKey, key)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := c.Do(req)
		if err == nil {
			b, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			switch {
			case rerr != nil:
				err = rerr
			case resp.StatusCode == want:
				return try, json.Unmarshal(b, out)
			case resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusTooManyRequests:
				err = fmt.Errorf("%d: %s", resp.StatusCode, b)
			default:
				return try, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
			}
		}
		last = err
		time.Sleep(time.Duration(20+rand.IntN(80)) * time.Millisecond)
	}
}

// checkExactlyOnce looks at the rows: one site per submission, the one the
// client was told about, under review, with exactly its domain row; one
// create and one submit audit event each; nothing else.
func checkExactlyOnce[O any](t *testing.T, dsn string, plan *datagen.Plan, outcomes []O, siteID func(O) string) {
	t.Helper()
	db, err := OpenDB(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()

	type siteRow struct {
		state, account, data string
		domains              []string
		reserving, live      int
	}
	sites := map[string]*siteRow{}
	rows, err := db.QueryContext(ctx, "SELECT id, state, account_id, data FROM sites")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		r := &siteRow{}
		if err := rows.Scan(&id, &r.state, &r.account, &r.data); err != nil {
			t.Fatal(err)
		}
		sites[id] = r
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, `SELECT site_id, domain, CASE WHEN reserving THEN 1 ELSE 0 END,
		CASE WHEN live THEN 1 ELSE 0 END FROM site_domains`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, domain string
		var reserving, live int
		if err := rows.Scan(&id, &domain, &reserving, &live); err != nil {
			t.Fatal(err)
		}
		r := sites[id]
		if r == nil {
			t.Errorf("domain row %s belongs to no site %s", domain, id)
			continue
		}
		r.domains = append(r.domains, domain)
		r.reserving += reserving
		r.live += live
	}
	rows.Close()

	if len(sites) != len(outcomes) {
		t.Errorf("%d sites stored for %d submissions", len(sites), len(outcomes))
	}
	for i, o := range outcomes {
		id := siteID(o)
		r := sites[id]
		if r == nil {
			t.Errorf("acknowledged submission %d (site %s) is not stored", i, id)
			continue
		}
		var data filing.Site
		if err := json.Unmarshal([]byte(r.data), &data); err != nil {
			t.Errorf("site %s: data does not decode: %v", id, err)
		}
		want := plan.FreshDomain(i)
		if r.state != string(filing.StateUnderReview) || r.account != plan.AccountID(i%plan.Accounts()) ||
			len(r.domains) != 1 || r.domains[0] != want || data.PrimaryDomain != want || r.reserving != 1 || r.live != 1 {
			t.Errorf("submission %d half-written or wrong: state %s account %s domains %v (want %s) data domain %s reserving %d live %d",
				i, r.state, r.account, r.domains, want, data.PrimaryDomain, r.reserving, r.live)
		}
	}

	// Each effect once: the audit trail is written in the same transaction
	// as the site, so a replayed request shows up here as a second event.
	events := map[string]int{}
	rows, err = db.QueryContext(ctx, "SELECT entity_id, action FROM audit_events WHERE entity = 'site'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, action string
		if err := rows.Scan(&id, &action); err != nil {
			t.Fatal(err)
		}
		events[id+" "+action]++
	}
	rows.Close()
	for id := range sites {
		for _, action := range []string{"create", "submit"} {
			if n := events[id+" "+action]; n != 1 {
				t.Errorf("site %s has %d %q audit events, want 1", id, n, action)
			}
		}
	}
	var keys int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM idempotency").Scan(&keys); err != nil {
		t.Fatal(err)
	}
	if keys != 2*len(outcomes) {
		t.Errorf("%d stored idempotent answers, want %d (one per create and per submit)", keys, 2*len(outcomes))
	}
	if t.Failed() {
		return
	}
	t.Logf("%d submissions, each stored exactly once with its domain and audit trail", len(outcomes))
}
