// Package recordno parses, normalises and issues public-security record
// numbers (公安联网备案号), the "鄂公网安备 42011102000410号" shown in site
// footers (SPEC §4).
//
// A number is a province abbreviation, 公网安备, a space, 14 digits and 号.
// Digits 1–6 are the GB/T 2260 area code of the subject's address (county,
// city or province level, and possibly a code retired since), digits 7–8 are
// 02, digits 9–14 a sequence within the area. Numbers issued before the
// national platform have 12 digits.
//
// Parse accepts the number as people actually write it and reports what it
// had to forgive as warnings, separate from errors: the digits are
// authoritative, so a wrong or alias abbreviation, a missing space or 号, or
// bare digits still parse. Only something that is not a record number at all
// is an error.
package recordno

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/beian-dev/beian/internal/area"
)

// Number is a parsed record number.
type Number struct {
	Digits string // 14 digits, or 12 or 10 for a legacy number
	Abbr   string // canonical province abbreviation, derived from the digits
}

// Warning is something Parse forgave. Code is stable (snake_case), Message
// is English.
type Warning struct {
	Code, Message string
}

// Warning codes.
const (
	WarnPrefixMismatch      = "prefix_mismatch"      // the abbreviation names another province than the digits
	WarnUnknownPrefix       = "unknown_prefix"       // the character before 公网安备 is no province abbreviation
	WarnAliasPrefix         = "alias_prefix"         // 黔, 云, 蜀 or 陇 instead of 贵, 滇, 川, 甘
	WarnMissingAbbreviation = "missing_abbreviation" // 公网安备 without a province abbreviation
	WarnBareDigits          = "bare_digits"          // the digits alone
	WarnNoSpace             = "no_space"             // no space between 公网安备 and the digits
	WarnMissingHao          = "missing_hao"          // no 号 at the end
	WarnLegacy12Digits      = "legacy_12_digits"     // a number from before the national platform
	WarnLegacy10Digits      = "legacy_10_digits"     // an older local number (Beijing footers), before the national platform
	WarnFiller              = "filler"               // a colon or a word such as 号 between 公网安备 and the digits
	WarnTypeDigits          = "type_digits"          // digits 7–8 are not 02
)

// Error is a refusal with a stable machine code.
type Error struct {
	code, msg string
}

// Code is the stable snake_case code.
func (e *Error) Code() string { return e.code }

// Error is the English message.
func (e *Error) Error() string { return e.msg }

// Is matches any *Error with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.code == e.code
}

// Sentinels for errors.Is; returned errors carry a more specific message.
var (
	ErrEmpty    = &Error{"record_number_empty", "record number is empty"}
	ErrFormat   = &Error{"record_number_format", "not a public-security record number; expected a form such as 鄂公网安备 42011102000410号"}
	ErrArea     = &Error{"record_number_area", "record number's first six digits are not an area code of a province"}
	ErrSequence = &Error{"record_number_sequence", "record number sequence must be from 1 to 999999"}
)

func errorf(base *Error, format string, args ...any) *Error {
	return &Error{base.code, fmt.Sprintf(format, args...)}
}

// marker is the fixed middle of every record number.
const marker = "公网安备"

// Parse reads a record number as users write it: "鄂公网安备 42011102000410号"
// and also without the space (or with several, or full-width ones), without
// 号, with the aliases 黔/云/蜀, with a prefix that disagrees with the digits,
// as the 12 digits of a legacy number, or as bare digits. The digits decide
// the province; each tolerance used is reported as a Warning.
func Parse(s string) (Number, []Warning, error) {
	c := strings.TrimSpace(fold(s))
	if c == "" {
		return Number{}, nil, ErrEmpty
	}
	bad := func(why string) (Number, []Warning, error) {
		return Number{}, nil, errorf(ErrFormat, "%q is not a public-security record number (%s); expected a form such as 鄂公网安备 42011102000410号", strings.TrimSpace(s), why)
	}

	var warnings []Warning
	warn := func(code, format string, args ...any) {
		warnings = append(warnings, Warning{code, fmt.Sprintf(format, args...)})
	}

	prefix, rest, hasMarker := strings.Cut(c, marker)
	givenProvince := ""
	if hasMarker {
		prefix = strings.TrimSpace(prefix)
		switch r, size := utf8.DecodeRuneInString(prefix); {
		case prefix == "":
			warn(WarnMissingAbbreviation, "the province abbreviation before %s is missing", marker)
		case size != len(prefix) || !unicode.Is(unicode.Han, r):
			return bad("the part before " + marker + " must be one province abbreviation")
		default:
			p, ok := area.ProvinceOfAbbreviation(prefix)
			if !ok {
				warn(WarnUnknownPrefix, "%s is not a province abbreviation; the digits decide the province", prefix)
			}
			givenProvince = p
		}
		filler := ""
		rest, filler = cutFiller(rest)
		switch {
		case filler != "":
			warn(WarnFiller, "%q after %s is not part of the number", filler, marker)
		case !strings.HasPrefix(rest, " "):
			warn(WarnNoSpace, "a space belongs between %s and the digits", marker)
		}
		rest = strings.TrimSpace(rest)
	} else {
		rest = c
	}

	digits, hao := strings.CutSuffix(rest, "号")
	digits = strings.TrimSpace(digits)
	if !allDigits(digits) {
		return bad("expected digits")
	}
	if hasMarker && !hao {
		warn(WarnMissingHao, "the number should end with 号")
	}
	switch len(digits) {
	case 14:
		if t := digits[6:8]; t != "02" {
			warn(WarnTypeDigits, "digits 7–8 are %s; numbers of the national platform have 02", t)
		}
	case 12:
		warn(WarnLegacy12Digits, "a legacy 12-digit number from before the national platform; the site should be filed again there")
	case 10:
		warn(WarnLegacy10Digits, "a legacy 10-digit local number from before the national platform; the site should be filed again there")
	default:
		return bad(fmt.Sprintf("%d digits; a record number has 14, or 12 or 10 for a legacy one", len(digits)))
	}
	if !area.ValidRecordArea(digits[:6]) {
		return Number{}, nil, errorf(ErrArea, "record number %s: %s is not an area code of a province", digits, digits[:6])
	}
	abbr, _ := area.Abbreviation(digits)
	n := Number{Digits: digits, Abbr: abbr}

	if !hasMarker {
		warn(WarnBareDigits, "only the digits were given; in full the number is %s", n)
	}
	switch {
	case givenProvince == "":
	case givenProvince != digits[:2]:
		warn(WarnPrefixMismatch, "the prefix %s disagrees with the digits, which are in %s; the digits decide: %s", prefix, abbr, n)
	case area.IsAlias(prefix):
		warn(WarnAliasPrefix, "%s is an alias; the record-number abbreviation is %s", prefix, abbr)
	}
	return n, warnings, nil
}

