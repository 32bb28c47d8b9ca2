package loadtest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/store/storetest"
)

func ms(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = ms(float64(i + 1))
	}
	for _, c := range []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one", []time.Duration{ms(3)}, 99, ms(3)},
		{"p50 of 1..100", hundred, 50, ms(50)},
		{"p99 of 1..100", hundred, 99, ms(99)},
		{"p100 is the max", hundred, 100, ms(100)},
		{"p99 of ten is the max", hundred[:10], 99, ms(10)},
		{"p50 of two is the lower", []time.Duration{ms(1), ms(9)}, 50, ms(1)},
	} {
		if got := Percentile(c.sorted, c.p); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0}, {[]float64{5}, 5}, {[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5},
	} {
		if got := Median(c.in); got != c.want {
			t.Errorf("Median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestRecorderMergeAndSummaries(t *testing.T) {
	a, b := NewRecorder(), NewRecorder()
	for i := 1; i <= 99; i++ {
		a.Record("check", ms(float64(i)), 200, nil)
	}
	a.Record("check", ms(500), 503, errors.New("503 unavailable"))
	b.Record("status", ms(2), 200, nil)
	b.Record("status", ms(4), 200, nil)
	a.Merge(b)
	sums := a.Summaries(2 * time.Second)
	if len(sums) != 3 || sums[0].Op != "all" || sums[1].Op != "check" || sums[2].Op != "status" {
		t.Fatalf("summaries %+v", sums)
	}
	all, check, status := sums[0], sums[1], sums[2]
	if all.Requests != 102 || all.Errors != 1 || all.Throughput != 51 {
		t.Errorf("all: %+v", all)
	}
	if check.P50 != ms(50) || check.P99 != ms(99) || check.Max != ms(500) || check.Statuses[503] != 1 || check.FirstError != "503 unavailable" {
		t.Errorf("check: %+v", check)
	}
	if status.P50 != ms(2) || status.Max != ms(4) || status.Errors != 0 {
		t.Errorf("status: %+v", status)
	}
}

func TestCheckLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:8080": true, "127.0.0.2:1": true, "[::1]:80": true, "localhost:9": true, "127.9.9.9": true,
		"10.0.0.1:80": false, "192.168.1.2:80": false, "172.16.0.1:5432": false, "8.8.8.8:53": false,
		"example.com:80": false, "[2001:db8::1]:80": false, "0.0.0.0:80": false,
	} {
		if err := CheckLoopback(addr); (err == nil) != ok {
			t.Errorf("CheckLoopback(%q) = %v", addr, err)
		}
	}
	if CheckLoopbackURL("http://127.0.0.1:1234") != nil || CheckLoopbackURL("http://10.1.1.1") == nil {
		t.Error("CheckLoopbackURL")
	}
}

func TestParseStatusKB(t *testing.T) {
	status := []byte("Name:\tbeian-server\nVmPeak:\t  812345 kB\nVmHWM:\t   45678 kB\nVmRSS:\t   40000 kB\n")
	if got, err := parseStatusKB(status, "VmHWM:"); err != nil || got != 45678<<10 {
		t.Errorf("VmHWM = %d, %v", got, err)
	}
	if _, err := parseStatusKB(status, "VmSwap:"); err == nil {
		t.Error("a missing field parsed")
	}
	peak, err := PeakRSS(os.Getpid())
	if err != nil || peak < 1<<20 {
		t.Errorf("PeakRSS of this test = %d, %v", peak, err)
	}
}

func TestJSONBody(t *testing.T) {
	for _, n := range []int{0, 22, 23, 100, 4321} {
		b := JSONBody(n)
		if !json.Valid(b) || len(b) != max(n, 22) {
			t.Errorf("JSONBody(%d): %d bytes, valid %v", n, len(b), json.Valid(b))
		}
	}
}

// Run stops at its request bound, counts every request once, and reports
// failures with their status.
func TestRunBoundsAndCounts(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1)%10 == 0 {
			http.Error(w, `{"code":"unavailable"}`, http.StatusServiceUnavailable)
			return
		}
		BareHandler(200).ServeHTTP(w, r)
	}))
	defer srv.Close()
	res, err := Run(context.Background(), Config{Conns: 8, Ops: BareOps(srv.URL), Duration: 30 * time.Second, MaxRequests: 500})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := res.Op(OpBare)
	if res.Requests != 500 || s.Requests != 500 || hits.Load() != 500 {
		t.Fatalf("requests %d/%d, server saw %d", res.Requests, s.Requests, hits.Load())
	}
	if s.Errors != 50 || s.Statuses[503] != 50 || s.Statuses[200] != 450 || !strings.Contains(s.FirstError, "503") {
		t.Fatalf("errors %d statuses %v first %q", s.Errors, s.Statuses, s.FirstError)
	}
	if s.P50 <= 0 || s.P99 < s.P50 || s.Max < s.P99 || res.Elapsed > 30*time.Second {
		t.Fatalf("latencies %+v elapsed %v", s, res.Elapsed)
	}
}

