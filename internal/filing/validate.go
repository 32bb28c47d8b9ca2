package filing

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/beian-dev/beian/internal/area"
	"github.com/beian-dev/beian/internal/ident"
)

// Limits on free text, in characters. Generous for real names (long unit
// names run to about forty characters); they exist so a form cannot carry a
// novel into the database.
const (
	maxName    = 100
	maxDetail  = 200
	maxRemarks = 500
	maxCertNo  = 50
)

// SubjectOptions says how strictly to check a subject.
type SubjectOptions struct {
	// ForSubmit requires every field and checks dates against Today.
	// Without it only what is present must be well-formed.
	ForSubmit bool
	// Today is the day of submission, from the caller's clock (the rules
	// read none). Zero checks dates for form only: a birth date or an
	// expiry is then not compared with any day.
	Today time.Time
}

// SiteOptions says how strictly to check a site.
type SiteOptions struct {
	// ForSubmit requires every field (and the accepted responsibility
	// notice) and checks the launch date against Today. A draft may be
	// incomplete; only what is present must be well-formed.
	ForSubmit bool
	// Today is the day of submission, from the caller's clock; zero checks
	// the launch date for form only.
	Today time.Time
	// AllowNonPublicIP accepts private, loopback and documentation
	// addresses in the IP segment group: for the sandbox and tests, never
	// for a real filing.
	AllowNonPublicIP bool
	// TestDomains accepts names under the reserved .test top-level domain
	// (RFC 2606) as first-level domains although no public-suffix list has
	// it: the sandbox's switch, so nobody needs a real domain to try the
	// platform (SandboxLenient).
	TestDomains bool
}

// ValidateWith checks a subject and returns every bad field at once, with
// paths prefixed "subject.".
func (s Subject) ValidateWith(o SubjectOptions) Errors {
	c := newChecker(o.ForSubmit, o.Today)
	c.subject(&s)
	return c.errs
}

// NormalizeSubject returns s in canonical form — trimmed text, upper-case
// certificate numbers, 11-digit mobiles, canonical landlines and emails —
// with every field that is present but malformed (as for a draft: nothing
// is required). A malformed field is left as given. The server stores only
// normalised subjects.
func NormalizeSubject(s Subject) (Subject, Errors) {
	c := newChecker(false, time.Time{})
	c.subject(&s)
	return s, c.errs
}

// Validate checks a site and returns every bad field at once, with paths
// prefixed "site." ("site.extra_domains[2]").
func (s Site) Validate(o SiteOptions) Errors {
	given := s
	c := newChecker(o.ForSubmit, o.Today)
	c.allowNonPublicIP = o.AllowNonPublicIP
	c.site(&s)
	if o.TestDomains {
		return SandboxLenient(given, c.errs)
	}
	return c.errs
}

// NormalizeSite returns s in canonical form — domains as A-labels (with
// DomainsUnicode filled for IDNs), IP addresses and blocks in canonical
// notation, the ICP number and homepage URL canonical — with every field
// that is present but malformed, as for a draft. A malformed field is left
// as given. Non-public IP addresses are accepted here; Validate decides.
func NormalizeSite(s Site) (Site, Errors) {
	c := newChecker(false, time.Time{})
	c.allowNonPublicIP = true
	c.site(&s)
	return s, c.errs
}

// checker walks a subject or a site once, normalising each field in place
// and collecting every error, so Validate and Normalize share one set of rules.
type checker struct {
	errs             Errors
	submit           bool
	today            time.Time // the day of submission; zero when there is none
	allowNonPublicIP bool
}

func newChecker(submit bool, today time.Time) *checker {
	c := &checker{submit: submit}
	if submit && !today.IsZero() {
		c.today = dayOf(today)
	}
	return c
}

