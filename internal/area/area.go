// Package area holds the GB/T 2260 administrative division codes of the
// People's Republic of China (provinces, cities, county-level areas) and the
// rules the filing platform builds on them: the province abbreviation that
// starts a public-security record number, the check that a new address uses
// a current county-level code, and the looser check that a parsed record
// number (which may be decades old) carries a code with a valid province.
//
// The code table is embedded from china-division 2.7.0 (see data/README.md
// and data/LICENSE) so the binaries work on their own. It is parsed once, on
// first use, so programs that never touch areas pay nothing for it.
//
// Where each rule comes from:
//
//   - The data is the National Bureau of Statistics' 统计用区划代码 of 2023
//     (as of 2023-06-30, published 2023-09-11), which china-division 2.7.0
//     packages. Its province, city and county codes are those of GB/T 2260.
//   - The statistical codes add functional zones that GB/T 2260 does not
//     have: development and high-tech zones, new areas, management areas
//     (130171 石家庄高新技术产业开发区). The NBS coding rules give them 71–79 in
//     digits 5–6; Functional marks them. They are no county-level
//     division, so a new address may not use one (IsCurrentCounty), but the
//     police offices of such zones issue record numbers under their codes,
//     so a parsed record number may carry one (ValidRecordArea).
//   - Retired codes (330185 临安市, now 330112) are missing from the data:
//     not current, yet valid in old record numbers.
//   - The province abbreviations are SPEC §4's, the ICP ones MIIT's
//     (abbreviation.go).
//
// Codes are handled as strings of ASCII digits: 2 digits name a province
// ("42"), 4 a city ("4201"), 6 a county-level area ("420111"). The canonical
// form of every level is 6 digits padded with zeros ("420000", "420100").
package area

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Level is the tier of an administrative division.
type Level int

const (
	Province Level = iota + 1 // 省级: province, autonomous region, municipality
	City                      // 地级: prefecture-level city, or a placeholder such as 市辖区
	County                    // 县级: district, county, county-level city
)

