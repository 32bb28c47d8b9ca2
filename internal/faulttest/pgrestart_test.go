package faulttest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/datagen"
	"github.com/beian-dev/beian/internal/loadtest"
	"github.com/beian-dev/beian/internal/store/storetest"
)

// privatePostgres is a throwaway PostgreSQL instance of this test alone, so
// that stopping it disturbs no other test: its own data directory, socket
// directory and loopback port, run as the postgres user.
type privatePostgres struct {
	bin, dir, data, run string
	port                int
	uid, gid            int
}

// startPrivatePostgres creates and starts one. It needs root (to run the
// server as postgres) and the PostgreSQL server binaries; without them the
// test is skipped, or fails under BEIAN_TEST_REQUIRE_POSTGRES=1.
func startPrivatePostgres(t *testing.T) *privatePostgres {
	t.Helper()
	unavailable := func(why string) {
		t.Helper()
		if os.Getenv(storetest.EnvRequirePostgres) == "1" {
			t.Fatalf("%s=1 but a private PostgreSQL cannot be started: %s", storetest.EnvRequirePostgres, why)
		}
		t.Skip("private PostgreSQL unavailable: " + why)
	}
	if os.Geteuid() != 0 {
		unavailable("the test must run as root to start PostgreSQL as the postgres user")
	}
	inits, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(inits) == 0 {
		unavailable("no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql)")
	}
	sort.Strings(inits)
	pg := &privatePostgres{bin: filepath.Dir(inits[len(inits)-1])}
	u, err := user.Lookup("postgres")
	if err != nil {
		unavailable("no postgres user")
	}
	pg.uid, _ = strconv.Atoi(u.Uid)
	pg.gid, _ = strconv.Atoi(u.Gid)
	if pg.dir, err = os.MkdirTemp("", "beian-faulttest-pg"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(pg.dir) })
	if err := os.Chmod(pg.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pg.data, pg.run = filepath.Join(pg.dir, "data"), filepath.Join(pg.dir, "run")
	for _, d := range []string{pg.data, pg.run} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(d, pg.uid, pg.gid); err != nil {
			t.Fatal(err)
		}
	}
	pg.port = freePort(t)
	pg.as(t, "initdb", "-D", pg.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync")
	pg.start(t)
	t.Cleanup(func() { pg.ctl(t, false, "stop", "-m", "immediate") })
	return pg
}

// DSN connects as the superuser (trust, loopback only) to database postgres.
func (pg *privatePostgres) DSN() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", pg.port)
}

func (pg *privatePostgres) start(t *testing.T) {
	t.Helper()
	pg.ctl(t, true, "start", "-l", filepath.Join(pg.run, "log"),
		"-o", fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50", pg.port, pg.run))
}

// stop shuts the server down the way an operator's restart does: active
// sessions are ended, new connections refused until it is back.
func (pg *privatePostgres) stop(t *testing.T) {
	t.Helper()
	pg.ctl(t, true, "stop", "-m", "fast")
}

func (pg *privatePostgres) ctl(t *testing.T, must bool, args ...string) {
	t.Helper()
	args = append([]string{"-D", pg.data, "-w", "-t", "60"}, args...)
	if err := pg.run1("pg_ctl", args...); err != nil && must {
		log, _ := os.ReadFile(filepath.Join(pg.run, "log"))
		t.Fatalf("pg_ctl %v: %v\n%s", args, err, log)
	}
}

func (pg *privatePostgres) as(t *testing.T, prog string, args ...string) {
	t.Helper()
	if err := pg.run1(prog, args...); err != nil {
		t.Fatalf("%s: %v", prog, err)
	}
}

func (pg *privatePostgres) run1(prog string, args ...string) error {
	cmd := exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(pg.bin, prog)}, args...)...)
	cmd.Dir = pg.dir
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%w: %s", err, b)
	}
	return nil
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// sample is one answer seen by the load or the readiness poller.
type sample struct {
	at      time.Time // when the request was sent
	latency time.Duration
	status  int
	code    api.Code
	err     error
	ready   bool // a /readyz probe
}

