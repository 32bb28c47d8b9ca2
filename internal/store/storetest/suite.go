package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/store"
)

// Run checks that the stores open returns keep every promise of the
// store.Store interface. open must return a fresh, empty store each call;
// subtests run in parallel.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Accounts", testAccounts},
		{"AccountUniqueness", testAccountUniqueness},
		{"Tokens", testTokens},
		{"VerificationCodes", testVerificationCodes},
		{"Subject", testSubject},
		{"SubjectVersionConflict", testSubjectVersionConflict},
		{"SubjectCertUnique", testSubjectCertUnique},
		{"SiteRoundTrip", testSiteRoundTrip},
		{"SiteVersionConflict", testSiteVersionConflict},
		{"DeleteSite", testDeleteSite},
		{"DomainReservation", testDomainReservation},
		{"ReservingStates", testReservingStates},
		{"CancelledReleasesDomain", testCancelledReleasesDomain},
		{"ImportedSites", testImportedSites},
		{"DomainHolders", testDomainHolders},
		{"RecordNumber", testRecordNumber},
		{"ListSitesFilters", testListSitesFilters},
		{"ListSitesPagination", testListSitesPagination},
		{"InvalidCursor", testInvalidCursor},
		{"InTx", testInTx},
		{"FailedMethodInTxChangesNothing", testFailedMethodInTx},
		{"NextSequence", testNextSequence},
		{"NextSequenceConcurrent", func(t *testing.T, s store.Store) { ConcurrentSequences(t, []store.Store{s}, 200) }},
		{"ConcurrentReservations", func(t *testing.T, s store.Store) { ConcurrentReservations(t, []store.Store{s}, 50) }},
		{"ChangeRequests", testChangeRequests},
		{"SubjectChangeRequests", testSubjectChangeRequests},
		{"Notifications", testNotifications},
		{"Audit", testAudit},
		{"Outbox", testOutbox},
		{"Idempotency", testIdempotency},
		{"ReviewQueue", testReviewQueue},
		{"ContextCancelled", testContextCancelled},
		{"Limits", testLimits},
		{"ConcurrentLimit", testConcurrentLimit},
		{"Sweep", testSweep},
		{"DeleteAccountTokens", testDeleteAccountTokens},
		{"Attachments", testAttachments},
		{"ClaimChallenges", testClaimChallenges},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

// ---- fixtures ----

var mobiles atomic.Int64

// newAccount creates a sponsor account with a unique mobile number.
func newAccount(t testing.TB, s store.Store, login string) store.Account {
	t.Helper()
	a := store.Account{
		Login:        login,
		Mobile:       fmt.Sprintf("139%08d", mobiles.Add(1)),
		Email:        login + "@example.com",
		PasswordHash: "$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA",
	}
	must(t, s.CreateAccount(context.Background(), &a))
	return a
}

// newSite builds (not stores) a site of account in state, holding domains.
func newSite(accountID string, state filing.State, area string, domains ...string) *store.Site {
	primary := ""
	if len(domains) > 0 {
		primary = domains[0]
	}
	data := filingtest.Site(primary)
	if len(domains) > 1 {
		data.ExtraDomains = domains[1:]
	}
	return &store.Site{AccountID: accountID, State: state, Data: data, Domains: domains, AreaCode: area}
}

func createSite(t testing.TB, s store.Store, accountID string, state filing.State, area string, domains ...string) store.Site {
	t.Helper()
	v := newSite(accountID, state, area, domains...)
	must(t, s.CreateSite(context.Background(), v))
	return *v
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t testing.TB, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error = %v, want %v", err, want)
	}
}

func wantConflict(t testing.TB, err error, c store.Constraint, domain string) {
	t.Helper()
	var ce *store.ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("error = %v, want a conflict on %s", err, c)
	}
	if ce.Constraint != c || (domain != "" && ce.Domain != domain) {
		t.Fatalf("conflict = {%s %q}, want {%s %q}", ce.Constraint, ce.Domain, c, domain)
	}
}

func jsonOf(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	must(t, err)
	return string(b)
}

func ptr[T any](v T) *T { return &v }

func us(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// ---- accounts, tokens, codes ----

func testAccounts(t *testing.T, s store.Store) {
	ctx := t.Context()
	before := time.Now().Add(-time.Second)
	a := store.Account{Login: "wuhan-idc", Mobile: "13800138000", Email: "ops@example.com", PasswordHash: "h1"}
	must(t, s.CreateAccount(ctx, &a))
	if a.ID == "" || a.Role != "sponsor" || a.CreatedAt.Before(before) || a.CreatedAt.Location() != time.UTC {
		t.Fatalf("created account = %+v: want an ID, role sponsor, CreatedAt now in UTC", a)
	}
	for name, get := range map[string]func() (store.Account, error){
		"id":     func() (store.Account, error) { return s.AccountByID(ctx, a.ID) },
		"login":  func() (store.Account, error) { return s.AccountByLogin(ctx, "wuhan-idc") },
		"mobile": func() (store.Account, error) { return s.AccountByMobile(ctx, "13800138000") },
	} {
		got, err := get()
		must(t, err)
		if got != a {
			t.Errorf("by %s: got %+v, want %+v", name, got, a)
		}
	}
	_, err := s.AccountByLogin(ctx, "nobody")
	wantErr(t, err, store.ErrNotFound)
	_, err = s.AccountByMobile(ctx, "")
	wantErr(t, err, store.ErrNotFound)
	_, err = s.AccountByID(ctx, "nope")
	wantErr(t, err, store.ErrNotFound)

	a.Email, a.EmailVerified, a.PasswordHash, a.Role, a.AreaPrefix = "new@example.com", true, "h2", "reviewer", "4201"
	must(t, s.UpdateAccount(ctx, &a))
	got, err := s.AccountByID(ctx, a.ID)
	must(t, err)
	if got != a {
		t.Errorf("after update: got %+v, want %+v", got, a)
	}
	wantErr(t, s.UpdateAccount(ctx, &store.Account{ID: "nope", Login: "x", Role: "sponsor"}), store.ErrNotFound)

	// Accounts without a mobile (admins added from the command line) do
	// not collide with each other.
	for _, login := range []string{"admin1", "admin2"} {
		must(t, s.CreateAccount(ctx, &store.Account{Login: login, Role: "admin"}))
	}
}

func testAccountUniqueness(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "first")
	err := s.CreateAccount(ctx, &store.Account{Login: "first", Mobile: "13700000001"})
	wantConflict(t, err, store.UniqueLogin, "")
	err = s.CreateAccount(ctx, &store.Account{Login: "second", Mobile: a.Mobile})
	wantConflict(t, err, store.UniqueMobile, "")

	b := newAccount(t, s, "third")
	b.Mobile = a.Mobile
	wantConflict(t, s.UpdateAccount(ctx, &b), store.UniqueMobile, "")
	b.Mobile, b.Login = "13700000002", "first"
	wantConflict(t, s.UpdateAccount(ctx, &b), store.UniqueLogin, "")
	got, err := s.AccountByID(ctx, b.ID)
	must(t, err)
	if got.Login != "third" {
		t.Errorf("a refused update changed the login to %q", got.Login)
	}
}

