package forms

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/i18n"
)

// Every message the forms show exists in both languages: the IDs passed to
// Env.t in this package, the enum labels of every select list, and the
// titles of the area pages.
func TestEveryFormMessageIsInTheCatalogue(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	lit := regexp.MustCompile(`\bt\("([a-z_.]+)"`)
	ids := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
			ids[m[1]] = true
		}
		for _, m := range regexp.MustCompile(`"(form\.[a-z_.]+[a-z_])"`).FindAllStringSubmatch(string(b), -1) {
			ids[m[1]] = true
		}
	}
	if len(ids) < 50 {
		t.Fatalf("found only %d message IDs", len(ids))
	}
	enums := map[string][]string{}
	add := func(kind string, vs ...string) { enums[kind] = append(enums[kind], vs...) }
	for _, v := range filing.SubjectKinds {
		add("subject_kind", string(v))
	}
	for _, v := range filing.UnitTypes {
		add("unit_type", string(v))
	}
	for _, v := range append(append([]filing.CertType{}, filing.UnitCertTypes...), filing.PersonCertTypes...) {
		add("cert_type", string(v))
	}
	for _, v := range filing.Jurisdictions {
		add("jurisdiction", string(v))
	}
	for _, v := range filing.AccessMethods {
		add("access_method", string(v))
	}
	for _, v := range filing.ServiceTypes {
		add("service_type", string(v))
	}
	for _, v := range filing.InteractiveServices {
		add("interactive_service", string(v))
	}
	for _, v := range filing.ImportantFields {
		add("important_field", string(v))
	}
	for _, v := range filing.PriorApprovalItems {
		add("prior_approval", string(v))
	}
	for _, v := range filing.Languages {
		add("language", string(v))
	}
	for kind, vs := range enums {
		for _, v := range vs {
			ids["enum."+kind+"."+v] = true
		}
	}
	for _, r := range PersonRoles {
		ids["form.person."+string(r)] = true
	}
	for id := range ids {
		en, zh, ok := i18n.Both(id)
		if !ok || strings.TrimSpace(en) == "" || strings.TrimSpace(zh) == "" {
			t.Errorf("message %s is missing or lacks a language", id)
		}
	}
}

// Every field the summary can show has a label in both languages.
func TestEveryFieldHasALabel(t *testing.T) {
	s := filing.Site{HasPrimaryDomain: true}
	full := answeredSite().Site
	full.Owner = filing.Contact{SameAsResponsible: true, Name: "x", IDType: "x", IDNumber: "x", Mobile: "x", OfficePhone: "x", Email: "x"}
	full.SecurityOfficer, full.OpinionGuide = full.Owner, full.Owner
	full.HomepageURL, full.InteractiveOther, full.EmergencyContact.OfficePhone = "x", "x", "x"
	full.Interactive, full.Commercial, full.AcceptResponsibility = true, true, true
	full.ApprovalCertificates = []filing.Attachment{{ID: "a"}}
	full.PriorApprovals = []filing.PriorApproval{{Item: filing.PriorNews}}
	full.InteractiveServices = []filing.InteractiveService{filing.InteractiveForum}
	for _, c := range filing.Diff(s, full) {
		if c.Field == "site.domains_unicode" {
			continue
		}
		if _, _, ok := i18n.Both("label." + c.Field); !ok {
			t.Errorf("no label for %s", c.Field)
		}
	}
	sub := filing.Subject{Kind: "x", UnitType: "x", Name: "x", CertType: "x", CertNumber: "x", LegalRepresentative: "x",
		OfficeAddress: filing.Address{AreaCode: "x", Detail: "x"}, OfficePhone: "x", Mobile: "x", Email: "x", Remarks: "x",
		Responsible: filing.ResponsiblePerson{Name: "x", IDType: "x", IDNumber: "x", IDValidUntil: "x", ResidentAddress: filing.Address{AreaCode: "x", Detail: "x"},
			Mobile: "x", OfficePhone: "x", Email: "x", Remarks: "x"}}
	for _, c := range filing.DiffSubject(filing.Subject{}, sub) {
		if _, _, ok := i18n.Both("label." + c.Field); !ok {
			t.Errorf("no label for %s", c.Field)
		}
	}
}
