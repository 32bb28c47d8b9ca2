package forms

import (
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/i18n"
)

// lines is a terminal in line mode: each Read returns one typed line, as a
// pseudo-terminal in canonical mode does. huh's accessible prompts make a
// new reader per field, so a plain strings.Reader would hand the whole
// script to the first field (the trap of SPEC §7); a terminal never does.
type lines struct {
	mu sync.Mutex
	ls []string
}

func typed(ls ...string) *lines { return &lines{ls: ls} }

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

func (l *lines) left() int { l.mu.Lock(); defer l.mu.Unlock(); return len(l.ls) }

var today = time.Date(2024, 3, 20, 10, 0, 0, 0, filing.ChinaTime)

func testEnv(lang i18n.Lang) Env {
	return Env{Loc: i18n.New(lang), Today: today}
}

func accessible(in io.Reader) (*Runner, *bytes.Buffer) {
	out := &bytes.Buffer{}
	return &Runner{In: in, Out: out, Accessible: true}, out
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

func plain(s string) string { return ansi.ReplaceAllString(s, "") }

// checks is a fake server answering domain checks from a table.
func checks(table map[string]api.DomainCheck, asked *[]string) func(string) (*api.DomainCheck, error) {
	return func(d string) (*api.DomainCheck, error) {
		*asked = append(*asked, d)
		if c, ok := table[d]; ok {
			c.Domain = d
			return &c, nil
		}
		if d == "down.cn" {
			return nil, errors.New("connection refused")
		}
		return &api.DomainCheck{Domain: d, ASCII: d, Status: api.DomainAvailable}, nil
	}
}

func TestDomainsFormRefusesAndCorrectsInPlace(t *testing.T) {
	var asked []string
	env := testEnv(i18n.ZH)
	env.CheckDomain = checks(map[string]api.DomainCheck{
		"taken.cn": {Status: api.DomainTaken, RecordNumber: "鄂公网安备42011102000410号"},
		"mine.cn":  {Status: api.DomainYours, SiteID: "s_1", SiteState: filing.StateUnderReview},
	}, &asked)
	f, res := DomainsForm(env, filing.Site{HasPrimaryDomain: true})
	in := typed(
		"www.example.com.cn", // below the first-level domain: refused by the rules
		"taken.cn",           // another subject's: refused by the server
		"mine.cn",            // this account's own: the platform's wording
		"Example.CN.",        // fine, normalised on the way
		"a.cn, example.cn",   // example.cn twice in one site
		"a.cn，down.cn",       // the check cannot be asked: accepted, checked again on submission
	)
	r, out := accessible(in)
	if err := r.Run(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	text := plain(out.String())
	for _, want := range []string{
		"不是一级域名",
		"taken.cn: 该域名已由其他开办主体备案（备案号：鄂公网安备42011102000410号）",
		"mine.cn: 您已经申请过此域名的备案，请到审核中网站或已备案网站中查看（网站 s_1 当前状态：审核中）",
		"域名重复填写",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if res.PrimaryDomain != "Example.CN." || strings.Join(res.ExtraDomains, " ") != "a.cn down.cn" {
		t.Errorf("result: primary %q extra %q", res.PrimaryDomain, res.ExtraDomains)
	}
	n, errs := filing.NormalizeSite(*res)
	if len(errs) > 0 || n.PrimaryDomain != "example.cn" {
		t.Errorf("normalised: %q %v", n.PrimaryDomain, errs)
	}
	// www.example.com.cn is refused by the rules before anyone asks the server.
	if strings.Join(asked, " ") != "taken.cn mine.cn example.cn a.cn down.cn" {
		t.Errorf("server asked about %q", asked)
	}
	if in.left() != 0 {
		t.Errorf("%d lines not read", in.left())
	}
}

func TestDomainStatusErrorEnglish(t *testing.T) {
	env := testEnv(i18n.EN)
	err := env.DomainStatusError("mine.cn", &api.DomainCheck{Status: api.DomainYours})
	want := "mine.cn: You have already applied for the registration of this domain name; see your sites under review or recorded sites"
	if err == nil || err.Error() != want {
		t.Errorf("got %v", err)
	}
	if env.DomainStatusError("x.cn", &api.DomainCheck{Status: api.DomainAvailable}) != nil {
		t.Error("available refused")
	}
	if err := env.DomainStatusError("x.cn", &api.DomainCheck{Status: api.DomainClaimable}); err == nil || !strings.Contains(err.Error(), "beian claim") {
		t.Errorf("claimable: %v", err)
	}
}

func TestAreaFormsNarrowToCounty(t *testing.T) {
	env := testEnv(i18n.ZH)
	// 湖北省 is the 17th province, 武汉市 the first city, 洪山区 the 7th county.
	r, _ := accessible(typed("17"))
	f, prov := ProvinceForm(env, "办公地址：省份", "")
	if err := r.Run(context.Background(), f); err != nil || *prov != "420000" {
		t.Fatalf("province %q %v", *prov, err)
	}
	r, _ = accessible(typed("1"))
	f, city := CityForm(env, "城市", *prov, *prov)
	if err := r.Run(context.Background(), f); err != nil || *city != "420100" {
		t.Fatalf("city %q %v", *city, err)
	}
	r, out := accessible(typed("7"))
	f, county := CountyForm(env, "区县", *city, "")
	if err := r.Run(context.Background(), f); err != nil || *county != "420111" {
		t.Fatalf("county %q %v", *county, err)
	}
	if !strings.Contains(out.String(), "洪山区 420111") {
		t.Errorf("options do not show name and code:\n%s", out)
	}
	// A code already chosen is preselected: Enter keeps it.
	r, _ = accessible(typed(""))
	f, again := CountyForm(env, "区县", "420100", "420111")
	if err := r.Run(context.Background(), f); err != nil || *again != "420111" {
		t.Fatalf("preselected county %q %v", *again, err)
	}
}

func TestCityOf(t *testing.T) {
	for code, want := range map[string]string{"420111": "420100", "420000": "", "110000": "110100", "x": ""} {
		if got := cityOf(code); got != want {
			t.Errorf("cityOf(%s) = %q, want %q", code, got, want)
		}
	}
}

func TestSplitList(t *testing.T) {
	got := SplitList(" a.cn, b.cn，c.cn、d.cn;e.cn\tf.cn ,, ")
	if strings.Join(got, "|") != "a.cn|b.cn|c.cn|d.cn|e.cn|f.cn" {
		t.Errorf("%q", got)
	}
}

// A site answered up to the emergency contact: only review and the notice
// are left.
func answeredSite() *Answers {
	s := filingtest.Site("example.cn")
	s.AcceptResponsibility = false
	s.Owner = filing.Contact{SameAsResponsible: true}
	return &Answers{Site: s, Responsible: filingtest.Responsible()}
}

// The accessible-mode trap: huh's accessible confirm ignores its Validate
// func, so "n" to the responsibility notice gets through the form. The
// whole-filing check afterwards catches it and asks again.
func TestCompleteRevalidatesAfterAccessibleForms(t *testing.T) {
	env := testEnv(i18n.EN)
	a := answeredSite()
	in := typed("1", "n", "y") // submit; refuse the notice; accept when asked again
	r, out := accessible(in)
	w := &Walker{Runner: r, Env: env, Steps: FilingSteps()}
	var saved []string
	w.Saved = func(step string, _ *Answers) error { saved = append(saved, step); return nil }
	errs, err := w.Complete(context.Background(), a, "site.emergency_contact")
	if err != nil || len(errs) > 0 {
		t.Fatalf("Complete: %v %v\n%s", errs, err, out)
	}
	if a.Action != ActionSubmit || !a.Site.AcceptResponsibility {
		t.Errorf("action %q accepted %v", a.Action, a.Site.AcceptResponsibility)
	}
	if strings.Join(saved, " ") != "review accept accept" {
		t.Errorf("journalled after %q", saved)
	}
	if in.left() != 0 {
		t.Errorf("%d lines not read", in.left())
	}
}

// At the end of input every accessible prompt silently takes its default;
// the whole-filing check then reports what is still missing instead of
// filing an empty site.
func TestCompleteAtEndOfInputReportsMissingFields(t *testing.T) {
	env := testEnv(i18n.EN)
	a := &Answers{}
	r, _ := accessible(typed())
	w := &Walker{Runner: r, Env: env, Steps: FilingSteps()}
	errs, err := w.Complete(context.Background(), a, "")
	if err != nil {
		t.Fatal(err)
	}
	if !errs.Has("site.name", filing.CodeRequiredMissing) {
		t.Errorf("missing name not reported: %v", errs)
	}
}

func TestRunnerCancelledContextInAccessibleMode(t *testing.T) {
	pr, pw := io.Pipe() // a terminal nobody types on
	defer pw.Close()
	r, _ := accessible(pr)
	ctx, cancel := context.WithCancel(context.Background())
	f, _ := SiteBasicsForm(testEnv(i18n.EN), filing.Site{})
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx, f) }()
	cancel() // Ctrl-C reaches beian as SIGINT, which cancels the context
	select {
	case err := <-done:
		if !errors.Is(err, ErrCancelled) {
			t.Errorf("got %v, want ErrCancelled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after the context was cancelled")
	}
}

func TestSummaryMarksKeyFieldsAndLateFiling(t *testing.T) {
	env := testEnv(i18n.EN)
	a := answeredSite()
	got := Summary(env, nil, a.Site, a.Responsible)
	if !regexp.MustCompile(`(?m)^\* .*example\.cn$`).MatchString(got) {
		t.Errorf("primary domain not marked key:\n%s", got)
	}
	if !regexp.MustCompile(`(?m)^  .*鄂ICP备2024012345号-1$`).MatchString(got) {
		t.Errorf("ICP number (non-key) marked or missing:\n%s", got)
	}
	if !strings.Contains(got, filingtest.ResponsibleID) {
		t.Errorf("owner same as responsible not filled in:\n%s", got)
	}
	if !strings.Contains(got, "湖北省 武汉市 洪山区 420111") && !strings.Contains(got, "330106") {
		t.Errorf("area codes not named:\n%s", got)
	}
	// Launched 2024-03-01, deadline 2024-03-31: on time on the 20th, late in April.
	if LateWarning(env, "2024-03-01") != "" {
		t.Error("on-time filing warned")
	}
	late := env
	late.Today = time.Date(2024, 4, 2, 9, 0, 0, 0, filing.ChinaTime)
	if w := LateWarning(late, "2024-03-01"); !strings.Contains(w, "2024-03-31") {
		t.Errorf("late warning %q", w)
	}
}

func TestInlineRulesAreTheServersRules(t *testing.T) {
	env := testEnv(i18n.EN)
	s := filing.Site{HasPrimaryDomain: true}
	tests := []struct {
		path  string
		set   func(*filing.Site, string)
		value string
		ok    bool
	}{
		{"site.launch_date", func(s *filing.Site, v string) { s.LaunchDate = v }, "2024-02-30", false},
		{"site.launch_date", func(s *filing.Site, v string) { s.LaunchDate = v }, "2024-04-01", false}, // after today
		{"site.launch_date", func(s *filing.Site, v string) { s.LaunchDate = v }, "2024-03-01", true},
		{"site.ip_addresses", func(s *filing.Site, v string) { s.IPAddresses = SplitList(v) }, "192.168.1.1", false},
		{"site.ip_addresses", func(s *filing.Site, v string) { s.IPAddresses = SplitList(v) }, "223.5.5.5, 2400:3200::1", true},
		{"site.icp_number", func(s *filing.Site, v string) { s.ICPNumber = v }, "", true},
		{"site.icp_number", func(s *filing.Site, v string) { s.ICPNumber = v }, "ICP123", false},
		{"site.registrar.name", func(s *filing.Site, v string) { s.Registrar.Name = v }, "", false}, // required with a domain
		{"site.emergency_contact.mobile", func(s *filing.Site, v string) { s.EmergencyContact.Mobile = v }, "+86 138 0013 8000", true},
		{"site.emergency_contact.mobile", func(s *filing.Site, v string) { s.EmergencyContact.Mobile = v }, "12345", false},
	}
	for _, tt := range tests {
		err := env.siteCheck(&s, tt.path, tt.set)(tt.value)
		if (err == nil) != tt.ok {
			t.Errorf("%s = %q: error %v, want ok=%v", tt.path, tt.value, err, tt.ok)
		}
	}
	noDomain := filing.Site{}
	if err := env.siteCheck(&noDomain, "site.registrar.name", func(s *filing.Site, v string) { s.Registrar.Name = v })(""); err != nil {
		t.Errorf("registrar required without a domain: %v", err)
	}
	sub := filingtest.Subject()
	if err := env.subjectCheck(&sub, "subject.cert_number", func(s *filing.Subject, v string) { s.CertNumber = v })("91420111MA4K00010Q"); err == nil {
		t.Error("bad USCC check character accepted")
	}
}

// A new individual subject, page by page in accessible mode: the kind, the
// identity, the office address chosen province → city → county, contacts,
// and the responsible person, who starts as the individual.
func TestSubjectPagesForANewIndividual(t *testing.T) {
	env := testEnv(i18n.ZH)
	env.Accessible = true
	var steps []Step
	for _, s := range FilingSteps() {
		if strings.HasPrefix(s.ID, "subject.") {
			steps = append(steps, s)
		}
	}
	want := filingtest.IndividualSubject()
	in := typed(
		"2",                 // kind: individual
		want.Name,           // name
		"",                  // certificate type: resident ID, preselected
		"42010219851122234", // one digit short
		want.CertNumber,     // corrected
		"17", "1", "1",      // 湖北省 武汉市 江岸区
		want.OfficeAddress.Detail,
		"",          // office phone (optional)
		want.Mobile, // mobile
		want.Email,  // email
		"",          // remarks
		"", "", "",  // responsible: name, ID type and number start as the individual's
		"long_term", // ID valid until
		"17", "1", "1",
		want.Responsible.ResidentAddress.Detail,
		"", "", "", // mobile and email start as the subject's; no office phone
	)
	r, out := accessible(in)
	a := &Answers{Subject: &filing.Subject{}}
	var saved []string
	w := &Walker{Runner: r, Env: env, Steps: steps, Saved: func(s string, _ *Answers) error { saved = append(saved, s); return nil }}
	if err := w.Walk(context.Background(), a, ""); err != nil {
		t.Fatal(err)
	}
	if errs := a.Subject.ValidateWith(filing.SubjectOptions{ForSubmit: true, Today: today}); len(errs) > 0 {
		t.Fatalf("subject invalid: %v\n%s", errs, plain(out.String()))
	}
	got, _ := filing.NormalizeSubject(*a.Subject)
	exp, _ := filing.NormalizeSubject(want)
	if got != exp {
		t.Errorf("subject\n got %+v\nwant %+v", got, exp)
	}
	if !strings.Contains(plain(out.String()), "居民身份证号码应为 18 位") {
		t.Errorf("the short ID number was not refused in place:\n%s", plain(out.String()))
	}
	// Every page was journalled as it was answered (Hubei has several
	// cities, so no city page is skipped).
	if len(saved) != len(steps) || saved[0] != "subject.kind" || saved[len(saved)-1] != "subject.responsible_contact" {
		t.Errorf("pages journalled: %v", saved)
	}
	if in.left() != 0 {
		t.Errorf("%d lines not read", in.left())
	}
}
