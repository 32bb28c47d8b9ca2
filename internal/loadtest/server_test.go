package loadtest

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/datagen"
	"github.com/beian-dev/beian/internal/store/storetest"
)

var (
	buildOnce sync.Once
	buildDir  string
	serverBin string
	buildErr  error
)

// beianServer builds ./cmd/beian-server once per test binary.
func beianServer(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		root, err := ModuleRoot(".")
		if err != nil {
			buildErr = err
			return
		}
		if buildDir, err = os.MkdirTemp("", "loadtest-bin"); err != nil {
			buildErr = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		serverBin, buildErr = Build(ctx, root, "./cmd/beian-server", buildDir)
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return serverBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

func TestMixAgainstRealServerSQLite(t *testing.T) {
	testMix(t, storetest.NewSQLiteDSN(t))
}

func TestMixAgainstRealServerPostgres(t *testing.T) {
	testMix(t, storetest.NewPostgresDSN(t))
}

// testMix runs every op of the Filing API mix against a real beian-server
// process over a generated database: no request may fail, and the server's
// peak memory is read.
func testMix(t *testing.T, dsn string) {
	bin := beianServer(t)
	ctx := context.Background()
	plan := datagen.NewPlan(datagen.Config{Recorded: 2000, Drafts: 100, UnderReview: 50, MinAccounts: 16})
	if _, err := datagen.Fill(ctx, dsn, plan); err != nil {
		t.Fatal(err)
	}
	srv, err := StartServer(ctx, ServerOptions{Binary: bin, DSN: dsn, Args: []string{"--log-level", "warn"}})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := srv.Stop(30 * time.Second); err != nil {
			t.Error(err)
		}
	}()
	target := NewTarget(srv.URL, plan)
	ops, err := target.Mix(map[string]int{OpCheck: 4, OpBatch: 1, OpStatus: 4, OpSubmit: 2, OpApprove: 2})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(ctx, Config{Conns: 8, Ops: ops, Duration: 60 * time.Second, MaxRequests: 400})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Ops {
		t.Log(s)
		if s.Errors > 0 {
			t.Errorf("%s: %d errors, first: %s\nserver log:\n%s", s.Op, s.Errors, s.FirstError, srv.Log())
		}
	}
	if res.Requests < 100 {
		t.Errorf("only %d requests ran", res.Requests)
	}
	for _, op := range []string{OpCheck, OpBatch, OpStatus, OpSubmit, OpApprove} {
		if s, ok := res.Op(op); !ok || s.Requests == 0 {
			t.Errorf("op %s never ran", op)
		}
	}
	peak, err := srv.PeakRSS()
	if err != nil || peak < 1<<20 {
		t.Errorf("server peak RSS %d, %v", peak, err)
	}
	size, err := target.BodySize(ctx, NewClient(1, 0), "/v1/sites/"+plan.SiteID(3), plan.Token(plan.AccountOf(3)))
	if err != nil || size < 500 {
		t.Errorf("status body %d bytes, %v", size, err)
	}
}
