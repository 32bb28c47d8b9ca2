package cancel

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/cli/clitest"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/filingio"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/filing"
)

func TestNewCmdCancel(t *testing.T) {
	tests := []struct {
		args    string
		want    Options
		wantErr string
	}{
		{args: `x.test --reason "closed down" --yes`, want: Options{Ref: "x.test", Reason: "closed down", Yes: true}},
		{args: "x.test -r gone -y", want: Options{Ref: "x.test", Reason: "gone", Yes: true}},
		{args: "", wantErr: "accepts 1 arg"},
	}
	for _, tt := range tests {
		ios, _, _, _ := iostreams.Test()
		var got *Options
		cmd := NewCmdCancel(clitest.NewFactory(ios, nil, output.Options{}), func(_ context.Context, o *Options) error { got = o; return nil })
		cmd.SetArgs(clitest.Args(tt.args))
		cmd.SetOut(ios.Out)
		cmd.SetErr(ios.ErrOut)
		err := cmd.Execute()
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: %v", tt.args, err)
			}
			continue
		}
		if err != nil || got.Ref != tt.want.Ref || got.Reason != tt.want.Reason || got.Yes != tt.want.Yes {
			t.Errorf("%s: %v %+v", tt.args, err, got)
		}
	}
}

func TestCancel(t *testing.T) {
	env := clitest.NewSandbox(t)
	rec := env.FileSite(t, "to-cancel.test", true)
	ios, _, stdout, _ := iostreams.Test()
	f := env.Factory(ios, output.Options{Format: output.FormatJSON})
	opts := &Options{IO: ios, APIClient: f.APIClient, Output: f.Output, Localizer: f.Localizer, Ref: "to-cancel.test"}

	// No reason and no terminal: the flag is named, nothing is asked.
	if err := cancelRun(context.Background(), opts); cmdutil.ExitCodeOf(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "--reason") {
		t.Errorf("no reason: %v", err)
	}
	opts.Reason = "网站已关闭"
	if err := cancelRun(context.Background(), opts); cmdutil.ExitCodeOf(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "--yes") {
		t.Errorf("no --yes: %v", err)
	}
	opts.Yes = true
	if err := cancelRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var st filingio.Status
	if err := json.Unmarshal(stdout.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	if st.SiteID != rec.ID || st.State != filing.StateCancelUnderReview || st.ChangeRequest == nil || st.ChangeRequest.Kind != "cancel" {
		t.Errorf("status %+v", st)
	}
	env.Review(t)
	after, _ := env.Client.Site(context.Background(), rec.ID)
	if after.State != filing.StateCancelled {
		t.Errorf("after review: %s", after.State)
	}
	// Cancelling again is refused by the lifecycle: exit 6.
	if err := cancelRun(context.Background(), opts); cmdutil.ExitCodeOf(err) != cmdutil.ExitConflict {
		t.Errorf("twice: %v (exit %d)", err, cmdutil.ExitCodeOf(err))
	}
}
