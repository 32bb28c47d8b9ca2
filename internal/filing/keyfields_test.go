package filing_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
)

// The non-key fields exactly as SPEC §3 "Amendments" (FAQ item 9) lists them,
// written out here independently of filing.NonKeyFields.
var specNonKey = []string{
	// "responsible person's resident address (area and detail), office phone, mobile, remarks"
	"subject.responsible.resident_address.area_code",
	"subject.responsible.resident_address.detail",
	"subject.responsible.office_phone",
	"subject.responsible.mobile",
	"subject.responsible.remarks",
	// "the subject's office address detail, office phone, mobile, email, remarks"
	"subject.office_address.detail",
	"subject.office_phone",
	"subject.mobile",
	"subject.email",
	"subject.remarks",
	// "MIIT ICP number, IP segment group, access provider, domain registrar, languages,
	// emergency contact's phones and email"
	"site.icp_number",
	"site.ip_addresses",
	"site.access_provider.name",
	"site.access_provider.jurisdiction",
	"site.access_provider.area_code",
	"site.access_provider.access_method",
	"site.access_provider.phone",
	"site.registrar.name",
	"site.registrar.jurisdiction",
	"site.registrar.area_code",
	"site.languages",
	"site.emergency_contact.mobile",
	"site.emergency_contact.office_phone",
	"site.emergency_contact.email",
}

// leafPaths lists every field path Diff can report, from the struct types.
func leafPaths(prefix string, t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		if f.Type.Kind() == reflect.Struct {
			out = append(out, leafPaths(prefix+"."+name, f.Type)...)
		} else {
			out = append(out, prefix+"."+name)
		}
	}
	return out
}

func allLeafPaths() []string {
	return append(leafPaths("subject", reflect.TypeFor[filing.Subject]()), leafPaths("site", reflect.TypeFor[filing.Site]())...)
}

func TestNonKeyTableIsExactlySpec(t *testing.T) {
	var gotNonKey []string
	for _, p := range allLeafPaths() {
		if !filing.IsKeyField(p) {
			gotNonKey = append(gotNonKey, p)
		}
	}
	want := slices.Sorted(slices.Values(specNonKey))
	slices.Sort(gotNonKey)
	if !slices.Equal(gotNonKey, want) {
		t.Errorf("non-key leaf fields:\n got %q\nwant %q", gotNonKey, want)
	}
	// Every table entry must name a real field, so a renamed JSON tag cannot
	// quietly turn a non-key field into a key one.
	for _, p := range filing.NonKeyFields {
		if !slices.ContainsFunc(allLeafPaths(), p.Covers) {
			t.Errorf("NonKeyFields entry %q matches no field of the model", p)
		}
	}
}

func TestEveryModelFieldHasAJSONName(t *testing.T) {
	var check func(reflect.Type)
	check = func(t2 reflect.Type) {
		for i := range t2.NumField() {
			f := t2.Field(i)
			if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name == "" {
				t.Errorf("%s.%s has no JSON name: its field path would be the Go name", t2.Name(), f.Name)
			}
			ft := f.Type
			for ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				check(ft)
			}
		}
	}
	check(reflect.TypeFor[filing.Subject]())
	check(reflect.TypeFor[filing.Site]())
}

func TestFieldPathCovers(t *testing.T) {
	tests := []struct {
		p     filing.FieldPath
		field string
		want  bool
	}{
		{"site.ip_addresses", "site.ip_addresses", true},
		{"site.ip_addresses", "site.ip_addresses[3]", true},
		{"site.access_provider", "site.access_provider.phone", true},
		{"site.access_provider", "site.access_provider_extra", false},
		{"subject.mobile", "subject.mobile_backup", false},
		{"subject.mobile", "subject.responsible.mobile", false},
	}
	for _, tt := range tests {
		if got := tt.p.Covers(tt.field); got != tt.want {
			t.Errorf("%q.Covers(%q) = %v; want %v", tt.p, tt.field, got, tt.want)
		}
	}
}

