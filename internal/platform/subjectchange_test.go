package platform_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/store"
	"github.com/beian-dev/beian/internal/store/storetest"
)

// An approved subject's key amendment is a change request a reviewer of the
// subject's area decides, while the subject keeps serving its approved
// values (SPEC §3 "Amendments", FAQ item 9). Run on both databases.
func TestSubjectKeyChangeIsReviewed(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, open func(t *testing.T) store.Store) {
		f := newFixtureOn(t, open(t), platform.Options{})
		a, mobile := f.sponsor("kilo")
		wuhan := f.staff("wuhan-kilo", "4201")
		beijing := f.staff("beijing-kilo", "11")
		f.subject(a, unitSubject(t, 61))
		approved := must(f.desk.ApproveSubject(f.ctx, wuhan, a.AccountID))(t)
		oldName := approved.Subject.Name

		// 1. A key change: under review, old values still served.
		amend := approved.Subject
		amend.Name = "武汉改名网络科技有限公司"
		rec := must(f.desk.AmendSubject(f.ctx, a, approved.Version, api.SubjectWrite{Subject: amend}))(t)
		if rec.State != filing.SubjectChangeUnderReview || rec.Subject.Name != oldName || rec.ChangeRequest == nil ||
			rec.ChangeRequest.State != api.ChangeOpen || rec.ChangeRequest.Kind != api.ChangeKindChange {
			t.Fatalf("after a key amendment: %+v", rec)
		}
		if got := fields(rec.ChangeRequest.Changes); !slices.Equal(got, []string{"subject.name"}) {
			t.Fatalf("change request fields %v", got)
		}
		cur := must(f.desk.Subject(f.ctx, a))(t)
		if cur.Subject.Name != oldName || cur.State != filing.SubjectChangeUnderReview || cur.ChangeRequest == nil ||
			cur.ChangeRequest.ID != rec.ChangeRequest.ID {
			t.Fatalf("GET while under review: %+v", cur)
		}
		// Nothing else changes meanwhile.
		_, err := f.desk.AmendSubject(f.ctx, a, cur.Version, api.SubjectWrite{Subject: amend})
		wantCode(t, err, api.CodeTransitionRefused)
		_, err = f.desk.PutSubject(f.ctx, a, cur.Version, api.SubjectWrite{Subject: amend})
		wantCode(t, err, api.CodeTransitionRefused)

		// The area's reviewer sees it queued, with the proposed changes.
		q := must(f.desk.ReviewQueue(f.ctx, wuhan, "subject", store.Page{}))(t)
		if len(q.Items) != 1 || q.Items[0].ID != a.AccountID || q.Items[0].Subject == nil ||
			q.Items[0].Subject.ChangeRequest == nil || q.Items[0].Subject.Subject.Name != oldName {
			t.Fatalf("wuhan queue %+v", q.Items)
		}
		if q := must(f.desk.ReviewQueue(f.ctx, beijing, "", store.Page{}))(t); len(q.Items) != 0 {
			t.Fatalf("beijing sees %+v", q.Items)
		}
		_, err = f.desk.ApproveSubject(f.ctx, beijing, a.AccountID)
		wantCode(t, err, api.CodeForbidden)

		// 2. Approved by Wuhan: the new values, audited old → new.
		dec := must(f.desk.ApproveSubject(f.ctx, wuhan, a.AccountID))(t)
		if dec.State != filing.SubjectApproved || dec.Subject.Name != amend.Name || dec.ChangeRequest == nil ||
			dec.ChangeRequest.State != api.ChangeApproved {
			t.Fatalf("approved change: %+v", dec)
		}
		if cur := must(f.desk.Subject(f.ctx, a))(t); cur.Subject.Name != amend.Name || cur.ChangeRequest != nil {
			t.Fatalf("GET after approval: %+v", cur)
		}
		events := audit(t, f.st, a.AccountID)
		if !slices.ContainsFunc(events, func(e store.AuditEvent) bool {
			return e.Action == string(filing.ActionApproveChange) && e.Field == "subject.name" &&
				e.Old == oldName && e.New == amend.Name && e.ActorID == wuhan.AccountID
		}) {
			t.Fatalf("no audit of subject.name %s → %s in %+v", oldName, amend.Name, events)
		}

		// 3. Another key change, returned: old values kept, reason everywhere.
		cur = must(f.desk.Subject(f.ctx, a))(t)
		again := cur.Subject
		again.LegalRepresentative = "李四"
		must(f.desk.AmendSubject(f.ctx, a, cur.Version, api.SubjectWrite{Subject: again}))(t)
		_, err = f.desk.ReturnSubject(f.ctx, wuhan, a.AccountID, api.ReturnRequest{Reason: " "})
		wantCode(t, err, api.CodeValidationFailed)
		const reason = "法定代表人变更需提供新营业执照"
		ret := must(f.desk.ReturnSubject(f.ctx, wuhan, a.AccountID, api.ReturnRequest{Reason: reason}))(t)
		if ret.State != filing.SubjectApproved || ret.Subject.LegalRepresentative != cur.Subject.LegalRepresentative ||
			ret.ChangeRequest == nil || ret.ChangeRequest.State != api.ChangeReturned || ret.ChangeRequest.Reason != reason {
			t.Fatalf("returned change: %+v", ret)
		}
		if got := must(f.desk.Subject(f.ctx, a))(t); got.Subject.LegalRepresentative != cur.Subject.LegalRepresentative ||
			got.State != filing.SubjectApproved || got.ReturnReason != reason {
			t.Fatalf("GET after return: %+v", got)
		}
		ns := must(f.desk.Notifications(f.ctx, a, true, store.Page{}))(t)
		if len(ns.Items) == 0 || ns.Items[0].Kind != "subject_change_returned" || !strings.Contains(ns.Items[0].Body, reason) {
			t.Fatalf("notifications %+v", ns.Items)
		}
		msgs := must(f.st.Outbox(f.ctx, mobile))(t)
		if !strings.Contains(msgs[len(msgs)-1].Body, reason) {
			t.Fatalf("SMS %q lacks the reason", msgs[len(msgs)-1].Body)
		}

		// 4. Mixed key and non-key, not confirmed: one change request holding
		// both, nothing applied.
		cur = must(f.desk.Subject(f.ctx, a))(t)
		mixed := cur.Subject
		mixed.Name = "武汉再改名网络科技有限公司"
		mixed.OfficePhone = "027-88886666"
		rec = must(f.desk.AmendSubject(f.ctx, a, cur.Version, api.SubjectWrite{Subject: mixed}))(t)
		if rec.State != filing.SubjectChangeUnderReview || rec.Subject.OfficePhone == mixed.OfficePhone || rec.ChangeRequest == nil ||
			!slices.Equal(fields(rec.ChangeRequest.Changes), []string{"subject.name", "subject.office_phone"}) {
			t.Fatalf("mixed amendment: %+v", rec)
		}
		// Approving it applies both.
		dec = must(f.desk.ApproveSubject(f.ctx, wuhan, a.AccountID))(t)
		if dec.Subject.Name != mixed.Name || dec.Subject.OfficePhone != mixed.OfficePhone {
			t.Fatalf("approved mixed change: %+v", dec.Subject)
		}

		// 5. Mixed with apply_non_key_now: the non-key part at once, the key
		// part reviewed.
		cur = must(f.desk.Subject(f.ctx, a))(t)
		mixed = cur.Subject
		mixed.Name = "武汉第三名网络科技有限公司"
		mixed.OfficePhone = "027-88887777"
		rec = must(f.desk.AmendSubject(f.ctx, a, cur.Version, api.SubjectWrite{Subject: mixed, ApplyNonKeyNow: true}))(t)
		if rec.State != filing.SubjectChangeUnderReview || rec.Subject.OfficePhone != mixed.OfficePhone ||
			rec.Subject.Name == mixed.Name || rec.ChangeRequest == nil ||
			!slices.Equal(fields(rec.ChangeRequest.Changes), []string{"subject.name"}) {
			t.Fatalf("mixed amendment applied now: %+v", rec)
		}
		events = audit(t, f.st, a.AccountID)
		if !slices.ContainsFunc(events, func(e store.AuditEvent) bool {
			return e.Action == string(filing.ActionAmendNonKey) && e.Field == "subject.office_phone" && e.New == mixed.OfficePhone
		}) {
			t.Fatalf("the non-key part is not audited: %+v", events)
		}
		// apply_non_key_now belongs to amendments only.
		_, err = f.desk.PutSubject(f.ctx, a, rec.Version, api.SubjectWrite{Subject: mixed, ApplyNonKeyNow: true})
		wantCode(t, err, api.CodeValidationFailed)
	})
}

