package ptytest

import (
	"context"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/platform"
)

// enterUntil presses Enter, page after page, keeping every prefilled
// answer, until text appears.
func enterUntil(tm *terminal, text string) {
	tm.t.Helper()
	needle := squash(text)
	for range 120 {
		flat := squash(tm.screen())
		rest := flat[min(tm.mark, len(flat)):]
		if strings.Contains(rest, needle) {
			tm.expect(text)
			return
		}
		tm.send(enter)
	}
	tm.expect(text) // fails with the screen
}

// A returned site edited on the terminal: the reviewer's reason is shown
// first, the form is prefilled with the stored values, one value is
// changed and the site is submitted again.
func TestEditReturnedSiteOnATerminal(t *testing.T) {
	srv := newFilingServer(t)
	srv.Start()
	subject := filingtest.Subject()
	me, token := srv.sponsor("pty-editor", &subject)
	ctx := context.Background()
	rec, err := srv.Desk.CreateSite(ctx, me, siteWrite(publicSite("returned-example.cn")), false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Desk.SubmitSite(ctx, me, rec.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Desk.ApproveSubject(ctx, platform.System, me.AccountID); err != nil {
		t.Fatal(err)
	}
	const reason = "网站名称与首页不符 the name does not match the homepage"
	if _, err := srv.Desk.ReturnSite(ctx, platform.System, rec.ID, api.ReturnRequest{Reason: reason}); err != nil {
		t.Fatal(err)
	}

	tm := start(t, beianEnv(t, t.TempDir(), srv.URL, token), "edit", "returned-example.cn", "--submit")
	tm.expect("returned by the reviewer: " + reason)
	tm.expect("Site name")
	tm.send(ctrlU + "Edited PTY Site" + enter)
	enterUntil(tm, "What now?")
	tm.send(enter) // "Submit for review" is preselected
	tm.answer("I have read and accept the security responsibility notice", "y")
	tm.expect("Edited PTY Site (key field)")
	tm.expect("submitted for review")
	if code := tm.wait(); code != 0 {
		t.Fatalf("beian edit exited %d", code)
	}
	got := srv.sites(me, "returned-example.cn")
	if len(got) != 1 || got[0].State != filing.StateUnderReview || got[0].Site.Name != "Edited PTY Site" {
		t.Fatalf("after the edit: %+v", got)
	}
	if got[0].Site.AccessProvider.AreaCode != rec.Site.AccessProvider.AreaCode || got[0].Site.Registrar.AreaCode != rec.Site.Registrar.AreaCode ||
		got[0].Site.LaunchDate != rec.Site.LaunchDate {
		t.Errorf("prefilled values lost: %+v", got[0].Site)
	}
}

// `beian subject edit` on a terminal: the subject's pages of the filing
// form, prefilled (area lists included); one value changed; the returned
// subject is saved and submitted again, the other values kept.
func TestSubjectEditOnATerminal(t *testing.T) {
	srv := newFilingServer(t)
	srv.Start()
	subject := filingtest.Subject()
	me, token := srv.sponsor("pty-subject", &subject)
	ctx := context.Background()
	if _, err := srv.Desk.ReturnSubject(ctx, platform.System, me.AccountID, api.ReturnRequest{Reason: "电话有误"}); err != nil {
		t.Fatal(err)
	}

	tm := start(t, beianEnv(t, t.TempDir(), srv.URL, token), "subject", "edit")
	enterUntil(tm, "Office phone (optional")
	tm.send(enter) // the address detail stays
	tm.send(ctrlU + "027-87650000" + enter)
	enterUntil(tm, "subject saved")
	if code := tm.wait(); code != 0 {
		t.Fatalf("beian subject edit exited %d", code)
	}
	got, err := srv.Desk.Subject(ctx, me)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != filing.SubjectUnderReview || got.Subject.OfficePhone != "027-87650000" {
		t.Fatalf("after the edit: %s %+v", got.State, got.Subject)
	}
	if got.Subject.Name != subject.Name || got.Subject.OfficeAddress.AreaCode != subject.OfficeAddress.AreaCode ||
		got.Subject.Responsible.ResidentAddress.AreaCode != subject.Responsible.ResidentAddress.AreaCode {
		t.Errorf("prefilled values lost: %+v", got.Subject)
	}
}
