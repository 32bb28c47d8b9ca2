// Package filing is the platform's rule book as pure Go: the hosting subject,
// its responsible person and its sites (SPEC §2–3), the validation of every
// field, which fields are key (reviewed) and non-key (applied at once), and
// the lifecycle of a filing. Nothing here does I/O; the server, the store and
// the client all call these same rules.
package filing

import (
	"fmt"
	"iter"
	"maps"
	"slices"
)

// SubjectKind says whether the hosting subject (开办主体) is a person or a unit.
type SubjectKind string

const (
	KindIndividual SubjectKind = "individual" // 自然人 (not a sole trader)
	KindUnit       SubjectKind = "unit"       // 单位
)

// UnitType is the kind of a unit subject.
type UnitType string

const (
	UnitEnterprise         UnitType = "enterprise"
	UnitGovernment         UnitType = "government"
	UnitPublicInstitution  UnitType = "public_institution" // 事业单位
	UnitSocialOrganization UnitType = "social_organization"
	UnitMilitaryAcademy    UnitType = "military_academy"
	UnitOther              UnitType = "other"
)

// CertType is the type of a subject's certificate or a person's identity document.
type CertType string

const (
	// Units.
	CertUSCC            CertType = "uscc" // 统一社会信用代码, GB 32100
	CertBusinessLicense CertType = "business_license"
	CertOrgCode         CertType = "org_code" // 组织机构代码, GB 11714
	// Individuals and people.
	CertResidentID          CertType = "resident_id" // 居民身份证, GB 11643
	CertTemporaryResidentID CertType = "temporary_resident_id"
	CertOfficerID           CertType = "officer_id"
	CertOther               CertType = "other"
)

// LongTerm is the value of an identity document valid without end date.
const LongTerm = "long_term"

// Address is a GB/T 2260 county-level area code plus the street detail
// ("to the house number").
type Address struct {
	AreaCode string `json:"area_code" yaml:"area_code"`
	Detail   string `json:"detail" yaml:"detail"`
}

// ResponsiblePerson is the subject's 负责人.
type ResponsiblePerson struct {
	Name            string   `json:"name" yaml:"name"`
	IDType          CertType `json:"id_type" yaml:"id_type"`
	IDNumber        string   `json:"id_number" yaml:"id_number"`
	IDValidUntil    string   `json:"id_valid_until" yaml:"id_valid_until"` // YYYY-MM-DD or "long_term"
	ResidentAddress Address  `json:"resident_address" yaml:"resident_address"`
	Mobile          string   `json:"mobile" yaml:"mobile"`
	OfficePhone     string   `json:"office_phone,omitempty" yaml:"office_phone,omitempty"`
	Email           string   `json:"email" yaml:"email"`
	Remarks         string   `json:"remarks,omitempty" yaml:"remarks,omitempty"`
}

// Subject is the hosting subject (开办主体). One account has exactly one.
type Subject struct {
	Kind                SubjectKind       `json:"kind" yaml:"kind"`
	UnitType            UnitType          `json:"unit_type,omitempty" yaml:"unit_type,omitempty"`
	Name                string            `json:"name" yaml:"name"`
	CertType            CertType          `json:"cert_type" yaml:"cert_type"`
	CertNumber          string            `json:"cert_number" yaml:"cert_number"`
	LegalRepresentative string            `json:"legal_representative,omitempty" yaml:"legal_representative,omitempty"`
	OfficeAddress       Address           `json:"office_address" yaml:"office_address"`
	OfficePhone         string            `json:"office_phone,omitempty" yaml:"office_phone,omitempty"`
	Mobile              string            `json:"mobile" yaml:"mobile"`
	Email               string            `json:"email" yaml:"email"`
	Remarks             string            `json:"remarks,omitempty" yaml:"remarks,omitempty"`
	Responsible         ResponsiblePerson `json:"responsible" yaml:"responsible"`
}

// Jurisdiction of a provider: inside mainland China or not.
type Jurisdiction string

const (
	Domestic Jurisdiction = "domestic"
	Overseas Jurisdiction = "overseas"
)

// AccessMethod is how the site reaches the network (网络接入方式).
type AccessMethod string

const (
	AccessSelfBuiltIDC   AccessMethod = "self_built_idc"
	AccessColocation     AccessMethod = "colocation"
	AccessVirtualHosting AccessMethod = "virtual_hosting"
	AccessCloud          AccessMethod = "cloud"
)

// AccessProvider is the site's network access service provider (网络接入服务商).
type AccessProvider struct {
	Name         string       `json:"name" yaml:"name"`
	Jurisdiction Jurisdiction `json:"jurisdiction" yaml:"jurisdiction"`
	AreaCode     string       `json:"area_code" yaml:"area_code"`
	AccessMethod AccessMethod `json:"access_method" yaml:"access_method"`
	Phone        string       `json:"phone" yaml:"phone"`
}

