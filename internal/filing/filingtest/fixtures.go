// Package filingtest holds complete, valid filing examples for tests of the
// rules, the server and the client. Every identity number here is synthetic
// and its check character is worked out below; none belongs to a real person.
package filingtest

import "github.com/beian-dev/beian/internal/filing"

// Synthetic identifiers, each with a valid check character.
const (
	// UnitUSCC is a unified social credit code for a company in Hongshan
	// District, Wuhan: 9 (registered by market regulation) 1 (enterprise)
	// 420111 (area) MA4K00010 (organization code) P (check).
	//
	// Organization code MA4K0001 + check, GB 11714, weights 3 7 9 10 5 8 4 2,
	// letters A=10 … Z=35: M22×3 + A10×7 + 4×9 + K20×10 + 0 + 0 + 0 + 1×2
	// = 66+70+36+200+2 = 374 = 34×11, so 11−0 = 11 → check "0".
	//
	// GB 32100 over "91420111MA4K00010" with the 31-character alphabet
	// 0-9 A-H J-N P-R T U W-Y (M=21, A=10, K=19) and weights
	// 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28:
	// 9 + 3 + 36 + 54 + 0 + 26 + 16 + 17 + 420 + 290 + 100 + 247 + 0 + 0 + 0 + 30 + 0
	// = 1248; 1248 mod 31 = 8; 31−8 = 23 → "P".
	UnitUSCC = "91420111MA4K00010P"

	// ResponsibleID: 420111 (Hongshan, Wuhan) 19900307 (born 7 March 1990)
	// 123 (odd: male) + check. GB 11643 MOD 11-2, weights
	// 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over 42011119900307123:
	// 28+18+0+5+8+4+2+9+54+0+0+27+0+35+8+8+6 = 212; 212 mod 11 = 3 → "9"
	// (the table 1 0 X 9 8 7 6 5 4 3 2).
	ResponsibleID = "420111199003071239"

	// IndividualID: 420102 (Jiang'an, Wuhan) 19851122 234 + check:
	// 28+18+0+5+0+8+2+9+48+15+7+9+20+10+16+12+8 = 215; 215 mod 11 = 6 → "6".
	IndividualID = "420102198511222346"

	// OfficerID: 420111 19920615 456 + check:
	// 28+18+0+5+8+4+2+9+54+6+0+54+10+25+32+20+12 = 287; 287 mod 11 = 1 → "0".
	OfficerID = "420111199206154560"
)

// Subject is a complete, valid unit subject: a company in Hongshan District,
// Wuhan (area code 420111), whose record numbers therefore start 420111.
func Subject() filing.Subject {
	return filing.Subject{
		Kind:                filing.KindUnit,
		UnitType:            filing.UnitEnterprise,
		Name:                "武汉示例网络科技有限公司",
		CertType:            filing.CertUSCC,
		CertNumber:          UnitUSCC,
		LegalRepresentative: "王示例",
		OfficeAddress:       filing.Address{AreaCode: "420111", Detail: "珞喻路1号示例大厦8层801室"},
		OfficePhone:         "027-87654321",
		Mobile:              "13800138000",
		Email:               "beian@example.com",
		Responsible:         Responsible(),
	}
}

// Responsible is the unit subject's responsible person (负责人).
func Responsible() filing.ResponsiblePerson {
	return filing.ResponsiblePerson{
		Name:            "张示例",
		IDType:          filing.CertResidentID,
		IDNumber:        ResponsibleID,
		IDValidUntil:    "2036-03-07",
		ResidentAddress: filing.Address{AreaCode: "420111", Detail: "珞喻路2号3栋2单元501室"},
		Mobile:          "13900139000",
		OfficePhone:     "027-87654322",
		Email:           "zhang@example.com",
	}
}

// IndividualSubject is a complete, valid individual subject (自然人) living
// in Jiang'an District, Wuhan (420102).
func IndividualSubject() filing.Subject {
	return filing.Subject{
		Kind:          filing.KindIndividual,
		Name:          "李示例",
		CertType:      filing.CertResidentID,
		CertNumber:    IndividualID,
		OfficeAddress: filing.Address{AreaCode: "420102", Detail: "解放大道1000号5栋1201室"},
		Mobile:        "13700137000",
		Email:         "li@example.net",
		Responsible: filing.ResponsiblePerson{
			Name:            "李示例",
			IDType:          filing.CertResidentID,
			IDNumber:        IndividualID,
			IDValidUntil:    filing.LongTerm,
			ResidentAddress: filing.Address{AreaCode: "420102", Detail: "解放大道1000号5栋1201室"},
			Mobile:          "13700137000",
			Email:           "li@example.net",
		},
	}
}

