package forms

import (
	"context"
	"slices"
	"strings"

	"charm.land/huh/v2"

	"github.com/beian-dev/beian/internal/area"
	"github.com/beian-dev/beian/internal/filing"
)

// Answers is everything `beian file` asks, in the shape the journal keeps.
type Answers struct {
	// Subject is the hosting subject to file first; nil when the account
	// already has one.
	Subject *filing.Subject `json:"subject,omitempty" yaml:"subject,omitempty"`
	// Site is the site filing.
	Site filing.Site `json:"site" yaml:"site"`
	// Files are attachments still to upload, by path.
	Files Files `json:"files,omitempty" yaml:"files,omitempty"`
	// Action is the choice made on the review page.
	Action Action `json:"action,omitempty" yaml:"action,omitempty"`
	// Responsible is the existing subject's responsible person, for the
	// people marked "same as the responsible person"; the command fills it
	// from the server and it is not journalled.
	Responsible filing.ResponsiblePerson `json:"-" yaml:"-"`
}

// Clone is a copy of a that a page can be applied to without changing a.
func (a *Answers) Clone() Answers {
	c := *a
	c.Site = a.Site.Clone()
	if a.Subject != nil {
		subject := *a.Subject
		c.Subject = &subject
	}
	c.Files.Certificates = slices.Clone(a.Files.Certificates)
	c.Files.PriorApprovals = slices.Clone(a.Files.PriorApprovals)
	return c
}

// responsible is the person the site's people may be "the same as".
func (a *Answers) responsible() filing.ResponsiblePerson {
	if a.Subject != nil {
		return a.Subject.Responsible
	}
	return a.Responsible
}

// CheckedSite is the site as the final check sees it: people marked "same as
// the responsible person" filled in, and the files still to upload standing
// in for their attachments, so that the rules can say whether anything is
// missing before anything is uploaded.
func (a *Answers) CheckedSite() filing.Site {
	s := a.Site.Clone()
	s.FillFromResponsible(a.responsible())
	if len(s.ApprovalCertificates) == 0 {
		for _, p := range a.Files.Certificates {
			s.ApprovalCertificates = append(s.ApprovalCertificates, filing.Attachment{ID: "file:" + p})
		}
	}
	if len(s.PriorApprovals) == 0 {
		for _, p := range a.Files.PriorApprovals {
			s.PriorApprovals = append(s.PriorApprovals, filing.PriorApproval{Item: p.Item, Attachment: filing.Attachment{ID: "file:" + p.Path}})
		}
	}
	return s
}

// Validate checks the answers as a whole with the server's rules: for
// submission, or as a draft when the user chose to save one. This is the
// check that catches what accessible mode let through.
func (a *Answers) Validate(env Env) filing.Errors {
	var errs filing.Errors
	if a.Subject != nil {
		o := env.subjectOptions()
		o.ForSubmit = a.Action != ActionDraft
		errs = append(errs, a.Subject.ValidateWith(o)...)
	}
	o := env.siteOptions()
	o.ForSubmit = a.Action != ActionDraft
	errs = append(errs, a.CheckedSite().Validate(o)...)
	return errs
}

// Step is one page of the filing form. Form adapts a pure builder: it
// returns the page and the function that stores its answer.
type Step struct {
	// ID names the step in the journal ("site.domains").
	ID string
	// Fields are the fields the step asks for: a field refused by the final
	// check sends the user back to the step that asks it.
	Fields []filing.FieldPath
	// When says whether the step applies to the answers so far; nil
	// means always.
	When func(a *Answers) bool
	// Form builds the page for the answers so far.
	Form func(env Env, a *Answers) (*huh.Form, func(a *Answers))
}

func (s Step) applies(a *Answers) bool { return s.When == nil || s.When(a) }

func (s Step) covers(field string) bool {
	for _, f := range s.Fields {
		if f.Covers(field) {
			return true
		}
	}
	return false
}

// siteStep adapts a builder of the site.
func siteStep(id string, fields []filing.FieldPath, when func(*Answers) bool, build func(Env, filing.Site) (*huh.Form, *filing.Site)) Step {
	return Step{ID: id, Fields: fields, When: when, Form: func(env Env, a *Answers) (*huh.Form, func(*Answers)) {
		f, res := build(env, a.Site)
		return f, func(a *Answers) { a.Site = *res }
	}}
}

