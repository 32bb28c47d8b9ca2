package file

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/cli/clitest"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/filingio"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/journal"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
)

func TestFlags(t *testing.T) {
	tests := []struct {
		args    string
		wantErr string
		check   func(*Options) bool
	}{
		{"--from site.yaml --wait --timeout 5m", "", func(o *Options) bool { return o.From == "site.yaml" && o.Wait && o.Timeout == 5*time.Minute }},
		{"-f - --dry-run", "", func(o *Options) bool { return o.From == "-" && o.DryRun }},
		{"--resume", "", func(o *Options) bool { return o.Resume && o.ResumeID == "" }},
		{"--resume 20240320-3f9c2a", "", func(o *Options) bool { return o.Resume && o.ResumeID == "20240320-3f9c2a" }},
		{"--template", "", func(o *Options) bool { return o.Template }},
		{"--draft", "", func(o *Options) bool { return o.Draft }},
		{"20240320-3f9c2a", "only --resume takes an ID", nil},
		{"--resume --from x.yaml", "cannot be used together", nil},
		{"--template --from x.yaml", "--template", nil},
		{"--draft --wait", "--draft", nil},
		{"--dry-run --wait", "--dry-run", nil},
		{"--timeout 1m", "--timeout needs --wait", nil},
	}
	for _, tt := range tests {
		ios, _, _, _ := iostreams.Test()
		f := clitest.NewFactory(ios, nil, output.Options{})
		f.Getenv = func(string) string { return "" }
		var got *Options
		cmd := NewCmdFile(f, func(_ context.Context, o *Options) error { got = o; return nil })
		cmd.SetArgs(clitest.Args(tt.args))
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		err := cmd.Execute()
		if tt.wantErr != "" {
			var fe *cmdutil.FlagError
			if err == nil || !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: error %v, want a usage error with %q", tt.args, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got == nil || !tt.check(got) {
			t.Errorf("%q: err %v, opts %+v", tt.args, err, got)
		}
	}
}

// run runs fileRun with a sandbox server, a journal in a temporary
// directory and buffers for the streams.
type harness struct {
	env     *clitest.Env
	opts    *Options
	out     *bytes.Buffer
	errOut  *bytes.Buffer
	journal *journal.Store
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	env := clitest.NewSandbox(t)
	ios, _, out, errOut := iostreams.Test()
	f := env.Factory(ios, output.Options{Format: output.FormatJSON})
	h := &harness{env: env, out: out, errOut: errOut, journal: journal.Open(filepath.Join(t.TempDir(), "drafts"))}
	h.opts = &Options{
		IO: ios, APIClient: f.APIClient, Target: f.Target, Output: f.Output, Localizer: f.Localizer,
		Now: f.Now, Probes: f.Probes, Journal: h.journal, Interval: time.Millisecond, Timeout: time.Minute,
	}
	return h
}

func writeDoc(t *testing.T, doc *filingio.Document) string {
	t.Helper()
	b, err := filingio.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "site.yaml")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func exampleDoc(domain string) *filingio.Document {
	sub := filingtest.Subject()
	site := filingtest.Site(domain)
	return &filingio.Document{Subject: &sub, Site: &site}
}

func TestFromFileWaitsForTheReview(t *testing.T) {
	h := newHarness(t)
	h.opts.From = writeDoc(t, exampleDoc("from-file.test"))
	h.opts.Wait = true
	if err := fileRun(context.Background(), h.opts); err != nil {
		t.Fatalf("%v\n%s", err, h.errOut)
	}
	if !strings.Contains(h.out.String(), `"state": "recorded"`) {
		t.Errorf("stdout is not the recorded status:\n%s", h.out)
	}
	if all, _ := h.journal.List(); len(all) != 0 {
		t.Errorf("journal kept after success: %d entries", len(all))
	}
}

func TestNoTerminalNeedsFrom(t *testing.T) {
	h := newHarness(t)
	err := fileRun(context.Background(), h.opts)
	var mf *cmdutil.MissingFlagError
	if !errors.As(err, &mf) || mf.Flag != "--from FILE" || cmdutil.ExitCodeOf(err) != cmdutil.ExitUsage {
		t.Fatalf("got %v", err)
	}
}

func TestTemplateIsAFilingDocument(t *testing.T) {
	h := newHarness(t)
	h.opts.Template = true
	if err := fileRun(context.Background(), h.opts); err != nil {
		t.Fatal(err)
	}
	if _, err := filingio.Load(bytes.NewReader(h.out.Bytes()), "template"); err != nil {
		t.Errorf("the template does not load as a document: %v", err)
	}
}

func TestDryRunCreatesNothing(t *testing.T) {
	h := newHarness(t)
	h.opts.From = writeDoc(t, exampleDoc("dry-run.test"))
	h.opts.DryRun = true
	if err := fileRun(context.Background(), h.opts); err != nil {
		t.Fatalf("%v\n%s", err, h.errOut)
	}
	list, err := h.env.Client.AllSites(context.Background(), client.SiteQuery{})
	if err != nil || len(list) != 0 {
		t.Errorf("dry run created %d sites (%v)", len(list), err)
	}
}

