package fleet

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/filingio"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/i18n"
)

var today = time.Date(2025, 6, 15, 10, 0, 0, 0, filing.ChinaTime)

func write(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The columns a sheet can hold are every field --set knows: none is
// forgotten when the model grows.
func TestColumnsAreEveryField(t *testing.T) {
	var kinds []string
	for k := range filingio.FieldKinds() {
		kinds = append(kinds, k)
	}
	cols := slices.Clone(Columns)
	slices.Sort(kinds)
	slices.Sort(cols)
	if !slices.Equal(kinds, cols) {
		t.Fatalf("Columns and the model differ:\ncolumns %v\nmodel   %v", cols, kinds)
	}
}

// Every header a sheet may use — path, English label, Chinese label —
// names one column, and no two columns share a label.
func TestHeaders(t *testing.T) {
	idx := headerIndex()
	for _, tt := range []struct{ header, want string }{
		{"name", "name"},
		{"site.primary_domain", "primary_domain"},
		{"  Primary   Domain ", "primary_domain"},
		{"主域名", "primary_domain"},
		{"网站负责人手机", "owner.mobile"},
		{"Emergency mobile", "emergency_contact.mobile"},
		{"主体", SubjectColumn},
		{"Subject", SubjectColumn},
	} {
		if got := idx[fold(tt.header)]; got != tt.want {
			t.Errorf("header %q → %q, want %q", tt.header, got, tt.want)
		}
	}
	for _, lang := range []i18n.Lang{i18n.EN, i18n.ZH} {
		seen := map[string]string{}
		for i, h := range Header(i18n.New(lang)) {
			if prev, dup := seen[fold(h)]; dup {
				t.Errorf("%s: columns %s and %s share the header %q", lang, prev, Columns[i], h)
			}
			seen[fold(h)] = Columns[i]
		}
	}
}

func TestParseBool(t *testing.T) {
	for in, want := range map[string]bool{"true": true, "YES": true, "是": true, "1": true, "no": false, "否": false, "False": false} {
		if got, ok := parseBool(in); !ok || got != want {
			t.Errorf("parseBool(%q) = %v, %v", in, got, ok)
		}
	}
	if _, ok := parseBool("maybe"); ok {
		t.Error("maybe is not yes or no")
	}
}

const sharedDefaults = `defaults:
  has_primary_domain: true
  launch_date: "2024-03-01"
  access_provider: &isp
    name: 示例云计算有限公司
    jurisdiction: domestic
    area_code: "330106"
    access_method: cloud
    phone: 0571-86543210
`

// Defaults merge under each site, mapping by mapping; YAML anchors work.
func TestLoadMergesDefaults(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "fleet.yaml", sharedDefaults+`subjects:
  - id: acme
    token_env: ACME_TOKEN
    defaults:
      access_provider: {phone: 0571-11112222}
    sites:
      - name: one
        primary_domain: one.example.cn
      - name: two
        primary_domain: two.example.cn
        access_provider: {name: 另一家云}
  - id: other
    profile: other
    sites:
      - name: three
        primary_domain: three.example.cn
        access_provider:
          <<: *isp
          phone: 0571-33334444
`)
	f, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Subjects) != 2 || f.Subjects[0].Account.TokenEnv != "ACME_TOKEN" || f.Subjects[1].Account.Profile != "other" {
		t.Fatalf("subjects %+v", f.Subjects)
	}
	one, two := f.Subjects[0].Sites[0], f.Subjects[0].Sites[1]
	if one.Site.AccessProvider.Phone != "0571-11112222" || one.Site.AccessProvider.Name != "示例云计算有限公司" || !one.Site.HasPrimaryDomain {
		t.Errorf("one %+v", one.Site.AccessProvider)
	}
	if two.Site.AccessProvider.Name != "另一家云" || two.Site.AccessProvider.AreaCode != "330106" {
		t.Errorf("two %+v", two.Site.AccessProvider)
	}
	if one.Where != p+":16" { // the line of "- name: one"
		t.Errorf("where %q", one.Where)
	}
	three := f.Subjects[1].Sites[0].Site
	if three.AccessProvider.Name != "示例云计算有限公司" || three.AccessProvider.Phone != "0571-33334444" {
		t.Errorf("three %+v", three.AccessProvider)
	}
}

