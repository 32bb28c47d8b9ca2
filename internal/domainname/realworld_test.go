package domainname

import (
	"errors"
	"testing"
)

// realDomains are domain names as people type and paste them, from real
// registrations and from the ways they reach a form (the source in the
// comment). want is the A-label, or "" for a refusal with code.
var realDomains = []struct {
	in, want, code string
}{
	// UTS #46 mappings users rely on: kept.
	{"ＷＷＷ．ｅｘａｍｐｌｅ．ｃｏｍ．ｃｎ", "www.example.com.cn", ""}, // typed with a Chinese input method's full-width mode
	{"例子。公司", "xn--fsqu00a.xn--55qx5d", ""},          // 。 as the dot, as a pinyin IME types it
	{"BAIDU.COM", "baidu.com", ""},                   // caps lock
	{"中国移动.中国", "xn--fiq02ib9d179b.xn--fiqs8s", ""},  // China Mobile's Chinese domain
	{"新华网.cn", "xn--xkrr14bows.cn", ""},              // xinhuanet's Chinese-label domain
	{"北京大学.中国", "xn--1lq90ic7fzpc.xn--fiqs8s", ""},   // Peking University's .中国 domain
	{"faß.de", "xn--fa-hia.de", ""},                  // IDNA2008 keeps ß (it maps to ss in UTS #46 transitional only)
	{"müller.de", "xn--mller-kva.de", ""},
	{"παράδειγμα.δοκιμή", "xn--hxajbheg2az3al.xn--jxalpdlp", ""}, // IANA's Greek test domain
	{"пример.испытание", "xn--e1afmkfd.xn--80akhbyknj4f", ""},    // IANA's Cyrillic test domain
	// Emoji and symbols: IDNA2008 disallows them, registries refuse them.
	{"😀.com", "", CodeDomainDisallowed}, // the issue's own example
	{"i❤.ws", "", CodeDomainDisallowed}, // a famous emoji domain of .ws, which still registers them
	{"☃.net", "", CodeDomainDisallowed}, // the snowman domain, registered before IDNA2008
	{"➡.ws", "", CodeDomainDisallowed},  // an emoji URL shortener of .ws
	{"💩.la", "", CodeDomainDisallowed},  // the pile-of-poo domain of .la
	{"ü♥.com", "", CodeDomainDisallowed},
	{"♥.example.com", "", CodeDomainDisallowed},
	{"xn--i-7iq.ws", "", CodeDomainDisallowed}, // i❤.ws as its A-label
	{"xn--n3h.net", "", CodeDomainDisallowed},  // ☃.net as its A-label
	{"a☆b.cn", "", CodeDomainDisallowed},       // a star pasted from a shop name
	{"中国★移动.cn", "", CodeDomainDisallowed},
	{"example‧com.cn", "", CodeDomainDisallowed},  // a hyphenation point pasted for a dot
	{"example・shop.jp", "", CodeDomainDisallowed}, // ・ needs kana or Han beside it

}

func TestRealDomains(t *testing.T) {
	for _, tt := range realDomains {
		n, err := Normalize(tt.in)
		if tt.want == "" {
			var e *Error
			if !errors.As(err, &e) || e.Code() != tt.code {
				t.Errorf("Normalize(%q) = %+v, %v; want refusal %s", tt.in, n, err, tt.code)
			}
			continue
		}
		if err != nil || n.ASCII != tt.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", tt.in, n.ASCII, err, tt.want)
		}
	}
	// The katakana middle dot is allowed beside kana or Han (RFC 5892 A.9).
	if _, err := Normalize("ショップ・例.jp"); err != nil {
		t.Errorf("ショップ・例.jp: %v", err)
	}
}
