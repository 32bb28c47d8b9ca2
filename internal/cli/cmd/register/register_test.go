package register

import (
	"context"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/cli/clitest"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/config"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
)

func TestNewCmdRegister(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	var got *Options
	cmd := NewCmdRegister(clitest.NewFactory(ios, nil, output.Options{}), func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs(clitest.Args("--login bob --mobile 13812345678 --email b@example.com --sms-code 123456 --password-stdin"))
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Login != "bob" || got.Mobile != "13812345678" || got.Email != "b@example.com" || got.SMSCode != "123456" || !got.PasswordStdin {
		t.Errorf("opts %+v", got)
	}
}

// A script registers in two runs: the first sends the code and stops,
// naming --sms-code; the second, with the code from the outbox, creates the
// account and signs in.
func TestRegisterInTwoRuns(t *testing.T) {
	env := clitest.NewSandbox(t)
	ctx := context.Background()
	dir := t.TempDir()
	newOpts := func() (*Options, *iostreams.IOStreams, func() string) {
		ios, stdin, _, stderr := iostreams.Test()
		stdin.WriteString("s3cret-Passw0rd\n")
		f := env.Factory(ios, output.Options{})
		clitest.WithCredentials(t, f, dir)
		f.AnonymousClient = func(context.Context) (*client.Client, error) { return env.Anonymous(), nil }
		return &Options{IO: ios, AnonymousClient: f.AnonymousClient, Target: f.Target, Credentials: f.Credentials, Localizer: f.Localizer,
			Login: "bob-sponsor", Mobile: "13812345678", Email: "bob@example.com", PasswordStdin: true}, ios, stderr.String
	}
	opts, _, stderr := newOpts()
	err := registerRun(ctx, opts)
	if cmdutil.ExitCodeOf(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "--sms-code") {
		t.Fatalf("first run: %v", err)
	}
	if !strings.Contains(stderr(), "texted to 13812345678") {
		t.Errorf("stderr %q", stderr())
	}
	box, err := env.Client.SandboxOutbox(ctx)
	if err != nil || len(box.Items) == 0 {
		t.Fatalf("outbox %v %v", box, err)
	}
	code := ""
	for _, m := range box.Items {
		if m.To == "13812345678" {
			code = m.Code
		}
	}
	opts, _, _ = newOpts()
	opts.SMSCode = code
	if err := registerRun(ctx, opts); err != nil {
		t.Fatalf("second run: %v", err)
	}
	creds, _ := config.LoadCredentials(config.CredentialsPath(dir))
	if cr, ok := creds.Get(env.Sandbox.BaseURL()); !ok || cr.Login != "bob-sponsor" {
		t.Errorf("credentials %+v", creds.Servers)
	}
	// The same login again is a conflict.
	opts, _, _ = newOpts()
	opts.SMSCode = code
	if err := registerRun(ctx, opts); cmdutil.ExitCodeOf(err) != cmdutil.ExitConflict && cmdutil.ExitCodeOf(err) != cmdutil.ExitInvalid {
		t.Errorf("again: %v (exit %d)", err, cmdutil.ExitCodeOf(err))
	}
}
