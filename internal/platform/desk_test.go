package platform_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/sms"
	"github.com/beian-dev/beian/internal/store"
)

func TestRegistrationCodeIsSingleUseAndLimited(t *testing.T) {
	f := newFixture(t, platform.Options{})
	mobile := newMobile()
	anon := platform.Actor{}
	must(struct{}{}, f.desk.SendSMSCode(f.ctx, anon, api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSRegister}))(t)
	code := f.lastCode(mobile)
	if len(code) != 6 {
		t.Fatalf("code %q, want six digits", code)
	}
	// Asking again within a minute is refused.
	wantCode(t, f.desk.SendSMSCode(f.ctx, anon, api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSRegister}), api.CodeRateLimited)

	req := api.RegisterRequest{Login: "zhang", Mobile: mobile, SMSCode: wrong(code), Password: "correct horse battery", Email: "z@example.com"}
	for range 4 {
		_, err := f.desk.Register(f.ctx, anon, req)
		wantCode(t, err, api.CodeSMSCodeInvalid)
	}
	// The fifth wrong guess uses the code up: even the right one fails now.
	_, err := f.desk.Register(f.ctx, anon, req)
	wantCode(t, err, api.CodeSMSCodeInvalid)
	req.SMSCode = code
	_, err = f.desk.Register(f.ctx, anon, req)
	wantCode(t, err, api.CodeSMSCodeInvalid)

	f.clock.Add(2 * time.Minute)
	must(struct{}{}, f.desk.SendSMSCode(f.ctx, anon, api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSRegister}))(t)
	req.SMSCode = f.lastCode(mobile)
	acc := must(f.desk.Register(f.ctx, anon, req))(t)
	if acc.Role != api.RoleSponsor || acc.Mobile != mobile {
		t.Fatalf("account %+v", acc)
	}
	// The code was consumed.
	_, err = f.desk.Register(f.ctx, anon, api.RegisterRequest{Login: "zhang2", Mobile: mobile, SMSCode: req.SMSCode, Password: "correct horse battery", Email: "z@example.com"})
	wantCode(t, err, api.CodeSMSCodeInvalid)
	// A registered number gets no second registration code, but the answer
	// is the same as for a new number: the owner is told by text instead.
	f.clock.Add(10 * time.Minute)
	must(struct{}{}, f.desk.SendSMSCode(f.ctx, anon, api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSRegister}))(t)
	if m := f.lastMessage(mobile); m.Code != "" || !strings.Contains(m.Body, "already has an account") {
		t.Fatalf("a registered number got %+v, want a notice without a code", m)
	}
}

// Issue 10: a login name found taken can be corrected with the same code
// (the mobile is proven: only then is a taken name told), but a code is no
// key for trying names without end: five refusals use it up.
func TestTakenLoginKeepsTheCodeForAFewCorrections(t *testing.T) {
	f := newFixture(t, platform.Options{})
	f.sponsor("taken")
	anon := platform.Actor{}
	register := func(login, mobile, code string) error {
		_, err := f.desk.Register(f.ctx, anon, api.RegisterRequest{Login: login, Mobile: mobile, SMSCode: code, Password: "correct horse battery", Email: "n@example.com"})
		return err
	}

	mobile := newMobile()
	must(struct{}{}, f.desk.SendSMSCode(f.ctx, anon, api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSRegister}))(t)
	code := f.lastCode(mobile)
	wantCode(t, register("taken", mobile, code), api.CodeLoginTaken)
	if err := register("corrected", mobile, code); err != nil {
		t.Fatalf("the same code after a taken login name: %v", err)
	}
	wantCode(t, register("corrected-again", mobile, code), api.CodeSMSCodeInvalid) // used by the account

	prober := newMobile()
	must(struct{}{}, f.desk.SendSMSCode(f.ctx, anon, api.SMSCodeRequest{Mobile: prober, Purpose: api.SMSRegister}))(t)
	code = f.lastCode(prober)
	for range 5 {
		wantCode(t, register("taken", prober, code), api.CodeLoginTaken)
	}
	wantCode(t, register("taken", prober, code), api.CodeSMSCodeInvalid)
	wantCode(t, register("free-name", prober, code), api.CodeSMSCodeInvalid)
}

