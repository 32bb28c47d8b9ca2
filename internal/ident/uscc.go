package ident

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// usccAlphabet is the GB 32100-2015 character set in value order: the digits
// and the capital letters without I, O, S, V and Z (too easily misread as 1,
// 0, 5, U and 2). A character's value is its index.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are 3^i mod 31 for positions 1–17.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCCCheckChar computes the GB 32100 check character (position 18) of the
// first 17 characters of a unified social credit code: 31 − (Σ value×weight
// mod 31), where 31 counts as 0.
func USCCCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, ErrUSCCLength
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccAlphabet, first17[i])
		if v < 0 {
			return 0, newError(ErrUSCCCharset.code, fmt.Sprintf("unified social credit code: %q at position %d is not allowed (0-9, A-Z without I, O, S, V, Z)", first17[i], i+1))
		}
		sum += v * usccWeights[i]
	}
	return usccAlphabet[(31-sum%31)%31], nil
}

// NormalizeUSCC checks a unified social credit code (统一社会信用代码,
// GB 32100) and returns it in canonical form: 18 upper-case characters, with
// spaces and full-width characters folded away.
func NormalizeUSCC(s string) (string, error) {
	c := strings.ToUpper(squeeze(s))
	if n := utf8.RuneCountInString(c); n != 18 {
		return "", newError(ErrUSCCLength.code, fmt.Sprintf("unified social credit code must be 18 characters, got %d", n))
	}
	for i, r := range []rune(c) {
		if r > 0x7F || strings.IndexByte(usccAlphabet, byte(r)) < 0 {
			return "", newError(ErrUSCCCharset.code, fmt.Sprintf("unified social credit code: %q at position %d is not allowed (0-9, A-Z without I, O, S, V, Z)", r, i+1))
		}
	}
	want, err := USCCCheckChar(c[:17])
	if err != nil {
		return "", err
	}
	if c[17] != want {
		return "", newError(ErrUSCCChecksum.code, fmt.Sprintf("unified social credit code check character is %c, expected %c", c[17], want))
	}
	return c, nil
}
