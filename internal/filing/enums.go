package filing

// The lists below are every value each enum accepts, in the order a form
// shows them. Validation, the client's choice lists and the API schema all
// read them, so a value added here is added everywhere.

// SubjectKinds lists the kinds of hosting subject.
var SubjectKinds = []SubjectKind{KindUnit, KindIndividual}

// UnitTypes lists the types of unit subject.
var UnitTypes = []UnitType{
	UnitEnterprise, UnitGovernment, UnitPublicInstitution, UnitSocialOrganization, UnitMilitaryAcademy, UnitOther,
}

// UnitCertTypes are the certificates a unit subject may file with.
var UnitCertTypes = []CertType{CertUSCC, CertBusinessLicense, CertOrgCode, CertOther}

// PersonCertTypes are the identity documents of an individual subject, its
// responsible person and the site's people. "other" covers passports and
// the permits of residents of Hong Kong, Macao and Taiwan.
var PersonCertTypes = []CertType{CertResidentID, CertTemporaryResidentID, CertOfficerID, CertOther}

// CertTypesFor returns the certificate types allowed for a subject of kind k.
func CertTypesFor(k SubjectKind) []CertType {
	switch k {
	case KindUnit:
		return UnitCertTypes
	case KindIndividual:
		return PersonCertTypes
	}
	return nil
}

// Jurisdictions lists where a provider may be.
var Jurisdictions = []Jurisdiction{Domestic, Overseas}

// AccessMethods lists how a site reaches the network.
var AccessMethods = []AccessMethod{AccessSelfBuiltIDC, AccessColocation, AccessVirtualHosting, AccessCloud}

// ServiceTypes lists the kinds of service a site may offer.
var ServiceTypes = []ServiceType{
	ServicePayment, ServicePortal, ServiceForum, ServicePersonal, ServiceSearch,
	ServiceVideo, ServiceCommunication, ServiceGame, ServiceTrade,
}

// InteractiveServices lists the interactive services of FAQ item 4.
var InteractiveServices = []InteractiveService{
	InteractiveForum, InteractiveCommunity, InteractivePostBar, InteractiveChatRoom, InteractiveMicroblog,
	InteractiveBlog, InteractiveInstantMessaging, InteractiveSharedStorage, InteractiveThirdPartyPayment,
	InteractiveAppStore, InteractiveOther,
}

// ImportantFields lists the Decree 33 Art. 14 classifications.
var ImportantFields = []ImportantField{
	FieldNone, FieldNationalAffairs, FieldEconomicConstruction, FieldNationalDefense, FieldAdvancedScience,
}

// PriorApprovalItems lists the prior-approval (前置审批) items.
var PriorApprovalItems = []PriorApprovalItem{
	PriorNews, PriorPublishing, PriorEducation, PriorMedical, PriorDrugsDevices,
	PriorCulture, PriorBroadcasting, PriorElectronicBulletin,
}

// AttachmentTypes are the content types an approval certificate may have.
// The server decides the type by sniffing the content; this list is what
// it may conclude.
var AttachmentTypes = []string{"application/pdf", "image/png", "image/jpeg"}

// MaxAttachmentSize is the largest attachment accepted: 10 MiB.
const MaxAttachmentSize = 10 << 20