func TestDiffSite(t *testing.T) {
	old := filingtest.Site("example.com.cn")
	tests := []struct {
		name   string
		change func(*filing.Site)
		want   []filing.Change
	}{
		{"nothing", func(*filing.Site) {}, nil},
		{"a new ICP number is non-key", func(s *filing.Site) { s.ICPNumber = "鄂ICP备2024012345号-2" },
			[]filing.Change{{Field: "site.icp_number", Old: "鄂ICP备2024012345号-1", New: "鄂ICP备2024012345号-2"}}},
		{"moving to another cloud is non-key", func(s *filing.Site) {
			s.AccessProvider.Name = "另一家云服务有限公司"
			s.AccessProvider.AccessMethod = filing.AccessColocation
			s.IPAddresses = []string{"198.51.100.7"}
		}, []filing.Change{
			{Field: "site.ip_addresses", Old: `["223.5.5.5","2400:3200::1"]`, New: `["198.51.100.7"]`},
			{Field: "site.access_provider.name", Old: "示例云计算有限公司", New: "另一家云服务有限公司"},
			{Field: "site.access_provider.access_method", Old: "cloud", New: "colocation"},
		}},
		{"emergency phone is non-key but its name is key", func(s *filing.Site) {
			s.EmergencyContact.Name = "周应急"
			s.EmergencyContact.Mobile = "13300133001"
		}, []filing.Change{
			{Field: "site.emergency_contact.name", Old: "孙应急", New: "周应急", Key: true},
			{Field: "site.emergency_contact.mobile", Old: "13300133000", New: "13300133001"},
		}},
		{"an extra domain is key, the list changes as a whole", func(s *filing.Site) { s.ExtraDomains = []string{"example.net"} },
			[]filing.Change{{Field: "site.extra_domains", Old: "", New: `["example.net"]`, Key: true}}},
		{"the owner's mobile is key (only the emergency contact's is not)", func(s *filing.Site) {
			s.Owner.SameAsResponsible = false
			s.Owner.Mobile = "13900139001"
		}, []filing.Change{
			{Field: "site.owner.same_as_responsible", Old: "true", New: "false", Key: true},
			{Field: "site.owner.mobile", Old: "13900139000", New: "13900139001", Key: true},
		}},
		{"an attachment added is key", func(s *filing.Site) {
			s.PriorApprovals = []filing.PriorApproval{{Item: filing.PriorNews, Attachment: filing.Attachment{ID: "a1", Size: 10}}}
		}, []filing.Change{{Field: "site.prior_approvals", New: `[{"item":"news","attachment":{"id":"a1","size":10}}]`, Key: true}}},
		{"empty and nil lists are the same", func(s *filing.Site) { s.ExtraDomains = []string{} }, nil},
		{"html in values is kept readable", func(s *filing.Site) { s.Languages = []filing.Language{"zh-Hans", "<en>"} },
			[]filing.Change{{Field: "site.languages", Old: `["zh-Hans","en"]`, New: `["zh-Hans","<en>"]`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			after := old
			after.IPAddresses = slices.Clone(old.IPAddresses)
			after.Languages = slices.Clone(old.Languages)
			tt.change(&after)
			got := filing.Diff(old, after)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Diff:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDiffSubjectAndClassify(t *testing.T) {
	old := filingtest.Subject()
	after := old
	after.Email = "it@example.com"                        // non-key
	after.OfficeAddress.AreaCode = "420102"               // key: it decides the reviewing office
	after.OfficeAddress.Detail = "解放大道1号"                 // non-key
	after.Responsible.ResidentAddress.AreaCode = "420106" // non-key
	after.Responsible.Email = "zhang2@example.com"        // key: not in the FAQ's list
	after.Name = "武汉示例信息技术有限公司"                           // key
	got := filing.DiffSubject(old, after)
	wantFields := []string{
		"subject.name",
		"subject.office_address.area_code",
		"subject.office_address.detail",
		"subject.email",
		"subject.responsible.resident_address.area_code",
		"subject.responsible.email",
	}
	var fields []string
	for _, c := range got {
		fields = append(fields, c.Field)
	}
	if !slices.Equal(fields, wantFields) {
		t.Fatalf("DiffSubject fields = %q; want %q", fields, wantFields)
	}
	nonKey, key := filing.Classify(got)
	names := func(cs []filing.Change) (out []string) {
		for _, c := range cs {
			out = append(out, c.Field)
		}
		return out
	}
	if want := []string{"subject.office_address.detail", "subject.email", "subject.responsible.resident_address.area_code"}; !slices.Equal(names(nonKey), want) {
		t.Errorf("non-key = %q; want %q", names(nonKey), want)
	}
	if want := []string{"subject.name", "subject.office_address.area_code", "subject.responsible.email"}; !slices.Equal(names(key), want) {
		t.Errorf("key = %q; want %q", names(key), want)
	}
	if got[0].Old != "武汉示例网络科技有限公司" || got[0].New != "武汉示例信息技术有限公司" {
		t.Errorf("name change = %+v", got[0])
	}
}

func TestWithNonKey(t *testing.T) {
	old := filingtest.Site("example.com.cn")
	after := old
	after.Name = "新名字"                               // key: stays old
	after.PrimaryDomain = "example.cn"               // key
	after.Registrar.Name = "新注册商"                    // non-key: applied
	after.Languages = []filing.Language{"zh-Hans"}   // non-key
	after.EmergencyContact.Email = "noc@example.com" // non-key
	after.EmergencyContact.Name = "新联系人"             // key
	got := filing.WithNonKey(old, after)

	want := old
	want.Registrar.Name = "新注册商"
	want.Languages = []filing.Language{"zh-Hans"}
	want.EmergencyContact.Email = "noc@example.com"
	if !reflect.DeepEqual(got, want) {
		t.Errorf("WithNonKey:\n got %+v\nwant %+v", got, want)
	}
	// What is left after applying the non-key part is exactly the key part.
	_, key := filing.Classify(filing.Diff(old, after))
	if rest := filing.Diff(got, after); !reflect.DeepEqual(rest, key) {
		t.Errorf("after WithNonKey the remaining diff = %+v; want the key changes %+v", rest, key)
	}

	so, sn := filingtest.Subject(), filingtest.Subject()
	sn.Mobile, sn.CertNumber = "13800138001", "91420111MA4K00029L"
	sg := filing.SubjectWithNonKey(so, sn)
	if sg.Mobile != "13800138001" || sg.CertNumber != so.CertNumber {
		t.Errorf("SubjectWithNonKey = mobile %q cert %q; want the new mobile and the old certificate", sg.Mobile, sg.CertNumber)
	}
}