// Registrar is the site's domain registrar (域名注册服务商).
type Registrar struct {
	Name         string       `json:"name" yaml:"name"`
	Jurisdiction Jurisdiction `json:"jurisdiction" yaml:"jurisdiction"`
	AreaCode     string       `json:"area_code" yaml:"area_code"`
}

// ServiceType is a kind of service the site offers.
type ServiceType string

const (
	ServicePayment       ServiceType = "payment"
	ServicePortal        ServiceType = "portal" // 综合
	ServiceForum         ServiceType = "forum"
	ServicePersonal      ServiceType = "personal" // social, microblog, blog
	ServiceSearch        ServiceType = "search"
	ServiceVideo         ServiceType = "video"
	ServiceCommunication ServiceType = "communication" // IM, mail
	ServiceGame          ServiceType = "game"
	ServiceTrade         ServiceType = "trade"
)

// InteractiveService is one interactive service (FAQ item 4).
type InteractiveService string

const (
	InteractiveForum             InteractiveService = "forum"
	InteractiveCommunity         InteractiveService = "community"
	InteractivePostBar           InteractiveService = "post_bar"
	InteractiveChatRoom          InteractiveService = "chat_room"
	InteractiveMicroblog         InteractiveService = "microblog"
	InteractiveBlog              InteractiveService = "blog"
	InteractiveInstantMessaging  InteractiveService = "instant_messaging"
	InteractiveSharedStorage     InteractiveService = "shared_storage"
	InteractiveThirdPartyPayment InteractiveService = "third_party_payment"
	InteractiveAppStore          InteractiveService = "app_store"
	InteractiveOther             InteractiveService = "other"
)

// ImportantField is the Decree 33 Art. 14 classification.
type ImportantField string

const (
	FieldNone                 ImportantField = "none"
	FieldNationalAffairs      ImportantField = "national_affairs"
	FieldEconomicConstruction ImportantField = "economic_construction"
	FieldNationalDefense      ImportantField = "national_defense"
	FieldAdvancedScience      ImportantField = "advanced_science"
)

// PriorApprovalItem is a 前置审批 item.
type PriorApprovalItem string

const (
	PriorNews               PriorApprovalItem = "news"
	PriorPublishing         PriorApprovalItem = "publishing"
	PriorEducation          PriorApprovalItem = "education"
	PriorMedical            PriorApprovalItem = "medical"
	PriorDrugsDevices       PriorApprovalItem = "drugs_devices"
	PriorCulture            PriorApprovalItem = "culture"
	PriorBroadcasting       PriorApprovalItem = "broadcasting"
	PriorElectronicBulletin PriorApprovalItem = "electronic_bulletin"
)

// Language is a site language (网站语种).
type Language string

// Languages lists every accepted site language, in the platform's order.
var Languages = []Language{"zh-Hans", "zh-Hant", "en", "bo", "ug", "mn", "ko", "ja", "ru", "fr", "es", "ar", "de", "other"}

// Attachment refers to an uploaded file (an approval certificate). The
// server checks its type by content: PDF, PNG or JPEG, at most 10 MiB.
type Attachment struct {
	ID          string `json:"id" yaml:"id"`
	Name        string `json:"name,omitempty" yaml:"name,omitempty"`
	ContentType string `json:"content_type,omitempty" yaml:"content_type,omitempty"`
	Size        int64  `json:"size,omitempty" yaml:"size,omitempty"`
}

// PriorApproval is one prior-approval item with its attachment.
type PriorApproval struct {
	Item       PriorApprovalItem `json:"item" yaml:"item"`
	Attachment Attachment        `json:"attachment" yaml:"attachment"`
}

// Contact is one of the site's people. With SameAsResponsible set, the rest
// is filled in from the subject's responsible person (FAQ item 8).
type Contact struct {
	SameAsResponsible bool     `json:"same_as_responsible,omitempty" yaml:"same_as_responsible,omitempty"`
	Name              string   `json:"name,omitempty" yaml:"name,omitempty"`
	IDType            CertType `json:"id_type,omitempty" yaml:"id_type,omitempty"`
	IDNumber          string   `json:"id_number,omitempty" yaml:"id_number,omitempty"`
	Mobile            string   `json:"mobile,omitempty" yaml:"mobile,omitempty"`
	OfficePhone       string   `json:"office_phone,omitempty" yaml:"office_phone,omitempty"`
	Email             string   `json:"email,omitempty" yaml:"email,omitempty"`
}

// EmergencyContact is the site's 24-hour contact.
type EmergencyContact struct {
	Name        string `json:"name" yaml:"name"`
	Mobile      string `json:"mobile" yaml:"mobile"`
	OfficePhone string `json:"office_phone,omitempty" yaml:"office_phone,omitempty"`
	Email       string `json:"email" yaml:"email"`
}

