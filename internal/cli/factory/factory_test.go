package factory

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/config"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/sandbox"
)

func newFactory(t *testing.T, env map[string]string) (*cmdutil.Factory, struct{}) {
	t.Helper()
	ios, _, _, _ := iostreams.Test()
	f := New(Options{
		IOStreams:  ios,
		AppVersion: "test",
		Getenv:     func(k string) string { return env[k] },
		Globals:    &cmdutil.GlobalFlags{},
		OpenSandbox: func(f *cmdutil.Factory) (cmdutil.Sandbox, error) {
			f.Probes.DatabaseOpens.Add(1)
			s, err := sandbox.Open(context.Background(), sandbox.Options{Dir: sandbox.DataDir(f.Getenv)})
			if err == nil {
				t.Cleanup(func() { s.Close() })
			}
			return s, err
		},
	})
	return f, struct{}{}
}

func TestTargetAndSandboxNotice(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"BEIAN_CONFIG_DIR": filepath.Join(dir, "cfg"), "XDG_DATA_HOME": filepath.Join(dir, "data")}
	f, _ := newFactory(t, env)
	tg, err := f.Target()
	if err != nil || !tg.Sandbox || tg.Server != SandboxURL {
		t.Fatalf("target %+v %v", tg, err)
	}
	if f.Probes.DatabaseOpens.Load() != 0 {
		t.Error("Target opened the sandbox")
	}
	ctx := context.Background()
	c, err := f.APIClient(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c.Token() == "" {
		t.Error("the sandbox did not sign in")
	}
	if _, err := f.AnonymousClient(ctx); err != nil {
		t.Fatal(err)
	}
	errOut := f.IOStreams.ErrOut.(interface{ String() string }).String()
	if n := strings.Count(errOut, "nothing is filed with any authority"); n != 1 {
		t.Errorf("sandbox notice printed %d times: %q", n, errOut)
	}
	if f.Probes.DatabaseOpens.Load() != 1 {
		t.Errorf("database opened %d times", f.Probes.DatabaseOpens.Load())
	}
}

func TestTokenPrecedence(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"BEIAN_CONFIG_DIR": dir, "BEIAN_SERVER": "https://beian.example"}
	creds, _ := config.LoadCredentials(config.CredentialsPath(dir))
	if err := creds.Put("https://beian.example", config.Credential{Login: "a", Token: "stored"}); err != nil {
		t.Fatal(err)
	}
	f, _ := newFactory(t, env)
	c, err := f.APIClient(context.Background())
	if err != nil || c.Token() != "stored" {
		t.Fatalf("stored: %v %q", err, c.Token())
	}
	env["BEIAN_TOKEN"] = "from-env"
	f, _ = newFactory(t, env)
	c, _ = f.APIClient(context.Background())
	if c.Token() != "from-env" {
		t.Errorf("BEIAN_TOKEN ignored: %q", c.Token())
	}
	a, _ := f.AnonymousClient(context.Background())
	if a.Token() != "" {
		t.Errorf("anonymous client has a token")
	}
	if f.Probes.DatabaseOpens.Load() != 0 {
		t.Error("a configured server opened the sandbox")
	}
}

func TestCredentialsRepairedIsReported(t *testing.T) {
	dir := t.TempDir()
	p := config.CredentialsPath(dir)
	os.WriteFile(p, []byte("servers: {}\n"), 0o644)
	f, _ := newFactory(t, map[string]string{"BEIAN_CONFIG_DIR": dir})
	if _, err := f.Credentials(); err != nil {
		t.Fatal(err)
	}
	errOut := f.IOStreams.ErrOut.(interface{ String() string }).String()
	if !strings.Contains(errOut, "mode is now 0600") {
		t.Errorf("stderr %q", errOut)
	}
}
