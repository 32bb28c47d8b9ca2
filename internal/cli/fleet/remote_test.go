package fleet_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/fleet"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/datagen"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/server/servertest"
	"github.com/beian-dev/beian/internal/store/storetest"
)

// served is a real server holding n recorded sites of one account, and the
// fleet that declares exactly those sites.
func served(tb testing.TB, n int) (*fleet.Fleet, *client.Client) {
	tb.Helper()
	ctx := context.Background()
	plan := datagen.NewPlan(datagen.Config{Recorded: n, SitesPerAccount: n, MinAccounts: 1})
	dsn := storetest.NewSQLiteDSN(tb)
	if _, err := datagen.Fill(ctx, dsn, plan); err != nil {
		tb.Fatal(err)
	}
	env := servertest.Start(tb, servertest.DSN(dsn))
	c, err := client.New(client.Options{BaseURL: env.URL, Token: plan.Token(0), Timeout: time.Minute})
	if err != nil {
		tb.Fatal(err)
	}
	s := &fleet.Subject{ID: "bench"}
	for i := range n {
		s.Sites = append(s.Sites, &fleet.Site{Site: plan.Site(i), Where: "bench"})
	}
	return &fleet.Fleet{Subjects: []*fleet.Subject{s}}, c
}

func planOnce(tb testing.TB, f *fleet.Fleet, c *client.Client) (*fleet.Plan, int) {
	p := fleet.NewPlanner(f, fleet.Options{Today: time.Now()})
	r, err := fleet.Fetch(context.Background(), p, func(context.Context, fleet.Account) (*client.Client, error) { return c, nil })
	if err != nil {
		tb.Fatal(err)
	}
	return p.Plan(r.Current), r.Requests
}

// Planning a fleet the server already holds reads in batches — the
// subject, then the sites 500 a page, no per-site request, no domain
// check for domains the account holds — and plans no change.
func TestPlanOfAHeldFleetReadsInPages(t *testing.T) {
	f, c := served(t, 1200)
	plan, requests := planOnce(t, f, c)
	if requests != 1+3 {
		t.Errorf("%d requests for 1,200 sites, want 4 (the subject and 3 pages)", requests)
	}
	if plan.Changes || plan.Problems > 0 || plan.Totals.None != 1200 {
		t.Fatalf("totals %+v, problems %d", plan.Totals, plan.Problems)
	}
}

// BenchmarkPlan10k plans a 10,000-site fleet against a server holding
// them, interleaved (A B A B …) with the baseline: fetching the same
// sites' records once (GET /v1/sites, 500 a page). It reports the plan's
// requests and the median ratio of its time to the baseline's; the goal
// is ≤ 2 (docs/benchmarks.md).
func BenchmarkPlan10k(b *testing.B) {
	f, c := served(b, 10_000)
	ctx := context.Background()
	var ratios []float64
	requests := 0
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		recs, err := c.AllSites(ctx, client.SiteQuery{Limit: 500})
		if err != nil || len(recs) != 10_000 {
			b.Fatalf("%d records: %v", len(recs), err)
		}
		fetch := time.Since(t0)
		t1 := time.Now()
		plan, n := planOnce(b, f, c)
		if plan.Changes || plan.Problems > 0 {
			b.Fatalf("a held fleet plans changes: %+v", plan.Totals)
		}
		ratios = append(ratios, float64(time.Since(t1))/float64(fetch))
		requests = n
	}
	slices.Sort(ratios)
	b.ReportMetric(ratios[len(ratios)/2], "ratio-to-fetch")
	b.ReportMetric(ratios[0], "ratio-min")
	b.ReportMetric(ratios[len(ratios)-1], "ratio-max")
	b.ReportMetric(float64(requests), "requests")
}

// A step that fails at apply time — here a draft changed by someone else
// between the plan and the apply (version_conflict) — is reported, and
// the other steps are carried out; the journal keeps the failed step.
func TestApplyReportsAFailureAndGoesOn(t *testing.T) {
	ctx := context.Background()
	env := servertest.Start(t)
	u := env.RegisterSponsor(t, "fleet-failure")
	c, err := client.New(client.Options{BaseURL: env.URL, Token: u.Token})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutSubject(ctx, api.SubjectWrite{Subject: filingtest.Subject()}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SubmitSubject(ctx); err != nil {
		t.Fatal(err)
	}
	var drafts []*api.SiteRecord
	for _, d := range []string{"fail-one.cn", "fail-two.cn"} {
		rec, err := c.CreateSite(ctx, api.SiteWrite{Site: filingtest.Site(d)}, false)
		if err != nil {
			t.Fatal(err)
		}
		drafts = append(drafts, rec)
	}
	s := &fleet.Subject{ID: "acme"}
	for _, d := range []string{"fail-one.cn", "fail-two.cn", "fail-new.cn"} {
		site := filingtest.Site(d)
		site.Name = "清单中的名称"
		s.Sites = append(s.Sites, &fleet.Site{Site: site, Where: d})
	}
	f := &fleet.Fleet{Subjects: []*fleet.Subject{s}}
	p := fleet.NewPlanner(f, fleet.Options{Today: time.Now()})
	remote, err := fleet.Fetch(ctx, p, func(context.Context, fleet.Account) (*client.Client, error) { return c, nil })
	if err != nil {
		t.Fatal(err)
	}
	plan := p.Plan(remote.Current)
	var actions []string
	for _, st := range plan.Subjects[0].Sites {
		actions = append(actions, string(st.Action))
	}
	if !slices.Equal(actions, []string{"update", "update", "create"}) || plan.Problems > 0 {
		t.Fatalf("actions %v, problems %d: %+v", actions, plan.Problems, plan.Subjects[0].Sites)
	}
	// A colleague edits the first draft after the plan was made.
	other := filingtest.Site("fail-one.cn")
	other.Name = "同事改的名称"
	if _, err := c.UpdateSite(ctx, drafts[0].ID, drafts[0].Version, api.SiteWrite{Site: other}); err != nil {
		t.Fatal(err)
	}
	j, err := fleet.OpenJournal(filepath.Join(t.TempDir(), "j.jsonl"), false)
	if err != nil {
		t.Fatal(err)
	}
	results, err := fleet.Apply(ctx, plan, remote, fleet.ApplyOptions{Journal: j})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range results {
		state := r.State
		var prob *api.Problem
		if errors.As(r.Err, &prob) {
			state = string(prob.Code)
		}
		got = append(got, r.Key+" "+state)
	}
	want := []string{"fail-one.cn version_conflict", "fail-two.cn under_review", "fail-new.cn under_review"}
	if !slices.Equal(got, want) {
		t.Fatalf("results %v, want %v", got, want)
	}
	e := j.Entries()
	if e["acme/fail-one.cn"].Done || !e["acme/fail-two.cn"].Done || !e["acme/fail-new.cn"].Done {
		t.Fatalf("journal %+v", e)
	}
	// The colleague's edit is kept: nothing was overwritten.
	rec, err := c.Site(ctx, drafts[0].ID)
	if err != nil || rec.Site.Name != "同事改的名称" {
		t.Fatalf("%v %v", rec, err)
	}
}
