package loadtest

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/beian-dev/beian/internal/datagen"
)

// SuiteOptions configure the benchmark suite of issue 5: every target,
// each with its baseline measured in the same run.
type SuiteOptions struct {
	ModuleDir string // the beian checkout (builds ./cmd/beian-server and ./cmd/beian)
	WorkDir   string // databases and binaries; the 1,000,000-site database is kept here for reuse
	Self      string // this program (beian-load), started as the bare-handler process
	Postgres  string // a PostgreSQL URL for the PostgreSQL rows; "" skips them
	Repeat    int    // runs per figure; the median is reported (default 3)
	Duration  time.Duration
	Warmup    time.Duration
	BigSites  int // sites of the large database (default 1,000,000)
	Log       io.Writer
	// Only, when not empty, runs just these targets: http, batch, submit,
	// client, big, memory (memory comes with http).
	Only []string
}

// Figure is one measured number with its baseline.
type Figure struct {
	Target   string  `json:"target"`
	Name     string  `json:"name"`
	Value    float64 `json:"value"`
	Unit     string  `json:"unit"`
	Baseline float64 `json:"baseline,omitempty"`
	BaseName string  `json:"baseline_name,omitempty"`
	Ratio    float64 `json:"ratio,omitempty"` // the median of Ratios, or value / baseline
	// Ratios are the per-pair ratios of an interleaved measurement (server
	// run, baseline run, server run, …): each pair ran on the same machine
	// state, so their spread says how far the machine drifted.
	Ratios  []float64 `json:"ratios,omitempty"`
	Load    float64   `json:"load_average,omitempty"` // 1-minute load average when the figure was done
	Goal    string    `json:"goal"`
	Met     bool      `json:"met"`
	Runs    []float64 `json:"runs,omitempty"`
	Command string    `json:"command"`
	Note    string    `json:"note,omitempty"`
}

// SuiteResult is everything a suite run measured.
type SuiteResult struct {
	Machine Machine           `json:"machine"`
	Started time.Time         `json:"started"`
	Elapsed time.Duration     `json:"elapsed_ns"`
	Figures []Figure          `json:"figures"`
	Runs    map[string]Result `json:"runs"` // last run of each load, for the details
	DataGen map[string]any    `json:"datagen,omitempty"`
}

// Machine describes where the figures come from.
type Machine struct {
	CPUs      int     `json:"nproc"`
	Model     string  `json:"cpu_model"`
	MemTotal  string  `json:"mem_total"`
	GoVersion string  `json:"go_version"`
	Kernel    string  `json:"kernel"`
	LoadStart float64 `json:"load_avg_start"`
	LoadEnd   float64 `json:"load_avg_end"`
}

// ReadMachine reads /proc for the machine's description.
func ReadMachine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), GoVersion: runtime.Version()}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.Model = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if kb, err := parseStatusKB(b, "MemTotal:"); err == nil {
			m.MemTotal = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<30))
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	m.LoadStart = LoadAverage()
	return m
}

// LoadAverage is the one-minute load average: on a shared machine, other
// work steals cores from a benchmark.
func LoadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return -1
	}
	v, _ := strconv.ParseFloat(f[0], 64)
	return v
}

type suite struct {
	o       SuiteOptions
	res     *SuiteResult
	server  string
	client  string
	minimal string
	log     func(format string, args ...any)
}

// RunSuite runs the benchmark suite.
func RunSuite(ctx context.Context, o SuiteOptions) (*SuiteResult, error) {
	if o.Repeat <= 0 {
		o.Repeat = 3
	}
	if o.Duration <= 0 {
		o.Duration = 10 * time.Second
	}
	if o.Warmup < 0 {
		o.Warmup = 0
	}
	if o.BigSites <= 0 {
		o.BigSites = 1_000_000
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if err := os.MkdirAll(o.WorkDir, 0o755); err != nil {
		return nil, err
	}
	s := &suite{o: o, res: &SuiteResult{Machine: ReadMachine(), Started: time.Now(), Runs: map[string]Result{}, DataGen: map[string]any{}}}
	s.log = func(format string, args ...any) {
		fmt.Fprintf(o.Log, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
	}
	bin := filepath.Join(o.WorkDir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return nil, err
	}
	var err error
	s.log("building beian-server and beian")
	if s.server, err = Build(ctx, o.ModuleDir, "./cmd/beian-server", bin); err != nil {
		return nil, err
	}
	if s.client, err = Build(ctx, o.ModuleDir, "./cmd/beian", bin); err != nil {
		return nil, err
	}
	if s.minimal, err = BuildMinimal(ctx, bin); err != nil {
		return nil, err
	}
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"http", s.httpTargets}, {"batch", s.batchTargets}, {"submit", s.submitTargets},
		{"client", s.clientTargets}, {"big", s.bigTargets},
	}
	for _, st := range steps {
		if len(o.Only) > 0 && !contains(o.Only, st.name) {
			continue
		}
		if err := st.fn(ctx); err != nil {
			return s.res, fmt.Errorf("%s: %w", st.name, err)
		}
	}
	s.res.Machine.LoadEnd = LoadAverage()
	s.res.Elapsed = time.Since(s.res.Started)
	return s.res, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// stop ends a server process, noting in the log if it did not stop cleanly.
func (s *suite) stop(srv *Server) {
	if err := srv.Stop(30 * time.Second); err != nil {
		s.log("stopping %s: %v", srv.URL, err)
	}
}

func (s *suite) add(f Figure) {
	switch {
	case len(f.Ratios) > 0:
		f.Ratio = Median(f.Ratios)
	case f.Baseline != 0:
		f.Ratio = f.Value / f.Baseline
	}
	f.Load = LoadAverage()
	s.res.Figures = append(s.res.Figures, f)
	s.log("FIGURE %s / %s: %.4g %s (baseline %s %.4g, ratio %.3g) goal %s met=%v", f.Target, f.Name, f.Value, f.Unit, f.BaseName, f.Baseline, f.Ratio, f.Goal, f.Met)
}

// smallPlan is the 1,000-site database of the HTTP targets.
func smallPlan(drafts int) *datagen.Plan {
	return datagen.NewPlan(datagen.Config{Recorded: 1000, Drafts: drafts, MinAccounts: 64})
}

// freshSQLite generates plan into a new SQLite file.
func (s *suite) freshSQLite(ctx context.Context, name string, plan *datagen.Plan) (string, error) {
	path := filepath.Join(s.o.WorkDir, name+".db")
	for _, suf := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suf)
	}
	os.RemoveAll(filepath.Join(s.o.WorkDir, "attachments"))
	dsn := "sqlite:" + path
	st, err := datagen.Fill(ctx, dsn, plan)
	if err != nil {
		return "", err
	}
	s.log("generated %s: %d sites in %s", name, st.Sites, st.Elapsed.Round(time.Millisecond))
	return dsn, nil
}

