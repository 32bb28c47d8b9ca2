package forms

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"charm.land/huh/v2"

	"github.com/beian-dev/beian/internal/domainname"
	"github.com/beian-dev/beian/internal/filing"
)

// SiteBasicsForm asks for the site's name and whether it has a first-level
// domain of its own (FAQ item 2: second-level-domain and IP-only sites say
// no and give their homepage instead).
func SiteBasicsForm(env Env, cur filing.Site) (*huh.Form, *filing.Site) {
	res := cur.Clone()
	return form(env.t("form.site.title"),
		env.input(env.t("form.site.name"), &res.Name,
			env.siteCheck(&res, "site.name", func(s *filing.Site, v string) { s.Name = v })),
		env.confirm(env.t("form.site.has_primary_domain"), &res.HasPrimaryDomain).
			Description(env.t("form.site.has_primary_domain_hint")),
	), &res
}

// DomainsForm asks for the primary domain and the site's other domains
// (FAQ item 3). Each is checked by the rules, then against the server for
// duplicates (FAQ item 5) as it is accepted; taken, yours and claimable
// domains are refused with the platform's wording.
func DomainsForm(env Env, cur filing.Site) (*huh.Form, *filing.Site) {
	res := cur.Clone()
	res.HomepageURL = ""
	// A prefilled Chinese domain is shown as it is read (中国.中國), not as
	// its A-label; the rules store the A-label either way.
	res.PrimaryDomain = displayDomain(res.PrimaryDomain)
	for i, d := range res.ExtraDomains {
		res.ExtraDomains[i] = displayDomain(d)
	}
	dc := newDomainChecker(env)
	primaryRule := env.siteCheck(&res, "site.primary_domain", func(s *filing.Site, v string) { s.PrimaryDomain = v })
	extraRule := env.siteCheck(&res, "site.extra_domains", func(s *filing.Site, v string) { s.ExtraDomains = SplitList(v) })
	primary := env.input(env.t("form.site.primary_domain"), &res.PrimaryDomain, func(v string) error {
		if err := primaryRule(v); err != nil {
			return err
		}
		return dc.check(v)
	}).Placeholder("example.com.cn")
	others := huh.NewInput().Title(env.t("form.site.extra_domains")).
		Accessor(newListAccessor(&res.ExtraDomains)).
		Validate(env.keepOnEmpty(strings.Join(res.ExtraDomains, ", "), func(v string) error {
			if err := extraRule(v); err != nil {
				return err
			}
			for _, d := range SplitList(v) {
				if err := dc.check(d); err != nil {
					return err
				}
			}
			return nil
		})).Description(env.t("form.list_hint"))
	return form(env.t("form.site.title"), primary, others), &res
}

// displayDomain is a domain's U-label form, or d as it is.
func displayDomain(d string) string {
	if n, err := domainname.Normalize(d); err == nil && strings.Contains(d, "xn--") {
		return n.Unicode
	}
	return d
}

// HomepageForm asks a site without a first-level domain for its homepage
// URL or IP address (FAQ item 2).
func HomepageForm(env Env, cur filing.Site) (*huh.Form, *filing.Site) {
	res := cur.Clone()
	res.PrimaryDomain, res.ExtraDomains = "", nil
	return form(env.t("form.site.title"),
		env.input(env.t("form.site.homepage_url"), &res.HomepageURL,
			env.siteCheck(&res, "site.homepage_url", func(s *filing.Site, v string) { s.HomepageURL = v })).
			Placeholder("https://www.example.com/app/"),
	), &res
}

// listAccessor lets a one-line text field fill a list: the user types
// "a.cn, b.cn" and the list holds both. The text is kept as typed, so the
// cursor never jumps while a separator is half typed.
type listAccessor struct {
	text string
	dst  *[]string
}

func newListAccessor(dst *[]string) *listAccessor {
	return &listAccessor{text: strings.Join(*dst, ", "), dst: dst}
}

func (l *listAccessor) Get() string { return l.text }

func (l *listAccessor) Set(v string) {
	l.text = v
	*l.dst = SplitList(v)
}

// NetworkForm asks for the IP segment group, the launch date and the MIIT
// ICP number.
func NetworkForm(env Env, cur filing.Site) (*huh.Form, *filing.Site) {
	res := cur.Clone()
	return form(env.t("form.site.title"),
		huh.NewInput().Title(env.t("form.site.ip_addresses")).
			Accessor(newListAccessor(&res.IPAddresses)).
			Validate(env.keepOnEmpty(strings.Join(res.IPAddresses, ", "), env.siteCheck(&res, "site.ip_addresses", func(s *filing.Site, v string) { s.IPAddresses = SplitList(v) }))).
			Description(env.t("form.list_hint")),
		env.input(env.t("form.site.launch_date"), &res.LaunchDate,
			env.siteCheck(&res, "site.launch_date", func(s *filing.Site, v string) { s.LaunchDate = v })).
			Placeholder("2024-03-01"),
		env.input(env.t("form.site.icp_number"), &res.ICPNumber,
			env.siteCheck(&res, "site.icp_number", func(s *filing.Site, v string) { s.ICPNumber = v })).
			Placeholder("鄂ICP备17001107号-1"),
	), &res
}