func testTokens(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "tok")
	exp := time.Now().Add(30 * 24 * time.Hour)
	must(t, s.CreateToken(ctx, store.Token{Hash: "h-abc", AccountID: a.ID, ExpiresAt: exp}))
	got, err := s.TokenByHash(ctx, "h-abc")
	must(t, err)
	if got.AccountID != a.ID || !got.ExpiresAt.Equal(us(exp)) || got.CreatedAt.IsZero() {
		t.Fatalf("token = %+v", got)
	}
	// Expired tokens are returned: the caller decides.
	must(t, s.CreateToken(ctx, store.Token{Hash: "h-old", AccountID: a.ID, ExpiresAt: time.Now().Add(-time.Hour)}))
	_, err = s.TokenByHash(ctx, "h-old")
	must(t, err)

	must(t, s.DeleteToken(ctx, "h-abc"))
	_, err = s.TokenByHash(ctx, "h-abc")
	wantErr(t, err, store.ErrNotFound)
	wantErr(t, s.DeleteToken(ctx, "h-abc"), store.ErrNotFound)
}

func testVerificationCodes(t *testing.T, s store.Store) {
	ctx := t.Context()
	exp := time.Now().Add(5 * time.Minute)
	c := store.VerificationCode{Channel: "sms", To: "13800138000", Purpose: "register", CodeHash: "c1", ExpiresAt: exp}
	must(t, s.PutVerificationCode(ctx, c))
	got, err := s.VerificationCode(ctx, "sms", "13800138000", "register")
	must(t, err)
	c.ExpiresAt = us(exp)
	if got != c {
		t.Fatalf("code = %+v, want %+v", got, c)
	}
	must(t, s.UpdateVerificationAttempts(ctx, "sms", "13800138000", "register", 2))
	got, _ = s.VerificationCode(ctx, "sms", "13800138000", "register")
	if got.Attempts != 2 {
		t.Errorf("attempts = %d, want 2", got.Attempts)
	}
	// A new code replaces the old one and its attempts.
	c2 := store.VerificationCode{Channel: "sms", To: "13800138000", Purpose: "register", CodeHash: "c2", ExpiresAt: exp}
	must(t, s.PutVerificationCode(ctx, c2))
	got, _ = s.VerificationCode(ctx, "sms", "13800138000", "register")
	if got.CodeHash != "c2" || got.Attempts != 0 {
		t.Errorf("after replace: %+v", got)
	}
	// Purposes are separate.
	_, err = s.VerificationCode(ctx, "sms", "13800138000", "reset_password")
	wantErr(t, err, store.ErrNotFound)
	wantErr(t, s.UpdateVerificationAttempts(ctx, "sms", "13800138000", "reset_password", 1), store.ErrNotFound)

	must(t, s.DeleteVerificationCode(ctx, "sms", "13800138000", "register"))
	_, err = s.VerificationCode(ctx, "sms", "13800138000", "register")
	wantErr(t, err, store.ErrNotFound)
	must(t, s.DeleteVerificationCode(ctx, "sms", "13800138000", "register"))
}

// ---- subjects ----

func testSubject(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "subj")
	_, err := s.Subject(ctx, a.ID)
	wantErr(t, err, store.ErrNotFound)

	sub := store.Subject{AccountID: a.ID, Data: filingtest.Subject(), CertNumber: filingtest.UnitUSCC, AreaCode: "420111"}
	must(t, s.PutSubject(ctx, &sub, 0))
	if sub.Version != 1 || sub.State != filing.SubjectDraft || sub.CreatedAt.IsZero() || !sub.UpdatedAt.Equal(sub.CreatedAt) {
		t.Fatalf("inserted subject = %+v", sub)
	}
	got, err := s.Subject(ctx, a.ID)
	must(t, err)
	if jsonOf(t, got) != jsonOf(t, sub) {
		t.Fatalf("read back:\n got %s\nwant %s", jsonOf(t, got), jsonOf(t, sub))
	}

	submitted := time.Now().Add(-time.Minute)
	sub.State, sub.SubmittedAt = filing.SubjectUnderReview, &submitted
	sub.Data.Remarks = "第二版"
	must(t, s.PutSubject(ctx, &sub, 1))
	if sub.Version != 2 || sub.CreatedAt.Equal(time.Time{}) {
		t.Fatalf("updated subject = %+v", sub)
	}
	got, err = s.Subject(ctx, a.ID)
	must(t, err)
	if got.Version != 2 || got.State != filing.SubjectUnderReview || got.Data.Remarks != "第二版" ||
		got.SubmittedAt == nil || !got.SubmittedAt.Equal(us(submitted)) || got.ApprovedAt != nil ||
		!got.CreatedAt.Equal(sub.CreatedAt) {
		t.Fatalf("after update: %+v", got)
	}

	// Updating a subject that does not exist.
	missing := store.Subject{AccountID: "nope", Data: filingtest.Subject()}
	wantErr(t, s.PutSubject(ctx, &missing, 1), store.ErrNotFound)
}

func testSubjectVersionConflict(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "subjv")
	sub := store.Subject{AccountID: a.ID, Data: filingtest.Subject(), CertNumber: filingtest.UnitUSCC}
	must(t, s.PutSubject(ctx, &sub, 0))
	// A second "insert" means the caller's idea that there was none is stale.
	dup := store.Subject{AccountID: a.ID, Data: filingtest.IndividualSubject()}
	wantErr(t, s.PutSubject(ctx, &dup, 0), store.ErrVersionConflict)

	stale := sub
	stale.Data.Name = "过期的写入"
	must(t, s.PutSubject(ctx, &sub, 1)) // someone else wrote version 2
	wantErr(t, s.PutSubject(ctx, &stale, 1), store.ErrVersionConflict)
	if stale.Version != 1 {
		t.Errorf("a refused write changed the caller's Version to %d", stale.Version)
	}
	got, _ := s.Subject(ctx, a.ID)
	if got.Version != 2 || got.Data.Name != filingtest.Subject().Name {
		t.Errorf("a refused write changed the subject: %+v", got)
	}
}