// Site is a complete, valid site filing with domain as its primary
// (first-level) domain, ready to submit. The owner is the subject's
// responsible person, already filled in as the server would (FAQ item 8);
// the other people are given in full. Pass distinct domains to tests that
// share a store: a live domain belongs to one site only.
func Site(domain string) filing.Site {
	r := Responsible()
	return filing.Site{
		Name:             "示例科技官网",
		HasPrimaryDomain: true,
		PrimaryDomain:    domain,
		// Public resolver addresses of a Hangzhou cloud, matching the access
		// provider below: validation refuses documentation and private ranges.
		IPAddresses: []string{"223.5.5.5", "2400:3200::1"},
		LaunchDate:  "2024-03-01",
		ICPNumber:   "鄂ICP备2024012345号-1",
		AccessProvider: filing.AccessProvider{
			Name:         "示例云计算有限公司",
			Jurisdiction: filing.Domestic,
			AreaCode:     "330106",
			AccessMethod: filing.AccessCloud,
			Phone:        "0571-86543210",
		},
		Registrar: filing.Registrar{
			Name:         "示例域名注册服务有限公司",
			Jurisdiction: filing.Domestic,
			AreaCode:     "110108",
		},
		Commercial:     true,
		ServiceTypes:   []filing.ServiceType{filing.ServicePortal},
		Interactive:    false,
		ImportantField: filing.FieldNone,
		Languages:      []filing.Language{"zh-Hans", "en"},
		Owner: filing.Contact{
			SameAsResponsible: true,
			Name:              r.Name,
			IDType:            r.IDType,
			IDNumber:          r.IDNumber,
			Mobile:            r.Mobile,
			OfficePhone:       r.OfficePhone,
			Email:             r.Email,
		},
		SecurityOfficer: filing.Contact{
			Name:     "赵安全",
			IDType:   filing.CertResidentID,
			IDNumber: OfficerID,
			Mobile:   "13600136000",
			Email:    "security@example.com",
		},
		OpinionGuide: filing.Contact{
			Name:        "钱引导",
			IDType:      filing.CertOther,
			IDNumber:    "E12345678",
			Mobile:      "13500135000",
			OfficePhone: "027-87654323",
			Email:       "guide@example.com",
		},
		EmergencyContact: filing.EmergencyContact{
			Name:        "孙应急",
			Mobile:      "13300133000",
			OfficePhone: "027-87654324",
			Email:       "oncall@example.com",
		},
		AcceptResponsibility: true,
	}
}

// InteractiveSite is Site with interactive services, an important field
// with its approval certificate and a prior approval: every optional branch
// of the form taken.
func InteractiveSite(domain string) filing.Site {
	s := Site(domain)
	s.ExtraDomains = []string{"www." + domain}
	s.ServiceTypes = []filing.ServiceType{filing.ServiceForum, filing.ServiceCommunication}
	s.Interactive = true
	s.InteractiveServices = []filing.InteractiveService{filing.InteractiveForum, filing.InteractiveOther}
	s.InteractiveOther = "在线问答"
	s.ImportantField = filing.FieldAdvancedScience
	s.ApprovalCertificates = []filing.Attachment{{ID: "att-approval-1", Name: "批准文件.pdf", ContentType: "application/pdf", Size: 482133}}
	s.PriorApprovals = []filing.PriorApproval{{Item: filing.PriorEducation, Attachment: filing.Attachment{ID: "att-prior-1", Name: "教育前置审批.png", ContentType: "image/png", Size: 120044}}}
	return s
}

// NoPrimaryDomainSite is a complete site without a first-level domain of
// its own (FAQ item 2): on a second-level domain, or reached by IP address
// only, so it gives its homepage URL and names no registrar.
func NoPrimaryDomainSite(homepage string) filing.Site {
	s := Site("")
	s.HasPrimaryDomain = false
	s.HomepageURL = homepage
	s.Registrar = filing.Registrar{}
	return s
}
