package faulttest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/beian-dev/beian/docs"
	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/datagen"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/server"
	"github.com/beian-dev/beian/internal/store/sqlstore"
)

// The fuzz targets send arbitrary bodies to every route that decodes one,
// through the real handler (server.New over a desk over SQLite) with an
// httptest.ResponseRecorder. Whatever the body, the answer must be a
// status below 500 and, when it is an error, problem+json with a code; a
// panic fails the target with its stack. Routes that share a decoder
// family share a target; the first input byte picks the route.

// fuzzFixture is one desk and handler per test process (each fuzzing
// worker process builds its own).
type fuzzFixture struct {
	h     http.Handler
	plan  *datagen.Plan
	fresh string // a sponsor with no subject yet
	dir   string
}

var (
	fuzzOnce sync.Once
	fuzzFix  *fuzzFixture
	fuzzErr  error
)

func fixture(f testing.TB) *fuzzFixture {
	f.Helper()
	fuzzOnce.Do(func() { fuzzFix, fuzzErr = newFuzzFixture() })
	if fuzzErr != nil {
		f.Fatal(fuzzErr)
	}
	return fuzzFix
}

func newFuzzFixture() (*fuzzFixture, error) {
	dir, err := os.MkdirTemp("", "faulttest-fuzz")
	if err != nil {
		return nil, err
	}
	fuzzDirs.add(dir)
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(dir, "fuzz.db")
	plan := datagen.NewPlan(datagen.Config{Recorded: 20, Drafts: 20, UnderReview: 20, MinAccounts: 4})
	if _, err := datagen.Fill(ctx, dsn, plan); err != nil {
		return nil, err
	}
	st, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	desk := platform.New(st, platform.Options{CheapPasswordHashing: true, AttachmentDir: filepath.Join(dir, "attachments"),
		SupportEmail: "support@beian.test", PublicURL: "http://127.0.0.1:8080"})
	fx := &fuzzFixture{h: server.New(desk, server.Options{OpenAPI: docs.OpenAPI}), plan: plan, dir: dir}

	// A sponsor without a subject, registered as a user would be.
	const mobile, password = "13712345678", "correct-horse-battery-9"
	if err := desk.SendSMSCode(ctx, platform.Actor{}, api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSRegister}); err != nil {
		return nil, err
	}
	msgs, err := st.Outbox(ctx, mobile)
	if err != nil || len(msgs) == 0 {
		return nil, fmt.Errorf("no SMS code in the outbox: %v", err)
	}
	if _, err := desk.Register(ctx, platform.Actor{}, api.RegisterRequest{Login: "fresh", Mobile: mobile, SMSCode: msgs[len(msgs)-1].Code,
		Password: password, Email: "fresh@example.com"}); err != nil {
		return nil, err
	}
	sess, err := desk.Login(ctx, platform.Actor{Addr: "127.0.0.1"}, api.LoginRequest{Login: "fresh", Password: password})
	if err != nil {
		return nil, err
	}
	fx.fresh = sess.Token
	return fx, nil
}

// dirList is the temporary directories of the fixtures, removed by TestMain.
type dirList struct {
	sync.Mutex
	dirs []string
}

var fuzzDirs dirList

func (d *dirList) add(dir string) {
	d.Lock()
	d.dirs = append(d.dirs, dir)
	d.Unlock()
}

func removeFuzzDirs() {
	fuzzDirs.Lock()
	defer fuzzDirs.Unlock()
	for _, d := range fuzzDirs.dirs {
		os.RemoveAll(d)
	}
}

// fuzzRoute is one route that decodes a body.
type fuzzRoute struct {
	method, path string
	token        func(fx *fuzzFixture) string
	ctype        string
	header       []string
}

func sponsor(fx *fuzzFixture) string  { return fx.plan.Token(0) }
func admin(fx *fuzzFixture) string    { return fx.plan.AdminToken() }
func freshOne(fx *fuzzFixture) string { return fx.fresh }
func anonymous(*fuzzFixture) string   { return "" }

// siteOf returns the ID of the first generated site of a kind owned by
// account 0 (whose token sponsor() is).
func siteOf(plan *datagen.Plan, k datagen.SiteKind) string {
	lo, hi := plan.Range(k)
	for i := lo; i < hi; i++ {
		if plan.AccountOf(i) == 0 {
			return plan.SiteID(i)
		}
	}
	return plan.SiteID(lo)
}

