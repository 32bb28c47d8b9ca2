package loadtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, as sqlstore uses
	_ "modernc.org/sqlite"             // the "sqlite" driver, as sqlstore uses
)

// BareHandler is the HTTP limit: a net/http handler that answers every
// request with the same JSON body of size bytes, as the API does
// (application/json, no-store) but with no routing, authentication,
// database or encoding behind it.
func BareHandler(size int) http.Handler {
	body := JSONBody(size)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(body)
	})
}

// JSONBody is a valid JSON object of exactly size bytes (at least 22).
func JSONBody(size int) []byte {
	head := []byte(`{"id":"bare","pad":"`)
	tail := []byte(`"}`)
	pad := max(size-len(head)-len(tail), 0)
	b := append(head, bytes.Repeat([]byte("x"), pad)...)
	b = append(b, tail...)
	if !json.Valid(b) {
		panic("loadtest: JSONBody is not JSON")
	}
	return b
}

// BareOps is the mix against the bare handler: GET / with a bearer token,
// like a status read.
func BareOps(url string) []Op {
	return []Op{{Name: OpBare, Weight: 1, Do: func(ctx context.Context, w *Worker) (int, error) {
		req, err := http.NewRequestWithContext(ctx, "GET", url+"/", nil)
		if err != nil {
			return 0, err
		}
		req.Header.Set("Authorization", "Bearer bare")
		return Send(w.Client, req, http.StatusOK, nil)
	}}}
}

// SQLite settings of sqlstore (internal/store/sqlstore: sqlitePragmas and
// sqliteMaxConns), repeated here so that the insert baseline runs on
// exactly the server's database settings. TestInsertBaselineSettings keeps
// them in step.
const (
	SQLitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	SQLiteMaxConns   = 8
	PostgresMaxConns = 12
)

// InsertResult is the write limit: committed single-row transactions.
type InsertResult struct {
	Conns   int           `json:"conns"`
	Tx      int           `json:"tx"`
	Errors  int           `json:"errors"`
	Elapsed time.Duration `json:"elapsed_ns"`
	TPS     float64       `json:"tps"`
}

// InsertLoop is the write limit of a database: conns goroutines each
// committing one transaction of one INSERT (a 2 KiB row, the size of a
// stored site filing, into a table with a text primary key) in a loop,
// for d or maxTx transactions. dsn is "sqlite:PATH" (a scratch file: the
// table is created there) or a PostgreSQL URL (a scratch table is created
// and dropped). Pool sizes and pragmas are the server's.
func InsertLoop(ctx context.Context, dsn string, conns int, d time.Duration, maxTx int) (InsertResult, error) {
	if d <= 0 || maxTx <= 0 {
		return InsertResult{}, errors.New("loadtest: the insert loop needs both a duration and a transaction bound")
	}
	var db *sql.DB
	var err error
	table := "bench_insert_" + randHex(4)
	ph := "?, ?"
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		db, err = sql.Open("sqlite", strings.TrimPrefix(path, "//")+"?"+SQLitePragmas)
		if err == nil {
			db.SetMaxOpenConns(SQLiteMaxConns)
			db.SetMaxIdleConns(SQLiteMaxConns)
		}
	} else {
		db, err = sql.Open("pgx", dsn)
		if err == nil {
			db.SetMaxOpenConns(PostgresMaxConns)
			db.SetMaxIdleConns(PostgresMaxConns)
		}
		ph = "$1, $2"
	}
	if err != nil {
		return InsertResult{}, err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE TABLE "+table+" (id TEXT PRIMARY KEY, data TEXT NOT NULL)"); err != nil {
		return InsertResult{}, fmt.Errorf("loadtest: create %s: %w", table, err)
	}
	defer func() { _, _ = db.ExecContext(context.WithoutCancel(ctx), "DROP TABLE "+table) }() // scratch table
	insert := "INSERT INTO " + table + " (id, data) VALUES (" + ph + ")"
	data := strings.Repeat("x", 2048)

	rctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var started, committed, errs atomic.Int64
	var wg sync.WaitGroup
	prefix := randHex(6)
	start := time.Now()
	for w := range conns {
		wg.Go(func() {
			for k := 0; rctx.Err() == nil && started.Add(1) <= int64(maxTx); k++ {
				err := func() error {
					tx, err := db.BeginTx(rctx, nil)
					if err != nil {
						return err
					}
					if _, err := tx.ExecContext(rctx, insert, fmt.Sprintf("%s-%d-%d", prefix, w, k), data); err != nil {
						tx.Rollback()
						return err
					}
					return tx.Commit()
				}()
				switch {
				case err == nil:
					committed.Add(1)
				case rctx.Err() == nil:
					errs.Add(1) // cut off by the deadline is not a failure
				}
			}
		})
	}
	wg.Wait()
	el := time.Since(start)
	tx := int(committed.Load())
	if err := ctx.Err(); err != nil {
		return InsertResult{}, err
	}
	return InsertResult{Conns: conns, Tx: tx, Errors: int(errs.Load()), Elapsed: el, TPS: float64(tx) / el.Seconds()}, nil
}

func randHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Command is one program to time as a whole process.
type Command struct {
	Name string
	Argv []string
	Env  []string // added to the environment
	// OK lists the exit codes that count as success (default 0 only).
	OK []int
}

// CommandTiming is how long a command took over several runs.
type CommandTiming struct {
	Name    string          `json:"name"`
	Runs    int             `json:"runs"`
	Median  time.Duration   `json:"median_ns"`
	Min     time.Duration   `json:"min_ns"`
	MaxRSS  int64           `json:"max_rss_bytes"` // peak RSS of one run under GNU time; -1 without it
	Samples []time.Duration `json:"-"`
	Tool    string          `json:"tool"` // "hyperfine" or "loop"
}

// TimeCommands runs each command runs times (after warmup unrecorded runs),
// interleaved so that a noisy moment of the machine hits all of them alike,
// and reports the median wall time and the peak RSS of each. Each run must
// exit with an OK code.
func TimeCommands(ctx context.Context, runs, warmup int, cmds ...Command) ([]CommandTiming, error) {
	out := make([]CommandTiming, len(cmds))
	for i, c := range cmds {
		out[i] = CommandTiming{Name: c.Name, Tool: "loop"}
	}
	for r := -warmup; r < runs; r++ {
		for i, c := range cmds {
			el, err := runOnce(ctx, c)
			if err != nil {
				return nil, err
			}
			if r < 0 {
				continue
			}
			out[i].Samples = append(out[i].Samples, el)
		}
	}
	for i, c := range cmds {
		rss, err := PeakRSSOf(ctx, c)
		switch {
		case errors.Is(err, ErrNoGNUTime):
			rss = -1 // unknown
		case err != nil:
			return nil, err
		}
		out[i].MaxRSS = rss
	}
	for i := range out {
		s := append([]time.Duration(nil), out[i].Samples...)
		sortDurations(s)
		out[i].Runs = len(s)
		out[i].Min = s[0]
		out[i].Median = medianDuration(s)
	}
	return out, nil
}

func runOnce(ctx context.Context, c Command) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, c.Argv[0], c.Argv[1:]...)
	cmd.Env = append(os.Environ(), c.Env...)
	var stderr bytes.Buffer
	cmd.Stdout = nil // discarded, as hyperfine does
	cmd.Stderr = &stderr
	t := time.Now()
	err := cmd.Run()
	el := time.Since(t)
	if err := c.check(err, &stderr); err != nil {
		return 0, err
	}
	return el, nil
}

// check turns a run's error into nil when its exit code is an OK one.
func (c Command) check(err error, stderr *bytes.Buffer) error {
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return fmt.Errorf("loadtest: %s: %w", c.Name, err)
		}
		code = ee.ExitCode()
	}
	ok := len(c.OK) == 0 && code == 0
	for _, k := range c.OK {
		ok = ok || k == code
	}
	if !ok {
		return fmt.Errorf("loadtest: %s exited %d: %s", c.Name, code, stderr.String())
	}
	return nil
}

// ErrNoGNUTime: PeakRSSOf needs /usr/bin/time (Debian package time).
var ErrNoGNUTime = errors.New("loadtest: peak RSS needs GNU time (/usr/bin/time; apt-get install time)")