func (c *checker) add(field, code, format string, args ...any) {
	c.errs = append(c.errs, FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) addErr(field string, err error) {
	c.errs = append(c.errs, FieldError{Field: field, Code: codeOf(err), Message: err.Error()})
}

// present trims *v and reports whether anything is left; when nothing is and
// the field is required for submission, it records required_missing.
// presentRaw is present without the text rules (enumerations).
func (c *checker) presentRaw(field string, v *string, required bool) bool {
	*v = strings.TrimSpace(*v)
	if *v != "" {
		return true
	}
	if required && c.submit {
		c.add(field, CodeRequiredMissing, "required")
	}
	return false
}

func (c *checker) present(field string, v *string, required bool) bool {
	*v = strings.TrimSpace(*v)
	if *v != "" {
		clean, err := CleanText(*v)
		if err != nil {
			c.addErr(field, err)
			return false
		}
		*v = clean
		return true
	}
	if required && c.submit {
		c.add(field, CodeRequiredMissing, "required")
	}
	return false
}

func (c *checker) text(field string, v *string, required bool, limit int) {
	if c.present(field, v, required) && utf8.RuneCountInString(*v) > limit {
		c.add(field, CodeTooLong, "at most %d characters", limit)
	}
}

// norm checks a present value with a rule from ident or domainname and
// stores the canonical form it returns.
func (c *checker) norm(field string, v *string, required bool, rule func(string) (string, error)) {
	if !c.present(field, v, required) {
		return
	}
	n, err := rule(*v)
	if err != nil {
		c.addErr(field, err)
		return
	}
	*v = n
}

// notApplicable records a value given where the form has no such field.
func (c *checker) notApplicable(field string, given bool, why string) {
	if given {
		c.add(field, CodeNotApplicable, "must be empty %s", why)
	}
}

func enum[T ~string](c *checker, field string, v *T, required bool, allowed []T) bool {
	s := string(*v)
	// Not present(): a value outside the list is enum_invalid, whatever
	// characters it has (the allowed values are clean by construction).
	if !c.presentRaw(field, &s, required) {
		*v = ""
		return false
	}
	*v = T(s)
	if !slices.Contains(allowed, *v) {
		c.add(field, CodeEnumInvalid, "%q is not one of %s", s, list(allowed))
		return false
	}
	return true
}

// enumList checks a list of enum values: each allowed, none twice.
func enumList[T ~string](c *checker, field string, vs []T, allowed []T) {
	for i := range vs {
		f := fmt.Sprintf("%s[%d]", field, i)
		if strings.TrimSpace(string(vs[i])) == "" { // an empty entry is malformed, even in a draft
			c.add(f, CodeEnumInvalid, "empty entry; choose one of %s", list(allowed))
			continue
		}
		if enum(c, f, &vs[i], true, allowed) && slices.Contains(vs[:i], vs[i]) {
			c.add(f, CodeValueDuplicate, "%q is listed twice", vs[i])
		}
	}
}

func list[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

// date checks a YYYY-MM-DD date; on submission, future says whether a date
// after today is wrong (launch date) and past whether one before is (an
// expired identity document).
func (c *checker) date(field string, v *string, required, future, past bool) {
	if !c.present(field, v, required) {
		return
	}
	d, err := ParseDate(*v)
	if err != nil {
		c.add(field, CodeDateInvalid, "%s", err)
		return
	}
	if !c.submit || c.today.IsZero() {
		return
	}
	if future && d.After(c.today) {
		c.add(field, CodeDateInFuture, "%s is after today (%s)", *v, c.today.Format(DateLayout))
	}
	if past && d.Before(c.today) {
		c.add(field, CodeDateInPast, "%s has passed", *v)
	}
}

// areaCode checks a GB/T 2260 code that a new filing must give at county
// level and current: a retired code is fine in an old record number, not in
// a new address, and a city or province is not precise enough.
func (c *checker) areaCode(field string, v *string, required bool) {
	if !c.present(field, v, required) || area.IsCurrentCounty(*v) {
		return
	}
	if len(*v) != 6 || !area.ValidRecordArea(*v) {
		c.add(field, CodeAreaInvalid, "%q is not a 6-digit GB/T 2260 area code", *v)
		return
	}
	if a, ok := area.Lookup(*v); ok && a.Functional() {
		city, counties := area.FullName(a.Code[:4]+"00"), divisionNames(a.Code[:4])
		c.add(field, CodeAreaFunctionalZone, "%s is %s, a functional zone (a development or high-tech zone), not a county-level division; choose the district or county of %s it lies in: %s",
			*v, a.Name, city, counties)
		c.errs[len(c.errs)-1].Params = map[string]string{"area_code": *v, "zone": a.Name, "city": strings.ReplaceAll(city, " ", ""), "counties": counties}
		return
	} else if ok {
		c.add(field, CodeAreaNotCurrentCounty, "%s is %s, a %s; choose the county-level area within it", *v, a.Name, a.Level)
		return
	}
	c.add(field, CodeAreaNotCurrentCounty, "%s is not a current county-level area (it may have been retired); choose province, city and county again", *v)
}

// divisionNames lists the county-level divisions of city for a message,
// "长安区 (130102), 桥西区 (130104), …", eight at most.
func divisionNames(city string) string {
	var names []string
	for i, a := range area.Divisions(city) {
		if i == 8 {
			names = append(names, "…")
			break
		}
		names = append(names, a.Name+" ("+a.Code+")")
	}
	return strings.Join(names, ", ")
}

func (c *checker) address(field string, a *Address, required bool) {
	c.areaCode(field+".area_code", &a.AreaCode, required)
	c.text(field+".detail", &a.Detail, required, maxDetail)
}

// document checks a certificate type and its number. The number is checked
// by its type only when the type is allowed here: a resident ID given as a
// unit's credit code is one error (the type), not two.
func (c *checker) document(typeField, numberField string, t *CertType, number *string, allowed []CertType) {
	if enum(c, typeField, t, true, allowed) {
		c.certNumber(numberField, *t, number, true)
	} else {
		c.certNumber(numberField, "", number, true)
	}
}

// certNumber checks a certificate or identity number by its type: the
// types with a check character are verified, the others only trimmed.
func (c *checker) certNumber(field string, t CertType, v *string, required bool) {
	switch t {
	case CertUSCC:
		c.norm(field, v, required, ident.NormalizeUSCC)
	case CertOrgCode:
		c.norm(field, v, required, ident.NormalizeOrgCode)
	case CertResidentID, CertTemporaryResidentID: // a temporary card carries the same number
		c.norm(field, v, required, c.residentID)
	default:
		c.text(field, v, required, maxCertNo)
	}
}

// residentID checks a resident identity number, its birth date against the
// day of submission when there is one.
func (c *checker) residentID(s string) (string, error) {
	id, err := ident.ParseResidentIDAt(s, c.today)
	if err != nil {
		return "", err
	}
	return id.Number, nil
}

func (c *checker) mobile(field string, v *string, required bool) {
	c.norm(field, v, required, ident.NormalizeMobile)
}

func (c *checker) landline(field string, v *string, required bool) {
	c.norm(field, v, required, ident.NormalizeLandline)
}

func (c *checker) email(field string, v *string, required bool) {
	c.norm(field, v, required, ident.NormalizeEmail)
}

// serviceNumber matches the numbers providers publish besides landlines:
// 400/800 numbers and the short 95xxx/96xxx service numbers.
var serviceNumber = regexp.MustCompile(`^(?:[48]00\d{7}|9[56]\d{3,6})$`)

// providerPhone accepts what access providers actually publish: a landline,
// a mobile, a 400/800 number or a 95xxx number (Alibaba Cloud's is 95187).
func providerPhone(s string) (string, error) {
	if n, err := ident.NormalizeLandline(s); err == nil {
		return n, nil
	}
	if n, err := ident.NormalizeMobile(s); err == nil {
		return n, nil
	}
	digits := strings.NewReplacer("-", "", " ", "", "(", "", ")", "", ".", "").Replace(s)
	if serviceNumber.MatchString(digits) {
		if len(digits) == 10 {
			return digits[:3] + "-" + digits[3:6] + "-" + digits[6:], nil
		}
		return digits, nil
	}
	// An overseas provider publishes an international number: +CC and
	// 7 to 14 more digits (E.164), China's own +86 numbers excepted (they
	// are landlines or mobiles, checked above).
	if international.MatchString(digits) && !strings.HasPrefix(digits, "+86") {
		return digits, nil
	}
	return "", &ruleError{CodePhoneInvalid, fmt.Sprintf("%q is not a landline (027-87654321), mobile, 400/800, 95xxx or international (+1 877 448 4820) number", s)}
}

var international = regexp.MustCompile(`^\+[1-9]\d{7,14}$`)

// isLongTerm accepts the ways people write an identity document that does
// not expire: long_term, "long term", 长期, 长期有效.
func isLongTerm(s string) bool {
	switch strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(strings.ReplaceAll(s, "_", " "), "-", " ")), " ")) {
	case "long term", "longterm", "长期", "长期有效", "永久", "永久有效":
		return true
	}
	return false
}

