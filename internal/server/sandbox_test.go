package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/server/servertest"
)

// TestSandboxReviewsAndReturns: in the sandbox, .test domains may be filed,
// POST /v1/sandbox/review decides what is due, domains under return.test
// come back with a reason, and the outbox shows every message.
func TestSandboxReviewsAndReturns(t *testing.T) {
	env := servertest.Start(t, servertest.Sandbox(platform.SandboxOptions{}))
	u := filedSponsor(t, env, "tester")
	var ok, back api.SiteRecord
	call(t, env, "POST", "/v1/sites", u.Token, api.SiteWrite{Site: filingtest.Site("shop.test")}, http.StatusCreated, &ok)
	call(t, env, "POST", "/v1/sites/"+ok.ID+"/submit", u.Token, nil, http.StatusOK, &ok)
	call(t, env, "POST", "/v1/sites", u.Token, api.SiteWrite{Site: filingtest.Site("shop.return.test")}, http.StatusCreated, &back)
	call(t, env, "POST", "/v1/sites/"+back.ID+"/submit", u.Token, nil, http.StatusOK, &back)

	call(t, env, "POST", "/v1/sandbox/review", "", nil, http.StatusNoContent, nil)
	call(t, env, "GET", "/v1/sites/"+ok.ID, u.Token, nil, http.StatusOK, &ok)
	call(t, env, "GET", "/v1/sites/"+back.ID, u.Token, nil, http.StatusOK, &back)
	if ok.State != filing.StateRecorded || !recordNumberFormat.MatchString(ok.RecordNumber) {
		t.Fatalf("shop.test: %s %q", ok.State, ok.RecordNumber)
	}
	if back.State != filing.StateReturned || back.ReturnReason != platform.ReturnReason {
		t.Fatalf("shop.return.test: %s %q", back.State, back.ReturnReason)
	}
	var out api.OutboxList
	call(t, env, "GET", "/v1/sandbox/outbox?to="+u.Mobile, "", nil, http.StatusOK, &out)
	texts := ""
	for _, m := range out.Items {
		texts += m.Body + "\n"
	}
	if !strings.Contains(texts, ok.RecordNumber) || !strings.Contains(texts, "return.test") {
		t.Fatalf("outbox lacks the approval or the return:\n%s", texts)
	}
}