func wrong(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

func TestRegisterListsEveryBadField(t *testing.T) {
	f := newFixture(t, platform.Options{})
	_, err := f.desk.Register(f.ctx, platform.Actor{}, api.RegisterRequest{Login: "x", Mobile: "12345", Password: "short", Email: "not-an-email"})
	p := wantProblem(t, err, api.CodeValidationFailed)
	got := map[string]bool{}
	for _, e := range p.Errors {
		got[e.Field] = true
	}
	for _, field := range []string{"login", "mobile", "email", "password", "sms_code"} {
		if !got[field] {
			t.Errorf("no error for %s in %+v", field, p.Errors)
		}
	}
}

type blacklistSender struct{}

func (blacklistSender) Send(context.Context, sms.Message) error { return sms.ErrBlacklisted }

func TestBlacklistedNumberNamesTheSupportAddress(t *testing.T) {
	f := newFixture(t, platform.Options{SMS: blacklistSender{}, SupportEmail: "help@beian.example"})
	err := f.desk.SendSMSCode(f.ctx, platform.Actor{}, api.SMSCodeRequest{Mobile: newMobile(), Purpose: api.SMSRegister})
	p := wantProblem(t, err, api.CodeSMSBlacklisted)
	if !strings.Contains(p.Detail, "help@beian.example") {
		t.Fatalf("detail %q does not name the support address", p.Detail)
	}
}

func TestSessionsExpireAndLogOut(t *testing.T) {
	f := newFixture(t, platform.Options{SessionTTL: time.Hour})
	f.sponsor("lili")
	sess := must(f.desk.Login(f.ctx, platform.Actor{Addr: "10.0.0.1"}, api.LoginRequest{Login: "lili", Password: "correct horse battery"}))(t)
	a := must(f.desk.Authenticate(f.ctx, sess.Token))(t)
	if a.Role != api.RoleSponsor {
		t.Fatalf("actor %+v", a)
	}
	_, err := f.desk.Login(f.ctx, platform.Actor{Addr: "10.0.0.1"}, api.LoginRequest{Login: "lili", Password: "wrong password"})
	wantCode(t, err, api.CodeUnauthenticated)
	_, err = f.desk.Authenticate(f.ctx, sess.Token+"x")
	wantCode(t, err, api.CodeUnauthenticated)

	f.clock.Add(2 * time.Hour)
	_, err = f.desk.Authenticate(f.ctx, sess.Token)
	wantCode(t, err, api.CodeTokenExpired)

	sess = must(f.desk.Login(f.ctx, platform.Actor{Addr: "10.0.0.1"}, api.LoginRequest{Login: "lili", Password: "correct horse battery"}))(t)
	a = must(f.desk.Authenticate(f.ctx, sess.Token))(t)
	must(struct{}{}, f.desk.Logout(f.ctx, a, sess.Token))(t)
	_, err = f.desk.Authenticate(f.ctx, sess.Token)
	wantCode(t, err, api.CodeUnauthenticated)
}

// Issue 9 item 7: ten wrong passwords from one address stop that address,
// not the owner. The owner's address that signed in before is not slowed at
// all; a new address waits a LoginSlowdown between attempts.
func TestLoginFloodDoesNotLockOutTheOwner(t *testing.T) {
	f := newFixture(t, platform.Options{})
	f.sponsor("wang") // signs in from 127.0.0.1
	attacker := platform.Actor{Addr: "203.0.113.66"}
	for range 10 {
		_, err := f.desk.Login(f.ctx, attacker, api.LoginRequest{Login: "wang", Password: "guess guess"})
		wantCode(t, err, api.CodeUnauthenticated)
	}
	// The attacker's address is stopped, even with the right password.
	_, err := f.desk.Login(f.ctx, attacker, api.LoginRequest{Login: "wang", Password: "correct horse battery"})
	p := wantProblem(t, err, api.CodeRateLimited)
	if p.RetryAfter < 60 {
		t.Errorf("the guessing address may retry after %ds", p.RetryAfter)
	}
	// The owner, from where they signed in before: at once.
	must(f.desk.Login(f.ctx, platform.Actor{Addr: "127.0.0.1"}, api.LoginRequest{Login: "wang", Password: "correct horse battery"}))(t)
	// From a new address: slowed down, not locked out.
	_, err = f.desk.Login(f.ctx, platform.Actor{Addr: "198.51.100.5"}, api.LoginRequest{Login: "wang", Password: "correct horse battery"})
	p = wantProblem(t, err, api.CodeRateLimited)
	if p.RetryAfter > 2 {
		t.Errorf("a new address waits %ds, want at most the 2s slowdown", p.RetryAfter)
	}
	f.clock.Add(2 * time.Second)
	must(f.desk.Login(f.ctx, platform.Actor{Addr: "198.51.100.5"}, api.LoginRequest{Login: "wang", Password: "correct horse battery"}))(t)
	// Other addresses guessing together get one try per slowdown.
	tried := 0
	for i := range 20 {
		_, err := f.desk.Login(f.ctx, platform.Actor{Addr: fmt.Sprintf("203.0.113.%d", 100+i)}, api.LoginRequest{Login: "wang", Password: "guess guess"})
		if errors.As(err, &p) && p.Code == api.CodeUnauthenticated {
			tried++
		}
	}
	if tried > 1 {
		t.Errorf("20 new addresses at one instant had %d passwords checked, want 1", tried)
	}
	f.clock.Add(16 * time.Minute)
	must(f.desk.Login(f.ctx, attacker, api.LoginRequest{Login: "wang", Password: "correct horse battery"}))(t)
}

// Spraying one password over many logins from one address is stopped there.
func TestLoginSprayIsLimitedPerAddress(t *testing.T) {
	f := newFixture(t, platform.Options{})
	spray := platform.Actor{Addr: "203.0.113.77"}
	limited := -1
	for i := range 40 {
		_, err := f.desk.Login(f.ctx, spray, api.LoginRequest{Login: fmt.Sprintf("user%02d", i), Password: "Summer2026!"})
		var p *api.Problem
		if errors.As(err, &p) && p.Code == api.CodeRateLimited {
			limited = i
			break
		}
	}
	if limited != platform.DefaultLimits().LoginFailuresPerAddress {
		t.Errorf("spraying was limited at attempt %d, want %d", limited, platform.DefaultLimits().LoginFailuresPerAddress)
	}
}

// A login name longer than any valid one is refused before it is counted:
// the limiter's memory does not grow with an attacker's names.
func TestLongLoginNamesAreNotCounted(t *testing.T) {
	f := newFixture(t, platform.Options{})
	for i := range 100 {
		_, err := f.desk.Login(f.ctx, platform.Actor{Addr: "203.0.113.88"}, api.LoginRequest{Login: strings.Repeat("x", 1000) + fmt.Sprint(i), Password: "guess guess"})
		wantCode(t, err, api.CodeUnauthenticated)
	}
	if n := platform.LoginLimiterKeys(f.desk); n != 0 {
		t.Errorf("the limiter holds %d keys for names no account can have", n)
	}
	_, _ = f.desk.Login(f.ctx, platform.Actor{Addr: "203.0.113.88"}, api.LoginRequest{Login: "someone", Password: "guess guess"})
	if n := platform.LoginLimiterKeys(f.desk); n == 0 {
		t.Fatal("a failed sign-in left no count")
	}
	f.clock.Add(time.Hour)
	must(f.desk.Sweep(f.ctx))(t)
	if n := platform.LoginLimiterKeys(f.desk); n != 0 {
		t.Errorf("the sweep left %d limiter keys after their window", n)
	}
}

// A burst of wrong passwords sent at once must not slip past the limit
// while every hash is still running: at most the limit's worth are checked,
// the rest are refused before any hashing.
func TestConcurrentLoginBurstIsRateLimited(t *testing.T) {
	f := newFixture(t, platform.Options{})
	f.sponsor("burst")
	const n = 40
	var wg sync.WaitGroup
	var limited, refused atomic.Int32
	for range n {
		wg.Go(func() {
			_, err := f.desk.Login(f.ctx, platform.Actor{Addr: "10.9.9.9"}, api.LoginRequest{Login: "burst", Password: "guess guess"})
			var p *api.Problem
			if errors.As(err, &p) {
				switch p.Code {
				case api.CodeRateLimited:
					limited.Add(1)
				case api.CodeUnauthenticated:
					refused.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if refused.Load() > 10 || limited.Load()+refused.Load() != n {
		t.Fatalf("%d wrong passwords checked, %d rate-limited, of %d; want at most 10 checked", refused.Load(), limited.Load(), n)
	}
}

func TestPasswordReset(t *testing.T) {
	f := newFixture(t, platform.Options{})
	_, mobile := f.sponsor("zhao")
	must(struct{}{}, f.desk.SendSMSCode(f.ctx, platform.Actor{}, api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSResetPassword}))(t)
	must(struct{}{}, f.desk.ResetPassword(f.ctx, platform.Actor{}, api.PasswordResetRequest{Mobile: mobile, SMSCode: f.lastCode(mobile), NewPassword: "a brand new secret"}))(t)
	_, err := f.desk.Login(f.ctx, platform.Actor{Addr: "x"}, api.LoginRequest{Login: "zhao", Password: "correct horse battery"})
	wantCode(t, err, api.CodeUnauthenticated)
	must(f.desk.Login(f.ctx, platform.Actor{Addr: "x"}, api.LoginRequest{Login: "zhao", Password: "a brand new secret"}))(t)
}

func TestEmailVerification(t *testing.T) {
	f := newFixture(t, platform.Options{})
	a, _ := f.sponsor("qian")
	must(struct{}{}, f.desk.SendEmailCode(f.ctx, a))(t)
	err := f.desk.VerifyEmail(f.ctx, a, api.EmailVerifyRequest{Code: wrong(f.lastCode("qian@example.com"))})
	wantCode(t, err, api.CodeSMSCodeInvalid)
	must(struct{}{}, f.desk.VerifyEmail(f.ctx, a, api.EmailVerifyRequest{Code: f.lastCode("qian@example.com")}))(t)
	if acc := must(f.desk.Account(f.ctx, a))(t); !acc.EmailVerified {
		t.Fatal("email not verified")
	}
}

func TestOneCertificateOneAccount(t *testing.T) {
	f := newFixture(t, platform.Options{})
	a, _ := f.sponsor("first")
	b, _ := f.sponsor("second")
	c, _ := f.sponsor("third")
	reviewer := f.staff("one-cert", "42")
	f.subject(a, unitSubject(t, 7))
	// A draft reserves nothing (issue 9 item 5): b may draft the same number.
	f.subject(b, unitSubject(t, 7))
	must(f.desk.ApproveSubject(f.ctx, reviewer, a.AccountID))(t)
	// Once a's is approved, the number is a's: the others are refused.
	_, err := f.desk.PutSubject(f.ctx, c, 0, api.SubjectWrite{Subject: unitSubject(t, 7)})
	wantCode(t, err, api.CodeSubjectTaken)
	_, err = f.desk.ApproveSubject(f.ctx, reviewer, b.AccountID)
	wantCode(t, err, api.CodeSubjectTaken)
}

func TestSubjectVersionsAndStates(t *testing.T) {
	f := newFixture(t, platform.Options{})
	a, _ := f.sponsor("sun")
	reviewer := f.staff("hubei", "42")
	rec := must(f.desk.PutSubject(f.ctx, a, 0, api.SubjectWrite{Subject: unitSubject(t, 2)}))(t)
	s := unitSubject(t, 2)
	s.Remarks = "第二版"
	_, err := f.desk.PutSubject(f.ctx, a, 0, api.SubjectWrite{Subject: s})
	wantCode(t, err, api.CodePreconditionRequired)
	_, err = f.desk.PutSubject(f.ctx, a, rec.Version+1, api.SubjectWrite{Subject: s})
	wantCode(t, err, api.CodeVersionConflict)
	if got := must(f.desk.Subject(f.ctx, a))(t); got.Subject.Remarks != "" || got.Version != rec.Version {
		t.Fatalf("a stale write changed the subject: %+v", got)
	}
	rec = must(f.desk.PutSubject(f.ctx, a, rec.Version, api.SubjectWrite{Subject: s}))(t)
	must(f.desk.SubmitSubject(f.ctx, a))(t)
	// Returned with a reason: notification and SMS, then edit and resubmit.
	_, err = f.desk.ReturnSubject(f.ctx, reviewer, a.AccountID, api.ReturnRequest{Reason: ""})
	wantCode(t, err, api.CodeValidationFailed)
	ret := must(f.desk.ReturnSubject(f.ctx, reviewer, a.AccountID, api.ReturnRequest{Reason: "营业执照照片不清晰"}))(t)
	if ret.State != filing.SubjectReturned || ret.ReturnReason != "营业执照照片不清晰" {
		t.Fatalf("returned subject %+v", ret)
	}
	ns := must(f.desk.Notifications(f.ctx, a, true, store.Page{}))(t)
	if len(ns.Items) != 1 || !strings.Contains(ns.Items[0].Body, "营业执照照片不清晰") {
		t.Fatalf("notifications %+v", ns.Items)
	}
	rec = must(f.desk.Subject(f.ctx, a))(t)
	rec = must(f.desk.PutSubject(f.ctx, a, rec.Version, api.SubjectWrite{Subject: unitSubject(t, 2)}))(t)
	must(f.desk.SubmitSubject(f.ctx, a))(t)
	if got := must(f.desk.ApproveSubject(f.ctx, reviewer, a.AccountID))(t); got.State != filing.SubjectApproved {
		t.Fatalf("state %s", got.State)
	}
	// Approved: PUT is refused, non-key amendments apply at once, key ones
	// wait for review (TestSubjectKeyChangeIsReviewed).
	rec = must(f.desk.Subject(f.ctx, a))(t)
	_, err = f.desk.PutSubject(f.ctx, a, rec.Version, api.SubjectWrite{Subject: s})
	wantCode(t, err, api.CodeTransitionRefused)
	amend := unitSubject(t, 2)
	amend.OfficePhone = "027-88886666"
	got := must(f.desk.AmendSubject(f.ctx, a, rec.Version, api.SubjectWrite{Subject: amend}))(t)
	if got.Subject.OfficePhone != "027-88886666" || got.State != filing.SubjectApproved {
		t.Fatalf("non-key amendment not applied: %+v", got)
	}
	amend.Name = "改名后的公司"
	got = must(f.desk.AmendSubject(f.ctx, a, got.Version, api.SubjectWrite{Subject: amend}))(t)
	if got.State != filing.SubjectChangeUnderReview || got.Subject.Name == amend.Name {
		t.Fatalf("key amendment: %+v", got)
	}
}

func TestReviewersSeeOnlyTheirArea(t *testing.T) {
	f := newFixture(t, platform.Options{})
	a, _ := f.sponsor("zhou")
	f.subject(a, unitSubject(t, 3))
	f.clock.Add(time.Second)
	site := f.submitted(a, "zhou.cn")
	wuhan := f.staff("wuhan", "4201")
	beijing := f.staff("beijing", "11")
	admin := f.staff("root", "")

	q := must(f.desk.ReviewQueue(f.ctx, wuhan, "", store.Page{}))(t)
	if len(q.Items) != 2 || q.Items[0].Kind != api.ReviewSubject || q.Items[1].Kind != api.ReviewSite {
		t.Fatalf("wuhan queue %+v, want the subject then the site", q.Items)
	}
	if q.Items[1].Domain != "zhou.cn" || q.Items[1].SubjectName == "" {
		t.Fatalf("site item %+v", q.Items[1])
	}
	if q := must(f.desk.ReviewQueue(f.ctx, beijing, "", store.Page{}))(t); len(q.Items) != 0 {
		t.Fatalf("beijing sees %+v", q.Items)
	}
	if q := must(f.desk.ReviewQueue(f.ctx, admin, "site", store.Page{}))(t); len(q.Items) != 1 {
		t.Fatalf("admin site queue %+v", q.Items)
	}
	_, err := f.desk.ApproveSubject(f.ctx, beijing, a.AccountID)
	wantCode(t, err, api.CodeForbidden)
	_, err = f.desk.Site(f.ctx, beijing, site.ID)
	wantCode(t, err, api.CodeForbidden)
	_, err = f.desk.ReviewQueue(f.ctx, a, "", store.Page{})
	wantCode(t, err, api.CodeForbidden)
	must(f.desk.Site(f.ctx, wuhan, site.ID))(t)
	must(f.desk.Site(f.ctx, admin, site.ID))(t)
}

func TestDomainDuplicates(t *testing.T) {
	f := newFixture(t, platform.Options{})
	a, _ := f.sponsor("alpha")
	b, _ := f.sponsor("bravo")
	f.subject(a, unitSubject(t, 10))
	f.subject(b, unitSubject(t, 11))

	first := must(f.desk.CreateSite(f.ctx, a, api.SiteWrite{Site: site("Example.COM.")}, false))(t)
	if first.Site.PrimaryDomain != "example.com" || first.Domains[0].ASCII != "example.com" {
		t.Fatalf("domain not normalised: %+v", first.Domains)
	}
	// A second draft of the same account points at the first.
	_, err := f.desk.CreateSite(f.ctx, a, api.SiteWrite{Site: site("example.com")}, false)
	p := wantProblem(t, err, api.CodeDomainYours)
	if p.SiteID != first.ID {
		t.Fatalf("domain_yours points at %q, want %q", p.SiteID, first.ID)
	}
	// Drafts reserve nothing: another account may draft it too…
	other := must(f.desk.CreateSite(f.ctx, b, api.SiteWrite{Site: site("example.com")}, false))(t)
	// …but submission reserves: the first to submit wins.
	must(f.desk.SubmitSite(f.ctx, b, other.ID))(t)
	_, err = f.desk.SubmitSite(f.ctx, a, first.ID)
	wantCode(t, err, api.CodeDomainTaken)
	if got := must(f.desk.Site(f.ctx, a, first.ID))(t); got.State != filing.StateDraft {
		t.Fatalf("refused submission changed the draft: %s", got.State)
	}

	// The duplicate check answers each case.
	res := must(f.desk.CheckDomains(f.ctx, a, api.DomainCheckRequest{Domains: []string{"example.com", "free.cn", "EXAMPLE.com", "bad..name", "中国移动.中国"}}))(t)
	want := []api.DomainStatus{api.DomainYours, api.DomainAvailable, api.DomainYours, api.DomainInvalid, api.DomainAvailable}
	for i, r := range res.Results {
		if r.Status != want[i] {
			t.Errorf("%s: %s, want %s", r.Domain, r.Status, want[i])
		}
	}
	if res.Results[0].SiteID != first.ID || !strings.Contains(res.Results[0].Message, "您已经申请过此域名的备案") {
		t.Errorf("yours answer %+v", res.Results[0])
	}
	if res.Results[3].Reason == "" {
		t.Errorf("invalid answer without reason: %+v", res.Results[3])
	}
	if res.Results[4].ASCII != "xn--fiq02ib9d179b.xn--fiqs8s" {
		t.Errorf("IDN answer %+v", res.Results[4])
	}
	c, _ := f.sponsor("charlie")
	r := must(f.desk.CheckDomain(f.ctx, c, "example.com"))(t)
	if r.Status != api.DomainTaken || r.SiteID != "" {
		t.Errorf("third party sees %+v, want taken without site", r)
	}
	_, err = f.desk.CheckDomains(f.ctx, a, api.DomainCheckRequest{Domains: make([]string, api.MaxBatchCheck+1)})
	wantCode(t, err, api.CodeValidationFailed)
}

func TestSiteValidationListsEveryBadField(t *testing.T) {
	f := newFixture(t, platform.Options{})
	a, _ := f.sponsor("delta")
	f.subject(a, unitSubject(t, 12))
	s := site("delta.cn")
	s.ExtraDomains = []string{"www.delta.cn", "bad..x", "-x.cn"}
	s.Registrar.AreaCode = "999999"
	_, err := f.desk.CreateSite(f.ctx, a, api.SiteWrite{Site: s}, false)
	p := wantProblem(t, err, api.CodeValidationFailed)
	fields := map[string]bool{}
	for _, e := range p.Errors {
		fields[e.Field] = true
	}
	for _, want := range []string{"site.extra_domains[1]", "site.extra_domains[2]", "site.registrar.area_code"} {
		if !fields[want] {
			t.Errorf("no error for %s: %+v", want, p.Errors)
		}
	}
	// A dry run validates for submission and stores nothing.
	s = site("delta.cn")
	s.AcceptResponsibility = false
	_, err = f.desk.CreateSite(f.ctx, a, api.SiteWrite{Site: s}, true)
	wantCode(t, err, api.CodeValidationFailed)
	ok := must(f.desk.CreateSite(f.ctx, a, api.SiteWrite{Site: site("delta.cn")}, true))(t)
	if ok.ID != "" {
		t.Fatalf("dry run created %s", ok.ID)
	}
	if l := must(f.desk.ListSites(f.ctx, a, platform.SiteListFilter{}))(t); len(l.Items) != 0 {
		t.Fatalf("dry run stored %d sites", len(l.Items))
	}
}

func TestAmendmentsAndCancellation(t *testing.T) {
	f := newFixture(t, platform.Options{})
	a, _ := f.sponsor("echo")
	reviewer := f.staff("wuhan", "4201")
	f.subject(a, unitSubject(t, 20))
	must(f.desk.ApproveSubject(f.ctx, reviewer, a.AccountID))(t)
	s := f.submitted(a, "echo.cn")
	rec := must(f.desk.ApproveSite(f.ctx, reviewer, s.ID))(t)

	// Non-key: applied at once, audited old → new.
	data := rec.Site
	data.ICPNumber = "鄂ICP备2024099999号-2"
	_, err := f.desk.AmendSite(f.ctx, a, rec.ID, 0, api.AmendRequest{Site: data})
	wantCode(t, err, api.CodePreconditionRequired)
	_, err = f.desk.AmendSite(f.ctx, a, rec.ID, rec.Version-1, api.AmendRequest{Site: data})
	wantCode(t, err, api.CodeVersionConflict)
	res := must(f.desk.AmendSite(f.ctx, a, rec.ID, rec.Version, api.AmendRequest{Site: data}))(t)
	if len(res.Applied) != 1 || res.Applied[0].Field != "site.icp_number" || res.ChangeRequest != nil || res.Site.State != filing.StateRecorded {
		t.Fatalf("non-key amendment %+v", res)
	}
	hist := must(f.desk.SiteHistory(f.ctx, a, rec.ID, store.Page{Limit: 100}))(t)
	if !hasEvent(hist, "amend_nonkey", "site.icp_number", "鄂ICP备2024012345号-1", "鄂ICP备2024099999号-2") {
		t.Fatalf("no audit of the ICP change in %+v", hist.Items)
	}

	// Key: a change request; the site keeps its old name meanwhile.
	data = res.Site.Site
	data.Name = "新名字"
	res = must(f.desk.AmendSite(f.ctx, a, rec.ID, res.Site.Version, api.AmendRequest{Site: data}))(t)
	if res.ChangeRequest == nil || res.Site.State != filing.StateChangeUnderReview || res.Site.Site.Name == "新名字" {
		t.Fatalf("key amendment %+v", res)
	}
	got := must(f.desk.ApproveSite(f.ctx, reviewer, rec.ID))(t)
	if got.State != filing.StateRecorded || got.Site.Name != "新名字" || got.RecordNumber != rec.RecordNumber {
		t.Fatalf("approved change %+v", got)
	}

	// Another key change, returned: old values stay, the reason is given.
	cur := must(f.desk.Site(f.ctx, a, rec.ID))(t)
	data = cur.Site
	data.Name = "又一个名字"
	res = must(f.desk.AmendSite(f.ctx, a, rec.ID, cur.Version, api.AmendRequest{Site: data}))(t)
	got = must(f.desk.ReturnSite(f.ctx, reviewer, rec.ID, api.ReturnRequest{Reason: "名称与主体不符"}))(t)
	if got.State != filing.StateRecorded || got.Site.Name != "新名字" || got.ChangeRequest == nil || got.ChangeRequest.Reason != "名称与主体不符" {
		t.Fatalf("returned change %+v", got)
	}

	// Mixed with apply_non_key_now: the non-key part now, the key part reviewed.
	cur = must(f.desk.Site(f.ctx, a, rec.ID))(t)
	data = cur.Site
	data.Name = "第三个名字"
	data.Languages = []filing.Language{"zh-Hans"}
	res = must(f.desk.AmendSite(f.ctx, a, rec.ID, cur.Version, api.AmendRequest{Site: data, ApplyNonKeyNow: true}))(t)
	if len(res.Applied) != 1 || res.Applied[0].Field != "site.languages" || len(res.ChangeRequest.Changes) != 1 || res.Site.Site.Name != "新名字" {
		t.Fatalf("mixed amendment %+v", res)
	}
	must(f.desk.ApproveSite(f.ctx, reviewer, rec.ID))(t)

	// Cancel: reviewed, then cancelled; the domain is free again.
	_, err = f.desk.CancelSite(f.ctx, a, rec.ID, api.CancelRequest{})
	wantCode(t, err, api.CodeValidationFailed)
	c := must(f.desk.CancelSite(f.ctx, a, rec.ID, api.CancelRequest{Reason: "网站关闭"}))(t)
	if c.State != filing.StateCancelUnderReview || c.ChangeRequest == nil || c.ChangeRequest.Kind != api.ChangeKindCancel {
		t.Fatalf("cancel request %+v", c)
	}
	got = must(f.desk.ApproveSite(f.ctx, reviewer, rec.ID))(t)
	if got.State != filing.StateCancelled {
		t.Fatalf("state %s", got.State)
	}
	b, _ := f.sponsor("foxtrot")
	if r := must(f.desk.CheckDomain(f.ctx, b, "echo.cn"))(t); r.Status != api.DomainAvailable {
		t.Fatalf("cancelled domain: %+v", r)
	}
}

func hasEvent(l api.AuditList, action, field, from, to string) bool {
	for _, e := range l.Items {
		if e.Action == action && e.Field == field && e.Old == from && e.New == to {
			return true
		}
	}
	return false
}

func TestReturnedSiteIsEditedAndResubmitted(t *testing.T) {
	f := newFixture(t, platform.Options{})
	a, mobile := f.sponsor("golf")
	reviewer := f.staff("wuhan", "4201")
	f.subject(a, unitSubject(t, 30))
	s := f.submitted(a, "golf.cn")
	ret := must(f.desk.ReturnSite(f.ctx, reviewer, s.ID, api.ReturnRequest{Reason: "IP 地址与接入商不符"}))(t)
	if ret.State != filing.StateReturned || ret.ReturnReason != "IP 地址与接入商不符" {
		t.Fatalf("returned %+v", ret)
	}
	msgs := must(f.st.Outbox(f.ctx, mobile))(t)
	if !strings.Contains(msgs[len(msgs)-1].Body, "IP 地址与接入商不符") {
		t.Fatalf("SMS %q lacks the reason", msgs[len(msgs)-1].Body)
	}
	cur := must(f.desk.Site(f.ctx, a, s.ID))(t)
	data := cur.Site
	data.IPAddresses = []string{"220.181.38.149"}
	ed := must(f.desk.UpdateSite(f.ctx, a, s.ID, cur.Version, api.SiteWrite{Site: data}))(t)
	if ed.State != filing.StateReturned || ed.ReturnReason == "" {
		t.Fatalf("edited %+v: the reason must stay visible until resubmission", ed)
	}
	re := must(f.desk.SubmitSite(f.ctx, a, s.ID))(t)
	if re.State != filing.StateUnderReview || re.ReturnReason != "" {
		t.Fatalf("resubmitted %+v", re)
	}
	// Nothing else may touch it meanwhile.
	_, err := f.desk.UpdateSite(f.ctx, a, s.ID, re.Version, api.SiteWrite{Site: data})
	wantCode(t, err, api.CodeTransitionRefused)
	err = f.desk.DeleteSite(f.ctx, a, s.ID, 0)
	wantCode(t, err, api.CodePreconditionRequired)
	err = f.desk.DeleteSite(f.ctx, a, s.ID, re.Version)
	wantCode(t, err, api.CodeTransitionRefused)
}

func TestLateFilingIsRecordedNotRefused(t *testing.T) {
	f := newFixture(t, platform.Options{DeadlineDays: 10})
	a, _ := f.sponsor("hotel")
	f.subject(a, unitSubject(t, 31))
	s := f.submitted(a, "hotel.cn") // launched 2024-03-01, filed 2024-03-20
	if !s.Late {
		t.Fatal("not marked late with a ten-day deadline")
	}
	g := newFixture(t, platform.Options{})
	b, _ := g.sponsor("india")
	g.subject(b, unitSubject(t, 32))
	if s := g.submitted(b, "india.cn"); s.Late {
		t.Fatal("marked late within thirty days")
	}
}

func TestIdempotentStoresTheFirstAnswer(t *testing.T) {
	f := newFixture(t, platform.Options{})
	a, _ := f.sponsor("juliet")
	f.subject(a, unitSubject(t, 40))
	create := func(d *platform.Desk) (int, any, error) {
		rec, err := d.CreateSite(f.ctx, a, api.SiteWrite{Site: site("juliet.cn")}, false)
		return 201, rec, err
	}
	st1, b1, err := f.desk.Idempotent(f.ctx, a, "key-1", "hash-A", create)
	if err != nil || st1 != 201 {
		t.Fatalf("first: %d %v", st1, err)
	}
	st2, b2, err := f.desk.Idempotent(f.ctx, a, "key-1", "hash-A", create)
	if err != nil || st2 != 201 || string(b1) != string(b2) {
		t.Fatalf("replay: %d %v\n%s\n%s", st2, err, b1, b2)
	}
	_, _, err = f.desk.Idempotent(f.ctx, a, "key-1", "hash-B", create)
	wantCode(t, err, api.CodeIdempotencyConflict)
	if l := must(f.desk.ListSites(f.ctx, a, platform.SiteListFilter{}))(t); len(l.Items) != 1 {
		t.Fatalf("%d sites after a replay, want 1", len(l.Items))
	}
	// A refusal is not stored: nothing happened, so the retry runs again.
	_, _, err = f.desk.Idempotent(f.ctx, a, "key-2", "hash-C", create)
	wantCode(t, err, api.CodeDomainYours)
	var rec api.SiteRecord
	if err := json.Unmarshal(b1, &rec); err != nil || rec.ID == "" {
		t.Fatalf("stored body %s: %v", b1, err)
	}
}

func TestImportAndClaim(t *testing.T) {
	f := newFixture(t, platform.Options{})
	admin := f.staff("root", "")
	reviewer := f.staff("wuhan", "4201")
	a, _ := f.sponsor("kilo")
	subj := unitSubject(t, 50)
	f.subject(a, subj)
	must(f.desk.ApproveSubject(f.ctx, reviewer, a.AccountID))(t)

	csv := "domain,old_record_number,subject_cert,site_name\n" +
		"kilo.cn,鄂公网安备 42011102000123号," + subj.CertNumber + ",旧站一\n" +
		"lima.cn,42011102000124," + usccFor(t, 51) + ",旧站二\n" +
		"bad..cn,42011102000125,X,坏行\n" +
		"mike.cn,not a number,X,坏行\n" +
		"too,few\n"
	res := must(f.desk.Import(f.ctx, admin, strings.NewReader(csv)))(t)
	if res.Unrecorded != 1 || res.ToClaim != 1 || len(res.Errors) != 3 {
		t.Fatalf("import %+v", res)
	}
	for i, line := range []int{4, 5, 6} {
		if res.Errors[i].Line != line {
			t.Errorf("error %d on line %d, want %d", i, res.Errors[i].Line, line)
		}
	}
	// Re-running the import changes nothing.
	again := must(f.desk.Import(f.ctx, admin, strings.NewReader(csv)))(t)
	if again.Skipped != 2 || again.ToClaim+again.Unrecorded != 0 {
		t.Fatalf("second import %+v", again)
	}
	_, err := f.desk.Import(f.ctx, a, strings.NewReader(csv))
	wantCode(t, err, api.CodeForbidden)

	// kilo.cn matched the subject's certificate: pushed to it as unrecorded.
	pushed := must(f.desk.ListSites(f.ctx, a, platform.SiteListFilter{State: "unrecorded"}))(t)
	if len(pushed.Items) != 1 || pushed.Items[0].Site.PrimaryDomain != "kilo.cn" {
		t.Fatalf("unrecorded list %+v", pushed.Items)
	}
	if n := must(f.desk.Notifications(f.ctx, a, true, store.Page{}))(t); len(n.Items) == 0 || n.Items[0].Kind != "site_unrecorded" {
		t.Fatalf("no site_unrecorded notification: %+v", n.Items)
	}

	// lima.cn waits to be claimed; the check names no site ID, and the old
	// number (printed in the old site's footer) is no proof. The challenge
	// published on the domain is.
	chk := must(f.desk.CheckDomain(f.ctx, a, "lima.cn"))(t)
	if chk.Status != api.DomainClaimable || chk.SiteID != "" {
		t.Fatalf("lima.cn check %+v", chk)
	}
	_, err = f.desk.ClaimByDomain(f.ctx, a, api.ClaimRequest{Domain: "lima.cn", OldRecordNumber: "鄂公网安备42011102000124"})
	wantCode(t, err, api.CodeClaimRefused)
	ch := must(f.desk.ClaimChallenge(f.ctx, a, api.ClaimChallengeRequest{Domain: "lima.cn"}))(t)
	f.published["lima.cn"] = "# beian\n" + ch.Content + "\n"
	draft := must(f.desk.ClaimByDomain(f.ctx, a, api.ClaimRequest{Domain: "lima.cn"}))(t)
	if draft.State != filing.StateDraft || draft.OldRecordNumber != "鄂公网安备 42011102000124号" || draft.Site.PrimaryDomain != "lima.cn" {
		t.Fatalf("claimed %+v", draft)
	}
	// Supplement, submit, approve: a new number; the old one is kept.
	data := site("lima.cn")
	data.Name = draft.Site.Name
	draft = must(f.desk.UpdateSite(f.ctx, a, draft.ID, draft.Version, api.SiteWrite{Site: data}))(t)
	must(f.desk.SubmitSite(f.ctx, a, draft.ID))(t)
	rec := must(f.desk.ApproveSite(f.ctx, reviewer, draft.ID))(t)
	if rec.RecordNumber == "" || rec.RecordNumber == rec.OldRecordNumber || rec.OldRecordNumber == "" {
		t.Fatalf("recorded claim %+v", rec)
	}
}

func TestSandboxAutoReview(t *testing.T) {
	f := newFixture(t, platform.Options{Sandbox: &platform.SandboxOptions{ReviewDelay: time.Minute}})
	a, _ := f.sponsor("november")
	f.subject(a, unitSubject(t, 60))
	ok := f.submitted(a, "shop.test")
	back := f.submitted(a, "shop.return.test")
	if n := must(f.desk.RunAutoReview(f.ctx))(t); n != 0 {
		t.Fatalf("decided %d before the delay", n)
	}
	f.clock.Add(2 * time.Minute)
	if n := must(f.desk.RunAutoReview(f.ctx))(t); n != 3 {
		t.Fatalf("decided %d, want subject + 2 sites", n)
	}
	if s := must(f.desk.Site(f.ctx, a, ok.ID))(t); s.State != filing.StateRecorded {
		t.Fatalf("shop.test %s", s.State)
	}
	if s := must(f.desk.Site(f.ctx, a, back.ID))(t); s.State != filing.StateReturned || s.ReturnReason != platform.ReturnReason {
		t.Fatalf("shop.return.test %s %q", s.State, s.ReturnReason)
	}
	out := must(f.desk.Outbox(f.ctx, platform.Actor{}, ""))(t)
	if len(out.Items) == 0 {
		t.Fatal("empty outbox")
	}
	// Outside the sandbox neither exists.
	g := newFixture(t, platform.Options{})
	_, err := g.desk.RunAutoReview(g.ctx)
	wantCode(t, err, api.CodeNotFound)
}

func TestAttachmentsAreCheckedByContent(t *testing.T) {
	f := newFixture(t, platform.Options{})
	a, _ := f.sponsor("oscar")
	pdf := "%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
	att := must(f.desk.StoreAttachment(f.ctx, a, "批准文件.exe", strings.NewReader(pdf)))(t)
	if att.ContentType != "application/pdf" || att.Size != int64(len(pdf)) || !strings.HasPrefix(att.ID, "att_") {
		t.Fatalf("attachment %+v", att)
	}
	// Every upload is its own opaque ID (owned by its uploader); the bytes
	// are kept once.
	again := must(f.desk.StoreAttachment(f.ctx, a, "copy.pdf", strings.NewReader(pdf)))(t)
	if again.ID == att.ID || strings.Contains(again.ID, "..") {
		t.Fatalf("two uploads share the ID %s", att.ID)
	}
	_, err := f.desk.StoreAttachment(f.ctx, a, "fake.pdf", strings.NewReader("MZ\x90\x00 not a pdf"))
	wantCode(t, err, api.CodeUnsupportedMediaType)
	_, err = f.desk.StoreAttachment(f.ctx, a, "big.pdf", strings.NewReader("%PDF-"+strings.Repeat("x", platform.MaxAttachmentSize)))
	wantCode(t, err, api.CodeBodyTooLarge)
}

func TestPublicRecordShowsNothingPrivate(t *testing.T) {
	f := newFixture(t, platform.Options{})
	a, _ := f.sponsor("papa")
	reviewer := f.staff("wuhan", "4201")
	subj := unitSubject(t, 70)
	f.subject(a, subj)
	must(f.desk.ApproveSubject(f.ctx, reviewer, a.AccountID))(t)
	s := f.submitted(a, "papa.cn")
	rec := must(f.desk.ApproveSite(f.ctx, reviewer, s.ID))(t)
	pub := must(f.desk.PublicRecord(f.ctx, strings.ReplaceAll(rec.RecordNumber, " ", "")))(t)
	if pub.ReviewingOffice != "湖北省武汉市洪山区公安局" || pub.SubjectName != subj.Name || pub.PrimaryDomain != "papa.cn" {
		t.Fatalf("public record %+v", pub)
	}
	raw, _ := json.Marshal(pub)
	for _, secret := range []string{subj.CertNumber, subj.Responsible.IDNumber, subj.Mobile, subj.Responsible.Mobile, subj.Email, "13300133000"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("public record leaks %q: %s", secret, raw)
		}
	}
	b := must(f.desk.Badge(f.ctx, a, s.ID, platform.BadgeQuery{}))(t)
	if b.RecordNumber != rec.RecordNumber || !strings.Contains(b.HTML, "42011102000001") || b.Code != "42011102000001" {
		t.Fatalf("badge %+v", b)
	}
	_, err := f.desk.PublicRecord(f.ctx, "鄂公网安备 42011102009999号")
	wantCode(t, err, api.CodeNotFound)
}

// TestPeopleSameAsResponsibleAreFilledBeforeChecks: a site whose people are
// only marked "same as the responsible person" (FAQ item 8) passes a dry run
// and an amendment, because the desk fills them in first.
func TestPeopleSameAsResponsibleAreFilledBeforeChecks(t *testing.T) {
	f := newFixture(t, platform.Options{})
	a, _ := f.sponsor("quebec")
	reviewer := f.staff("wuhan", "4201")
	f.subject(a, unitSubject(t, 80))
	must(f.desk.ApproveSubject(f.ctx, reviewer, a.AccountID))(t)
	s := site("quebec.cn")
	for _, c := range s.People() {
		*c = filing.Contact{SameAsResponsible: true}
	}
	must(f.desk.CreateSite(f.ctx, a, api.SiteWrite{Site: s}, true))(t)
	rec := must(f.desk.CreateSite(f.ctx, a, api.SiteWrite{Site: s}, false))(t)
	if rec.Site.SecurityOfficer.Name != "张示例" {
		t.Fatalf("security officer not filled in: %+v", rec.Site.SecurityOfficer)
	}
	must(f.desk.SubmitSite(f.ctx, a, rec.ID))(t)
	rec = must(f.desk.ApproveSite(f.ctx, reviewer, rec.ID))(t)
	s.ICPNumber = "鄂ICP备2024012345号-7"
	res := must(f.desk.AmendSite(f.ctx, a, rec.ID, rec.Version, api.AmendRequest{Site: s}))(t)
	if len(res.Applied) != 1 || res.Applied[0].Field != "site.icp_number" {
		t.Fatalf("amendment %+v", res)
	}
}
