package area

// abbreviations are the one-character province names that start a
// public-security record number (SPEC §4): 鄂公网安备 42011102000410号.
var abbreviations = map[string]string{
	"11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙",
	"21": "辽", "22": "吉", "23": "黑",
	"31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁",
	"41": "豫", "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼",
	"50": "渝", "51": "川", "52": "贵", "53": "滇", "54": "藏",
	"61": "陕", "62": "甘", "63": "青", "64": "宁", "65": "新",
}

// aliases are the other abbreviations in common use for four provinces:
// 黔 (Guizhou), 云 (Yunnan), 蜀 (Sichuan) and 陇 (Gansu). Users write them in
// record numbers, and MIIT ICP numbers use 蜀/黔/滇/陇 as their own
// canonical forms.
var aliases = map[string]string{"黔": "52", "云": "53", "蜀": "51", "陇": "62"}

// icpAbbreviations differ from the record-number ones for 51, 52, 53 and
// 62. Each of the 31 was checked against numbers in use (MIIT's filing
// system prints them so): 蜀ICP备 (Sichuan), 黔ICP备 (Guizhou), 滇ICP备
// (Yunnan) and 陇ICP备 (Gansu, e.g. 陇ICP备05000593 of 兰州财经大学); every
// other province's ICP numbers start with its record-number abbreviation
// (京ICP备, 沪ICP备, 粤ICP备, 新ICP备, …).
var icpAbbreviations = map[string]string{"51": "蜀", "52": "黔", "53": "滇", "62": "陇"}

// provinceOf maps every accepted abbreviation back to its province.
var provinceOf = func() map[string]string {
	m := make(map[string]string, len(abbreviations)+len(aliases))
	for p, a := range abbreviations {
		m[a] = p
	}
	for a, p := range aliases {
		m[a] = p
	}
	return m
}()

// Abbreviation is the record-number abbreviation of the province a code
// belongs to, read from its first two digits: 鄂 for 42xxxx, 42xx or 42. The
// rest of the code is not checked, so retired codes get their abbreviation.
func Abbreviation(code string) (string, bool) {
	if len(code) < 2 {
		return "", false
	}
	a, ok := abbreviations[code[:2]]
	return a, ok
}

// ICPAbbreviation is the abbreviation MIIT ICP numbers use for the province
// of code: the record-number one, except 蜀 (51), 黔 (52), 滇 (53) and 陇 (62).
func ICPAbbreviation(code string) (string, bool) {
	if len(code) < 2 {
		return "", false
	}
	if a, ok := icpAbbreviations[code[:2]]; ok {
		return a, true
	}
	return Abbreviation(code)
}

// ProvinceOfAbbreviation is the 2-digit province code of an abbreviation:
// "鄂" → "42". It also accepts the aliases 黔 (52), 云 (53), 蜀 (51) and 陇 (62).
func ProvinceOfAbbreviation(abbr string) (string, bool) {
	p, ok := provinceOf[abbr]
	return p, ok
}

// IsAlias reports whether abbr is an accepted alias (黔, 云, 蜀, 陇) rather than
// the record-number abbreviation of its province.
func IsAlias(abbr string) bool {
	_, ok := aliases[abbr]
	return ok
}
