// The site's rules: domains, IP addresses, jurisdiction, services, attachments, languages, contacts.

package filing

import (
	"fmt"
	"slices"
	"strings"

	"github.com/beian-dev/beian/internal/domainname"
	"github.com/beian-dev/beian/internal/ident"
)

func (c *checker) site(s *Site) {
	const p = "site."
	*s = s.Clone() // normalising writes into lists, which the caller's copy shares
	c.text(p+"name", &s.Name, true, maxName)
	c.domains(s)
	c.ipAddresses(p+"ip_addresses", s.IPAddresses)
	c.date(p+"launch_date", &s.LaunchDate, true, true, false)
	c.norm(p+"icp_number", &s.ICPNumber, false, normalizeICP)

	ap := &s.AccessProvider
	c.text(p+"access_provider.name", &ap.Name, true, maxName)
	c.jurisdiction(p+"access_provider", &ap.Jurisdiction, &ap.AreaCode, true)
	enum(c, p+"access_provider.access_method", &ap.AccessMethod, true, AccessMethods)
	c.norm(p+"access_provider.phone", &ap.Phone, true, providerPhone)

	// A site without a domain of its own (IP only, or a subdomain of
	// someone else's) has no registrar of its own to name.
	rg := &s.Registrar
	c.text(p+"registrar.name", &rg.Name, s.HasPrimaryDomain, maxName)
	c.jurisdiction(p+"registrar", &rg.Jurisdiction, &rg.AreaCode, s.HasPrimaryDomain)

	enumList(c, p+"service_types", s.ServiceTypes, ServiceTypes)
	c.interactive(s)
	c.importantField(s)

	for i := range s.PriorApprovals {
		f := fmt.Sprintf("%sprior_approvals[%d]", p, i)
		pa := &s.PriorApprovals[i]
		if enum(c, f+".item", &pa.Item, true, PriorApprovalItems) &&
			slices.ContainsFunc(s.PriorApprovals[:i], func(o PriorApproval) bool { return o.Item == pa.Item }) {
			c.add(f+".item", CodeValueDuplicate, "%q is listed twice", pa.Item)
		}
		c.attachment(f+".attachment", &pa.Attachment)
	}

	c.languages(p+"languages", s.Languages)
	c.contact(p+"owner", &s.Owner)
	c.contact(p+"security_officer", &s.SecurityOfficer)
	c.contact(p+"opinion_guide", &s.OpinionGuide)

	ec := &s.EmergencyContact
	c.text(p+"emergency_contact.name", &ec.Name, true, maxName)
	c.mobile(p+"emergency_contact.mobile", &ec.Mobile, true)
	c.landline(p+"emergency_contact.office_phone", &ec.OfficePhone, false)
	c.email(p+"emergency_contact.email", &ec.Email, true)

	if c.submit && !s.AcceptResponsibility {
		c.add(p+"accept_responsibility", CodeRequiredMissing, "the security responsibility notice must be accepted to submit")
	}
}

func normalizeICP(s string) (string, error) {
	n, err := ident.ParseICP(s)
	if err != nil {
		return "", err
	}
	return n.String(), nil
}

// domains checks the primary domain, the other domains and the homepage,
// stores them normalised and rebuilds DomainsUnicode from them.
func (c *checker) domains(s *Site) {
	const p = "site."
	s.DomainsUnicode = nil
	if !s.HasPrimaryDomain {
		c.notApplicable(p+"primary_domain", strings.TrimSpace(s.PrimaryDomain) != "", "without a first-level domain (give homepage_url)")
		c.notApplicable(p+"extra_domains", len(s.ExtraDomains) > 0, "without a first-level domain")
		c.norm(p+"homepage_url", &s.HomepageURL, true, domainname.NormalizeHomepage)
		return
	}
	c.notApplicable(p+"homepage_url", strings.TrimSpace(s.HomepageURL) != "", "when the site has a first-level domain")

	var seen []string // A-labels so far: 中国移动.中国 and its xn-- form are one domain
	keep := func(n domainname.Name) {
		seen = append(seen, n.ASCII)
		if n.IsIDN() {
			if s.DomainsUnicode == nil {
				s.DomainsUnicode = map[string]string{}
			}
			s.DomainsUnicode[n.ASCII] = n.Unicode
		}
	}
	if c.present(p+"primary_domain", &s.PrimaryDomain, true) {
		if n, err := domainname.Normalize(s.PrimaryDomain); err != nil {
			c.addErr(p+"primary_domain", err)
		} else {
			s.PrimaryDomain = n.ASCII
			keep(n)
			if !domainname.IsFirstLevel(n) {
				c.notFirstLevel(p+"primary_domain", n)
			}
		}
	}
	for i := range s.ExtraDomains {
		f := fmt.Sprintf("%sextra_domains[%d]", p, i)
		n, err := domainname.Normalize(s.ExtraDomains[i])
		if err != nil {
			c.addErr(f, err)
			continue
		}
		s.ExtraDomains[i] = n.ASCII
		if slices.Contains(seen, n.ASCII) {
			c.add(f, CodeDomainDuplicate, "%s is already listed for this site", n.Unicode)
			continue
		}
		keep(n)
	}
}

func (c *checker) notFirstLevel(field string, n domainname.Name) {
	r, err := domainname.Registrable(n)
	if err != nil {
		c.addErr(field, err) // a public suffix, or an unknown top-level domain
		return
	}
	c.add(field, CodeDomainNotFirstLevel, "%s is below the first-level domain %s: give %s, or file without a first-level domain and give the homepage URL", n.Unicode, r, r)
}