// startServer runs beian-server on dsn as it runs in production: JSON
// access log at info level (read and thrown away by us), no sandbox.
func (s *suite) startServer(ctx context.Context, dsn string) (*Server, error) {
	return StartServer(ctx, ServerOptions{Binary: s.server, DSN: dsn,
		Args: []string{"--attachments", filepath.Join(s.o.WorkDir, "attachments")}, StartTimeout: 5 * time.Minute})
}

// load runs one mix o.Repeat times and returns every run.
func (s *suite) load(ctx context.Context, name string, conns int, ops func() []Op, maxReq int) ([]Result, error) {
	var out []Result
	for r := range s.o.Repeat {
		res, err := Run(ctx, Config{Conns: conns, Ops: ops(), Duration: s.o.Duration, MaxRequests: maxReq, Warmup: s.o.Warmup, Seed: uint64(r + 1)})
		if err != nil {
			return nil, err
		}
		for _, sum := range res.Ops {
			s.log("%s run %d: %s", name, r+1, sum)
		}
		out = append(out, res)
		s.res.Runs[name] = res
	}
	return out, nil
}

// med returns the median over runs of f(summary of op).
func med(runs []Result, op string, f func(Summary) float64) (float64, []float64) {
	var xs []float64
	for _, r := range runs {
		sum, ok := r.Op(op)
		if !ok {
			continue
		}
		xs = append(xs, f(sum))
	}
	return Median(xs), xs
}

func tput(s Summary) float64  { return s.Throughput }
func p99ms(s Summary) float64 { return float64(s.P99) / float64(time.Millisecond) }
func errCount(runs []Result) int {
	n := 0
	for _, r := range runs {
		for _, s := range r.Ops {
			if s.Op != "all" {
				n += s.Errors
			}
		}
	}
	return n
}

// FreshPostgresSchema creates an empty schema in the database of base and
// returns a DSN whose search_path is that schema, and a function that drops it.
func FreshPostgresSchema(ctx context.Context, base string) (string, func(), error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, fmt.Errorf("loadtest: the PostgreSQL URL does not parse")
	}
	if err := CheckLoopback(u.Host); err != nil {
		return "", nil, err
	}
	sum := sha256.Sum256([]byte(time.Now().String() + randHex(8)))
	schema := "bench_" + hex.EncodeToString(sum[:6])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, fmt.Errorf("loadtest: create schema: %w", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	drop := func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		dctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_, _ = db.ExecContext(dctx, "DROP SCHEMA "+schema+" CASCADE") // best effort: a scratch schema
	}
	return u.String(), drop, nil
}

// WriteJSON writes the result as indented JSON.
func (r *SuiteResult) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// Markdown renders the figures as the table of docs/benchmarks.md.
func (r *SuiteResult) Markdown() string {
	var b strings.Builder
	b.WriteString("| target | figure | value | baseline | ratio: median (min–max) | goal | met | load |\n|---|---|---|---|---|---|---|---|\n")
	for _, f := range r.Figures {
		base, ratio := "—", "—"
		if f.Baseline != 0 {
			base = fmt.Sprintf("%.4g %s (%s)", f.Baseline, f.Unit, f.BaseName)
			ratio = fmt.Sprintf("%.3g", f.Ratio)
		}
		if len(f.Ratios) > 1 {
			ratio = fmt.Sprintf("%.3g (%.3g–%.3g)", f.Ratio, slices.Min(f.Ratios), slices.Max(f.Ratios))
		}
		met := "no"
		if f.Met {
			met = "yes"
		}
		fmt.Fprintf(&b, "| %s | %s | %.4g %s | %s | %s | %s | %s | %.2f |\n", f.Target, f.Name, f.Value, f.Unit, base, ratio, f.Goal, met, f.Load)
	}
	return b.String()
}
