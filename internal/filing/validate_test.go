package filing_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/domainname"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
)

// today is the day every submission test is checked on: 15 June 2025, in China.
var today = time.Date(2025, 6, 15, 10, 0, 0, 0, filing.ChinaTime)

var submitSubject = filing.SubjectOptions{ForSubmit: true, Today: today}
var submitSite = filing.SiteOptions{ForSubmit: true, Today: today}

// got renders errors as "field code" for comparison with a table.
func got(errs filing.Errors) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Field+" "+e.Code)
		if e.Message == "" {
			out = append(out, e.Field+" has no message")
		}
	}
	return out
}

func TestFixturesAreValid(t *testing.T) {
	for name, s := range map[string]filing.Subject{
		"unit":       filingtest.Subject(),
		"individual": filingtest.IndividualSubject(),
	} {
		if errs := s.ValidateWith(submitSubject); len(errs) > 0 {
			t.Errorf("%s subject: %v", name, errs)
		}
	}
	for name, s := range map[string]filing.Site{
		"site":               filingtest.Site("example.com.cn"),
		"IDN site":           filingtest.Site("中国移动.中国"),
		"interactive site":   filingtest.InteractiveSite("例子.公司"),
		"second-level site":  filingtest.NoPrimaryDomainSite("https://blog.example.net/me"),
		"IP-only site":       filingtest.NoPrimaryDomainSite("223.5.5.5:8080"),
		"IPv6-only homepage": filingtest.NoPrimaryDomainSite("http://[2400:3200::1]/"),
	} {
		if errs := s.Validate(submitSite); len(errs) > 0 {
			t.Errorf("%s: %v", name, errs)
		}
	}
}

// The refusal of a functional zone names the divisions to choose from.
func TestFunctionalZoneNamesTheCounties(t *testing.T) {
	s := filingtest.Subject()
	s.OfficeAddress.AreaCode = "130171"
	errs := s.ValidateWith(submitSubject)
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "石家庄高新技术产业开发区") || !strings.Contains(errs[0].Message, "长安区 (130102)") {
		t.Fatalf("errors %+v", errs)
	}
	p := errs[0].Params
	if p["area_code"] != "130171" || p["zone"] != "石家庄高新技术产业开发区" || p["city"] != "河北省石家庄市" || !strings.HasPrefix(p["counties"], "长安区 (130102), ") {
		t.Fatalf("params %+v", p)
	}
}

