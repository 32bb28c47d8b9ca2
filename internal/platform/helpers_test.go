package platform_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/ident"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/store"
	"github.com/beian-dev/beian/internal/store/storetest"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is a desk over a fresh SQLite file.
type fixture struct {
	t     *testing.T
	ctx   context.Context
	st    store.Store
	desk  *platform.Desk
	clock *clock
	// published is what each domain serves at platform.ClaimPath.
	published map[string]string
}

var mobileSeq atomic.Int64

// newMobile returns a distinct valid mobile number per call.
func newMobile() string { return fmt.Sprintf("1391%07d", mobileSeq.Add(1)) }

func newFixture(t *testing.T, opts platform.Options) *fixture {
	t.Helper()
	return newFixtureOn(t, storetest.OpenSQLite(t), opts)
}

func newFixtureOn(t *testing.T, st store.Store, opts platform.Options) *fixture {
	t.Helper()
	c := &clock{t: time.Date(2024, 3, 20, 9, 0, 0, 0, time.UTC)}
	opts.Clock = c.Now
	opts.CheapPasswordHashing = true
	if opts.SupportEmail == "" {
		opts.SupportEmail = "support@beian.example"
	}
	if opts.AttachmentDir == "" {
		opts.AttachmentDir = t.TempDir()
	}
	f := &fixture{t: t, ctx: context.Background(), st: st, clock: c, published: map[string]string{}}
	if opts.ClaimFetcher == nil {
		opts.ClaimFetcher = func(_ context.Context, domain string) ([]byte, error) {
			if b, ok := f.published[domain]; ok {
				return []byte(b), nil
			}
			return nil, errors.New("404 Not Found")
		}
	}
	f.desk = platform.New(st, opts)
	return f
}

// must fails the test on err.
// Use: must(f.desk.Site(ctx, a, id))(t).
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// wantCode asserts err is a problem with code.
func wantCode(t *testing.T, err error, code api.Code) {
	t.Helper()
	_ = wantProblem(t, err, code)
}

// wantProblem is wantCode returning the problem.
func wantProblem(t *testing.T, err error, code api.Code) *api.Problem {
	t.Helper()
	var p *api.Problem
	if !errors.As(err, &p) {
		t.Fatalf("want problem %s, got %v", code, err)
	}
	if p.Code != code {
		t.Fatalf("want problem %s, got %s (%v)", code, p.Code, p)
	}
	return p
}

// lastCode is the verification code last sent to an address.
func (f *fixture) lastCode(to string) string {
	f.t.Helper()
	ms, err := f.st.Outbox(f.ctx, to)
	if err != nil || len(ms) == 0 {
		f.t.Fatalf("no message to %s: %v", to, err)
	}
	return ms[len(ms)-1].Code
}

func (f *fixture) lastMessage(to string) store.OutboxMessage {
	f.t.Helper()
	ms, err := f.st.Outbox(f.ctx, to)
	if err != nil || len(ms) == 0 {
		f.t.Fatalf("no message to %s: %v", to, err)
	}
	return ms[len(ms)-1]
}

// sponsor registers and signs in a new sponsor account.
func (f *fixture) sponsor(login string) (platform.Actor, string) {
	f.t.Helper()
	mobile := newMobile()
	if err := f.desk.SendSMSCode(f.ctx, platform.Actor{}, api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSRegister}); err != nil {
		f.t.Fatal(err)
	}
	must(f.desk.Register(f.ctx, platform.Actor{}, api.RegisterRequest{Login: login, Mobile: mobile, SMSCode: f.lastCode(mobile),
		Password: "correct horse battery", Email: login + "@example.com"}))(f.t)
	return f.signIn(login), mobile
}

func (f *fixture) signIn(login string) platform.Actor {
	f.t.Helper()
	sess := must(f.desk.Login(f.ctx, platform.Actor{Addr: "127.0.0.1"}, api.LoginRequest{Login: login, Password: "correct horse battery"}))(f.t)
	return must(f.desk.Authenticate(f.ctx, sess.Token))(f.t)
}

// staff creates a reviewer (prefix != "") or an admin and signs it in.
func (f *fixture) staff(login, prefix string) platform.Actor {
	f.t.Helper()
	role := api.RoleAdmin
	if prefix != "" {
		role = api.RoleReviewer
	}
	must(f.desk.CreateUser(f.ctx, platform.System, api.UserCreateRequest{Login: login, Mobile: newMobile(),
		Email: login + "@police.example", Password: "correct horse battery", Role: role, AreaPrefix: prefix}))(f.t)
	return f.signIn(login)
}

// subject files and submits the fixture subject with a distinct certificate.
func (f *fixture) subject(a platform.Actor, s filing.Subject) api.SubjectRecord {
	f.t.Helper()
	must(f.desk.PutSubject(f.ctx, a, 0, api.SubjectWrite{Subject: s}))(f.t)
	return must(f.desk.SubmitSubject(f.ctx, a))(f.t)
}

// site is the fixture site with public IP addresses: the desk outside the
// sandbox refuses documentation ranges.
func site(domain string) filing.Site {
	s := filingtest.Site(domain)
	s.IPAddresses = []string{"220.181.38.148", "240e:ff:e020::/48"}
	return s
}

// submitted creates and submits a site.
func (f *fixture) submitted(a platform.Actor, domain string) api.SiteRecord {
	f.t.Helper()
	rec := must(f.desk.CreateSite(f.ctx, a, api.SiteWrite{Site: site(domain)}, false))(f.t)
	return must(f.desk.SubmitSite(f.ctx, a, rec.ID))(f.t)
}

// Distinct valid unit subjects: USCCs with check characters computed by
// the ident package's rule, in Hongshan, Wuhan (420111).
func unitSubject(t *testing.T, n int) filing.Subject {
	t.Helper()
	s := filingtest.Subject()
	s.CertNumber = usccFor(t, n)
	s.Name = fmt.Sprintf("武汉示例%d网络科技有限公司", n)
	return s
}

func usccFor(t *testing.T, n int) string {
	t.Helper()
	body := fmt.Sprintf("MA4K%04d", n)
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
