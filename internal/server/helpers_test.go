package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/ident"
	"github.com/beian-dev/beian/internal/server/servertest"
)

// dialects runs fn on a server over SQLite, and over PostgreSQL when
// BEIAN_TEST_POSTGRES_URL is set.
func dialects(t *testing.T, fn func(t *testing.T, start func(t *testing.T, opts ...servertest.Option) *servertest.Env)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, func(t *testing.T, opts ...servertest.Option) *servertest.Env { return servertest.Start(t, opts...) })
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, func(t *testing.T, opts ...servertest.Option) *servertest.Env {
			return servertest.Start(t, append([]servertest.Option{servertest.Postgres()}, opts...)...)
		})
	})
}

var certSeq atomic.Int64

// uniqueSubject is the fixture unit subject (Hongshan, Wuhan: 420111) with a
// certificate number no other test uses.
func uniqueSubject(t testing.TB) filing.Subject {
	t.Helper()
	n := int(certSeq.Add(1))
	s := filingtest.Subject()
	s.CertNumber = uscc(t, n)
	s.Name = fmt.Sprintf("武汉示例%d网络科技有限公司", n)
	return s
}

func uscc(t testing.TB, n int) string {
	t.Helper()
	body := fmt.Sprintf("MA%06d", n)
	oc, err := ident.OrgCodeCheckChar(body)
	if err != nil {
		t.Fatal(err)
	}
	first17 := "91420111" + body + string(oc)
	c, err := ident.USCCCheckChar(first17)
	if err != nil {
		t.Fatal(err)
	}
	return first17 + string(c)
}

// publicSite is the fixture site with public addresses (outside the
// sandbox documentation ranges are refused).
func publicSite(domain string) filing.Site {
	s := filingtest.Site(domain)
	s.IPAddresses = []string{"220.181.38.148", "240e:ff:e020::/48"}
	return s
}

// call sends a request, asserts the status and decodes the answer into out.
func call(t testing.TB, env *servertest.Env, method, path, token string, body any, want int, out any, header ...string) *servertest.Response {
	t.Helper()
	res := env.Call(t, method, path, token, body, header...)
	res.Want(t, want)
	if out != nil {
		res.JSON(t, out)
	}
	return res
}

// problem asserts a problem answer with status and code.
func problem(t testing.TB, res *servertest.Response, code api.Code) api.Problem {
	t.Helper()
	res.Want(t, code.Status())
	p := res.Problem(t)
	if p.Code != code {
		t.Fatalf("code %s, want %s: %s", p.Code, code, res.Body)
	}
	return p
}

func etag(v int) string { return strconv.Quote(strconv.Itoa(v)) }

// filedSponsor registers a sponsor with a submitted subject.
func filedSponsor(t testing.TB, env *servertest.Env, login string) *servertest.User {
	t.Helper()
	u := env.RegisterSponsor(t, login)
	call(t, env, http.MethodPut, "/v1/subject", u.Token, api.SubjectWrite{Subject: uniqueSubject(t)}, http.StatusOK, nil)
	call(t, env, http.MethodPost, "/v1/subject/submit", u.Token, nil, http.StatusOK, nil)
	return u
}

// draftSite creates a draft and returns it.
func draftSite(t testing.TB, env *servertest.Env, u *servertest.User, domain string) api.SiteRecord {
	t.Helper()
	var rec api.SiteRecord
	call(t, env, http.MethodPost, "/v1/sites", u.Token, api.SiteWrite{Site: publicSite(domain)}, http.StatusCreated, &rec)
	return rec
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// outboxHas reports whether a message to `to` contains text.
func outboxHas(t testing.TB, env *servertest.Env, to, text string) bool {
	t.Helper()
	ms, err := env.Store.Outbox(context.Background(), to)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if strings.Contains(m.Body, text) {
			return true
		}
	}
	return false
}

func auditHas(l api.AuditList, action, field, from, to string) bool {
	for _, e := range l.Items {
		if e.Action == action && e.Field == field && e.Old == from && e.New == to {
			return true
		}
	}
	return false
}
