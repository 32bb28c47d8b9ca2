package recordno

import (
	"errors"
	"slices"
	"testing"
)

// realFooters are record numbers as real sites print them, copied from
// their footers (the site, and the year of the page where it shows, in the
// comment). want is the canonical form, or "" when the footer's text is
// not a record number at all; then code is the refusal.
var realFooters = []struct {
	in, want string
	warnings []string
	code     string
}{
	// A colon after 公网安备, full-width or ASCII, with or without a space.
	{"沪公网安备：31011502002167", "沪公网安备 31011502002167号", []string{WarnFiller, WarnMissingHao}, ""},  // a Shanghai company's React footer (nav-text span)
	{"京公网安备：11010502027270", "京公网安备 11010502027270号", []string{WarnFiller, WarnMissingHao}, ""},  // footer beside 营业执照 91110105582599307U
	{"苏公网安备：32020602000446号", "苏公网安备 32020602000446号", []string{WarnFiller}, ""},                 // a Wuxi site, link to beian.gov.cn registerSystemInfo
	{"京公网安备:11010502026763", "京公网安备 11010502026763号", []string{WarnFiller, WarnMissingHao}, ""},  // liepin.com, 2016
	{"苏公网安备:32010202010427号", "苏公网安备 32010202010427号", []string{WarnFiller}, ""},                 // a Nanjing JSP site (sgwab.png icon)
	{"京公网安备:11010802022333", "京公网安备 11010802022333号", []string{WarnFiller, WarnMissingHao}, ""},  // footer with 京B2-20171384, 京ICP备14009797号-5
	{"京公网安备:11010502034234", "京公网安备 11010502034234号", []string{WarnFiller, WarnMissingHao}, ""},  // an iOS app's about screen, with 京ICP备:16047950号
	{"浙公网安备: 33010002000092号", "浙公网安备 33010002000092号", []string{WarnFiller}, ""},                // SREWorks docs site (Alibaba), 2022
	{"京公网安备：110105000744号", "京公网安备 110105000744号", []string{WarnFiller, WarnLegacy12Digits}, ""}, // a Beijing video site, with 京ICP证050715号
	{"京公网安备：110102000450", "京公网安备 110102000450号", []string{WarnFiller, WarnMissingHao, WarnLegacy12Digits}, ""},
	{"京公网安备:110401400007", "京公网安备 110401400007号", []string{WarnFiller, WarnMissingHao, WarnLegacy12Digits}, ""}, // with 京ICP证:010289
	// A filler word between 公网安备 and the digits.
	{"京公网安备号 11010502026705", "京公网安备 11010502026705号", []string{WarnFiller, WarnMissingHao}, ""}, // jumao.com (易路行), 2017–2019
	{"京公网安备编号：11010502026705", "京公网安备 11010502026705号", []string{WarnFiller, WarnMissingHao}, ""},
	// 10-digit local numbers of older Beijing footers.
	{"京公网安备:1101082103", "京公网安备 1101082103号", []string{WarnFiller, WarnMissingHao, WarnLegacy10Digits}, ""}, // xueersi.com, 2009–2014
	{"京公网安备:1101084974", "京公网安备 1101084974号", []string{WarnFiller, WarnMissingHao, WarnLegacy10Digits}, ""}, // baidu.com footer beside 京ICP证060677
	{"京公网安备1101084974", "京公网安备 1101084974号", []string{WarnNoSpace, WarnMissingHao, WarnLegacy10Digits}, ""},
	// Numbers real footers print the usual way.
	{"京公网安备11010802020134号", "京公网安备 11010802020134号", []string{WarnNoSpace}, ""},                 // mi.com, with 京ICP证110507号
	{"京公网安备11010502025545号", "京公网安备 11010502025545号", []string{WarnNoSpace}, ""},                 // meituan.com, with 京ICP证070791号
	{"京公网安备110108007970号", "京公网安备 110108007970号", []string{WarnNoSpace, WarnLegacy12Digits}, ""}, // lenovo.com.cn, 1998–2022
	{"京公网安备11010802014853", "京公网安备 11010802014853号", []string{WarnNoSpace, WarnMissingHao}, ""},  // miniits.com, 2013–2017
	{"京公网安备11010502026420", "京公网安备 11010502026420号", []string{WarnNoSpace, WarnMissingHao}, ""},  // wowsai.com, 2008–2013
	{"粤公网安备 44030502000017号", "粤公网安备 44030502000017号", nil, ""},                                  // a Shenzhen portal, beside 深公网安备 below
	// Gansu sites that write the ICP abbreviation 陇 in the record number too.
	{"陇公网安备 62010202000371号", "甘公网安备 62010202000371号", []string{WarnAliasPrefix}, ""},
	// Not record numbers: refused, naming why.
	{"深公网安备：4403101910665", "", nil, "record_number_format"},             // Shenzhen's own local scheme: 13 digits, 深 is a city
	{"京公网安备:1101011", "", nil, "record_number_format"},                   // a footer template with 7 digits
	{"京公网安备1101050188221", "", nil, "record_number_format"},              // 13 digits, a typo in a template footer
	{"京公网安备：123456789号", "", nil, "record_number_format"},                // a site template's placeholder
	{"京ICP备11035381京公网安备110108007970号", "", nil, "record_number_format"}, // lenovo's two numbers run together
}

func TestRealFooters(t *testing.T) {
	for _, tt := range realFooters {
		n, warnings, err := Parse(tt.in)
		if tt.want == "" {
			var coded interface{ Code() string }
			if !errors.As(err, &coded) || coded.Code() != tt.code {
				t.Errorf("Parse(%q) = %v, %v; want refusal %s", tt.in, n, err, tt.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if n.String() != tt.want {
			t.Errorf("Parse(%q) = %q, want %q", tt.in, n, tt.want)
		}
		var codes []string
		for _, w := range warnings {
			codes = append(codes, w.Code)
		}
		if !slices.Equal(codes, tt.warnings) {
			t.Errorf("Parse(%q) warnings %v, want %v", tt.in, codes, tt.warnings)
		}
		if again, _ := Normalize(n.String()); again != n.String() {
			t.Errorf("Normalize(%q) = %q", n, again)
		}
	}
}