// Normalize parses s and returns the canonical form, dropping warnings.
func Normalize(s string) (string, error) {
	n, _, err := Parse(s)
	if err != nil {
		return "", err
	}
	return n.String(), nil
}

// New issues the number of seq within areaCode: the area, 02, and the
// sequence as six digits. The area must be a current code (county, city or
// province level); seq runs from 1 to 999999.
func New(areaCode string, seq int) (Number, error) {
	a, ok := area.Lookup(areaCode)
	if len(areaCode) != 6 || !ok || a.Code != areaCode {
		return Number{}, errorf(ErrArea, "%q is not a current 6-digit area code", areaCode)
	}
	if seq < 1 || seq > 999999 {
		return Number{}, errorf(ErrSequence, "sequence %d is outside 1–999999", seq)
	}
	abbr, _ := area.Abbreviation(areaCode)
	return Number{Digits: fmt.Sprintf("%s02%06d", areaCode, seq), Abbr: abbr}, nil
}

// String is the canonical form, "鄂公网安备 42011102000410号"; "" for the zero Number.
func (n Number) String() string {
	if n.Digits == "" {
		return ""
	}
	return n.Abbr + marker + " " + n.Digits + "号"
}

// AreaCode is the GB/T 2260 code in digits 1–6 (possibly retired).
func (n Number) AreaCode() string {
	if len(n.Digits) < 6 {
		return ""
	}
	return n.Digits[:6]
}

// Legacy reports whether n is a 12- or 10-digit number from before the
// national platform.
func (n Number) Legacy() bool { return len(n.Digits) == 12 || len(n.Digits) == 10 }

// Sequence is the number within the area, digits 9–14. It is 0 for legacy
// 12-digit numbers, whose layout after the area code varied between offices.
func (n Number) Sequence() int {
	if len(n.Digits) != 14 {
		return 0
	}
	seq, _ := strconv.Atoi(n.Digits[8:])
	return seq
}

// MarshalText writes the canonical form, so a Number is a plain string in
// JSON and YAML.
func (n Number) MarshalText() ([]byte, error) { return []byte(n.String()), nil }

// UnmarshalText parses with every tolerance of Parse; warnings are dropped.
// An empty text is the zero Number, so optional fields round-trip.
func (n *Number) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*n = Number{}
		return nil
	}
	p, _, err := Parse(string(b))
	if err != nil {
		return err
	}
	*n = p
	return nil
}

// fillers are the words seen between 公网安备 and the digits in real
// footers: 京公网安备号 11010502026705, 京公网安备编号：…. Longest first.
var fillers = []string{"备案编号", "备案号", "编号", "号码", "号"}

// cutFiller removes from the start of rest a filler word and a colon
// (either, both, with spaces around), returning what was removed ("" when
// nothing was). A colon is folded to ASCII by then.
func cutFiller(rest string) (string, string) {
	s := strings.TrimLeft(rest, " ")
	var cut strings.Builder
	for _, f := range fillers {
		if t, ok := strings.CutPrefix(s, f); ok {
			cut.WriteString(f)
			s = strings.TrimLeft(t, " ")
			break
		}
	}
	if t, ok := strings.CutPrefix(s, ":"); ok {
		cut.WriteString(":")
		s = t
	}
	if cut.Len() == 0 {
		return rest, ""
	}
	return " " + strings.TrimLeft(s, " "), cut.String()
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// fold maps full-width digits and letters (U+FF01–U+FF5E), the ideographic
// space and other Unicode spaces to ASCII, as typed by a Chinese input method.
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFF01 + '!'
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, s)
}
