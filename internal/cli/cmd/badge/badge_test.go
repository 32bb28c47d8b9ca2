package badge

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/clitest"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
)

func TestNewCmdBadge(t *testing.T) {
	tests := []struct {
		args    string
		want    Options
		wantErr string
	}{
		{args: "example.test", want: Options{Ref: "example.test", Format: "html"}},
		{args: "example.test --format markdown --link current --icp", want: Options{Ref: "example.test", Format: "markdown", Link: "current", ICP: true}},
		{args: `--record "湘公网安备43010502002236号" -F text`, want: Options{Record: "湘公网安备43010502002236号", Format: "text"}},
		{args: "--record 11010802020134 --icp-number 京ICP备12345678号", want: Options{Record: "11010802020134", Format: "html", ICP: true, ICPNumber: "京ICP备12345678号"}},
		{args: "", wantErr: "give a site ID or domain, or --record"},
		{args: "x.test --record 1", wantErr: "not both"},
		{args: "x.test --format png", wantErr: "invalid --format"},
		{args: "x.test --link elsewhere", wantErr: "invalid --link"},
		{args: "x.test --icon https://x/y.png", wantErr: "go with --record"},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *Options
			cmd := NewCmdBadge(clitest.NewFactory(ios, nil, output.Options{}), func(_ context.Context, o *Options) error { got = o; return nil })
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
			if err != nil {
				t.Fatal(err)
			}
			if got.Ref != tt.want.Ref || got.Record != tt.want.Record || got.Format != tt.want.Format || got.Link != tt.want.Link || got.ICP != tt.want.ICP || got.ICPNumber != tt.want.ICPNumber {
				t.Errorf("opts %+v, want %+v", got, tt.want)
			}
		})
	}
}

func runBadge(t *testing.T, f func(*iostreams.IOStreams) *cmdutil.Factory, mod func(*Options)) (string, string, error) {
	t.Helper()
	ios, _, stdout, stderr := iostreams.Test()
	fa := f(ios)
	opts := &Options{IO: ios, APIClient: fa.APIClient, Target: fa.Target, Output: fa.Output, Localizer: fa.Localizer, Format: "html"}
	mod(opts)
	err := badgeRun(context.Background(), opts)
	return stdout.String(), stderr.String(), err
}

func offlineFactory(ios *iostreams.IOStreams) *cmdutil.Factory {
	f := clitest.NewFactory(ios, nil, output.Options{})
	f.Target = func() (cmdutil.Target, error) {
		return cmdutil.Target{Server: "http://sandbox.beian.invalid", Sandbox: true}, nil
	}
	return f
}

func parsesAsHTML(t *testing.T, s string) {
	t.Helper()
	if _, err := html.Parse(strings.NewReader(s)); err != nil || !strings.Contains(s, "<a ") {
		t.Errorf("not HTML: %v\n%s", err, s)
	}
}

func TestOfflineRecordAsUsersWriteIt(t *testing.T) {
	tests := []struct {
		in       string
		warnings []string
	}{
		{"湘公网安备 43010502002236号", nil},
		{"湘公网安备43010502002236号", []string{"space"}},
		{"湘公网安备43010502002236", []string{"space", "号"}},
		{"43010502002236", []string{"only the digits"}},
		{"黔公网安备 52010202000123号", []string{"alias"}},
		{"京公网安备 43010502002236号", []string{"disagrees"}},
		{"京公网安备110102000247", []string{"space", "号", "legacy"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			stdout, stderr, err := runBadge(t, offlineFactory, func(o *Options) { o.Record = tt.in })
			if err != nil {
				t.Fatal(err)
			}
			parsesAsHTML(t, stdout)
			if !strings.Contains(stdout, "beian.mps.gov.cn") || !strings.Contains(stdout, `target="_blank"`) {
				t.Errorf("html %s", stdout)
			}
			for _, w := range tt.warnings {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q: %q", w, stderr)
				}
			}
			if len(tt.warnings) == 0 && stderr != "" {
				t.Errorf("unexpected warnings %q", stderr)
			}
		})
	}
}

func TestOfflineRefusesNonNumbers(t *testing.T) {
	for _, in := range []string{"hello", "湘公网安备 430105号", "鄂ICP备17001107号-1"} {
		stdout, _, err := runBadge(t, offlineFactory, func(o *Options) { o.Record = in })
		if cmdutil.ExitCodeOf(err) != cmdutil.ExitInvalid || stdout != "" {
			t.Errorf("%q: err %v (exit %d), stdout %q", in, err, cmdutil.ExitCodeOf(err), stdout)
		}
	}
}

func TestOfflineFormats(t *testing.T) {
	stdout, _, err := runBadge(t, offlineFactory, func(o *Options) {
		o.Record = "湘公网安备 43010502002236号"
		o.Format = "json"
		o.Link = "legacy"
		o.ICPNumber = "湘ICP备2021000001号-1"
		o.ICP = true
	})
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatalf("json format is not JSON: %v\n%s", err, stdout)
	}
	if !strings.Contains(stdout, "registerSystemInfo?recordcode=43010502002236") || !strings.Contains(stdout, "湘ICP备2021000001号-1") {
		t.Errorf("json badge %s", stdout)
	}
	stdout, _, err = runBadge(t, offlineFactory, func(o *Options) { o.Record = "43010502002236"; o.Format = "text" })
	if err != nil || !strings.HasPrefix(stdout, "湘公网安备 43010502002236号\n") {
		t.Errorf("text: %v %q", err, stdout)
	}
	_, _, err = runBadge(t, offlineFactory, func(o *Options) { o.Record = "43010502002236"; o.Link = "server" })
	if cmdutil.ExitCodeOf(err) != cmdutil.ExitUsage {
		t.Errorf("--link server in the sandbox: %v", err)
	}
}

func TestBadgeFromServer(t *testing.T) {
	env := clitest.NewSandbox(t)
	rec := env.FileSite(t, "badge.test", true)
	fac := func(ios *iostreams.IOStreams) *cmdutil.Factory { return env.Factory(ios, output.Options{}) }
	stdout, _, err := runBadge(t, fac, func(o *Options) { o.Ref = "badge.test" })
	if err != nil {
		t.Fatal(err)
	}
	parsesAsHTML(t, stdout)
	if !strings.Contains(stdout, rec.RecordNumber) {
		t.Errorf("badge lacks %s: %s", rec.RecordNumber, stdout)
	}
	facJSON := func(ios *iostreams.IOStreams) *cmdutil.Factory {
		return env.Factory(ios, output.Options{Format: output.FormatJSON})
	}
	stdout, _, err = runBadge(t, facJSON, func(o *Options) { o.Ref = rec.ID; o.Structured = true; o.Format = "markdown" })
	if err != nil {
		t.Fatal(err)
	}
	var b api.Badge
	if err := json.Unmarshal([]byte(stdout), &b); err != nil || b.RecordNumber != rec.RecordNumber || !strings.HasPrefix(b.Rendered, "[") {
		t.Errorf("badge %+v (%v)", b, err)
	}
	// A site under review has no badge.
	env.FileSite(t, "nobadge.test", false)
	if _, _, err := runBadge(t, fac, func(o *Options) { o.Ref = "nobadge.test" }); err == nil {
		t.Error("badge of a site under review")
	}
}