func testSubjectCertUnique(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := newAccount(t, s, "certa"), newAccount(t, s, "certb")
	// Drafts and subjects under review do not reserve a number (issue 9
	// item 5): a squatter's draft does not lock the owner out.
	sa := store.Subject{AccountID: a.ID, State: filing.SubjectDraft, Data: filingtest.Subject(), CertNumber: filingtest.UnitUSCC}
	must(t, s.PutSubject(ctx, &sa, 0))
	sb := store.Subject{AccountID: b.ID, State: filing.SubjectUnderReview, Data: filingtest.Subject(), CertNumber: filingtest.UnitUSCC}
	must(t, s.PutSubject(ctx, &sb, 0))
	_, err := s.SubjectByCert(ctx, filingtest.UnitUSCC)
	wantErr(t, err, store.ErrNotFound) // nobody holds it yet
	// The first approval holds it; the second is refused.
	sb.State = filing.SubjectApproved
	must(t, s.PutSubject(ctx, &sb, sb.Version))
	sa.State = filing.SubjectApproved
	wantConflict(t, s.PutSubject(ctx, &sa, sa.Version), store.UniqueSubjectCert, "")
	sa.State = filing.SubjectUnderReview
	must(t, s.PutSubject(ctx, &sa, sa.Version))
	// Without a certificate number yet, any number of subjects may exist.
	c := newAccount(t, s, "certc")
	must(t, s.PutSubject(ctx, &store.Subject{AccountID: c.ID, Data: filing.Subject{}}, 0))

	// The import finds the approved subject by its number (SPEC §5); the
	// reviewer sees every claim to it.
	got, err := s.SubjectByCert(ctx, filingtest.UnitUSCC)
	must(t, err)
	if got.AccountID != b.ID {
		t.Errorf("SubjectByCert(%s) = account %s, want %s", filingtest.UnitUSCC, got.AccountID, b.ID)
	}
	all, err := s.SubjectsByCert(ctx, filingtest.UnitUSCC)
	must(t, err)
	if len(all) != 2 || all[0].AccountID != a.ID || all[1].AccountID != b.ID {
		t.Errorf("SubjectsByCert = %d subjects %+v, want a's and b's, oldest first", len(all), all)
	}
	_, err = s.SubjectByCert(ctx, "91110000000000000X")
	wantErr(t, err, store.ErrNotFound)
}

// ---- sites ----

func testSiteRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "site")
	submitted := time.Now().Add(-time.Hour)
	v := newSite(a.ID, filing.StateUnderReview, "420111", "example.com.cn", "www.example.com.cn", "xn--fiqs8s.xn--fiqz9s")
	v.Data = filingtest.InteractiveSite("example.com.cn")
	v.SubmittedAt, v.Late = &submitted, true
	must(t, s.CreateSite(ctx, v))
	if v.ID == "" || v.Version != 1 || v.CreatedAt.IsZero() {
		t.Fatalf("created site = %+v", v)
	}
	got, err := s.Site(ctx, v.ID)
	must(t, err)
	v.SubmittedAt = ptr(us(submitted))
	if jsonOf(t, got) != jsonOf(t, *v) {
		t.Fatalf("read back:\n got %s\nwant %s", jsonOf(t, got), jsonOf(t, *v))
	}
	if !slices.Equal(got.Domains, []string{"example.com.cn", "www.example.com.cn", "xn--fiqs8s.xn--fiqz9s"}) {
		t.Errorf("domains = %v: want the order given, primary first", got.Domains)
	}

	// An update rewrites everything, domains included; repeats are dropped.
	recorded := time.Now()
	v.State, v.RecordNumber, v.RecordedAt = filing.StateRecorded, "鄂公网安备42011102000001号", &recorded
	v.Domains = []string{"example.com.cn", "example.net", "example.net"}
	v.Data.Name = "改名后的网站"
	must(t, s.UpdateSite(ctx, v, 1))
	if v.Version != 2 || !slices.Equal(v.Domains, []string{"example.com.cn", "example.net"}) {
		t.Fatalf("updated site = %+v", v)
	}
	got, err = s.Site(ctx, v.ID)
	must(t, err)
	v.RecordedAt = ptr(us(recorded))
	if jsonOf(t, got) != jsonOf(t, *v) {
		t.Fatalf("after update:\n got %s\nwant %s", jsonOf(t, got), jsonOf(t, *v))
	}
	holders, err := s.DomainHolders(ctx, []string{"www.example.com.cn", "example.net"})
	must(t, err)
	if len(holders) != 1 || holders[0].Domain != "example.net" {
		t.Errorf("holders after the domain change = %+v: the dropped domain must be released", holders)
	}
	_, err = s.Site(ctx, "nope")
	wantErr(t, err, store.ErrNotFound)
	wantErr(t, s.UpdateSite(ctx, &store.Site{ID: "nope", State: filing.StateDraft}, 1), store.ErrNotFound)
}

func testSiteVersionConflict(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "sitev")
	v := createSite(t, s, a.ID, filing.StateDraft, "420111", "stale.example.com")
	first := v
	first.Data.Name = "first writer"
	must(t, s.UpdateSite(ctx, &first, 1))

	second := v
	second.State = filing.StateUnderReview
	second.Domains = []string{"other.example.com"}
	second.Data.Name = "second writer"
	wantErr(t, s.UpdateSite(ctx, &second, 1), store.ErrVersionConflict)
	if second.Version != 1 {
		t.Errorf("a refused write changed the caller's Version to %d", second.Version)
	}
	got, err := s.Site(ctx, v.ID)
	must(t, err)
	if got.Version != 2 || got.State != filing.StateDraft || got.Data.Name != "first writer" ||
		!slices.Equal(got.Domains, []string{"stale.example.com"}) {
		t.Fatalf("a refused write changed the site: %+v", got)
	}
	h, _ := s.DomainHolders(ctx, []string{"other.example.com"})
	if len(h) != 0 {
		t.Fatalf("a refused write left domain rows: %+v", h)
	}
}

func testDeleteSite(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "del")
	v := createSite(t, s, a.ID, filing.StateDraft, "420111", "gone.example.com")
	wantErr(t, s.DeleteSite(ctx, v.ID, 7), store.ErrVersionConflict)
	must(t, s.DeleteSite(ctx, v.ID, 1))
	_, err := s.Site(ctx, v.ID)
	wantErr(t, err, store.ErrNotFound)
	wantErr(t, s.DeleteSite(ctx, v.ID, 1), store.ErrNotFound)
	// Its domain is free again within the account.
	createSite(t, s, a.ID, filing.StateDraft, "420111", "gone.example.com")
}

func testDomainReservation(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := newAccount(t, s, "resa"), newAccount(t, s, "resb")
	const d = "shared.example.com"

	// Drafts do not reserve against other accounts (SPEC §3).
	da := createSite(t, s, a.ID, filing.StateDraft, "420111", d)
	db := createSite(t, s, b.ID, filing.StateDraft, "420102", "own.example.com", d)

	// Within one account a second draft for the same domain is refused.
	err := s.CreateSite(ctx, newSite(a.ID, filing.StateDraft, "420111", "new.example.com", d))
	wantConflict(t, err, store.UniqueAccountDomain, d)

	// Submission reserves.
	da.State = filing.StateUnderReview
	must(t, s.UpdateSite(ctx, &da, 1))
	db.State = filing.StateUnderReview
	wantConflict(t, s.UpdateSite(ctx, &db, 1), store.UniqueLiveDomain, d)
	got, _ := s.Site(ctx, db.ID)
	if got.State != filing.StateDraft || got.Version != 1 {
		t.Fatalf("the refused submission changed the site: %+v", got)
	}
	// A new site in a reserving state is refused as well.
	c := newAccount(t, s, "resc")
	err = s.CreateSite(ctx, newSite(c.ID, filing.StateUnderReview, "420102", "x.example.com", d))
	wantConflict(t, err, store.UniqueLiveDomain, d)
	if l, _, _ := s.ListSites(ctx, store.SiteFilter{AccountID: c.ID}); len(l) != 0 {
		t.Fatalf("the refused create left %d sites for c, want none", len(l))
	}
	// Without the shared domain b's site goes through.
	db.Domains = []string{"own.example.com"}
	must(t, s.UpdateSite(ctx, &db, 1))
}