// PeakRSSOf runs the command once under GNU time (/usr/bin/time -f %M) and
// returns its peak resident set size. Not from this process's wait4: a
// child started from a big Go process inherits the parent's memory
// high-water mark until it execs, so its ru_maxrss would report ours.
// GNU time is a small C program, so its child's figure is the command's.
func PeakRSSOf(ctx context.Context, c Command) (int64, error) {
	gnuTime, err := exec.LookPath("/usr/bin/time")
	if err != nil {
		return 0, ErrNoGNUTime
	}
	f, err := os.CreateTemp("", "beian-rss")
	if err != nil {
		return 0, err
	}
	f.Close()
	defer os.Remove(f.Name())
	cmd := exec.CommandContext(ctx, gnuTime, append([]string{"-f", "%M", "-o", f.Name(), "--"}, c.Argv...)...)
	cmd.Env = append(os.Environ(), c.Env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := c.check(cmd.Run(), &stderr); err != nil {
		return 0, err
	}
	b, err := os.ReadFile(f.Name())
	if err != nil {
		return 0, err
	}
	lines := strings.Fields(string(b))
	if len(lines) == 0 {
		return 0, fmt.Errorf("loadtest: GNU time wrote nothing for %s", c.Name)
	}
	kb, err := strconv.ParseInt(lines[len(lines)-1], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("loadtest: GNU time wrote %q", b)
	}
	return kb << 10, nil
}

// Hyperfine times the commands with hyperfine (no shell, so only the
// programs are measured) when it is installed, and returns nil otherwise.
// Peak RSS is not hyperfine's: take it from TimeCommands.
func Hyperfine(ctx context.Context, runs, warmup int, cmds ...Command) ([]CommandTiming, error) {
	bin, err := exec.LookPath("hyperfine")
	if err != nil {
		return nil, nil
	}
	dir, err := os.MkdirTemp("", "beian-hyperfine")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "out.json")
	args := []string{"-N", "--runs", fmt.Sprint(runs), "--warmup", fmt.Sprint(warmup), "--export-json", out, "--style", "none"}
	for _, c := range cmds {
		if len(c.OK) > 0 {
			args = append(args, "-i") // hyperfine cannot list OK codes: ignore failures, TimeCommands checked them
			break
		}
	}
	var env []string
	for _, c := range cmds {
		// hyperfine runs every command with its own environment: they must
		// agree (they do: BEIAN_* variables only matter to beian).
		env = append(env, c.Env...)
		args = append(args, "-n", c.Name, shellJoin(c.Argv))
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("loadtest: hyperfine: %v\n%s", err, b)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Results []struct {
			Command string    `json:"command"`
			Median  float64   `json:"median"`
			Min     float64   `json:"min"`
			Times   []float64 `json:"times"`
		} `json:"results"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	res := make([]CommandTiming, len(doc.Results))
	for i, r := range doc.Results {
		res[i] = CommandTiming{Name: r.Command, Runs: len(r.Times), Tool: "hyperfine",
			Median: time.Duration(r.Median * float64(time.Second)), Min: time.Duration(r.Min * float64(time.Second))}
	}
	return res, nil
}

// shellJoin quotes argv for hyperfine -N, which splits on spaces and
// honours single quotes.
func shellJoin(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		if a == "" || strings.ContainsAny(a, " '\"\\$") {
			q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		} else {
			q[i] = a
		}
	}
	return strings.Join(q, " ")
}

func sortDurations(s []time.Duration) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func medianDuration(sorted []time.Duration) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// MinimalGoProgram is the start-up baseline: a Go program that prints a
// version line and exits, like `beian --version` should.
const MinimalGoProgram = `package main

import "os"

func main() { os.Stdout.WriteString("minimal 0.0.0\n") }
`

// BuildMinimal writes and builds MinimalGoProgram in dir.
func BuildMinimal(ctx context.Context, dir string) (string, error) {
	src := filepath.Join(dir, "minimal")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(src, "main.go"), []byte(MinimalGoProgram), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(src, "go.mod"), []byte("module minimal\n\ngo 1.26\n"), 0o644); err != nil {
		return "", err
	}
	out := filepath.Join(dir, "minimal-go")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", out, ".")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod", "GOWORK=off")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("loadtest: build the minimal program: %v\n%s", err, b)
	}
	return out, nil
}
