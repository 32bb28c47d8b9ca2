// Command beian-load measures beian-server against the limits of the
// machine it runs on (issue 5, docs/benchmarks.md). It sends load only to
// loopback addresses, and every run is bounded in requests and in time.
//
//	beian-load gen   --db DSN --sites N [--drafts N] [--under-review N]
//	beian-load run   [--db sqlite|postgres|DSN] [--sites N] [--conns N] [--mix check=1,status=1]
//	                 [--duration 10s] [--max-requests N] [--repeat N] [--bare] [--insert-baseline]
//	beian-load suite [--out DIR] [--postgres URL] [--repeat 3] [--only http,batch,submit,client,big]
//	beian-load bare-http --addr 127.0.0.1:0 --size N   (the bare-handler baseline process)
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/beian-dev/beian/internal/datagen"
	"github.com/beian-dev/beian/internal/loadtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "beian-load:", err)
		os.Exit(1)
	}
}

const usage = `usage: beian-load gen|run|suite|bare-http [flags]  (beian-load CMD -h for the flags)`

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "gen":
		return gen(ctx, args[1:])
	case "run":
		return runLoad(ctx, args[1:])
	case "suite":
		return suite(ctx, args[1:])
	case "bare-http":
		return bareHTTP(ctx, args[1:])
	}
	return errors.New(usage)
}

// planFlags are the data set's flags, shared by gen and run so that run can
// reuse a database gen filled (the plan is a function of these alone).
type planFlags struct {
	sites, drafts, review, perAccount int
	seed                              uint64
}

func (p *planFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&p.sites, "sites", 1000, "recorded sites")
	fs.IntVar(&p.drafts, "drafts", 0, "drafts ready to submit (the submit op uses them up)")
	fs.IntVar(&p.review, "under-review", 0, "sites under review (the approve op uses them up)")
	fs.IntVar(&p.perAccount, "sites-per-account", 10, "sites per sponsor account")
	fs.Uint64Var(&p.seed, "seed", 1, "data set seed")
}

func (p *planFlags) plan() *datagen.Plan {
	return datagen.NewPlan(datagen.Config{Recorded: p.sites, Drafts: p.drafts, UnderReview: p.review, SitesPerAccount: p.perAccount, Seed: p.seed})
}

func gen(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	var pf planFlags
	pf.register(fs)
	dsn := fs.String("db", "", "database to fill: sqlite:PATH (a new file) or a PostgreSQL URL (an empty schema)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dsn == "" {
		return errors.New("gen needs --db")
	}
	st, err := datagen.Fill(ctx, *dsn, pf.plan())
	if err != nil {
		return err
	}
	fmt.Printf("%d accounts, %d sites in %s (index rebuild %s)\n", st.Accounts, st.Sites, st.Elapsed.Round(time.Millisecond), st.IndexRebuild.Round(time.Millisecond))
	return nil
}