// Every way a fleet can be wrong is a LoadError naming the file and line
// or row, and what is wrong.
func TestLoadErrors(t *testing.T) {
	for _, tt := range []struct {
		name, file, body, want string
	}{
		{"typo", "f.yaml", "sites:\n  - name: x\n    primry_domain: x.cn\n", "f.yaml:2: field primry_domain not found"},
		{"two subjects one account", "f.yaml", "subjects:\n  - id: a\n    sites: [{name: x}]\n  - id: b\n    sites: [{name: y}]\n", "both filed by the signed-in account"},
		{"both selectors", "f.yaml", "subjects:\n  - id: a\n    token_env: A\n    profile: a\n", "token_env or profile, not both"},
		{"empty", "f.yaml", "# nothing\n", "the file is empty"},
		{"no sites", "f.yaml", "defaults: {name: x}\n", "no subjects and no sites"},
		{"unknown column", "s.csv", "name,primary_domain,colour\nx,x.cn,red\n", "s.csv:1: column 3, \"colour\", is not a site field"},
		{"duplicate column", "s.csv", "name,网站名称\nx,y\n", "columns 1 and 2 are both name"},
		{"bad yes/no", "s.csv", "name,commercial\nx,perhaps\n", "s.csv:2: commercial: \"perhaps\" is not yes or no"},
		{"undeclared subject", "s.csv", "subject,name\nacme,x\n", "s.csv:2: subject \"acme\" is not declared"},
		{"not a fleet file", "f.txt", "x", "not a fleet file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := write(t, t.TempDir(), tt.file, tt.body)
			_, err := Load(p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want %q", err, tt.want)
			}
			if le, ok := err.(*LoadError); !ok || le.Code() != "fleet_invalid" || !strings.HasPrefix(err.Error(), p) {
				t.Fatalf("%T %v: not a LoadError naming %s", err, err, p)
			}
		})
	}
}

// A directory is read in name order; a sheet's rows start from the
// defaults of a YAML file beside it and find their subject by ID; a
// row's domain alone implies has_primary_domain.
func TestLoadDirectoryWithSheet(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.yaml", sharedDefaults+"subjects:\n  - id: acme\n    token_env: ACME\n")
	write(t, dir, "b.csv", "\ufeff主体,网站名称,主域名,其他域名,经营性\r\nacme,壹,one.example.cn,\"www.one.example.cn, m.one.example.cn\",是\r\n,,,,\r\n")
	write(t, dir, "notes.txt", "ignored")
	f, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Subjects) != 1 || len(f.Subjects[0].Sites) != 1 {
		t.Fatalf("%+v", f.Subjects)
	}
	s := f.Subjects[0].Sites[0]
	if s.Site.Name != "壹" || !s.Site.HasPrimaryDomain || !s.Site.Commercial || len(s.Site.ExtraDomains) != 2 ||
		s.Site.AccessProvider.AreaCode != "330106" || !s.FromSheet || !strings.HasSuffix(s.Where, "b.csv:2") {
		t.Fatalf("%+v", s)
	}
}

