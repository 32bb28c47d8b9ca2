// Helpers of the store suite: accounts and sites to test with, assertions.

package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/store"
)

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

func ids(sites []store.Site) []string {
	out := make([]string, len(sites))
	for i, v := range sites {
		out[i] = v.ID
	}
	return out
}
