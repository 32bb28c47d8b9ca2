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
