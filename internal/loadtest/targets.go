// The suite's targets: HTTP, batch, submits, the client and the large database, each measured against its baseline.

package loadtest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/beian-dev/beian/internal/datagen"
)

const maxRequests = 2_000_000 // per run; the duration is the real bound

// httpTargets: single checks and status reads at 64 connections on
// SQLite against the bare handler, and the server's memory under that load.
func (s *suite) httpTargets(ctx context.Context) error {
	plan := smallPlan(0)
	dsn, err := s.freshSQLite(ctx, "small", plan)
	if err != nil {
		return err
	}
	srv, err := s.startServer(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.stop(srv)
	t := NewTarget(srv.URL, plan)
	c := NewClient(1, 0)
	statusSize, err := t.BodySize(ctx, c, "/v1/sites/"+plan.SiteID(7), plan.Token(plan.AccountOf(7)))
	if err != nil {
		return err
	}
	checkSize, err := t.BodySize(ctx, c, "/v1/domain-checks/"+plan.Domain(8), plan.Token(plan.AccountOf(7)))
	if err != nil {
		return err
	}
	s.log("body sizes: status %d bytes, check %d bytes", statusSize, checkSize)

	// Interleaved: for each connection count and operation, a server run
	// then a bare-handler run of the same body size, Repeat times (A B A B
	// …), so that every ratio compares two runs on the same machine state.
	bare := map[string]*Server{}
	for _, op := range []string{OpCheck, OpStatus} {
		size := map[string]int{OpCheck: checkSize, OpStatus: statusSize}[op]
		b, err := StartProcess(ctx, s.o.Self, []string{"bare-http", "--addr", "127.0.0.1:0", "--size", strconv.Itoa(size)}, nil, 0)
		if err != nil {
			return err
		}
		defer s.stop(b)
		bare[op] = b
	}
	s.res.DataGen["status_body_bytes"], s.res.DataGen["check_body_bytes"] = statusSize, checkSize
	for _, conns := range []int{64, 16, 8} {
		for _, op := range []string{OpCheck, OpStatus} {
			var runs, bruns []Result
			var tputRatio, p99Ratio []float64
			for r := range s.o.Repeat {
				cfg := Config{Conns: conns, Duration: s.o.Duration, MaxRequests: maxRequests, Warmup: s.o.Warmup, Seed: uint64(r + 1)}
				cfg.Ops, _ = t.Mix(map[string]int{op: 1})
				res, err := Run(ctx, cfg)
				if err != nil {
					return err
				}
				cfg.Ops = BareOps(bare[op].URL)
				bres, err := Run(ctx, cfg)
				if err != nil {
					return err
				}
				sv, _ := res.Op(op)
				bv, _ := bres.Op(OpBare)
				s.log("%s %d conns pair %d: server %s | bare %s", op, conns, r+1, sv, bv)
				runs, bruns = append(runs, res), append(bruns, bres)
				if bv.Throughput > 0 && bv.P99 > 0 {
					tputRatio = append(tputRatio, sv.Throughput/bv.Throughput)
					p99Ratio = append(p99Ratio, float64(sv.P99)/float64(bv.P99))
				}
			}
			s.res.Runs[fmt.Sprintf("sqlite-%d-%s", conns, op)] = runs[len(runs)-1]
			s.res.Runs[fmt.Sprintf("bare-%d-%s", conns, op)] = bruns[len(bruns)-1]
			cmd := fmt.Sprintf("go run ./cmd/beian-load suite --only http --duration %s --repeat %d", s.o.Duration, s.o.Repeat)
			v, vr := med(runs, op, tput)
			b, _ := med(bruns, OpBare, tput)
			p, pr := med(runs, op, p99ms)
			bp, _ := med(bruns, OpBare, p99ms)
			if conns == 64 {
				goal := map[string]float64{OpCheck: 0.5, OpStatus: 0.4}[op]
				s.add(Figure{Target: "4", Name: fmt.Sprintf("%s throughput, %d conns, SQLite", op, conns), Value: v, Unit: "req/s", Runs: vr,
					Baseline: b, BaseName: fmt.Sprintf("bare net/http handler, same body size, %d conns", conns), Ratios: tputRatio,
					Goal: fmt.Sprintf("≥ %.0f%% of bare", goal*100), Met: Median(tputRatio) >= goal, Command: cmd,
					Note: fmt.Sprintf("%d errors", errCount(runs))})
			}
			s.add(Figure{Target: "4", Name: fmt.Sprintf("%s p99, %d conns, SQLite", op, conns), Value: p, Unit: "ms", Runs: pr,
				Baseline: bp, BaseName: fmt.Sprintf("bare handler p99, %d conns", conns), Ratios: p99Ratio,
				Goal: "≤ 2× the bare p99", Met: Median(p99Ratio) <= 2, Command: cmd})
		}
	}
	peak, err := srv.PeakRSS()
	if err != nil {
		return err
	}
	s.add(Figure{Target: "6", Name: "server peak RSS (VmHWM) after the 64-conn check and status loads", Value: float64(peak) / (1 << 20), Unit: "MiB",
		Goal: "≤ 100 MiB", Met: peak <= 100<<20, Command: "go run ./cmd/beian-load run --sites 1000 --conns 64 --mix check=1,status=1 (prints the server's VmHWM)"})
	return nil
}

// batchTargets: per-domain cost of batch against single checks, and
// `beian check --from` over 100,000 domains.
func (s *suite) batchTargets(ctx context.Context) error {
	plan := smallPlan(0)
	dsn, err := s.freshSQLite(ctx, "batch", plan)
	if err != nil {
		return err
	}
	srv, err := s.startServer(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.stop(srv)
	t := NewTarget(srv.URL, plan)
	single, err := s.load(ctx, "sqlite-64-check-for-batch", 64, func() []Op { o, _ := t.Mix(map[string]int{OpCheck: 1}); return o }, maxRequests)
	if err != nil {
		return err
	}
	batch, err := s.load(ctx, "sqlite-8-batch", 8, func() []Op { o, _ := t.Mix(map[string]int{OpBatch: 1}); return o }, maxRequests)
	if err != nil {
		return err
	}
	sv, _ := med(single, OpCheck, tput)
	bv, bruns := med(batch, OpBatch, func(s Summary) float64 { return s.Throughput * BatchSize })
	s.add(Figure{Target: "2", Name: "batch check, domains/s (8 conns × 1,000 domains)", Value: bv, Unit: "domains/s", Runs: bruns,
		Baseline: sv, BaseName: "single checks, 64 conns, domains/s", Goal: "per-domain cost ≥ 20× lower (ratio ≥ 20)", Met: bv >= 20*sv,
		Command: fmt.Sprintf("go run ./cmd/beian-load run --sites 1000 --conns 8 --mix batch=1 --duration %s", s.o.Duration)})

	// beian check --from with 100,000 domains, half held by generated sites.
	file := filepath.Join(s.o.WorkDir, "domains-100k.txt")
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for i := range 100_000 {
		if i%2 == 0 {
			fmt.Fprintln(w, plan.Domain(i/2%1000))
		} else {
			fmt.Fprintln(w, plan.FreshDomain(i))
		}
	}
	w.Flush()
	f.Close()
	env := s.clientEnv(srv.URL, plan.Token(0))
	timings, err := TimeCommands(ctx, s.o.Repeat, 1, Command{Name: "beian check --from 100k", Argv: []string{s.client, "check", "--from", file, "--output", "json"}, Env: env, OK: []int{0, 6}})
	if err != nil {
		return err
	}
	tm := timings[0]
	s.add(Figure{Target: "2", Name: "`beian check --from` 100,000 domains, local server (SQLite)", Value: tm.Median.Seconds(), Unit: "s",
		Runs: durs(tm.Samples), Goal: "< 5 s", Met: tm.Median < 5*time.Second,
		Command: "go run ./cmd/beian-load suite --only batch (times `beian check --from domains-100k.txt -o json`)",
		Note:    fmt.Sprintf("client peak RSS %s", MiB(tm.MaxRSS))})
	return nil
}

func durs(ds []time.Duration) []float64 {
	out := make([]float64, len(ds))
	for i, d := range ds {
		out[i] = d.Seconds()
	}
	return out
}

// clientEnv points beian at the server with a token, with a config
// directory of its own so the user's settings play no part.
func (s *suite) clientEnv(serverURL, token string) []string {
	cfg := filepath.Join(s.o.WorkDir, "client-config")
	if err := os.MkdirAll(cfg, 0o700); err != nil {
		s.log("client config directory: %v", err)
	}
	return []string{"BEIAN_SERVER=" + serverURL, "BEIAN_TOKEN=" + token, "BEIAN_CONFIG_DIR=" + cfg,
		"XDG_STATE_HOME=" + filepath.Join(s.o.WorkDir, "client-state"), "XDG_DATA_HOME=" + filepath.Join(s.o.WorkDir, "client-data"),
		"BEIAN_LANG=en", "NO_COLOR=1"}
}

// submitTargets: submissions by 32 clients against the bare insert loop of
// 32 goroutines on the same database settings, on SQLite and PostgreSQL.
func (s *suite) submitTargets(ctx context.Context) error {
	const drafts = 40_000
	dbs := []string{"sqlite"}
	if s.o.Postgres != "" {
		dbs = append(dbs, "postgres")
	}
	for _, kind := range dbs {
		var subRuns, insRuns []float64
		var last Result
		for r := range s.o.Repeat {
			plan := smallPlan(drafts)
			var dsn string
			var drop func()
			var err error
			if kind == "sqlite" {
				dsn, err = s.freshSQLite(ctx, "submit", plan)
			} else {
				dsn, drop, err = FreshPostgresSchema(ctx, s.o.Postgres)
				if err == nil {
					_, err = datagen.Fill(ctx, dsn, plan)
				}
			}
			if err != nil {
				return err
			}
			srv, err := s.startServer(ctx, dsn)
			if err != nil {
				return err
			}
			t := NewTarget(srv.URL, plan)
			ops, _ := t.Mix(map[string]int{OpSubmit: 1})
			res, err := Run(ctx, Config{Conns: 32, Ops: ops, Duration: s.o.Duration, MaxRequests: drafts, Warmup: 0, Seed: uint64(r + 1)})
			s.stop(srv)
			if err != nil {
				return err
			}
			sum, _ := res.Op(OpSubmit)
			s.log("%s submit run %d: %s", kind, r+1, sum)
			if sum.Errors > 0 {
				s.log("  first error: %s", sum.FirstError)
			}
			subRuns = append(subRuns, sum.Throughput)
			last = res
			// The write limit, on the same database with the same settings.
			insDSN := dsn
			if kind == "sqlite" {
				insDSN = "sqlite:" + filepath.Join(s.o.WorkDir, "insert-baseline.db")
				for _, suf := range []string{"", "-wal", "-shm"} {
					os.Remove(strings.TrimPrefix(insDSN, "sqlite:") + suf)
				}
			}
			ins, err := InsertLoop(ctx, insDSN, 32, s.o.Duration, 5_000_000)
			if drop != nil {
				drop()
			}
			if err != nil {
				return err
			}
			s.log("%s insert loop run %d: %d tx, %.1f tx/s, %d errors", kind, r+1, ins.Tx, ins.TPS, ins.Errors)
			insRuns = append(insRuns, ins.TPS)
		}
		s.res.Runs[kind+"-32-submit"] = last
		v, b := Median(subRuns), Median(insRuns)
		var ratios []float64
		for i := range subRuns {
			if insRuns[i] > 0 {
				ratios = append(ratios, subRuns[i]/insRuns[i])
			}
		}
		s.add(Figure{Target: "4", Name: "submits/s, 32 clients, " + kind, Value: v, Unit: "submits/s", Runs: subRuns,
			Baseline: b, BaseName: "bare single-row insert transactions/s, 32 goroutines, same DB settings", Goal: "≥ 25% of the insert loop",
			Ratios: ratios, Met: Median(ratios) >= 0.25, Command: fmt.Sprintf("go run ./cmd/beian-load run --db %s --sites 1000 --drafts %d --conns 32 --mix submit=1 --insert-baseline", kind, drafts),
			Note: fmt.Sprintf("%d errors in the last run", errCount([]Result{last}))})
	}
	return nil
}

// clientTargets: whole-process timings of the client against curl and a
// minimal Go program, and the client's memory.
func (s *suite) clientTargets(ctx context.Context) error {
	plan := smallPlan(0)
	dsn, err := s.freshSQLite(ctx, "client", plan)
	if err != nil {
		return err
	}
	srv, err := s.startServer(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.stop(srv)
	id, token := plan.SiteID(7), plan.Token(plan.AccountOf(7))
	env := s.clientEnv(srv.URL, token)
	runs := max(20, s.o.Repeat*10)
	status := Command{Name: "beian status ID -o json", Argv: []string{s.client, "status", id, "-o", "json"}, Env: env}
	curl := Command{Name: "curl -s", Argv: []string{"curl", "-s", "-H", "Authorization: Bearer " + token, srv.URL + "/v1/sites/" + id}}
	version := Command{Name: "beian --version", Argv: []string{s.client, "--version"}, Env: env}
	minimal := Command{Name: "minimal Go program", Argv: []string{s.minimal}}
	loop, err := TimeCommands(ctx, runs, 3, status, curl, version, minimal)
	if err != nil {
		return err
	}
	hf, err := Hyperfine(ctx, runs, 3, status, curl, version, minimal)
	if err != nil {
		s.log("hyperfine failed, using the loop's figures: %v", err)
		hf = nil
	}
	// The loop ran the four commands interleaved (A B C D A B …): pair the
	// i-th run of each command with the i-th run of its baseline.
	pairs := func(a, b CommandTiming) []float64 {
		var out []float64
		for i := range min(len(a.Samples), len(b.Samples)) {
			if b.Samples[i] > 0 {
				out = append(out, float64(a.Samples[i])/float64(b.Samples[i]))
			}
		}
		return out
	}
	hfNote := func(i, j int) string {
		if hf == nil || len(hf) != len(loop) {
			return "hyperfine not installed"
		}
		return fmt.Sprintf("hyperfine -N medians %s vs %s", hf[i].Median.Round(10*time.Microsecond), hf[j].Median.Round(10*time.Microsecond))
	}
	r := pairs(loop[0], loop[1])
	s.add(Figure{Target: "3", Name: "`beian status ID -o json`, whole process", Value: ms2(loop[0].Median), Unit: "ms",
		Baseline: ms2(loop[1].Median), BaseName: "`curl -s` of the same URL", Ratios: r, Goal: "≤ 2× curl", Met: Median(r) <= 2,
		Command: "go run ./cmd/beian-load suite --only client", Note: fmt.Sprintf("interleaved timing loop, %d runs; %s", runs, hfNote(0, 1))})
	r = pairs(loop[2], loop[3])
	s.add(Figure{Target: "3", Name: "`beian --version`, whole process", Value: ms2(loop[2].Median), Unit: "ms",
		Baseline: ms2(loop[3].Median), BaseName: "minimal Go program (prints a line)", Ratios: r, Goal: "≤ 3× minimal", Met: Median(r) <= 3,
		Command: "go run ./cmd/beian-load suite --only client", Note: fmt.Sprintf("interleaved timing loop, %d runs; %s", runs, hfNote(2, 3))})
	if size, err := StrippedSize(ctx, s.o.ModuleDir, "./cmd/beian", filepath.Join(s.o.WorkDir, "beian-stripped")); err == nil {
		s.add(Figure{Target: "3", Name: "`beian` binary, stripped (-s -w, -trimpath)", Value: float64(size) / (1 << 20), Unit: "MiB",
			Goal: "≤ 18 MiB", Met: size <= 18<<20, Command: "go build -trimpath -ldflags='-s -w' ./cmd/beian"})
	} else {
		s.log("stripped build: %v", err)
	}
	s.add(Figure{Target: "6", Name: "`beian status ID -o json` peak RSS", Value: float64(loop[0].MaxRSS) / (1 << 20), Unit: "MiB",
		Baseline: float64(loop[1].MaxRSS) / (1 << 20), BaseName: "curl -s peak RSS", Goal: "≤ 30 MiB", Met: loop[0].MaxRSS <= 30<<20,
		Command: "go run ./cmd/beian-load suite --only client"})
	return nil
}

func ms2(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// bigTargets: check and status p99 with 1,000,000 sites stored against
// their values with 1,000, and the data generator's speed.
func (s *suite) bigTargets(ctx context.Context) error {
	big := datagen.NewPlan(datagen.Config{Recorded: s.o.BigSites})
	path := filepath.Join(s.o.WorkDir, fmt.Sprintf("big-%d.db", s.o.BigSites))
	marker := path + ".done"
	dsn := "sqlite:" + path
	if _, err := os.Stat(marker); err != nil {
		for _, suf := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suf)
		}
		s.log("generating %d sites (SQLite)", s.o.BigSites)
		st, err := datagen.Fill(ctx, dsn, big)
		if err != nil {
			return err
		}
		s.log("generated %d sites in %s (index rebuild %s)", st.Sites, st.Elapsed.Round(time.Millisecond), st.IndexRebuild.Round(time.Millisecond))
		s.res.DataGen["big_sites"] = st.Sites
		s.res.DataGen["big_seconds"] = st.Elapsed.Seconds()
		s.add(Figure{Target: "datagen", Name: fmt.Sprintf("generate %d recorded sites (SQLite)", s.o.BigSites), Value: st.Elapsed.Seconds(), Unit: "s",
			Goal: "< 120 s", Met: st.Elapsed < 2*time.Minute,
			Command: fmt.Sprintf("go run ./cmd/beian-load gen --db sqlite:/tmp/big.db --sites %d", s.o.BigSites),
			Note:    fmt.Sprintf("index rebuild %s of it", st.IndexRebuild.Round(time.Second))})
		if err := os.WriteFile(marker, []byte(time.Now().String()), 0o644); err != nil {
			s.log("cannot mark %s as complete (it will be generated again): %v", path, err)
		}
	} else {
		s.log("reusing %s", path)
	}
	small := smallPlan(0)
	smallDSN, err := s.freshSQLite(ctx, "small-for-big", small)
	if err != nil {
		return err
	}
	p99 := map[string]map[string][]float64{}
	for _, c := range []struct {
		name string
		dsn  string
		plan *datagen.Plan
	}{{"1k", smallDSN, small}, {"1M", dsn, big}} {
		srv, err := s.startServer(ctx, c.dsn)
		if err != nil {
			return err
		}
		t := NewTarget(srv.URL, c.plan)
		p99[c.name] = map[string][]float64{}
		for _, op := range []string{OpCheck, OpStatus} {
			runs, err := s.load(ctx, "sqlite-64-"+op+"-"+c.name, 64, func() []Op { o, _ := t.Mix(map[string]int{op: 1}); return o }, maxRequests)
			if err != nil {
				s.stop(srv)
				return err
			}
			_, xs := med(runs, op, p99ms)
			p99[c.name][op] = xs
		}
		if c.name == "1M" {
			peak, _ := srv.PeakRSS()
			s.res.DataGen["big_server_peak_rss_mib"] = float64(peak) / (1 << 20)
		}
		s.stop(srv)
	}
	for _, op := range []string{OpCheck, OpStatus} {
		v, b := Median(p99["1M"][op]), Median(p99["1k"][op])
		s.add(Figure{Target: "5", Name: op + " p99 with 1,000,000 sites, 64 conns, SQLite", Value: v, Unit: "ms", Runs: p99["1M"][op],
			Baseline: b, BaseName: op + " p99 with 1,000 sites", Goal: "≤ 1.5× the 1,000-site p99", Met: v <= 1.5*b,
			Command: fmt.Sprintf("go run ./cmd/beian-load run --sites %d --conns 64 --mix %s=1", s.o.BigSites, op)})
	}
	return nil
}
