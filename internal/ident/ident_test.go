package ident

import (
	"errors"
	"testing"
	"time"
)

// codeOf is the stable code of a rule error, "" for nil. It goes through the
// interface callers use, not the concrete type.
func codeOf(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var coded interface{ Code() string }
	if !errors.As(err, &coded) {
		t.Fatalf("error %v (%T) has no Code()", err, err)
	}
	if err.Error() == "" {
		t.Errorf("error with code %s has no message", coded.Code())
	}
	return coded.Code()
}

func TestNormalizeUSCC(t *testing.T) {
	// Credit codes of well-known companies, from the public business register.
	// Each check character was recomputed, not copied. Worked by hand for
	// Huawei, 91440300192203821 + ?, values × weights (1 3 9 27 19 26 16 17 20
	// 29 25 13 8 24 10 30 28):
	//   9·1 + 1·3 + 4·9 + 4·27 + 0·19 + 3·26 + 0·16 + 0·17 + 1·20 + 9·29
	//   + 2·25 + 2·13 + 0·8 + 3·24 + 8·10 + 2·30 + 1·28
	//   = 9+3+36+108+0+78+0+0+20+261+50+26+0+72+80+60+28 = 831;
	//   831 mod 31 = 25; 31 − 25 = 6 → "6".
	// The same sum gives Tencent 966 mod 31 = 5 → 26 → "T" (alphabet index 26),
	// Xiaomi 999 mod 31 = 7 → 24 → "Q", Baidu 485 mod 31 = 20 → 11 → "B".
	tests := []struct {
		in, want, code string
	}{
		{"914403001922038216", "914403001922038216", ""},     // 华为技术有限公司
		{"91440300708461136T", "91440300708461136T", ""},     // 深圳市腾讯计算机系统有限公司
		{"91110108551385082Q", "91110108551385082Q", ""},     // 小米科技有限责任公司
		{"91110000802100433B", "91110000802100433B", ""},     // 北京百度网讯科技有限公司
		{" 91440300708461136t ", "91440300708461136T", ""},   // trimmed, upper-cased
		{"９１１１００００８０２１００４３３Ｂ", "91110000802100433B", ""},     // full-width input method
		{"9111 0000 8021 0043 3B", "91110000802100433B", ""}, // grouped for reading

		{"", "", "uscc_length"},
		{"91110000802100433", "", "uscc_length"},
		{"91110000802100433BB", "", "uscc_length"},
		{"914403001922038217", "", "uscc_checksum"}, // last digit mistyped
		{"914403001922038261", "", "uscc_checksum"}, // two digits swapped
		{"91110000802100433I", "", "uscc_charset"},  // I is excluded
		{"9111000080210O433B", "", "uscc_charset"},  // O for 0
		{"91110000802100433Z", "", "uscc_charset"},
		{"9111000080210043S3", "", "uscc_charset"},
		{"91110000802100433V", "", "uscc_charset"},
		{"91110000802100433中", "", "uscc_charset"},
		{"9111000080210043-B", "", "uscc_charset"},
	}
	for _, tt := range tests {
		got, err := NormalizeUSCC(tt.in)
		if got != tt.want || codeOf(t, err) != tt.code {
			t.Errorf("NormalizeUSCC(%q) = %q, %v; want %q, code %q", tt.in, got, err, tt.want, tt.code)
		}
	}
	if _, err := NormalizeUSCC("914403001922038217"); !errors.Is(err, ErrUSCCChecksum) || errors.Is(err, ErrUSCCLength) {
		t.Errorf("errors.Is by code failed: %v", err)
	}
}

