package amend

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/clitest"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/filingio"
	"github.com/beian-dev/beian/internal/cli/forms"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
)

func TestFlags(t *testing.T) {
	tests := []struct {
		args    string
		wantErr bool
		check   func(*Options) bool
	}{
		{"example.cn --set icp_number=x --set languages=en,zh-Hans --yes", false, func(o *Options) bool {
			return o.Ref == "example.cn" && len(o.Set) == 2 && o.Set[1] == "languages=en,zh-Hans" && o.Yes
		}},
		{"example.cn --from site.yaml --apply-non-key-now", false, func(o *Options) bool { return o.From == "site.yaml" && o.ApplyNonKeyNow }},
		{"example.cn --from a.yaml --set name=x", true, nil},
		{"", true, nil},
	}
	for _, tt := range tests {
		ios, _, _, _ := iostreams.Test()
		f := clitest.NewFactory(ios, nil, output.Options{})
		var got *Options
		cmd := NewCmdAmend(f, func(_ context.Context, o *Options) error { got = o; return nil })
		cmd.SetArgs(clitest.Args(tt.args))
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		err := cmd.Execute()
		if tt.wantErr {
			if err == nil {
				t.Errorf("%q: no error", tt.args)
			}
			continue
		}
		if err != nil || !tt.check(got) {
			t.Errorf("%q: %v %+v", tt.args, err, got)
		}
	}
}

