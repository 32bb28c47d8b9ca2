package server_test

import (
	"net/http"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/server/servertest"
)

// Issue 9 item 5: a draft subject with someone else's certificate number
// reserves nothing. The owner files and submits all the same; the reviewer
// sees both claims and approves one; the other's approval is refused; the
// squatter's draft is pushed none of the owner's earlier filings.
func TestAttackCertificateSquatting(t *testing.T) {
	servertest.Databases(t, func(t *testing.T, db servertest.Option) {
		env := servertest.Start(t, db)
		squatter := env.RegisterSponsor(t, "squatter")
		owner := env.RegisterSponsor(t, "cert-owner-5")
		admin := env.CreateAdmin(t, "squat-admin")
		reviewer := env.CreateReviewer(t, "squat-reviewer", "42")
		subj := uniqueSubject(t)
		call(t, env, http.MethodPut, "/v1/subject", squatter.Token, api.SubjectWrite{Subject: subj}, http.StatusOK, nil)
		call(t, env, http.MethodPost, "/v1/subject/submit", squatter.Token, nil, http.StatusOK, nil)
		// An earlier filing of the owner's certificate is not pushed to a
		// subject nobody approved.
		call(t, env, http.MethodPost, "/v1/admin/imports", admin.Token, []byte("owners-old.cn,42011102000666,"+subj.CertNumber+",旧站\n"), http.StatusOK, nil, "Content-Type", "text/csv")
		var list api.SiteList
		call(t, env, http.MethodGet, "/v1/sites?state=unrecorded", squatter.Token, nil, http.StatusOK, &list)
		if len(list.Items) != 0 {
			t.Fatalf("the squatter's unapproved subject was pushed %d earlier filings", len(list.Items))
		}

		// The owner is not locked out.
		call(t, env, http.MethodPut, "/v1/subject", owner.Token, api.SubjectWrite{Subject: subj}, http.StatusOK, nil)
		call(t, env, http.MethodPost, "/v1/subject/submit", owner.Token, nil, http.StatusOK, nil)

		// The reviewer sees the competing claim on each item.
		var q api.ReviewQueue
		call(t, env, http.MethodGet, "/v1/review/queue?kind=subject", reviewer.Token, nil, http.StatusOK, &q)
		seen := 0
		for _, it := range q.Items {
			if it.ID == owner.Account.ID || it.ID == squatter.Account.ID {
				if len(it.Competing) != 1 || it.Competing[0].AccountID == it.ID {
					t.Errorf("item %s competing %+v, want the other account's subject", it.ID, it.Competing)
				}
				seen++
			}
		}
		if seen != 2 {
			t.Fatalf("%d of the two competing subjects in the queue", seen)
		}
		call(t, env, http.MethodPost, "/v1/review/subjects/"+owner.Account.ID+"/approve", reviewer.Token, nil, http.StatusOK, nil)
		problem(t, env.Call(t, http.MethodPost, "/v1/review/subjects/"+squatter.Account.ID+"/approve", reviewer.Token, nil), api.CodeSubjectTaken)
		// Once approved, the owner's number is held: a new draft with it is
		// refused at once, and the earlier filing went to the owner.
		third := env.RegisterSponsor(t, "squatter-2")
		problem(t, env.Call(t, http.MethodPut, "/v1/subject", third.Token, api.SubjectWrite{Subject: subj}), api.CodeSubjectTaken)
		call(t, env, http.MethodGet, "/v1/sites?state=unrecorded", owner.Token, nil, http.StatusOK, &list)
		if len(list.Items) != 1 {
			t.Errorf("the approved owner has %d unrecorded filings, want its earlier one", len(list.Items))
		}
	})
}