// AccessProviderForm asks for the network access provider; its area, when
// domestic, is chosen next with the area forms.
func AccessProviderForm(env Env, cur filing.Site) (*huh.Form, *filing.Site) {
	res := cur.Clone()
	ap := &res.AccessProvider
	if ap.Jurisdiction == "" {
		ap.Jurisdiction = filing.Domestic
	}
	if ap.AccessMethod == "" {
		ap.AccessMethod = filing.AccessCloud
	}
	return form(env.t("form.access_provider.title"),
		env.input(env.t("form.provider.name"), &ap.Name,
			env.siteCheck(&res, "site.access_provider.name", func(s *filing.Site, v string) { s.AccessProvider.Name = v })),
		enumSelect(env.t("form.provider.jurisdiction"), enumOptions(env, "jurisdiction", filing.Jurisdictions), &ap.Jurisdiction),
		enumSelect(env.t("form.access_provider.method"), enumOptions(env, "access_method", filing.AccessMethods), &ap.AccessMethod),
		env.input(env.t("form.access_provider.phone"), &ap.Phone,
			env.siteCheck(&res, "site.access_provider.phone", func(s *filing.Site, v string) { s.AccessProvider.Phone = v })),
	), &res
}

// RegistrarForm asks for the domain registrar (sites with a first-level
// domain only); its area, when domestic, is chosen next.
func RegistrarForm(env Env, cur filing.Site) (*huh.Form, *filing.Site) {
	res := cur.Clone()
	rg := &res.Registrar
	if rg.Jurisdiction == "" {
		rg.Jurisdiction = filing.Domestic
	}
	return form(env.t("form.registrar.title"),
		env.input(env.t("form.provider.name"), &rg.Name,
			env.siteCheck(&res, "site.registrar.name", func(s *filing.Site, v string) { s.Registrar.Name = v })),
		enumSelect(env.t("form.provider.jurisdiction"), enumOptions(env, "jurisdiction", filing.Jurisdictions), &rg.Jurisdiction),
	), &res
}

// ServicesForm asks whether the site is commercial, which services it
// offers, whether it is interactive (FAQ item 4) and its important field
// (Decree 33 Art. 14).
func ServicesForm(env Env, cur filing.Site) (*huh.Form, *filing.Site) {
	res := cur.Clone()
	if res.ImportantField == "" {
		res.ImportantField = filing.FieldNone
	}
	return form(env.t("form.services.title"),
		env.confirm(env.t("form.services.commercial"), &res.Commercial),
		enumMulti(env.t("form.services.service_types"), enumOptions(env, "service_type", filing.ServiceTypes), &res.ServiceTypes).
			Description(env.t("form.multi_hint_optional")),
		env.confirm(env.t("form.services.interactive"), &res.Interactive).
			Description(env.t("form.services.interactive_hint")),
		enumSelect(env.t("form.services.important_field"), enumOptions(env, "important_field", filing.ImportantFields), &res.ImportantField),
	), &res
}

// InteractiveForm asks an interactive site which interactive services it
// offers; "other" is described in InteractiveOtherForm.
func InteractiveForm(env Env, cur filing.Site) (*huh.Form, *filing.Site) {
	res := cur.Clone()
	return form(env.t("form.services.title"),
		enumMulti(env.t("form.services.interactive_services"), enumOptions(env, "interactive_service", filing.InteractiveServices), &res.InteractiveServices).
			Description(env.t("form.multi_hint")).
			Validate(func(v []filing.InteractiveService) error {
				if len(v) == 0 {
					return env.errRequired()
				}
				return nil
			}),
	), &res
}

// InteractiveOtherForm describes the "other" interactive service.
func InteractiveOtherForm(env Env, cur filing.Site) (*huh.Form, *filing.Site) {
	res := cur.Clone()
	return form(env.t("form.services.title"),
		env.input(env.t("form.services.interactive_other"), &res.InteractiveOther,
			env.siteCheck(&res, "site.interactive_other", func(s *filing.Site, v string) { s.InteractiveOther = v })),
	), &res
}

