package platform_test

import (
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/recordno"
	"github.com/beian-dev/beian/internal/store"
)

func TestRecordNumberIssuedOnApproval(t *testing.T) {
	f := newFixture(t, platform.Options{})
	owner, mobile := f.sponsor("owner")
	reviewer := f.staff("wuhan", "4201")
	f.subject(owner, unitSubject(t, 1))
	site := f.submitted(owner, "example.com")

	// The site cannot be approved before its subject.
	_, err := f.desk.ApproveSite(f.ctx, reviewer, site.ID)
	wantCode(t, err, api.CodeSubjectNotApproved)

	must(f.desk.ApproveSubject(f.ctx, reviewer, owner.AccountID))(t)
	rec := must(f.desk.ApproveSite(f.ctx, reviewer, site.ID))(t)
	if rec.State != filing.StateRecorded {
		t.Fatalf("state %s, want recorded", rec.State)
	}
	if rec.RecordNumber != "鄂公网安备 42011102000001号" {
		t.Fatalf("record number %q, want 鄂公网安备 42011102000001号", rec.RecordNumber)
	}
	n, _, err := recordno.Parse(rec.RecordNumber)
	if err != nil || n.String() != rec.RecordNumber {
		t.Fatalf("record number %q is not canonical: %v", rec.RecordNumber, err)
	}
	// The sponsor is told, in the system and by SMS.
	ns := must(f.desk.Notifications(f.ctx, owner, true, store.Page{}))(t)
	if len(ns.Items) == 0 || ns.Items[0].Kind != "site_approved" {
		t.Fatalf("notifications %+v, want site_approved first", ns.Items)
	}
	msgs := must(f.st.Outbox(f.ctx, mobile))(t)
	if last := msgs[len(msgs)-1].Body; !strings.Contains(last, rec.RecordNumber) {
		t.Fatalf("last SMS %q does not carry the record number", last)
	}
}