func TestNormalizeOrgCode(t *testing.T) {
	// The organization code is positions 9–17 of a credit code. Baidu's,
	// 80210043 + ?, by hand with weights 3 7 9 10 5 8 4 2:
	//   8·3 + 0·7 + 2·9 + 1·10 + 0·5 + 0·8 + 4·4 + 3·2 = 24+18+10+16+6 = 74;
	//   74 mod 11 = 8; 11 − 8 = 3 → "3".
	// Huawei 19220382: 164 mod 11 = 10 → 1; Tencent 70846113: 181 mod 11 = 5 → 6.
	// Synthetic: 00000006 → 6·2 = 12, 12 mod 11 = 1, 11 − 1 = 10 → "X";
	// 20000040 → 2·3 + 4·4 = 22, 22 mod 11 = 0, 11 − 0 = 11 → "0";
	// MA1FL5LX (letters A=10 … Z=35) → 22·3 + 10·7 + 1·9 + 15·10 + 21·5 + 5·8
	// + 21·4 + 33·2 = 66+70+9+150+105+40+84+66 = 590, 590 mod 11 = 7 → "4".
	tests := []struct {
		in, want, code string
	}{
		{"80210043-3", "802100433", ""},
		{"802100433", "802100433", ""},
		{"19220382-1", "192203821", ""},
		{"70846113－6", "708461136", ""}, // full-width hyphen
		{"00000006-x", "00000006X", ""},
		{"20000040-0", "200000400", ""},
		{"ma1fl5lx-4", "MA1FL5LX4", ""},
		{" 80210043 - 3 ", "802100433", ""},

		{"", "", "org_code_length"},
		{"80210043", "", "org_code_length"},
		{"8021004-33", "", "org_code_length"}, // hyphen in the wrong place
		{"80210043-4", "", "org_code_checksum"},
		{"00000006-0", "", "org_code_checksum"},
		{"80210043-A", "", "org_code_charset"},
		{"8021004_-3", "", "org_code_charset"},
		{"8021004中3", "", "org_code_charset"},
	}
	for _, tt := range tests {
		got, err := NormalizeOrgCode(tt.in)
		if got != tt.want || codeOf(t, err) != tt.code {
			t.Errorf("NormalizeOrgCode(%q) = %q, %v; want %q, code %q", tt.in, got, err, tt.want, tt.code)
		}
	}
	if got := FormatOrgCode("802100433"); got != "80210043-3" {
		t.Errorf("FormatOrgCode = %q", got)
	}
}

// fixedNow is the "today" of the resident ID tests.
var fixedNow = time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)