func runLoad(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var pf planFlags
	pf.register(fs)
	db := fs.String("db", "sqlite", "sqlite (a new file in a temporary directory), postgres (a new schema in $BEIAN_TEST_POSTGRES_URL), or a DSN that gen filled with the same plan flags")
	server := fs.String("server", "", "beian-server binary (default: build ./cmd/beian-server)")
	conns := fs.Int("conns", 64, "concurrent connections")
	mixFlag := fs.String("mix", "check=1,status=1", "operations and weights: check, batch, status, submit, approve")
	duration := fs.Duration("duration", 10*time.Second, "length of a run")
	maxReq := fs.Int("max-requests", 2_000_000, "request bound of a run")
	warmup := fs.Duration("warmup", 2*time.Second, "unrecorded warm-up before each run")
	repeat := fs.Int("repeat", 1, "runs; medians are printed when more than one")
	bare := fs.Bool("bare", false, "also load a bare net/http handler answering a JSON body the size of a status read")
	insert := fs.Bool("insert-baseline", false, "also run the bare insert-transaction loop with --conns goroutines on the same database settings")
	asJSON := fs.Bool("json", false, "print results as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	mix, err := loadtest.ParseMix(*mixFlag)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "beian-load")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := *server
	if bin == "" {
		root, err := loadtest.ModuleRoot(".")
		if err != nil {
			return err
		}
		if bin, err = loadtest.Build(ctx, root, "./cmd/beian-server", tmp); err != nil {
			return err
		}
	}
	plan := pf.plan()
	dsn := *db
	switch dsn {
	case "sqlite":
		dsn = "sqlite:" + filepath.Join(tmp, "bench.db")
		if err := fill(ctx, dsn, plan); err != nil {
			return err
		}
	case "postgres":
		base := os.Getenv("BEIAN_TEST_POSTGRES_URL")
		if base == "" {
			return errors.New("--db postgres needs BEIAN_TEST_POSTGRES_URL")
		}
		var drop func()
		if dsn, drop, err = loadtest.FreshPostgresSchema(ctx, base); err != nil {
			return err
		}
		defer drop()
		if err := fill(ctx, dsn, plan); err != nil {
			return err
		}
	}
	srv, err := loadtest.StartServer(ctx, loadtest.ServerOptions{Binary: bin, DSN: dsn,
		Args: []string{"--attachments", filepath.Join(tmp, "attachments")}, StartTimeout: 5 * time.Minute})
	if err != nil {
		return err
	}
	defer stop(srv)
	target := loadtest.NewTarget(srv.URL, plan)

	var results []loadtest.Result
	for r := range *repeat {
		ops, err := target.Mix(mix)
		if err != nil {
			return err
		}
		res, err := loadtest.Run(ctx, loadtest.Config{Conns: *conns, Ops: ops, Duration: *duration, MaxRequests: *maxReq, Warmup: *warmup, Seed: uint64(r + 1)})
		if err != nil {
			return err
		}
		results = append(results, res)
		if !*asJSON {
			fmt.Printf("run %d: %d conns, %s\n", r+1, res.Conns, res.Elapsed.Round(time.Millisecond))
			for _, s := range res.Ops {
				fmt.Println("  " + s.String())
				if s.FirstError != "" {
					fmt.Println("    first error: " + s.FirstError)
				}
			}
		}
	}
	peak, _ := srv.PeakRSS()
	out := map[string]any{"runs": results, "server_peak_rss_bytes": peak, "machine": loadtest.ReadMachine()}
	if *repeat > 1 && !*asJSON {
		printMedians(results)
	}
	if !*asJSON {
		fmt.Printf("server peak RSS (VmHWM): %s\n", loadtest.MiB(peak))
	}
	if *bare {
		size, err := target.BodySize(ctx, loadtest.NewClient(1, 0), "/v1/sites/"+plan.SiteID(0), plan.Token(plan.AccountOf(0)))
		if err != nil {
			return err
		}
		self, _ := os.Executable()
		b, err := loadtest.StartProcess(ctx, self, []string{"bare-http", "--addr", "127.0.0.1:0", "--size", fmt.Sprint(size)}, nil, 0)
		if err != nil {
			return err
		}
		var bres []loadtest.Result
		for r := range *repeat {
			res, err := loadtest.Run(ctx, loadtest.Config{Conns: *conns, Ops: loadtest.BareOps(b.URL), Duration: *duration, MaxRequests: *maxReq, Warmup: *warmup, Seed: uint64(r + 1)})
			if err != nil {
				stop(b)
				return err
			}
			bres = append(bres, res)
			if !*asJSON {
				fmt.Printf("bare handler (%d-byte JSON) run %d:\n  %s\n", size, r+1, res.Ops[0])
			}
		}
		stop(b)
		out["bare"] = bres
	}
	if *insert {
		var ins []loadtest.InsertResult
		for range *repeat {
			idsn := dsn
			if strings.HasPrefix(dsn, "sqlite:") {
				idsn = "sqlite:" + filepath.Join(tmp, fmt.Sprintf("insert-%d.db", len(ins)))
			}
			res, err := loadtest.InsertLoop(ctx, idsn, *conns, *duration, 5_000_000)
			if err != nil {
				return err
			}
			ins = append(ins, res)
			if !*asJSON {
				fmt.Printf("insert loop, %d goroutines: %d tx in %s = %.1f tx/s, %d errors\n", res.Conns, res.Tx, res.Elapsed.Round(time.Millisecond), res.TPS, res.Errors)
			}
		}
		out["insert_baseline"] = ins
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	return nil
}

// stop ends a server process, saying so if it did not stop cleanly.
func stop(s *loadtest.Server) {
	if err := s.Stop(30 * time.Second); err != nil {
		fmt.Fprintln(os.Stderr, "beian-load:", err)
	}
}

func printMedians(results []loadtest.Result) {
	byOp := map[string][]loadtest.Summary{}
	var order []string
	for _, r := range results {
		for _, s := range r.Ops {
			if _, ok := byOp[s.Op]; !ok {
				order = append(order, s.Op)
			}
			byOp[s.Op] = append(byOp[s.Op], s)
		}
	}
	fmt.Printf("medians of %d runs:\n", len(results))
	for _, op := range order {
		var tp, p50, p99 []float64
		for _, s := range byOp[op] {
			tp = append(tp, s.Throughput)
			p50 = append(p50, float64(s.P50)/1e6)
			p99 = append(p99, float64(s.P99)/1e6)
		}
		fmt.Printf("  %-10s %10.1f req/s  p50 %.2f ms  p99 %.2f ms\n", op, loadtest.Median(tp), loadtest.Median(p50), loadtest.Median(p99))
	}
}

func fill(ctx context.Context, dsn string, plan *datagen.Plan) error {
	st, err := datagen.Fill(ctx, dsn, plan)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "generated %d sites in %s\n", st.Sites, st.Elapsed.Round(time.Millisecond))
	return nil
}

func suite(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("suite", flag.ContinueOnError)
	out := fs.String("out", filepath.Join(os.TempDir(), "beian-bench"), "work directory: databases, binaries, results.json (the big database is kept for reuse)")
	pg := fs.String("postgres", os.Getenv("BEIAN_TEST_POSTGRES_URL"), "PostgreSQL URL for the PostgreSQL rows (default $BEIAN_TEST_POSTGRES_URL)")
	repeat := fs.Int("repeat", 3, "runs per figure (medians reported)")
	duration := fs.Duration("duration", 10*time.Second, "length of each load run")
	warmup := fs.Duration("warmup", 2*time.Second, "unrecorded warm-up before each load run")
	big := fs.Int("big-sites", 1_000_000, "sites of the large database")
	only := fs.String("only", "", "comma-separated targets to run: http, batch, submit, client, big")
	if err := fs.Parse(args); err != nil {
		return err
	}
	root, err := loadtest.ModuleRoot(".")
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	o := loadtest.SuiteOptions{ModuleDir: root, WorkDir: *out, Self: self, Postgres: *pg, Repeat: *repeat,
		Duration: *duration, Warmup: *warmup, BigSites: *big, Log: os.Stderr}
	if *only != "" {
		o.Only = strings.Split(*only, ",")
	}
	res, err := loadtest.RunSuite(ctx, o)
	if res != nil {
		path := filepath.Join(*out, "results.json")
		if werr := res.WriteJSON(path); werr == nil {
			fmt.Fprintln(os.Stderr, "results in", path)
		}
		fmt.Print(res.Markdown())
		m := res.Machine
		fmt.Printf("\nmachine: %d × %s, %s, %s, Linux %s; load average %.2f at start, %.2f at end; %s\n",
			m.CPUs, m.Model, m.MemTotal, m.GoVersion, m.Kernel, m.LoadStart, m.LoadEnd, res.Elapsed.Round(time.Second))
	}
	return err
}

// bareHTTP serves the bare-handler baseline until SIGTERM: a separate
// process, as the real server is, so that the load generator's own work
// weighs on both alike.
func bareHTTP(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bare-http", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback only)")
	size := fs.Int("size", 2000, "JSON body size in bytes")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := loadtest.CheckLoopback(*addr); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: loadtest.BareHandler(*size), ReadHeaderTimeout: 5 * time.Second}
	fmt.Fprintf(os.Stderr, "listening on http://%s\n", ln.Addr())
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			fmt.Fprintln(os.Stderr, "bare-http: shutdown:", err)
		}
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