// serve sends one request through the handler and checks the answer.
func (fx *fuzzFixture) serve(t *testing.T, rt fuzzRoute, path string, body []byte) {
	t.Helper()
	req, err := http.NewRequest(rt.method, "http://127.0.0.1:8080"+path, bytes.NewReader(body))
	if err != nil {
		return // not a request any client could send
	}
	req.RemoteAddr = "127.0.0.1:40000"
	if tok := rt.token(fx); tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if rt.ctype != "" {
		req.Header.Set("Content-Type", rt.ctype)
	}
	for i := 0; i+1 < len(rt.header); i += 2 {
		req.Header.Set(rt.header[i], rt.header[i+1])
	}
	rec := httptest.NewRecorder()
	fx.h.ServeHTTP(rec, req)
	if rec.Code >= 500 || rec.Code < 100 {
		t.Fatalf("%s %s answered %d for body %q:\n%s", rt.method, path, rec.Code, clip(body), rec.Body.String())
	}
	if rec.Code >= 400 {
		var p api.Problem
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, api.ContentTypeProblem) {
			t.Fatalf("%s %s: %d with Content-Type %q", rt.method, path, rec.Code, ct)
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Code == "" {
			t.Fatalf("%s %s: %d problem without a code: %s", rt.method, path, rec.Code, rec.Body.String())
		}
	}
}

func clip(b []byte) []byte {
	if len(b) > 300 {
		return b[:300]
	}
	return b
}

// fuzzJSON is the body of one fuzz target over a family of JSON routes.
func fuzzJSON(f *testing.F, routes func(fx *fuzzFixture) []fuzzRoute, seeds []any) {
	fx := fixture(f)
	rs := routes(fx)
	generic := []string{"", "{}", "null", "[]", `{"unknown":1}`, `{"a":`, `"str"`, "{}{}", `{"x":1e999}`,
		strings.Repeat("[", 1000), `{"` + strings.Repeat("a", 300) + `":true}`, "\xff\xfe{}"}
	for i := range rs {
		for _, s := range generic {
			f.Add(uint8(i), []byte(s))
		}
		for _, s := range seeds {
			b, err := json.Marshal(s)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(uint8(i), b)
		}
	}
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		rt := rs[int(route)%len(rs)]
		fx.serve(t, rt, rt.path, body)
	})
}

func jsonRoute(method, path string, token func(*fuzzFixture) string, header ...string) fuzzRoute {
	return fuzzRoute{method: method, path: path, token: token, ctype: "application/json", header: header}
}

// FuzzAccountBodies: SMS codes, registration, login, password reset,
// email verification.
func FuzzAccountBodies(f *testing.F) {
	fuzzJSON(f, func(*fuzzFixture) []fuzzRoute {
		return []fuzzRoute{
			jsonRoute("POST", "/v1/sms-codes", anonymous),
			jsonRoute("POST", "/v1/accounts", anonymous, api.HeaderIdempotencyKey, "fuzz-register"),
			jsonRoute("POST", "/v1/sessions", anonymous),
			jsonRoute("POST", "/v1/password-resets", anonymous),
			jsonRoute("POST", "/v1/account/email-verification", sponsor),
		}
	}, []any{
		api.SMSCodeRequest{Mobile: "13812345678", Purpose: api.SMSRegister},
		api.RegisterRequest{Login: "someone", Mobile: "13812345678", SMSCode: "123456", Password: "correct-horse-battery-9", Email: "a@example.com"},
		api.LoginRequest{Login: "fresh", Password: "wrong"},
		api.PasswordResetRequest{Mobile: "13712345678", SMSCode: "000000", NewPassword: "another-horse-battery-7"},
		api.EmailVerifyRequest{Code: "123456"},
	})
}

// FuzzSubjectBodies: the subject, new and amended.
func FuzzSubjectBodies(f *testing.F) {
	fuzzJSON(f, func(*fuzzFixture) []fuzzRoute {
		return []fuzzRoute{
			jsonRoute("PUT", "/v1/subject", freshOne),
			jsonRoute("PUT", "/v1/subject", sponsor, "If-Match", `"3"`),
			jsonRoute("POST", "/v1/subject/amendments", sponsor, "If-Match", `"3"`),
		}
	}, []any{
		api.SubjectWrite{Subject: datagen.NewPlan(datagen.Config{}).Subject(0)},
		api.SubjectWrite{Subject: filing.Subject{Kind: filing.KindIndividual, Name: "李示例"}},
	})
}

