package client_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/server/servertest"
)

// TestContractTour calls the client's methods against the real server
// through servertest's checking transport, which fails the test when a
// request or an answer departs from docs/openapi.yaml: the client speaks
// the documented API, not just what the reference server tolerates.
func TestContractTour(t *testing.T) {
	srv := servertest.Start(t, servertest.Sandbox(platform.SandboxOptions{}))
	tr, err := servertest.NewTransport(t, http.DefaultTransport)
	if err != nil {
		t.Fatal(err)
	}
	anon, err := client.New(client.Options{BaseURL: srv.URL, Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	const mobile = "13712345678"
	must("sms code", anon.RequestSMSCode(ctx, api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSRegister}))
	acc, err := anon.Register(ctx, api.RegisterRequest{Login: "tourist", Mobile: mobile, SMSCode: srv.SMSCode(t, mobile), Password: servertest.Password, Email: "tourist@example.com"})
	must("register", err)
	sess, err := anon.Login(ctx, api.LoginRequest{Login: "tourist", Password: servertest.Password})
	must("login", err)
	c := anon.WithToken(sess.Token)
	me, err := c.Account(ctx)
	must("account", err)
	if me.ID != acc.ID {
		t.Errorf("account %s, registered %s", me.ID, acc.ID)
	}

	_, err = c.Subject(ctx)
	var p *api.Problem
	if !errors.As(err, &p) || p.Code != api.CodeNotFound {
		t.Errorf("subject before any: %v", err)
	}
	subj, err := c.PutSubject(ctx, api.SubjectWrite{Subject: filingtest.Subject()}, 0)
	must("put subject", err)
	_, err = c.PutSubject(ctx, api.SubjectWrite{Subject: filingtest.Subject()}, subj.Version+7)
	if !errors.As(err, &p) || p.Code != api.CodeVersionConflict {
		t.Errorf("stale If-Match: %v", err)
	}
	_, err = c.SubmitSubject(ctx)
	must("submit subject", err)

	site := filingtest.Site("tour.test")
	_, err = c.CreateSite(ctx, api.SiteWrite{Site: site}, true)
	must("dry run", err)
	rec, err := c.CreateSite(ctx, api.SiteWrite{Site: site}, false)
	must("create site", err)
	site.Name = "示例科技官网（改）"
	rec, err = c.UpdateSite(ctx, rec.ID, rec.Version, api.SiteWrite{Site: site})
	must("update site", err)
	rec, err = c.SubmitSite(ctx, rec.ID)
	must("submit site", err)
	must("sandbox review", c.SandboxReview(ctx))
	rec, err = c.Site(ctx, rec.ID)
	must("get site", err)
	if rec.State != filing.StateRecorded || rec.RecordNumber == "" {
		t.Fatalf("after review: %s %q", rec.State, rec.RecordNumber)
	}

	list, err := c.AllSites(ctx, client.SiteQuery{Limit: 1})
	must("list sites", err)
	if len(list) != 1 {
		t.Errorf("sites %d", len(list))
	}
	one, err := c.CheckDomain(ctx, "tour.test")
	must("check one", err)
	if one.Status != api.DomainYours {
		t.Errorf("check one: %s", one.Status)
	}
	batch, err := c.CheckDomains(ctx, []string{"tour.test", "free.test", "bad_domain.com"})
	must("check batch", err)
	if len(batch.Results) != 3 || batch.Results[2].Status != api.DomainInvalid {
		t.Errorf("batch %+v", batch.Results)
	}
	for _, f := range []string{"html", "html-legacy", "markdown", "text", "json"} {
		_, err := c.SiteBadge(ctx, rec.ID, client.BadgeQuery{Format: f, Link: "current", ICP: true})
		must("badge "+f, err)
	}
	_, err = c.SiteHistory(ctx, rec.ID)
	must("history", err)
	pub, err := anon.PublicRecord(ctx, rec.RecordNumber)
	must("public record", err)
	if pub.PrimaryDomain != "tour.test" {
		t.Errorf("public record %+v", pub)
	}
	notes, err := c.AllNotifications(ctx, client.NotificationQuery{Unread: true})
	must("notifications", err)
	for _, n := range notes {
		must("read notification", c.ReadNotification(ctx, n.ID))
	}
	_, err = c.AmendSite(ctx, rec.ID, rec.Version, api.AmendRequest{Site: rec.Site})
	if err != nil && !errors.As(err, &p) {
		t.Errorf("amend: %v", err)
	}
	_, err = c.CancelSite(ctx, rec.ID, api.CancelRequest{Reason: "tour over"})
	must("cancel", err)
	_, err = c.SandboxOutbox(ctx)
	must("outbox", err)
	_, err = anon.OpenAPI(ctx)
	must("openapi", err)
	must("healthz", anon.Healthz(ctx))
	must("logout", c.Logout(ctx))
	if _, err := c.Account(ctx); !errors.As(err, &p) || p.Code != api.CodeUnauthenticated {
		t.Errorf("after logout: %v", err)
	}
}
