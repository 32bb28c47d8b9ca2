package sandboxcmd

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/clitest"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/sandbox"
)

func TestServe(t *testing.T) {
	dir := t.TempDir()
	pr, pw := io.Pipe()
	ios, _, _, _ := iostreams.Test()
	ios.Out = pw
	f := clitest.NewFactory(ios, nil, output.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serveRun(ctx, &Options{IO: ios, Localizer: f.Localizer, Dir: dir, Addr: "127.0.0.1:0", ReviewEvery: 50 * time.Millisecond})
	}()
	url, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	url = strings.TrimSpace(url)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("url %q", url)
	}
	c, err := client.New(client.Options{BaseURL: url})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Healthz(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SandboxOutbox(ctx); err != nil {
		t.Errorf("outbox over the network: %v", err)
	}
	cancel()
	go io.Copy(io.Discard, pr)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := os.Stat(sandbox.DatabaseFile(dir)); err != nil {
		t.Errorf("no database: %v", err)
	}
}

func TestOutboxReviewReset(t *testing.T) {
	env := clitest.NewSandbox(t)
	rec := env.FileSite(t, "sb.test", false)
	ios, _, stdout, stderr := iostreams.Test()
	f := env.Factory(ios, output.Options{Format: output.FormatJSON})
	clitest.WithCredentials(t, f, t.TempDir())
	opts := &Options{IO: ios, Sandbox: f.Sandbox, Credentials: f.Credentials, Output: f.Output, Localizer: f.Localizer, Target: f.Target, APIClient: f.APIClient, Dir: env.Dir}
	ctx := context.Background()

	if err := outboxRun(ctx, opts); err != nil {
		t.Fatal(err)
	}
	var msgs []api.OutboxMessage
	if err := json.Unmarshal(stdout.Bytes(), &msgs); err != nil || len(msgs) == 0 || msgs[0].Code == "" {
		t.Fatalf("outbox %v %s", err, stdout)
	}

	if err := reviewRun(ctx, opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "decided 2 item(s)") { // the subject and the site
		t.Errorf("stderr %q", stderr.String())
	}
	if got, _ := env.Client.Site(ctx, rec.ID); got.State != "recorded" {
		t.Errorf("state %s", got.State)
	}

	if err := resetRun(opts); cmdutil.ExitCodeOf(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "--yes") {
		t.Errorf("reset without --yes: %v", err)
	}
	env.Sandbox.Close()
	opts.Yes = true
	if err := resetRun(opts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(sandbox.DatabaseFile(env.Dir)); !os.IsNotExist(err) {
		t.Errorf("database still there: %v", err)
	}
}
