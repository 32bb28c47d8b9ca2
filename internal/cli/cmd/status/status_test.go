package status

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/cli/clitest"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/filingio"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/filing"
)

func TestNewCmdStatus(t *testing.T) {
	tests := []struct {
		args    string
		want    Options
		wantErr string
	}{
		{args: "example.com.cn", want: Options{Ref: "example.com.cn", Timeout: 10 * time.Minute}},
		{args: "s1 --wait --timeout 30s", want: Options{Ref: "s1", Wait: true, Timeout: 30 * time.Second}},
		{args: "s1 -w --exit-status", want: Options{Ref: "s1", Wait: true, ExitStatus: true, Timeout: 10 * time.Minute}},
		{args: "", wantErr: "requires at least 1 arg"},
		{args: "a b", wantErr: "several sites need --watch"},
		{args: "a b --watch --wait", wantErr: "--watch cannot be combined"},
		{args: "s1 --timeout 5s", wantErr: "--timeout needs --wait"},
		{args: "s1 --wait --timeout soon", wantErr: "invalid argument"},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := clitest.NewFactory(ios, nil, output.Options{})
			var got *Options
			cmd := NewCmdStatus(f, func(_ context.Context, o *Options) error { got = o; return nil })
			args := clitest.Args(tt.args)
			cmd.SetArgs(args)
			cmd.SetOut(ios.Out)
			cmd.SetErr(ios.ErrOut)
			_, err := cmd.ExecuteC()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Ref != tt.want.Ref || got.Wait != tt.want.Wait || got.Timeout != tt.want.Timeout || got.ExitStatus != tt.want.ExitStatus {
				t.Errorf("opts = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func run(t *testing.T, env *clitest.Env, out output.Options, mod func(*Options)) (string, string, error) {
	t.Helper()
	ios, _, stdout, stderr := iostreams.Test()
	f := env.Factory(ios, out)
	opts := &Options{IO: ios, APIClient: f.APIClient, Target: f.Target, Output: f.Output, Localizer: f.Localizer,
		Timeout: 5 * time.Second, Interval: time.Millisecond}
	mod(opts)
	run := statusRun
	if opts.Watch {
		run = watchRun
	}
	err := run(context.Background(), opts)
	return stdout.String(), stderr.String(), err
}

func TestStatusJSONByDomainAndID(t *testing.T) {
	env := clitest.NewSandbox(t)
	rec := env.FileSite(t, "status-json.test", true)
	for _, ref := range []string{"status-json.test", "STATUS-JSON.test.", rec.ID} {
		stdout, _, err := run(t, env, output.Options{Format: output.FormatJSON}, func(o *Options) { o.Ref = ref })
		if err != nil {
			t.Fatalf("%s: %v", ref, err)
		}
		var st filingio.Status
		if err := json.Unmarshal([]byte(stdout), &st); err != nil {
			t.Fatalf("%s: stdout is not JSON: %v\n%s", ref, err, stdout)
		}
		if st.SiteID != rec.ID || st.State != filing.StateRecorded || !strings.HasPrefix(st.RecordNumber, "鄂公网安备 420111") || st.List != "recorded" {
			t.Errorf("%s: status %+v", ref, st)
		}
	}
}

func TestStatusExitStatus(t *testing.T) {
	env := clitest.NewSandbox(t)
	pending := env.FileSite(t, "pending.test", false)
	_, _, err := run(t, env, output.Options{}, func(o *Options) { o.Ref = pending.ID; o.ExitStatus = true })
	if cmdutil.ExitCodeOf(err) != cmdutil.ExitPending {
		t.Errorf("under review: err %v (exit %d), want 8", err, cmdutil.ExitCodeOf(err))
	}
	// Without --exit-status the state is data, not failure.
	if _, _, err := run(t, env, output.Options{}, func(o *Options) { o.Ref = pending.ID }); err != nil {
		t.Errorf("plain status: %v", err)
	}
}

func TestStatusWaitEndsOnApproval(t *testing.T) {
	env := clitest.NewSandbox(t)
	rec := env.FileSite(t, "wait-approve.test", false)
	stdout, stderr, err := run(t, env, output.Options{Format: output.FormatJSON}, func(o *Options) {
		o.Ref = rec.ID
		o.Wait = true
		o.ExitStatus = true
	})
	if err != nil {
		t.Fatalf("err %v\n%s", err, stderr)
	}
	var st filingio.Status
	if err := json.Unmarshal([]byte(stdout), &st); err != nil {
		t.Fatalf("status -o json is not JSON: %v\n%s", err, stdout)
	}
	if st.State != filing.StateRecorded || st.RecordNumber == "" {
		t.Errorf("status %+v", st)
	}
	if !strings.Contains(stderr, "waiting for the review") {
		t.Errorf("stderr %q", stderr)
	}
}

func TestStatusWaitEndsOnReturn(t *testing.T) {
	env := clitest.NewSandbox(t)
	rec := env.FileSite(t, "shop.return.test", false)
	stdout, _, err := run(t, env, output.Options{Format: output.FormatJSON}, func(o *Options) {
		o.Ref = "shop.return.test"
		o.Wait = true
		o.ExitStatus = true
	})
	if cmdutil.ExitCodeOf(err) != cmdutil.ExitActionNeeded {
		t.Fatalf("err %v, want exit 9", err)
	}
	var st filingio.Status
	if err := json.Unmarshal([]byte(stdout), &st); err != nil {
		t.Fatalf("status -o json is not JSON: %v\n%s", err, stdout)
	}
	if st.SiteID != rec.ID || st.State != filing.StateReturned || st.ReturnReason == "" {
		t.Errorf("status %+v", st)
	}
}

func TestStatusNotFound(t *testing.T) {
	env := clitest.NewSandbox(t)
	_, _, err := run(t, env, output.Options{}, func(o *Options) { o.Ref = "nobody.test" })
	if err == nil || cmdutil.ExitCodeOf(err) != cmdutil.ExitFailure {
		t.Errorf("err %v", err)
	}
}

func TestStatusTable(t *testing.T) {
	env := clitest.NewSandbox(t)
	rec := env.FileSite(t, "table.test", true)
	stdout, _, err := run(t, env, output.Options{}, func(o *Options) { o.Ref = "table.test" })
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Site\t示例科技官网 (" + rec.ID + ")", "State\trecorded (recorded)", "Record number\t" + rec.RecordNumber, "Domains\ttable.test"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, stdout)
		}
	}
}

// --watch follows several sites at once and prints each change of state,
// one JSON object per line; it ends at --timeout.
func TestStatusWatchFollowsManySites(t *testing.T) {
	env := clitest.NewSandbox(t)
	a := env.FileSite(t, "watch-a.test", false)
	b := env.FileSite(t, "watch.return.test", false)
	stdout, stderr, err := run(t, env, output.Options{Format: output.FormatJSON}, func(o *Options) {
		o.Refs, o.Watch, o.Timeout = []string{"watch-a.test", b.ID}, true, time.Second
	})
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	var changes []Change
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var c Change
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		changes = append(changes, c)
	}
	var got []string
	for _, c := range changes {
		got = append(got, fmt.Sprintf("%s %s→%s", c.SiteID, c.Previous, c.State))
	}
	want := []string{
		a.ID + " →under_review", b.ID + " →under_review",
		a.ID + " under_review→recorded", b.ID + " under_review→returned",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") && strings.Join(got, "\n") != strings.Join([]string{want[0], want[1], want[3], want[2]}, "\n") {
		t.Fatalf("changes\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, c := range changes {
		if c.State == filing.StateRecorded && c.RecordNumber == "" || c.State == filing.StateReturned && c.Reason == "" {
			t.Errorf("%+v", c)
		}
	}
}