func TestValidateSubject(t *testing.T) {
	tests := []struct {
		name   string
		change func(*filing.Subject)
		want   []string
	}{
		{"credit code typed in lower case with spaces", func(s *filing.Subject) { s.CertNumber = " 91420111ma4k 00010p " }, nil},
		{"credit code with a wrong check character", func(s *filing.Subject) { s.CertNumber = "91420111MA4K00010Q" },
			[]string{"subject.cert_number uscc_checksum"}},
		{"credit code too short", func(s *filing.Subject) { s.CertNumber = "91420111MA4K0001" },
			[]string{"subject.cert_number uscc_length"}},
		{"organization code as printed", func(s *filing.Subject) { s.CertType, s.CertNumber = filing.CertOrgCode, "MA4K0001-0" }, nil},
		{"organization code with a wrong check character", func(s *filing.Subject) { s.CertType, s.CertNumber = filing.CertOrgCode, "MA4K00011" },
			[]string{"subject.cert_number org_code_checksum"}},
		{"old business license number is free text", func(s *filing.Subject) { s.CertType, s.CertNumber = filing.CertBusinessLicense, "420111000123456" }, nil},
		{"a unit cannot file with a resident ID", func(s *filing.Subject) { s.CertType, s.CertNumber = filing.CertResidentID, filingtest.ResponsibleID },
			[]string{"subject.cert_type enum_invalid"}},
		{"unknown certificate type", func(s *filing.Subject) { s.CertType = "passport" },
			[]string{"subject.cert_type enum_invalid"}},
		{"certificate number missing", func(s *filing.Subject) { s.CertNumber = "  " },
			[]string{"subject.cert_number required_missing"}},
		{"unknown kind", func(s *filing.Subject) { s.Kind = "company" },
			[]string{"subject.kind enum_invalid"}},
		{"unit type missing", func(s *filing.Subject) { s.UnitType = "" },
			[]string{"subject.unit_type required_missing"}},
		{"unit type unknown", func(s *filing.Subject) { s.UnitType = "sole_trader" },
			[]string{"subject.unit_type enum_invalid"}},
		{"unit without legal representative", func(s *filing.Subject) { s.LegalRepresentative = "" },
			[]string{"subject.legal_representative required_missing"}},
		{"office area at city level", func(s *filing.Subject) { s.OfficeAddress.AreaCode = "420100" },
			[]string{"subject.office_address.area_code area_not_current_county"}},
		{"office area retired (临安市, now 330112)", func(s *filing.Subject) { s.OfficeAddress.AreaCode = "330185" },
			[]string{"subject.office_address.area_code area_not_current_county"}},
		{"office area a high-tech zone (石家庄高新技术产业开发区)", func(s *filing.Subject) { s.OfficeAddress.AreaCode = "130171" },
			[]string{"subject.office_address.area_code area_functional_zone"}},
		{"office area a new area (兰州新区)", func(s *filing.Subject) { s.OfficeAddress.AreaCode = "620171" },
			[]string{"subject.office_address.area_code area_functional_zone"}},
		{"office area unknown", func(s *filing.Subject) { s.OfficeAddress.AreaCode = "999999" },
			[]string{"subject.office_address.area_code area_invalid"}},
		{"office area too short", func(s *filing.Subject) { s.OfficeAddress.AreaCode = "4201" },
			[]string{"subject.office_address.area_code area_invalid"}},
		{"office detail missing", func(s *filing.Subject) { s.OfficeAddress.Detail = "" },
			[]string{"subject.office_address.detail required_missing"}},
		{"office detail too long", func(s *filing.Subject) { s.OfficeAddress.Detail = strings.Repeat("号", 201) },
			[]string{"subject.office_address.detail too_long"}},
		{"office phone is optional", func(s *filing.Subject) { s.OfficePhone = "" }, nil},
		{"office phone malformed", func(s *filing.Subject) { s.OfficePhone = "12345" },
			[]string{"subject.office_phone landline_invalid"}},
		{"mobile with +86 and hyphens", func(s *filing.Subject) { s.Mobile = "+86 138-0013-8000" }, nil},
		{"mobile starting 12", func(s *filing.Subject) { s.Mobile = "12345678901" },
			[]string{"subject.mobile mobile_invalid"}},
		{"email malformed", func(s *filing.Subject) { s.Email = "beian at example.com" },
			[]string{"subject.email email_invalid"}},
		{"remarks too long", func(s *filing.Subject) { s.Remarks = strings.Repeat("备", 501) },
			[]string{"subject.remarks too_long"}},
		{"responsible ID with a wrong check character", func(s *filing.Subject) { s.Responsible.IDNumber = "420111199003071238" },
			[]string{"subject.responsible.id_number resident_id_checksum"}},
		{"responsible ID born after today", func(s *filing.Subject) { s.Responsible.IDNumber = "420111202507011234" },
			[]string{"subject.responsible.id_number resident_id_birth_date"}},
		{"temporary resident ID carries the same number", func(s *filing.Subject) {
			s.Responsible.IDType, s.Responsible.IDNumber = filing.CertTemporaryResidentID, "420111199003071238"
		}, []string{"subject.responsible.id_number resident_id_checksum"}},
		{"officer ID is free text", func(s *filing.Subject) {
			s.Responsible.IDType, s.Responsible.IDNumber = filing.CertOfficerID, "南字第20251234号"
		}, nil},
		{"a person has no credit code", func(s *filing.Subject) { s.Responsible.IDType = filing.CertUSCC },
			[]string{"subject.responsible.id_type enum_invalid"}},
		{"ID expired yesterday", func(s *filing.Subject) { s.Responsible.IDValidUntil = "2025-06-14" },
			[]string{"subject.responsible.id_valid_until date_in_past"}},
		{"ID valid through today", func(s *filing.Subject) { s.Responsible.IDValidUntil = "2025-06-15" }, nil},
		{"ID long term in capitals", func(s *filing.Subject) { s.Responsible.IDValidUntil = "LONG_TERM" }, nil},
		{"ID validity in another format", func(s *filing.Subject) { s.Responsible.IDValidUntil = "2030/06/30" },
			[]string{"subject.responsible.id_valid_until date_invalid"}},
		{"ID validity not a real day", func(s *filing.Subject) { s.Responsible.IDValidUntil = "2030-02-30" },
			[]string{"subject.responsible.id_valid_until date_invalid"}},
		{"responsible person's address missing", func(s *filing.Subject) { s.Responsible.ResidentAddress = filing.Address{} },
			[]string{"subject.responsible.resident_address.area_code required_missing", "subject.responsible.resident_address.detail required_missing"}},
		{"responsible person's email missing", func(s *filing.Subject) { s.Responsible.Email = "" },
			[]string{"subject.responsible.email required_missing"}},
		{"everything wrong at once", func(s *filing.Subject) {
			s.CertNumber = "91420111MA4K00010Q"
			s.Mobile = "110"
			s.Email = "x@"
			s.Responsible.Mobile = "+1 650 253 0000"
			s.Responsible.ResidentAddress.AreaCode = "420100"
		}, []string{
			"subject.cert_number uscc_checksum",
			"subject.mobile mobile_invalid",
			"subject.email email_invalid",
			"subject.responsible.resident_address.area_code area_not_current_county",
			"subject.responsible.mobile mobile_invalid",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := filingtest.Subject()
			tt.change(&s)
			if g := got(s.ValidateWith(submitSubject)); !slices.Equal(g, tt.want) {
				t.Errorf("errors:\n got %q\nwant %q", g, tt.want)
			}
		})
	}
}