func (l Level) String() string {
	switch l {
	case Province:
		return "province"
	case City:
		return "city"
	case County:
		return "county"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// Area is one GB/T 2260 division.
type Area struct {
	Code  string // 6 digits: 420000, 420100, 420111
	Name  string // 湖北省, 武汉市, 洪山区
	Level Level
}

// ProvinceCode is the 2-digit province prefix of the area.
func (a Area) ProvinceCode() string { return a.Code[:2] }

// Placeholder reports whether the area is a grouping row of GB/T 2260 rather
// than a place people name in an address: 市辖区 (the districts of a
// municipality), 县 (its counties) and 省直辖县级行政区划 / 自治区直辖县级行政区划
// (county-level units directly under a province). They are real entries and
// are kept, but a display of the address leaves them out.
func (a Area) Placeholder() bool {
	return a.Level == City && (a.Name == "市辖区" || a.Name == "县" || strings.HasSuffix(a.Name, "直辖县级行政区划"))
}

// Functional reports whether the area is a functional zone of the
// statistical codes (a development, high-tech or new zone: 71–79 in digits
// 5–6), not a GB/T 2260 county-level division.
func (a Area) Functional() bool {
	return a.Level == County && len(a.Code) == 6 && a.Code[4] == '7'
}

//go:embed data/provinces.csv data/cities.csv data/areas.csv
var dataFS embed.FS

// table is the parsed code list, built once by load.
type table struct {
	byCode    map[string]Area // canonical 6-digit code → area, counties win over cities (see lookup)
	provinces map[string]Area // "42"
	cities    map[string]Area // "4201"
	counties  map[string]Area // "420111"

	provinceList []Area
	citiesOf     map[string][]Area // "42" → cities, sorted by code
	countiesOf   map[string][]Area // "4201" → counties, sorted by code
}

// load parses the embedded CSVs exactly once. The data is compiled in, so a
// parse failure is a build defect, not a run-time condition: it panics.
var load = sync.OnceValue(func() *table {
	t := &table{
		byCode:     make(map[string]Area, 3400),
		provinces:  make(map[string]Area, 32),
		cities:     make(map[string]Area, 400),
		counties:   make(map[string]Area, 3000),
		citiesOf:   make(map[string][]Area, 32),
		countiesOf: make(map[string][]Area, 400),
	}
	for _, r := range readCSV("data/provinces.csv", 2) {
		a := Area{Code: pad(r[0]), Name: r[1], Level: Province}
		t.provinces[r[0]] = a
		t.provinceList = append(t.provinceList, a)
	}
	for _, r := range readCSV("data/cities.csv", 3) {
		a := Area{Code: pad(r[0]), Name: r[1], Level: City}
		t.cities[r[0]] = a
		t.citiesOf[r[2]] = append(t.citiesOf[r[2]], a)
	}
	for _, r := range readCSV("data/areas.csv", 4) {
		a := Area{Code: r[0], Name: r[1], Level: County}
		t.counties[r[0]] = a
		t.countiesOf[r[2]] = append(t.countiesOf[r[2]], a)
	}
	// Fill byCode from the coarsest level up, so that a code such as 441900
	// (东莞市 is both a city, 4419, and its own only county-level unit,
	// 441900) resolves to the county: the 6-digit form names a county first.
	for _, m := range []map[string]Area{t.provinces, t.cities, t.counties} {
		for _, a := range m {
			t.byCode[a.Code] = a
		}
	}
	byCode := func(a, b Area) int { return strings.Compare(a.Code, b.Code) }
	slices.SortFunc(t.provinceList, byCode)
	for _, l := range t.citiesOf {
		slices.SortFunc(l, byCode)
	}
	for _, l := range t.countiesOf {
		slices.SortFunc(l, byCode)
	}
	return t
})

func readCSV(name string, fields int) [][]string {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("area: embedded %s: %v", name, err))
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = fields
	rows, err := r.ReadAll()
	if err != nil {
		panic(fmt.Sprintf("area: embedded %s: %v", name, err))
	}
	if len(rows) == 0 {
		panic(fmt.Sprintf("area: embedded %s is empty", name))
	}
	return rows[1:] // header
}

func pad(code string) string { return code + "000000"[len(code):] }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Lookup finds a current code. It takes the 2-digit (province), 4-digit
// (city) or 6-digit form. A 6-digit code names a county-level area if one is
// listed under it; otherwise "XXYY00" names city XXYY and "XX0000" province XX.
// Retired codes (such as 330185, merged into Hangzhou's districts) are not found.
func Lookup(code string) (Area, bool) {
	t := load()
	var (
		a  Area
		ok bool
	)
	switch {
	case !allDigits(code):
	case len(code) == 2:
		a, ok = t.provinces[code]
	case len(code) == 4:
		a, ok = t.cities[code]
	case len(code) == 6:
		a, ok = t.byCode[code]
	}
	return a, ok
}

// Provinces lists the 31 provincial-level divisions, by code.
func Provinces() []Area {
	return slices.Clone(load().provinceList)
}

// Cities lists the city-level divisions of a province, given as "42" or
// "420000". Placeholder rows (市辖区, 省直辖县级行政区划) are included: the
// counties hang below them.
func Cities(province string) []Area {
	if len(province) == 6 && strings.HasSuffix(province, "0000") {
		province = province[:2]
	}
	if len(province) != 2 {
		return nil
	}
	return slices.Clone(load().citiesOf[province])
}

// Counties lists the county-level divisions of a city, given as "4201" or
// "420100".
func Counties(city string) []Area {
	if len(city) == 6 && strings.HasSuffix(city, "00") {
		city = city[:4]
	}
	if len(city) != 4 {
		return nil
	}
	return slices.Clone(load().countiesOf[city])
}

// Path is the chain province → city → county down to the given current code,
// for display ("湖北省 武汉市 洪山区"). It is nil when the code is unknown.
func Path(code string) []Area {
	a, ok := Lookup(code)
	if !ok {
		return nil
	}
	t := load()
	path := []Area{t.provinces[a.Code[:2]]}
	if a.Level >= City {
		path = append(path, t.cities[a.Code[:4]])
	}
	if a.Level == County {
		path = append(path, a)
	}
	return path
}

// FullName is the address prefix people write for a current code: the names
// of Path joined by spaces, leaving out placeholder rows and a county that
// repeats its city's name (北京市 西城区, 广东省 东莞市, 湖北省 仙桃市).
// It is "" when the code is unknown.
func FullName(code string) string {
	var names []string
	for _, a := range Path(code) {
		if a.Placeholder() || (len(names) > 0 && names[len(names)-1] == a.Name) {
			continue
		}
		names = append(names, a.Name)
	}
	return strings.Join(names, " ")
}

// IsCurrentCounty reports whether code is a current county-level code: six
// digits, listed among the county-level areas, and not a functional zone.
// A new subject or person address must satisfy it.
func IsCurrentCounty(code string) bool {
	if len(code) != 6 {
		return false
	}
	a, ok := load().counties[code]
	return ok && !a.Functional()
}

// Divisions lists the county-level divisions of a city (as Counties does)
// without its functional zones: the areas a new address may name.
func Divisions(city string) []Area {
	return slices.DeleteFunc(Counties(city), Area.Functional)
}

// ValidProvince reports whether p is one of the 31 2-digit province codes.
func ValidProvince(p string) bool {
	_, ok := abbreviations[p]
	return ok && len(p) == 2
}

// ValidRecordArea reports whether code may stand as the area of a parsed
// record number (or the area prefix of an identity number): six digits
// whose first two are a valid province. Record numbers outlive the codes they
// were issued under (330185, 临安市, became 330112 in 2017), and numbers are
// issued at city or province level too (110000), so nothing more is required.
func ValidRecordArea(code string) bool {
	return len(code) == 6 && allDigits(code) && ValidProvince(code[:2])
}

// ValidPrefix accepts a reviewer's scope: a province, city or county code
// prefix ("42", "4201", "420111") of an area that exists.
func ValidPrefix(p string) bool {
	if len(p) != 2 && len(p) != 4 && len(p) != 6 {
		return false
	}
	for _, r := range p {
		if r < '0' || r > '9' {
			return false
		}
	}
	if !ValidProvince(p[:2]) {
		return false
	}
	if len(p) == 2 {
		return true
	}
	_, ok := Lookup(p + strings.Repeat("0", 6-len(p)))
	return ok
}

// Within reports whether code falls inside a reviewer's scope, given as an
// area-code prefix: "42" (Hubei), "4201" (Wuhan), "420111" (Hongshan). The
// 6-digit form of a province or city ("420000", "420100") means the same as
// its short form. An empty scope is nationwide and contains every valid code.
func Within(prefix, code string) bool {
	if len(code) != 6 || !allDigits(code) {
		return false
	}
	if prefix == "" {
		return true
	}
	if !allDigits(prefix) || len(prefix)%2 != 0 || len(prefix) > 6 {
		return false
	}
	if len(prefix) == 6 {
		switch {
		case strings.HasSuffix(prefix, "0000"):
			prefix = prefix[:2]
		case strings.HasSuffix(prefix, "00"):
			prefix = prefix[:4]
		}
	}
	return strings.HasPrefix(code, prefix)
}