// PostgreSQL stopped and started under load: /readyz turns false, every
// request fails fast with 503 unavailable instead of hanging, and the same
// server process recovers by itself once the database is back.
func TestPostgresRestartUnderLoad(t *testing.T) {
	t.Parallel()
	pg := startPrivatePostgres(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	plan := datagen.NewPlan(datagen.Config{Recorded: 400, MinAccounts: 8})
	if _, err := datagen.Fill(ctx, pg.DSN(), plan); err != nil {
		t.Fatal(err)
	}
	srv, err := loadtest.StartServer(ctx, loadtest.ServerOptions{Binary: ServerBinary(t), DSN: pg.DSN(),
		Args: []string{"--log-level", "error", "--attachments", t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop(30 * time.Second)
	pid := srv.PID()

	// No request may take longer, outage or not. Requests in flight while
	// PostgreSQL shuts down wait for its shutdown (2–3 s on a busy machine)
	// before they fail; a hang would run into the client's 2×failFast.
	const failFast = 6 * time.Second
	client := loadtest.NewClient(16, 2*failFast)
	var mu sync.Mutex
	var samples []sample
	record := func(s sample) { mu.Lock(); samples = append(samples, s); mu.Unlock() }
	send := func(path, token string, ready bool) {
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		s := sample{at: time.Now(), ready: ready}
		resp, err := client.Do(req)
		s.latency = time.Since(s.at)
		if err != nil {
			s.err = err
		} else {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			s.status = resp.StatusCode
			if resp.StatusCode >= 400 {
				var p api.Problem
				if err := json.Unmarshal(b, &p); err != nil {
					s.code = api.Code("not problem+json: " + err.Error()) // off the test goroutine: checked with the samples
				} else {
					s.code = p.Code
				}
			}
		}
		record(s)
	}

	loadCtx, stopLoad := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 7))
			for n := 0; loadCtx.Err() == nil && n < 200_000; n++ {
				i := r.IntN(400)
				if n%2 == 0 {
					send("/v1/sites/"+plan.SiteID(i), plan.Token(plan.AccountOf(i)), false)
				} else {
					send("/v1/domain-checks/"+plan.Domain(i), plan.Token(0), false)
				}
				time.Sleep(2 * time.Millisecond)
			}
		})
	}
	wg.Go(func() {
		for loadCtx.Err() == nil {
			send("/readyz", "", true)
			time.Sleep(100 * time.Millisecond)
		}
	})

	time.Sleep(1500 * time.Millisecond)
	stopAt := time.Now()
	pg.stop(t)
	stopped := time.Now()
	t.Logf("PostgreSQL stopped in %s", stopped.Sub(stopAt).Round(time.Millisecond))
	time.Sleep(3 * time.Second)
	startAt := time.Now()
	pg.start(t)
	started := time.Now()
	t.Logf("PostgreSQL started in %s", started.Sub(startAt).Round(time.Millisecond))

	// Recovery: the same process answers again, by itself, within a bound.
	var recovered time.Time
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		mu.Lock()
		ok := 0
		for _, s := range samples {
			if s.at.After(started) && s.status == http.StatusOK {
				ok++
			}
		}
		mu.Unlock()
		if ok >= 20 {
			recovered = time.Now()
			break
		}
	}
	time.Sleep(1500 * time.Millisecond)
	stopLoad()
	wg.Wait()
	if recovered.IsZero() {
		t.Fatalf("no recovery within 30 s of PostgreSQL's restart\nserver log:\n%s", srv.Log())
	}
	t.Logf("recovered %s after PostgreSQL was back", recovered.Sub(started).Round(time.Millisecond))
	select {
	case <-srv.Done():
		t.Fatal("the server process exited")
	default:
	}
	if srv.PID() != pid {
		t.Fatal("the server was restarted")
	}

	var outage503, outageReady503, outageOther, statuses500, lateFailures int
	var slowest time.Duration
	for _, s := range samples {
		slowest = max(slowest, s.latency)
		if s.latency > failFast || s.err != nil {
			t.Errorf("request sent at +%s hung or failed: %s, %v", s.at.Sub(stopAt).Round(time.Millisecond), s.latency, s.err)
		}
		if s.status >= 500 && s.status != http.StatusServiceUnavailable {
			statuses500++
			t.Errorf("answer %d (%s) at +%s", s.status, s.code, s.at.Sub(stopAt).Round(time.Millisecond))
		}
		// Sent once the database was down and before it was started again.
		if s.at.After(stopped) && s.at.Before(startAt) {
			switch {
			case s.status == http.StatusServiceUnavailable && s.code == api.CodeUnavailable && s.ready:
				outageReady503++
			case s.status == http.StatusServiceUnavailable && s.code == api.CodeUnavailable:
				outage503++
			default:
				outageOther++
				t.Errorf("during the outage: %d %q (readyz %v)", s.status, s.code, s.ready)
			}
		}
		// After recovery everything must succeed again.
		if s.at.After(recovered.Add(200*time.Millisecond)) && s.status != http.StatusOK {
			lateFailures++
		}
	}
	t.Logf("%d samples; outage: %d API 503s, %d readyz 503s, %d others; slowest %s",
		len(samples), outage503, outageReady503, outageOther, slowest.Round(time.Millisecond))
	if outageReady503 == 0 {
		t.Error("/readyz never answered 503 while PostgreSQL was down")
	}
	if outage503 < 10 {
		t.Errorf("only %d requests answered 503 during the outage", outage503)
	}
	if lateFailures > 0 {
		t.Errorf("%d requests failed after the server had recovered", lateFailures)
	}
}