func TestValidateIndividualSubject(t *testing.T) {
	tests := []struct {
		name   string
		change func(*filing.Subject)
		want   []string
	}{
		{"valid", func(*filing.Subject) {}, nil},
		{"an individual has no unit type", func(s *filing.Subject) { s.UnitType = filing.UnitEnterprise },
			[]string{"subject.unit_type not_applicable"}},
		{"an individual has no legal representative", func(s *filing.Subject) { s.LegalRepresentative = "李示例" },
			[]string{"subject.legal_representative not_applicable"}},
		{"an individual has no credit code", func(s *filing.Subject) { s.CertType, s.CertNumber = filing.CertUSCC, filingtest.UnitUSCC },
			[]string{"subject.cert_type enum_invalid"}},
		{"resident ID with lower-case x is fine", func(s *filing.Subject) {
			s.CertNumber = "42011119880101789x" // 266 mod 11 = 2 → X
		}, nil},
		{"resident ID of 15 digits (first-generation card)", func(s *filing.Subject) { s.CertNumber = "420102851122234" },
			[]string{"subject.cert_number resident_id_length"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := filingtest.IndividualSubject()
			tt.change(&s)
			if g := got(s.ValidateWith(submitSubject)); !slices.Equal(g, tt.want) {
				t.Errorf("errors:\n got %q\nwant %q", g, tt.want)
			}
		})
	}
}

func TestValidateSubjectSubmitVersusDraft(t *testing.T) {
	wantRequired := []string{
		"subject.kind", "subject.name", "subject.cert_type", "subject.cert_number",
		"subject.office_address.area_code", "subject.office_address.detail", "subject.mobile", "subject.email",
		"subject.responsible.name", "subject.responsible.id_type", "subject.responsible.id_number",
		"subject.responsible.id_valid_until", "subject.responsible.resident_address.area_code",
		"subject.responsible.resident_address.detail", "subject.responsible.mobile", "subject.responsible.email",
	}
	errs := filing.Subject{}.ValidateWith(submitSubject)
	if !slices.Equal(errs.Fields(), wantRequired) {
		t.Errorf("required fields of an empty subject:\n got %q\nwant %q", errs.Fields(), wantRequired)
	}
	for _, e := range errs {
		if e.Code != filing.CodeRequiredMissing {
			t.Errorf("%s: code %s; want required_missing", e.Field, e.Code)
		}
	}
	// A unit needs its type and legal representative too.
	errs = filing.Subject{Kind: filing.KindUnit}.ValidateWith(submitSubject)
	if !errs.Has("subject.unit_type", filing.CodeRequiredMissing) || !errs.Has("subject.legal_representative", filing.CodeRequiredMissing) {
		t.Errorf("empty unit: %v", errs)
	}

	draft := filing.SubjectOptions{Today: today}
	if errs := (filing.Subject{}).ValidateWith(draft); len(errs) != 0 {
		t.Errorf("an empty draft: %v; want no errors", errs)
	}
	partial := filing.Subject{Kind: filing.KindUnit, Mobile: "1380013800", Responsible: filing.ResponsiblePerson{IDValidUntil: "2001-01-01"}}
	if g, want := got(partial.ValidateWith(draft)), []string{"subject.mobile mobile_invalid"}; !slices.Equal(g, want) {
		t.Errorf("a draft: %q; want only what is present and malformed, %q (an expired date is checked on submission)", g, want)
	}
}

