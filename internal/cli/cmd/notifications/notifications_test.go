package notifications

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/clitest"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
)

func TestNewCmdRead(t *testing.T) {
	tests := []struct {
		args    string
		ids     []string
		all     bool
		wantErr string
	}{
		{args: "n1 n2", ids: []string{"n1", "n2"}},
		{args: "--all", all: true},
		{args: "", wantErr: "give notification IDs or --all"},
		{args: "n1 --all", wantErr: "give notification IDs or --all"},
	}
	for _, tt := range tests {
		ios, _, _, _ := iostreams.Test()
		var got *ReadOptions
		cmd := NewCmdRead(clitest.NewFactory(ios, nil, output.Options{}), func(_ context.Context, o *ReadOptions) error { got = o; return nil })
		cmd.SetArgs(clitest.Args(tt.args))
		cmd.SetOut(ios.Out)
		cmd.SetErr(ios.ErrOut)
		err := cmd.Execute()
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: %v", tt.args, err)
			}
			continue
		}
		if err != nil || got.All != tt.all || strings.Join(got.IDs, ",") != strings.Join(tt.ids, ",") {
			t.Errorf("%q: %v %+v", tt.args, err, got)
		}
	}
}

func TestListAndReadAll(t *testing.T) {
	env := clitest.NewSandbox(t)
	env.FileSite(t, "notified.test", true)
	env.FileSite(t, "shop.return.test", true)
	ctx := context.Background()
	list := func(unread bool) []api.Notification {
		ios, _, stdout, _ := iostreams.Test()
		f := env.Factory(ios, output.Options{Format: output.FormatJSON})
		if err := listRun(ctx, &ListOptions{IO: ios, APIClient: f.APIClient, Output: f.Output, Localizer: f.Localizer, Unread: unread}); err != nil {
			t.Fatal(err)
		}
		var out []api.Notification
		if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
			t.Fatalf("%v: %s", err, stdout)
		}
		return out
	}
	all := list(true)
	if len(all) < 2 {
		t.Fatalf("notifications %+v", all)
	}
	returned := false
	for _, n := range all {
		returned = returned || strings.Contains(n.Body, "return.test")
	}
	if !returned {
		t.Errorf("no notification carries the return reason: %+v", all)
	}
	ios, _, _, stderr := iostreams.Test()
	f := env.Factory(ios, output.Options{})
	if err := readRun(ctx, &ReadOptions{IO: ios, APIClient: f.APIClient, Localizer: f.Localizer, All: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "marked read") {
		t.Errorf("stderr %q", stderr.String())
	}
	if left := list(true); len(left) != 0 {
		t.Errorf("unread after read --all: %+v", left)
	}
	if everything := list(false); len(everything) != len(all) {
		t.Errorf("list lost notifications: %d vs %d", len(everything), len(all))
	}
}
