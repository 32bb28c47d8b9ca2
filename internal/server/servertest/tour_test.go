package servertest

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/badge"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/httpmw"
	"github.com/beian-dev/beian/internal/platform"
)

// TestTourOfEveryRoute calls every operation of docs/openapi.yaml at least
// once with a valid request through the checking client, so that each
// answer the real server gives is held against the document. It is a tour
// of the contract, not of the rules: the lifecycle and authorisation
// suites assert the behaviour.
func TestTourOfEveryRoute(t *testing.T) {
	Databases(t, tourOfEveryRoute)
}

func tourOfEveryRoute(t *testing.T, db Option) {
	env := Start(t, db, Sandbox(platform.SandboxOptions{}))
	key := func() string { return httpmw.NewRequestID() } // any unique string will do
	etag := func(r *Response) string {
		t.Helper()
		if r.Header.Get("ETag") == "" {
			t.Fatalf("no ETag on %d answer", r.Status)
		}
		return r.Header.Get("ETag")
	}

	// Accounts.
	alice := env.RegisterSponsor(t, "alice")
	env.Call(t, "GET", "/v1/account", alice.Token, nil).Want(t, 200)
	env.Call(t, "POST", "/v1/account/email-code", alice.Token, nil).Want(t, 202)
	msgs, err := env.Store.Outbox(context.Background(), alice.Email)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("email code not in the outbox: %v", err)
	}
	env.Call(t, "POST", "/v1/account/email-verification", alice.Token, api.EmailVerifyRequest{Code: msgs[len(msgs)-1].Code}).Want(t, 204)

	// The subject.
	env.Call(t, "GET", "/v1/subject", alice.Token, nil).Want(t, 404)
	subj := filingtest.Subject()
	env.Call(t, "PUT", "/v1/subject", alice.Token, api.SubjectWrite{Subject: subj}).Want(t, 200)
	r := env.Call(t, "GET", "/v1/subject", alice.Token, nil).Want(t, 200)
	subj.Remarks = "总部"
	env.Call(t, "PUT", "/v1/subject", alice.Token, api.SubjectWrite{Subject: subj}, "If-Match", etag(r)).Want(t, 200)
	env.Call(t, "POST", "/v1/subject/submit", alice.Token, nil, "Idempotency-Key", key()).Want(t, 200)

	// An attachment, a dry run, a draft, an edit, a submission.
	var att filing.Attachment
	env.Call(t, "POST", "/v1/attachments?name=icon.png", alice.Token, badge.Icon(), "Content-Type", "image/png").Want(t, 201).JSON(t, &att)
	site := filingtest.Site("tour-example.cn")
	if s := env.Call(t, "POST", "/v1/sites?dry_run=true", alice.Token, api.SiteWrite{Site: site}); s.Status != 200 && s.Status != 201 {
		t.Fatalf("dry run: %d %s", s.Status, s.Body)
	}
	var rec api.SiteRecord
	r = env.Call(t, "POST", "/v1/sites", alice.Token, api.SiteWrite{Site: site}, "Idempotency-Key", key()).Want(t, 201)
	r.JSON(t, &rec)
	id := rec.ID
	env.Call(t, "GET", "/v1/sites?state=drafts&limit=10", alice.Token, nil).Want(t, 200)
	r = env.Call(t, "GET", "/v1/sites/"+id, alice.Token, nil).Want(t, 200)
	site.Name = "示例科技"
	env.Call(t, "PUT", "/v1/sites/"+id, alice.Token, api.SiteWrite{Site: site}, "If-Match", etag(r)).Want(t, 200)
	env.Call(t, "POST", "/v1/sites/"+id+"/submit", alice.Token, nil, "Idempotency-Key", key()).Want(t, 200)

	// Domain checks.
	env.Call(t, "GET", "/v1/domain-checks/"+url.PathEscape("tour-example.cn"), alice.Token, nil).Want(t, 200)
	env.Call(t, "POST", "/v1/domain-checks", alice.Token, api.DomainCheckRequest{Domains: []string{"tour-example.cn", "free-example.cn", "not a domain"}}).Want(t, 200)

	// Review.
	rev := env.CreateReviewer(t, "wuhan", "4201")
	env.Call(t, "GET", "/v1/review/queue?kind=site", rev.Token, nil).Want(t, 200)
	env.Call(t, "POST", "/v1/review/subjects/"+alice.Account.ID+"/approve", rev.Token, nil).Want(t, 200)
	env.Call(t, "POST", "/v1/review/sites/"+id+"/approve", rev.Token, nil).Want(t, 200).JSON(t, &rec)
	if rec.RecordNumber == "" {
		t.Fatalf("approved without a record number: %+v", rec)
	}

	// Records and badges.
	for _, q := range []string{"", "?format=html-legacy&link=legacy&icp=true", "?format=json&link=current"} {
		env.Call(t, "GET", "/v1/sites/"+id+"/badge"+q, alice.Token, nil).Want(t, 200)
	}
	env.Call(t, "GET", "/v1/records/"+url.PathEscape(rec.RecordNumber), "", nil).Want(t, 200)
	env.Call(t, "GET", "/records/"+url.PathEscape(rec.RecordNumber), "", nil).Want(t, 200)
	env.Call(t, "GET", "/records/11010202000000", "", nil).Want(t, 404)
	env.Call(t, "GET", "/static/beian-icon.png", "", nil).Want(t, 200)

	// Amendments: non-key at once, key through review (returned).
	r = env.Call(t, "GET", "/v1/sites/"+id, alice.Token, nil).Want(t, 200)
	amended := rec.Site
	amended.EmergencyContact.Email = "oncall2@example.com"
	env.Call(t, "POST", "/v1/sites/"+id+"/amendments", alice.Token, api.AmendRequest{Site: amended}, "If-Match", etag(r), "Idempotency-Key", key()).Want(t, 200)
	r = env.Call(t, "GET", "/v1/sites/"+id, alice.Token, nil).Want(t, 200)
	amended.Name = "示例科技（新）"
	env.Call(t, "POST", "/v1/sites/"+id+"/amendments", alice.Token, api.AmendRequest{Site: amended}, "If-Match", etag(r), "Idempotency-Key", key()).Want(t, 200)
	env.Call(t, "POST", "/v1/review/sites/"+id+"/return", rev.Token, api.ReturnRequest{Reason: "名称与主体不符"}).Want(t, 200)
	env.Call(t, "GET", "/v1/sites/"+id+"/history?limit=50", alice.Token, nil).Want(t, 200)

	// Notifications.
	var notes api.NotificationList
	env.Call(t, "GET", "/v1/notifications?unread=true", alice.Token, nil).Want(t, 200).JSON(t, &notes)
	if len(notes.Items) == 0 {
		t.Fatal("no notifications after approval and return")
	}
	env.Call(t, "POST", "/v1/notifications/"+notes.Items[0].ID+"/read", alice.Token, nil).Want(t, 204)

	// Cancellation.
	env.Call(t, "POST", "/v1/sites/"+id+"/cancel", alice.Token, api.CancelRequest{Reason: "网站关闭"}, "Idempotency-Key", key()).Want(t, 200)
	env.Call(t, "POST", "/v1/review/sites/"+id+"/approve", rev.Token, nil).Want(t, 200)

	// A draft deleted.
	r = env.Call(t, "POST", "/v1/sites", alice.Token, api.SiteWrite{Site: filingtest.Site("tour-draft.cn")}, "Idempotency-Key", key()).Want(t, 201)
	r.JSON(t, &rec)
	env.Call(t, "DELETE", "/v1/sites/"+rec.ID, alice.Token, nil, "If-Match", etag(r)).Want(t, 204)

	// Admin: users, an import, the audit trail; a claim of the import.
	admin := env.CreateAdmin(t, "root")
	env.Call(t, "POST", "/v1/admin/users", admin.Token, api.UserCreateRequest{Login: "hubei", Mobile: nextMobile(),
		Email: "hubei@example.cn", Password: Password, Role: api.RoleReviewer, AreaPrefix: "42"}).Want(t, 201)
	csv := "domain,old_record_number,cert_number,site_name\nold-tour.cn,鄂公网安备 42011102000410号," + filingtest.UnitUSCC + ",旧站\n"
	var imp api.ImportResult
	env.Call(t, "POST", "/v1/admin/imports", admin.Token, csv, "Content-Type", "text/csv").Want(t, 200).JSON(t, &imp)
	env.Call(t, "GET", "/v1/admin/audit?limit=20", admin.Token, nil).Want(t, 200)
	var earlier api.SiteList
	env.Call(t, "GET", "/v1/sites?state=unrecorded,to_claim", alice.Token, nil).Want(t, 200).JSON(t, &earlier)
	if len(earlier.Items) == 1 {
		env.Call(t, "POST", "/v1/sites/"+earlier.Items[0].ID+"/claim", alice.Token,
			api.ClaimRequest{OldRecordNumber: "鄂公网安备 42011102000410号"}, "Idempotency-Key", key()).Want(t, 200)
	} else {
		t.Errorf("import %+v: alice sees %d earlier filings, want 1 (certificate matches her subject)", imp, len(earlier.Items))
	}

	// The sandbox's own routes.
	env.Call(t, "GET", "/v1/sandbox/outbox?to="+url.QueryEscape(alice.Mobile), "", nil).Want(t, 200)
	env.Call(t, "POST", "/v1/sandbox/review", "", nil).Want(t, 204)

	// Password reset, logout.
	env.Call(t, "POST", "/v1/sms-codes", "", api.SMSCodeRequest{Mobile: alice.Mobile, Purpose: api.SMSResetPassword}).Want(t, 202)
	env.Call(t, "POST", "/v1/password-resets", "", api.PasswordResetRequest{Mobile: alice.Mobile, SMSCode: env.SMSCode(t, alice.Mobile), NewPassword: "a-new-long-password"}).Want(t, 204)
	token := env.Login(t, "alice", "a-new-long-password")
	env.Call(t, "DELETE", "/v1/sessions/current", token, nil).Want(t, 204)
	env.Call(t, "GET", "/v1/account", token, nil).Want(t, 401)

	// Operations.
	for _, p := range []string{"/healthz", "/readyz", "/metrics", "/v1/openapi.yaml"} {
		env.Call(t, "GET", p, "", nil).Want(t, 200)
	}
	if m := string(env.Call(t, "GET", "/metrics", "", nil).Body); !strings.Contains(m, `route="POST /v1/review/sites/{id}/approve"`) {
		t.Error("metrics lack the approval route")
	}
}

