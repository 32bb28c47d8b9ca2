package ident

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/beian-dev/beian/internal/area"
)

// ICPNumber is a parsed MIIT ICP number (工信部备案号): 鄂ICP备17001107号-1.
type ICPNumber struct {
	Province string // 2-digit GB/T 2260 province code ("42")
	License  bool   // ICP证 (commercial license) rather than ICP备 (filing)
	Digits   string // 8 or 10 digits for ICP备 (two- or four-digit year, then a sequence); 6 for ICP证
	Site     int    // the site's suffix -N, 0 when the number names the subject only
}

// icpPattern matches a squeezed, folded ICP number: an abbreviation, ICP,
// 备 or 证, an optional filler word or colon as footers write them
// (京ICP备：16028473号, 京ICP证:010289), the digits, an optional 号 and an
// optional -N.
var icpPattern = regexp.MustCompile(`^(\p{Han})ICP([备证])(?:备案号|编号|号)?:?([0-9]+)号?(?:-([0-9]+))?$`)

// licencePattern finds a value-added telecom business licence number
// (增值电信业务经营许可证): a category such as B2 or B1, a dash, eight
// digits — 浙B2-20080224, 京ICP证B2-20180202, 沪B2－20080012－15. Footers
// print it beside the ICP number, and people paste it into the ICP field.
var licencePattern = regexp.MustCompile(`(?:^|[^A-Z])[AB][12]-?[0-9]{8}(?:$|[^0-9])`)

// ParseICP parses a MIIT ICP number as people write it: with or without
// spaces, full-width digits or hyphen, lower-case "icp", a missing 号, a
// colon or filler word after ICP备, and the record-number abbreviations
// 川/贵/云/甘 where ICP uses 蜀/黔/滇/陇. A value-added telecom licence number
// (浙B2-20080224) is refused with ErrICPIsLicence, saying what it is. Filing
// numbers (ICP备) have 8 digits, or 10 since 2020 when the year went to four
// digits (粤ICP备2020124673号-1); license numbers (京ICP证030173号) have 6.
func ParseICP(s string) (ICPNumber, error) {
	bad := func(why string) (ICPNumber, error) {
		return ICPNumber{}, newError(ErrICPInvalid.code, fmt.Sprintf("MIIT ICP number %q: %s; expected a form such as 鄂ICP备17001107号-1", strings.TrimSpace(s), why))
	}
	c := strings.ToUpper(squeeze(s))
	m := icpPattern.FindStringSubmatch(c)
	if m == nil {
		if licencePattern.MatchString(c) {
			return ICPNumber{}, newError(ErrICPIsLicence.code, fmt.Sprintf("%q is a value-added telecom business licence number (增值电信业务经营许可证), not the MIIT ICP filing number; enter the site's ICP备 number, such as 浙ICP备17001107号-1 (the MIIT filing system at https://beian.miit.gov.cn/ shows it)", strings.TrimSpace(s)))
		}
		return bad("not in the form abbreviation + ICP备/ICP证 + digits + 号")
	}
	province, ok := area.ProvinceOfAbbreviation(m[1])
	if !ok {
		return bad(m[1] + " is not a province abbreviation")
	}
	n := ICPNumber{Province: province, License: m[2] == "证", Digits: m[3]}
	switch {
	case n.License && len(n.Digits) != 6:
		return bad("an ICP证 number has 6 digits")
	case !n.License && len(n.Digits) != 8 && len(n.Digits) != 10:
		return bad("an ICP备 number has 8 or 10 digits")
	}
	if m[4] != "" {
		site, err := strconv.Atoi(m[4])
		if err != nil || site < 1 || site > 9999 {
			return bad("the site suffix -N must be a number from 1")
		}
		n.Site = site
	}
	return n, nil
}

// Abbr is the province abbreviation ICP numbers use (蜀, 黔, 滇 for 51–53, 陇 for 62).
func (n ICPNumber) Abbr() string {
	a, _ := area.ICPAbbreviation(n.Province)
	return a
}

// Subject is the number without the site suffix: 鄂ICP备17001107号, the
// number of the filing subject that all its sites share.
func (n ICPNumber) Subject() string {
	kind := "备"
	if n.License {
		kind = "证"
	}
	return n.Abbr() + "ICP" + kind + n.Digits + "号"
}

// String is the canonical form: 鄂ICP备17001107号-1.
func (n ICPNumber) String() string {
	if n.Site == 0 {
		return n.Subject()
	}
	return n.Subject() + "-" + strconv.Itoa(n.Site)
}