// subjectStep adapts a builder of the subject.
func subjectStep(id string, fields []filing.FieldPath, build func(Env, filing.Subject) (*huh.Form, *filing.Subject)) Step {
	return Step{ID: id, Fields: fields, When: hasNewSubject, Form: func(env Env, a *Answers) (*huh.Form, func(*Answers)) {
		f, res := build(env, *a.Subject)
		return f, func(a *Answers) { *a.Subject = *res }
	}}
}

func hasNewSubject(a *Answers) bool { return a.Subject != nil }

func both(fs ...func(*Answers) bool) func(*Answers) bool {
	return func(a *Answers) bool {
		for _, f := range fs {
			if f != nil && !f(a) {
				return false
			}
		}
		return true
	}
}

// areaSteps choose the area code at *code(a) as province, city, county.
// Each step narrows the same code, so the journal can stop between them and
// a resumed form preselects what was chosen.
func areaSteps(id, title string, field filing.FieldPath, when func(*Answers) bool, code func(*Answers) *string) []Step {
	fields := []filing.FieldPath{field}
	return []Step{
		{ID: id + ".province", Fields: fields, When: when, Form: func(env Env, a *Answers) (*huh.Form, func(*Answers)) {
			f, res := ProvinceForm(env, env.t("form.area.province", env.Loc.T(areaTitle(title, a))), *code(a))
			return f, func(a *Answers) {
				// A full code typed at the province ("330106") is taken whole.
				if c := code(a); len(*res) == 6 && (!strings.HasPrefix(*c, (*res)[:2]) || !strings.HasSuffix(*res, "0000")) {
					*c = *res
				}
			}
		}},
		{ID: id + ".city", Fields: fields, When: both(when, func(a *Answers) bool { c := *code(a); return len(c) == 6 && len(area.Cities(c[:2])) > 1 }),
			Form: func(env Env, a *Answers) (*huh.Form, func(*Answers)) {
				// The province the code lies in: a prefilled code is a county
				// ("420111"), whose cities are those of "42".
				f, res := CityForm(env, env.t("form.area.city", env.Loc.T(areaTitle(title, a))), (*code(a))[:2], *code(a))
				return f, func(a *Answers) {
					if c := code(a); len(*res) == 6 && (!strings.HasPrefix(*c, (*res)[:4]) || strings.HasSuffix(*c, "0000") || !strings.HasSuffix(*res, "00")) {
						*c = *res
					}
				}
			}},
		{ID: id + ".county", Fields: fields, When: when, Form: func(env Env, a *Answers) (*huh.Form, func(*Answers)) {
			f, res := CountyForm(env, env.t("form.area.county", env.Loc.T(areaTitle(title, a))), cityOf(*code(a)), *code(a))
			return f, func(a *Answers) { *code(a) = *res }
		}},
	}
}

// areaTitle is the title of an area page; an individual's "office"
// address is where the person is reached.
func areaTitle(title string, a *Answers) string {
	if title == "form.subject.office_address" && a.Subject != nil && a.Subject.Kind == filing.KindIndividual {
		return "form.subject.individual_address"
	}
	return title
}

// cityOf is the city an area code lies in; a province with a single city
// row (the municipalities' 市辖区) gives that row.
func cityOf(code string) string {
	if len(code) != 6 {
		return ""
	}
	if code[2:4] != "00" {
		return code[:4] + "00"
	}
	if cs := area.Cities(code); len(cs) == 1 {
		return cs[0].Code
	}
	return ""
}

func domestic(j func(*Answers) filing.Jurisdiction) func(*Answers) bool {
	return func(a *Answers) bool { return j(a) == filing.Domestic }
}