// testReservingStates checks, for every state, the two domain rules the
// schema enforces against store.Reserving.
func testReservingStates(t *testing.T, s store.Store) {
	ctx := t.Context()
	other := newAccount(t, s, "other")
	for i, st := range filing.States {
		if st == filing.StateDeleted {
			continue
		}
		owner := newAccount(t, s, fmt.Sprintf("owner%d", i))
		d := fmt.Sprintf("state%d.example.com", i)
		createSite(t, s, owner.ID, st, "420111", d)

		err := s.CreateSite(ctx, newSite(other.ID, filing.StateUnderReview, "420111", d))
		if store.Reserving(st) {
			wantConflict(t, err, store.UniqueLiveDomain, d)
		} else if err != nil {
			t.Errorf("%s: another account's submission refused: %v", st, err)
		}

		err = s.CreateSite(ctx, newSite(owner.ID, filing.StateDraft, "420111", d))
		if st == filing.StateCancelled {
			if err != nil {
				t.Errorf("%s: a new draft of the owner refused: %v", st, err)
			}
		} else {
			wantConflict(t, err, store.UniqueAccountDomain, d)
		}
	}
}

func testCancelledReleasesDomain(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := newAccount(t, s, "cana"), newAccount(t, s, "canb")
	const d = "cancel.example.com"
	v := createSite(t, s, a.ID, filing.StateRecorded, "420111", d)
	wantConflict(t, s.CreateSite(ctx, newSite(b.ID, filing.StateUnderReview, "420102", d)), store.UniqueLiveDomain, d)
	v.State = filing.StateCancelUnderReview
	must(t, s.UpdateSite(ctx, &v, 1))
	wantConflict(t, s.CreateSite(ctx, newSite(b.ID, filing.StateUnderReview, "420102", d)), store.UniqueLiveDomain, d)
	v.State = filing.StateCancelled
	must(t, s.UpdateSite(ctx, &v, 2))
	must(t, s.CreateSite(ctx, newSite(b.ID, filing.StateUnderReview, "420102", d)))
	must(t, s.CreateSite(ctx, newSite(a.ID, filing.StateDraft, "420111", d))) // a may file it again
	h, err := s.DomainHolders(ctx, []string{d})
	must(t, err)
	if len(h) != 2 {
		t.Fatalf("holders = %+v: want b's submission and a's new draft, not the cancelled site", h)
	}
	for _, x := range h {
		if x.SiteID == v.ID {
			t.Errorf("the cancelled site is still listed as a holder")
		}
	}
}

func testImportedSites(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "imp")
	// An earlier filing not matched to any account yet: no account, holds
	// its domain.
	toClaim := &store.Site{State: filing.StateToClaim, Data: filingtest.Site("old.example.com"),
		Domains: []string{"old.example.com"}, OldRecordNumber: "鄂公网安备42010202000123号", ImportCert: "91420100MA0000000X"}
	must(t, s.CreateSite(ctx, toClaim))
	unrec := &store.Site{AccountID: a.ID, State: filing.StateUnrecorded, Data: filingtest.Site("older.example.com"),
		Domains: []string{"older.example.com"}, ImportCert: filingtest.UnitUSCC}
	must(t, s.CreateSite(ctx, unrec))
	got, err := s.Site(ctx, toClaim.ID)
	must(t, err)
	if got.AccountID != "" || got.OldRecordNumber != toClaim.OldRecordNumber {
		t.Fatalf("imported site = %+v", got)
	}
	wantConflict(t, s.CreateSite(ctx, newSite(a.ID, filing.StateUnderReview, "420111", "old.example.com")),
		store.UniqueLiveDomain, "old.example.com")

	bycert, err := s.SitesByImportCert(ctx, filingtest.UnitUSCC)
	must(t, err)
	if len(bycert) != 1 || bycert[0].ID != unrec.ID || !slices.Equal(bycert[0].Domains, []string{"older.example.com"}) {
		t.Fatalf("SitesByImportCert = %+v", bycert)
	}
	none, err := s.SitesByImportCert(ctx, "")
	must(t, err)
	if len(none) != 0 {
		t.Fatalf("SitesByImportCert(\"\") = %d sites, want none", len(none))
	}

	// Claiming: the filing moves to the account as a draft, releasing the
	// platform-wide hold until it is submitted again.
	got.AccountID, got.State = a.ID, filing.StateDraft
	must(t, s.UpdateSite(ctx, &got, 1))
	h, _ := s.DomainHolders(ctx, []string{"old.example.com"})
	if len(h) != 1 || h[0].AccountID != a.ID || h[0].State != filing.StateDraft {
		t.Fatalf("after the claim, holders = %+v", h)
	}
}

func testDomainHolders(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := newAccount(t, s, "hola"), newAccount(t, s, "holb")
	rec := createSite(t, s, a.ID, filing.StateRecorded, "420111", "held.example.com", "www.held.example.com")
	rec.RecordNumber = "鄂公网安备42011102000007号"
	must(t, s.UpdateSite(ctx, &rec, 1))
	draft := createSite(t, s, b.ID, filing.StateDraft, "420102", "held.example.com")
	createSite(t, s, b.ID, filing.StateCancelled, "420102", "gone.example.com")

	// A batch the size the API allows, most of them free.
	batch := []string{"gone.example.com", "held.example.com", "www.held.example.com", "held.example.com"}
	for i := range 1000 {
		batch = append(batch, fmt.Sprintf("free%d.example.com", i))
	}
	h, err := s.DomainHolders(ctx, batch)
	must(t, err)
	want := []store.DomainHolder{
		{Domain: "held.example.com", SiteID: rec.ID, AccountID: a.ID, State: filing.StateRecorded, RecordNumber: rec.RecordNumber},
		{Domain: "held.example.com", SiteID: draft.ID, AccountID: b.ID, State: filing.StateDraft},
		{Domain: "www.held.example.com", SiteID: rec.ID, AccountID: a.ID, State: filing.StateRecorded, RecordNumber: rec.RecordNumber},
	}
	slices.SortFunc(want[:2], func(x, y store.DomainHolder) int {
		if x.SiteID < y.SiteID {
			return -1
		}
		return 1
	})
	if !slices.Equal(h, want) {
		t.Fatalf("holders:\n got %+v\nwant %+v", h, want)
	}
	h, err = s.DomainHolders(ctx, nil)
	must(t, err)
	if len(h) != 0 {
		t.Fatalf("holders of nothing = %+v", h)
	}
}

