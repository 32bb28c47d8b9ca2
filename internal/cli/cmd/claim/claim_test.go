package claim

import (
	"context"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/cli/clitest"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
)

func TestNewCmdClaim(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	var got *Options
	cmd := NewCmdClaim(clitest.NewFactory(ios, nil, output.Options{}), func(_ context.Context, o *Options) error { got = o; return nil })
	cmd.SetArgs(clitest.Args(`old.test --old-record-number "鄂公网安备 42011102000410号"`))
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Ref != "old.test" || got.OldRecordNumber != "鄂公网安备 42011102000410号" {
		t.Errorf("opts %+v", got)
	}
	cmd = NewCmdClaim(clitest.NewFactory(ios, nil, output.Options{}), func(context.Context, *Options) error { return nil })
	cmd.SetArgs(nil)
	cmd.SetOut(ios.Out)
	cmd.SetErr(ios.ErrOut)
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "accepts 1 arg") {
		t.Errorf("no argument: %v", err)
	}
}

// A site that is not an earlier filing cannot be claimed.
func TestClaimRefusedForOwnSite(t *testing.T) {
	env := clitest.NewSandbox(t)
	env.FileSite(t, "mine.test", true)
	ios, _, stdout, _ := iostreams.Test()
	f := env.Factory(ios, output.Options{})
	err := claimRun(context.Background(), &Options{IO: ios, APIClient: f.APIClient, Output: f.Output, Localizer: f.Localizer, Ref: "mine.test"})
	if code := cmdutil.ExitCodeOf(err); code != cmdutil.ExitConflict && code != cmdutil.ExitAuth {
		t.Errorf("err %v (exit %d)", err, code)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout %q", stdout.String())
	}
}
