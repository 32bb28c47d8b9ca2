package sites

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
)

func TestNewCmdSites(t *testing.T) {
	tests := []struct {
		args     string
		wantList string
		wantErr  string
	}{
		{args: "", wantList: ""},
		{args: "--list recorded", wantList: "recorded"},
		{args: "-l under-review", wantList: "under_review"},
		{args: "--list DRAFTS", wantList: "drafts"},
		{args: "--list nope", wantErr: "invalid --list"},
		{args: "extra", wantErr: "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *Options
			cmd := NewCmdSites(clitest.NewFactory(ios, nil, output.Options{}), func(_ context.Context, o *Options) error { got = o; return nil })
			cmd.SetArgs(clitest.Args(tt.args))
			cmd.SetErr(ios.ErrOut)
			cmd.SetOut(ios.Out)
			err := cmd.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got.List != tt.wantList {
				t.Fatalf("err %v, list %q", err, got.List)
			}
		})
	}
}

func TestSitesByList(t *testing.T) {
	env := clitest.NewSandbox(t)
	rec := env.FileSite(t, "recorded-one.test", true)
	pending := env.FileSite(t, "pending-one.test", false)
	ios, _, stdout, _ := iostreams.Test()
	f := env.Factory(ios, output.Options{Format: output.FormatJSON})
	opts := &Options{IO: ios, APIClient: f.APIClient, Output: f.Output, Localizer: f.Localizer}
	if err := sitesRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var all []filingio.Status
	if err := json.Unmarshal(stdout.Bytes(), &all); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	// Lists in the platform's order: under review before recorded.
	if len(all) != 2 || all[0].SiteID != pending.ID || all[0].List != "under_review" || all[1].SiteID != rec.ID || all[1].List != "recorded" {
		t.Errorf("sites %+v", all)
	}

	stdout.Reset()
	opts.List = "recorded"
	if err := sitesRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var recorded []filingio.Status
	if err := json.Unmarshal(stdout.Bytes(), &recorded); err != nil {
		t.Fatalf("sites -o json is not JSON: %v\n%s", err, stdout)
	}
	if len(recorded) != 1 || recorded[0].RecordNumber != rec.RecordNumber {
		t.Errorf("recorded %+v", recorded)
	}

	// Piped table: tab-separated rows, no header.
	ios2, _, out2, _ := iostreams.Test()
	f2 := env.Factory(ios2, output.Options{})
	if err := sitesRun(context.Background(), &Options{IO: ios2, APIClient: f2.APIClient, Output: f2.Output, Localizer: f2.Localizer, List: "drafts"}); err != nil {
		t.Fatal(err)
	}
	if out2.String() != "" {
		t.Errorf("no drafts expected, got %q", out2.String())
	}
	_ = cmdutil.ExitOK
}