func testRecordNumber(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "rn")
	const n = "鄂公网安备42011102000410号"
	v1 := createSite(t, s, a.ID, filing.StateRecorded, "420111", "one.example.com")
	v1.RecordNumber = n
	must(t, s.UpdateSite(ctx, &v1, 1))
	v2 := createSite(t, s, a.ID, filing.StateUnderReview, "420111", "two.example.com")
	v2.State, v2.RecordNumber = filing.StateRecorded, n
	wantConflict(t, s.UpdateSite(ctx, &v2, 1), store.UniqueRecordNumber, "")
	// Sites without a number do not collide.
	createSite(t, s, a.ID, filing.StateDraft, "420111", "three.example.com")

	got, err := s.SiteByRecordNumber(ctx, n)
	must(t, err)
	if got.ID != v1.ID || !slices.Equal(got.Domains, []string{"one.example.com"}) {
		t.Fatalf("SiteByRecordNumber = %+v", got)
	}
	_, err = s.SiteByRecordNumber(ctx, "鄂公网安备42011102000411号")
	wantErr(t, err, store.ErrNotFound)
	_, err = s.SiteByRecordNumber(ctx, "")
	wantErr(t, err, store.ErrNotFound)
}

func ids(sites []store.Site) []string {
	out := make([]string, len(sites))
	for i, v := range sites {
		out[i] = v.ID
	}
	return out
}

func testListSitesFilters(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := newAccount(t, s, "lista"), newAccount(t, s, "listb")
	a1 := createSite(t, s, a.ID, filing.StateDraft, "420111", "a1.example.com")
	a2 := createSite(t, s, a.ID, filing.StateUnderReview, "420111", "a2.example.com", "shared-name.example.com")
	a3 := createSite(t, s, a.ID, filing.StateRecorded, "420102", "a3.example.com")
	b1 := createSite(t, s, b.ID, filing.StateUnderReview, "110101", "b1.example.com")
	b2 := createSite(t, s, b.ID, filing.StateReturned, "420111", "b2.example.com")

	for _, tc := range []struct {
		name string
		f    store.SiteFilter
		want []string
	}{
		{"all", store.SiteFilter{}, []string{a1.ID, a2.ID, a3.ID, b1.ID, b2.ID}},
		{"account", store.SiteFilter{AccountID: a.ID}, []string{a1.ID, a2.ID, a3.ID}},
		{"drafts of b", store.SiteFilter{AccountID: b.ID, States: []filing.State{filing.StateDraft, filing.StateReturned}}, []string{b2.ID}},
		{"under review", store.SiteFilter{States: []filing.State{filing.StateUnderReview}}, []string{a2.ID, b1.ID}},
		{"extra domain", store.SiteFilter{Domain: "shared-name.example.com"}, []string{a2.ID}},
		{"Wuhan", store.SiteFilter{AreaPrefix: "4201"}, []string{a1.ID, a2.ID, a3.ID, b2.ID}},
		{"Hongshan", store.SiteFilter{AreaPrefix: "420111"}, []string{a1.ID, a2.ID, b2.ID}},
		{"Beijing under review", store.SiteFilter{AreaPrefix: "11", States: []filing.State{filing.StateUnderReview}}, []string{b1.ID}},
		{"nothing", store.SiteFilter{AccountID: "nobody"}, nil},
	} {
		got, next, err := s.ListSites(ctx, tc.f)
		must(t, err)
		if !slices.Equal(ids(got), tc.want) || next != "" {
			t.Errorf("%s: got %v (next %q), want %v", tc.name, ids(got), next, tc.want)
		}
	}
	got, _, _ := s.ListSites(ctx, store.SiteFilter{Domain: "a2.example.com"})
	if len(got) != 1 || !slices.Equal(got[0].Domains, []string{"a2.example.com", "shared-name.example.com"}) {
		t.Errorf("listed sites carry their domains: %+v", got)
	}
}

func testListSitesPagination(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := newAccount(t, s, "pagea"), newAccount(t, s, "pageb")
	var want []string
	for i := range 23 {
		want = append(want, createSite(t, s, a.ID, filing.StateDraft, "420111", fmt.Sprintf("p%02d.example.com", i)).ID)
		createSite(t, s, b.ID, filing.StateDraft, "420111", fmt.Sprintf("q%02d.example.com", i))
	}
	var got []string
	cursor, pages := "", 0
	for {
		page, next, err := s.ListSites(ctx, store.SiteFilter{AccountID: a.ID, Limit: 5, Cursor: cursor})
		must(t, err)
		if len(page) > 5 {
			t.Fatalf("page of %d, limit 5", len(page))
		}
		got = append(got, ids(page)...)
		pages++
		// A site created mid-listing, after the cursor, shows up later
		// without disturbing the pages already read.
		if pages == 2 {
			want = append(want, createSite(t, s, a.ID, filing.StateDraft, "420111", "late.example.com").ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if !slices.Equal(got, want) {
		t.Fatalf("paged:\n got %v\nwant %v", got, want)
	}
	if pages != 5 {
		t.Errorf("%d pages for 24 sites by 5, want 5", pages)
	}
	all, next, err := s.ListSites(ctx, store.SiteFilter{AccountID: a.ID, Limit: 10000})
	must(t, err)
	if len(all) != 24 || next != "" {
		t.Errorf("a large limit: %d sites, next %q", len(all), next)
	}
}

func testInvalidCursor(t *testing.T, s store.Store) {
	ctx := t.Context()
	for _, c := range []string{"%%%", "bm90IGEgY3Vyc29y"} { // not base64; base64 of the wrong shape for the queue
		_, _, err := s.ReviewQueue(ctx, "", "", store.Page{Cursor: c})
		wantErr(t, err, store.ErrInvalidCursor)
	}
	_, _, err := s.ListSites(ctx, store.SiteFilter{Cursor: "!!"})
	wantErr(t, err, store.ErrInvalidCursor)
	_, _, err = s.Notifications(ctx, "x", false, store.Page{Cursor: "!!"})
	wantErr(t, err, store.ErrInvalidCursor)
	_, _, err = s.Audit(ctx, "", store.Page{Cursor: "!!"})
	wantErr(t, err, store.ErrInvalidCursor)
}

// ---- transactions ----

func testInTx(t *testing.T, s store.Store) {
	ctx := t.Context()
	// Commit: everything is there afterwards.
	var a store.Account
	must(t, s.InTx(ctx, func(tx store.Store) error {
		a = store.Account{Login: "tx-commit", Mobile: "13700137000"}
		if err := tx.CreateAccount(ctx, &a); err != nil {
			return err
		}
		// Reads inside see the transaction's own writes.
		if _, err := tx.AccountByLogin(ctx, "tx-commit"); err != nil {
			return err
		}
		// A nested InTx joins the same transaction.
		return tx.InTx(ctx, func(tx2 store.Store) error {
			return tx2.CreateToken(ctx, store.Token{Hash: "tx-tok", AccountID: a.ID, ExpiresAt: time.Now().Add(time.Hour)})
		})
	}))
	_, err := s.TokenByHash(ctx, "tx-tok")
	must(t, err)

	// Rollback: an error from fn undoes everything, nested parts included.
	boom := errors.New("boom")
	err = s.InTx(ctx, func(tx store.Store) error {
		if err := tx.CreateAccount(ctx, &store.Account{Login: "tx-rollback"}); err != nil {
			return err
		}
		return tx.InTx(ctx, func(tx2 store.Store) error {
			if err := tx2.CreateToken(ctx, store.Token{Hash: "tx-tok2", AccountID: a.ID, ExpiresAt: time.Now()}); err != nil {
				return err
			}
			return boom
		})
	})
	wantErr(t, err, boom)
	_, err = s.AccountByLogin(ctx, "tx-rollback")
	wantErr(t, err, store.ErrNotFound)
	_, err = s.TokenByHash(ctx, "tx-tok2")
	wantErr(t, err, store.ErrNotFound)

	// A panic rolls back and propagates.
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not propagate")
			}
		}()
		_ = s.InTx(ctx, func(tx store.Store) error {
			_ = tx.CreateAccount(ctx, &store.Account{Login: "tx-panic"})
			panic("boom")
		})
	}()
	_, err = s.AccountByLogin(ctx, "tx-panic")
	wantErr(t, err, store.ErrNotFound)

	// The store is usable afterwards (no connection left in a transaction).
	newAccount(t, s, "after-tx")
}