func TestValidateSite(t *testing.T) {
	tests := []struct {
		name   string
		domain string // for filingtest.InteractiveSite; default example.com.cn
		change func(*filing.Site)
		want   []string
	}{
		{"Chinese first-level domain", "中国移动.中国", func(*filing.Site) {}, nil},
		{"A-label typed with a trailing dot", "XN--FIQ02IB9D179B.xn--fiqs8s.", func(*filing.Site) {}, nil},
		{"primary domain below the first level", "", func(s *filing.Site) { s.PrimaryDomain = "www.example.com.cn" },
			[]string{"site.primary_domain domain_not_first_level", "site.extra_domains[0] domain_duplicate"}},
		{"a public suffix is no domain of one's own", "", func(s *filing.Site) { s.PrimaryDomain = "com.cn" },
			[]string{"site.primary_domain " + domainname.CodeDomainPublicSuffix}},
		{"a private-section suffix host is not first-level", "", func(s *filing.Site) { s.PrimaryDomain = "someone.github.io" },
			[]string{"site.primary_domain domain_not_first_level"}},
		{"unknown top-level domain", "", func(s *filing.Site) { s.PrimaryDomain = "example.localhost" },
			[]string{"site.primary_domain " + domainname.CodeDomainUnknownTLD}},
		{"space in the domain", "", func(s *filing.Site) { s.PrimaryDomain = "exa mple.com" },
			[]string{"site.primary_domain " + domainname.CodeDomainInvalidChar}},
		{"primary domain missing", "", func(s *filing.Site) { s.PrimaryDomain = "" },
			[]string{"site.primary_domain required_missing"}},
		{"extra domains: duplicates compared normalised, every bad one reported", "", func(s *filing.Site) {
			s.ExtraDomains = []string{"example.net", "EXAMPLE.com.cn.", "bad..com", "-lead.com", "Example.NET", strings.Repeat("a", 64) + ".com"}
		}, []string{
			"site.extra_domains[1] domain_duplicate",
			"site.extra_domains[2] " + domainname.CodeDomainLabelEmpty,
			"site.extra_domains[3] " + domainname.CodeDomainLeadingHyphen,
			"site.extra_domains[4] domain_duplicate",
			"site.extra_domains[5] " + domainname.CodeDomainLabelTooLong,
		}},
		{"an IDN and its A-label are the same domain", "中国移动.中国", func(s *filing.Site) { s.ExtraDomains = []string{"xn--fiq02ib9d179b.xn--fiqs8s"} },
			[]string{"site.extra_domains[0] domain_duplicate"}},
		{"a homepage beside a primary domain", "", func(s *filing.Site) { s.HomepageURL = "https://example.com.cn/" },
			[]string{"site.homepage_url not_applicable"}},
		{"no IP address", "", func(s *filing.Site) { s.IPAddresses = nil },
			[]string{"site.ip_addresses required_missing"}},
		{"IP addresses: every bad one reported", "", func(s *filing.Site) {
			s.IPAddresses = []string{"223.5.5.5", "10.1.2.3", "223.5.5.5/32", "47.96.0.10/24", "not-an-ip", "2400:3200::/32"}
		}, []string{
			"site.ip_addresses[1] " + domainname.CodeIPNotPublic,
			"site.ip_addresses[2] value_duplicate",
			"site.ip_addresses[3] " + domainname.CodeIPHostBitsSet,
			"site.ip_addresses[4] " + domainname.CodeIPInvalid,
		}},
		{"launch date tomorrow", "", func(s *filing.Site) { s.LaunchDate = "2025-06-16" },
			[]string{"site.launch_date date_in_future"}},
		{"launch date today", "", func(s *filing.Site) { s.LaunchDate = "2025-06-15" }, nil},
		{"launch date not a day", "", func(s *filing.Site) { s.LaunchDate = "2025-02-29" },
			[]string{"site.launch_date date_invalid"}},
		{"launch date missing", "", func(s *filing.Site) { s.LaunchDate = "" },
			[]string{"site.launch_date required_missing"}},
		{"ICP number is optional", "", func(s *filing.Site) { s.ICPNumber = "" }, nil},
		{"ICP number as people write it", "", func(s *filing.Site) { s.ICPNumber = "粤icp备 2020124673 号-1" }, nil},
		{"ICP number malformed", "", func(s *filing.Site) { s.ICPNumber = "鄂ICP备123号" },
			[]string{"site.icp_number icp_invalid"}},
		{"access provider: every field checked", "", func(s *filing.Site) {
			s.AccessProvider = filing.AccessProvider{Jurisdiction: "abroad", AreaCode: "330100", AccessMethod: "vps", Phone: "12"}
		}, []string{
			"site.access_provider.name required_missing",
			"site.access_provider.jurisdiction enum_invalid",
			"site.access_provider.area_code area_not_current_county",
			"site.access_provider.access_method enum_invalid",
			"site.access_provider.phone phone_invalid",
		}},
		{"domestic provider without area", "", func(s *filing.Site) { s.AccessProvider.AreaCode = "" },
			[]string{"site.access_provider.area_code required_missing"}},
		{"overseas provider has no area code", "", func(s *filing.Site) { s.AccessProvider.Jurisdiction = filing.Overseas },
			[]string{"site.access_provider.area_code not_applicable"}},
		{"overseas provider and registrar", "", func(s *filing.Site) {
			s.AccessProvider.Jurisdiction, s.AccessProvider.AreaCode = filing.Overseas, ""
			s.Registrar = filing.Registrar{Name: "Example Registrar, Inc.", Jurisdiction: filing.Overseas}
		}, nil},
		{"provider hotlines", "", func(s *filing.Site) { s.AccessProvider.Phone = "95187" }, nil},
		{"provider 400 number", "", func(s *filing.Site) { s.AccessProvider.Phone = "400-820-8820" }, nil},
		{"provider mobile", "", func(s *filing.Site) { s.AccessProvider.Phone = "13800138000" }, nil},
		{"registrar required with a domain", "", func(s *filing.Site) { s.Registrar = filing.Registrar{} },
			[]string{"site.registrar.name required_missing", "site.registrar.jurisdiction required_missing"}},
		{"registrar area retired", "", func(s *filing.Site) { s.Registrar.AreaCode = "330185" },
			[]string{"site.registrar.area_code area_not_current_county"}},
		{"service types", "", func(s *filing.Site) { s.ServiceTypes = []filing.ServiceType{"forum", "forum", "blog", ""} },
			[]string{"site.service_types[1] value_duplicate", "site.service_types[2] enum_invalid", "site.service_types[3] enum_invalid"}},
		{"interactive without services", "", func(s *filing.Site) { s.InteractiveServices, s.InteractiveOther = nil, "" },
			[]string{"site.interactive_services required_missing"}},
		{"interactive other without a description", "", func(s *filing.Site) { s.InteractiveOther = " " },
			[]string{"site.interactive_other required_missing"}},
		{"a description without other", "", func(s *filing.Site) { s.InteractiveServices = []filing.InteractiveService{"chat_room"} },
			[]string{"site.interactive_other not_applicable"}},
		{"unknown interactive service", "", func(s *filing.Site) {
			s.InteractiveServices = []filing.InteractiveService{"other", "wiki", "other"}
		}, []string{"site.interactive_services[1] enum_invalid", "site.interactive_services[2] value_duplicate"}},
		{"not interactive but services listed", "", func(s *filing.Site) { s.Interactive = false },
			[]string{"site.interactive_services not_applicable", "site.interactive_other not_applicable"}},
		{"important field without approval certificate", "", func(s *filing.Site) { s.ApprovalCertificates = nil },
			[]string{"site.approval_certificates attachment_required"}},
		{"approval certificate metadata checked", "", func(s *filing.Site) {
			s.ApprovalCertificates = []filing.Attachment{{ID: ""}, {ID: "a2", ContentType: "image/gif"}, {ID: "a3", Size: 11 << 20}}
		}, []string{
			"site.approval_certificates[0] attachment_required",
			"site.approval_certificates[1].content_type attachment_type_invalid",
			"site.approval_certificates[2].size attachment_too_large",
		}},
		{"no important field, no certificates", "", func(s *filing.Site) { s.ImportantField = filing.FieldNone },
			[]string{"site.approval_certificates not_applicable"}},
		{"important field unknown", "", func(s *filing.Site) { s.ImportantField = "military" },
			[]string{"site.important_field enum_invalid"}},
		{"important field missing", "", func(s *filing.Site) { s.ImportantField, s.ApprovalCertificates = "", nil },
			[]string{"site.important_field required_missing"}},
		{"prior approvals", "", func(s *filing.Site) {
			s.PriorApprovals = []filing.PriorApproval{
				{Item: "news"},
				{Item: "news", Attachment: filing.Attachment{ID: "p2"}},
				{Item: "games", Attachment: filing.Attachment{ID: "p3"}},
			}
		}, []string{
			"site.prior_approvals[0].attachment attachment_required",
			"site.prior_approvals[1].item value_duplicate",
			"site.prior_approvals[2].item enum_invalid",
		}},
		{"no language", "", func(s *filing.Site) { s.Languages = nil },
			[]string{"site.languages required_missing"}},
		{"languages", "", func(s *filing.Site) { s.Languages = []filing.Language{"zh-hans", "ZH-HANS", "klingon", "bo"} },
			[]string{"site.languages[1] value_duplicate", "site.languages[2] enum_invalid"}},
		{"owner given in full but incomplete", "", func(s *filing.Site) {
			s.Owner = filing.Contact{Name: "周示例", IDType: filing.CertResidentID, IDNumber: filingtest.ResponsibleID}
		}, []string{"site.owner.mobile required_missing", "site.owner.email required_missing"}},
		{"same-as-responsible needs nothing of its own", "", func(s *filing.Site) {
			s.SecurityOfficer = filing.Contact{SameAsResponsible: true}
		}, nil},
		{"people's identity documents checked", "", func(s *filing.Site) {
			s.SecurityOfficer.IDType = filing.CertUSCC
			s.OpinionGuide.IDType, s.OpinionGuide.IDNumber = filing.CertResidentID, "420111199206154561"
		}, []string{"site.security_officer.id_type enum_invalid", "site.opinion_guide.id_number resident_id_checksum"}},
		{"emergency contact", "", func(s *filing.Site) {
			s.EmergencyContact = filing.EmergencyContact{Mobile: "13300133000", OfficePhone: "95187", Email: "oncall"}
		}, []string{
			"site.emergency_contact.name required_missing",
			"site.emergency_contact.office_phone landline_invalid",
			"site.emergency_contact.email email_invalid",
		}},
		{"responsibility notice not accepted", "", func(s *filing.Site) { s.AcceptResponsibility = false },
			[]string{"site.accept_responsibility required_missing"}},
		{"site name too long", "", func(s *filing.Site) { s.Name = strings.Repeat("站", 101) },
			[]string{"site.name too_long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.domain
			if d == "" {
				d = "example.com.cn"
			}
			s := filingtest.InteractiveSite(d)
			tt.change(&s)
			if g := got(s.Validate(submitSite)); !slices.Equal(g, tt.want) {
				t.Errorf("errors:\n got %q\nwant %q", g, tt.want)
			}
		})
	}
}

