package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/server"
	"github.com/beian-dev/beian/internal/server/servertest"
	"github.com/beian-dev/beian/internal/store"
)

// The six callers of the authorisation matrix.
type who int

const (
	anonymous who = iota
	otherSponsor
	owner
	reviewerElsewhere // a reviewer of Beijing (11)
	reviewerOfArea    // a reviewer of Wuhan (4201); the owner's subject is in 420111
	admin
)

var whoNames = [...]string{"anonymous", "other sponsor", "owner", "reviewer elsewhere", "reviewer of the area", "admin"}

// world is the matrix's fixed cast plus helpers making fresh filings, so that
// no cell depends on what another cell did.
type world struct {
	t      *testing.T
	env    *servertest.Env
	ctx    context.Context
	tokens [6]string
	actors [6]platform.Actor
	users  [6]*servertest.User
	n      atomic.Int64
	record string // a public record number
	note   string // one of the owner's notifications
}

func (w *world) seq() int { return int(w.n.Add(1)) }

// ownerHook is a fresh webhook of the owner's (an account has at most 10:
// each is removed again when the test ends).
func (w *world) ownerHook() string {
	h := must(w.env.Desk.AddWebhook(w.ctx, w.actors[owner], api.WebhookCreate{URL: "https://hooks.example.com/owner"}))(w.t)
	w.t.Cleanup(func() { _ = w.env.Desk.DeleteWebhook(w.ctx, w.actors[owner], h.ID) })
	return h.ID
}

func newWorld(t *testing.T, env *servertest.Env) *world {
	w := &world{t: t, env: env, ctx: context.Background()}
	w.users[otherSponsor] = w.sponsorWithApprovedSubject("other")
	w.users[owner] = w.sponsorWithApprovedSubject("owner")
	w.users[reviewerElsewhere] = env.CreateReviewer(t, "beijing", "11")
	w.users[reviewerOfArea] = env.CreateReviewer(t, "wuhan", "4201")
	w.users[admin] = env.CreateAdmin(t, "root")
	for i, u := range w.users {
		if u == nil {
			continue
		}
		w.tokens[i] = u.Token
		a, err := env.Desk.Authenticate(w.ctx, u.Token)
		if err != nil {
			t.Fatal(err)
		}
		w.actors[i] = a
	}
	w.record = must(w.env.Desk.Site(w.ctx, w.actors[owner], w.recorded()))(t).RecordNumber
	notes := must(env.Desk.Notifications(w.ctx, w.actors[owner], false, store.Page{}))(t)
	if len(notes.Items) == 0 {
		t.Fatal("the owner has no notification")
	}
	w.note = notes.Items[0].ID
	return w
}

func must[T any](v T, err error) func(t testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

func (w *world) sponsorWithApprovedSubject(login string) *servertest.User {
	u := w.env.RegisterSponsor(w.t, login)
	a := must(w.env.Desk.Authenticate(w.ctx, u.Token))(w.t)
	must(w.env.Desk.PutSubject(w.ctx, a, 0, api.SubjectWrite{Subject: uniqueSubject(w.t)}))(w.t)
	must(w.env.Desk.SubmitSubject(w.ctx, a))(w.t)
	must(w.env.Desk.ApproveSubject(w.ctx, platform.System, a.AccountID))(w.t)
	return u
}

// freshSponsor registers a new sponsor through the desk: mobile, login, actor.
func (w *world) freshSponsor() (string, string, platform.Actor) {
	n := w.seq()
	mobile := fmt.Sprintf("1370000%04d", n)
	login := fmt.Sprintf("fresh%d", n)
	must(struct{}{}, w.env.Desk.SendSMSCode(w.ctx, platform.Actor{}, api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSRegister}))(w.t)
	must(w.env.Desk.Register(w.ctx, platform.Actor{}, api.RegisterRequest{Login: login, Mobile: mobile, SMSCode: w.env.SMSCode(w.t, mobile),
		Password: servertest.Password, Email: login + "@example.com"}))(w.t)
	sess := must(w.env.Desk.Login(w.ctx, platform.Actor{Addr: "127.0.0.1"}, api.LoginRequest{Login: login, Password: servertest.Password}))(w.t)
	return mobile, login, must(w.env.Desk.Authenticate(w.ctx, sess.Token))(w.t)
}