func TestParseResidentID(t *testing.T) {
	// Synthetic numbers only, never a real person's. Check characters by hand:
	// weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; Σ mod 11 → "10X98765432".
	//
	// 110101 19900307 123 ?:
	//   1·7 + 1·9 + 0·10 + 1·5 + 0·8 + 1·4 + 1·2 + 9·1 + 9·6 + 0·3
	//   + 0·7 + 3·9 + 0·10 + 7·5 + 1·8 + 2·4 + 3·2
	//   = 7+9+0+5+0+4+2+9+54+0+0+27+0+35+8+8+6 = 174; 174 mod 11 = 9 → "3".
	// Changing only digit 17 (weight 2) moves the sum by 2 per step:
	//   …122 → 172 mod 11 = 7 → "5";  …125 → 178 mod 11 = 2 → "X".
	// 110105 19491231 002 ? is the worked example printed in GB 11643-1999:
	//   7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 → "X".
	// 420111 20000229 002 ? (a leap day):
	//   28+18+0+5+8+4+4+0+0+0+0+18+20+45+0+0+4 = 154; 154 mod 11 = 0 → "1".
	// 330185 19800101 001 ? (临安市, retired in 2017; old cards keep it):
	//   21+27+0+5+64+20+2+9+48+0+0+9+0+5+0+0+2 = 212; 212 mod 11 = 3 → "9".
	// Numbers with a correct check character but another fault:
	//   110101 19900230 123 ?: 7+9+0+5+0+4+2+9+54+0+0+18+30+0+8+8+6 = 160 → 6 → "6"
	//   990101 19900307 123 ?: 63+81+0+5+0+4+2+9+54+0+0+27+0+35+8+8+6 = 302 → 5 → "7"
	//   110101 20990101 123 ?: 7+9+0+5+0+4+4+0+54+27+0+9+0+5+8+8+6 = 146 → 3 → "9"
	//   110101 18991231 123 ?: 7+9+0+5+0+4+2+8+54+27+7+18+30+5+8+8+6 = 198 → 0 → "1"
	date := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		in   string
		want ResidentID
		code string
	}{
		{"110101199003071233", ResidentID{"110101199003071233", "110101", date(1990, 3, 7), true}, ""},
		{"110101199003071225", ResidentID{"110101199003071225", "110101", date(1990, 3, 7), false}, ""},
		{"11010119900307125X", ResidentID{"11010119900307125X", "110101", date(1990, 3, 7), true}, ""},
		{"11010119900307125x", ResidentID{"11010119900307125X", "110101", date(1990, 3, 7), true}, ""},
		{"11010519491231002X", ResidentID{"11010519491231002X", "110105", date(1949, 12, 31), false}, ""},
		{"420111200002290021", ResidentID{"420111200002290021", "420111", date(2000, 2, 29), false}, ""},
		{"330185198001010019", ResidentID{"330185198001010019", "330185", date(1980, 1, 1), true}, ""},
		{" 1101 0119 9003 0712 33 ", ResidentID{"110101199003071233", "110101", date(1990, 3, 7), true}, ""},
		{"１１０１０１１９９００３０７１２３３", ResidentID{"110101199003071233", "110101", date(1990, 3, 7), true}, ""},

		{"", ResidentID{}, "resident_id_length"},
		{"110101900307123", ResidentID{}, "resident_id_length"}, // 15-digit first-generation form
		{"1101011990030712333", ResidentID{}, "resident_id_length"},
		{"110101199003071234", ResidentID{}, "resident_id_checksum"},
		{"110101199003071213", ResidentID{}, "resident_id_checksum"}, // swapped digits
		{"11010119900307123X", ResidentID{}, "resident_id_checksum"},
		{"X10101199003071233", ResidentID{}, "resident_id_charset"},
		{"11010119900307123Y", ResidentID{}, "resident_id_charset"},
		{"11010119900307123中", ResidentID{}, "resident_id_charset"},
		{"110101199002301236", ResidentID{}, "resident_id_birth_date"}, // 30 February
		{"110101209901011239", ResidentID{}, "resident_id_birth_date"}, // in the future
		{"110101189912311231", ResidentID{}, "resident_id_birth_date"}, // before 1900
		{"990101199003071237", ResidentID{}, "resident_id_area"},
	}
	for _, tt := range tests {
		got, err := ParseResidentIDAt(tt.in, fixedNow)
		if got != tt.want || codeOf(t, err) != tt.code {
			t.Errorf("ParseResidentIDAt(%q) = %+v, %v; want %+v, code %q", tt.in, got, err, tt.want, tt.code)
		}
	}
}