func TestValidateSiteWithoutPrimaryDomain(t *testing.T) {
	tests := []struct {
		name   string
		change func(*filing.Site)
		want   []string
	}{
		{"second-level domain homepage", func(*filing.Site) {}, nil},
		{"bare IP homepage", func(s *filing.Site) { s.HomepageURL = "223.5.5.5" }, nil},
		{"homepage missing", func(s *filing.Site) { s.HomepageURL = "" },
			[]string{"site.homepage_url required_missing"}},
		{"homepage not http", func(s *filing.Site) { s.HomepageURL = "ftp://files.example.net/" },
			[]string{"site.homepage_url " + domainname.CodeHomepageScheme}},
		{"homepage with credentials", func(s *filing.Site) { s.HomepageURL = "https://admin:secret@blog.example.net/" },
			[]string{"site.homepage_url " + domainname.CodeHomepageUserinfo}},
		{"domains without a first-level domain", func(s *filing.Site) {
			s.PrimaryDomain, s.ExtraDomains = "example.net", []string{"example.org"}
		}, []string{"site.primary_domain not_applicable", "site.extra_domains not_applicable"}},
		{"a registrar may still be named", func(s *filing.Site) {
			s.Registrar = filing.Registrar{Name: "示例域名注册服务有限公司", Jurisdiction: filing.Domestic, AreaCode: "110108"}
		}, nil},
		{"but what is given must be well-formed", func(s *filing.Site) { s.Registrar = filing.Registrar{Jurisdiction: "cn"} },
			[]string{"site.registrar.jurisdiction enum_invalid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := filingtest.NoPrimaryDomainSite("blog.example.net/~me")
			tt.change(&s)
			if g := got(s.Validate(submitSite)); !slices.Equal(g, tt.want) {
				t.Errorf("errors:\n got %q\nwant %q", g, tt.want)
			}
		})
	}
}

