package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/server/servertest"
)

// Issue 9 item 9: jurisdiction follows the subject's current address. After
// an approved move of the office from Wuhan (42) to Beijing (11), the new
// area's reviewer reviews the account's sites and the old one may not; the
// public record names the new office; the record number stays as issued.
func TestJurisdictionFollowsTheSubjectsMove(t *testing.T) {
	servertest.Databases(t, func(t *testing.T, db servertest.Option) {
		env := servertest.Start(t, db)
		wuhan := env.CreateReviewer(t, "move-wuhan", "42")
		beijing := env.CreateReviewer(t, "move-beijing", "11")
		u := filedSponsor(t, env, "mover")
		call(t, env, http.MethodPost, "/v1/review/subjects/"+u.Account.ID+"/approve", wuhan.Token, nil, http.StatusOK, nil)
		d := draftSite(t, env, u, "moving-office.cn")
		call(t, env, http.MethodPost, "/v1/sites/"+d.ID+"/submit", u.Token, nil, http.StatusOK, nil)
		var rec api.SiteRecord
		call(t, env, http.MethodPost, "/v1/review/sites/"+d.ID+"/approve", wuhan.Token, nil, http.StatusOK, &rec)
		number := rec.RecordNumber

		// The office moves to Haidian, Beijing: a key change, approved by
		// the reviewer of the area it leaves.
		var subj api.SubjectRecord
		call(t, env, http.MethodGet, "/v1/subject", u.Token, nil, http.StatusOK, &subj)
		moved := subj.Subject
		moved.OfficeAddress.AreaCode, moved.OfficeAddress.Detail = "110108", "中关村大街1号8层"
		call(t, env, http.MethodPost, "/v1/subject/amendments", u.Token, api.SubjectWrite{Subject: moved}, http.StatusOK, nil, "If-Match", etag(subj.Version))
		call(t, env, http.MethodPost, "/v1/review/subjects/"+u.Account.ID+"/approve", wuhan.Token, nil, http.StatusOK, nil)

		// A cancellation of the site now goes to Beijing.
		call(t, env, http.MethodPost, "/v1/sites/"+d.ID+"/cancel", u.Token, api.CancelRequest{Reason: "停止运营"}, http.StatusOK, nil)
		var q api.ReviewQueue
		call(t, env, http.MethodGet, "/v1/review/queue?kind=cancel", beijing.Token, nil, http.StatusOK, &q)
		found := false
		for _, it := range q.Items {
			found = found || it.ID == d.ID
		}
		if !found {
			t.Fatalf("the new area's reviewer does not see the moved subject's cancellation: %+v", q.Items)
		}
		call(t, env, http.MethodGet, "/v1/review/queue?kind=cancel", wuhan.Token, nil, http.StatusOK, &q)
		for _, it := range q.Items {
			if it.ID == d.ID {
				t.Fatal("the old area's reviewer still sees the moved subject's site")
			}
		}
		problem(t, env.Call(t, http.MethodPost, "/v1/review/sites/"+d.ID+"/return", wuhan.Token, api.ReturnRequest{Reason: "x"}), api.CodeForbidden)

		// The public record names the new office; the number is unchanged.
		var pub api.PublicRecord
		call(t, env, http.MethodGet, "/v1/records/"+strings.ReplaceAll(number, " ", ""), "", nil, http.StatusOK, &pub)
		if !strings.HasPrefix(pub.ReviewingOffice, "北京市") || pub.RecordNumber != number {
			t.Errorf("public record %+v: want a Beijing office and the number %s", pub, number)
		}
		call(t, env, http.MethodPost, "/v1/review/sites/"+d.ID+"/approve", beijing.Token, nil, http.StatusOK, nil)
	})
}
