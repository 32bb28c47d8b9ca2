package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/store"
)

// ConcurrentSequences runs n approvals at once, each allocating the next
// sequence of one area inside its own transaction, spread over stores (pass
// several pools on one database to stand in for several server processes).
// A tenth as many more allocate and then roll back. The committed numbers
// must be exactly 1…n: distinct, consecutive, no gaps from the rollbacks.
func ConcurrentSequences(t *testing.T, stores []store.Store, n int) {
	t.Helper()
	ctx := t.Context()
	const area = "420111"
	errRollback := errors.New("rolled back on purpose")
	var (
		mu        sync.Mutex
		committed []int
		start     = make(chan struct{})
		wg        sync.WaitGroup
		errs      = make(chan error, n+n/10)
	)
	for i := range n + n/10 {
		rollback := i >= n
		s := stores[i%len(stores)]
		wg.Go(func() {
			<-start
			var got int
			err := s.InTx(ctx, func(tx store.Store) error {
				seq, err := tx.NextSequence(ctx, area)
				if err != nil {
					return err
				}
				got = seq
				if rollback {
					return errRollback
				}
				return nil
			})
			switch {
			case rollback && errors.Is(err, errRollback):
			case err != nil:
				errs <- err
			default:
				mu.Lock()
				committed = append(committed, got)
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("allocation failed: %v", err)
	}
	slices.Sort(committed)
	for i, v := range committed {
		if v != i+1 {
			t.Fatalf("committed sequences are not 1…%d: position %d holds %d (all: %v)", n, i, v, committed)
		}
	}
	if len(committed) != n {
		t.Fatalf("%d approvals committed, want %d", len(committed), n)
	}
	// And the next one continues from there.
	next, err := stores[0].NextSequence(ctx, area)
	if err != nil || next != n+1 {
		t.Fatalf("after the run: %d, %v; want %d", next, err, n+1)
	}
}

// ConcurrentReservations has n accounts file the same domain at once,
// spread over stores, three times: by creating sites already under review;
// by submitting drafts (drafts do not reserve, so all n drafts exist); and
// with two shared domains listed in opposite orders by half of them each
// (which deadlocks a store that inserts in the order given). Each time
// exactly one must win and every other get a live_domain conflict naming a
// shared domain, and each shared domain must end up with one holder.
func ConcurrentReservations(t *testing.T, stores []store.Store, n int) {
	t.Helper()
	ctx := t.Context()
	accounts := make([]store.Account, n)
	for i := range accounts {
		accounts[i] = newAccount(t, stores[0], fmt.Sprintf("racer%03d", i))
	}

	race := func(name string, domains []string, attempt func(s store.Store, i int) (siteID string, err error)) {
		t.Helper()
		var (
			mu      sync.Mutex
			winners []string
			wg      sync.WaitGroup
			start   = make(chan struct{})
			errs    = make(chan error, n)
		)
		for i := range n {
			s := stores[i%len(stores)]
			wg.Go(func() {
				<-start
				id, err := attempt(s, i)
				var ce *store.ConflictError
				switch {
				case err == nil:
					mu.Lock()
					winners = append(winners, id)
					mu.Unlock()
				case errors.As(err, &ce) && ce.Constraint == store.UniqueLiveDomain && slices.Contains(domains, ce.Domain):
				default:
					errs <- err
				}
			})
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("%s: a loser got %v, want a live_domain conflict on one of %v", name, err, domains)
		}
		if len(winners) != 1 {
			t.Fatalf("%s: %d winners, want exactly 1", name, len(winners))
		}
		holders, err := stores[len(stores)-1].DomainHolders(ctx, domains)
		if err != nil {
			t.Fatal(err)
		}
		reserving := map[string]int{}
		for _, h := range holders {
			if store.Reserving(h.State) {
				reserving[h.Domain]++
				if h.SiteID != winners[0] {
					t.Errorf("%s: %s is held by %s, not by the winner %s", name, h.Domain, h.SiteID, winners[0])
				}
			}
		}
		for _, d := range domains {
			if reserving[d] != 1 {
				t.Fatalf("%s: %d sites reserve %s, want 1", name, reserving[d], d)
			}
		}
	}

	race("create", []string{"race-create.example.com"}, func(s store.Store, i int) (string, error) {
		v := newSite(accounts[i].ID, filing.StateUnderReview, "420111", fmt.Sprintf("own%03d.example.com", i), "race-create.example.com")
		err := s.CreateSite(ctx, v)
		return v.ID, err
	})

	drafts := make([]store.Site, n)
	for i := range drafts {
		drafts[i] = createSite(t, stores[0], accounts[i].ID, filing.StateDraft, "420111", "race-submit.example.com")
	}
	race("submit", []string{"race-submit.example.com"}, func(s store.Store, i int) (string, error) {
		v := drafts[i]
		v.State = filing.StateUnderReview
		return v.ID, s.InTx(ctx, func(tx store.Store) error {
			return tx.UpdateSite(ctx, &v, 1)
		})
	})
	crossed := []string{"cross-a.example.com", "cross-b.example.com"}
	race("crossed", crossed, func(s store.Store, i int) (string, error) {
		own := fmt.Sprintf("own-crossed%03d.example.com", i)
		domains := []string{own, crossed[0], crossed[1]}
		if i%2 == 1 {
			domains = []string{crossed[1], own, crossed[0]}
		}
		v := newSite(accounts[i].ID, filing.StateUnderReview, "420111", domains...)
		err := s.CreateSite(ctx, v)
		return v.ID, err
	})
}