// Files are the approval certificates and prior-approval attachments the
// user names by path; the command uploads them before it files the site.
type Files struct {
	// Certificates are the supervising department's approval certificates
	// of a site in an important field.
	Certificates []string `json:"certificates,omitempty" yaml:"certificates,omitempty"`
	// PriorApprovals are the prior approvals (前置审批) the site holds, each
	// with its file.
	PriorApprovals []PriorApprovalFile `json:"prior_approvals,omitempty" yaml:"prior_approvals,omitempty"`
}

// Absolute returns f with every path made absolute, so that the journal
// still names the same files when the filing is resumed from another
// directory.
func (f Files) Absolute() Files {
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		if a, err := filepath.Abs(p); err == nil {
			return a
		}
		return p
	}
	out := Files{Certificates: make([]string, 0, len(f.Certificates))}
	for _, p := range f.Certificates {
		out.Certificates = append(out.Certificates, abs(p))
	}
	for _, pf := range f.PriorApprovals {
		pf.Path = abs(pf.Path)
		out.PriorApprovals = append(out.PriorApprovals, pf)
	}
	if len(out.Certificates) == 0 {
		out.Certificates = nil
	}
	return out
}

// Without returns f without the file at path (a file the server refused).
func (f Files) Without(path string) Files {
	out := Files{}
	for _, p := range f.Certificates {
		if p != path {
			out.Certificates = append(out.Certificates, p)
		}
	}
	for _, pf := range f.PriorApprovals {
		if pf.Path == path {
			pf.Path = ""
		}
		out.PriorApprovals = append(out.PriorApprovals, pf)
	}
	return out
}

// PriorApprovalFile is one prior approval and the path of its file.
type PriorApprovalFile struct {
	Item filing.PriorApprovalItem `json:"item" yaml:"item"`
	Path string                   `json:"path" yaml:"path"`
}

// CheckFile accepts a path to a readable regular file within the 10 MiB
// attachment limit; the server decides its type by content.
func (e Env) CheckFile(path string) error {
	path = strings.TrimSpace(path)
	if path == "" {
		return e.errRequired()
	}
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return errors.New(e.t("form.file_unreadable", path))
	}
	if st.Size() > filing.MaxAttachmentSize {
		return errors.New(e.Loc.Field(filing.CodeAttachmentTooLarge))
	}
	return nil
}

// CertificatesForm asks a site in an important field for its approval
// certificates (one or more files).
func CertificatesForm(env Env, cur Files) (*huh.Form, *Files) {
	res := cur
	res.Certificates = slices.Clone(cur.Certificates)
	return form(env.t("form.approvals.title"),
		huh.NewInput().Title(env.t("form.approvals.certificates")).
			Accessor(newListAccessor(&res.Certificates)).
			Validate(env.keepOnEmpty(strings.Join(res.Certificates, ", "), func(v string) error {
				paths := SplitList(v)
				if len(paths) == 0 {
					return env.errRequired()
				}
				for _, p := range paths {
					if err := env.CheckFile(p); err != nil {
						return err
					}
				}
				return nil
			})).Description(env.t("form.list_hint")),
	), &res
}

// PriorApprovalItemsForm asks which prior approvals (前置审批) the site
// holds; none is a valid answer. WithPriorItems applies the answer.
func PriorApprovalItemsForm(env Env, cur Files) (*huh.Form, *[]filing.PriorApprovalItem) {
	var items []filing.PriorApprovalItem
	for _, p := range cur.PriorApprovals {
		items = append(items, p.Item)
	}
	return form(env.t("form.approvals.title"),
		enumMulti(env.t("form.approvals.prior_items"), enumOptions(env, "prior_approval", filing.PriorApprovalItems), &items).
			Description(env.t("form.multi_hint_optional")),
	), &items
}

// WithPriorItems returns f holding exactly items as prior approvals,
// keeping the file already named for an item still chosen.
func WithPriorItems(f Files, items []filing.PriorApprovalItem) Files {
	var out []PriorApprovalFile
	for _, it := range items {
		pf := PriorApprovalFile{Item: it}
		for _, old := range f.PriorApprovals {
			if old.Item == it {
				pf.Path = old.Path
			}
		}
		out = append(out, pf)
	}
	f.PriorApprovals = out
	return f
}

// PriorApprovalFilesForm asks for the file of each chosen prior approval.
func PriorApprovalFilesForm(env Env, cur Files) (*huh.Form, *Files) {
	res := cur
	res.PriorApprovals = slices.Clone(cur.PriorApprovals)
	var fields []huh.Field
	for i := range res.PriorApprovals {
		pf := &res.PriorApprovals[i]
		fields = append(fields, env.input(env.t("form.approvals.file_for", enumLabel(env, "prior_approval", pf.Item)), &pf.Path, env.CheckFile))
	}
	return form(env.t("form.approvals.title"), fields...), &res
}