// toClaim imports an earlier filing nobody was pushed and, for a sponsor
// caller, publishes the caller's claim challenge on its domain: (domain,
// site ID).
func (w *world) toClaim(c who) (string, string) {
	n := w.seq()
	domain := fmt.Sprintf("claim%d.cn", n)
	csv := fmt.Sprintf("%s,420111020%05d,%s,旧站\n", domain, n, uscc(w.t, 800000+n))
	must(w.env.Desk.Import(w.ctx, w.actors[admin], strings.NewReader(csv)))(w.t)
	if c == owner || c == otherSponsor {
		ch := must(w.env.Desk.ClaimChallenge(w.ctx, w.actors[c], api.ClaimChallengeRequest{Domain: domain}))(w.t)
		w.env.Publish(domain, ch.Content+"\n")
	}
	hs := must(w.env.Store.DomainHolders(w.ctx, []string{domain}))(w.t)
	return domain, hs[0].SiteID
}

func (w *world) domain() string { return fmt.Sprintf("matrix%d.cn", w.seq()) }

// draft is a fresh draft of the owner.
func (w *world) draft() api.SiteRecord {
	return must(w.env.Desk.CreateSite(w.ctx, w.actors[owner], api.SiteWrite{Site: publicSite(w.domain())}, false))(w.t)
}

func (w *world) underReview() string {
	d := w.draft()
	return must(w.env.Desk.SubmitSite(w.ctx, w.actors[owner], d.ID))(w.t).ID
}

// withCertificate is a site under review in an important field, with an
// approval certificate its owner uploaded: (site ID, attachment ID).
func (w *world) withCertificate() (string, string) {
	a := must(w.env.Desk.StoreAttachment(w.ctx, w.actors[owner], "cert.png", strings.NewReader(tinyPNG)))(w.t)
	s := publicSite(w.domain())
	s.ImportantField = filing.FieldNationalAffairs
	s.ApprovalCertificates = []filing.Attachment{{ID: a.ID}}
	d := must(w.env.Desk.CreateSite(w.ctx, w.actors[owner], api.SiteWrite{Site: s}, false))(w.t)
	return must(w.env.Desk.SubmitSite(w.ctx, w.actors[owner], d.ID))(w.t).ID, a.ID
}

// tinyPNG is a PNG's signature and header: enough for content sniffing.
const tinyPNG = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"

func (w *world) recorded() string {
	id := w.underReview()
	return must(w.env.Desk.ApproveSite(w.ctx, platform.System, id))(w.t).ID
}

func (w *world) site(id string) api.SiteRecord {
	return must(w.env.Desk.Site(w.ctx, w.actors[owner], id))(w.t)
}

// cell is one request of the matrix.
type cell struct {
	path   string
	body   any
	header []string
	token  string // overrides the caller's token when set
}

type matrixRow struct {
	pattern string
	want    [6]int
	prep    func(w *world, caller who) cell
}

func fixed(path string) func(*world, who) cell {
	return func(*world, who) cell { return cell{path: path} }
}

const (
	s200 = http.StatusOK
	s201 = http.StatusCreated
	s202 = http.StatusAccepted
	s204 = http.StatusNoContent
	s401 = http.StatusUnauthorized
	s403 = http.StatusForbidden
	s404 = http.StatusNotFound
	s409 = http.StatusConflict
	s422 = http.StatusUnprocessableEntity
)

