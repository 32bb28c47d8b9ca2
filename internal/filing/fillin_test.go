package filing_test

import (
	"testing"

	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
)

func TestFillFromResponsible(t *testing.T) {
	r := filingtest.Responsible()
	s := filingtest.Site("example.com.cn")
	// The owner is "same as", but holds stale copies of an earlier responsible person.
	s.Owner = filing.Contact{SameAsResponsible: true, Name: "旧负责人", Mobile: "13000000000"}
	s.OpinionGuide = filing.Contact{SameAsResponsible: true}
	given := s.SecurityOfficer

	s.FillFromResponsible(r)

	want := filing.Contact{
		SameAsResponsible: true,
		Name:              "张示例",
		IDType:            filing.CertResidentID,
		IDNumber:          filingtest.ResponsibleID,
		Mobile:            "13900139000",
		OfficePhone:       "027-87654322",
		Email:             "zhang@example.com",
	}
	if s.Owner != want {
		t.Errorf("owner = %+v; want %+v", s.Owner, want)
	}
	if s.OpinionGuide != want {
		t.Errorf("opinion guide = %+v; want %+v", s.OpinionGuide, want)
	}
	if s.SecurityOfficer != given {
		t.Errorf("a person given in full was changed: %+v; want %+v", s.SecurityOfficer, given)
	}

	// A responsible person without an office phone clears the stale one.
	r.OfficePhone = ""
	s.FillFromResponsible(r)
	if s.Owner.OfficePhone != "" {
		t.Errorf("owner office phone = %q; want it cleared", s.Owner.OfficePhone)
	}
}
