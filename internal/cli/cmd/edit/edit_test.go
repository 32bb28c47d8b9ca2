package edit

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/clitest"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/filing"
)

func TestFlags(t *testing.T) {
	tests := []struct {
		args    string
		wantErr string
	}{
		{"shop.test --set name=x --submit --wait --timeout 1m", ""},
		{"shop.test --from site.yaml", ""},
		{"shop.test --from a.yaml --set name=x", "cannot be used together"},
		{"shop.test --set name=x --wait", "--wait needs --submit"},
		{"shop.test --set name=x --submit --timeout 1m", "--timeout needs --wait"},
		{"shop.test --submit --wait --timeout -1s", "must not be negative"},
		{"", "accepts 1 arg"},
		{"a.test b.test", "accepts 1 arg"},
	}
	for _, tt := range tests {
		ios, _, _, _ := iostreams.Test()
		f := clitest.NewFactory(ios, nil, output.Options{})
		ran := false
		cmd := NewCmdEdit(f, func(context.Context, *Options) error { ran = true; return nil })
		cmd.SetArgs(clitest.Args(tt.args))
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		err := cmd.Execute()
		switch {
		case tt.wantErr == "" && (err != nil || !ran):
			t.Errorf("%q: %v", tt.args, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%q: error %v, want %q", tt.args, err, tt.wantErr)
		}
	}
}

// bumpFirstPut changes the site through another client just before the
// command's own PUT goes out: someone else edited it after it was read.
type bumpFirstPut struct {
	next  http.RoundTripper
	other *client.Client
	once  sync.Once
}

func (b *bumpFirstPut) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, "/v1/sites/") {
		b.once.Do(func() {
			id := strings.TrimPrefix(r.URL.Path, "/v1/sites/")
			cur, err := b.other.Site(r.Context(), id)
			if err == nil {
				s := cur.Site
				s.Name = "改在别处"
				_, _ = b.other.UpdateSite(r.Context(), id, cur.Version, api.SiteWrite{Site: s})
			}
		})
	}
	return b.next.RoundTrip(r)
}

// An edit that lost the race exits 6 with the next step, and the other
// change stays: nothing is overwritten.
func TestStaleVersionIsNotOverwritten(t *testing.T) {
	env := clitest.NewSandbox(t)
	rec := env.FileSite(t, "stale.return.test", true)
	if rec.State != filing.StateReturned {
		t.Fatalf("state %s, want returned", rec.State)
	}
	c, err := client.New(client.Options{BaseURL: env.Sandbox.BaseURL(), Token: env.Client.Token(),
		Transport: &bumpFirstPut{next: env.Sandbox.Transport(), other: env.Client}})
	if err != nil {
		t.Fatal(err)
	}
	ios, _, _, stderr := iostreams.Test()
	f := clitest.NewFactory(ios, c, output.Options{})
	f.Target = func() (cmdutil.Target, error) {
		return cmdutil.Target{Server: env.Sandbox.BaseURL(), Sandbox: true}, nil
	}
	opts := &Options{IO: ios, APIClient: f.APIClient, Target: f.Target, Output: f.Output, Localizer: f.Localizer, Now: f.Now,
		Ref: "stale.return.test", Set: []string{"name=我的修改"}}
	err = editRun(context.Background(), opts)
	if code := cmdutil.ExitCodeOf(err); code != cmdutil.ExitConflict {
		t.Fatalf("exit %d (%v), want %d", code, err, cmdutil.ExitConflict)
	}
	if !strings.Contains(stderr.String(), rec.ID+" was changed after it was read") {
		t.Errorf("no next step for the stale version:\n%s", stderr)
	}
	got, err := env.Client.Site(context.Background(), rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Site.Name != "改在别处" {
		t.Errorf("name %q: the other edit was overwritten", got.Site.Name)
	}
}
