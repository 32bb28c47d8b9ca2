package subject

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/clitest"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/filing"
)

func TestNewCmdEdit(t *testing.T) {
	tests := []struct {
		args     string
		canEdit  bool
		tty      bool
		wantFrom string
		wantErr  string
	}{
		{args: "--from s.yaml", wantFrom: "s.yaml"},
		{args: "-f -", wantFrom: "-"},
		{args: "", wantErr: "--from FILE"},
		{args: "", canEdit: true, wantErr: "--from FILE"}, // a form, but no terminal
		{args: "", canEdit: true, tty: true},
	}
	for _, tt := range tests {
		ios, _, _, _ := iostreams.Test()
		ios.SetStdinTTY(tt.tty)
		ios.SetStdoutTTY(tt.tty)
		f := clitest.NewFactory(ios, nil, output.Options{})
		if tt.canEdit {
			f.EditSubject = func(_ context.Context, s filing.Subject) (filing.Subject, error) { return s, nil }
		}
		var got *EditOptions
		cmd := NewCmdEdit(f, func(_ context.Context, o *EditOptions) error { got = o; return nil })
		cmd.SetArgs(clitest.Args(tt.args))
		cmd.SetOut(ios.Out)
		cmd.SetErr(ios.ErrOut)
		err := cmd.Execute()
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || cmdutil.ExitCodeOf(err) != cmdutil.ExitUsage {
				t.Errorf("%q: err %v", tt.args, err)
			}
			continue
		}
		if err != nil || got.From != tt.wantFrom {
			t.Errorf("%q: %v %+v", tt.args, err, got)
		}
	}
}

func TestEditFromFileThenShow(t *testing.T) {
	env := clitest.NewSandbox(t)
	ctx := context.Background()
	ios, _, stdout, stderr := iostreams.Test()
	f := env.Factory(ios, output.Options{Format: output.FormatJSON})
	show := &ShowOptions{IO: ios, APIClient: f.APIClient, Output: f.Output, Localizer: f.Localizer}
	if err := showRun(ctx, show); cmdutil.ExitCodeOf(err) != cmdutil.ExitFailure || !strings.Contains(err.Error(), "no subject yet") {
		t.Errorf("show before edit: %v", err)
	}
	edit := &EditOptions{IO: ios, APIClient: f.APIClient, Localizer: f.Localizer, Now: time.Now, From: filepath.Join("..", "..", "..", "..", "docs", "examples", "site.yaml")}
	if err := editRun(ctx, edit); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "subject saved: under review") {
		t.Errorf("stderr %q", stderr.String())
	}
	if err := showRun(ctx, show); err != nil {
		t.Fatal(err)
	}
	var rec api.SubjectRecord
	if err := json.Unmarshal(stdout.Bytes(), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.State != filing.SubjectUnderReview || rec.Subject.CertNumber != "91420111MA4K00010P" {
		t.Errorf("subject %+v", rec)
	}

	// Approved, then amended from stdin: the office phone is non-key.
	env.Review(t)
	ios2, stdin2, _, stderr2 := iostreams.Test()
	raw, _ := os.ReadFile(edit.From)
	stdin2.WriteString(strings.Replace(string(raw), "office_phone: 027-87654321", "office_phone: 027-87654000", 1))
	f2 := env.Factory(ios2, output.Options{})
	if err := editRun(ctx, &EditOptions{IO: ios2, APIClient: f2.APIClient, Localizer: f2.Localizer, Now: time.Now, From: "-"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr2.String(), "amended") {
		t.Errorf("stderr %q", stderr2.String())
	}
	cur, _ := env.Client.Subject(ctx)
	if cur.Subject.OfficePhone != "027-87654000" {
		t.Errorf("office phone %q", cur.Subject.OfficePhone)
	}
}

func TestEditRefusesInvalid(t *testing.T) {
	env := clitest.NewSandbox(t)
	ios, stdin, _, _ := iostreams.Test()
	stdin.WriteString("subject:\n  kind: unit\n  name: 只有名称\n")
	f := env.Factory(ios, output.Options{})
	err := editRun(context.Background(), &EditOptions{IO: ios, APIClient: f.APIClient, Localizer: f.Localizer, Now: time.Now, From: "-"})
	var p *api.Problem
	if cmdutil.ExitCodeOf(err) != cmdutil.ExitInvalid || !errorsAs(err, &p) || len(p.Errors) < 3 {
		t.Errorf("err %v", err)
	}
}

func errorsAs(err error, p **api.Problem) bool {
	pp, ok := err.(*api.Problem)
	*p = pp
	return ok
}
