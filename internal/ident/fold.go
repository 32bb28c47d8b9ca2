package ident

import (
	"strings"
	"unicode"
)

// fold turns what a Chinese input method produces into ASCII where the
// meaning is the same: full-width digits, letters and punctuation
// (U+FF01–U+FF5E), the ideographic space, and the dash look-alikes people
// paste from word processors. Han characters are left alone.
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFF01 + '!'
		case r == '\u2010' || r == '\u2011' || r == '\u2012' || r == '\u2013' || r == '\u2014' || r == '\u2212' || r == '\uFE63':
			return '-'
		case unicode.IsSpace(r) || r == '\u3000':
			return ' '
		}
		return r
	}, s)
}

// squeeze folds s and removes every space.
func squeeze(s string) string {
	return strings.ReplaceAll(fold(s), " ", "")
}
