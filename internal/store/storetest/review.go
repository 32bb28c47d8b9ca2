// The suite's tests of change requests, the review queue, notifications, audit, outbox and idempotency.

package storetest

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/store"
)

func testChangeRequests(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "cr")
	v := createSite(t, s, a.ID, filing.StateChangeUnderReview, "420111", "cr.example.com")
	_, err := s.OpenChangeRequest(ctx, v.ID)
	wantErr(t, err, store.ErrNotFound)

	proposed := v.Data
	proposed.Name = "新名称"
	changes := []byte(`[{"field":"site.name","old":"示例科技官网","new":"新名称"}]`)
	c := store.ChangeRequest{SiteID: v.ID, Kind: "change", Proposed: proposed, Changes: changes}
	must(t, s.CreateChangeRequest(ctx, &c))
	if c.ID == "" || c.State != "open" || c.CreatedAt.IsZero() {
		t.Fatalf("created change request = %+v", c)
	}
	got, err := s.OpenChangeRequest(ctx, v.ID)
	must(t, err)
	if got.ID != c.ID || got.Proposed.Name != "新名称" || !bytes.Equal(got.Changes, changes) || got.DecidedAt != nil {
		t.Fatalf("open change request = %+v", got)
	}
	// One open request per site.
	wantConflict(t, s.CreateChangeRequest(ctx, &store.ChangeRequest{SiteID: v.ID, Kind: "cancel", Proposed: v.Data}),
		store.UniqueOpenChange, "")

	decided := time.Now()
	c.State, c.Reason, c.DecidedAt = "returned", "材料不全", &decided
	must(t, s.UpdateChangeRequest(ctx, &c))
	_, err = s.OpenChangeRequest(ctx, v.ID)
	wantErr(t, err, store.ErrNotFound)
	// The site may now have a new one.
	must(t, s.CreateChangeRequest(ctx, &store.ChangeRequest{SiteID: v.ID, Kind: "cancel", Proposed: v.Data}))
	got, err = s.OpenChangeRequest(ctx, v.ID)
	must(t, err)
	if got.Kind != "cancel" || got.Changes != nil {
		t.Fatalf("second request = %+v", got)
	}
	wantErr(t, s.UpdateChangeRequest(ctx, &store.ChangeRequest{ID: "nope", State: "approved"}), store.ErrNotFound)
}

// A subject's key change is kept apart from the sites' requests: one open
// per subject, its proposed values round-trip, and while it is open the
// review queue counts the subject's wait from the request, not from the
// subject's first submission.
func testSubjectChangeRequests(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "scr")
	submitted := time.Now().Add(-48 * time.Hour)
	sub := store.Subject{AccountID: a.ID, State: filing.SubjectChangeUnderReview, Data: filingtest.Subject(),
		CertNumber: filingtest.UnitUSCC, AreaCode: "420111", SubmittedAt: &submitted}
	must(t, s.PutSubject(ctx, &sub, 0))
	_, err := s.OpenSubjectChangeRequest(ctx, a.ID)
	wantErr(t, err, store.ErrNotFound)

	proposed := sub.Data
	proposed.Name = "武汉新名称科技有限公司"
	changes := []byte(`[{"field":"subject.name","old":"示例","new":"武汉新名称科技有限公司","key":true}]`)
	c := store.ChangeRequest{AccountID: a.ID, Kind: "change", ProposedSubject: &proposed, Changes: changes}
	must(t, s.CreateChangeRequest(ctx, &c))
	if c.ID == "" || c.State != "open" || c.CreatedAt.IsZero() || c.SiteID != "" {
		t.Fatalf("created subject change request = %+v", c)
	}
	got, err := s.OpenSubjectChangeRequest(ctx, a.ID)
	must(t, err)
	if got.ID != c.ID || got.AccountID != a.ID || got.SiteID != "" || got.Kind != "change" ||
		got.ProposedSubject == nil || jsonOf(t, *got.ProposedSubject) != jsonOf(t, proposed) ||
		!bytes.Equal(got.Changes, changes) || got.DecidedAt != nil || !got.CreatedAt.Equal(c.CreatedAt) {
		t.Fatalf("open subject change request = %+v", got)
	}
	// Not a site's request: the sites' lookup does not see it.
	_, err = s.OpenChangeRequest(ctx, a.ID)
	wantErr(t, err, store.ErrNotFound)
	// A subject request needs its subject.
	if err := s.CreateChangeRequest(ctx, &store.ChangeRequest{AccountID: a.ID, Kind: "change"}); err == nil {
		t.Fatal("a subject change request without ProposedSubject was stored")
	}

	// The queue counts the wait from the request.
	page, _, err := s.ReviewQueue(ctx, "420111", "subject", store.Page{})
	must(t, err)
	var found bool
	for _, it := range page {
		if it.ID == a.ID {
			found = true
			if !it.SubmittedAt.Equal(c.CreatedAt) {
				t.Errorf("queued since %v, want the request's %v", it.SubmittedAt, c.CreatedAt)
			}
		}
	}
	if !found {
		t.Errorf("subject with an open change is not in the queue: %+v", page)
	}

	// One open request per subject.
	wantConflict(t, s.CreateChangeRequest(ctx, &store.ChangeRequest{AccountID: a.ID, Kind: "change", ProposedSubject: &proposed}),
		store.UniqueOpenChange, "")

	decided := time.Now()
	c.State, c.Reason, c.DecidedAt = "returned", "营业执照与名称不符", &decided
	must(t, s.UpdateChangeRequest(ctx, &c))
	_, err = s.OpenSubjectChangeRequest(ctx, a.ID)
	wantErr(t, err, store.ErrNotFound)

	// The subject may now ask again; the first request is kept as decided.
	again := store.ChangeRequest{AccountID: a.ID, Kind: "change", ProposedSubject: &proposed}
	must(t, s.CreateChangeRequest(ctx, &again))
	got, err = s.OpenSubjectChangeRequest(ctx, a.ID)
	must(t, err)
	if got.ID != again.ID || got.Changes != nil || got.Reason != "" {
		t.Fatalf("second request = %+v", got)
	}
	wantErr(t, s.UpdateChangeRequest(ctx, &store.ChangeRequest{ID: "nope", AccountID: a.ID, State: "approved", ProposedSubject: &proposed}), store.ErrNotFound)
}