// A sheet written from sites reads back as the same sites.
func TestSheetRoundTrip(t *testing.T) {
	dir := t.TempDir()
	sites := []filing.Site{filingtest.Site("one.example.cn"), filingtest.InteractiveSite("two.example.cn")}
	sites[1].ApprovalCertificates, sites[1].PriorApprovals = nil, nil // not sheet cells
	var b strings.Builder
	if err := WriteCSV(&b, Header(i18n.New(i18n.ZH)), sites); err != nil {
		t.Fatal(err)
	}
	csvPath := write(t, dir, "s.csv", b.String())
	xlsxPath := filepath.Join(dir, "s.xlsx")
	if err := WriteXLSX(xlsxPath, Header(i18n.New(i18n.EN)), sites); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{csvPath, xlsxPath} {
		f, err := Load(p)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range f.Subjects[0].Sites {
			if d := filing.Diff(sites[i], s.Site); len(d) > 0 {
				t.Errorf("%s row %d differs: %+v", p, i+2, d)
			}
		}
	}
}

// current is a server state with the subject approved and sites in the
// given states.
func current(sites ...api.SiteRecord) *Current {
	return &Current{Subject: &api.SubjectRecord{State: filing.SubjectApproved, Subject: filingtest.Subject(), Version: 1}, Sites: sites, Checks: map[string]api.DomainCheck{}}
}

func record(id string, st filing.State, s filing.Site) api.SiteRecord {
	n, _ := filing.NormalizeSite(s)
	r := api.SiteRecord{ID: id, State: st, Version: 2, Site: n}
	for _, d := range siteDomains(n) {
		r.Domains = append(r.Domains, api.DomainName{ASCII: d, Unicode: d})
	}
	return r
}

func oneSubject(sites ...filing.Site) (*Fleet, *Subject) {
	s := &Subject{ID: "acme"}
	for i, site := range sites {
		s.Sites = append(s.Sites, &Site{Site: site, Where: "f.yaml:" + string(rune('1'+i))})
	}
	return &Fleet{Subjects: []*Subject{s}}, s
}

// What the plan does with a desired site, by the state of its filing.
func TestPlanActions(t *testing.T) {
	site := filingtest.Site("shop-example.cn")
	renamed := site
	renamed.Name = "新名称"
	newMobile := site
	newMobile.EmergencyContact.Mobile = "13300133009"
	for _, tt := range []struct {
		name    string
		want    filing.Site
		server  []api.SiteRecord
		action  Action
		changes int
		key     bool
	}{
		{"new", site, nil, Create, 0, false},
		{"recorded, same", site, []api.SiteRecord{record("s1", filing.StateRecorded, site)}, None, 0, false},
		{"recorded, key change", renamed, []api.SiteRecord{record("s1", filing.StateRecorded, site)}, Amend, 1, true},
		{"recorded, non-key change", newMobile, []api.SiteRecord{record("s1", filing.StateRecorded, site)}, Amend, 1, false},
		{"draft, same", site, []api.SiteRecord{record("s1", filing.StateDraft, site)}, Submit, 0, false},
		{"returned, fixed", renamed, []api.SiteRecord{record("s1", filing.StateReturned, site)}, Update, 1, true},
		{"under review, same", site, []api.SiteRecord{record("s1", filing.StateUnderReview, site)}, None, 0, false},
		{"under review, changed", renamed, []api.SiteRecord{record("s1", filing.StateUnderReview, site)}, Wait, 1, true},
		{"to claim", site, []api.SiteRecord{record("s1", filing.StateToClaim, site)}, Blocked, 0, false},
		{"cancelled is gone", site, []api.SiteRecord{record("s1", filing.StateCancelled, site)}, Create, 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, s := oneSubject(tt.want)
			p := NewPlanner(f, Options{Today: today})
			plan := p.Plan(map[*Subject]*Current{s: current(tt.server...)})
			st := plan.Subjects[0].Sites[0]
			if st.Action != tt.action || len(st.Changes) != tt.changes || (tt.changes > 0 && st.Changes[0].Key != tt.key) {
				t.Fatalf("action %s, changes %+v; want %s, %d (key %v)", st.Action, st.Changes, tt.action, tt.changes, tt.key)
			}
			if len(st.Errors) > 0 || len(st.Conflicts) > 0 {
				t.Fatalf("problems: %+v %+v", st.Errors, st.Conflicts)
			}
			if plan.Changes != st.Action.changes() {
				t.Errorf("plan.Changes %v for %s", plan.Changes, st.Action)
			}
		})
	}
}

