package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/store"
)

func testLimits(t *testing.T, s store.Store) {
	ctx := t.Context()
	t0 := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	for i := range 3 {
		n, err := s.HitLimit(ctx, "code_sent:sms:13800138000", t0.Add(time.Duration(i)*time.Minute), t0.Add(-time.Hour))
		must(t, err)
		if n != i+1 {
			t.Fatalf("hit %d counted %d", i+1, n)
		}
	}
	// The window slides: since t0+1m sees the last two.
	n, newest, err := s.LimitEvents(ctx, "code_sent:sms:13800138000", t0.Add(time.Minute))
	must(t, err)
	if n != 2 || !newest.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("LimitEvents = %d, %v; want 2, %v", n, newest, t0.Add(2*time.Minute))
	}
	// Keys are separate; an unknown key has none.
	n, newest, err = s.LimitEvents(ctx, "code_sent:sms:13900139000", t0.Add(-time.Hour))
	must(t, err)
	if n != 0 || !newest.IsZero() {
		t.Fatalf("other key = %d, %v", n, newest)
	}
	must(t, s.ClearLimit(ctx, "code_sent:sms:13800138000"))
	if n, _, _ := s.LimitEvents(ctx, "code_sent:sms:13800138000", t0.Add(-time.Hour)); n != 0 {
		t.Fatalf("after ClearLimit: %d events", n)
	}
}

// testConcurrentLimit: of 40 concurrent hits on one key with a limit of 5,
// no more than 5 see a count within it (insert first, count second).
func testConcurrentLimit(t *testing.T, s store.Store) {
	ctx := t.Context()
	t0 := time.Now()
	var mu sync.Mutex
	within := 0
	var wg sync.WaitGroup
	for range 40 {
		wg.Go(func() {
			n, err := s.HitLimit(ctx, "burst", time.Now(), t0.Add(-time.Minute))
			if err != nil {
				t.Error(err)
				return
			}
			if n <= 5 {
				mu.Lock()
				within++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if within > 5 {
		t.Fatalf("%d of 40 concurrent hits saw a count within a limit of 5", within)
	}
	if n, _, _ := s.LimitEvents(ctx, "burst", t0.Add(-time.Minute)); n != 40 {
		t.Fatalf("%d events kept, want 40", n)
	}
}

func testSweep(t *testing.T, s store.Store) {
	ctx := t.Context()
	now := time.Now().UTC()
	a := newAccount(t, s, "sweep")
	must(t, s.CreateToken(ctx, store.Token{Hash: "live", AccountID: a.ID, ExpiresAt: now.Add(time.Hour)}))
	must(t, s.CreateToken(ctx, store.Token{Hash: "dead", AccountID: a.ID, ExpiresAt: now.Add(-time.Hour)}))
	must(t, s.PutVerificationCode(ctx, store.VerificationCode{Channel: "sms", To: "1", Purpose: "register", CodeHash: "x", ExpiresAt: now.Add(-time.Minute)}))
	must(t, s.PutVerificationCode(ctx, store.VerificationCode{Channel: "sms", To: "2", Purpose: "register", CodeHash: "x", ExpiresAt: now.Add(time.Minute)}))
	for i, at := range []time.Time{now.Add(-48 * time.Hour), now} {
		_, err := s.HitLimit(ctx, fmt.Sprint("k", i), at, at)
		must(t, err)
	}
	n, err := s.Sweep(ctx, store.SweepBefore{LimitEvents: now.Add(-24 * time.Hour), Expired: now})
	must(t, err)
	if n != 3 {
		t.Errorf("swept %d rows, want 3 (a token, a code, a limit event)", n)
	}
	if _, err := s.TokenByHash(ctx, "live"); err != nil {
		t.Errorf("live token swept: %v", err)
	}
	wantErr(t, func() error { _, err := s.TokenByHash(ctx, "dead"); return err }(), store.ErrNotFound)
	if _, err := s.VerificationCode(ctx, "sms", "2", "register"); err != nil {
		t.Errorf("live code swept: %v", err)
	}
	if n, _, _ := s.LimitEvents(ctx, "k1", now.Add(-time.Hour)); n != 1 {
		t.Errorf("recent limit event swept")
	}
}

func testDeleteAccountTokens(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := newAccount(t, s, "revoke-a"), newAccount(t, s, "revoke-b")
	exp := time.Now().Add(time.Hour)
	for _, h := range []string{"a1", "a2"} {
		must(t, s.CreateToken(ctx, store.Token{Hash: h, AccountID: a.ID, ExpiresAt: exp}))
	}
	must(t, s.CreateToken(ctx, store.Token{Hash: "b1", AccountID: b.ID, ExpiresAt: exp}))
	n, err := s.DeleteAccountTokens(ctx, a.ID)
	must(t, err)
	if n != 2 {
		t.Errorf("revoked %d, want 2", n)
	}
	wantErr(t, func() error { _, err := s.TokenByHash(ctx, "a2"); return err }(), store.ErrNotFound)
	if _, err := s.TokenByHash(ctx, "b1"); err != nil {
		t.Errorf("another account's token went: %v", err)
	}
}

func testAttachments(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "uploader")
	x := store.Attachment{AccountID: a.ID, SHA256: "ab12", ContentType: "application/pdf", Size: 1234, Name: "icp.pdf"}
	must(t, s.CreateAttachment(ctx, &x))
	y := store.Attachment{AccountID: a.ID, SHA256: "ab12", ContentType: "application/pdf", Size: 1234}
	must(t, s.CreateAttachment(ctx, &y))
	if x.ID == "" || x.ID == y.ID || x.CreatedAt.IsZero() {
		t.Fatalf("ids %q %q, created %v: want distinct opaque IDs", x.ID, y.ID, x.CreatedAt)
	}
	got, err := s.Attachment(ctx, x.ID)
	must(t, err)
	if got != x {
		t.Fatalf("attachment = %+v, want %+v", got, x)
	}
	for _, bad := range []string{".", "..", "./", "/", "", "ab12", "ab12.pdf"} {
		_, err := s.Attachment(ctx, bad)
		wantErr(t, err, store.ErrNotFound)
	}
	n, err := s.AttachmentBytes(ctx, a.ID)
	must(t, err)
	if n != 2468 {
		t.Errorf("AttachmentBytes = %d, want 2468", n)
	}
	if n, _ := s.AttachmentBytes(ctx, "nobody"); n != 0 {
		t.Errorf("AttachmentBytes of nobody = %d", n)
	}
}

func testClaimChallenges(t *testing.T, s store.Store) {
	ctx := t.Context()
	exp := time.Now().Add(time.Hour).UTC().Truncate(time.Microsecond)
	c := store.ClaimChallenge{SiteID: "s1", AccountID: "a1", Token: "t1", ExpiresAt: exp}
	must(t, s.PutClaimChallenge(ctx, c))
	got, err := s.ClaimChallenge(ctx, "s1", "a1")
	must(t, err)
	if got != c {
		t.Fatalf("challenge = %+v, want %+v", got, c)
	}
	_, err = s.ClaimChallenge(ctx, "s1", "a2")
	wantErr(t, err, store.ErrNotFound)
	c.Token = "t2"
	must(t, s.PutClaimChallenge(ctx, c))
	if got, _ := s.ClaimChallenge(ctx, "s1", "a1"); got.Token != "t2" {
		t.Errorf("replaced challenge = %+v", got)
	}
}