// TestBadRequestsGetDocumentedProblems sends requests outside the contract
// on purpose; each answer must still be a documented problem.
func TestBadRequestsGetDocumentedProblems(t *testing.T) {
	env := Start(t)
	alice := env.RegisterSponsor(t, "alice")
	env.Call(t, "PUT", "/v1/subject", alice.Token, api.SubjectWrite{Subject: filingtest.Subject()}).Want(t, 200)
	var draft api.SiteRecord
	env.Call(t, "POST", "/v1/sites", alice.Token, api.SiteWrite{Site: filingtest.Site("bad-input.cn")}).Want(t, 201).JSON(t, &draft)
	cases := []struct {
		method, path, body, ctype string
		want                      int
	}{
		{"POST", "/v1/sessions", `{"login":`, "application/json", http.StatusBadRequest},
		{"POST", "/v1/sessions", `{"login":"a","password":"b","extra":1}`, "application/json", http.StatusUnprocessableEntity},
		{"POST", "/v1/sessions", `{"login":1,"password":"b"}`, "application/json", http.StatusUnprocessableEntity},
		{"POST", "/v1/sessions", `login=a`, "application/x-www-form-urlencoded", http.StatusUnsupportedMediaType},
		{"POST", "/v1/sites", strings.Repeat(" ", 2<<20) + "{}", "application/json", http.StatusRequestEntityTooLarge},
		{"PUT", "/v1/sites/" + draft.ID, `{"site":{}}`, "application/json", http.StatusPreconditionRequired},
		{"POST", "/v1/domain-checks", `{"domains":[]}`, "application/json", http.StatusUnprocessableEntity},
		{"PATCH", "/v1/account", "", "", http.StatusMethodNotAllowed},
	}
	for _, c := range cases {
		var body any
		if c.body != "" {
			body = c.body
		}
		res := env.CallUnchecked(t, c.method, c.path, alice.Token, body, "Content-Type", c.ctype)
		if res.Status != c.want {
			t.Errorf("%s %s %.40q: %d, want %d: %s", c.method, c.path, c.body, res.Status, c.want, clip(res.Body))
		}
	}
}
