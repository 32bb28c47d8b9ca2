package logout

import (
	"context"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/cli/clitest"
	"github.com/beian-dev/beian/internal/cli/config"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
)

func TestNewCmdLogout(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	called := false
	cmd := NewCmdLogout(clitest.NewFactory(ios, nil, output.Options{}), func(context.Context, *Options) error { called = true; return nil })
	cmd.SetArgs([]string{"extra"})
	cmd.SetOut(ios.Out)
	cmd.SetErr(ios.ErrOut)
	if err := cmd.Execute(); err == nil || called {
		t.Errorf("an argument was accepted")
	}
}

func TestLogoutForgetsTokenAndEndsSession(t *testing.T) {
	env := clitest.NewSandbox(t)
	ctx := context.Background()
	ios, _, _, stderr := iostreams.Test()
	f := env.Factory(ios, output.Options{})
	path := clitest.WithCredentials(t, f, t.TempDir())
	creds, _ := f.Credentials()
	creds.Put(env.Sandbox.BaseURL(), config.Credential{Login: "auto", Token: env.Client.Token()})
	opts := &Options{IO: ios, Client: f.AnonymousClient, Target: f.Target, Credentials: f.Credentials, Localizer: f.Localizer, Getenv: f.Getenv}
	if err := logoutRun(ctx, opts); err != nil {
		t.Fatal(err)
	}
	back, _ := config.LoadCredentials(path)
	if _, ok := back.Get(env.Sandbox.BaseURL()); ok {
		t.Error("credential kept")
	}
	// The token no longer works on the server.
	if _, err := env.Client.Account(ctx); err == nil {
		t.Error("token still valid after logout")
	}
	if !strings.Contains(stderr.String(), "signed out auto") {
		t.Errorf("stderr %q", stderr.String())
	}
	// Logging out twice is fine: the sandbox has nothing left to end.
	stderr.Reset()
	if err := logoutRun(ctx, opts); err != nil || !strings.Contains(stderr.String(), "nothing to sign out of") {
		t.Errorf("twice: %v %q", err, stderr.String())
	}
}
