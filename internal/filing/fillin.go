package filing

// FillFromResponsible copies the subject's responsible person into every
// site person marked "same as the subject's responsible person" (FAQ item 8):
// name, identity document, mobile, office phone and email. The server calls
// it whenever it stores a site, so a later change of the responsible person
// is copied again rather than left stale; people given in full are untouched.
func (s *Site) FillFromResponsible(p ResponsiblePerson) {
	for _, c := range s.People() {
		if !c.SameAsResponsible {
			continue
		}
		c.Name = p.Name
		c.IDType = p.IDType
		c.IDNumber = p.IDNumber
		c.Mobile = p.Mobile
		c.OfficePhone = p.OfficePhone
		c.Email = p.Email
	}
}

// People returns the site's three people (owner, information-security
// officer, public-opinion guide) for updating in place.
func (s *Site) People() []*Contact {
	return []*Contact{&s.Owner, &s.SecurityOfficer, &s.OpinionGuide}
}
