package ident

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// orgCodeWeights are the GB 11714-1997 weights of the 8 body characters.
var orgCodeWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

func orgCodeValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return -1
}

// OrgCodeCheckChar computes the GB 11714 check character of an 8-character
// organization code body: 11 − (Σ value×weight mod 11), with 10 written X
// and 11 written 0. Digits are worth 0–9, letters A–Z 10–35.
func OrgCodeCheckChar(body string) (byte, error) {
	if len(body) != 8 {
		return 0, ErrOrgCodeLength
	}
	sum := 0
	for i := 0; i < 8; i++ {
		v := orgCodeValue(body[i])
		if v < 0 {
			return 0, newError(ErrOrgCodeCharset.code, fmt.Sprintf("organization code: %q at position %d is not allowed (0-9, A-Z)", body[i], i+1))
		}
		sum += v * orgCodeWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X', nil
	case 11:
		return '0', nil
	default:
		return byte('0' + c), nil
	}
}

// NormalizeOrgCode checks an organization code (组织机构代码, GB 11714) and
// returns it in canonical form: the 9 characters without the hyphen that
// certificates print before the check character ("80210043-3" →
// "802100433"), matching SPEC §2's "9 characters" and the way the code sits
// inside a unified social credit code (positions 9–17). FormatOrgCode gives
// the printed form back.
func NormalizeOrgCode(s string) (string, error) {
	c := strings.ToUpper(squeeze(s))
	if len(c) == 10 && c[8] == '-' {
		c = c[:8] + c[9:]
	}
	if n := utf8.RuneCountInString(c); n != 9 {
		return "", newError(ErrOrgCodeLength.code, fmt.Sprintf("organization code must be 8 characters and a check character, got %d", n))
	}
	for i, r := range []rune(c) {
		if r > 0x7F || orgCodeValue(byte(r)) < 0 || (i == 8 && r != 'X' && (r < '0' || r > '9')) {
			return "", newError(ErrOrgCodeCharset.code, fmt.Sprintf("organization code: %q at position %d is not allowed (0-9 and A-Z, then a check character 0-9 or X)", r, i+1))
		}
	}
	want, err := OrgCodeCheckChar(c[:8])
	if err != nil {
		return "", err
	}
	if c[8] != want {
		return "", newError(ErrOrgCodeChecksum.code, fmt.Sprintf("organization code check character is %c, expected %c", c[8], want))
	}
	return c, nil
}

// FormatOrgCode prints a canonical organization code the way certificates
// do, with a hyphen before the check character: "80210043-3".
func FormatOrgCode(canonical string) string {
	if len(canonical) != 9 {
		return canonical
	}
	return canonical[:8] + "-" + canonical[8:]
}
