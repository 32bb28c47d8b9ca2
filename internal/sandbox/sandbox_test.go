package sandbox

import (
	"context"
	"os"
	"testing"

	"github.com/beian-dev/beian/internal/client"
)

func TestSignInOnceThenReuse(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	sb, err := Open(ctx, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	first, err := sb.SignIn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again, err := sb.SignIn(ctx)
	if err != nil || again != first {
		t.Errorf("second sign-in made a new token: %v", err)
	}
	c, err := client.New(client.Options{BaseURL: sb.BaseURL(), Token: first, Transport: sb.Transport()})
	if err != nil {
		t.Fatal(err)
	}
	acc, err := c.Account(ctx)
	if err != nil || acc.Role != "sponsor" {
		t.Fatalf("account %+v %v", acc, err)
	}
	// The token is kept only by the sandbox, readable only by its owner.
	st, err := os.Stat(credentialsFile(dir))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("credentials %v %v", st, err)
	}
	sb.Close()

	// Reopened, the same account signs in again.
	sb2, err := Open(ctx, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	third, err := sb2.SignIn(ctx)
	if err != nil || third != first {
		t.Errorf("reopened sandbox: %v", err)
	}
	sb2.Close()

	if err := Reset(dir); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{DatabaseFile(dir), credentialsFile(dir)} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s survived the reset", p)
		}
	}
	// After a reset a new account is made.
	sb3, err := Open(ctx, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer sb3.Close()
	fresh, err := sb3.SignIn(ctx)
	if err != nil || fresh == first {
		t.Errorf("after reset: %v", err)
	}
}

func TestTransportRespectsCancellation(t *testing.T) {
	sb, err := Open(context.Background(), Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	c, _ := client.New(client.Options{BaseURL: sb.BaseURL(), Transport: sb.Transport(), Retries: -1})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Healthz(ctx); err == nil {
		t.Error("a cancelled request was served")
	}
	if err := c.Healthz(context.Background()); err != nil {
		t.Errorf("healthz: %v", err)
	}
}

// A sandbox made by an earlier version kept its account in the client's
// credentials format; it is read as it is, and a file others could read is
// repaired to 0600.
func TestAccountFileOfEarlierVersions(t *testing.T) {
	dir := t.TempDir()
	old := "servers:\n    sandbox:\n        login: sbx-old\n        token: tok-old\n        password: pw-old\n"
	if err := os.WriteFile(credentialsFile(dir), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := loadAccount(dir)
	if err != nil || a != (account{Login: "sbx-old", Token: "tok-old", Password: "pw-old"}) {
		t.Fatalf("loadAccount = %+v, %v", a, err)
	}
	if st, err := os.Stat(credentialsFile(dir)); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("mode after load: %v %v", st.Mode().Perm(), err)
	}
	a.Token = "tok-new"
	if err := saveAccount(dir, a); err != nil {
		t.Fatal(err)
	}
	if b, _ := loadAccount(dir); b.Token != "tok-new" || b.Login != "sbx-old" {
		t.Errorf("after save: %+v", b)
	}
}