func testNotifications(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := newAccount(t, s, "na"), newAccount(t, s, "nb")
	var added []store.Notification
	for i := range 7 {
		n := store.Notification{AccountID: a.ID, Kind: "site_returned", Title: fmt.Sprintf("退回 %d", i), Body: "材料不全", SiteID: "s1"}
		must(t, s.AddNotification(ctx, &n))
		added = append(added, n)
	}
	must(t, s.AddNotification(ctx, &store.Notification{AccountID: b.ID, Kind: "x", Title: "b", Body: "b"}))

	// Newest first, across pages.
	var got []store.Notification
	cursor := ""
	for {
		page, next, err := s.Notifications(ctx, a.ID, false, store.Page{Limit: 3, Cursor: cursor})
		must(t, err)
		got = append(got, page...)
		if next == "" {
			break
		}
		cursor = next
	}
	if len(got) != 7 {
		t.Fatalf("%d notifications, want 7", len(got))
	}
	for i, n := range got {
		if jsonOf(t, n) != jsonOf(t, added[6-i]) {
			t.Fatalf("notification %d:\n got %s\nwant %s", i, jsonOf(t, n), jsonOf(t, added[6-i]))
		}
	}

	readAt := time.Now()
	must(t, s.MarkNotificationRead(ctx, a.ID, added[2].ID, readAt))
	must(t, s.MarkNotificationRead(ctx, a.ID, added[2].ID, readAt.Add(time.Hour))) // keeps the first time
	wantErr(t, s.MarkNotificationRead(ctx, b.ID, added[3].ID, readAt), store.ErrNotFound)
	wantErr(t, s.MarkNotificationRead(ctx, a.ID, "nope", readAt), store.ErrNotFound)

	unread, _, err := s.Notifications(ctx, a.ID, true, store.Page{})
	must(t, err)
	if len(unread) != 6 || slices.ContainsFunc(unread, func(n store.Notification) bool { return n.ID == added[2].ID }) {
		t.Fatalf("unread = %d notifications, want 6 without the read one", len(unread))
	}
	all, _, _ := s.Notifications(ctx, a.ID, false, store.Page{})
	for _, n := range all {
		if n.ID == added[2].ID && (n.ReadAt == nil || !n.ReadAt.Equal(us(readAt))) {
			t.Fatalf("read_at = %v, want %v", n.ReadAt, us(readAt))
		}
	}
}