func (c *checker) ipAddresses(field string, ips []string) {
	if len(ips) == 0 {
		if c.submit {
			c.add(field, CodeRequiredMissing, "at least one IP address or block is required")
		}
		return
	}
	for i := range ips {
		f := fmt.Sprintf("%s[%d]", field, i)
		pfx, err := domainname.ParseIPOrPrefix(ips[i])
		if err != nil {
			c.addErr(f, err)
			continue
		}
		if pfx.IsSingleIP() {
			ips[i] = pfx.Addr().String()
		} else {
			ips[i] = pfx.String()
		}
		if !c.allowNonPublicIP {
			if err := domainname.CheckPublic(pfx); err != nil {
				c.addErr(f, err)
				continue
			}
		}
		if slices.Contains(ips[:i], ips[i]) {
			c.add(f, CodeValueDuplicate, "%s is listed twice", ips[i])
		}
	}
}

// jurisdiction checks a provider's jurisdiction and area: a domestic
// provider names its current county, an overseas one has no area code.
func (c *checker) jurisdiction(p string, j *Jurisdiction, areaCode *string, required bool) {
	enum(c, p+".jurisdiction", j, required, Jurisdictions)
	switch *j {
	case Domestic:
		c.areaCode(p+".area_code", areaCode, required)
	case Overseas:
		c.notApplicable(p+".area_code", strings.TrimSpace(*areaCode) != "", "for an overseas provider")
	default:
		c.areaCode(p+".area_code", areaCode, false) // still well-formed if given
	}
}

func (c *checker) interactive(s *Site) {
	const p = "site."
	if !s.Interactive {
		c.notApplicable(p+"interactive_services", len(s.InteractiveServices) > 0, "when the site is not interactive")
		c.notApplicable(p+"interactive_other", strings.TrimSpace(s.InteractiveOther) != "", "when the site is not interactive")
		return
	}
	if len(s.InteractiveServices) == 0 && c.submit {
		c.add(p+"interactive_services", CodeRequiredMissing, "an interactive site names at least one interactive service")
	}
	enumList(c, p+"interactive_services", s.InteractiveServices, InteractiveServices)
	if slices.Contains(s.InteractiveServices, InteractiveOther) {
		c.text(p+"interactive_other", &s.InteractiveOther, true, maxName)
	} else {
		c.notApplicable(p+"interactive_other", strings.TrimSpace(s.InteractiveOther) != "", "unless \"other\" is among the interactive services")
	}
}

func (c *checker) importantField(s *Site) {
	const p = "site."
	enum(c, p+"important_field", &s.ImportantField, true, ImportantFields)
	switch {
	case s.ImportantField == FieldNone:
		c.notApplicable(p+"approval_certificates", len(s.ApprovalCertificates) > 0, "when the site is in no important field")
	case s.ImportantField != "" && len(s.ApprovalCertificates) == 0 && c.submit:
		// Decree 33 Art. 14: the supervising department's approval.
		c.add(p+"approval_certificates", CodeAttachmentRequired, "a site in an important field (%s) must attach the approval certificate of its supervising department", s.ImportantField)
	}
	for i := range s.ApprovalCertificates {
		c.attachment(fmt.Sprintf("%sapproval_certificates[%d]", p, i), &s.ApprovalCertificates[i])
	}
}

// attachment checks what the client may say about an uploaded file; the
// server decides the real type from the content.
func (c *checker) attachment(field string, a *Attachment) {
	a.ID = strings.TrimSpace(a.ID)
	if a.ID == "" {
		c.add(field, CodeAttachmentRequired, "the file is missing: upload it and give its id")
	}
	if a.ContentType != "" && !slices.Contains(AttachmentTypes, a.ContentType) {
		c.add(field+".content_type", CodeAttachmentType, "%q is not PDF, PNG or JPEG", a.ContentType)
	}
	if a.Size > MaxAttachmentSize {
		c.add(field+".size", CodeAttachmentTooLarge, "%d bytes is over the 10 MiB limit", a.Size)
	} else if a.Size < 0 {
		c.add(field+".size", CodeInvalid, "size cannot be negative")
	}
	c.text(field+".name", &a.Name, false, maxDetail)
}

// languages checks the site's languages; tags are case-insensitive
// (BCP 47), so "zh-hans" is stored as "zh-Hans".
func (c *checker) languages(field string, ls []Language) {
	if len(ls) == 0 && c.submit {
		c.add(field, CodeRequiredMissing, "at least one language is required")
	}
	for i := range ls {
		l := strings.TrimSpace(string(ls[i]))
		if j := slices.IndexFunc(Languages, func(k Language) bool { return strings.EqualFold(string(k), l) }); j >= 0 {
			l = string(Languages[j])
		}
		ls[i] = Language(l)
	}
	enumList(c, field, ls, Languages)
}

// contact checks one of the site's people. One marked "same as the
// responsible person" is filled in from the subject by the server
// (FillFromResponsible), so there is nothing of its own to check.
func (c *checker) contact(p string, ct *Contact) {
	if ct.SameAsResponsible {
		return
	}
	c.text(p+".name", &ct.Name, true, maxName)
	c.document(p+".id_type", p+".id_number", &ct.IDType, &ct.IDNumber, PersonCertTypes)
	c.mobile(p+".mobile", &ct.Mobile, true)
	c.landline(p+".office_phone", &ct.OfficePhone, false)
	c.email(p+".email", &ct.Email, true)
}