// testFailedMethodInTx: a method that fails inside a transaction changes
// nothing, and the transaction can go on (SAVEPOINTs on both databases).
func testFailedMethodInTx(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := newAccount(t, s, "fma"), newAccount(t, s, "fmb")
	createSite(t, s, a.ID, filing.StateUnderReview, "420111", "held.example.com")
	var kept store.Site
	must(t, s.InTx(ctx, func(tx store.Store) error {
		// Fails on its second domain, after the site row was written.
		err := tx.CreateSite(ctx, newSite(b.ID, filing.StateUnderReview, "420102", "fresh.example.com", "held.example.com"))
		if !store.IsConflict(err, store.UniqueLiveDomain) {
			return fmt.Errorf("want live_domain, got %v", err)
		}
		kept = *newSite(b.ID, filing.StateUnderReview, "420102", "fresh.example.com")
		return tx.CreateSite(ctx, &kept)
	}))
	sites, _, err := s.ListSites(ctx, store.SiteFilter{AccountID: b.ID})
	must(t, err)
	if !slices.Equal(ids(sites), []string{kept.ID}) {
		t.Fatalf("b's sites = %v, want only %s: the failed create left rows", ids(sites), kept.ID)
	}
}

func testNextSequence(t *testing.T, s store.Store) {
	ctx := t.Context()
	for want := 1; want <= 3; want++ {
		n, err := s.NextSequence(ctx, "420111")
		must(t, err)
		if n != want {
			t.Fatalf("sequence %d, want %d", n, want)
		}
	}
	// Areas count separately.
	if n, _ := s.NextSequence(ctx, "420102"); n != 1 {
		t.Fatalf("another area starts at %d, want 1", n)
	}
	// A rolled-back approval gives its number back: no gap.
	boom := errors.New("boom")
	err := s.InTx(ctx, func(tx store.Store) error {
		n, err := tx.NextSequence(ctx, "420111")
		if err != nil {
			return err
		}
		if n != 4 {
			return fmt.Errorf("in tx: %d, want 4", n)
		}
		return boom
	})
	wantErr(t, err, boom)
	must(t, s.InTx(ctx, func(tx store.Store) error {
		n, err := tx.NextSequence(ctx, "420111")
		if err == nil && n != 4 {
			err = fmt.Errorf("after a rollback: %d, want 4 again", n)
		}
		return err
	}))
}

// ---- change requests, notifications, audit, outbox, idempotency ----

func testChangeRequests(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "cr")
	v := createSite(t, s, a.ID, filing.StateChangeUnderReview, "420111", "cr.example.com")
	_, err := s.OpenChangeRequest(ctx, v.ID)
	wantErr(t, err, store.ErrNotFound)

	proposed := v.Data
	proposed.Name = "新名称"
	changes := []byte(`[{"field":"site.name","old":"示例科技官网","new":"新名称"}]`)
	c := store.ChangeRequest{SiteID: v.ID, Kind: "change", Proposed: proposed, Changes: changes}
	must(t, s.CreateChangeRequest(ctx, &c))
	if c.ID == "" || c.State != "open" || c.CreatedAt.IsZero() {
		t.Fatalf("created change request = %+v", c)
	}
	got, err := s.OpenChangeRequest(ctx, v.ID)
	must(t, err)
	if got.ID != c.ID || got.Proposed.Name != "新名称" || !bytes.Equal(got.Changes, changes) || got.DecidedAt != nil {
		t.Fatalf("open change request = %+v", got)
	}
	// One open request per site.
	wantConflict(t, s.CreateChangeRequest(ctx, &store.ChangeRequest{SiteID: v.ID, Kind: "cancel", Proposed: v.Data}),
		store.UniqueOpenChange, "")

	decided := time.Now()
	c.State, c.Reason, c.DecidedAt = "returned", "材料不全", &decided
	must(t, s.UpdateChangeRequest(ctx, &c))
	_, err = s.OpenChangeRequest(ctx, v.ID)
	wantErr(t, err, store.ErrNotFound)
	// The site may now have a new one.
	must(t, s.CreateChangeRequest(ctx, &store.ChangeRequest{SiteID: v.ID, Kind: "cancel", Proposed: v.Data}))
	got, err = s.OpenChangeRequest(ctx, v.ID)
	must(t, err)
	if got.Kind != "cancel" || got.Changes != nil {
		t.Fatalf("second request = %+v", got)
	}
	wantErr(t, s.UpdateChangeRequest(ctx, &store.ChangeRequest{ID: "nope", State: "approved"}), store.ErrNotFound)
}