// FilingSteps are the pages of `beian file` in order: the subject (only when
// the account has none), then the site, then review.
func FilingSteps() []Step {
	var steps []Step
	add := func(s ...Step) { steps = append(steps, s...) }

	add(subjectStep("subject.kind", []filing.FieldPath{"subject.kind"}, SubjectKindForm))
	add(subjectStep("subject.identity", []filing.FieldPath{"subject.unit_type", "subject.name", "subject.cert_type", "subject.cert_number", "subject.legal_representative"}, SubjectIdentityForm))
	add(areaSteps("subject.office_area", "form.subject.office_address", "subject.office_address.area_code", hasNewSubject,
		func(a *Answers) *string { return &a.Subject.OfficeAddress.AreaCode })...)
	add(subjectStep("subject.contact", []filing.FieldPath{"subject.office_address.detail", "subject.office_phone", "subject.mobile", "subject.email", "subject.remarks"}, SubjectContactForm))
	add(subjectStep("subject.responsible", []filing.FieldPath{"subject.responsible.name", "subject.responsible.id_type", "subject.responsible.id_number", "subject.responsible.id_valid_until"}, ResponsibleForm))
	add(areaSteps("subject.resident_area", "form.responsible.resident_address", "subject.responsible.resident_address.area_code", hasNewSubject,
		func(a *Answers) *string { return &a.Subject.Responsible.ResidentAddress.AreaCode })...)
	add(subjectStep("subject.responsible_contact", []filing.FieldPath{"subject.responsible.resident_address.detail", "subject.responsible.mobile", "subject.responsible.office_phone", "subject.responsible.email", "subject.responsible.remarks"}, ResponsibleContactForm))

	hasDomain := func(a *Answers) bool { return a.Site.HasPrimaryDomain }
	add(siteStep("site.basics", []filing.FieldPath{"site.name", "site.has_primary_domain"}, nil, SiteBasicsForm))
	add(siteStep("site.domains", []filing.FieldPath{"site.primary_domain", "site.extra_domains", "site.domains"}, hasDomain, DomainsForm))
	add(siteStep("site.homepage", []filing.FieldPath{"site.homepage_url"}, func(a *Answers) bool { return !a.Site.HasPrimaryDomain }, HomepageForm))
	add(siteStep("site.network", []filing.FieldPath{"site.ip_addresses", "site.launch_date", "site.icp_number"}, nil, NetworkForm))
	add(siteStep("site.access_provider", []filing.FieldPath{"site.access_provider.name", "site.access_provider.jurisdiction", "site.access_provider.access_method", "site.access_provider.phone"}, nil,
		func(env Env, s filing.Site) (*huh.Form, *filing.Site) {
			f, res := AccessProviderForm(env, s)
			return f, res
		}))
	apDomestic := domestic(func(a *Answers) filing.Jurisdiction { return a.Site.AccessProvider.Jurisdiction })
	add(areaSteps("site.access_area", "form.access_provider.area", "site.access_provider.area_code", apDomestic,
		func(a *Answers) *string { return &a.Site.AccessProvider.AreaCode })...)
	add(siteStep("site.registrar", []filing.FieldPath{"site.registrar.name", "site.registrar.jurisdiction"}, hasDomain, RegistrarForm))
	rgDomestic := both(hasDomain, domestic(func(a *Answers) filing.Jurisdiction { return a.Site.Registrar.Jurisdiction }))
	add(areaSteps("site.registrar_area", "form.registrar.area", "site.registrar.area_code", rgDomestic,
		func(a *Answers) *string { return &a.Site.Registrar.AreaCode })...)
	add(siteStep("site.services", []filing.FieldPath{"site.commercial", "site.service_types", "site.interactive", "site.important_field"}, nil, ServicesForm))
	interactive := func(a *Answers) bool { return a.Site.Interactive }
	add(siteStep("site.interactive", []filing.FieldPath{"site.interactive_services"}, interactive, InteractiveForm))
	add(siteStep("site.interactive_other", []filing.FieldPath{"site.interactive_other"},
		both(interactive, func(a *Answers) bool { return slices.Contains(a.Site.InteractiveServices, filing.InteractiveOther) }), InteractiveOtherForm))
	add(Step{ID: "site.certificates", Fields: []filing.FieldPath{"site.approval_certificates"},
		When: func(a *Answers) bool { return a.Site.ImportantField != filing.FieldNone && a.Site.ImportantField != "" },
		Form: func(env Env, a *Answers) (*huh.Form, func(*Answers)) {
			f, res := CertificatesForm(env, a.Files)
			return f, func(a *Answers) { a.Files = res.Absolute(); a.Site.ApprovalCertificates = nil }
		}})
	add(Step{ID: "site.prior_items", Fields: []filing.FieldPath{"site.prior_approvals"},
		Form: func(env Env, a *Answers) (*huh.Form, func(*Answers)) {
			f, res := PriorApprovalItemsForm(env, a.Files)
			return f, func(a *Answers) { a.Files = WithPriorItems(a.Files, *res); a.Site.PriorApprovals = nil }
		}})
	add(Step{ID: "site.prior_files", Fields: []filing.FieldPath{"site.prior_approvals"},
		When: func(a *Answers) bool { return len(a.Files.PriorApprovals) > 0 },
		Form: func(env Env, a *Answers) (*huh.Form, func(*Answers)) {
			f, res := PriorApprovalFilesForm(env, a.Files)
			return f, func(a *Answers) { a.Files = res.Absolute() }
		}})
	add(siteStep("site.languages", []filing.FieldPath{"site.languages"}, nil, LanguagesForm))
	for _, role := range PersonRoles {
		field := filing.FieldPath("site." + string(role))
		add(Step{ID: "site." + string(role), Fields: []filing.FieldPath{field + ".same_as_responsible"},
			Form: func(env Env, a *Answers) (*huh.Form, func(*Answers)) {
				f, res := SameAsResponsibleForm(env, a.Site, role, a.responsible().Name)
				return f, func(a *Answers) { a.Site = *res }
			}})
		add(siteStep("site."+string(role)+"_detail", []filing.FieldPath{field},
			func(a *Answers) bool { return !Person(&a.Site, role).SameAsResponsible },
			func(env Env, s filing.Site) (*huh.Form, *filing.Site) { return PersonForm(env, s, role) }))
	}
	add(siteStep("site.emergency_contact", []filing.FieldPath{"site.emergency_contact"}, nil, EmergencyContactForm))
	add(Step{ID: StepReview,
		Form: func(env Env, a *Answers) (*huh.Form, func(*Answers)) {
			f, res := ReviewForm(env, a.Action)
			return f, func(a *Answers) { a.Action = *res }
		}})
	add(Step{ID: "accept", Fields: []filing.FieldPath{"site.accept_responsibility"},
		When: func(a *Answers) bool { return a.Action == ActionSubmit },
		Form: func(env Env, a *Answers) (*huh.Form, func(*Answers)) {
			f, res := AcceptForm(env, a.Site.AcceptResponsibility)
			return f, func(a *Answers) { a.Site.AcceptResponsibility = *res }
		}})
	return steps
}

