package login

import (
	"context"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/cli/clitest"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/config"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
)

func TestNewCmdLogin(t *testing.T) {
	tests := []struct {
		args          string
		login         string
		passwordStdin bool
		wantErr       string
	}{
		{args: "--login alice", login: "alice"},
		{args: "-u alice --password-stdin", login: "alice", passwordStdin: true},
		{args: "alice", wantErr: "unknown command"},
	}
	for _, tt := range tests {
		ios, _, _, _ := iostreams.Test()
		var got *Options
		cmd := NewCmdLogin(clitest.NewFactory(ios, nil, output.Options{}), func(_ context.Context, o *Options) error { got = o; return nil })
		cmd.SetArgs(clitest.Args(tt.args))
		cmd.SetOut(ios.Out)
		cmd.SetErr(ios.ErrOut)
		err := cmd.Execute()
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: err %v", tt.args, err)
			}
			continue
		}
		if err != nil || got.Login != tt.login || got.PasswordStdin != tt.passwordStdin {
			t.Errorf("%s: %v %+v", tt.args, err, got)
		}
	}
}

// Without a terminal, a missing value is an error naming its flag, at once.
func TestLoginNeverPromptsWithoutTerminal(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := clitest.NewFactory(ios, nil, output.Options{})
	opts := &Options{IO: ios, Localizer: f.Localizer}
	err := loginRun(context.Background(), opts)
	if cmdutil.ExitCodeOf(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "--login") {
		t.Errorf("no login: %v", err)
	}
	opts.Login = "alice"
	err = loginRun(context.Background(), opts)
	if cmdutil.ExitCodeOf(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "--password-stdin") {
		t.Errorf("no password: %v", err)
	}
	// A terminal, but --no-input.
	ios.SetStdinTTY(true)
	ios.SetStdoutTTY(true)
	ios.SetNeverPrompt(true)
	err = loginRun(context.Background(), opts)
	if cmdutil.ExitCodeOf(err) != cmdutil.ExitUsage {
		t.Errorf("--no-input: %v", err)
	}
}

func TestLoginStoresTokenPrivately(t *testing.T) {
	env := clitest.NewSandbox(t)
	ctx := context.Background()
	// The automatic account's password is in the sandbox's own credentials.
	sbCreds, err := config.LoadCredentials(env.Dir + "/sandbox-credentials.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cred, _ := sbCreds.Get("sandbox")

	ios, stdin, _, stderr := iostreams.Test()
	f := env.Factory(ios, output.Options{})
	path := clitest.WithCredentials(t, f, t.TempDir())
	stdin.WriteString(cred.Password + "\n")
	opts := &Options{IO: ios, AnonymousClient: f.AnonymousClient, Target: f.Target, Credentials: f.Credentials, Localizer: f.Localizer,
		Login: cred.Login, PasswordStdin: true}
	if err := loginRun(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "signed in as "+cred.Login) {
		t.Errorf("stderr %q", stderr.String())
	}
	back, err := config.LoadCredentials(path)
	if err != nil {
		t.Fatal(err)
	}
	stored, ok := back.Get(env.Sandbox.BaseURL())
	if !ok || stored.Login != cred.Login || stored.Token == "" || stored.Password != "" {
		t.Errorf("stored %+v", stored)
	}
	if runtime.GOOS != "windows" {
		st, _ := os.Stat(path)
		if st.Mode().Perm() != 0o600 {
			t.Errorf("mode %v", st.Mode().Perm())
		}
	}

	// A wrong password exits 4.
	stdin.WriteString("wrong\n")
	err = loginRun(ctx, opts)
	if cmdutil.ExitCodeOf(err) != cmdutil.ExitAuth {
		t.Errorf("wrong password: %v (exit %d)", err, cmdutil.ExitCodeOf(err))
	}
}
