package forms

import (
	"errors"
	"slices"

	"charm.land/huh/v2"

	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/i18n"
)

// The hosting subject (开办主体, SPEC §2) is asked only when the account has
// none yet. Its address areas are chosen with the area forms between these
// pages.

// SubjectKindForm asks whether the subject is a unit or an individual.
func SubjectKindForm(env Env, cur filing.Subject) (*huh.Form, *filing.Subject) {
	res := cur
	if res.Kind == "" {
		res.Kind = filing.KindUnit
	}
	return form(env.t("form.subject.title"),
		huh.NewNote().Description(env.t("form.subject.intro")),
		enumSelect(env.t("form.subject.kind"), enumOptions(env, "subject_kind", filing.SubjectKinds), &res.Kind),
	), &res
}

// SubjectIdentityForm asks for the subject's name and certificate (and, for
// units, the unit type and legal representative). The certificate types
// offered depend on the kind chosen before.
func SubjectIdentityForm(env Env, cur filing.Subject) (*huh.Form, *filing.Subject) {
	res := cur
	types := filing.CertTypesFor(res.Kind)
	if !slices.Contains(types, res.CertType) && len(types) > 0 {
		res.CertType = types[0]
	}
	var fields []huh.Field
	if res.Kind == filing.KindUnit {
		if res.UnitType == "" {
			res.UnitType = filing.UnitEnterprise
		}
		fields = append(fields, enumSelect(env.t("form.subject.unit_type"), enumOptions(env, "unit_type", filing.UnitTypes), &res.UnitType))
	} else {
		res.UnitType = ""
		res.LegalRepresentative = ""
	}
	fields = append(fields,
		env.input(env.t("form.subject.name"), &res.Name,
			env.subjectCheck(&res, "subject.name", func(s *filing.Subject, v string) { s.Name = v })),
		enumSelect(env.t("form.subject.cert_type"), enumOptions(env, "cert_type", types), &res.CertType),
		env.input(env.t("form.subject.cert_number"), &res.CertNumber,
			env.subjectCheck(&res, "subject.cert_number", func(s *filing.Subject, v string) { s.CertNumber = v })),
	)
	if res.Kind == filing.KindUnit {
		fields = append(fields, env.input(env.t("form.subject.legal_representative"), &res.LegalRepresentative,
			env.subjectCheck(&res, "subject.legal_representative", func(s *filing.Subject, v string) { s.LegalRepresentative = v })))
	}
	return form(env.t("form.subject.title"), fields...), &res
}

// SubjectContactForm asks for the office address detail and the subject's
// phones, email and remarks.
func SubjectContactForm(env Env, cur filing.Subject) (*huh.Form, *filing.Subject) {
	res := cur
	detail := "form.subject.office_detail"
	if res.Kind == filing.KindIndividual {
		detail = "form.subject.individual_detail" // a person has no office: where they are reached
	}
	return form(env.t("form.subject.title"),
		env.input(env.t(detail), &res.OfficeAddress.Detail,
			env.subjectCheck(&res, "subject.office_address.detail", func(s *filing.Subject, v string) { s.OfficeAddress.Detail = v })),
		env.input(env.t("form.office_phone_optional"), &res.OfficePhone,
			env.subjectCheck(&res, "subject.office_phone", func(s *filing.Subject, v string) { s.OfficePhone = v })),
		env.input(env.t("form.mobile"), &res.Mobile,
			env.subjectCheck(&res, "subject.mobile", func(s *filing.Subject, v string) { s.Mobile = v })),
		env.input(env.t("form.email"), &res.Email,
			env.subjectCheck(&res, "subject.email", func(s *filing.Subject, v string) { s.Email = v })),
		env.input(env.t("form.remarks_optional"), &res.Remarks,
			env.subjectCheck(&res, "subject.remarks", func(s *filing.Subject, v string) { s.Remarks = v })),
	), &res
}

// ResponsibleForm asks for the subject's responsible person (负责人): name
// and identity document. An individual is usually their own responsible
// person, so an empty person starts as the subject.
func ResponsibleForm(env Env, cur filing.Subject) (*huh.Form, *filing.Subject) {
	res := cur
	r := &res.Responsible
	if res.Kind == filing.KindIndividual && r.Name == "" && r.IDNumber == "" {
		r.Name, r.IDType, r.IDNumber = res.Name, res.CertType, res.CertNumber
		if r.Mobile == "" {
			r.Mobile, r.Email = res.Mobile, res.Email
		}
	}
	if !slices.Contains(filing.PersonCertTypes, r.IDType) {
		r.IDType = filing.CertResidentID
	}
	const p = "subject.responsible"
	return form(env.t("form.responsible.title"),
		env.input(env.t("form.person.name"), &r.Name,
			env.subjectCheck(&res, p+".name", func(s *filing.Subject, v string) { s.Responsible.Name = v })),
		enumSelect(env.t("form.person.id_type"), enumOptions(env, "cert_type", filing.PersonCertTypes), &r.IDType),
		env.input(env.t("form.person.id_number"), &r.IDNumber,
			env.subjectCheck(&res, p+".id_number", func(s *filing.Subject, v string) { s.Responsible.IDNumber = v })),
		env.input(env.t("form.responsible.id_valid_until"), &r.IDValidUntil,
			env.subjectCheck(&res, p+".id_valid_until", func(s *filing.Subject, v string) { s.Responsible.IDValidUntil = v })).
			Placeholder("2036-03-07 / "+map[bool]string{true: "长期", false: "long_term"}[env.Loc.Lang() == i18n.ZH]),
	), &res
}

// ResponsibleContactForm asks for the responsible person's resident address
// detail, phones and email.
func ResponsibleContactForm(env Env, cur filing.Subject) (*huh.Form, *filing.Subject) {
	res := cur
	r := &res.Responsible
	const p = "subject.responsible"
	return form(env.t("form.responsible.title"),
		env.input(env.t("form.responsible.address_detail"), &r.ResidentAddress.Detail,
			env.subjectCheck(&res, p+".resident_address.detail", func(s *filing.Subject, v string) { s.Responsible.ResidentAddress.Detail = v })),
		env.input(env.t("form.mobile"), &r.Mobile,
			env.subjectCheck(&res, p+".mobile", func(s *filing.Subject, v string) { s.Responsible.Mobile = v })),
		env.input(env.t("form.office_phone_optional"), &r.OfficePhone,
			env.subjectCheck(&res, p+".office_phone", func(s *filing.Subject, v string) { s.Responsible.OfficePhone = v })),
		env.input(env.t("form.email"), &r.Email,
			env.subjectCheck(&res, p+".email", func(s *filing.Subject, v string) { s.Responsible.Email = v })),
		env.input(env.t("form.remarks_optional"), &r.Remarks,
			env.subjectCheck(&res, p+".remarks", func(s *filing.Subject, v string) { s.Responsible.Remarks = v })),
	), &res
}

// errRequired is the localised "required" shown for a choice left empty.
func (e Env) errRequired() error { return errors.New(e.Loc.Field(filing.CodeRequiredMissing)) }
