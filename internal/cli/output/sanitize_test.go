package output

import "testing"

func TestSanitize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"示例科技官网", "示例科技官网"},
		{"a\tb\nc", "a\tb\nc"},
		{"\x1b]0;pwned\x07title", `\x1b]0;pwned\x07title`},
		{"\x1b[2J\x1b[Hclear", `\x1b[2J\x1b[Hclear`},
		{"\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", `\x1b]8;;https://evil.example\x1b\link\x1b]8;;\x1b\`},
		{"abc\u202edcba", `abc\u202edcba`},
		{"nul\x00", `nul\x00`},
		{"c1\u009b31m", `c1\x9b31m`},
		{"bad\xffutf8", `bad\xffutf8`},
	} {
		if got := Sanitize(tc.in); got != tc.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSanitizeCellKeepsThePalette(t *testing.T) {
	for in, want := range map[string]string{
		"\x1b[32mavailable\x1b[0m":    "\x1b[32mavailable\x1b[0m",
		"\x1b[31m\x1b]0;x\x07\x1b[0m": "\x1b[31m\\x1b]0;x\\x07\x1b[0m",
		"\x1b[8mhidden\x1b[0m":        "\\x1b[8mhidden\\x1b[0m", // not the palette's
		"\x1b[2Jclear":                "\\x1b[2Jclear",
	} {
		if got := sanitizeCell(in); got != want {
			t.Errorf("sanitizeCell(%q) = %q, want %q", in, got, want)
		}
	}
}
