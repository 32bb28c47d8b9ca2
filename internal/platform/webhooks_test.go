package platform_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/store"
	"github.com/beian-dev/beian/internal/store/storetest"
)

// receiver is a webhook endpoint on 127.0.0.1:0 that checks every
// signature and keeps what it accepted.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	secret string
	mu     sync.Mutex
	got    []api.WebhookEvent
	ids    map[string]int // delivery ID → times accepted
	down   atomic.Bool    // answer 503
	hang   chan struct{}  // when set, block until closed
	tries  atomic.Int64
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{t: t, ids: map[string]int{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	r.tries.Add(1)
	body, _ := io.ReadAll(req.Body)
	if h := r.hang; h != nil {
		<-h
	}
	if r.down.Load() {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	sig := req.Header.Get(platform.SignatureHeader)
	ts, _, _ := strings.Cut(strings.TrimPrefix(sig, "t="), ",")
	sec, _ := strconv.ParseInt(ts, 10, 64)
	if want := platform.Sign(r.secret, time.Unix(sec, 0), body); sig != want {
		r.t.Errorf("bad signature %q, want %q", sig, want)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var ev api.WebhookEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		r.t.Errorf("body %s: %v", body, err)
	}
	if ev.ID != req.Header.Get("Beian-Delivery") || ev.Type != req.Header.Get("Beian-Event") {
		r.t.Errorf("headers %v do not match %+v", req.Header, ev)
	}
	r.mu.Lock()
	r.got = append(r.got, ev)
	r.ids[ev.ID]++
	r.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) types(prefix string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.got {
		if strings.HasPrefix(e.Type, prefix) {
			out = append(out, e.Type)
		}
	}
	return out
}

func (r *receiver) count() int { r.mu.Lock(); defer r.mu.Unlock(); return len(r.got) }

// drain runs the worker until n events are accepted (each pass sends each
// webhook's next due delivery; the clock moves past retries).
func drain(t *testing.T, f *fixture, desk *platform.Desk, r *receiver, n int) {
	t.Helper()
	for i := 0; i < 500 && r.count() < n; i++ {
		if _, err := desk.DeliverWebhooks(f.ctx); err != nil {
			t.Fatal(err)
		}
		f.clock.Add(time.Second)
	}
	if got := r.count(); got != n {
		t.Fatalf("the receiver accepted %d events, want %d: %v", got, n, r.types(""))
	}
}

func webhookFixture(t *testing.T, st store.Store) (*fixture, *receiver, platform.Actor, platform.Actor) {
	f := newFixtureOn(t, st, platform.Options{Webhooks: platform.WebhookOptions{AllowPrivate: true, RetryBase: time.Second, RetryMax: 4 * time.Second}})
	r := newReceiver(t)
	a, _ := f.sponsor("hooked")
	h := must(f.desk.AddWebhook(f.ctx, a, api.WebhookCreate{URL: r.srv.URL + "/beian"}))(t)
	r.secret = h.Secret
	if !strings.HasPrefix(h.Secret, "whsec_") {
		t.Fatalf("secret %q", h.Secret)
	}
	return f, r, a, f.staff("hook-reviewer", "42")
}

// Every transition of a filing's life reaches the receiver exactly once,
// in order, signed; notifications too.
func TestWebhooksDeliverEveryTransitionOnce(t *testing.T) {
	f, r, a, rv := webhookFixture(t, storetest.OpenSQLite(t))
	f.subject(a, unitSubject(t, 1))
	must(f.desk.ApproveSubject(f.ctx, rv, a.AccountID))(t)
	s := f.submitted(a, "hooked-example.cn")
	s = must(f.desk.ReturnSite(f.ctx, rv, s.ID, api.ReturnRequest{Reason: "名称与首页不符"}))(t)
	fixed := site("hooked-example.cn")
	fixed.Name = "改正后的名称"
	s = must(f.desk.UpdateSite(f.ctx, a, s.ID, s.Version, api.SiteWrite{Site: fixed}))(t)
	must(f.desk.SubmitSite(f.ctx, a, s.ID))(t)
	s = must(f.desk.ApproveSite(f.ctx, rv, s.ID))(t)
	renamed := s.Site
	renamed.Name = "再次改名"
	must(f.desk.AmendSite(f.ctx, a, s.ID, s.Version, api.AmendRequest{Site: renamed}))(t)
	s = must(f.desk.ApproveSite(f.ctx, rv, s.ID))(t)
	// A change request and a cancellation, each returned (issue 21: a
	// returned change request was emitted as site.recorded).
	again := s.Site
	again.Name = "第三个名称"
	must(f.desk.AmendSite(f.ctx, a, s.ID, s.Version, api.AmendRequest{Site: again}))(t)
	s = must(f.desk.ReturnSite(f.ctx, rv, s.ID, api.ReturnRequest{Reason: "新名称与首页不符"}))(t)
	s = must(f.desk.CancelSite(f.ctx, a, s.ID, api.CancelRequest{Reason: "误操作"}))(t)
	s = must(f.desk.ReturnSite(f.ctx, rv, s.ID, api.ReturnRequest{Reason: "网站仍在运营"}))(t)
	s = must(f.desk.CancelSite(f.ctx, a, s.ID, api.CancelRequest{Reason: "网站关闭"}))(t)
	must(f.desk.ApproveSite(f.ctx, rv, s.ID))(t)

	states, err := f.desk.SiteHistory(f.ctx, a, s.ID, store.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, e := range states.Items {
		if e.Field == "state" {
			want = append(want, filing.Event("site", filing.Action(e.Action), e.New))
		}
	}
	if w := strings.Join(want, " "); !strings.Contains(w, "site.change_under_review site.change_returned site.cancel_under_review site.cancel_returned site.cancel_under_review site.cancelled") {
		t.Fatalf("the history gives the events %v", want)
	}
	ds := must(f.st.Webhooks(f.ctx, a.AccountID))(t)
	list, _, err := f.st.Deliveries(f.ctx, ds[0].ID, store.Page{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	total := len(list)
	drain(t, f, f.desk, r, total)
	if got := r.types("site."); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("site events\n got %v\nwant %v", got, want)
	}
	if got := r.types("subject."); strings.Join(got, " ") != "subject.under_review subject.approved" {
		t.Fatalf("subject events %v", got)
	}
	if n := len(r.types("notification")); n < 4 {
		t.Fatalf("%d notifications", n)
	}
	for id, n := range r.ids {
		if n != 1 {
			t.Fatalf("delivery %s accepted %d times", id, n)
		}
	}
	// The log says every one was delivered, at the first attempt.
	log := must(f.desk.WebhookDeliveries(f.ctx, a, ds[0].ID, store.Page{Limit: 500}))(t)
	for _, d := range log.Items {
		if d.State != "delivered" || d.Attempts != 1 || d.DeliveredAt == nil {
			t.Fatalf("delivery %+v", d)
		}
	}
	// Nothing more is sent.
	before := r.tries.Load()
	if n, _ := f.desk.DeliverWebhooks(f.ctx); n != 0 || r.tries.Load() != before {
		t.Fatal("a delivered event was sent again")
	}
}

// A receiver that is down for a while gets everything once it is up, in
// the order it happened: a webhook's deliveries wait behind its oldest.
func TestWebhooksWaitForADownReceiverAndKeepTheOrder(t *testing.T) {
	f, r, a, rv := webhookFixture(t, storetest.OpenSQLite(t))
	r.down.Store(true)
	f.subject(a, unitSubject(t, 2))
	must(f.desk.ApproveSubject(f.ctx, rv, a.AccountID))(t)
	var order []string
	for _, d := range []string{"one-example.cn", "two-example.cn", "three-example.cn"} {
		s := f.submitted(a, d)
		must(f.desk.ApproveSite(f.ctx, rv, s.ID))(t)
		order = append(order, s.ID)
	}
	for range 6 { // retries while down, with backoff
		must(f.desk.DeliverWebhooks(f.ctx))(t)
		f.clock.Add(5 * time.Second)
	}
	if r.count() != 0 || r.tries.Load() == 0 {
		t.Fatalf("accepted %d while down, tried %d", r.count(), r.tries.Load())
	}
	hooks := must(f.st.Webhooks(f.ctx, a.AccountID))(t)
	log := must(f.desk.WebhookDeliveries(f.ctx, a, hooks[0].ID, store.Page{Limit: 100}))(t)
	first := log.Items[len(log.Items)-1]
	if first.Attempts < 2 || first.LastStatus != 503 || first.State != "pending" {
		t.Fatalf("the first delivery while down: %+v", first)
	}
	r.down.Store(false)
	drain(t, f, f.desk, r, len(log.Items))
	var sites []string
	for _, e := range r.got {
		if e.Type == "site.recorded" {
			sites = append(sites, e.Data["site_id"].(string))
		}
	}
	if strings.Join(sites, ",") != strings.Join(order, ",") {
		t.Fatalf("recorded in order %v, want %v", sites, order)
	}
	for i := 1; i < len(r.got); i++ {
		if r.got[i].CreatedAt.Before(r.got[i-1].CreatedAt) {
			t.Fatalf("out of order: %v then %v", r.got[i-1], r.got[i])
		}
	}
}

// A server killed while a delivery is in flight (its worker never records
// the attempt) delivers it after the restart, once the lease ends.
func TestWebhooksDeliverAfterAKillMidDelivery(t *testing.T) {
	st := storetest.OpenSQLite(t)
	f, r, a, _ := webhookFixture(t, st)
	r.hang = make(chan struct{})
	hung := make(chan struct{})
	stuck := &http.Client{Transport: roundTripper(func(req *http.Request) (*http.Response, error) {
		close(hung)
		<-req.Context().Done() // never answers; the "killed" server never records it
		return nil, req.Context().Err()
	})}
	killed := platform.New(st, platform.Options{Clock: f.clock.Now, Webhooks: platform.WebhookOptions{AllowPrivate: true, Client: stuck, Lease: time.Minute}})
	f.subject(a, unitSubject(t, 3))
	ctx, kill := context.WithCancel(f.ctx)
	stale := make(chan struct{})
	go func() { defer close(stale); _, _ = killed.DeliverWebhooks(ctx) }()
	<-hung
	// Killed: its lease stays. The restarted server waits it out.
	close(r.hang)
	r.hang = nil
	restarted := platform.New(st, platform.Options{Clock: f.clock.Now, Webhooks: platform.WebhookOptions{AllowPrivate: true, Lease: time.Minute}})
	if n := must(restarted.DeliverWebhooks(f.ctx))(t); n != 0 {
		t.Fatal("a leased delivery was sent by another worker before its lease ended")
	}
	f.clock.Add(61 * time.Second)
	drain(t, f, restarted, r, 1)
	// The killed worker coming back to life cannot undo the delivery.
	kill()
	<-stale
	if got := r.types(""); len(got) != 1 || got[0] != "subject.under_review" {
		t.Fatalf("%v", got)
	}
	hooks := must(f.desk.Webhooks(f.ctx, a))(t)
	log := must(f.desk.WebhookDeliveries(f.ctx, a, hooks.Items[0].ID, store.Page{}))(t)
	if log.Items[0].State != "delivered" || log.Items[0].Attempts != 1 {
		t.Fatalf("%+v", log.Items[0])
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// failingNotes fails notifications inside transactions, so an approval
// rolls back after its state change was written.
type failingNotes struct {
	store.Store
	fail *atomic.Bool
}

func (s failingNotes) InTx(ctx context.Context, fn func(tx store.Store) error) error {
	return s.Store.InTx(ctx, func(tx store.Store) error { return fn(failingNotes{Store: tx, fail: s.fail}) })
}

func (s failingNotes) AddNotification(ctx context.Context, n *store.Notification) error {
	if s.fail.Load() {
		return errors.New("disk full")
	}
	return s.Store.AddNotification(ctx, n)
}

// A change that rolls back sends nothing: its outbox rows roll back with it.
func TestWebhooksSendNothingForARolledBackChange(t *testing.T) {
	fail := &atomic.Bool{}
	f, r, a, rv := webhookFixture(t, failingNotes{Store: storetest.OpenSQLite(t), fail: fail})
	f.subject(a, unitSubject(t, 4))
	must(f.desk.ApproveSubject(f.ctx, rv, a.AccountID))(t)
	s := f.submitted(a, "rollback-example.cn")
	drain(t, f, f.desk, r, len(must(f.desk.WebhookDeliveries(f.ctx, a, must(f.desk.Webhooks(f.ctx, a))(t).Items[0].ID, store.Page{Limit: 100}))(t).Items))
	before := r.count()
	fail.Store(true)
	if _, err := f.desk.ApproveSite(f.ctx, rv, s.ID); err == nil {
		t.Fatal("the approval did not fail")
	}
	fail.Store(false)
	for range 5 {
		must(f.desk.DeliverWebhooks(f.ctx))(t)
	}
	if r.count() != before || len(r.types("site.recorded")) != 0 {
		t.Fatalf("a rolled-back approval was announced: %v", r.types(""))
	}
	if got := must(f.desk.Site(f.ctx, a, s.ID))(t); got.State != "under_review" {
		t.Fatalf("state %s", got.State)
	}
}

// Webhooks target only http(s), and not private addresses unless the
// operator allows them; only known events; at most 10 per account.
func TestWebhookTargetsAreChecked(t *testing.T) {
	f := newFixture(t, platform.Options{})
	a, _ := f.sponsor("careful")
	for url, code := range map[string]string{
		"ftp://example.com/x":           "url_scheme",
		"http://127.0.0.1:8080/hook":    "url_private",
		"http://[::1]/hook":             "url_private",
		"http://10.0.0.7/hook":          "url_private",
		"http://169.254.169.254/latest": "url_private",
		"http://localhost/hook":         "url_private",
		"https://user:pw@example.com/":  "url_invalid",
		"not a url":                     "url_invalid",
	} {
		_, err := f.desk.AddWebhook(f.ctx, a, api.WebhookCreate{URL: url})
		p := wantProblem(t, err, api.CodeValidationFailed)
		if p.Errors[0].Code != code {
			t.Errorf("%s: %s, want %s", url, p.Errors[0].Code, code)
		}
	}
	_, err := f.desk.AddWebhook(f.ctx, a, api.WebhookCreate{URL: "https://hooks.example.com/", Events: []string{"site.recroded"}})
	if p := wantProblem(t, err, api.CodeValidationFailed); p.Errors[0].Code != "event_unknown" {
		t.Fatal(p)
	}
	for i := range 10 {
		must(f.desk.AddWebhook(f.ctx, a, api.WebhookCreate{URL: "https://hooks.example.com/" + strconv.Itoa(i)}))(t)
	}
	_, err = f.desk.AddWebhook(f.ctx, a, api.WebhookCreate{URL: "https://hooks.example.com/11"})
	wantCode(t, err, api.CodeTransitionRefused)
	// Another account's webhook is not found; a reviewer has none.
	b, _ := f.sponsor("other")
	hooks := must(f.desk.Webhooks(f.ctx, a))(t)
	wantCode(t, f.desk.DeleteWebhook(f.ctx, b, hooks.Items[0].ID), api.CodeNotFound)
	_, err = f.desk.Webhooks(f.ctx, f.staff("careful-reviewer", "42"))
	wantCode(t, err, api.CodeForbidden)
}

// Without AllowPrivate the worker also refuses to connect to a private
// address a public-looking host resolves to (DNS rebinding).
func TestWebhookDeliveriesRefusePrivateAddresses(t *testing.T) {
	st := storetest.OpenSQLite(t)
	r := newReceiver(t)
	open := newFixtureOn(t, st, platform.Options{Webhooks: platform.WebhookOptions{AllowPrivate: true}})
	a, _ := open.sponsor("rebind")
	h := must(open.desk.AddWebhook(open.ctx, a, api.WebhookCreate{URL: r.srv.URL}))(t)
	r.secret = h.Secret
	must(open.desk.TestWebhook(open.ctx, a, h.ID))(t)
	strict := platform.New(st, platform.Options{Clock: open.clock.Now})
	must(strict.DeliverWebhooks(open.ctx))(t)
	log := must(strict.WebhookDeliveries(open.ctx, a, h.ID, store.Page{}))(t)
	if r.count() != 0 || log.Items[0].State != "pending" || !strings.HasPrefix(log.Items[0].LastError, "not_public:") || strings.Contains(log.Items[0].LastError, "127.0.0.1") {
		t.Fatalf("%d accepted, %+v", r.count(), log.Items[0])
	}
}
