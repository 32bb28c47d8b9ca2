package filingio

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/clitest"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/i18n"
)

func loadExample(t *testing.T) *Document {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "..", "docs", "examples", "site.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := Load(f, "site.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// The example and both templates are complete, valid filings (the
// templates with a real-looking domain, so only the sandbox's leniency is
// not needed for them).
func TestExampleAndTemplatesValid(t *testing.T) {
	docs := map[string]*Document{"docs/examples/site.yaml": loadExample(t)}
	for _, lang := range []i18n.Lang{i18n.EN, i18n.ZH} {
		doc, err := Load(strings.NewReader(string(Template(lang))), "template "+string(lang))
		if err != nil {
			t.Fatalf("template %s: %v", lang, err)
		}
		docs["template "+string(lang)] = doc
	}
	for name, doc := range docs {
		if doc.Subject == nil || doc.Site == nil {
			t.Fatalf("%s: missing a section", name)
		}
		if errs := doc.Subject.ValidateWith(filing.SubjectOptions{ForSubmit: true, Today: time.Now()}); len(errs) > 0 {
			t.Errorf("%s: subject: %v", name, errs)
		}
		site := *doc.Site
		site.FillFromResponsible(doc.Subject.Responsible)
		if errs := site.Validate(filing.SiteOptions{ForSubmit: true, Today: time.Now(), AllowNonPublicIP: true, TestDomains: true}); len(errs) > 0 {
			t.Errorf("%s: site: %v", name, errs)
		}
	}
	if !strings.Contains(string(Template(i18n.ZH)), "开办主体") || !strings.Contains(string(Template(i18n.EN)), "hosting subject") {
		t.Error("templates are not in their language")
	}
}

func TestLoadRefusesUnknownFieldsAndEmpty(t *testing.T) {
	tests := map[string]string{
		"":                         "empty",
		"site:\n  colour: x\n":     "colour",
		"other: 1\n":               "other",
		"site: [1, 2]\n":           "cannot unmarshal",
		"# only a comment\n":       "empty",
		"subject:\n  kind: unit\n": "", // a subject alone is a document (subject edit)
		"site:\n  name: 示例\n":      "",
	}
	for in, want := range tests {
		_, err := Load(strings.NewReader(in), "f.yaml")
		if want == "" {
			if err != nil {
				t.Errorf("%q: %v", in, err)
			}
			continue
		}
		var de *DocumentError
		if !errors.As(err, &de) || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want %q", in, err, want)
		}
		if cmdutil.ExitCodeOf(err) != cmdutil.ExitInvalid {
			t.Errorf("%q: exit %d", in, cmdutil.ExitCodeOf(err))
		}
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	doc := loadExample(t)
	b, err := Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Load(strings.NewReader(string(b)), "again")
	if err != nil {
		t.Fatal(err)
	}
	if back.Site.PrimaryDomain != doc.Site.PrimaryDomain || back.Subject.CertNumber != doc.Subject.CertNumber {
		t.Errorf("round trip lost data")
	}
}

// The example, filed on a fresh sandbox, is approved.
func TestSubmitExampleThenWait(t *testing.T) {
	env := clitest.NewSandbox(t)
	ctx := context.Background()
	doc := loadExample(t)

	var steps []Step
	res, err := Submit(ctx, env.Client, doc, SubmitOptions{DryRun: true, Sandbox: true, Progress: func(s Step, _ *api.SiteRecord) { steps = append(steps, s) }})
	if err != nil {
		t.Fatalf("dry run: %v", err)
	}
	if res.Site != nil {
		t.Error("dry run created a site")
	}
	if sites, _ := env.Client.AllSites(ctx, clitestQuery()); len(sites) != 0 {
		t.Errorf("dry run left %d sites", len(sites))
	}

	steps = nil
	keys := NewKeys()
	res, err = Submit(ctx, env.Client, doc, SubmitOptions{Keys: keys, Progress: func(s Step, _ *api.SiteRecord) { steps = append(steps, s) }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Site == nil || res.Site.State != filing.StateUnderReview {
		t.Fatalf("result %+v", res.Site)
	}
	want := []Step{StepSubjectSaved, StepSubjectSubmitted, StepValidated, StepCreated, StepSubmitted}
	if strings.Join(stepNames(steps), ",") != strings.Join(stepNames(want), ",") {
		t.Errorf("steps %v, want %v", steps, want)
	}

	// Repeating the same filing with the same keys (a resume after a lost
	// answer) creates nothing new.
	again, err := Submit(ctx, env.Client, doc, SubmitOptions{Keys: keys, Resume: true})
	if err != nil {
		t.Fatalf("repeat: %v", err)
	}
	if again.Site.ID != res.Site.ID {
		t.Errorf("repeat created %s, first was %s", again.Site.ID, res.Site.ID)
	}

	rec, err := WaitForDecision(ctx, env.Client, res.Site.ID, WaitOptions{Sandbox: true, Interval: time.Millisecond, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if rec.State != filing.StateRecorded || !strings.HasPrefix(rec.RecordNumber, "鄂公网安备 420111") {
		t.Errorf("after wait: %s %q", rec.State, rec.RecordNumber)
	}
}

func TestSubmitInvalidListsEveryField(t *testing.T) {
	env := clitest.NewSandbox(t)
	doc := loadExample(t)
	doc.Site.PrimaryDomain = "bad_domain.com"
	doc.Site.LaunchDate = "2024-13-01"
	_, err := Submit(context.Background(), env.Client, doc, SubmitOptions{})
	var p *api.Problem
	if !errors.As(err, &p) || p.Code != api.CodeValidationFailed {
		t.Fatalf("err %v", err)
	}
	fields := map[string]bool{}
	for _, fe := range p.Errors {
		fields[fe.Field] = true
	}
	if !fields["site.primary_domain"] || !fields["site.launch_date"] {
		t.Errorf("fields %v", p.Errors)
	}
	if cmdutil.ExitCodeOf(err) != cmdutil.ExitInvalid {
		t.Errorf("exit %d", cmdutil.ExitCodeOf(err))
	}
}

func TestWaitTimeout(t *testing.T) {
	env := clitest.NewSandbox(t)
	rec := env.FileSite(t, "slow.test", false)
	// Without asking the sandbox to review, nothing decides it.
	last, err := WaitForDecision(context.Background(), env.Client, rec.ID, WaitOptions{Interval: time.Millisecond, Timeout: 20 * time.Millisecond})
	if !errors.Is(err, ErrWaitTimeout) || last == nil || last.State != filing.StateUnderReview {
		t.Errorf("err %v, last %+v", err, last)
	}
}

func stepNames(s []Step) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = string(x)
	}
	return out
}

func clitestQuery() client.SiteQuery { return client.SiteQuery{} }
