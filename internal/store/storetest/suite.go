package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/filing"
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
		{"Webhooks", testWebhooks},
		{"SiteWebhooks", testSiteWebhooks},
		{"SiteCounts", testSiteCounts},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

// ---- fixtures ----

// ---- accounts, tokens, codes ----

// ---- subjects ----

// ---- sites ----

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

// ---- change requests, notifications, audit, outbox, idempotency ----

// ---- review queue ----

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
