package ident

import (
	"errors"
	"testing"
)

// realICP are MIIT ICP numbers as real footers and site configurations
// write them (the site or project in the comment). want is the canonical
// form, or "" for a refusal with code.
var realICP = []struct {
	in, want, code string
}{
	// A colon after ICP备 or ICP证, full-width or ASCII.
	{"粤ICP备：16028473号", "粤ICP备16028473号", ""}, // 深圳市镜玩科技有限公司's footer script
	{"京ICP备：14012449号", "京ICP备14012449号", ""}, // a Beijing site template (beia_hao block)
	{"津ICP备：15001361号", "津ICP备15001361号", ""}, // 天津法颂 FOZOON, 2005–2017
	{"粤ICP备：15049392", "粤ICP备15049392号", ""},  // jankz.com
	{"京ICP备:16047950号", "京ICP备16047950号", ""}, // an iOS app's about screen
	{"京ICP证:010289", "京ICP证010289号", ""},      // a Beijing portal's footer
	{"京ICP证：050715号", "京ICP证050715号", ""},     // a Beijing video site
	{"陇ICP备 05000593", "陇ICP备05000593号", ""},  // 兰州财经大学会计学院, 2015
	// Gansu: 陇, as MIIT writes it.
	{"陇ICP备2021003158号-1", "陇ICP备2021003158号-1", ""}, // a VuePress site's config
	{"陇ICP备19001358号-1", "陇ICP备19001358号-1", ""},     // a Maple blog config, 2019
	{"陇ICP备15000343号-1", "陇ICP备15000343号-1", ""},     // a shop footer, 1997–2017
	{"陇ICP备2021002435号", "陇ICP备2021002435号", ""},     // a React footer
	{"陇ICP备2024012699号-3", "陇ICP备2024012699号-3", ""}, // a Vite app's production footer
	{"陇ICP备16002023号-1", "陇ICP备16002023号-1", ""},
	{"陇ICP备2023001048号-1", "陇ICP备2023001048号-1", ""},
	{"甘ICP备16002023号-1", "陇ICP备16002023号-1", ""}, // the record-number abbreviation, read too
	// Usual forms, from real footers.
	{"粤ICP备09070608号-4", "粤ICP备09070608号-4", ""},
	{"京ICP备10046444", "京ICP备10046444号", ""},     // mi.com
	{"京ICP证110507号", "京ICP证110507号", ""},        // mi.com
	{"京ICP证070791号", "京ICP证070791号", ""},        // meituan.com
	{"粤ICP证B2-20130549号", "", "icp_is_licence"}, // xiaolajiao.com, beside its 粤ICP备12053227号-3
	// Licence numbers, which footers print beside the ICP number.
	{"浙B2-20080224", "", "icp_is_licence"},
	{"苏B1-20150079", "", "icp_is_licence"},       // a Wuxi site's 增值电信业务经营许可证
	{"京B2-20171384", "", "icp_is_licence"},       // ICP经营许可证编号 in a Beijing footer
	{"浙B2-20120091-4", "", "icp_is_licence"},     // SREWorks docs: "ICP备案网站信息: 浙B2-20120091-4"
	{"沪ICP备：沪B2－20080012", "", "icp_is_licence"}, // a Shanghai footer linking beian.miit.gov.cn
	{"沪ICP备：沪B2－20080012－15", "", "icp_is_licence"},
	{"黔ICP证：B2-20140009号", "", "icp_is_licence"},
	{"京ICP证B2-20180202", "", "icp_is_licence"}, // douyin's 抖店 footer
	{"浙ICP证B2-20150235", "", "icp_is_licence"}, // 招财猫理财's app banner
	{"苏ICP证B2-20070191", "", "icp_is_licence"}, // IT马倌, 2006–2012
	{"浙ICP证B2-20140303号", "", "icp_is_licence"},
	// Not ICP numbers at all.
	{"图ICP备：541313440202", "", "icp_invalid"}, // a template's made-up 图ICP备
	{"京ICP备：123456789号", "", "icp_invalid"},   // a template placeholder: 9 digits
	{"京ICP备093817344号", "", "icp_invalid"},    // 9 digits
	{"京ICP证06101011", "", "icp_invalid"},      // ICP证 has six digits
}