// Domains that belong elsewhere are conflicts, found before anything is
// sent: in another site of the fleet, of the account, of another account,
// or of an earlier filing to claim.
func TestPlanConflicts(t *testing.T) {
	a, b := filingtest.Site("a-example.cn"), filingtest.Site("b-example.cn")
	b.ExtraDomains = []string{"www.a-example.cn"}
	f, s := oneSubject(a, b)
	p := NewPlanner(f, Options{Today: today})
	plan := p.Plan(map[*Subject]*Current{s: current()})
	if c := plan.Subjects[0].Sites[1].Conflicts; len(c) != 0 {
		t.Fatalf("a's www is not a's: %+v", c) // a has no www, so no clash yet
	}
	a.ExtraDomains = []string{"www.a-example.cn"}
	f, s = oneSubject(a, b)
	p = NewPlanner(f, Options{Today: today})
	plan = p.Plan(map[*Subject]*Current{s: current()})
	c := plan.Subjects[0].Sites[1].Conflicts
	if len(c) != 1 || c[0].Status != "duplicate" || !strings.Contains(c[0].Message, "f.yaml:1") || plan.Problems != 1 {
		t.Fatalf("conflicts %+v, problems %d", c, plan.Problems)
	}

	lone := filingtest.Site("taken-example.cn")
	lone.ExtraDomains = []string{"claim-example.cn", "mine-example.cn"}
	f, s = oneSubject(lone)
	p = NewPlanner(f, Options{Today: today})
	cur := current(record("s9", filing.StateRecorded, filingtest.Site("mine-example.cn")))
	if got := p.CheckDomains(s, cur); !slices.Equal(got, []string{"taken-example.cn", "claim-example.cn"}) {
		t.Fatalf("CheckDomains %v: the account's own domains need no check", got)
	}
	cur.Checks["taken-example.cn"] = api.DomainCheck{Status: api.DomainTaken}
	cur.Checks["claim-example.cn"] = api.DomainCheck{Status: api.DomainClaimable}
	plan = p.Plan(map[*Subject]*Current{s: cur})
	var statuses []string
	for _, c := range plan.Subjects[0].Sites[0].Conflicts {
		statuses = append(statuses, c.Status)
	}
	if !slices.Equal(statuses, []string{"taken", "claimable", "yours"}) {
		t.Fatalf("statuses %v", statuses)
	}
	if u := plan.Subjects[0].Unmanaged; len(u) != 1 || u[0].Action != Keep {
		t.Fatalf("the account's other site is kept: %+v", u)
	}
}

// Every invalid site is reported at once, and a subject the account lacks
// blocks its sites.
func TestPlanValidation(t *testing.T) {
	bad := filingtest.Site("bad-example.cn")
	bad.LaunchDate = "2099-01-01"
	bad.EmergencyContact.Mobile = "123"
	f, s := oneSubject(bad, filingtest.Site("good-example.cn"))
	plan := NewPlanner(f, Options{Today: today}).Plan(map[*Subject]*Current{s: current()})
	if e := plan.Subjects[0].Sites[0].Errors; len(e) != 2 || plan.Totals.Invalid != 1 || plan.Problems != 1 {
		t.Fatalf("errors %+v, totals %+v", e, plan.Totals)
	}
	plan = NewPlanner(f, Options{Today: today}).Plan(map[*Subject]*Current{s: {}})
	if sp := plan.Subjects[0]; sp.Subject.Action != Blocked || sp.Sites[1].Action != Blocked {
		t.Fatalf("no subject: %+v / %+v", sp.Subject, sp.Sites[1])
	}
}

