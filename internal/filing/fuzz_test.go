package filing_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
)

// fieldCodes drops messages, which quote the input and so differ between a
// raw value and its trimmed form.
func fieldCodes(errs filing.Errors) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Field+" "+e.Code)
	}
	return out
}

// FuzzNormalizeSite checks that normalising a site never panics, is
// idempotent, and that a normalised site has the same faults as the original.
func FuzzNormalizeSite(f *testing.F) {
	f.Add(true, "中国移动.中国", "WWW.例子.公司.", "2400:3200:0::1", "ZH-hans", "鄂icp备17001107号-1", "")
	f.Add(true, "www.example.com.cn", "example.com.cn", "192.0.2.10/24", "xx", "粤ICP备2020124673号", "")
	f.Add(false, "", "", "::ffff:223.5.5.5", " en ", "", "Blog.Example.NET:80/~me#top")
	f.Add(false, "a..b", "-x.com", "fe80::1%eth0", "", "京ICP证030173号", "[2001:db8::1]:8080")
	f.Fuzz(func(t *testing.T, hasPrimary bool, primary, extra, ip, lang, icp, homepage string) {
		s := filingtest.InteractiveSite("example.com.cn")
		s.HasPrimaryDomain = hasPrimary
		s.PrimaryDomain = primary
		s.ExtraDomains = []string{extra, primary}
		s.IPAddresses = []string{ip, "223.5.5.5"}
		s.Languages = []filing.Language{filing.Language(lang), "en"}
		s.ICPNumber = icp
		s.HomepageURL = homepage
		once, errs1 := filing.NormalizeSite(s)
		twice, errs2 := filing.NormalizeSite(once)
		if !reflect.DeepEqual(once, twice) {
			t.Errorf("not idempotent:\n once  %+v\n twice %+v", once, twice)
		}
		if a, b := fieldCodes(errs1), fieldCodes(errs2); !slices.Equal(a, b) {
			t.Errorf("faults changed on normalising again:\n once  %q\n twice %q", a, b)
		}
		_ = s.Validate(filing.SiteOptions{ForSubmit: true, Today: today})
	})
}

// FuzzNormalizeSubject is FuzzNormalizeSite for the subject.
func FuzzNormalizeSubject(f *testing.F) {
	f.Add("uscc", "91420111ma4k00010p", "+86 138-0013-8000", "(027)87654321", "Beian@EXAMPLE.com", "420111", "long_TERM")
	f.Add("org_code", "MA4K0001-0", "12345", "010 1234 5678 转 12", "x@", "420100", "2030-02-30")
	f.Add("resident_id", "42011119880101789x", "8613800138000", "+86 27 87654321", "a@b.cn", "330185", "")
	f.Fuzz(func(t *testing.T, certType, certNumber, mobile, landline, email, areaCode, validUntil string) {
		s := filingtest.Subject()
		s.CertType = filing.CertType(certType)
		s.CertNumber = certNumber
		s.Mobile = mobile
		s.OfficePhone = landline
		s.Email = email
		s.OfficeAddress.AreaCode = areaCode
		s.Responsible.IDType = filing.CertType(certType)
		s.Responsible.IDNumber = certNumber
		s.Responsible.IDValidUntil = validUntil
		once, errs1 := filing.NormalizeSubject(s)
		twice, errs2 := filing.NormalizeSubject(once)
		if once != twice {
			t.Errorf("not idempotent:\n once  %+v\n twice %+v", once, twice)
		}
		if a, b := fieldCodes(errs1), fieldCodes(errs2); !slices.Equal(a, b) {
			t.Errorf("faults changed on normalising again:\n once  %q\n twice %q", a, b)
		}
		_ = s.ValidateWith(filing.SubjectOptions{ForSubmit: true, Today: today})
	})
}
