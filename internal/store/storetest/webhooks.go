package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/store"
)

// testWebhooks: webhooks per account; the outbox gives each webhook's
// oldest pending delivery only, due and unleased; a lease is one worker's;
// a finish under a lease another worker took is ignored; the log pages.
func testWebhooks(t *testing.T, s store.Store) {
	ctx := t.Context()
	t0 := time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)
	a := &store.Webhook{AccountID: "acc-a", URL: "https://a.example/hook", Secret: "whsec_a", Events: []string{"*"}, CreatedAt: t0}
	b := &store.Webhook{AccountID: "acc-a", URL: "https://b.example/hook", Secret: "whsec_b", Events: []string{"site.recorded", "notification"}, CreatedAt: t0}
	must(t, s.AddWebhook(ctx, a))
	must(t, s.AddWebhook(ctx, b))
	hooks, err := s.Webhooks(ctx, "acc-a")
	must(t, err)
	if len(hooks) != 2 || hooks[1].Events[1] != "notification" || hooks[0].Secret != "whsec_a" {
		t.Fatalf("webhooks %+v", hooks)
	}
	if other, _ := s.Webhooks(ctx, "acc-b"); len(other) != 0 {
		t.Fatalf("another account sees %+v", other)
	}
	var ds []store.Delivery
	for i := range 3 {
		for _, h := range []*store.Webhook{a, b} {
			ds = append(ds, store.Delivery{ID: fmt.Sprintf("d-%s-%d", h.URL[8:9], i), WebhookID: h.ID, AccountID: "acc-a",
				Event: "site.recorded", Payload: []byte(fmt.Sprintf(`{"n":%d}`, i)), CreatedAt: t0.Add(time.Duration(i) * time.Second)})
		}
	}
	must(t, s.AddDeliveries(ctx, ds...))

	due, err := s.DueDeliveries(ctx, t0.Add(time.Minute), 10)
	must(t, err)
	if len(due) != 2 || due[0].ID != "d-a-0" || due[1].ID != "d-b-0" || string(due[0].Payload) != `{"n":0}` {
		t.Fatalf("due %+v: want the head of each webhook", due)
	}
	until := t0.Add(2 * time.Minute)
	ok, err := s.LeaseDelivery(ctx, "d-a-0", t0.Add(time.Minute), until)
	must(t, err)
	if !ok {
		t.Fatal("lease refused")
	}
	if again, _ := s.LeaseDelivery(ctx, "d-a-0", t0.Add(time.Minute), until); again {
		t.Fatal("a leased delivery leased twice")
	}
	if due, _ := s.DueDeliveries(ctx, t0.Add(time.Minute), 10); len(due) != 1 || due[0].ID != "d-b-0" {
		t.Fatalf("a leased head is due: %+v", due)
	}
	// The lease runs out; another worker takes it; the first one's late
	// finish changes nothing.
	later := t0.Add(3 * time.Minute)
	ok, err = s.LeaseDelivery(ctx, "d-a-0", later, later.Add(time.Minute))
	must(t, err)
	if !ok {
		t.Fatal("an expired lease was not taken over")
	}
	stale := store.Delivery{ID: "d-a-0", State: store.DeliveryFailed, Attempts: 9, NextAt: later, LastError: "stale", LeaseUntil: &until}
	must(t, s.FinishDelivery(ctx, stale))
	current := later.Add(time.Minute)
	must(t, s.FinishDelivery(ctx, store.Delivery{ID: "d-a-0", State: store.DeliveryDelivered, Attempts: 1, NextAt: later,
		LastStatus: 204, DeliveredAt: &later, LeaseUntil: &current}))
	log, next, err := s.Deliveries(ctx, a.ID, store.Page{Limit: 2})
	must(t, err)
	if len(log) != 2 || log[0].ID != "d-a-2" || next == "" {
		t.Fatalf("log page 1 %+v (next %q)", log, next)
	}
	rest, next, err := s.Deliveries(ctx, a.ID, store.Page{Limit: 2, Cursor: next})
	must(t, err)
	if len(rest) != 1 || rest[0].ID != "d-a-0" || next != "" {
		t.Fatalf("log page 2 %+v (next %q)", rest, next)
	}
	if d := rest[0]; d.State != store.DeliveryDelivered || d.Attempts != 1 || d.LastStatus != 204 || d.DeliveredAt == nil || d.LeaseUntil != nil {
		t.Fatalf("the stale finish won: %+v", d)
	}
	// Delivered, the next of that webhook is its head.
	due, err = s.DueDeliveries(ctx, later.Add(time.Hour), 10)
	must(t, err)
	if len(due) != 2 || due[0].ID != "d-b-0" || due[1].ID != "d-a-1" {
		t.Fatalf("due after a delivery %+v", due)
	}
	// Removing a webhook drops what it had not sent; it is another
	// account's to remove only if it is that account's.
	if err := s.DeleteWebhook(ctx, "acc-b", b.ID); err != store.ErrNotFound {
		t.Fatalf("another account removed it: %v", err)
	}
	must(t, s.DeleteWebhook(ctx, "acc-a", b.ID))
	if _, err := s.Webhook(ctx, b.ID); err != store.ErrNotFound {
		t.Fatalf("removed webhook: %v", err)
	}
	if due, _ := s.DueDeliveries(ctx, later.Add(time.Hour), 10); len(due) != 1 || due[0].ID != "d-a-1" {
		t.Fatalf("a removed webhook's deliveries are still due: %+v", due)
	}
}

// testSiteCounts: the metrics' count of sites by state and province.
func testSiteCounts(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "counted")
	for i, c := range []struct {
		state filing.State
		area  string
	}{{filing.StateRecorded, "420111"}, {filing.StateRecorded, "420102"}, {filing.StateDraft, "110101"}, {filing.StateRecorded, "110108"}} {
		must(t, s.CreateSite(ctx, newSite(a.ID, c.state, c.area, fmt.Sprintf("count%d.example.com", i))))
	}
	got, err := s.SiteCounts(ctx)
	must(t, err)
	want := []store.SiteCount{{State: "draft", Province: "11", N: 1}, {State: "recorded", Province: "11", N: 1}, {State: "recorded", Province: "42", N: 2}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("SiteCounts = %v, want %v", got, want)
	}
}

// testSiteWebhooks: the webhooks of a site's owner, in one query.
func testSiteWebhooks(t *testing.T, s store.Store) {
	ctx := t.Context()
	owner, other := newAccount(t, s, "hooked-owner"), newAccount(t, s, "hookless")
	mine, theirs := newSite(owner.ID, filing.StateDraft, "420111", "hooked.example.com"), newSite(other.ID, filing.StateDraft, "420111", "hookless.example.com")
	must(t, s.CreateSite(ctx, mine))
	must(t, s.CreateSite(ctx, theirs))
	must(t, s.AddWebhook(ctx, &store.Webhook{AccountID: owner.ID, URL: "https://o.example/h", Secret: "whsec_o", Events: []string{"*"}}))
	got, err := s.SiteWebhooks(ctx, mine.ID)
	must(t, err)
	if len(got) != 1 || got[0].AccountID != owner.ID {
		t.Fatalf("SiteWebhooks(mine) = %+v", got)
	}
	if got, _ := s.SiteWebhooks(ctx, theirs.ID); len(got) != 0 {
		t.Fatalf("SiteWebhooks(theirs) = %+v", got)
	}
	if got, _ := s.SiteWebhooks(ctx, "no-such-site"); len(got) != 0 {
		t.Fatalf("SiteWebhooks(none) = %+v", got)
	}
}