func TestValidateSiteDraft(t *testing.T) {
	draft := filing.SiteOptions{Today: today}
	if errs := (filing.Site{}).Validate(draft); len(errs) != 0 {
		t.Errorf("an empty draft: %v; want no errors", errs)
	}
	s := filing.Site{
		Name:             "草稿",
		HasPrimaryDomain: true,
		PrimaryDomain:    "www.example.com.cn",
		IPAddresses:      []string{"223.5.5.5", ""},
		LaunchDate:       "2099-01-01", // a draft may be written before launch
		Interactive:      true,         // services not chosen yet
		ImportantField:   filing.FieldNationalAffairs,
		Languages:        []filing.Language{"zh-Hans", "xx"},
	}
	want := []string{
		"site.primary_domain domain_not_first_level",
		"site.ip_addresses[1] " + domainname.CodeIPInvalid,
		"site.languages[1] enum_invalid",
	}
	if g := got(s.Validate(draft)); !slices.Equal(g, want) {
		t.Errorf("draft errors:\n got %q\nwant %q", g, want)
	}

	// The same site submitted: now every missing part counts too.
	errs := s.Validate(submitSite)
	for _, w := range []struct{ field, code string }{
		{"site.launch_date", filing.CodeDateInFuture},
		{"site.interactive_services", filing.CodeRequiredMissing},
		{"site.approval_certificates", filing.CodeAttachmentRequired},
		{"site.access_provider.name", filing.CodeRequiredMissing},
		{"site.registrar.name", filing.CodeRequiredMissing},
		{"site.owner.name", filing.CodeRequiredMissing},
		{"site.accept_responsibility", filing.CodeRequiredMissing},
	} {
		if !errs.Has(w.field, w.code) {
			t.Errorf("submitted: no %s %s in %v", w.field, w.code, errs)
		}
	}
}

func TestValidateSiteNonPublicIPs(t *testing.T) {
	s := filingtest.Site("example.com.cn")
	s.IPAddresses = []string{"192.168.1.10", "203.0.113.0/24", "fd00::/8"}
	if errs := s.Validate(submitSite); len(errs.Under("site.ip_addresses")) != 3 {
		t.Errorf("non-public addresses: %v; want three ip_not_public", errs)
	}
	o := submitSite
	o.AllowNonPublicIP = true // the sandbox
	if errs := s.Validate(o); len(errs) != 0 {
		t.Errorf("with AllowNonPublicIP: %v", errs)
	}
}