func testAudit(t *testing.T, s store.Store) {
	ctx := t.Context()
	at := time.Date(2026, 3, 1, 8, 30, 0, 123456789, time.FixedZone("CST", 8*3600))
	events := []store.AuditEvent{
		{At: at, ActorID: "acc1", ActorRole: "sponsor", Entity: "site", EntityID: "site1", Action: "amend", Field: "site.icp_number", Old: "鄂ICP备1号", New: "鄂ICP备2号"},
		{ActorID: "acc1", ActorRole: "sponsor", Entity: "site", EntityID: "site1", Action: "amend", Field: "site.languages", Old: `["zh-Hans"]`, New: `["zh-Hans","en"]`},
	}
	must(t, s.AddAudit(ctx, events...))
	must(t, s.AddAudit(ctx, store.AuditEvent{ActorID: "rev1", ActorRole: "reviewer", Entity: "site", EntityID: "site2", Action: "approve", Detail: "ok"}))
	must(t, s.AddAudit(ctx))
	must(t, s.AddAudit(ctx, store.AuditEvent{ActorID: "rev1", ActorRole: "reviewer", Entity: "site", EntityID: "site1", Action: "approve"}))

	got, next, err := s.Audit(ctx, "site1", store.Page{})
	must(t, err)
	if len(got) != 3 || next != "" {
		t.Fatalf("site1 trail: %d events", len(got))
	}
	if !got[0].At.Equal(us(at)) || got[0].At.Location() != time.UTC || got[0].Old != "鄂ICP备1号" || got[0].New != "鄂ICP备2号" {
		t.Errorf("first event = %+v (want the given time, in UTC, and old → new)", got[0])
	}
	if got[1].Field != "site.languages" || got[1].At.IsZero() || got[2].Action != "approve" {
		t.Errorf("trail out of order: %+v", got)
	}
	// Everything, oldest first, across pages.
	var all []store.AuditEvent
	cursor := ""
	for {
		page, next, err := s.Audit(ctx, "", store.Page{Limit: 1, Cursor: cursor})
		must(t, err)
		all = append(all, page...)
		if next == "" {
			break
		}
		cursor = next
	}
	if len(all) != 4 || all[2].EntityID != "site2" {
		t.Fatalf("whole trail = %+v", all)
	}
}

func testOutbox(t *testing.T, s store.Store) {
	ctx := t.Context()
	for i := range 5 {
		to := "13800138000"
		if i%2 == 1 {
			to = "13900139000"
		}
		must(t, s.AddOutbox(ctx, &store.OutboxMessage{Channel: "sms", To: to, Body: fmt.Sprintf("验证码 %d", i), Code: fmt.Sprint(i)}))
	}
	all, err := s.Outbox(ctx, "")
	must(t, err)
	if len(all) != 5 {
		t.Fatalf("%d messages, want 5", len(all))
	}
	for i, m := range all {
		if m.Code != fmt.Sprint(i) || m.SentAt.IsZero() {
			t.Fatalf("message %d = %+v: want newest last", i, m)
		}
	}
	mine, err := s.Outbox(ctx, "13900139000")
	must(t, err)
	if len(mine) != 2 || mine[0].Code != "1" || mine[1].Code != "3" {
		t.Fatalf("messages to one number = %+v", mine)
	}
}

func testIdempotency(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := store.Idempotency{AccountID: "acc1", Key: "k-1", RequestHash: "POST /v1/sites h1", Status: 201, Body: []byte(`{"id":"s1"}`)}
	must(t, s.PutIdempotency(ctx, r))
	got, err := s.Idempotency(ctx, "acc1", "k-1")
	must(t, err)
	if got.Status != 201 || !bytes.Equal(got.Body, r.Body) || got.RequestHash != r.RequestHash || got.CreatedAt.IsZero() {
		t.Fatalf("stored answer = %+v", got)
	}
	r2 := r
	r2.Body = []byte(`{"id":"s2"}`)
	wantConflict(t, s.PutIdempotency(ctx, r2), store.UniqueIdempotency, "")
	got, _ = s.Idempotency(ctx, "acc1", "k-1")
	if !bytes.Equal(got.Body, r.Body) {
		t.Fatalf("a refused put changed the answer to %s", got.Body)
	}
	// Keys are per account; anonymous requests have their own space.
	must(t, s.PutIdempotency(ctx, store.Idempotency{AccountID: "acc2", Key: "k-1", RequestHash: "x", Status: 200}))
	must(t, s.PutIdempotency(ctx, store.Idempotency{Key: "k-1", RequestHash: "y", Status: 202}))
	anon, err := s.Idempotency(ctx, "", "k-1")
	must(t, err)
	if anon.Status != 202 || len(anon.Body) != 0 {
		t.Fatalf("anonymous answer = %+v", anon)
	}
	_, err = s.Idempotency(ctx, "acc1", "k-2")
	wantErr(t, err, store.ErrNotFound)
}