// SiteSteps are the site's pages of the filing form with the review page
// and the responsibility notice, for `beian edit`.
func SiteSteps() []Step {
	var out []Step
	for _, s := range FilingSteps() {
		if strings.HasPrefix(s.ID, "site.") || s.ID == StepReview || s.ID == "accept" {
			out = append(out, s)
		}
	}
	return out
}

// SubjectSteps are the subject's pages of the filing form, for `beian
// subject edit`.
func SubjectSteps() []Step {
	var out []Step
	for _, s := range FilingSteps() {
		if strings.HasPrefix(s.ID, "subject.") {
			out = append(out, s)
		}
	}
	return out
}

// EditSubject walks the subject's pages prefilled with cur, then checks the
// whole subject and sends the user back to each page with a refused field.
func EditSubject(ctx context.Context, r *Runner, env Env, cur filing.Subject) (filing.Subject, error) {
	sub := cur
	a := &Answers{Subject: &sub}
	w := &Walker{Runner: r, Env: env, Steps: SubjectSteps()}
	if err := w.Walk(ctx, a, ""); err != nil {
		return filing.Subject{}, err
	}
	for range 3 {
		errs := a.Subject.ValidateWith(env.subjectOptions())
		if len(errs) == 0 {
			break
		}
		asked, err := w.Fix(ctx, a, errs)
		if err != nil {
			return filing.Subject{}, err
		}
		if !asked {
			break
		}
	}
	return *a.Subject, nil
}
