// The suite's tests of accounts, tokens, codes and subjects.

package storetest

import (
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/store"
)

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
	// Logins fold (issue 23, finding 2): a case variant is the same login,
	// and a sign-in by any spelling finds the one account.
	err = s.CreateAccount(ctx, &store.Account{Login: "FIRST", Mobile: "13700000009"})
	wantConflict(t, err, store.UniqueLogin, "")
	for _, spelling := range []string{"first", "First", "FIRST"} {
		got, err := s.AccountByLogin(ctx, spelling)
		must(t, err)
		if got.ID != a.ID {
			t.Errorf("AccountByLogin(%q) = %s, want %s", spelling, got.ID, a.ID)
		}
	}
	err = s.CreateAccount(ctx, &store.Account{Login: "second", Mobile: a.Mobile})
	wantConflict(t, err, store.UniqueMobile, "")

	b := newAccount(t, s, "third")
	b.Mobile = a.Mobile
	wantConflict(t, s.UpdateAccount(ctx, &b), store.UniqueMobile, "")
	b.Mobile, b.Login = "13700000002", "first"
	wantConflict(t, s.UpdateAccount(ctx, &b), store.UniqueLogin, "")
	b.Login = "fIRST"
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
	st, acc, err := s.Session(ctx, "h-abc")
	must(t, err)
	if st.AccountID != a.ID || !st.ExpiresAt.Equal(us(exp)) || acc.ID != a.ID || acc.Login != a.Login || acc.Role != a.Role {
		t.Fatalf("session = %+v, %+v", st, acc)
	}
	_, _, err = s.Session(ctx, "h-none")
	wantErr(t, err, store.ErrNotFound)
	// Expired tokens are returned: the caller decides.
	must(t, s.CreateToken(ctx, store.Token{Hash: "h-old", AccountID: a.ID, ExpiresAt: time.Now().Add(-time.Hour)}))
	_, err = s.TokenByHash(ctx, "h-old")
	must(t, err)

	must(t, s.DeleteToken(ctx, "h-abc"))
	_, err = s.TokenByHash(ctx, "h-abc")
	wantErr(t, err, store.ErrNotFound)
	_, _, err = s.Session(ctx, "h-abc")
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