func TestNormalizeSubject(t *testing.T) {
	in := filingtest.Subject()
	in.Kind = " unit "
	in.Name = "  武汉示例网络科技有限公司\t"
	in.CertNumber = "91420111ma4k00010p"
	in.Mobile = "+86 138-0013-8000"
	in.OfficePhone = "(027)87654321"
	in.Email = "Beian@EXAMPLE.com"
	in.Responsible.IDNumber = "42011119880101789x"
	in.Responsible.IDValidUntil = "Long_Term"
	in.Responsible.Mobile = "１３９００１３９０００" // full-width digits from an input method
	before := in

	out, errs := filing.NormalizeSubject(in)
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	want := filingtest.Subject()
	want.Email = "Beian@example.com" // the mailbox's own part keeps its case
	want.Responsible.IDNumber = "42011119880101789X"
	want.Responsible.IDValidUntil = filing.LongTerm
	want.OfficePhone = "027-87654321"
	if out != want {
		t.Errorf("NormalizeSubject:\n got %+v\nwant %+v", out, want)
	}
	if in != before {
		t.Error("NormalizeSubject changed its argument")
	}
	again, _ := filing.NormalizeSubject(out)
	if again != out {
		t.Errorf("not idempotent:\n once  %+v\n twice %+v", out, again)
	}

	// Malformed fields stay as given and are reported; missing ones are not.
	bad := filing.Subject{Kind: filing.KindUnit, CertType: filing.CertUSCC, CertNumber: " 91420111MA4K00010Q ", Mobile: "123"}
	out, errs = filing.NormalizeSubject(bad)
	if g, want := got(errs), []string{"subject.cert_number uscc_checksum", "subject.mobile mobile_invalid"}; !slices.Equal(g, want) {
		t.Errorf("errors = %q; want %q", g, want)
	}
	if out.CertNumber != "91420111MA4K00010Q" || out.Mobile != "123" {
		t.Errorf("malformed values = %q, %q; want them trimmed but otherwise as given", out.CertNumber, out.Mobile)
	}
}

func TestNormalizeSite(t *testing.T) {
	in := filingtest.InteractiveSite("例子.公司")
	in.PrimaryDomain = " 例子。公司. " // an ideographic full stop from a Chinese input method
	in.ExtraDomains = []string{"WWW.例子.公司", "Example.NET."}
	in.DomainsUnicode = map[string]string{"stale.example": "stale"}
	in.IPAddresses = []string{"2400:3200:0:0::0001", "::ffff:223.5.5.5", "47.96.0.0/24"}
	in.ICPNumber = "鄂icp备 2024012345 号-1"
	in.Languages = []filing.Language{"ZH-hans", " en "}
	in.AccessProvider.Phone = "4008208820"
	before := in.Clone()

	out, errs := filing.NormalizeSite(in)
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	checks := []struct{ name, got, want any }{
		{"primary domain", out.PrimaryDomain, "xn--fsqu00a.xn--55qx5d"},
		{"extra domains", out.ExtraDomains, []string{"www.xn--fsqu00a.xn--55qx5d", "example.net"}},
		{"unicode forms", out.DomainsUnicode, map[string]string{
			"xn--fsqu00a.xn--55qx5d":     "例子.公司",
			"www.xn--fsqu00a.xn--55qx5d": "www.例子.公司",
		}},
		{"IP addresses", out.IPAddresses, []string{"2400:3200::1", "223.5.5.5", "47.96.0.0/24"}},
		{"ICP number", out.ICPNumber, "鄂ICP备2024012345号-1"},
		{"languages", out.Languages, []filing.Language{"zh-Hans", "en"}},
		{"provider phone", out.AccessProvider.Phone, "400-820-8820"},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v; want %#v", c.name, c.got, c.want)
		}
	}
	if !reflect.DeepEqual(in, before) {
		t.Error("NormalizeSite changed its argument's lists")
	}
	again, _ := filing.NormalizeSite(out)
	if !reflect.DeepEqual(again, out) {
		t.Errorf("not idempotent:\n once  %+v\n twice %+v", out, again)
	}

	// An ASCII-only site keeps no Unicode map; a non-public address is left to Validate.
	plain, errs := filing.NormalizeSite(filing.Site{HasPrimaryDomain: true, PrimaryDomain: "Example.COM.cn", IPAddresses: []string{"10.0.0.1"}})
	if len(errs) != 0 || plain.PrimaryDomain != "example.com.cn" || plain.DomainsUnicode != nil || plain.IPAddresses[0] != "10.0.0.1" {
		t.Errorf("plain site = %+v, %v", plain, errs)
	}
	homepage, _ := filing.NormalizeSite(filing.Site{HomepageURL: "Blog.Example.NET"})
	if homepage.HomepageURL != "http://blog.example.net/" {
		t.Errorf("homepage = %q", homepage.HomepageURL)
	}
}

func TestValidateDoesNotChangeItsArgument(t *testing.T) {
	s := filingtest.InteractiveSite("例子.公司")
	s.ExtraDomains = []string{"WWW.例子.公司"}
	s.Languages = []filing.Language{"ZH-HANS"}
	before := s.Clone()
	_ = s.Validate(submitSite)
	if !reflect.DeepEqual(s, before) {
		t.Errorf("Validate changed its argument: %+v", s)
	}
}