// LanguagesForm asks for the site's languages.
func LanguagesForm(env Env, cur filing.Site) (*huh.Form, *filing.Site) {
	res := cur.Clone()
	if len(res.Languages) == 0 {
		res.Languages = []filing.Language{"zh-Hans"}
	}
	return form(env.t("form.languages.title"),
		enumMulti(env.t("form.languages.languages"), enumOptions(env, "language", filing.Languages), &res.Languages).
			Description(env.t("form.multi_hint")).
			Validate(func(v []filing.Language) error {
				if len(v) == 0 {
					return env.errRequired()
				}
				return nil
			}),
	), &res
}

// PersonRole names one of the site's three people.
type PersonRole string

// The site's people, by their field in the API.
const (
	RoleOwner           PersonRole = "owner"            // 网站负责人
	RoleSecurityOfficer PersonRole = "security_officer" // 信息安全负责人
	RoleOpinionGuide    PersonRole = "opinion_guide"    // 舆情引导员
)

// PersonRoles are the site's people in form order.
var PersonRoles = []PersonRole{RoleOwner, RoleSecurityOfficer, RoleOpinionGuide}

// Person returns the contact of role in s.
func Person(s *filing.Site, role PersonRole) *filing.Contact {
	switch role {
	case RoleSecurityOfficer:
		return &s.SecurityOfficer
	case RoleOpinionGuide:
		return &s.OpinionGuide
	}
	return &s.Owner
}

// SameAsResponsibleForm asks whether the person of role is the subject's
// responsible person (FAQ item 8): then nothing more is asked and the
// details are filled in from the subject.
func SameAsResponsibleForm(env Env, cur filing.Site, role PersonRole, responsible string) (*huh.Form, *filing.Site) {
	res := cur.Clone()
	c := Person(&res, role)
	if c.Name == "" && c.IDNumber == "" {
		c.SameAsResponsible = true
	}
	title := env.Loc.T("form.person." + string(role))
	return form(title,
		env.confirm(env.t("form.person.same_as_responsible", responsible), &c.SameAsResponsible),
	), &res
}

// PersonForm asks for a person of the site given in full.
func PersonForm(env Env, cur filing.Site, role PersonRole) (*huh.Form, *filing.Site) {
	res := cur.Clone()
	c := Person(&res, role)
	c.SameAsResponsible = false
	if !slices.Contains(filing.PersonCertTypes, c.IDType) {
		c.IDType = filing.CertResidentID
	}
	p := "site." + string(role)
	set := func(f func(*filing.Contact, string)) func(*filing.Site, string) {
		return func(s *filing.Site, v string) { f(Person(s, role), v) }
	}
	return form(env.Loc.T("form.person."+string(role)),
		env.input(env.t("form.person.name"), &c.Name,
			env.siteCheck(&res, p+".name", set(func(c *filing.Contact, v string) { c.Name = v }))),
		enumSelect(env.t("form.person.id_type"), enumOptions(env, "cert_type", filing.PersonCertTypes), &c.IDType),
		env.input(env.t("form.person.id_number"), &c.IDNumber,
			env.siteCheck(&res, p+".id_number", set(func(c *filing.Contact, v string) { c.IDNumber = v }))),
		env.input(env.t("form.mobile"), &c.Mobile,
			env.siteCheck(&res, p+".mobile", set(func(c *filing.Contact, v string) { c.Mobile = v }))),
		env.input(env.t("form.office_phone_optional"), &c.OfficePhone,
			env.siteCheck(&res, p+".office_phone", set(func(c *filing.Contact, v string) { c.OfficePhone = v }))),
		env.input(env.t("form.email"), &c.Email,
			env.siteCheck(&res, p+".email", set(func(c *filing.Contact, v string) { c.Email = v }))),
	), &res
}

// EmergencyContactForm asks for the site's 24-hour emergency contact.
func EmergencyContactForm(env Env, cur filing.Site) (*huh.Form, *filing.Site) {
	res := cur.Clone()
	ec := &res.EmergencyContact
	const p = "site.emergency_contact"
	return form(env.t("form.emergency.title"),
		env.input(env.t("form.person.name"), &ec.Name,
			env.siteCheck(&res, p+".name", func(s *filing.Site, v string) { s.EmergencyContact.Name = v })),
		env.input(env.t("form.mobile"), &ec.Mobile,
			env.siteCheck(&res, p+".mobile", func(s *filing.Site, v string) { s.EmergencyContact.Mobile = v })),
		env.input(env.t("form.office_phone_optional"), &ec.OfficePhone,
			env.siteCheck(&res, p+".office_phone", func(s *filing.Site, v string) { s.EmergencyContact.OfficePhone = v })),
		env.input(env.t("form.email"), &ec.Email,
			env.siteCheck(&res, p+".email", func(s *filing.Site, v string) { s.EmergencyContact.Email = v })),
	), &res
}