type ruleError struct{ code, msg string }

func (e *ruleError) Code() string  { return e.code }
func (e *ruleError) Error() string { return e.msg }

// ---- the subject -------------------------------------------------------

func (c *checker) subject(s *Subject) {
	const p = "subject."
	kindOK := enum(c, p+"kind", &s.Kind, true, SubjectKinds)
	switch s.Kind {
	case KindUnit:
		enum(c, p+"unit_type", &s.UnitType, true, UnitTypes)
	case KindIndividual:
		c.notApplicable(p+"unit_type", strings.TrimSpace(string(s.UnitType)) != "", "for an individual")
	}
	c.text(p+"name", &s.Name, true, maxName)
	allowed := CertTypesFor(s.Kind)
	if !kindOK {
		allowed = slices.Concat(UnitCertTypes, PersonCertTypes)
	}
	c.document(p+"cert_type", p+"cert_number", &s.CertType, &s.CertNumber, allowed)
	switch s.Kind {
	case KindUnit:
		c.text(p+"legal_representative", &s.LegalRepresentative, true, maxName)
	case KindIndividual:
		c.notApplicable(p+"legal_representative", strings.TrimSpace(s.LegalRepresentative) != "", "for an individual")
	}
	c.address(p+"office_address", &s.OfficeAddress, true)
	c.landline(p+"office_phone", &s.OfficePhone, false)
	c.mobile(p+"mobile", &s.Mobile, true)
	c.email(p+"email", &s.Email, true)
	c.text(p+"remarks", &s.Remarks, false, maxRemarks)
	c.responsible(p+"responsible", &s.Responsible)
}

func (c *checker) responsible(p string, r *ResponsiblePerson) {
	c.text(p+".name", &r.Name, true, maxName)
	c.document(p+".id_type", p+".id_number", &r.IDType, &r.IDNumber, PersonCertTypes)
	if isLongTerm(r.IDValidUntil) {
		r.IDValidUntil = LongTerm
	} else {
		c.date(p+".id_valid_until", &r.IDValidUntil, true, false, true)
	}
	c.address(p+".resident_address", &r.ResidentAddress, true)
	c.mobile(p+".mobile", &r.Mobile, true)
	c.landline(p+".office_phone", &r.OfficePhone, false)
	c.email(p+".email", &r.Email, true)
	c.text(p+".remarks", &r.Remarks, false, maxRemarks)
}

// ---- the site ----------------------------------------------------------