func TestSetFields(t *testing.T) {
	site := filingtest.Site("example.cn")
	got, err := filingio.SetFields(site, []string{
		"icp_number=鄂ICP备2024012345号-2",
		"ip_addresses=223.5.5.5, 2400:3200::1",
		"access_provider.phone=95187",
		"site.emergency_contact.office_phone=027-87654399",
		"commercial=true",
		"owner.same_as_responsible=false",
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.ICPNumber != "鄂ICP备2024012345号-2" || len(got.IPAddresses) != 2 || got.AccessProvider.Phone != "95187" ||
		got.EmergencyContact.OfficePhone != "027-87654399" || !got.Commercial || got.Owner.SameAsResponsible {
		t.Errorf("not set: %+v", got)
	}
	if got.Name != site.Name || got.PrimaryDomain != "example.cn" {
		t.Error("other fields changed")
	}
	for _, bad := range []string{"nonsense=1", "access_provider.colour=red", "no-equals-sign", "commercial=perhaps", "=x"} {
		if _, err := filingio.SetFields(site, []string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	var se *filingio.SetError
	if _, err := filingio.SetFields(site, []string{"nonsense=1"}); !errors.As(err, &se) || !se.Unknown {
		t.Errorf("unknown field: %v", err)
	}
}

type harness struct {
	env    *clitest.Env
	opts   *Options
	out    *bytes.Buffer
	errOut *bytes.Buffer
	ios    *iostreams.IOStreams
}

func newHarness(t *testing.T) (*harness, *api.SiteRecord) {
	t.Helper()
	env := clitest.NewSandbox(t)
	rec := env.FileSite(t, "amend.test", true)
	if rec.State != filing.StateRecorded {
		t.Fatalf("site is %s", rec.State)
	}
	ios, _, out, errOut := iostreams.Test()
	f := env.Factory(ios, output.Options{Format: output.FormatJSON})
	opts := &Options{IO: ios, APIClient: f.APIClient, Target: f.Target, Output: f.Output, Localizer: f.Localizer, Probes: f.Probes, Ref: "amend.test"}
	return &harness{env: env, opts: opts, out: out, errOut: errOut, ios: ios}, rec
}

func (h *harness) result(t *testing.T) Result {
	t.Helper()
	var r Result
	if err := json.Unmarshal(h.out.Bytes(), &r); err != nil {
		t.Fatalf("stdout is not the result: %v\n%s", err, h.out)
	}
	return r
}

func TestNonKeyChangeAppliesAtOnce(t *testing.T) {
	h, rec := newHarness(t)
	h.opts.Set = []string{"icp_number=鄂ICP备2024012345号-2"}
	h.opts.Yes = true
	if err := amendRun(context.Background(), h.opts); err != nil {
		t.Fatalf("%v\n%s", err, h.errOut)
	}
	r := h.result(t)
	if len(r.Applied) != 1 || r.Applied[0].Field != "site.icp_number" || r.ChangeRequest != nil {
		t.Errorf("result %+v", r)
	}
	if !strings.Contains(h.errOut.String(), "Applied at once (non-key):") || strings.Contains(h.errOut.String(), "Reviewed before") {
		t.Errorf("stderr:\n%s", h.errOut)
	}
	got, _ := h.env.Client.Site(context.Background(), rec.ID)
	if got.Site.ICPNumber != "鄂ICP备2024012345号-2" || got.State != filing.StateRecorded {
		t.Errorf("site after: %s %s", got.Site.ICPNumber, got.State)
	}
}

// A request mixing key and non-key changes is one change request unless
// the user asks for the non-key part at once (SPEC §3).
func TestMixedChangeIsOneRequestByDefault(t *testing.T) {
	for _, applyNow := range []bool{false, true} {
		h, rec := newHarness(t)
		h.opts.Set = []string{"name=示例科技新官网", "icp_number=鄂ICP备2024012345号-2"}
		h.opts.Yes, h.opts.ApplyNonKeyNow = true, applyNow
		if err := amendRun(context.Background(), h.opts); err != nil {
			t.Fatalf("%v\n%s", err, h.errOut)
		}
		r := h.result(t)
		stderr := h.errOut.String()
		if !strings.Contains(stderr, "Reviewed before they apply (key):") || !strings.Contains(stderr, "Site name: 示例科技官网 → 示例科技新官网") {
			t.Errorf("changes not described:\n%s", stderr)
		}
		got, _ := h.env.Client.Site(context.Background(), rec.ID)
		if applyNow {
			if len(r.Applied) != 1 || r.ChangeRequest == nil || len(r.ChangeRequest.Changes) != 1 || got.Site.ICPNumber != "鄂ICP备2024012345号-2" {
				t.Errorf("apply now: %+v, ICP %s", r, got.Site.ICPNumber)
			}
		} else if len(r.Applied) != 0 || r.ChangeRequest == nil || len(r.ChangeRequest.Changes) != 2 || got.Site.ICPNumber == "鄂ICP备2024012345号-2" {
			t.Errorf("default: %+v, ICP %s", r, got.Site.ICPNumber)
		}
		if got.Site.Name != "示例科技官网" || got.State != filing.StateChangeUnderReview {
			t.Errorf("the key change applied before review: %s %s", got.Site.Name, got.State)
		}
	}
}

func TestNothingChanged(t *testing.T) {
	h, rec := newHarness(t)
	h.opts.Set = []string{"icp_number=" + rec.Site.ICPNumber}
	h.opts.Yes = true
	if err := amendRun(context.Background(), h.opts); err != nil {
		t.Fatal(err)
	}
	if h.out.Len() != 0 || !strings.Contains(h.errOut.String(), "nothing to change") {
		t.Errorf("stdout %q stderr %q", h.out, h.errOut)
	}
}

func TestWithoutTerminalNeedsYes(t *testing.T) {
	h, _ := newHarness(t)
	h.opts.Set = []string{"icp_number=鄂ICP备2024012345号-2"}
	err := amendRun(context.Background(), h.opts)
	var mf *cmdutil.MissingFlagError
	if !errors.As(err, &mf) || mf.Flag != "--yes" {
		t.Fatalf("got %v", err)
	}
	h.opts.Set = nil
	err = amendRun(context.Background(), h.opts)
	if !errors.As(err, &mf) || !strings.Contains(mf.Flag, "--set") {
		t.Fatalf("no values: %v", err)
	}
}

func TestOnlyRecordedSitesAreAmended(t *testing.T) {
	h, _ := newHarness(t)
	draft, err := h.env.Client.CreateSite(context.Background(), api.SiteWrite{Site: filingtest.Site("draft-amend.test")}, false)
	if err != nil {
		t.Fatal(err)
	}
	h.opts.Ref = draft.ID
	h.opts.Set = []string{"icp_number=鄂ICP备2024012345号-2"}
	h.opts.Yes = true
	if code := cmdutil.ExitCodeOf(amendRun(context.Background(), h.opts)); code != cmdutil.ExitConflict {
		t.Errorf("exit %d, want 6", code)
	}
}

// lines is a terminal in line mode (see internal/cli/forms' tests).
type lines struct {
	mu sync.Mutex
	ls []string
}

func (l *lines) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.ls) == 0 {
		return 0, io.EOF
	}
	n := copy(p, l.ls[0]+"\n")
	l.ls = l.ls[1:]
	return n, nil
}

// Interactive amendment in accessible mode: choose the network page, keep
// the IP addresses and launch date (Enter keeps the recorded value), change
// the ICP number, confirm.
func TestInteractiveAmendment(t *testing.T) {
	h, rec := newHarness(t)
	h.ios.SetStdinTTY(true)
	h.ios.SetStdoutTTY(true)
	in := &lines{ls: []string{"2", "0", "", "", "鄂ICP备2024012345号-3", "y"}}
	h.opts.Runner = &forms.Runner{In: in, Out: h.errOut, Accessible: true}
	if err := amendRun(context.Background(), h.opts); err != nil {
		t.Fatalf("%v\n%s", err, h.errOut)
	}
	got, _ := h.env.Client.Site(context.Background(), rec.ID)
	if got.Site.ICPNumber != "鄂ICP备2024012345号-3" || len(got.Site.IPAddresses) != len(rec.Site.IPAddresses) {
		t.Errorf("site after: %s %v", got.Site.ICPNumber, got.Site.IPAddresses)
	}
	if len(in.ls) != 0 {
		t.Errorf("%d lines not read\n%s", len(in.ls), h.errOut)
	}
}

func TestTableOutputNamesTheFields(t *testing.T) {
	h, _ := newHarness(t)
	h.opts.Output = func() (output.Options, error) { return output.Options{Format: output.FormatTable}, nil }
	h.opts.Set = []string{"icp_number=鄂ICP备2024012345号-2", "name=新名称"}
	h.opts.Yes, h.opts.ApplyNonKeyNow = true, true
	if err := amendRun(context.Background(), h.opts); err != nil {
		t.Fatal(err)
	}
	out := h.out.String()
	for _, want := range []string{"Applied at once (non-key)\tMIIT ICP number\t鄂ICP备2024012345号-2", "Reviewed before they apply (key) ", "\tSite name\t新名称"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
