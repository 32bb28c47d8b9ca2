package output

import (
	"strings"
	"unicode/utf8"
)

// Sanitize makes text the server sent safe to print on a terminal: escape
// sequences (CSI, OSC hyperlinks and titles), other C0 and C1 control
// characters, bidirectional overrides and invalid UTF-8 are shown as
// visible escapes instead of being obeyed. Newlines and tabs are kept.
// JSON and YAML output is never sanitised: it stays exact.
func Sanitize(s string) string {
	if !needsSanitizing(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteString(hex2(s[i]))
		case unsafeRune(r):
			if r < 0x100 {
				b.WriteString(`\x`)
				b.WriteString(hex2(byte(r)))
			} else {
				b.WriteString(`\u`)
				b.WriteString(hex2(byte(r >> 8)))
				b.WriteString(hex2(byte(r)))
			}
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

func needsSanitizing(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if unsafeRune(r) {
			return true
		}
	}
	return false
}

// unsafeRune: C0 controls but tab and newline, DEL, C1 controls, and the
// bidi embeddings, overrides and isolates (Trojan Source, CVE-2021-42574).
func unsafeRune(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e || r == 0x200f:
		return true
	}
	return false
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}