// A subject's key change is kept apart from the sites' requests: one open
// per subject, its proposed values round-trip, and while it is open the
// review queue counts the subject's wait from the request, not from the
// subject's first submission.
func testSubjectChangeRequests(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "scr")
	submitted := time.Now().Add(-48 * time.Hour)
	sub := store.Subject{AccountID: a.ID, State: filing.SubjectChangeUnderReview, Data: filingtest.Subject(),
		CertNumber: filingtest.UnitUSCC, AreaCode: "420111", SubmittedAt: &submitted}
	must(t, s.PutSubject(ctx, &sub, 0))
	_, err := s.OpenSubjectChangeRequest(ctx, a.ID)
	wantErr(t, err, store.ErrNotFound)

	proposed := sub.Data
	proposed.Name = "武汉新名称科技有限公司"
	changes := []byte(`[{"field":"subject.name","old":"示例","new":"武汉新名称科技有限公司","key":true}]`)
	c := store.ChangeRequest{AccountID: a.ID, Kind: "change", ProposedSubject: &proposed, Changes: changes}
	must(t, s.CreateChangeRequest(ctx, &c))
	if c.ID == "" || c.State != "open" || c.CreatedAt.IsZero() || c.SiteID != "" {
		t.Fatalf("created subject change request = %+v", c)
	}
	got, err := s.OpenSubjectChangeRequest(ctx, a.ID)
	must(t, err)
	if got.ID != c.ID || got.AccountID != a.ID || got.SiteID != "" || got.Kind != "change" ||
		got.ProposedSubject == nil || jsonOf(t, *got.ProposedSubject) != jsonOf(t, proposed) ||
		!bytes.Equal(got.Changes, changes) || got.DecidedAt != nil || !got.CreatedAt.Equal(c.CreatedAt) {
		t.Fatalf("open subject change request = %+v", got)
	}
	// Not a site's request: the sites' lookup does not see it.
	_, err = s.OpenChangeRequest(ctx, a.ID)
	wantErr(t, err, store.ErrNotFound)
	// A subject request needs its subject.
	if err := s.CreateChangeRequest(ctx, &store.ChangeRequest{AccountID: a.ID, Kind: "change"}); err == nil {
		t.Fatal("a subject change request without ProposedSubject was stored")
	}

	// The queue counts the wait from the request.
	page, _, err := s.ReviewQueue(ctx, "420111", "subject", store.Page{})
	must(t, err)
	var found bool
	for _, it := range page {
		if it.ID == a.ID {
			found = true
			if !it.SubmittedAt.Equal(c.CreatedAt) {
				t.Errorf("queued since %v, want the request's %v", it.SubmittedAt, c.CreatedAt)
			}
		}
	}
	if !found {
		t.Errorf("subject with an open change is not in the queue: %+v", page)
	}

	// One open request per subject.
	wantConflict(t, s.CreateChangeRequest(ctx, &store.ChangeRequest{AccountID: a.ID, Kind: "change", ProposedSubject: &proposed}),
		store.UniqueOpenChange, "")

	decided := time.Now()
	c.State, c.Reason, c.DecidedAt = "returned", "营业执照与名称不符", &decided
	must(t, s.UpdateChangeRequest(ctx, &c))
	_, err = s.OpenSubjectChangeRequest(ctx, a.ID)
	wantErr(t, err, store.ErrNotFound)

	// The subject may now ask again; the first request is kept as decided.
	again := store.ChangeRequest{AccountID: a.ID, Kind: "change", ProposedSubject: &proposed}
	must(t, s.CreateChangeRequest(ctx, &again))
	got, err = s.OpenSubjectChangeRequest(ctx, a.ID)
	must(t, err)
	if got.ID != again.ID || got.Changes != nil || got.Reason != "" {
		t.Fatalf("second request = %+v", got)
	}
	wantErr(t, s.UpdateChangeRequest(ctx, &store.ChangeRequest{ID: "nope", AccountID: a.ID, State: "approved", ProposedSubject: &proposed}), store.ErrNotFound)
}

func testNotifications(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := newAccount(t, s, "na"), newAccount(t, s, "nb")
	var added []store.Notification
	for i := range 7 {
		n := store.Notification{AccountID: a.ID, Kind: "site_returned", Title: fmt.Sprintf("退回 %d", i), Body: "材料不全", SiteID: "s1"}
		must(t, s.AddNotification(ctx, &n))
		added = append(added, n)
	}
	must(t, s.AddNotification(ctx, &store.Notification{AccountID: b.ID, Kind: "x", Title: "b", Body: "b"}))

	// Newest first, across pages.
	var got []store.Notification
	cursor := ""
	for {
		page, next, err := s.Notifications(ctx, a.ID, false, store.Page{Limit: 3, Cursor: cursor})
		must(t, err)
		got = append(got, page...)
		if next == "" {
			break
		}
		cursor = next
	}
	if len(got) != 7 {
		t.Fatalf("%d notifications, want 7", len(got))
	}
	for i, n := range got {
		if jsonOf(t, n) != jsonOf(t, added[6-i]) {
			t.Fatalf("notification %d:\n got %s\nwant %s", i, jsonOf(t, n), jsonOf(t, added[6-i]))
		}
	}

	readAt := time.Now()
	must(t, s.MarkNotificationRead(ctx, a.ID, added[2].ID, readAt))
	must(t, s.MarkNotificationRead(ctx, a.ID, added[2].ID, readAt.Add(time.Hour))) // keeps the first time
	wantErr(t, s.MarkNotificationRead(ctx, b.ID, added[3].ID, readAt), store.ErrNotFound)
	wantErr(t, s.MarkNotificationRead(ctx, a.ID, "nope", readAt), store.ErrNotFound)

	unread, _, err := s.Notifications(ctx, a.ID, true, store.Page{})
	must(t, err)
	if len(unread) != 6 || slices.ContainsFunc(unread, func(n store.Notification) bool { return n.ID == added[2].ID }) {
		t.Fatalf("unread = %d notifications, want 6 without the read one", len(unread))
	}
	all, _, _ := s.Notifications(ctx, a.ID, false, store.Page{})
	for _, n := range all {
		if n.ID == added[2].ID && (n.ReadAt == nil || !n.ReadAt.Equal(us(readAt))) {
			t.Fatalf("read_at = %v, want %v", n.ReadAt, us(readAt))
		}
	}
}

func testAudit(t *testing.T, s store.Store) {
	ctx := t.Context()
	at := time.Date(2026, 3, 1, 8, 30, 0, 123456789, time.FixedZone("CST", 8*3600))
	events := []store.AuditEvent{
		{At: at, ActorID: "acc1", ActorRole: "sponsor", Entity: "site", EntityID: "site1", Action: "amend", Field: "site.icp_number", Old: "鄂ICP备1号", New: "鄂ICP备2号"},
		{ActorID: "acc1", ActorRole: "sponsor", Entity: "site", EntityID: "site1", Action: "amend", Field: "site.languages", Old: `["zh-Hans"]`, New: `["zh-Hans","en"]`},
	}
	must(t, s.AddAudit(ctx, events...))
	must(t, s.AddAudit(ctx, store.AuditEvent{ActorID: "rev1", ActorRole: "reviewer", Entity: "site", EntityID: "site2", Action: "approve", Detail: "ok"}))
	must(t, s.AddAudit(ctx))
	must(t, s.AddAudit(ctx, store.AuditEvent{ActorID: "rev1", ActorRole: "reviewer", Entity: "site", EntityID: "site1", Action: "approve"}))

	got, next, err := s.Audit(ctx, "site1", store.Page{})
	must(t, err)
	if len(got) != 3 || next != "" {
		t.Fatalf("site1 trail: %d events", len(got))
	}
	if !got[0].At.Equal(us(at)) || got[0].At.Location() != time.UTC || got[0].Old != "鄂ICP备1号" || got[0].New != "鄂ICP备2号" {
		t.Errorf("first event = %+v (want the given time, in UTC, and old → new)", got[0])
	}
	if got[1].Field != "site.languages" || got[1].At.IsZero() || got[2].Action != "approve" {
		t.Errorf("trail out of order: %+v", got)
	}
	// Everything, oldest first, across pages.
	var all []store.AuditEvent
	cursor := ""
	for {
		page, next, err := s.Audit(ctx, "", store.Page{Limit: 1, Cursor: cursor})
		must(t, err)
		all = append(all, page...)
		if next == "" {
			break
		}
		cursor = next
	}
	if len(all) != 4 || all[2].EntityID != "site2" {
		t.Fatalf("whole trail = %+v", all)
	}
}

