package filing

import "testing"

func TestCleanText(t *testing.T) {
	ok := []struct{ in, want string }{
		{"武汉示例网络科技有限公司", "武汉示例网络科技有限公司"},
		{"珞喻路1号示例大厦8层801室", "珞喻路1号示例大厦8层801室"},
		{"བོད་ཡིག", "བོད་ཡིག"},         // Tibetan
		{"ئۇيغۇرچە", "ئۇيغۇرچە"},       // Uyghur, right to left by itself
		{"ᠮᠣᠩᠭᠣᠯ", "ᠮᠣᠩᠭᠣᠯ"},           // Mongolian
		{"Cafe\u0301", "Café"},         // NFD → NFC
		{"\uFF21BC 公司", "\uFF21BC 公司"}, // full-width letters are kept (NFC, not NFKC)
		{"O'Brien & Söhne GmbH", "O'Brien & Söhne GmbH"},
		{"a\tb", "a b"},
	}
	for _, c := range ok {
		got, err := CleanText(c.in)
		if err != nil || got != c.want {
			t.Errorf("CleanText(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	bad := []string{
		"bad\xffbyte",           // invalid UTF-8
		"lone \uFFFD surrogate", // what JSON makes of "\ud800"
		"nul\x00",               // NUL
		"\x1b]0;pwned\x07",      // ESC (OSC title) and BEL
		"\x1b[2J清屏",             // CSI clear screen
		"line\nbreak",           // a name has one line
		"\u202Egnp.exe",         // RIGHT-TO-LEFT OVERRIDE
		"\u2066isolate\u2069",   // isolates
		"zero\u200Bwidth",       // ZERO WIDTH SPACE
		"\uFEFFbom",             // BOM
		"soft\u00ADhyphen",      // invisible
		"c1\u0085next line",     // NEL (C1)
		"priv\uE000ate",         // private use
	}
	for _, in := range bad {
		if _, err := CleanText(in); err == nil {
			t.Errorf("CleanText(%q) accepted", in)
		} else if c, ok := err.(interface{ Code() string }); !ok || c.Code() != CodeTextInvalid {
			t.Errorf("CleanText(%q): %v has no code %s", in, err, CodeTextInvalid)
		}
	}
	if got, err := CleanMultiline("第一行\r\n第二行"); err != nil || got != "第一行\n第二行" {
		t.Errorf("CleanMultiline = %q, %v", got, err)
	}
	if _, err := CleanMultiline("ok\n\x1b[31mred"); err == nil {
		t.Error("CleanMultiline accepted an escape")
	}
}

func TestLongTermAndInternationalPhones(t *testing.T) {
	for _, s := range []string{"long_term", "LONG_TERM", "long term", "Long-Term", "长期", "长期有效", " 长期 "} {
		if !isLongTerm(s) {
			t.Errorf("isLongTerm(%q) = false", s)
		}
	}
	for _, s := range []string{"2036-03-07", "", "short"} {
		if isLongTerm(s) {
			t.Errorf("isLongTerm(%q) = true", s)
		}
	}
	for in, want := range map[string]string{
		"+1 877 448 4820":  "+18774484820", // an overseas provider's support line
		"+44 20 7946 0958": "+442079460958",
		"+65 6123-4567":    "+6561234567",
		"95187":            "95187",
		"0571-86543210":    "0571-86543210",
	} {
		got, err := providerPhone(in)
		if err != nil || got != want {
			t.Errorf("providerPhone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"+86 123", "+1 23", "877 448 4820x", "+0 1234567890"} {
		if _, err := providerPhone(in); err == nil {
			t.Errorf("providerPhone(%q) accepted", in)
		}
	}
}
