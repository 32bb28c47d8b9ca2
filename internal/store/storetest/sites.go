// The suite's tests of sites, domains, record numbers and listing.

package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/store"
)

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
