package filing

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// CodeTextInvalid is free text with characters no name or address has.
const CodeTextInvalid = "text_invalid"

// CleanText checks one line of free text — a name, an address, a reason —
// and returns it in Unicode NFC (issue 9 item 11). It refuses what can only
// be a mistake or an attack on whoever displays the text later:
//
//   - invalid UTF-8, and U+FFFD, which is what a JSON decoder makes of
//     invalid bytes and lone surrogates;
//   - control characters (C0 but tab, DEL, C1): NUL, ESC, BEL, CR, LF…
//     (ESC sequences would drive a reviewer's terminal);
//   - bidirectional overrides, embeddings and isolates (U+202A–U+202E,
//     U+2066–U+2069) and marks (U+200E, U+200F, U+061C), which make text
//     read differently from what it is ("Trojan Source");
//   - zero-width and invisible characters (U+200B–U+200D, U+2060–U+2064,
//     U+FEFF, U+180E, U+00AD), which make two different names look equal.
//
// Tab is turned into a space. Everything a name or an address in any
// language needs (CJK, Tibetan, Uyghur, Mongolian, combining marks) passes.
func CleanText(s string) (string, error) {
	if !utf8.ValidString(s) {
		return s, textError("is not valid UTF-8")
	}
	for i, r := range s {
		if why := badRune(r); why != "" {
			return s, textError(fmt.Sprintf("has %s (U+%04X) at byte %d", why, r, i))
		}
	}
	out := []rune{}
	for _, r := range s {
		if r == '\t' {
			r = ' '
		}
		out = append(out, r)
	}
	return norm.NFC.String(string(out)), nil
}

// CleanMultiline is CleanText for text of several lines (a reviewer's
// reason): line feeds are kept, CR LF becomes LF.
func CleanMultiline(s string) (string, error) {
	var lines []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			lines = append(lines, s[start:i])
			start = i + 1
		}
	}
	lines = append(lines, s[start:])
	out := ""
	for i, l := range lines {
		if n := len(l); n > 0 && l[n-1] == '\r' {
			l = l[:n-1]
		}
		c, err := CleanText(l)
		if err != nil {
			return s, err
		}
		if i > 0 {
			out += "\n"
		}
		out += c
	}
	return out, nil
}

type textErr struct{ msg string }

func (e *textErr) Error() string { return e.msg }
func (e *textErr) Code() string  { return CodeTextInvalid }

func textError(why string) error { return &textErr{msg: "the text " + why} }

func badRune(r rune) string {
	switch {
	case r == utf8.RuneError:
		return "an invalid character (invalid UTF-8 or a lone surrogate)"
	case r == '\t':
		return ""
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return "a control character"
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return "a bidirectional override"
	case r == 0x200e || r == 0x200f || r == 0x061c:
		return "a bidirectional mark"
	case r >= 0x200b && r <= 0x200d, r >= 0x2060 && r <= 0x2064, r == 0xfeff, r == 0x180e, r == 0xad:
		return "an invisible character"
	case unicode.Is(unicode.Co, r), unicode.Is(unicode.Cs, r):
		return "a private-use or surrogate code point"
	case r >= 0xfff9 && r <= 0xfffb, r == 0xfffe || r == 0xffff:
		return "a non-character"
	}
	return ""
}

// SandboxLenient drops the errors the sandbox forgives: names under .test
// count as first-level domains. Validate applies it with
// SiteOptions.TestDomains; the server applies it to NormalizeSite's errors
// in the sandbox. One rule, so the client's checks agree with the server.
func SandboxLenient(s Site, errs Errors) Errors {
	var out Errors
	for _, e := range errs {
		v := ""
		if e.Field == "site.primary_domain" {
			v = s.PrimaryDomain
		}
		for i, d := range s.ExtraDomains {
			if e.Field == fmt.Sprintf("site.extra_domains[%d]", i) {
				v = d
			}
		}
		v = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(v), "."))
		if v != "" && (v == "test" || strings.HasSuffix(v, ".test")) {
			switch e.Code {
			case "domain_unknown_tld", "domain_not_first_level", "domain_public_suffix":
				continue
			}
		}
		out = append(out, e)
	}
	return out
}
