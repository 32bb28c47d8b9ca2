// Fuzz targets of the identifier parsers. Each checks that the parser never
// panics and that normalising is idempotent: what it accepts, it accepts
// again unchanged in canonical form. Bounded runs, as .ci/run does them:
//
//	go test ./internal/ident -run='^$' -fuzz='^FuzzNormalizeUSCC$' -fuzztime=10s
//	go test ./internal/ident -run='^$' -fuzz='^FuzzParseResidentID$' -fuzztime=10s
//	go test ./internal/ident -run='^$' -fuzz='^FuzzParseICP$' -fuzztime=10s
//	go test ./internal/ident -run='^$' -fuzz='^FuzzNormalizeContact$' -fuzztime=10s
package ident

import (
	"strings"
	"testing"
)

func FuzzNormalizeUSCC(f *testing.F) {
	for _, s := range []string{
		"914403001922038216", "91440300708461136T", "91110108551385082Q", "91110000802100433B",
		" 91440300708461136t ", "９１１１００００８０２１００４３３Ｂ", "9111 0000 8021 0043 3B",
		"", "914403001922038217", "91110000802100433I", "91110000802100433中",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizeUSCC(s)
		if err != nil {
			if got != "" {
				t.Fatalf("NormalizeUSCC(%q) returned %q with error %v", s, got, err)
			}
			return
		}
		if len(got) != 18 || strings.ToUpper(got) != got {
			t.Fatalf("NormalizeUSCC(%q) = %q: not 18 upper-case characters", s, got)
		}
		if c, _ := USCCCheckChar(got[:17]); c != got[17] {
			t.Fatalf("NormalizeUSCC(%q) = %q with a wrong check character", s, got)
		}
		if again, err := NormalizeUSCC(got); again != got || err != nil {
			t.Fatalf("not idempotent: %q → %q → %q, %v", s, got, again, err)
		}
	})
}

func FuzzParseResidentID(f *testing.F) {
	for _, s := range []string{
		"110101199003071233", "11010119900307125x", "11010519491231002X", "420111200002290021",
		"330185198001010019", " 1101 0119 9003 0712 33 ", "１１０１０１１９９００３０７１２３３",
		"", "110101900307123", "110101199003071234", "110101199002301236", "990101199003071237",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseResidentIDAt(s, fixedNow)
		if err != nil {
			if id != (ResidentID{}) {
				t.Fatalf("ParseResidentIDAt(%q) returned %+v with error %v", s, id, err)
			}
			return
		}
		if id.AreaCode != id.Number[:6] || id.Birth.After(fixedNow) || id.Birth.Format("20060102") != id.Number[6:14] {
			t.Fatalf("ParseResidentIDAt(%q) = %+v: fields disagree with the number", s, id)
		}
		if again, err := ParseResidentIDAt(id.Number, fixedNow); again != id || err != nil {
			t.Fatalf("not idempotent: %q → %+v → %+v, %v", s, id, again, err)
		}
	})
}

func FuzzParseICP(f *testing.F) {
	for _, s := range []string{
		"鄂ICP备17001107号-1", "粤ICP备2020124673号-1", "京ICP证030173号", "蜀ICP备12345678号-3",
		"黔ICP备12345678号", "云ICP备12345678号", "鄂ICP备 17001107号 - 1", "鄂ICP备17001107号－1",
		"鄂icp备17001107号-1", "鄂ＩＣＰ备１７００１１０７号", "鄂ICP备17001107-1", "　鄂ICP备17001107号-01 ",
		"", "中ICP备17001107号", "鄂ICP备1700110号", "鄂ICP备17001107号-0", "鄂公网安备 42011102000410号",
	} {
		f.Add(s)
	}
	for _, tt := range realICP {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseICP(s)
		if err != nil {
			if n != (ICPNumber{}) {
				t.Fatalf("ParseICP(%q) returned %+v with error %v", s, n, err)
			}
			return
		}
		canonical := n.String()
		again, err := ParseICP(canonical)
		if err != nil || again != n || again.String() != canonical {
			t.Fatalf("not idempotent: %q → %q → %+v (%q), %v", s, canonical, again, again.String(), err)
		}
	})
}

// FuzzNormalizeContact runs the mobile, landline and email normalisers on
// the same input.
func FuzzNormalizeContact(f *testing.F) {
	for _, s := range []string{
		"+86 138 0013 8000", "(+86)13800138000", "12800138000",
		"(027)87654321", "+86 27 87654321", "027-87654321转8001", "07103521234", "027-8765-4321-12",
		" WebMaster@Example.COM.CN ", "用户@例子.公司", "张三 <zhangsan@example.cn>", "admin＠example.cn",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, normalize := range map[string]func(string) (string, error){
			"NormalizeMobile": NormalizeMobile, "NormalizeLandline": NormalizeLandline, "NormalizeEmail": NormalizeEmail,
		} {
			got, err := normalize(s)
			if err != nil {
				if got != "" {
					t.Fatalf("%s(%q) returned %q with error %v", name, s, got, err)
				}
				continue
			}
			if again, err := normalize(got); again != got || err != nil {
				t.Fatalf("%s not idempotent: %q → %q → %q, %v", name, s, got, again, err)
			}
		}
	})
}