func TestRefusedFilingExits5AndKeepsTheAnswers(t *testing.T) {
	h := newHarness(t)
	doc := exampleDoc("refused.test")
	doc.Site.EmergencyContact.Mobile = "12345"
	h.opts.From = writeDoc(t, doc)
	err := fileRun(context.Background(), h.opts)
	if cmdutil.ExitCodeOf(err) != cmdutil.ExitInvalid {
		t.Fatalf("exit %d (%v)", cmdutil.ExitCodeOf(err), err)
	}
	e, lerr := h.journal.Latest()
	if lerr != nil {
		t.Fatal(lerr)
	}
	if !strings.Contains(h.errOut.String(), "beian file --resume "+e.ID) {
		t.Errorf("no resume command on stderr:\n%s", h.errOut)
	}
	if !e.Refused.Has("site.emergency_contact.mobile", "mobile_invalid") || e.Complete {
		t.Errorf("journal: refused %v complete %v", e.Refused, e.Complete)
	}
}

// dropFirstCreate passes the first POST /v1/sites to the server and then
// loses the answer, as a server that stops mid-request does; until up is
// set again every later request fails to connect.
type dropFirstCreate struct {
	next    http.RoundTripper
	dropped atomic.Bool
	down    atomic.Bool
}

func (d *dropFirstCreate) RoundTrip(r *http.Request) (*http.Response, error) {
	if d.down.Load() {
		return nil, errors.New("connect: connection refused")
	}
	resp, err := d.next.RoundTrip(r)
	if r.Method == http.MethodPost && r.URL.Path == "/v1/sites" && r.URL.Query().Get("dry_run") == "" && !d.dropped.Load() {
		d.dropped.Store(true)
		d.down.Store(true)
		return nil, errors.New("read: connection reset by peer")
	}
	return resp, err
}

// A server that stops in the middle of `file`: the site was created but the
// answer never came back. beian exits 1 and prints the resume command; the
// resume repeats the keyed request, the server answers with the site it
// created the first time, and the account ends up with one site, not two.
func TestServerDownMidFileResumesToOneSite(t *testing.T) {
	h := newHarness(t)
	flaky := &dropFirstCreate{next: h.env.Sandbox.Transport()}
	token := h.env.Client.Token()
	broken, err := client.New(client.Options{BaseURL: h.env.Sandbox.BaseURL(), Token: token, Transport: flaky, Retries: 1, RetryWait: time.Millisecond, RetryMaxWait: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	h.opts.APIClient = func(context.Context) (*client.Client, error) { return broken, nil }
	h.opts.From = writeDoc(t, exampleDoc("resume.test"))
	err = fileRun(context.Background(), h.opts)
	if code := cmdutil.ExitCodeOf(err); code != cmdutil.ExitFailure {
		t.Fatalf("exit %d (%v), want 1\n%s", code, err, h.errOut)
	}
	e, lerr := h.journal.Latest()
	if lerr != nil {
		t.Fatal(lerr)
	}
	if !strings.Contains(h.errOut.String(), "beian file --resume "+e.ID) {
		t.Fatalf("no resume command on stderr:\n%s", h.errOut)
	}
	if e.Progress.CreateKey == "" || e.Progress.SiteID != "" || !e.Complete {
		t.Fatalf("journal progress %+v complete %v", e.Progress, e.Complete)
	}

	// The server is back; resume with the same (now working) connection.
	flaky.down.Store(false)
	h.opts.From, h.opts.Resume, h.opts.ResumeID = "", true, e.ID
	h.out.Reset()
	if err := fileRun(context.Background(), h.opts); err != nil {
		t.Fatalf("resume: %v\n%s", err, h.errOut)
	}
	list, err := h.env.Client.AllSites(context.Background(), client.SiteQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].State != filing.StateUnderReview || list[0].Site.PrimaryDomain != "resume.test" {
		t.Fatalf("sites after resume: %d %+v", len(list), list)
	}
	if _, err := h.journal.Load(e.ID); !errors.Is(err, journal.ErrNotFound) {
		t.Errorf("journal kept after the resumed filing went through: %v", err)
	}
}

func TestResumeWithNothingToResume(t *testing.T) {
	h := newHarness(t)
	h.opts.Resume = true
	err := fileRun(context.Background(), h.opts)
	if cmdutil.ExitCodeOf(err) != cmdutil.ExitFailure || !strings.Contains(err.Error(), "file.nothing_to_resume") && !strings.Contains(err.Error(), "no interrupted filing") {
		t.Errorf("got %v", err)
	}
}

func TestDraftSavesWithoutSubmitting(t *testing.T) {
	h := newHarness(t)
	h.opts.From = writeDoc(t, exampleDoc("draft.test"))
	h.opts.Draft = true
	if err := fileRun(context.Background(), h.opts); err != nil {
		t.Fatalf("%v\n%s", err, h.errOut)
	}
	list, err := h.env.Client.AllSites(context.Background(), client.SiteQuery{})
	if err != nil || len(list) != 1 || list[0].State != filing.StateDraft {
		t.Fatalf("sites: %+v %v", list, err)
	}
	sub, err := h.env.Client.Subject(context.Background())
	if err != nil || sub.State != filing.SubjectDraft {
		t.Errorf("subject: %+v %v", sub, err)
	}
}