func testReviewQueue(t *testing.T, s store.Store) {
	ctx := t.Context()
	t0 := time.Now().Add(-24 * time.Hour)
	at := func(h int) *time.Time { return ptr(t0.Add(time.Duration(h) * time.Hour)) }

	// Subjects: Hongshan (Wuhan), Jiang'an (Wuhan), Dongcheng (Beijing), and
	// one still a draft (not in any queue).
	subject := func(login, area string, state filing.SubjectState, submitted *time.Time) store.Account {
		a := newAccount(t, s, login)
		must(t, s.PutSubject(ctx, &store.Subject{AccountID: a.ID, State: state, Data: filingtest.Subject(),
			AreaCode: area, SubmittedAt: submitted}, 0))
		return a
	}
	hs := subject("hongshan", "420111", filing.SubjectUnderReview, at(1))
	ja := subject("jiangan", "420102", filing.SubjectChangeUnderReview, at(4))
	bj := subject("beijing", "110101", filing.SubjectUnderReview, at(2))
	subject("drafting", "420111", filing.SubjectDraft, nil)

	site := func(a store.Account, state filing.State, area, domain string, submitted *time.Time) store.Site {
		v := newSite(a.ID, state, area, domain)
		v.SubmittedAt = submitted
		must(t, s.CreateSite(ctx, v))
		return *v
	}
	s1 := site(hs, filing.StateUnderReview, "420111", "q1.example.com", at(3))
	s2 := site(bj, filing.StateUnderReview, "110101", "q2.example.com", at(5))
	site(hs, filing.StateDraft, "420111", "q3.example.com", nil)
	site(hs, filing.StateRecorded, "420111", "q4.example.com", at(0))
	ch := site(ja, filing.StateChangeUnderReview, "420102", "q5.example.com", at(0))
	must(t, s.CreateChangeRequest(ctx, &store.ChangeRequest{SiteID: ch.ID, Kind: "change", Proposed: ch.Data}))
	cn := site(hs, filing.StateCancelUnderReview, "420111", "q6.example.com", at(0))
	must(t, s.CreateChangeRequest(ctx, &store.ChangeRequest{SiteID: cn.ID, Kind: "cancel", Proposed: cn.Data}))

	item := func(kind, id, area string) string { return kind + ":" + id + ":" + area }
	all := []string{ // oldest first
		item("subject", hs.ID, "420111"),
		item("subject", bj.ID, "110101"),
		item("site", s1.ID, "420111"),
		item("subject", ja.ID, "420102"),
		item("site", s2.ID, "110101"),
	}
	// The requests wait from their creation, just now, in that order.
	all = append(all, item("change", ch.ID, "420102"), item("cancel", cn.ID, "420111"))

	keep := func(pred func(string) bool) []string {
		var out []string
		for _, x := range all {
			if pred(x) {
				out = append(out, x)
			}
		}
		return out
	}
	area := func(p string) func(string) bool {
		return func(x string) bool { return len(x) >= len(p) && x[len(x)-6:len(x)-6+len(p)] == p }
	}
	for _, tc := range []struct {
		prefix, kind string
		want         []string
	}{
		{"", "", all},
		{"4201", "", keep(area("4201"))},
		{"420111", "", keep(area("420111"))},
		{"11", "", keep(area("11"))},
		{"42", "subject", keep(func(x string) bool { return area("42")(x) && x[:8] == "subject:" })},
		{"", "site", []string{item("site", s1.ID, "420111"), item("site", s2.ID, "110101")}},
		{"", "cancel", []string{item("cancel", cn.ID, "420111")}},
		{"31", "", nil},
	} {
		var got []string
		cursor := ""
		for {
			page, next, err := s.ReviewQueue(ctx, tc.prefix, tc.kind, store.Page{Limit: 2, Cursor: cursor})
			must(t, err)
			for _, it := range page {
				got = append(got, item(it.Kind, it.ID, it.AreaCode))
			}
			if next == "" {
				break
			}
			cursor = next
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("queue %q/%q:\n got %v\nwant %v", tc.prefix, tc.kind, got, tc.want)
		}
	}
	page, _, err := s.ReviewQueue(ctx, "", "", store.Page{Limit: 1})
	must(t, err)
	if len(page) != 1 || !page[0].SubmittedAt.Equal(us(*at(1))) {
		t.Errorf("first item = %+v, want submitted at %v", page, us(*at(1)))
	}
	n, err := s.QueueLength(ctx)
	must(t, err)
	if n != len(all) {
		t.Errorf("queue length %d, want %d", n, len(all))
	}
}