func TestParseResidentIDTodayInChina(t *testing.T) {
	// Born 1990-03-07: valid from midnight of that day in China (UTC+8).
	const id = "110101199003071233"
	at := func(utc string) time.Time {
		tm, err := time.Parse(time.RFC3339, utc)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	if _, err := ParseResidentIDAt(id, at("1990-03-06T16:00:00Z")); err != nil { // 00:00 on the 7th in Beijing
		t.Errorf("on the birthday: %v", err)
	}
	if _, err := ParseResidentIDAt(id, at("1990-03-06T15:59:59Z")); codeOf(t, err) != "resident_id_birth_date" {
		t.Errorf("the day before: %v, want resident_id_birth_date", err)
	}
	if _, err := ParseResidentIDAt(id, time.Now()); err != nil {
		t.Errorf("ParseResidentID with the real clock: %v", err)
	}
}

func TestCheckCharHelpers(t *testing.T) {
	if c, err := USCCCheckChar("91440300192203821"); err != nil || c != '6' {
		t.Errorf("USCCCheckChar = %c, %v", c, err)
	}
	if c, err := ResidentIDCheckChar("11010519491231002"); err != nil || c != 'X' {
		t.Errorf("ResidentIDCheckChar = %c, %v", c, err)
	}
	if c, err := OrgCodeCheckChar("80210043"); err != nil || c != '3' {
		t.Errorf("OrgCodeCheckChar = %c, %v", c, err)
	}
	for _, err := range []error{
		func() error { _, err := USCCCheckChar("9144"); return err }(),
		func() error { _, err := ResidentIDCheckChar("1101"); return err }(),
		func() error { _, err := OrgCodeCheckChar("8021"); return err }(),
	} {
		if err == nil {
			t.Error("short input accepted")
		}
	}
}

func TestNormalizeMobile(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13800138000", "13800138000"},
		{"+8613800138000", "13800138000"},
		{"+86 138 0013 8000", "13800138000"},
		{"86-138-0013-8000", "13800138000"},
		{"008613800138000", "13800138000"},
		{"(+86)13800138000", "13800138000"},
		{"１３８００１３８０００", "13800138000"},
		{"19912345678", "19912345678"},
		{"16612345678", "16612345678"},
		{"", ""},
		{"1380013800", ""},   // 10 digits
		{"138001380000", ""}, // 12 digits
		{"12800138000", ""},  // 12x is not a mobile range
		{"23800138000", ""},
		{"+85291234567", ""}, // Hong Kong
		{"138OO138000", ""},
		{"027-87654321", ""},
	}
	for _, tt := range tests {
		got, err := NormalizeMobile(tt.in)
		code := codeOf(t, err)
		if got != tt.want || (tt.want == "") != (code == "mobile_invalid") {
			t.Errorf("NormalizeMobile(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestNormalizeLandline(t *testing.T) {
	tests := []struct{ in, want string }{
		{"027-87654321", "027-87654321"},
		{"010-62751234", "010-62751234"},
		{"0755-86013388", "0755-86013388"},
		{"0710-3521234", "0710-3521234"}, // 4-digit area code, 7-digit number
		{"(027)87654321", "027-87654321"},
		{"（027）87654321", "027-87654321"},
		{"027 8765 4321", "027-87654321"},
		{"02787654321", "027-87654321"},
		{"07103521234", "0710-3521234"},
		{"+86 27 87654321", "027-87654321"},
		{"+86-10-62751234", "010-62751234"},
		{"027－87654321", "027-87654321"},
		{"027-87654321-8001", "027-87654321-8001"},
		{"027-87654321转8001", "027-87654321-8001"},
		{"027-87654321 ext. 8001", "027-87654321-8001"},
		{"027-87654321#8001", "027-87654321-8001"},

		{"", ""},
		{"87654321", ""},      // no area code
		{"13800138000", ""},   // a mobile number
		{"027-8765432", ""},   // 3-digit area codes have 8-digit numbers
		{"027-876543210", ""}, // 9 digits
		{"0755-123456", ""},   // 6 digits
		{"027-07654321", ""},  // local numbers do not start with 0
		{"026-87654321", ""},  // reserved
		{"0123-8765432", ""},  // 01X other than 010
		{"400-810-8888", ""},  // service number, not a landline
		{"027-87654321-1234567", ""},
		{"027-8765-4321-12", ""},
		{"027-ABCDEFGH", ""},
	}
	for _, tt := range tests {
		got, err := NormalizeLandline(tt.in)
		code := codeOf(t, err)
		if got != tt.want || (tt.want == "") != (code == "landline_invalid") {
			t.Errorf("NormalizeLandline(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			continue
		}
		if got != "" {
			if again, err := NormalizeLandline(got); again != got || err != nil {
				t.Errorf("NormalizeLandline not idempotent on %q: %q, %v", got, again, err)
			}
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"webmaster@example.cn", "webmaster@example.cn"},
		{" WebMaster@Example.COM.CN ", "WebMaster@example.com.cn"}, // local part keeps its case
		{"first.last+beian@mail.example.org", "first.last+beian@mail.example.org"},
		{"admin＠example.cn", "admin@example.cn"}, // full-width @
		{"用户@例子.公司", "用户@例子.公司"},
		{"", ""},
		{"webmaster", ""},
		{"webmaster@localhost", ""},
		{"webmaster@example.cn.", ""},
		{"webmaster@.example.cn", ""},
		{"webmaster@example..cn", ""},
		{"web master@example.cn", ""},
		{"张三 <zhangsan@example.cn>", ""},
		{"<zhangsan@example.cn>", ""},
		{"zhangsan@example.cn (张三)", ""},
		{`"zhang san"@example.cn`, ""},
		{"admin@[192.0.2.1]", ""},
		{"a@b@example.cn", ""},
		{"a,b@example.cn", ""},
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.cn", ""}, // 65
	}
	for _, tt := range tests {
		got, err := NormalizeEmail(tt.in)
		code := codeOf(t, err)
		if got != tt.want || (tt.want == "") != (code == "email_invalid") {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestParseICP(t *testing.T) {
	tests := []struct {
		in        string
		want      ICPNumber
		canonical string
	}{
		{"鄂ICP备17001107号-1", ICPNumber{"42", false, "17001107", 1}, "鄂ICP备17001107号-1"},
		{"粤ICP备2020124673号-1", ICPNumber{"44", false, "2020124673", 1}, "粤ICP备2020124673号-1"},
		{"京ICP证030173号", ICPNumber{"11", true, "030173", 0}, "京ICP证030173号"},
		{"京ICP备05002571号", ICPNumber{"11", false, "05002571", 0}, "京ICP备05002571号"},
		{"蜀ICP备12345678号-3", ICPNumber{"51", false, "12345678", 3}, "蜀ICP备12345678号-3"},
		{"黔ICP备12345678号", ICPNumber{"52", false, "12345678", 0}, "黔ICP备12345678号"},
		{"滇ICP备12345678号", ICPNumber{"53", false, "12345678", 0}, "滇ICP备12345678号"},
		// The record-number abbreviations for 51–53 are read, and written the ICP way.
		{"川ICP备12345678号", ICPNumber{"51", false, "12345678", 0}, "蜀ICP备12345678号"},
		{"贵ICP备12345678号", ICPNumber{"52", false, "12345678", 0}, "黔ICP备12345678号"},
		{"云ICP备12345678号", ICPNumber{"53", false, "12345678", 0}, "滇ICP备12345678号"},
		// As people write them.
		{"鄂ICP备 17001107号 - 1", ICPNumber{"42", false, "17001107", 1}, "鄂ICP备17001107号-1"},
		{"鄂ICP备17001107号－1", ICPNumber{"42", false, "17001107", 1}, "鄂ICP备17001107号-1"},
		{"鄂ICP备17001107号—1", ICPNumber{"42", false, "17001107", 1}, "鄂ICP备17001107号-1"},
		{"鄂icp备17001107号-1", ICPNumber{"42", false, "17001107", 1}, "鄂ICP备17001107号-1"},
		{"鄂ＩＣＰ备１７００１１０７号", ICPNumber{"42", false, "17001107", 0}, "鄂ICP备17001107号"},
		{"鄂ICP备17001107-1", ICPNumber{"42", false, "17001107", 1}, "鄂ICP备17001107号-1"},
		{"鄂ICP备17001107", ICPNumber{"42", false, "17001107", 0}, "鄂ICP备17001107号"},
		{"　鄂ICP备17001107号-01 ", ICPNumber{"42", false, "17001107", 1}, "鄂ICP备17001107号-1"},
	}
	for _, tt := range tests {
		got, err := ParseICP(tt.in)
		if err != nil || got != tt.want || got.String() != tt.canonical {
			t.Errorf("ParseICP(%q) = %+v (%q), %v; want %+v (%q)", tt.in, got, got.String(), err, tt.want, tt.canonical)
		}
	}
	if got := (ICPNumber{"42", false, "17001107", 1}).Subject(); got != "鄂ICP备17001107号" {
		t.Errorf("Subject() = %q", got)
	}

	for _, in := range []string{
		"",
		"ICP备17001107号",           // no abbreviation
		"中ICP备17001107号",          // not a province
		"港ICP备17001107号",          // not a filing province
		"鄂ICP备1700110号",           // 7 digits
		"鄂ICP备170011071号",         // 9 digits
		"鄂ICP备20201246731号",       // 11 digits
		"京ICP证03017号",             // license numbers have 6 digits
		"京ICP证03017300号",          // …not 8
		"鄂ICP备17001107号-0",        // sites count from 1
		"鄂ICP备17001107号-",         //
		"鄂ICP备17001107号-1-2",      //
		"鄂ICP备17001107号-99999",    //
		"鄂ICP17001107号",           // neither 备 nor 证
		"鄂公网安备 42011102000410号",   // a public-security record number
		"鄂ICP备17001107号-1 鄂ICP备1", //
	} {
		got, err := ParseICP(in)
		if codeOf(t, err) != "icp_invalid" {
			t.Errorf("ParseICP(%q) = %+v, %v; want icp_invalid", in, got, err)
		}
	}
}
