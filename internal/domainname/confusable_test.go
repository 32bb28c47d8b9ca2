package domainname

import "testing"

func TestMixedScript(t *testing.T) {
	for _, c := range []struct {
		domain string
		mixed  string
	}{
		{"example.com", ""},
		{"中国移动.中国", ""},
		{"北京abc.cn", ""},      // Han with Latin: Chinese brand names do it
		{"ひらがなカタカナ漢字.jp", ""}, // Japanese
		{"한국어abc.kr", ""},     // Korean with Latin
		{"пример.рф", ""},     // all Cyrillic
		{"shop-2024.com.cn", ""},
		{"ex\u0430mple.com", "ex\u0430mple"}, // Cyrillic а in a Latin label
		{"g\u03bfogle.com", "g\u03bfogle"},   // Greek ο
		{"\u0440aypal.cn", "\u0440aypal"},    // Cyrillic р
		{"北京\u0430bc.cn", "北京\u0430bc"},      // Han with Cyrillic
	} {
		n, err := Normalize(c.domain)
		if err != nil {
			t.Fatalf("%s: %v", c.domain, err)
		}
		label, scripts := MixedScript(n)
		if label != c.mixed {
			t.Errorf("MixedScript(%s) = %q %v, want %q", c.domain, label, scripts, c.mixed)
		}
	}
}