// With --prune the account's other sites are cancelled (a draft deleted),
// except those under review.
func TestPlanPrune(t *testing.T) {
	f, s := oneSubject(filingtest.Site("kept-example.cn"))
	cur := current(record("s1", filing.StateRecorded, filingtest.Site("kept-example.cn")),
		record("s2", filing.StateRecorded, filingtest.Site("old-example.cn")),
		record("s3", filing.StateDraft, filingtest.Site("draft-example.cn")),
		record("s4", filing.StateUnderReview, filingtest.Site("busy-example.cn")))
	plan := NewPlanner(f, Options{Today: today, Prune: true}).Plan(map[*Subject]*Current{s: cur})
	var got []string
	for _, u := range plan.Subjects[0].Unmanaged {
		got = append(got, u.SiteID+" "+string(u.Action))
	}
	if !slices.Equal(got, []string{"s2 cancel", "s3 cancel", "s4 keep"}) || plan.Totals.Cancel != 2 {
		t.Fatalf("unmanaged %v", got)
	}
}

// A resumed apply gets back the keys it journalled for the same content,
// fresh ones for other content; a line cut short by a kill is skipped.
func TestJournal(t *testing.T) {
	dir := t.TempDir()
	path := JournalPath(dir, "https://server", []string{"fleet.yaml"})
	if _, err := OpenJournal(path, true); err != ErrNothingToResume {
		t.Fatalf("resume without a journal: %v", err)
	}
	j, err := OpenJournal(path, false)
	if err != nil {
		t.Fatal(err)
	}
	first, err := j.Keys("acme/a-example.cn", "h1")
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := j.Keys("acme/a-example.cn", "h1"); again != first {
		t.Fatal("same content, other keys")
	}
	_ = j.Close(false)
	fh, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	_, _ = fh.WriteString(`{"id":"acme/b.exa`) // killed mid-write
	fh.Close()

	if _, err := OpenJournal(path, false); err == nil || !strings.Contains(err.Error(), ErrUnfinished.Error()) {
		t.Fatalf("an unfinished journal without --resume: %v", err)
	}
	j, err = OpenJournal(path, true)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := j.Keys("acme/a-example.cn", "h1"); got != first {
		t.Fatalf("resumed keys %+v, want %+v", got, first)
	}
	if other, _ := j.Keys("acme/a-example.cn", "h2"); other.Create == first.Create {
		t.Fatal("other content reused a key")
	}
	if err := j.Done("acme/a-example.cn"); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("the finished journal is still there: %v", err)
	}
}

// What the plan does with the fleet's hosting subject, by the state of the
// account's.
func TestPlanSubject(t *testing.T) {
	subj := filingtest.Subject()
	moved := subj
	moved.OfficePhone = "027-87650000"
	for _, tt := range []struct {
		name   string
		want   *filing.Subject
		server *api.SubjectRecord
		action Action
	}{
		{"none on the server", &subj, nil, Create},
		{"kept", nil, &api.SubjectRecord{State: filing.SubjectApproved, Subject: subj}, None},
		{"approved, same", &subj, &api.SubjectRecord{State: filing.SubjectApproved, Subject: subj}, None},
		{"approved, changed", &moved, &api.SubjectRecord{State: filing.SubjectApproved, Subject: subj}, Amend},
		{"returned", &subj, &api.SubjectRecord{State: filing.SubjectReturned, Subject: subj}, Update},
		{"under review, changed", &moved, &api.SubjectRecord{State: filing.SubjectUnderReview, Subject: subj}, Wait},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, s := oneSubject()
			s.Subject = tt.want
			plan := NewPlanner(f, Options{Today: today}).Plan(map[*Subject]*Current{s: {Subject: tt.server}})
			if got := plan.Subjects[0].Subject; got.Action != tt.action || len(got.Errors) > 0 {
				t.Fatalf("%+v, want %s", got, tt.action)
			}
		})
	}
}