// Site is one website filing (网站). Domains are stored normalised (A-labels);
// NormalizeSite fills DomainsUnicode (A-label → U-label, for IDNs only) so
// both forms are kept for display (SPEC §3 "Domains").
type Site struct {
	Name                 string               `json:"name" yaml:"name"`
	HasPrimaryDomain     bool                 `json:"has_primary_domain" yaml:"has_primary_domain"`
	PrimaryDomain        string               `json:"primary_domain,omitempty" yaml:"primary_domain,omitempty"`
	ExtraDomains         []string             `json:"extra_domains,omitempty" yaml:"extra_domains,omitempty"`
	DomainsUnicode       map[string]string    `json:"domains_unicode,omitempty" yaml:"domains_unicode,omitempty"`
	HomepageURL          string               `json:"homepage_url,omitempty" yaml:"homepage_url,omitempty"`
	IPAddresses          []string             `json:"ip_addresses,omitempty" yaml:"ip_addresses,omitempty"`
	LaunchDate           string               `json:"launch_date" yaml:"launch_date"` // YYYY-MM-DD
	ICPNumber            string               `json:"icp_number,omitempty" yaml:"icp_number,omitempty"`
	AccessProvider       AccessProvider       `json:"access_provider" yaml:"access_provider"`
	Registrar            Registrar            `json:"registrar" yaml:"registrar"`
	Commercial           bool                 `json:"commercial" yaml:"commercial"`
	ServiceTypes         []ServiceType        `json:"service_types,omitempty" yaml:"service_types,omitempty"`
	Interactive          bool                 `json:"interactive" yaml:"interactive"`
	InteractiveServices  []InteractiveService `json:"interactive_services,omitempty" yaml:"interactive_services,omitempty"`
	InteractiveOther     string               `json:"interactive_other,omitempty" yaml:"interactive_other,omitempty"`
	ImportantField       ImportantField       `json:"important_field" yaml:"important_field"`
	ApprovalCertificates []Attachment         `json:"approval_certificates,omitempty" yaml:"approval_certificates,omitempty"`
	PriorApprovals       []PriorApproval      `json:"prior_approvals,omitempty" yaml:"prior_approvals,omitempty"`
	Languages            []Language           `json:"languages" yaml:"languages"`
	Owner                Contact              `json:"owner" yaml:"owner"`                       // 网站负责人
	SecurityOfficer      Contact              `json:"security_officer" yaml:"security_officer"` // 信息安全负责人
	OpinionGuide         Contact              `json:"opinion_guide" yaml:"opinion_guide"`       // 舆情引导员
	EmergencyContact     EmergencyContact     `json:"emergency_contact" yaml:"emergency_contact"`
	AcceptResponsibility bool                 `json:"accept_responsibility" yaml:"accept_responsibility"`
}

// State is where a site filing stands in its lifecycle (SPEC §3).
type State string

const (
	StateDraft             State = "draft"
	StateUnderReview       State = "under_review"
	StateReturned          State = "returned" // a draft carrying the reviewer's reason
	StateRecorded          State = "recorded"
	StateChangeUnderReview State = "change_under_review"
	StateCancelUnderReview State = "cancel_under_review"
	StateCancelled         State = "cancelled"  // the wire value SPEC §3 names
	StateUnrecorded        State = "unrecorded" // pushed: an earlier filing matched by certificate
	StateToClaim           State = "to_claim"   // pushed: an earlier filing matched by domain or ICP number
)

// SubjectState is where the hosting subject stands in its review.
type SubjectState string

const (
	SubjectDraft       SubjectState = "draft"
	SubjectUnderReview SubjectState = "under_review"
	SubjectApproved    SubjectState = "approved"
	SubjectReturned    SubjectState = "returned"
)

// Clone returns a copy of s that shares no list or map with it.
func (s Site) Clone() Site {
	s.ExtraDomains = slices.Clone(s.ExtraDomains)
	s.DomainsUnicode = maps.Clone(s.DomainsUnicode)
	s.IPAddresses = slices.Clone(s.IPAddresses)
	s.ServiceTypes = slices.Clone(s.ServiceTypes)
	s.InteractiveServices = slices.Clone(s.InteractiveServices)
	s.ApprovalCertificates = slices.Clone(s.ApprovalCertificates)
	s.PriorApprovals = slices.Clone(s.PriorApprovals)
	s.Languages = slices.Clone(s.Languages)
	return s
}

// AttachmentFields yields every attachment of the site with its field path
// ("site.approval_certificates[0]", "site.prior_approvals[1].attachment"),
// as pointers into s.
func (s *Site) AttachmentFields() iter.Seq2[string, *Attachment] {
	return func(yield func(string, *Attachment) bool) {
		for i := range s.ApprovalCertificates {
			if !yield(fmt.Sprintf("site.approval_certificates[%d]", i), &s.ApprovalCertificates[i]) {
				return
			}
		}
		for i := range s.PriorApprovals {
			if !yield(fmt.Sprintf("site.prior_approvals[%d].attachment", i), &s.PriorApprovals[i].Attachment) {
				return
			}
		}
	}
}

// AllAttachments lists every attachment of the site, as pointers into s.
func (s *Site) AllAttachments() []*Attachment {
	var out []*Attachment
	for _, a := range s.AttachmentFields() {
		out = append(out, a)
	}
	return out
}
