package domainname

import (
	"fmt"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// IDNA2008 (RFC 5891, 5892) decides which code points a label may hold:
// letters, digits and combining marks (the general categories Ll, Lo, Lm,
// Nd, Mn, Mc of RFC 5892 §2.1 LetterDigits), the hyphen, and the few
// exceptions of §2.6. Everything else — emoji, symbols, punctuation — is
// DISALLOWED. UTS #46 (what browsers and golang.org/x/net/idna's lookup
// profile apply) lets emoji through as "valid, not IDNA2008" (NV8) for
// lookup's sake; a registry does not register them, so the platform must
// not accept them either. The UTS #46 mappings (upper to lower case,
// full-width to ASCII, 。 to .) are applied before this check, so it sees
// the mapped U-label.

// exceptionsPVALID and exceptionsDisallowed are RFC 5892 §2.6's lists;
// contextO are its CONTEXTO code points, allowed here in the contexts of
// RFC 5892 Appendix A.
var (
	exceptionsPVALID     = map[rune]bool{0x00DF: true, 0x03C2: true, 0x06FD: true, 0x06FE: true, 0x0F0B: true, 0x3007: true}
	exceptionsDisallowed = map[rune]bool{0x0640: true, 0x07FA: true, 0x302E: true, 0x302F: true, 0x3031: true, 0x3032: true, 0x3033: true, 0x3034: true, 0x3035: true, 0x303B: true}
)

// idna2008Disallowed returns the first code point of the U-label l that
// IDNA2008 does not allow, and false when there is none.
func idna2008Disallowed(l string) (rune, bool) {
	var prev rune
	runes := []rune(l)
	for i, r := range runes {
		ok := false
		switch {
		case r == '-' || r < 0x80 && isLDH(byte(r)):
			ok = true
		case exceptionsDisallowed[r]:
		case exceptionsPVALID[r]:
			ok = true
		case r == 0x200C || r == 0x200D: // ZWNJ, ZWJ (CONTEXTJ): after a virama only
			ok = i > 0 && norm.NFC.PropertiesString(string(prev)).CCC() == 9
		case r == 0x00B7: // MIDDLE DOT: between two l (Catalan)
			ok = i > 0 && i+1 < len(runes) && prev == 'l' && runes[i+1] == 'l'
		case r == 0x30FB: // KATAKANA MIDDLE DOT: with Hiragana, Katakana or Han in the label
			ok = hasScript(runes, unicode.Hiragana, unicode.Katakana, unicode.Han)
		case r == 0x0375: // GREEK KERAIA: before Greek
			ok = i+1 < len(runes) && unicode.Is(unicode.Greek, runes[i+1])
		case r == 0x05F3 || r == 0x05F4: // HEBREW GERESH, GERSHAYIM: after Hebrew
			ok = i > 0 && unicode.Is(unicode.Hebrew, prev)
		case unicode.In(r, unicode.Ll, unicode.Lo, unicode.Lm, unicode.Nd, unicode.Mn, unicode.Mc):
			ok = true
		}
		if !ok {
			return r, true
		}
		prev = r
	}
	return 0, false
}

func hasScript(runes []rune, scripts ...*unicode.RangeTable) bool {
	for _, r := range runes {
		if r != 0x30FB && unicode.In(r, scripts...) {
			return true
		}
	}
	return false
}

// describeRune names a code point for a message: '😀' (U+1F600).
func describeRune(r rune) string {
	if unicode.IsPrint(r) {
		return fmt.Sprintf("%q (U+%04X)", r, r)
	}
	return fmt.Sprintf("U+%04X", r)
}