func testOutbox(t *testing.T, s store.Store) {
	ctx := t.Context()
	for i := range 5 {
		to := "13800138000"
		if i%2 == 1 {
			to = "13900139000"
		}
		must(t, s.AddOutbox(ctx, &store.OutboxMessage{Channel: "sms", To: to, Body: fmt.Sprintf("验证码 %d", i), Code: fmt.Sprint(i)}))
	}
	all, err := s.Outbox(ctx, "")
	must(t, err)
	if len(all) != 5 {
		t.Fatalf("%d messages, want 5", len(all))
	}
	for i, m := range all {
		if m.Code != fmt.Sprint(i) || m.SentAt.IsZero() {
			t.Fatalf("message %d = %+v: want newest last", i, m)
		}
	}
	mine, err := s.Outbox(ctx, "13900139000")
	must(t, err)
	if len(mine) != 2 || mine[0].Code != "1" || mine[1].Code != "3" {
		t.Fatalf("messages to one number = %+v", mine)
	}
}

func testIdempotency(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := store.Idempotency{AccountID: "acc1", Key: "k-1", RequestHash: "POST /v1/sites h1", Status: 201, Body: []byte(`{"id":"s1"}`)}
	must(t, s.PutIdempotency(ctx, r))
	got, err := s.Idempotency(ctx, "acc1", "k-1")
	must(t, err)
	if got.Status != 201 || !bytes.Equal(got.Body, r.Body) || got.RequestHash != r.RequestHash || got.CreatedAt.IsZero() {
		t.Fatalf("stored answer = %+v", got)
	}
	r2 := r
	r2.Body = []byte(`{"id":"s2"}`)
	wantConflict(t, s.PutIdempotency(ctx, r2), store.UniqueIdempotency, "")
	got, _ = s.Idempotency(ctx, "acc1", "k-1")
	if !bytes.Equal(got.Body, r.Body) {
		t.Fatalf("a refused put changed the answer to %s", got.Body)
	}
	// Keys are per account; anonymous requests have their own space.
	must(t, s.PutIdempotency(ctx, store.Idempotency{AccountID: "acc2", Key: "k-1", RequestHash: "x", Status: 200}))
	must(t, s.PutIdempotency(ctx, store.Idempotency{Key: "k-1", RequestHash: "y", Status: 202}))
	anon, err := s.Idempotency(ctx, "", "k-1")
	must(t, err)
	if anon.Status != 202 || len(anon.Body) != 0 {
		t.Fatalf("anonymous answer = %+v", anon)
	}
	_, err = s.Idempotency(ctx, "acc1", "k-2")
	wantErr(t, err, store.ErrNotFound)
}

// ---- review queue ----

func testReviewQueue(t *testing.T, s store.Store) {
	ctx := t.Context()
	t0 := time.Now().Add(-24 * time.Hour)
	at := func(h int) *time.Time { return ptr(t0.Add(time.Duration(h) * time.Hour)) }

	// Subjects: Hongshan (Wuhan), Jiang'an (Wuhan), Dongcheng (Beijing), and
	// one still a draft (not in any queue).
	subject := func(login, area string, state filing.SubjectState, submitted *time.Time) store.Account {
		a := newAccount(t, s, login)
		must(t, s.PutSubject(ctx, &store.Subject{AccountID: a.ID, State: state, Data: filingtest.Subject(),
			AreaCode: area, SubmittedAt: submitted}, 0))
		return a
	}
	hs := subject("hongshan", "420111", filing.SubjectUnderReview, at(1))
	ja := subject("jiangan", "420102", filing.SubjectChangeUnderReview, at(4))
	bj := subject("beijing", "110101", filing.SubjectUnderReview, at(2))
	subject("drafting", "420111", filing.SubjectDraft, nil)

	site := func(a store.Account, state filing.State, area, domain string, submitted *time.Time) store.Site {
		v := newSite(a.ID, state, area, domain)
		v.SubmittedAt = submitted
		must(t, s.CreateSite(ctx, v))
		return *v
	}
	s1 := site(hs, filing.StateUnderReview, "420111", "q1.example.com", at(3))
	s2 := site(bj, filing.StateUnderReview, "110101", "q2.example.com", at(5))
	site(hs, filing.StateDraft, "420111", "q3.example.com", nil)
	site(hs, filing.StateRecorded, "420111", "q4.example.com", at(0))
	ch := site(ja, filing.StateChangeUnderReview, "420102", "q5.example.com", at(0))
	must(t, s.CreateChangeRequest(ctx, &store.ChangeRequest{SiteID: ch.ID, Kind: "change", Proposed: ch.Data}))
	cn := site(hs, filing.StateCancelUnderReview, "420111", "q6.example.com", at(0))
	must(t, s.CreateChangeRequest(ctx, &store.ChangeRequest{SiteID: cn.ID, Kind: "cancel", Proposed: cn.Data}))

	item := func(kind, id, area string) string { return kind + ":" + id + ":" + area }
	all := []string{ // oldest first
		item("subject", hs.ID, "420111"),
		item("subject", bj.ID, "110101"),
		item("site", s1.ID, "420111"),
		item("subject", ja.ID, "420102"),
		item("site", s2.ID, "110101"),
	}
	// The requests wait from their creation, just now, in that order.
	all = append(all, item("change", ch.ID, "420102"), item("cancel", cn.ID, "420111"))

	keep := func(pred func(string) bool) []string {
		var out []string
		for _, x := range all {
			if pred(x) {
				out = append(out, x)
			}
		}
		return out
	}
	area := func(p string) func(string) bool {
		return func(x string) bool { return len(x) >= len(p) && x[len(x)-6:len(x)-6+len(p)] == p }
	}
	for _, tc := range []struct {
		prefix, kind string
		want         []string
	}{
		{"", "", all},
		{"4201", "", keep(area("4201"))},
		{"420111", "", keep(area("420111"))},
		{"11", "", keep(area("11"))},
		{"42", "subject", keep(func(x string) bool { return area("42")(x) && x[:8] == "subject:" })},
		{"", "site", []string{item("site", s1.ID, "420111"), item("site", s2.ID, "110101")}},
		{"", "cancel", []string{item("cancel", cn.ID, "420111")}},
		{"31", "", nil},
	} {
		var got []string
		cursor := ""
		for {
			page, next, err := s.ReviewQueue(ctx, tc.prefix, tc.kind, store.Page{Limit: 2, Cursor: cursor})
			must(t, err)
			for _, it := range page {
				got = append(got, item(it.Kind, it.ID, it.AreaCode))
			}
			if next == "" {
				break
			}
			cursor = next
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("queue %q/%q:\n got %v\nwant %v", tc.prefix, tc.kind, got, tc.want)
		}
	}
	page, _, err := s.ReviewQueue(ctx, "", "", store.Page{Limit: 1})
	must(t, err)
	if len(page) != 1 || !page[0].SubmittedAt.Equal(us(*at(1))) {
		t.Errorf("first item = %+v, want submitted at %v", page, us(*at(1)))
	}
	n, err := s.QueueLength(ctx)
	must(t, err)
	if n != len(all) {
		t.Errorf("queue length %d, want %d", n, len(all))
	}
}

func testContextCancelled(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.AccountByLogin(ctx, "anyone")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("with a cancelled context: %v, want context.Canceled", err)
	}
	err = s.InTx(ctx, func(store.Store) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("InTx with a cancelled context: %v, want context.Canceled", err)
	}
}
