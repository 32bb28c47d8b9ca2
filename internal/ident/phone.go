package ident

import (
	"fmt"
	"strings"
)

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// stripCountryCode removes a leading +86 or 0086 and reports whether it did.
func stripCountryCode(s string) (string, bool) {
	for _, p := range []string{"+86", "0086"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return rest, true
		}
	}
	return s, false
}

// NormalizeMobile checks a mainland mobile number and returns its canonical
// 11 digits. It accepts a +86, 0086 or bare 86 country code, and spaces,
// hyphens and brackets between the digits ("+86 138-0013-8000",
// "(+86)13800138000").
func NormalizeMobile(s string) (string, error) {
	c := strings.NewReplacer(" ", "", "-", "", "(", "", ")", "").Replace(fold(s))
	c, _ = stripCountryCode(c)
	if len(c) == 13 && strings.HasPrefix(c, "86") {
		c = c[2:]
	}
	if len(c) != 11 || !digitsOnly(c) || c[0] != '1' || c[1] < '3' {
		return "", newError(ErrMobileInvalid.code, fmt.Sprintf("mobile number %q must be 11 digits starting 13-19, optionally after +86", strings.TrimSpace(s)))
	}
	return c, nil
}

// NormalizeLandline checks a mainland fixed-line number and returns it as
// "0AA(A)-NNNNNNN(N)", or "0AA(A)-NNNNNNN(N)-EEEE" with an extension.
//
// Accepted spellings: "027-87654321", "(027)87654321", "027 8765 4321",
// "02787654321", "+86 27 87654321", and an extension after a second hyphen,
// 转, ext or #. The area code is 010 or 02X (3 digits, always followed by an
// 8-digit number) or 0XXX (4 digits, followed by 7 or 8); that is how a run
// of digits without separators is split.
func NormalizeLandline(s string) (string, error) {
	bad := func(why string) error {
		return newError(ErrLandlineInvalid.code, fmt.Sprintf("landline number %q: %s; expected a form such as 027-87654321", strings.TrimSpace(s), why))
	}
	c := strings.ToLower(fold(s))
	c = strings.NewReplacer("(", "-", ")", "-").Replace(c) // fold made （） ASCII

	// The extension, when marked by a word rather than a hyphen.
	ext := ""
	for _, mark := range []string{"转", "ext.", "ext", "#"} {
		if before, after, ok := strings.Cut(c, mark); ok {
			c, ext = before, strings.Trim(strings.ReplaceAll(after, " ", ""), "-.:")
			break
		}
	}

	c = strings.TrimSpace(c)
	c, intl := stripCountryCode(c)
	var parts []string
	for _, p := range strings.Split(c, "-") {
		if p = strings.ReplaceAll(p, " ", ""); p != "" {
			parts = append(parts, p)
		}
	}
	if intl && len(parts) > 0 && !strings.HasPrefix(parts[0], "0") {
		parts[0] = "0" + parts[0] // +86 27 ... drops the trunk prefix 0
	}

	var areaCode, number string
	switch {
	case len(parts) == 1:
		d := parts[0]
		n := areaCodeLen(d)
		if len(d) <= n || d[0] != '0' {
			return "", bad("no area code")
		}
		areaCode, number = d[:n], d[n:]
	case len(parts) == 2 || (len(parts) == 3 && ext == ""):
		areaCode, number = parts[0], parts[1]
		if len(parts) == 3 {
			ext = parts[2]
		}
	default:
		return "", bad("too many parts")
	}

	switch {
	case !digitsOnly(areaCode) || !digitsOnly(number):
		return "", bad("not digits")
	case !validAreaCode(areaCode):
		return "", bad("unknown area code " + areaCode)
	case len(number) < 7 || len(number) > 8 || (len(areaCode) == 3 && len(number) != 8):
		return "", bad("the number after the area code has the wrong length")
	case number[0] == '0' || number[0] == '1':
		return "", bad("a local number does not start with 0 or 1")
	case ext != "" && (!digitsOnly(ext) || len(ext) > 6):
		return "", bad("the extension must be 1 to 6 digits")
	}
	out := areaCode + "-" + number
	if ext != "" {
		out += "-" + ext
	}
	return out, nil
}

// areaCodeLen is the length of the trunk-prefixed area code at the start of
// d: 3 for Beijing (010) and the 02X cities, 4 for everyone else.
func areaCodeLen(d string) int {
	if len(d) > 1 && (d[1] == '1' || d[1] == '2') {
		return 3
	}
	return 4
}

func validAreaCode(a string) bool {
	switch len(a) {
	case 3:
		// 010 Beijing; 020–029 the large cities (026 is reserved for Taiwan).
		return a == "010" || (a[1] == '2' && a != "026")
	case 4:
		return a[0] == '0' && a[1] >= '3' && a[1] <= '9'
	}
	return false
}