func TestRealICPNumbers(t *testing.T) {
	for _, tt := range realICP {
		n, err := ParseICP(tt.in)
		if tt.want == "" {
			var coded interface{ Code() string }
			if !errors.As(err, &coded) || coded.Code() != tt.code {
				t.Errorf("ParseICP(%q) = %v, %v; want refusal %s", tt.in, n, err, tt.code)
			}
			continue
		}
		if err != nil || n.String() != tt.want {
			t.Errorf("ParseICP(%q) = %q, %v; want %q", tt.in, n, err, tt.want)
			continue
		}
		if again, err := ParseICP(n.String()); err != nil || again != n {
			t.Errorf("ParseICP(%q) = %+v, %v; not idempotent", n, again, err)
		}
	}
}

// icpOfEveryProvince is one real ICP number per province-level division,
// found in public footers and site configurations (the site in the comment),
// checking the ICP abbreviation table against MIIT's actual usage: the
// record-number abbreviation everywhere but Sichuan (蜀), Guizhou (黔),
// Yunnan (滇) and Gansu (陇).
var icpOfEveryProvince = map[string]string{
	"11": "京ICP备10046444号",     // mi.com
	"12": "津ICP备15001361号",     // 天津法颂 FOZOON
	"13": "冀ICP备05023975号-1",   // 燕山大学信息技术中心
	"14": "晋ICP备18000458号",     // 长治学院
	"15": "蒙ICP备17005582号",     // 内蒙古惠风金融信息科技有限公司
	"21": "辽ICP备14011916号",     // 大连顺通圣世物流有限公司
	"22": "吉ICP备10002740号-1",   // mingrisoft.com (Changchun), beside 吉公网安备 22010202000131号
	"23": "黑ICP备10202513号",     // 哈尔滨亿时代数码科技开发有限公司 (hrbesd.com)
	"31": "沪ICP备14033591号-8",   // 杰普软件科技有限公司 (briup.com)
	"32": "苏ICP备16043372号-1",   // 南京一家一世界网络科技有限公司
	"33": "浙ICP备17001107号-1",   // SPEC §4's example
	"34": "皖ICP备20001257号",     // 安徽中医药大学 医药信息工程学院
	"35": "闽ICP备16035001号",     // 融汇盈（厦门）网络科技有限公司
	"36": "赣ICP备12007816号-23",  // 江西瓷肌电子商务有限公司
	"37": "鲁ICP备17035173号-1",   // 中银网
	"41": "豫ICP备16019993号",     // 布灵格
	"42": "鄂ICP备14017254号-1",   // 中兴财富金融信息服务股份有限公司
	"43": "湘ICP备17009477号",     // EduCoder
	"44": "粤ICP备09070608号-4",   // a Guangdong footer (in realICP above)
	"45": "桂ICP备12002922号-1",   // a Guangxi footer beside its 桂B2 licence
	"46": "琼ICP备15000297号-4",   // a Hainan footer linking miibeian.gov.cn, 2015
	"50": "渝ICP备14000653号-3",   // 重庆市嘟旗科技有限公司
	"51": "蜀ICP备15021053号-1",   // 成都问界科技有限公司
	"52": "黔ICP备17003900号-1",   // gzdata.com 云上贵州
	"53": "滇ICP备12006807号-1",   // 云南安柔科技有限公司
	"54": "藏ICP备05000064号",     // 西藏大学
	"61": "陕ICP备13007681号",     // 陕西金开贷金融服务有限公司
	"62": "陇ICP备05000593号",     // 兰州财经大学会计学院
	"63": "青ICP备15000618号",     // 青海羚网
	"64": "宁ICP备14000922号-2",   // a Ningxia fintech footer
	"65": "新ICP备2024015133号-3", // a Xinjiang site's footer, 2024
}

func TestICPAbbreviationOfEveryProvince(t *testing.T) {
	if len(icpOfEveryProvince) != 31 {
		t.Fatalf("%d provinces, want 31", len(icpOfEveryProvince))
	}
	for province, s := range icpOfEveryProvince {
		n, err := ParseICP(s)
		if err != nil || n.Province != province || n.String() != s {
			t.Errorf("ParseICP(%q) = %+v (%q), %v; want province %s, unchanged", s, n, n, err, province)
		}
	}
}