// Run stops at its time bound, and an op that runs out of work ends it.
func TestRunStopsInTime(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
	}))
	defer slow.Close()
	start := time.Now()
	res, err := Run(context.Background(), Config{Conns: 4, Ops: BareOps(slow.URL), Duration: 300 * time.Millisecond, MaxRequests: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 3*time.Second || res.Requests == 0 || res.Requests > 4*300/20+8 {
		t.Fatalf("ran %v with %d requests", el, res.Requests)
	}
	var left atomic.Int64
	left.Store(7)
	ops := []Op{{Name: "pool", Weight: 1, Do: func(ctx context.Context, w *Worker) (int, error) {
		if left.Add(-1) < 0 {
			return 0, ErrExhausted
		}
		return 200, nil
	}}}
	res, err = Run(context.Background(), Config{Conns: 3, Ops: ops, Duration: time.Minute, MaxRequests: 1000})
	if err != nil || res.Requests != 7 {
		t.Fatalf("exhausted run: %d requests, %v", res.Requests, err)
	}
	if _, err := Run(context.Background(), Config{Conns: 1, Ops: ops, Duration: time.Second}); err == nil {
		t.Fatal("a run without a request bound was accepted")
	}
}

func TestParseMix(t *testing.T) {
	m, err := ParseMix("check=4, status=4,submit=1,approve")
	if err != nil || m["check"] != 4 || m["status"] != 4 || m["submit"] != 1 || m["approve"] != 1 {
		t.Fatalf("%v %v", m, err)
	}
	for _, bad := range []string{"", "check=x", "check=-1"} {
		if _, err := ParseMix(bad); err == nil {
			t.Errorf("ParseMix(%q) accepted", bad)
		}
	}
	if _, err := (&Target{}).Mix(map[string]int{"frobnicate": 1}); err == nil {
		t.Error("unknown op accepted")
	}
}

func TestInsertLoopSQLite(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "insert.db")
	res, err := InsertLoop(context.Background(), dsn, 4, 10*time.Second, 200)
	if err != nil {
		t.Fatal(err)
	}
	if res.Tx != 200 || res.Errors != 0 || res.TPS <= 0 {
		t.Fatalf("%+v", res)
	}
}

func TestInsertLoopPostgres(t *testing.T) {
	res, err := InsertLoop(context.Background(), storetest.NewPostgresDSN(t), 4, 10*time.Second, 200)
	if err != nil {
		t.Fatal(err)
	}
	if res.Tx != 200 || res.Errors != 0 {
		t.Fatalf("%+v", res)
	}
}

// The insert baseline repeats sqlstore's SQLite settings; this keeps the
// two in step.
func TestInsertBaselineSettings(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "store", "sqlstore", "sqlstore.go"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(src)), " ")
	for _, want := range []string{
		`"_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" + "&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"`,
		"sqliteMaxConns = 8", "postgresMaxConns = 12",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("sqlstore no longer has %s: update SQLitePragmas and the pool sizes here", want)
		}
	}
}

func TestTimeCommands(t *testing.T) {
	tr, err := TimeCommands(context.Background(), 3, 1,
		Command{Name: "true", Argv: []string{"true"}},
		Command{Name: "false is fine", Argv: []string{"false"}, OK: []int{1}})
	if err != nil {
		t.Fatal(err)
	}
	if len(tr) != 2 || tr[0].Runs != 3 || tr[0].Median <= 0 || tr[0].MaxRSS == 0 || tr[1].Runs != 3 {
		t.Fatalf("%+v", tr)
	}
	// The peak RSS is the command's own, not this (much larger) process's.
	if rss, err := PeakRSSOf(context.Background(), Command{Name: "true", Argv: []string{"true"}}); err == nil {
		if own, _ := PeakRSS(os.Getpid()); rss <= 0 || rss >= own {
			t.Errorf("peak RSS of true: %d bytes (this test: %d)", rss, own)
		}
	} else if !errors.Is(err, ErrNoGNUTime) {
		t.Fatal(err)
	}
	if _, err := TimeCommands(context.Background(), 1, 0, Command{Name: "false", Argv: []string{"false"}}); err == nil {
		t.Fatal("a failing command was timed")
	}
}