// FuzzSiteBodies: new drafts (real and dry runs), edits, amendments,
// cancellations, claims.
func FuzzSiteBodies(f *testing.F) {
	fx := fixture(f)
	site := fx.plan.NewSite(0, fx.plan.FreshDomain(1))
	fuzzJSON(f, func(fx *fuzzFixture) []fuzzRoute {
		draft, recorded := siteOf(fx.plan, datagen.Draft), siteOf(fx.plan, datagen.Recorded)
		return []fuzzRoute{
			jsonRoute("POST", "/v1/sites", sponsor),
			jsonRoute("POST", "/v1/sites?dry_run=true", sponsor),
			jsonRoute("PUT", "/v1/sites/"+draft, sponsor, "If-Match", `"1"`),
			jsonRoute("POST", "/v1/sites/"+recorded+"/amendments", sponsor, "If-Match", `"3"`),
			jsonRoute("POST", "/v1/sites/"+recorded+"/cancel", sponsor),
			jsonRoute("POST", "/v1/sites/"+recorded+"/claim", sponsor),
		}
	}, []any{
		api.SiteWrite{Site: site},
		api.AmendRequest{Site: site, ApplyNonKeyNow: true},
		api.CancelRequest{Reason: "网站停止运营"},
		api.ClaimRequest{OldRecordNumber: "京公网安备110102000247"},
	})
}

// FuzzDomainChecks: the batch check's body and the single check's path.
func FuzzDomainChecks(f *testing.F) {
	fx := fixture(f)
	for _, s := range []string{"example.com", "中国移动.中国", "xn--fiqs8s", "a..b", strings.Repeat("a", 300) + ".com", "%2F", "127.0.0.1", fx.plan.Domain(0)} {
		f.Add(uint8(1), []byte(s))
		b, _ := json.Marshal(api.DomainCheckRequest{Domains: []string{s, fx.plan.Domain(1)}})
		f.Add(uint8(0), b)
	}
	f.Add(uint8(0), []byte(`{"domains":[]}`))
	f.Add(uint8(0), []byte(`{"domains":[1,2]}`))
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		if route%2 == 0 {
			fx.serve(t, jsonRoute("POST", "/v1/domain-checks", sponsor), "/v1/domain-checks", body)
			return
		}
		fx.serve(t, fuzzRoute{method: "GET", token: sponsor}, "/v1/domain-checks/"+url.PathEscape(string(body)), nil)
	})
}

// FuzzReviewBodies: returns with a reason, and the admin's new users.
func FuzzReviewBodies(f *testing.F) {
	fuzzJSON(f, func(fx *fuzzFixture) []fuzzRoute {
		return []fuzzRoute{
			jsonRoute("POST", "/v1/review/sites/"+siteOf(fx.plan, datagen.UnderReview)+"/return", admin),
			jsonRoute("POST", "/v1/review/subjects/"+fx.plan.AccountID(1)+"/return", admin),
			jsonRoute("POST", "/v1/admin/users", admin),
		}
	}, []any{
		api.ReturnRequest{Reason: "网站名称与实际不符"},
		api.UserCreateRequest{Login: "reviewer1", Mobile: "13612345678", Email: "r@police.example", Password: "correct-horse-battery-9", Role: api.RoleReviewer, AreaPrefix: "4201"},
	})
}

// FuzzImportCSV: the admin's CSV import of earlier filings.
func FuzzImportCSV(f *testing.F) {
	fx := fixture(f)
	for _, s := range []string{
		"",
		"domain,old_record_number,subject_cert,site_name\n",
		"domain,old_record_number,subject_cert,site_name\nexample.com,京公网安备11010202000001号,91420111MA4K00010P,示例\n",
		"example.org,京公网安备110102000247,,旧站\n\"quoted,name\",x,y,z\n",
		"a,b\n\"unterminated\n",
		fx.plan.Domain(0) + ",鄂公网安备 42011102000410号," + fx.plan.Subject(0).CertNumber + ",重复\n",
		"\xef\xbb\xbfdomain,old_record_number,subject_cert,site_name\r\nxn--fiqs8s,,,\r\n",
	} {
		f.Add([]byte(s))
	}
	rt := fuzzRoute{method: "POST", path: "/v1/admin/imports", token: admin, ctype: "text/csv"}
	f.Fuzz(func(t *testing.T, body []byte) {
		fx.serve(t, rt, rt.path, body)
	})
}

// FuzzAttachment: uploads, typed by their content.
func FuzzAttachment(f *testing.F) {
	fx := fixture(f)
	for _, s := range []string{"", "%PDF-1.4\n%%EOF\n", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "\xff\xd8\xff\xe0\x00\x10JFIF", "<html>", "GIF89a"} {
		f.Add([]byte(s))
	}
	rt := fuzzRoute{method: "POST", path: "/v1/attachments", token: sponsor, ctype: "application/octet-stream"}
	f.Fuzz(func(t *testing.T, body []byte) {
		fx.serve(t, rt, rt.path, body)
	})
}
