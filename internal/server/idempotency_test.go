package server_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/server/servertest"
)

// TestKeyedPostsRunOnce: the same keyed POST sent twice, or ten times at
// once, creates one thing and answers the first answer every time.
func TestKeyedPostsRunOnce(t *testing.T) {
	dialects(t, func(t *testing.T, start func(t *testing.T, opts ...servertest.Option) *servertest.Env) {
		env := start(t)
		u := filedSponsor(t, env, "keyed")
		body := api.SiteWrite{Site: publicSite("keyed.cn")}
		var first, second api.SiteRecord
		call(t, env, "POST", "/v1/sites", u.Token, body, http.StatusCreated, &first, api.HeaderIdempotencyKey, "create-1")
		call(t, env, "POST", "/v1/sites", u.Token, body, http.StatusCreated, &second, api.HeaderIdempotencyKey, "create-1")
		if first.ID == "" || first.ID != second.ID {
			t.Fatalf("a retried keyed POST created %q and %q", first.ID, second.ID)
		}
		// The same key with another request is refused.
		problem(t, env.Call(t, "POST", "/v1/sites", u.Token, api.SiteWrite{Site: publicSite("other.cn")}, api.HeaderIdempotencyKey, "create-1"), api.CodeIdempotencyConflict)

		// Ten at once with one key: one site.
		var wg sync.WaitGroup
		answers := make([]answer, 10)
		for i := range answers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res := env.Call(t, "POST", "/v1/sites", u.Token, api.SiteWrite{Site: publicSite("burst.cn")}, api.HeaderIdempotencyKey, "burst")
				answers[i] = answer{res.Status, res.Body}
			}()
		}
		wg.Wait()
		for _, a := range answers {
			if a.status != http.StatusCreated || string(a.body) != string(answers[0].body) {
				t.Fatalf("burst answers differ: %d %s / %s", a.status, a.body, answers[0].body)
			}
		}
		var list api.SiteList
		call(t, env, "GET", "/v1/sites", u.Token, nil, http.StatusOK, &list)
		if len(list.Items) != 2 {
			t.Fatalf("%d sites, want 2 (keyed.cn and burst.cn)", len(list.Items))
		}

		// A keyed submission retried gets the first answer, not "already submitted".
		var s1, s2 api.SiteRecord
		call(t, env, "POST", "/v1/sites/"+first.ID+"/submit", u.Token, nil, http.StatusOK, &s1, api.HeaderIdempotencyKey, "submit-1")
		call(t, env, "POST", "/v1/sites/"+first.ID+"/submit", u.Token, nil, http.StatusOK, &s2, api.HeaderIdempotencyKey, "submit-1")
		if s1.Version != s2.Version || s2.State != s1.State {
			t.Fatalf("replayed submission %+v vs %+v", s2, s1)
		}
		problem(t, env.Call(t, "POST", "/v1/sites/"+first.ID+"/submit", u.Token, nil), api.CodeTransitionRefused)

		// Registration, anonymous and keyed: the used SMS code does not make the retry fail.
		mobile := "13912340000"
		call(t, env, "POST", "/v1/sms-codes", "", api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSRegister}, http.StatusAccepted, nil)
		reg := api.RegisterRequest{Login: "twice", Mobile: mobile, SMSCode: env.SMSCode(t, mobile), Password: servertest.Password, Email: "t@example.com"}
		var a1, a2 api.Account
		call(t, env, "POST", "/v1/accounts", "", reg, http.StatusCreated, &a1, api.HeaderIdempotencyKey, "reg-twice")
		call(t, env, "POST", "/v1/accounts", "", reg, http.StatusCreated, &a2, api.HeaderIdempotencyKey, "reg-twice")
		if a1.ID != a2.ID {
			t.Fatalf("two accounts %s %s", a1.ID, a2.ID)
		}
	})
}

// TestStaleIfMatchChangesNothing: a write with an old ETag is refused with
// version_conflict and leaves the record as it was; a write without one is
// refused with precondition_required.
func TestStaleIfMatchChangesNothing(t *testing.T) {
	env := servertest.Start(t)
	w := newWorld(t, env)
	draft := w.draft()
	edited := draft.Site
	edited.Name = "第二版"
	var cur api.SiteRecord
	call(t, env, "PUT", "/v1/sites/"+draft.ID, w.tokens[owner], api.SiteWrite{Site: edited}, http.StatusOK, &cur, "If-Match", etag(draft.Version))

	before := snapshot(t, env)
	stale := draft.Site
	stale.Name = "基于旧版本的修改"
	problem(t, env.Call(t, "PUT", "/v1/sites/"+draft.ID, w.tokens[owner], api.SiteWrite{Site: stale}, "If-Match", etag(draft.Version)), api.CodeVersionConflict)
	problem(t, env.CallUnchecked(t, "PUT", "/v1/sites/"+draft.ID, w.tokens[owner], api.SiteWrite{Site: stale}), api.CodePreconditionRequired)
	problem(t, env.Call(t, "DELETE", "/v1/sites/"+draft.ID, w.tokens[owner], nil, "If-Match", etag(draft.Version)), api.CodeVersionConflict)
	if after := snapshot(t, env); after != before {
		t.Fatalf("a stale write changed the stored data:\n%s", diffLines(before, after))
	}

	rec := w.site(w.recorded())
	amend := rec.Site
	amend.ICPNumber = "鄂ICP备2024099999号-9"
	call(t, env, "POST", "/v1/sites/"+rec.ID+"/amendments", w.tokens[owner], api.AmendRequest{Site: amend}, http.StatusOK, nil, "If-Match", etag(rec.Version))
	before = snapshot(t, env)
	amend.Languages = []filing.Language{"en"}
	problem(t, env.Call(t, "POST", "/v1/sites/"+rec.ID+"/amendments", w.tokens[owner], api.AmendRequest{Site: amend}, "If-Match", etag(rec.Version)), api.CodeVersionConflict)

	subj := must(env.Desk.Subject(w.ctx, w.actors[otherSponsor]))(t)
	problem(t, env.Call(t, "POST", "/v1/subject/amendments", w.tokens[otherSponsor], api.SubjectWrite{Subject: subj.Subject}, "If-Match", etag(subj.Version+7)), api.CodeVersionConflict)

	if after := snapshot(t, env); after != before {
		t.Fatalf("a stale write changed the stored data:\n%s", diffLines(before, after))
	}
	var got api.SiteRecord
	res := call(t, env, "GET", "/v1/sites/"+draft.ID, w.tokens[owner], nil, http.StatusOK, &got)
	if got.Site.Name != "第二版" || res.Header.Get("ETag") != etag(cur.Version) {
		t.Fatalf("after stale writes: name %q, ETag %s", got.Site.Name, res.Header.Get("ETag"))
	}
}