func TestSiteCloneSharesNothing(t *testing.T) {
	s := filingtest.InteractiveSite("example.com.cn")
	s.DomainsUnicode = map[string]string{"a": "b"}
	c := s.Clone()
	v, w := reflect.ValueOf(s), reflect.ValueOf(c)
	for i := range v.NumField() {
		f := v.Type().Field(i)
		switch f.Type.Kind() {
		case reflect.Slice, reflect.Map:
			if v.Field(i).Len() == 0 {
				t.Errorf("fixture leaves %s empty; the test cannot check it", f.Name)
			} else if v.Field(i).UnsafePointer() == w.Field(i).UnsafePointer() {
				t.Errorf("Clone shares %s", f.Name)
			}
		}
	}
}

func TestErrors(t *testing.T) {
	var none filing.Errors
	if none.Err() != nil {
		t.Error("empty Errors.Err() is not nil")
	}
	errs := filing.Errors{
		{Field: "site.owner.mobile", Code: "required_missing", Message: "required"},
		{Field: "site.owner.mobile", Code: "mobile_invalid", Message: "bad"},
		{Field: "site.extra_domains[2]", Code: "domain_invalid", Message: "bad domain"},
	}
	err := errs.Err()
	var back filing.Errors
	if !errors.As(err, &back) || len(back) != 3 {
		t.Fatalf("errors.As(Errors) = %v", back)
	}
	if c, ok := err.(interface{ Code() string }); !ok || c.Code() != "validation_failed" {
		t.Errorf("Errors code = %v", c)
	}
	if g, want := errs.Fields(), []string{"site.owner.mobile", "site.extra_domains[2]"}; !slices.Equal(g, want) {
		t.Errorf("Fields = %q; want %q", g, want)
	}
	if n := len(errs.Under("site.owner")); n != 2 {
		t.Errorf("Under(site.owner) = %d errors; want 2", n)
	}
	if n := len(errs.Under("site.extra_domains")); n != 1 {
		t.Errorf("Under(site.extra_domains) = %d errors; want 1", n)
	}
	if !errs.Has("site.extra_domains[2]", "domain_invalid") || errs.Has("site.extra_domains[2]", "required_missing") {
		t.Error("Has is wrong")
	}
	if msg := err.Error(); !strings.Contains(msg, "3 fields are invalid") || !strings.Contains(msg, "site.extra_domains[2]: bad domain") {
		t.Errorf("message = %q", msg)
	}
}

func TestLateFiling(t *testing.T) {
	launch, _ := filing.ParseDate("2024-03-01")
	day := func(s string) time.Time { d, _ := filing.ParseDate(s); return d.Add(15 * time.Hour) }
	tests := []struct {
		today time.Time
		days  int
		want  bool
	}{
		{day("2024-03-01"), 0, false},
		{day("2024-03-31"), 0, false}, // the 30th day after launch: still on time
		{day("2024-04-01"), 0, true},
		{day("2024-04-01"), 30, true},
		{day("2024-03-11"), 10, false}, // the FAQ's ten days
		{day("2024-03-12"), 10, true},
		// 23:30 UTC on 31 March is already 1 April in China.
		{time.Date(2024, 3, 31, 23, 30, 0, 0, time.UTC), 30, true},
		{time.Date(2024, 3, 31, 15, 59, 0, 0, time.UTC), 30, false},
	}
	for _, tt := range tests {
		if got := filing.LateFiling(launch, tt.today, tt.days); got != tt.want {
			t.Errorf("LateFiling(2024-03-01, %s, %d) = %v; want %v", tt.today, tt.days, got, tt.want)
		}
	}
	if d := filing.FilingDeadline(launch, 0).Format(filing.DateLayout); d != "2024-03-31" {
		t.Errorf("default deadline = %s; want 2024-03-31", d)
	}
	if _, err := filing.ParseDate("2024-3-1"); err == nil {
		t.Error("ParseDate accepted 2024-3-1")
	}
}

// TestDomains is the sandbox's one switch for .test names, used by the
// server and the client alike: refused as not first-level without it,
// accepted with it; other errors are kept.
func TestTestDomainsOption(t *testing.T) {
	s := filingtest.Site("example.test")
	if errs := s.Validate(filing.SiteOptions{ForSubmit: true}); len(errs.Under("site.primary_domain")) == 0 {
		t.Fatalf("a .test domain passed without the option: %v", errs)
	}
	if errs := s.Validate(filing.SiteOptions{ForSubmit: true, TestDomains: true}); len(errs) != 0 {
		t.Fatalf("with TestDomains: %v", errs)
	}
	s.ICPNumber = "浙B2-20080224"
	if errs := s.Validate(filing.SiteOptions{ForSubmit: true, TestDomains: true}); len(errs) != 1 || errs[0].Code != "icp_is_licence" {
		t.Fatalf("other errors must stay: %v", errs)
	}
}