// matrix: every route × {anonymous, another sponsor, the owner, a reviewer
// of another area, a reviewer of the area, an admin} → the expected status.
// Routes that act on the caller's own account treat "another sponsor" like
// the owner of their own data; the expected refusals there are the
// lifecycle's (409), not authorisation's.
var matrix = []matrixRow{
	{"POST /v1/sms-codes", [6]int{s202, s202, s202, s202, s202, s202}, func(w *world, _ who) cell {
		return cell{path: "/v1/sms-codes", body: api.SMSCodeRequest{Mobile: fmt.Sprintf("1350000%04d", w.seq()), Purpose: api.SMSRegister}}
	}},
	{"POST /v1/accounts", [6]int{s201, s201, s201, s201, s201, s201}, func(w *world, _ who) cell {
		n := w.seq()
		mobile := fmt.Sprintf("1360000%04d", n)
		must(struct{}{}, w.env.Desk.SendSMSCode(w.ctx, platform.Actor{}, api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSRegister}))(w.t)
		return cell{path: "/v1/accounts", body: api.RegisterRequest{Login: fmt.Sprintf("signup%d", n), Mobile: mobile,
			SMSCode: w.env.SMSCode(w.t, mobile), Password: servertest.Password, Email: "signup@example.com"}}
	}},
	{"POST /v1/sessions", [6]int{s201, s201, s201, s201, s201, s201}, func(w *world, _ who) cell {
		return cell{path: "/v1/sessions", body: api.LoginRequest{Login: "owner", Password: servertest.Password}}
	}},
	{"DELETE /v1/sessions/current", [6]int{s401, s204, s204, s204, s204, s204}, func(w *world, c who) cell {
		if c == anonymous {
			return cell{path: "/v1/sessions/current"}
		}
		// A fresh session, so the cast keeps theirs.
		return cell{path: "/v1/sessions/current", token: w.env.Login(w.t, w.users[c].Login, servertest.Password)}
	}},
	{"DELETE /v1/sessions", [6]int{s401, s204, s204, s204, s204, s204}, func(w *world, c who) cell {
		if c == anonymous {
			return cell{path: "/v1/sessions"}
		}
		// A throwaway account per cell: signing out everywhere must not
		// sign the cast out.
		_, login, _ := w.freshSponsor()
		return cell{path: "/v1/sessions", token: w.env.Login(w.t, login, servertest.Password)}
	}},
	{"POST /v1/password-resets", [6]int{s204, s204, s204, s204, s204, s204}, func(w *world, _ who) cell {
		mobile, _, _ := w.freshSponsor()
		must(struct{}{}, w.env.Desk.SendSMSCode(w.ctx, platform.Actor{}, api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSResetPassword}))(w.t)
		return cell{path: "/v1/password-resets", body: api.PasswordResetRequest{Mobile: mobile, SMSCode: w.env.SMSCode(w.t, mobile), NewPassword: "another-password-1"}}
	}},
	{"GET /v1/account", [6]int{s401, s200, s200, s200, s200, s200}, fixed("/v1/account")},
	{"POST /v1/account/email-code", [6]int{s401, s202, s202, s202, s202, s202}, fixed("/v1/account/email-code")},
	{"POST /v1/account/email-verification", [6]int{s401, s422, s422, s422, s422, s422}, func(*world, who) cell {
		return cell{path: "/v1/account/email-verification", body: api.EmailVerifyRequest{Code: "000000x"}}
	}},

	{"GET /v1/subject", [6]int{s401, s200, s200, s403, s403, s403}, fixed("/v1/subject")},
	{"PUT /v1/subject", [6]int{s401, s409, s409, s403, s403, s403}, func(w *world, c who) cell {
		v := 1
		if c == owner || c == otherSponsor {
			v = must(w.env.Desk.Subject(w.ctx, w.actors[c]))(w.t).Version
		}
		return cell{path: "/v1/subject", body: api.SubjectWrite{Subject: uniqueSubject(w.t)}, header: []string{"If-Match", etag(v)}}
	}},
	{"POST /v1/subject/submit", [6]int{s401, s409, s409, s403, s403, s403}, fixed("/v1/subject/submit")},
	{"POST /v1/subject/amendments", [6]int{s401, s200, s200, s403, s403, s403}, func(w *world, c who) cell {
		if c != owner && c != otherSponsor {
			return cell{path: "/v1/subject/amendments", body: api.SubjectWrite{Subject: uniqueSubject(w.t)}, header: []string{"If-Match", etag(1)}}
		}
		s := must(w.env.Desk.Subject(w.ctx, w.actors[c]))(w.t)
		s.Subject.Remarks = fmt.Sprintf("备注 %d", w.seq())
		return cell{path: "/v1/subject/amendments", body: api.SubjectWrite{Subject: s.Subject}, header: []string{"If-Match", etag(s.Version)}}
	}},

	{"GET /v1/sites", [6]int{s401, s200, s200, s403, s403, s403}, fixed("/v1/sites?state=drafts")},
	{"POST /v1/sites", [6]int{s401, s201, s201, s403, s403, s403}, func(w *world, _ who) cell {
		return cell{path: "/v1/sites", body: api.SiteWrite{Site: publicSite(w.domain())}}
	}},
	{"GET /v1/sites/{id}", [6]int{s401, s403, s200, s403, s200, s200}, func(w *world, _ who) cell {
		return cell{path: "/v1/sites/" + w.draft().ID}
	}},
	{"PUT /v1/sites/{id}", [6]int{s401, s403, s200, s403, s403, s403}, func(w *world, _ who) cell {
		d := w.draft()
		return cell{path: "/v1/sites/" + d.ID, body: api.SiteWrite{Site: d.Site}, header: []string{"If-Match", etag(d.Version)}}
	}},
	{"DELETE /v1/sites/{id}", [6]int{s401, s403, s204, s403, s403, s403}, func(w *world, _ who) cell {
		d := w.draft()
		return cell{path: "/v1/sites/" + d.ID, header: []string{"If-Match", etag(d.Version)}}
	}},
	{"POST /v1/sites/{id}/submit", [6]int{s401, s403, s200, s403, s403, s403}, func(w *world, _ who) cell {
		return cell{path: "/v1/sites/" + w.draft().ID + "/submit"}
	}},
	{"POST /v1/sites/{id}/amendments", [6]int{s401, s403, s200, s403, s403, s403}, func(w *world, _ who) cell {
		r := w.site(w.recorded())
		r.Site.ICPNumber = "鄂ICP备2024099999号-3"
		return cell{path: "/v1/sites/" + r.ID + "/amendments", body: api.AmendRequest{Site: r.Site}, header: []string{"If-Match", etag(r.Version)}}
	}},
	{"POST /v1/sites/{id}/cancel", [6]int{s401, s403, s200, s403, s403, s403}, func(w *world, _ who) cell {
		return cell{path: "/v1/sites/" + w.recorded() + "/cancel", body: api.CancelRequest{Reason: "停止运营"}}
	}},
	{"POST /v1/sites/{id}/claim", [6]int{s401, s200, s200, s403, s403, s403}, func(w *world, c who) cell {
		domain, id := w.toClaim(c)
		return cell{path: "/v1/sites/" + id + "/claim", body: api.ClaimRequest{Domain: domain}}
	}},
	{"POST /v1/claim-challenges", [6]int{s401, s200, s200, s403, s403, s403}, func(w *world, _ who) cell {
		domain, _ := w.toClaim(anonymous)
		return cell{path: "/v1/claim-challenges", body: api.ClaimChallengeRequest{Domain: domain}}
	}},
	{"POST /v1/claims", [6]int{s401, s200, s200, s403, s403, s403}, func(w *world, c who) cell {
		domain, _ := w.toClaim(c)
		return cell{path: "/v1/claims", body: api.ClaimRequest{Domain: domain}}
	}},
	{"GET /v1/sites/{id}/badge", [6]int{s401, s403, s200, s403, s403, s403}, func(w *world, _ who) cell {
		return cell{path: "/v1/sites/" + w.recorded() + "/badge?format=markdown"}
	}},
	{"GET /v1/sites/{id}/history", [6]int{s401, s403, s200, s403, s200, s200}, func(w *world, _ who) cell {
		return cell{path: "/v1/sites/" + w.recorded() + "/history"}
	}},

	{"GET /v1/domain-checks/{domain}", [6]int{s401, s200, s200, s200, s200, s200}, fixed("/v1/domain-checks/example.com")},
	{"POST /v1/domain-checks", [6]int{s401, s200, s200, s200, s200, s200}, func(*world, who) cell {
		return cell{path: "/v1/domain-checks", body: api.DomainCheckRequest{Domains: []string{"example.com", "bad..com"}}}
	}},
	{"POST /v1/attachments", [6]int{s401, s201, s201, s201, s201, s201}, func(*world, who) cell {
		return cell{path: "/v1/attachments?name=cert.pdf", body: []byte("%PDF-1.4\n%%EOF\n"), header: []string{"Content-Type", "application/pdf"}}
	}},

	{"GET /v1/notifications", [6]int{s401, s200, s200, s200, s200, s200}, fixed("/v1/notifications?limit=5")},
	{"POST /v1/notifications/{id}/read", [6]int{s401, s404, s204, s404, s404, s404}, func(w *world, _ who) cell {
		return cell{path: "/v1/notifications/" + w.note + "/read"}
	}},

	{"POST /v1/webhooks", [6]int{s401, s201, s201, s403, s403, s403}, func(w *world, _ who) cell {
		return cell{path: "/v1/webhooks", body: api.WebhookCreate{URL: "https://hooks.example.com/beian", Events: []string{"site.recorded"}}}
	}},
	{"GET /v1/webhooks", [6]int{s401, s200, s200, s403, s403, s403}, fixed("/v1/webhooks")},
	{"DELETE /v1/webhooks/{id}", [6]int{s401, s404, s204, s403, s403, s403}, func(w *world, _ who) cell {
		return cell{path: "/v1/webhooks/" + w.ownerHook()}
	}},
	{"POST /v1/webhooks/{id}/test", [6]int{s401, s404, s202, s403, s403, s403}, func(w *world, _ who) cell {
		return cell{path: "/v1/webhooks/" + w.ownerHook() + "/test"}
	}},
	{"GET /v1/webhooks/{id}/deliveries", [6]int{s401, s404, s200, s403, s403, s403}, func(w *world, _ who) cell {
		return cell{path: "/v1/webhooks/" + w.ownerHook() + "/deliveries"}
	}},

	{"GET /v1/records/{number}", [6]int{s200, s200, s200, s200, s200, s200}, func(w *world, _ who) cell {
		return cell{path: "/v1/records/" + w.record}
	}},
	{"GET /records/{number}", [6]int{s200, s200, s200, s200, s200, s200}, func(w *world, _ who) cell {
		return cell{path: "/records/" + w.record}
	}},
	{"GET /static/beian-icon.png", [6]int{s200, s200, s200, s200, s200, s200}, fixed("/static/beian-icon.png")},

	{"GET /v1/review/queue", [6]int{s401, s403, s403, s200, s200, s200}, fixed("/v1/review/queue")},
	{"POST /v1/review/subjects/{account_id}/approve", [6]int{s401, s403, s403, s403, s200, s200}, func(w *world, _ who) cell {
		return cell{path: "/v1/review/subjects/" + w.submittedSubject() + "/approve"}
	}},
	{"POST /v1/review/subjects/{account_id}/return", [6]int{s401, s403, s403, s403, s200, s200}, func(w *world, _ who) cell {
		return cell{path: "/v1/review/subjects/" + w.submittedSubject() + "/return", body: api.ReturnRequest{Reason: "材料不全"}}
	}},
	{"POST /v1/review/sites/{id}/approve", [6]int{s401, s403, s403, s403, s200, s200}, func(w *world, _ who) cell {
		return cell{path: "/v1/review/sites/" + w.underReview() + "/approve"}
	}},
	{"POST /v1/review/sites/{id}/return", [6]int{s401, s403, s403, s403, s200, s200}, func(w *world, _ who) cell {
		return cell{path: "/v1/review/sites/" + w.underReview() + "/return", body: api.ReturnRequest{Reason: "材料不全"}}
	}},

	{"GET /v1/review/sites/{id}/attachments/{attachment_id}", [6]int{s401, s403, s403, s403, s200, s200}, func(w *world, _ who) cell {
		site, att := w.withCertificate()
		return cell{path: "/v1/review/sites/" + site + "/attachments/" + att}
	}},

	{"POST /v1/admin/users", [6]int{s401, s403, s403, s403, s403, s201}, func(w *world, _ who) cell {
		n := w.seq()
		return cell{path: "/v1/admin/users", body: api.UserCreateRequest{Login: fmt.Sprintf("staff%d", n), Mobile: fmt.Sprintf("1380000%04d", n),
			Email: "staff@police.example", Password: servertest.Password, Role: api.RoleReviewer, AreaPrefix: "4201"}}
	}},
	{"POST /v1/admin/imports", [6]int{s401, s403, s403, s403, s403, s200}, func(w *world, _ who) cell {
		n := w.seq()
		csv := fmt.Sprintf("import%d.cn,420111020%05d,%s,旧站\n", n, n, uscc(w.t, 700000+n))
		return cell{path: "/v1/admin/imports", body: csv, header: []string{"Content-Type", "text/csv"}}
	}},
	{"GET /v1/admin/audit", [6]int{s401, s403, s403, s403, s403, s200}, fixed("/v1/admin/audit?limit=10")},

	// Outside the sandbox its routes do not exist.
	{"GET /v1/sandbox/outbox", [6]int{s404, s404, s404, s404, s404, s404}, fixed("/v1/sandbox/outbox")},
	{"POST /v1/sandbox/review", [6]int{s404, s404, s404, s404, s404, s404}, fixed("/v1/sandbox/review")},

	{"GET /v1/meta", [6]int{s200, s200, s200, s200, s200, s200}, fixed("/v1/meta")},
	{"GET /v1/openapi.yaml", [6]int{s200, s200, s200, s200, s200, s200}, fixed("/v1/openapi.yaml")},
	{"GET /healthz", [6]int{s200, s200, s200, s200, s200, s200}, fixed("/healthz")},
	{"GET /readyz", [6]int{s200, s200, s200, s200, s200, s200}, fixed("/readyz")},
	{"GET /metrics", [6]int{s200, s200, s200, s200, s200, s200}, fixed("/metrics")},
}

