package area

import (
	"slices"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		code  string
		ok    bool
		want  Area
		about string
	}{
		{"420111", true, Area{"420111", "洪山区", County}, "Wuhan district"},
		{"110102", true, Area{"110102", "西城区", County}, "Beijing district"},
		{"420100", true, Area{"420100", "武汉市", City}, "city, 6-digit form"},
		{"4201", true, Area{"420100", "武汉市", City}, "city, 4-digit form"},
		{"420000", true, Area{"420000", "湖北省", Province}, "province, 6-digit form"},
		{"42", true, Area{"420000", "湖北省", Province}, "province, 2-digit form"},
		{"110000", true, Area{"110000", "北京市", Province}, "municipality"},
		{"1101", true, Area{"110100", "市辖区", City}, "placeholder city row is a real entry"},
		{"4290", true, Area{"429000", "省直辖县级行政区划", City}, "province-direct county group"},
		{"429004", true, Area{"429004", "仙桃市", County}, "county-level city under the group"},
		{"441900", true, Area{"441900", "东莞市", County}, "6 digits prefer the county of a city without districts"},
		{"4419", true, Area{"441900", "东莞市", City}, "4 digits name the city itself"},
		{"330112", true, Area{"330112", "临安区", County}, "current successor of 330185"},
		{"330185", false, Area{}, "retired 临安市"},
		{"990000", false, Area{}, "no province 99"},
		{"990101", false, Area{}, "no province 99"},
		{"420199", false, Area{}, "unlisted county"},
		{"4201110", false, Area{}, "7 digits"},
		{"42011", false, Area{}, "5 digits"},
		{"4", false, Area{}, "1 digit"},
		{"", false, Area{}, "empty"},
		{"42O111", false, Area{}, "letter O"},
		{"４２０１１１", false, Area{}, "full-width digits are the caller's job"},
	}
	for _, tt := range tests {
		got, ok := Lookup(tt.code)
		if ok != tt.ok || got != tt.want {
			t.Errorf("Lookup(%q) [%s] = %+v, %v; want %+v, %v", tt.code, tt.about, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCurrentCountyAndRecordArea(t *testing.T) {
	tests := []struct {
		code                 string
		currentCounty, valid bool
	}{
		{"420111", true, true},  // 洪山区
		{"110102", true, true},  // 西城区
		{"441900", true, true},  // 东莞市 (county-level entry)
		{"429021", true, true},  // 神农架林区
		{"330185", false, true}, // 临安市, retired 2017: old record numbers still carry it
		{"110000", false, true}, // province-level record numbers exist (11000002000001)
		{"420100", false, true}, // city level
		{"420199", false, true}, // unlisted, but the province is valid
		{"990000", false, false},
		{"990101", false, false},
		{"710000", false, false}, // Taiwan: not in the 31 provinces that file
		{"000000", false, false},
		{"42011", false, false},
		{"4201110", false, false},
		{"42011a", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		if got := IsCurrentCounty(tt.code); got != tt.currentCounty {
			t.Errorf("IsCurrentCounty(%q) = %v, want %v", tt.code, got, tt.currentCounty)
		}
		if got := ValidRecordArea(tt.code); got != tt.valid {
			t.Errorf("ValidRecordArea(%q) = %v, want %v", tt.code, got, tt.valid)
		}
	}
}

func TestWalkProvinceCityCounty(t *testing.T) {
	provinces := Provinces()
	if len(provinces) != 31 {
		t.Fatalf("Provinces: %d, want 31", len(provinces))
	}
	if provinces[0] != (Area{"110000", "北京市", Province}) || provinces[30] != (Area{"650000", "新疆维吾尔自治区", Province}) {
		t.Errorf("Provinces not sorted by code: first %v, last %v", provinces[0], provinces[30])
	}

	cities := Cities("42")
	if !slices.Equal(cities, Cities("420000")) {
		t.Error("Cities(\"42\") differs from Cities(\"420000\")")
	}
	if i := slices.Index(cities, Area{"420100", "武汉市", City}); i != 0 {
		t.Errorf("武汉市 at index %d of Hubei's cities, want 0", i)
	}
	if !slices.Contains(cities, Area{"429000", "省直辖县级行政区划", City}) {
		t.Error("Hubei's province-direct group 4290 missing")
	}

	counties := Counties("4201")
	if !slices.Equal(counties, Counties("420100")) {
		t.Error("Counties(\"4201\") differs from Counties(\"420100\")")
	}
	var names []string
	for _, c := range counties {
		names = append(names, c.Name)
	}
	want := "江岸区 江汉区 硚口区 汉阳区 武昌区 青山区 洪山区 东西湖区 汉南区 蔡甸区 江夏区 黄陂区 新洲区"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("Wuhan's counties:\n got %s\nwant %s", got, want)
	}

	// Every listed county is reachable by walking, and walks back by Path.
	total := 0
	for _, p := range provinces {
		for _, c := range Cities(p.Code) {
			if c.Code[:2] != p.Code[:2] {
				t.Errorf("city %v listed under %v", c, p)
			}
			for _, k := range Counties(c.Code) {
				total++
				if k.Code[:4] != c.Code[:4] || IsCurrentCounty(k.Code) == k.Functional() {
					t.Errorf("county %v listed under %v", k, c)
				}
				if path := Path(k.Code); !slices.Equal(path, []Area{p, c, k}) {
					t.Errorf("Path(%s) = %v, want %v", k.Code, path, []Area{p, c, k})
				}
			}
		}
	}
	if total != 2978 {
		t.Errorf("walked %d counties, want the 2978 of areas.csv", total)
	}

	for _, bad := range []string{"", "4", "99", "420", "42000"} {
		if got := Cities(bad); got != nil {
			t.Errorf("Cities(%q) = %v, want nil", bad, got)
		}
		if got := Counties(bad); got != nil {
			t.Errorf("Counties(%q) = %v, want nil", bad, got)
		}
	}

	// Callers get copies: changing one does not change the table.
	cities[0].Name = "changed"
	if Cities("42")[0].Name != "武汉市" {
		t.Error("Cities returned the table's own slice")
	}
}

func TestPathAndFullName(t *testing.T) {
	tests := []struct {
		code, path, full string
	}{
		{"420111", "湖北省 武汉市 洪山区", "湖北省 武汉市 洪山区"},
		{"110102", "北京市 市辖区 西城区", "北京市 西城区"},
		{"429004", "湖北省 省直辖县级行政区划 仙桃市", "湖北省 仙桃市"},
		{"441900", "广东省 东莞市 东莞市", "广东省 东莞市"},
		{"4201", "湖北省 武汉市", "湖北省 武汉市"},
		{"42", "湖北省", "湖北省"},
		{"330185", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		var names []string
		for _, a := range Path(tt.code) {
			names = append(names, a.Name)
		}
		if got := strings.Join(names, " "); got != tt.path {
			t.Errorf("Path(%q) = %q, want %q", tt.code, got, tt.path)
		}
		if got := FullName(tt.code); got != tt.full {
			t.Errorf("FullName(%q) = %q, want %q", tt.code, got, tt.full)
		}
	}
}

func TestAbbreviationsOfAll31Provinces(t *testing.T) {
	// SPEC §4, in order.
	const spec = "京11 津12 冀13 晋14 蒙15 辽21 吉22 黑23 沪31 苏32 浙33 皖34 闽35 赣36 鲁37 豫41 " +
		"鄂42 湘43 粤44 桂45 琼46 渝50 川51 贵52 滇53 藏54 陕61 甘62 青63 宁64 新65"
	entries := strings.Fields(spec)
	provinces := Provinces()
	if len(entries) != len(provinces) {
		t.Fatalf("SPEC lists %d, table has %d provinces", len(entries), len(provinces))
	}
	for i, e := range entries {
		abbr, code := e[:len(e)-2], e[len(e)-2:]
		if provinces[i].ProvinceCode() != code {
			t.Errorf("province %d is %v, SPEC says %s", i, provinces[i], code)
		}
		if !ValidProvince(code) {
			t.Errorf("ValidProvince(%q) = false", code)
		}
		for _, c := range []string{code, code + "01", code + "0000", code + "0185"} {
			if got, ok := Abbreviation(c); !ok || got != abbr {
				t.Errorf("Abbreviation(%q) = %q, %v; want %q", c, got, ok, abbr)
			}
		}
		if got, ok := ProvinceOfAbbreviation(abbr); !ok || got != code {
			t.Errorf("ProvinceOfAbbreviation(%q) = %q, %v; want %q", abbr, got, ok, code)
		}
		if IsAlias(abbr) {
			t.Errorf("IsAlias(%q) = true", abbr)
		}
	}

	for _, tt := range []struct{ abbr, code string }{{"黔", "52"}, {"云", "53"}, {"蜀", "51"}} {
		if got, ok := ProvinceOfAbbreviation(tt.abbr); !ok || got != tt.code {
			t.Errorf("ProvinceOfAbbreviation(%q) = %q, %v; want %q", tt.abbr, got, ok, tt.code)
		}
		if !IsAlias(tt.abbr) {
			t.Errorf("IsAlias(%q) = false", tt.abbr)
		}
	}
	for _, bad := range []string{"", "中", "港", "台", "澳", "鄂鄂", "E", "42"} {
		if got, ok := ProvinceOfAbbreviation(bad); ok {
			t.Errorf("ProvinceOfAbbreviation(%q) = %q, want not found", bad, got)
		}
	}
	for _, bad := range []string{"", "4", "99", "71", "81", "82", "00", "ab"} {
		if got, ok := Abbreviation(bad); ok {
			t.Errorf("Abbreviation(%q) = %q, want not found", bad, got)
		}
	}
}

func TestICPAbbreviation(t *testing.T) {
	for code, want := range map[string]string{"51": "蜀", "520102": "黔", "5301": "滇", "42": "鄂", "110000": "京"} {
		if got, ok := ICPAbbreviation(code); !ok || got != want {
			t.Errorf("ICPAbbreviation(%q) = %q, %v; want %q", code, got, ok, want)
		}
	}
	if _, ok := ICPAbbreviation("99"); ok {
		t.Error("ICPAbbreviation(\"99\") found")
	}
}

func TestWithin(t *testing.T) {
	tests := []struct {
		prefix, code string
		want         bool
	}{
		{"4201", "420111", true},
		{"42", "420111", true},
		{"420111", "420111", true},
		{"420000", "420111", true}, // 6-digit province form
		{"420100", "420111", true}, // 6-digit city form
		{"", "420111", true},       // nationwide
		{"", "330185", true},       // retired codes are still somewhere
		{"4201", "429004", false},
		{"4202", "420111", false},
		{"420112", "420111", false},
		{"11", "420111", false},
		{"420", "420111", false}, // odd-length scopes mean nothing
		{"42011100", "420111", false},
		{"42", "4201", false}, // only 6-digit codes are placed
		{"42", "", false},
		{"4a", "4a0111", false},
	}
	for _, tt := range tests {
		if got := Within(tt.prefix, tt.code); got != tt.want {
			t.Errorf("Within(%q, %q) = %v, want %v", tt.prefix, tt.code, got, tt.want)
		}
	}
}

func TestLevelString(t *testing.T) {
	for l, want := range map[Level]string{Province: "province", City: "city", County: "county", 0: "Level(0)"} {
		if got := l.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(l), got, want)
		}
	}
}

// Issue 11: the functional zones of the statistical codes (71–79 in digits
// 5–6) are marked, refused as a new address, left out of Divisions, and
// still valid as the area of a parsed record number. The names are those
// of the NBS 2023 codes embedded in data/.
func TestFunctionalZones(t *testing.T) {
	for _, tc := range []struct {
		code, name string
		zone       bool
	}{
		{"130171", "石家庄高新技术产业开发区", true},
		{"130172", "石家庄循环化工园区", true},
		{"130271", "河北唐山芦台经济开发区", true},
		{"130372", "北戴河新区", true},
		{"140971", "五台山风景名胜区", true},
		{"220273", "吉林中国新加坡食品区", true},
		{"411471", "豫东综合物流产业聚集区", true},
		{"421071", "荆州经济技术开发区", true},
		{"430371", "湖南湘潭高新技术产业园区", true},
		{"540172", "拉萨经济技术开发区", true},
		{"620171", "兰州新区", true},
		{"130181", "辛集市", false},
		{"420111", "洪山区", false},
		{"330106", "西湖区", false},
	} {
		a, ok := Lookup(tc.code)
		if !ok || a.Name != tc.name || a.Functional() != tc.zone {
			t.Errorf("Lookup(%s) = %+v, %v; want %s, functional %v", tc.code, a, ok, tc.name, tc.zone)
		}
		if IsCurrentCounty(tc.code) == tc.zone {
			t.Errorf("IsCurrentCounty(%s) = %v", tc.code, !tc.zone)
		}
		if !ValidRecordArea(tc.code) {
			t.Errorf("ValidRecordArea(%s) = false: a zone's police office issues numbers", tc.code)
		}
		if slices.ContainsFunc(Divisions(tc.code[:4]), func(d Area) bool { return d.Code == tc.code }) == tc.zone {
			t.Errorf("Divisions(%s) and %s", tc.code[:4], tc.code)
		}
	}
	n := 0
	for _, p := range Provinces() {
		for _, c := range Cities(p.Code) {
			for _, k := range Counties(c.Code) {
				if k.Functional() {
					n++
				}
			}
		}
	}
	if n < 100 || n > 150 {
		t.Errorf("%d functional zones, the 2023 codes have about 124", n)
	}
}

func TestValidPrefix(t *testing.T) {
	for p, want := range map[string]bool{
		"42": true, "4201": true, "420111": true, "11": true, "3301": true,
		"": false, "4": false, "420": false, "99": false, "4299": false, "42a1": false, "4201119": false, "429999": false,
	} {
		if got := ValidPrefix(p); got != want {
			t.Errorf("ValidPrefix(%q) = %v, want %v", p, got, want)
		}
	}
}