// A key change to a certificate number another subject holds is refused
// when asked, not at approval.
func TestSubjectChangeToATakenCertificate(t *testing.T) {
	f := newFixture(t, platform.Options{})
	a, _ := f.sponsor("lima")
	b, _ := f.sponsor("mike")
	reviewer := f.staff("wuhan-lima", "4201")
	f.subject(a, unitSubject(t, 62))
	f.subject(b, unitSubject(t, 63))
	must(f.desk.ApproveSubject(f.ctx, reviewer, b.AccountID))(t) // 63 is held once approved
	rec := must(f.desk.ApproveSubject(f.ctx, reviewer, a.AccountID))(t)
	amend := rec.Subject
	amend.CertNumber = usccFor(t, 63)
	_, err := f.desk.AmendSubject(f.ctx, a, rec.Version, api.SubjectWrite{Subject: amend})
	wantCode(t, err, api.CodeSubjectTaken)
	if got := must(f.desk.Subject(f.ctx, a))(t); got.State != filing.SubjectApproved || got.ChangeRequest != nil {
		t.Fatalf("after a refused change: %+v", got)
	}
}

func fields(cs []api.FieldChange) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Field
	}
	return out
}

// audit is the subject's whole audit trail, oldest first.
func audit(t *testing.T, st store.Store, accountID string) []store.AuditEvent {
	t.Helper()
	events, _, err := st.Audit(t.Context(), accountID, store.Page{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return events
}
