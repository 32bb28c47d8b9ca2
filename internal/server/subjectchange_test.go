package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/server/servertest"
)

// TestSubjectKeyChangeOverHTTP: an approved subject's key amendment through
// POST /v1/subject/amendments is a change request the reviewer of the area
// decides on the subject's review routes; every exchange is checked against
// docs/openapi.yaml, on each database (SPEC §3 "Amendments").
func TestSubjectKeyChangeOverHTTP(t *testing.T) {
	servertest.Databases(t, func(t *testing.T, db servertest.Option) {
		env := servertest.Start(t, db)
		owner := filedSponsor(t, env, "november")
		wuhan := env.CreateReviewer(t, "wuhan-nov", "4201")
		shanghai := env.CreateReviewer(t, "shanghai-nov", "31")
		admin := env.CreateAdmin(t, "root-nov")
		approve := "/v1/review/subjects/" + owner.Account.ID + "/approve"
		ret := "/v1/review/subjects/" + owner.Account.ID + "/return"
		var subj api.SubjectRecord
		call(t, env, "POST", approve, wuhan.Token, nil, http.StatusOK, &subj)
		old := subj.Subject

		// Key change: under review, the old values still served.
		amend := old
		amend.Name = "武汉更名网络科技有限公司"
		var rec api.SubjectRecord
		call(t, env, "POST", "/v1/subject/amendments", owner.Token, api.SubjectWrite{Subject: amend}, http.StatusOK, &rec,
			"If-Match", etag(subj.Version), api.HeaderIdempotencyKey, "nov-1")
		if rec.State != filing.SubjectChangeUnderReview || rec.Subject.Name != old.Name || rec.ChangeRequest == nil ||
			rec.ChangeRequest.State != api.ChangeOpen || !slices.Equal(changeFields(rec.ChangeRequest), []string{"subject.name"}) {
			t.Fatalf("amendment answer %+v", rec)
		}
		call(t, env, "GET", "/v1/subject", owner.Token, nil, http.StatusOK, &rec)
		if rec.Subject.Name != old.Name || rec.ChangeRequest == nil {
			t.Fatalf("GET under review %+v", rec)
		}
		var q api.ReviewQueue
		call(t, env, "GET", "/v1/review/queue?kind=subject", wuhan.Token, nil, http.StatusOK, &q)
		if len(q.Items) != 1 || q.Items[0].Subject == nil || q.Items[0].Subject.ChangeRequest == nil {
			t.Fatalf("queue %+v", q.Items)
		}
		// Outside the area: refused.
		problem(t, env.Call(t, "POST", approve, shanghai.Token, nil), api.CodeForbidden)

		// The reviewer of the area approves: new values, audited old → new.
		call(t, env, "POST", approve, wuhan.Token, nil, http.StatusOK, &rec)
		if rec.State != filing.SubjectApproved || rec.Subject.Name != amend.Name || rec.ChangeRequest == nil ||
			rec.ChangeRequest.State != api.ChangeApproved {
			t.Fatalf("approved change %+v", rec)
		}
		var audit api.AuditList
		call(t, env, "GET", "/v1/admin/audit?entity_id="+owner.Account.ID+"&limit=500", admin.Token, nil, http.StatusOK, &audit)
		if !auditHas(audit, string(filing.ActionApproveChange), "subject.name", old.Name, amend.Name) {
			t.Fatalf("no audit of the name change: %+v", audit.Items)
		}

		// Another key change, returned: reason, notification, SMS; old values kept.
		call(t, env, "GET", "/v1/subject", owner.Token, nil, http.StatusOK, &subj)
		again := subj.Subject
		again.LegalRepresentative = "王五"
		call(t, env, "POST", "/v1/subject/amendments", owner.Token, api.SubjectWrite{Subject: again}, http.StatusOK, &rec,
			"If-Match", etag(subj.Version), api.HeaderIdempotencyKey, "nov-2")
		const reason = "请上传法定代表人变更证明"
		call(t, env, "POST", ret, wuhan.Token, api.ReturnRequest{Reason: reason}, http.StatusOK, &rec)
		if rec.State != filing.SubjectApproved || rec.Subject.LegalRepresentative != subj.Subject.LegalRepresentative ||
			rec.ChangeRequest == nil || rec.ChangeRequest.State != api.ChangeReturned || rec.ChangeRequest.Reason != reason {
			t.Fatalf("returned change %+v", rec)
		}
		call(t, env, "GET", "/v1/subject", owner.Token, nil, http.StatusOK, &rec)
		if rec.Subject.LegalRepresentative != subj.Subject.LegalRepresentative || rec.ReturnReason != reason {
			t.Fatalf("GET after return %+v", rec)
		}
		var ns api.NotificationList
		call(t, env, "GET", "/v1/notifications?unread=true", owner.Token, nil, http.StatusOK, &ns)
		if !slices.ContainsFunc(ns.Items, func(n api.Notification) bool { return strings.Contains(n.Body, reason) }) {
			t.Fatalf("no notification with the reason: %+v", ns.Items)
		}
		if !outboxHas(t, env, owner.Mobile, reason) {
			t.Fatalf("no SMS with the reason to %s", owner.Mobile)
		}

		// Mixed, not confirmed: one change request, nothing applied.
		call(t, env, "GET", "/v1/subject", owner.Token, nil, http.StatusOK, &subj)
		mixed := subj.Subject
		mixed.Name = "武汉再更名网络科技有限公司"
		mixed.Email = "office@changed.example.com"
		call(t, env, "POST", "/v1/subject/amendments", owner.Token, api.SubjectWrite{Subject: mixed}, http.StatusOK, &rec,
			"If-Match", etag(subj.Version), api.HeaderIdempotencyKey, "nov-3")
		if rec.Subject.Email == mixed.Email || rec.ChangeRequest == nil ||
			!slices.Equal(changeFields(rec.ChangeRequest), []string{"subject.name", "subject.email"}) {
			t.Fatalf("mixed amendment %+v", rec)
		}
		call(t, env, "POST", ret, wuhan.Token, api.ReturnRequest{Reason: "名称与执照不符"}, http.StatusOK, &rec)
		if rec.Subject.Email == mixed.Email || rec.Subject.Name == mixed.Name {
			t.Fatalf("a returned mixed change applied something: %+v", rec.Subject)
		}

		// Mixed with apply_non_key_now: the email at once, the name reviewed.
		call(t, env, "GET", "/v1/subject", owner.Token, nil, http.StatusOK, &subj)
		call(t, env, "POST", "/v1/subject/amendments", owner.Token, api.SubjectWrite{Subject: mixed, ApplyNonKeyNow: true}, http.StatusOK, &rec,
			"If-Match", etag(subj.Version), api.HeaderIdempotencyKey, "nov-4")
		if rec.State != filing.SubjectChangeUnderReview || rec.Subject.Email != mixed.Email || rec.Subject.Name == mixed.Name ||
			rec.ChangeRequest == nil || !slices.Equal(changeFields(rec.ChangeRequest), []string{"subject.name"}) {
			t.Fatalf("mixed amendment applied now %+v", rec)
		}
		call(t, env, "POST", approve, wuhan.Token, nil, http.StatusOK, &rec)
		if rec.Subject.Name != mixed.Name || rec.Subject.Email != mixed.Email || rec.State != filing.SubjectApproved {
			t.Fatalf("after approval %+v", rec)
		}
	})
}

func changeFields(c *api.ChangeRequest) []string {
	out := make([]string, len(c.Changes))
	for i, ch := range c.Changes {
		out[i] = ch.Field
	}
	return out
}
