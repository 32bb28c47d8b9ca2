package forms

import (
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/i18n"
)

// Issue 10: the review page shows every answer in the user's language —
// names of codes, No answers, Chinese domains by their U-label, the
// certificate files — and English labels do not repeat themselves.
func TestSummaryInTheUsersLanguage(t *testing.T) {
	subject := filingtest.Subject()
	site := filingtest.Site("xn--fiqs8s.xn--fiqz9s") // 中国.中國 in A-labels
	site.ImportantField = filing.FieldNationalAffairs
	a := &Answers{Subject: &subject, Site: site, Files: Files{Certificates: []string{"/tmp/approval.pdf"}}}
	zh := Summary(testEnv(i18n.ZH), a.Subject, a.CheckedSite(), a.responsible())
	for _, want := range []string{"单位", "统一社会信用代码", "否", "中国.中國 (xn--fiqs8s.xn--fiqz9s)", "/tmp/approval.pdf"} {
		if !strings.Contains(zh, want) {
			t.Errorf("the Chinese review page has no %q:\n%s", want, zh)
		}
	}
	for _, raw := range []string{" unit\n", " uscc\n", " cloud\n", " portal\n"} {
		if strings.Contains(zh, raw) {
			t.Errorf("the Chinese review page shows the raw code %q:\n%s", strings.TrimSpace(raw), zh)
		}
	}
	en := Summary(testEnv(i18n.EN), a.Subject, a.CheckedSite(), a.responsible())
	if strings.Contains(en, "unit (unit)") {
		t.Errorf("English repeats a label:\n%s", en)
	}
}

// Issue 10: the domains page of amend and edit shows a stored Chinese
// domain by its U-label, and the rules store the same A-label.
func TestDomainsFormShowsULabels(t *testing.T) {
	site := filingtest.Site("xn--fiqs8s.xn--fiqz9s")
	site.ExtraDomains = []string{"www.xn--fiqs8s.xn--fiqz9s", "example.com.cn"}
	_, res := DomainsForm(testEnv(i18n.ZH), site)
	if res.PrimaryDomain != "中国.中國" || res.ExtraDomains[0] != "www.中国.中國" || res.ExtraDomains[1] != "example.com.cn" {
		t.Fatalf("prefilled %q %q", res.PrimaryDomain, res.ExtraDomains)
	}
	n, _ := filing.NormalizeSite(*res)
	if n.PrimaryDomain != "xn--fiqs8s.xn--fiqz9s" {
		t.Errorf("stored %q", n.PrimaryDomain)
	}
}