// submittedSubject is a fresh sponsor's subject under review in 420111.
func (w *world) submittedSubject() string {
	_, _, a := w.freshSponsor()
	must(w.env.Desk.PutSubject(w.ctx, a, 0, api.SubjectWrite{Subject: uniqueSubject(w.t)}))(w.t)
	must(w.env.Desk.SubmitSubject(w.ctx, a))(w.t)
	return a.AccountID
}

func TestAuthorisationMatrix(t *testing.T) {
	env := servertest.Start(t)
	w := newWorld(t, env)
	covered := map[string]bool{}
	for _, row := range matrix {
		covered[row.pattern] = true
		method, _, _ := strings.Cut(row.pattern, " ")
		for c := anonymous; c <= admin; c++ {
			t.Run(row.pattern+"/"+whoNames[c], func(t *testing.T) {
				w.t = t
				cl := row.prep(w, c)
				token := w.tokens[c]
				if cl.token != "" {
					token = cl.token
				}
				res := env.Call(t, method, cl.path, token, cl.body, cl.header...)
				if res.Status != row.want[c] {
					t.Errorf("%s %s as %s: %d, want %d: %s", method, cl.path, whoNames[c], res.Status, row.want[c], res.Body)
				}
			})
		}
	}
	for _, p := range server.Routes() {
		if !covered[p] {
			t.Errorf("route %s is missing from the authorisation matrix", p)
		}
	}
	if len(matrix) != len(server.Routes()) {
		t.Errorf("the matrix has %d rows for %d routes", len(matrix), len(server.Routes()))
	}
}
