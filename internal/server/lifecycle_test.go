package server_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/server/servertest"
)

var recordNumberFormat = regexp.MustCompile(`^鄂公网安备 42011102\d{6}号$`)

// TestLifecycle walks a filing through everything SPEC §2–5 describes, over
// real HTTP, on each database (issue 3, "must show").
func TestLifecycle(t *testing.T) {
	dialects(t, func(t *testing.T, start func(t *testing.T, opts ...servertest.Option) *servertest.Env) {
		env := start(t)

		// Register: the code is read from the SMS outbox.
		mobile := "13812345678"
		call(t, env, "POST", "/v1/sms-codes", "", api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSRegister}, http.StatusAccepted, nil)
		var acc api.Account
		call(t, env, "POST", "/v1/accounts", "", api.RegisterRequest{Login: "owner", Mobile: mobile, SMSCode: env.SMSCode(t, mobile),
			Password: servertest.Password, Email: "owner@example.com"}, http.StatusCreated, &acc, api.HeaderIdempotencyKey, "reg-1")
		var sess api.Session
		call(t, env, "POST", "/v1/sessions", "", api.LoginRequest{Login: "owner", Password: servertest.Password}, http.StatusCreated, &sess)
		owner := sess.Token
		call(t, env, "GET", "/v1/account", owner, nil, http.StatusOK, &acc)
		if acc.Login != "owner" || acc.Role != api.RoleSponsor {
			t.Fatalf("account %+v", acc)
		}

		// The admin creates the reviewer of Wuhan (4201).
		admin := env.CreateAdmin(t, "root")
		call(t, env, "POST", "/v1/admin/users", admin.Token, api.UserCreateRequest{Login: "wuhan", Mobile: "13900001111", Email: "wuhan@police.example",
			Password: servertest.Password, Role: api.RoleReviewer, AreaPrefix: "4201"}, http.StatusCreated, nil)
		reviewer := env.Login(t, "wuhan", servertest.Password)

		// Subject, draft site, submission.
		subject := uniqueSubject(t)
		var subj api.SubjectRecord
		call(t, env, "PUT", "/v1/subject", owner, api.SubjectWrite{Subject: subject}, http.StatusOK, &subj)
		call(t, env, "POST", "/v1/subject/submit", owner, nil, http.StatusOK, &subj, api.HeaderIdempotencyKey, "subj-1")
		if subj.State != filing.SubjectUnderReview {
			t.Fatalf("subject %s", subj.State)
		}
		site := draftSite(t, env, &servertest.User{Token: owner}, "lifecycle.cn")
		if site.State != filing.StateDraft {
			t.Fatalf("site %s", site.State)
		}
		call(t, env, "POST", "/v1/sites/"+site.ID+"/submit", owner, nil, http.StatusOK, &site, api.HeaderIdempotencyKey, "submit-1")
		if site.State != filing.StateUnderReview {
			t.Fatalf("site %s", site.State)
		}

		// The reviewer of the area sees both, approves the subject then the site.
		var q api.ReviewQueue
		call(t, env, "GET", "/v1/review/queue", reviewer, nil, http.StatusOK, &q)
		if len(q.Items) != 2 {
			t.Fatalf("queue %+v", q.Items)
		}
		call(t, env, "POST", "/v1/review/subjects/"+acc.ID+"/approve", reviewer, nil, http.StatusOK, &subj)
		var rec api.SiteRecord
		call(t, env, "POST", "/v1/review/sites/"+site.ID+"/approve", reviewer, nil, http.StatusOK, &rec)
		if rec.State != filing.StateRecorded || !recordNumberFormat.MatchString(rec.RecordNumber) {
			t.Fatalf("approved site %s %q", rec.State, rec.RecordNumber)
		}
		number := rec.RecordNumber
		digits := strings.TrimSuffix(strings.TrimPrefix(number, "鄂公网安备 "), "号")

		// Badge, public record page (HTML and JSON) — with nothing private.
		var b api.Badge
		call(t, env, "GET", "/v1/sites/"+site.ID+"/badge?format=html-legacy&icp=true", owner, nil, http.StatusOK, &b)
		if b.RecordNumber != number || !strings.Contains(b.Rendered, "#939393") || !strings.Contains(b.HTML, `rel="noreferrer"`) || b.ICP == "" {
			t.Fatalf("badge %+v", b)
		}
		var pub api.PublicRecord
		call(t, env, "GET", "/v1/records/"+digits, "", nil, http.StatusOK, &pub)
		if pub.RecordNumber != number || pub.SubjectName != subject.Name || pub.ReviewingOffice != "湖北省武汉市洪山区公安局" {
			t.Fatalf("public record %+v", pub)
		}
		page := call(t, env, "GET", "/records/"+digits, "", nil, http.StatusOK, nil)
		html := string(page.Body)
		if !strings.Contains(html, number) || !strings.Contains(html, "lifecycle.cn") || !strings.Contains(html, subject.Name) {
			t.Fatalf("record page lacks the record:\n%s", html)
		}
		for _, secret := range []string{subject.CertNumber, subject.Responsible.IDNumber, subject.Mobile, subject.Responsible.Mobile,
			subject.Email, subject.OfficePhone, filingtestEmergencyMobile, mobile} {
			if strings.Contains(html, secret) || strings.Contains(string(mustJSON(t, pub)), secret) {
				t.Errorf("public record shows %q", secret)
			}
		}
		icon := call(t, env, "GET", "/static/beian-icon.png", "", nil, http.StatusOK, nil)
		if icon.Header.Get("Content-Type") != "image/png" || len(icon.Body) == 0 {
			t.Fatalf("icon %v", icon.Header)
		}

		// A second site is returned with a reason: notification and SMS,
		// then edited and resubmitted, then approved.
		second := draftSite(t, env, &servertest.User{Token: owner}, "second.cn")
		call(t, env, "POST", "/v1/sites/"+second.ID+"/submit", owner, nil, http.StatusOK, &second)
		reason := "接入服务商信息与 IP 不符"
		call(t, env, "POST", "/v1/review/sites/"+second.ID+"/return", reviewer, api.ReturnRequest{Reason: reason}, http.StatusOK, &second)
		if second.State != filing.StateReturned || second.ReturnReason != reason {
			t.Fatalf("returned %+v", second)
		}
		var notes api.NotificationList
		call(t, env, "GET", "/v1/notifications?unread=true", owner, nil, http.StatusOK, &notes)
		found := ""
		for _, n := range notes.Items {
			if n.Kind == "site_returned" && strings.Contains(n.Body, reason) {
				found = n.ID
			}
		}
		if found == "" {
			t.Fatalf("no site_returned notification with the reason in %+v", notes.Items)
		}
		call(t, env, "POST", "/v1/notifications/"+found+"/read", owner, nil, http.StatusNoContent, nil)
		if !outboxHas(t, env, mobile, reason) {
			t.Fatal("no SMS with the reason")
		}
		var cur api.SiteRecord
		res := call(t, env, "GET", "/v1/sites/"+second.ID, owner, nil, http.StatusOK, &cur)
		if res.Header.Get("ETag") != etag(cur.Version) {
			t.Fatalf("ETag %q for version %d", res.Header.Get("ETag"), cur.Version)
		}
		edited := cur.Site
		edited.AccessProvider.Name = "另一家云计算有限公司"
		call(t, env, "PUT", "/v1/sites/"+second.ID, owner, api.SiteWrite{Site: edited}, http.StatusOK, &cur, "If-Match", etag(cur.Version))
		call(t, env, "POST", "/v1/sites/"+second.ID+"/submit", owner, nil, http.StatusOK, &cur)
		call(t, env, "POST", "/v1/review/sites/"+second.ID+"/approve", reviewer, nil, http.StatusOK, &cur)
		if cur.State != filing.StateRecorded || cur.RecordNumber == number || !recordNumberFormat.MatchString(cur.RecordNumber) {
			t.Fatalf("second site %s %q", cur.State, cur.RecordNumber)
		}

		// A non-key amendment applies at once and is audited.
		call(t, env, "GET", "/v1/sites/"+site.ID, owner, nil, http.StatusOK, &cur)
		amended := cur.Site
		amended.EmergencyContact.Mobile = "13311112222"
		var ar api.AmendResult
		call(t, env, "POST", "/v1/sites/"+site.ID+"/amendments", owner, api.AmendRequest{Site: amended}, http.StatusOK, &ar, "If-Match", etag(cur.Version))
		if len(ar.Applied) != 1 || ar.ChangeRequest != nil || ar.Site.Site.EmergencyContact.Mobile != "13311112222" {
			t.Fatalf("non-key amendment %+v", ar)
		}
		var hist api.AuditList
		call(t, env, "GET", "/v1/sites/"+site.ID+"/history?limit=200", owner, nil, http.StatusOK, &hist)
		if !auditHas(hist, "amend_nonkey", "site.emergency_contact.mobile", "13300133000", "13311112222") {
			t.Fatalf("history lacks the amendment: %+v", hist.Items)
		}

		// A key amendment is a change request: approved; another: returned.
		keyChange := ar.Site.Site
		keyChange.Name = "示例科技新官网"
		call(t, env, "POST", "/v1/sites/"+site.ID+"/amendments", owner, api.AmendRequest{Site: keyChange}, http.StatusOK, &ar, "If-Match", etag(ar.Site.Version))
		if ar.ChangeRequest == nil || ar.Site.State != filing.StateChangeUnderReview || ar.Site.Site.Name == keyChange.Name {
			t.Fatalf("key amendment %+v", ar)
		}
		call(t, env, "POST", "/v1/review/sites/"+site.ID+"/approve", reviewer, nil, http.StatusOK, &cur)
		if cur.State != filing.StateRecorded || cur.Site.Name != keyChange.Name || cur.RecordNumber != number {
			t.Fatalf("approved change %+v", cur)
		}
		keyChange.Name = "不该通过的名字"
		call(t, env, "POST", "/v1/sites/"+site.ID+"/amendments", owner, api.AmendRequest{Site: keyChange}, http.StatusOK, &ar, "If-Match", etag(cur.Version))
		call(t, env, "POST", "/v1/review/sites/"+site.ID+"/return", reviewer, api.ReturnRequest{Reason: "名称变更缺少证明"}, http.StatusOK, &cur)
		if cur.State != filing.StateRecorded || cur.Site.Name != "示例科技新官网" {
			t.Fatalf("returned change %+v", cur)
		}

		// Cancel: requested, approved, the number's page says so.
		call(t, env, "POST", "/v1/sites/"+site.ID+"/cancel", owner, api.CancelRequest{Reason: "网站停止运营"}, http.StatusOK, &cur, api.HeaderIdempotencyKey, "cancel-1")
		if cur.State != filing.StateCancelUnderReview {
			t.Fatalf("cancel %s", cur.State)
		}
		call(t, env, "POST", "/v1/review/sites/"+site.ID+"/approve", reviewer, nil, http.StatusOK, &cur)
		if cur.State != filing.StateCancelled {
			t.Fatalf("cancel approved: %s", cur.State)
		}

		// Import earlier filings: one for a subject that registers later
		// (pushed to it as unrecorded), one to claim with its old number.
		later := env.RegisterSponsor(t, "later")
		laterSubject := uniqueSubject(t)
		csv := "domain,old_record_number,subject_cert,site_name\n" +
			"earlier.cn,鄂公网安备 42011102000777号," + laterSubject.CertNumber + ",早期网站\n" +
			"orphan.cn,42011102000778," + uscc(t, 900000+int(certSeq.Add(1))) + ",待认领网站\n"
		var ir api.ImportResult
		call(t, env, "POST", "/v1/admin/imports", admin.Token, csv, http.StatusOK, &ir, "Content-Type", "text/csv")
		if ir.Unrecorded != 0 || ir.ToClaim != 2 || len(ir.Errors) != 0 { // "later" has no subject yet
			t.Fatalf("import %+v", ir)
		}
		call(t, env, "PUT", "/v1/subject", later.Token, api.SubjectWrite{Subject: laterSubject}, http.StatusOK, nil)
		call(t, env, "POST", "/v1/subject/submit", later.Token, nil, http.StatusOK, nil)
		// Its earlier filing comes to it once the subject is approved: a
		// draft proves nothing about the certificate.
		call(t, env, "POST", "/v1/review/subjects/"+later.Account.ID+"/approve", reviewer, nil, http.StatusOK, nil)
		var list api.SiteList
		call(t, env, "GET", "/v1/sites?state=unrecorded", later.Token, nil, http.StatusOK, &list)
		if len(list.Items) != 1 || list.Items[0].Site.PrimaryDomain != "earlier.cn" {
			t.Fatalf("unrecorded list %+v", list.Items)
		}
		pushed := list.Items[0]
		var claimed api.SiteRecord
		call(t, env, "POST", "/v1/sites/"+pushed.ID+"/claim", later.Token, api.ClaimRequest{}, http.StatusOK, &claimed, api.HeaderIdempotencyKey, "claim-1")
		if claimed.State != filing.StateDraft {
			t.Fatalf("claimed %s", claimed.State)
		}
		// The orphan is to_claim: the owner proves control of the domain
		// by publishing the challenge; the old number is no proof.
		var chk api.DomainCheck
		call(t, env, "GET", "/v1/domain-checks/orphan.cn", owner, nil, http.StatusOK, &chk)
		if chk.Status != api.DomainClaimable || chk.SiteID != "" {
			t.Fatalf("orphan check %+v", chk)
		}
		problem(t, env.Call(t, "POST", "/v1/claims", owner, api.ClaimRequest{Domain: "orphan.cn", OldRecordNumber: "鄂公网安备42011102000778号"}), api.CodeClaimRefused)
		var ch api.ClaimChallenge
		call(t, env, "POST", "/v1/claim-challenges", owner, api.ClaimChallengeRequest{Domain: "orphan.cn"}, http.StatusOK, &ch)
		env.Publish("orphan.cn", ch.Content)
		call(t, env, "POST", "/v1/claims", owner, api.ClaimRequest{Domain: "orphan.cn"}, http.StatusOK, &cur)
		if cur.State != filing.StateDraft || cur.OldRecordNumber == "" {
			t.Fatalf("claimed orphan %+v", cur)
		}

		// The claimed draft is supplemented, submitted and approved: a new number.
		data := publicSite("earlier.cn")
		data.Name = claimed.Site.Name
		call(t, env, "PUT", "/v1/sites/"+claimed.ID, later.Token, api.SiteWrite{Site: data}, http.StatusOK, &claimed, "If-Match", etag(claimed.Version))
		call(t, env, "POST", "/v1/sites/"+claimed.ID+"/submit", later.Token, nil, http.StatusOK, &claimed)
		call(t, env, "POST", "/v1/review/sites/"+claimed.ID+"/approve", reviewer, nil, http.StatusOK, &claimed)
		if claimed.State != filing.StateRecorded || !recordNumberFormat.MatchString(claimed.RecordNumber) ||
			claimed.OldRecordNumber != "鄂公网安备 42011102000777号" || claimed.RecordNumber == claimed.OldRecordNumber {
			t.Fatalf("claimed and recorded %+v", claimed)
		}
	})
}

// filingtestEmergencyMobile is the fixture site's emergency contact mobile.
const filingtestEmergencyMobile = "13300133000"
