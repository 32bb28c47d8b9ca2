package domainname

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		in, ascii, unicode string
	}{
		{"example.com", "example.com", "example.com"},
		{"WWW.Example.COM.", "www.example.com", "www.example.com"},
		{"  example.com.cn  ", "example.com.cn", "example.com.cn"},
		{"中国移动.中国", "xn--fiq02ib9d179b.xn--fiqs8s", "中国移动.中国"},
		{"中国移动。中国", "xn--fiq02ib9d179b.xn--fiqs8s", "中国移动.中国"},  // ideographic full stop from a Chinese IME
		{"中国移动．中国．", "xn--fiq02ib9d179b.xn--fiqs8s", "中国移动.中国"}, // full-width dot, trailing one stripped
		{"例子.公司", "xn--fsqu00a.xn--55qx5d", "例子.公司"},
		{"XN--FSQU00A.XN--55QX5D", "xn--fsqu00a.xn--55qx5d", "例子.公司"}, // A-label in upper case
		{"例子.测试", "xn--fsqu00a.xn--0zwm56d", "例子.测试"},                 // IANA's IDN test TLD: valid shape, not registrable
		{"Ｅｘａｍｐｌｅ.com", "example.com", "example.com"},                 // full-width letters mapped by UTS #46
		{"faß.de", "xn--fa-hia.de", "faß.de"},                         // non-transitional: ß is kept, not turned into ss
		{"Bücher.example", "xn--bcher-kva.example", "bücher.example"}, // upper-case Unicode folded
		{"xn--bcher-kva.example", "xn--bcher-kva.example", "bücher.example"},
		{"a-b.example.com", "a-b.example.com", "a-b.example.com"},
		{"123.example.com", "123.example.com", "123.example.com"}, // digits are fine except in the last label
		{"com.cn", "com.cn", "com.cn"},                            // a public suffix still has a valid shape
		{"localhost", "localhost", "localhost"},
		{strings.Repeat("a", 63) + ".com", strings.Repeat("a", 63) + ".com", strings.Repeat("a", 63) + ".com"},
		{name253(), name253(), name253()},
		{name253() + ".", name253(), name253()}, // the root dot does not count
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n, err := Normalize(tt.in)
			if err != nil {
				t.Fatalf("Normalize(%q): %v", tt.in, err)
			}
			if n.ASCII != tt.ascii || n.Unicode != tt.unicode {
				t.Errorf("Normalize(%q) = {%q, %q}, want {%q, %q}", tt.in, n.ASCII, n.Unicode, tt.ascii, tt.unicode)
			}
			if n.String() != tt.ascii {
				t.Errorf("String() = %q, want %q", n.String(), tt.ascii)
			}
			if n.IsIDN() != (tt.ascii != tt.unicode) {
				t.Errorf("IsIDN() = %v", n.IsIDN())
			}
		})
	}
}

// name253 is a name of exactly 253 octets: 3×63-octet labels, a 61-octet
// label and the dots between them.
func name253() string {
	l := strings.Repeat("a", 63)
	n := l + "." + l + "." + l + "." + strings.Repeat("b", 61)
	if len(n) != 253 {
		panic(len(n))
	}
	return n
}

// name254 is one octet too long: 3×63-octet labels, a 62-octet label.
func name254() string {
	l := strings.Repeat("a", 63)
	n := l + "." + l + "." + l + "." + strings.Repeat("b", 62)
	if len(n) != 254 {
		panic(len(n))
	}
	return n
}

func TestNormalizeRejects(t *testing.T) {
	long64 := strings.Repeat("a", 64)
	tests := []struct {
		in, code string
	}{
		{"", CodeDomainEmpty},
		{"   ", CodeDomainEmpty},
		{".", CodeDomainEmpty},
		{"a..b", CodeDomainLabelEmpty},
		{".example.com", CodeDomainLabelEmpty},
		{"example.com..", CodeDomainLabelEmpty}, // only one trailing dot is the root
		{"例子。。公司", CodeDomainLabelEmpty},
		{"-a.com", CodeDomainLeadingHyphen},
		{"www.-example.com", CodeDomainLeadingHyphen},
		{"a-.com", CodeDomainTrailingHyphen},
		{"例子－.公司", CodeDomainTrailingHyphen}, // full-width hyphen, seen after mapping
		{"ab--cd.com", CodeDomainInvalid},    // ??-- is reserved by IDNA
		{"a b.com", CodeDomainInvalidChar},
		{"a\u3000b.com", CodeDomainInvalidChar}, // ideographic space
		{"a_b.com", CodeDomainInvalidChar},
		{"user@example.com", CodeDomainInvalidChar},
		{"example.com:8080", CodeDomainInvalidChar},
		{"a\tb.com", CodeDomainInvalidChar},
		{"http://x.com", CodeDomainIsURL},
		{"https://www.example.com/", CodeDomainIsURL},
		{"example.com/index.html", CodeDomainIsURL},
		{"example.com?x=1", CodeDomainIsURL},
		{"1.2.3.4", CodeDomainIsIP},
		{"2001:db8::1", CodeDomainIsIP},
		{"[2001:db8::1]", CodeDomainIsIP},
		{"fe80::1%eth0", CodeDomainIsIP},
		{"１.２.３.４", CodeDomainIsIP}, // full-width digits map to an IPv4 address
		{"1.2.3", CodeDomainIsIP},
		{"example.0x7f", CodeDomainIsIP},
		{long64 + ".com", CodeDomainLabelTooLong},
		{"www." + long64 + ".example.com", CodeDomainLabelTooLong},
		{"中华人民共和国公安部网络安全保卫局互联网站备案管理系统.com", CodeDomainLabelTooLong}, // 25 runes, but over 63 octets as an A-label
		{name254(), CodeDomainTooLong},
		{"xn--abc.com", CodeDomainInvalid}, // punycode that decodes to garbage
		{"xn--example.com", CodeDomainInvalid},
		{"a\u200db.com", CodeDomainInvalid},  // ZWJ outside a joining context (CheckJoiners)
		{"\u0663a.com", CodeDomainInvalid},   // Arabic-Indic digit with Latin: bidi rule
		{"☃\x80.com", CodeDomainInvalidChar}, // invalid UTF-8
		{"a\u0000b.com", CodeDomainInvalidChar},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n, err := Normalize(tt.in)
			if err == nil {
				t.Fatalf("Normalize(%q) = %+v, want error %s", tt.in, n, tt.code)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T does not carry a code", err)
			}
			if e.Code() != tt.code {
				t.Errorf("Normalize(%q) code = %s (%v), want %s", tt.in, e.Code(), err, tt.code)
			}
			if e.Input != tt.in {
				t.Errorf("Input = %q, want %q", e.Input, tt.in)
			}
			if n != (Name{}) {
				t.Errorf("Normalize returned a name with an error: %+v", n)
			}
		})
	}
}

func TestRegistrable(t *testing.T) {
	tests := []struct {
		in, want   string
		firstLevel bool
	}{
		{"example.com", "example.com", true},
		{"www.example.com.cn", "example.com.cn", false},
		{"example.com.cn", "example.com.cn", true},
		{"a.b.example.co.uk", "example.co.uk", false},
		{"www.gov.cn", "www.gov.cn", true},                // gov.cn is a public suffix
		{"beian.mps.gov.cn", "mps.gov.cn", false},         // so mps.gov.cn is registrable
		{"中国移动.中国", "xn--fiq02ib9d179b.xn--fiqs8s", true}, // .中国 is CNNIC's IDN ccTLD
		{"www.中国移动.中国", "xn--fiq02ib9d179b.xn--fiqs8s", false},
		{"例子.公司", "xn--fsqu00a.xn--55qx5d", true},
		{"beian.miit.gov.cn", "miit.gov.cn", false},
		// The private section of the list is ignored on purpose: a
		// subdomain handed out by a hosting platform is not a domain the
		// user registered (see Registrable).
		{"user.github.io", "github.io", false},
		{"github.io", "github.io", true},
		{"a.b.github.io", "github.io", false},
		{"bucket.oss-cn-hangzhou.aliyuncs.com", "aliyuncs.com", false},
		// Wildcard and exception rules: *.kawasaki.jp and !city.kawasaki.jp.
		{"www.city.kawasaki.jp", "city.kawasaki.jp", false},
		{"shop.x.kawasaki.jp", "shop.x.kawasaki.jp", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n, err := Normalize(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Registrable(n)
			if err != nil {
				t.Fatalf("Registrable(%s): %v", n, err)
			}
			if got != tt.want {
				t.Errorf("Registrable(%s) = %q, want %q", n, got, tt.want)
			}
			if IsFirstLevel(n) != tt.firstLevel {
				t.Errorf("IsFirstLevel(%s) = %v, want %v", n, !tt.firstLevel, tt.firstLevel)
			}
		})
	}
}

func TestRegistrableRejects(t *testing.T) {
	tests := []struct {
		in, code string
	}{
		{"com", CodeDomainPublicSuffix},
		{"com.cn", CodeDomainPublicSuffix},
		{"gov.cn", CodeDomainPublicSuffix},
		{"co.uk", CodeDomainPublicSuffix},
		{"中国", CodeDomainPublicSuffix},
		{"公司", CodeDomainPublicSuffix},
		{"x.kawasaki.jp", CodeDomainPublicSuffix}, // matched by *.kawasaki.jp
		{"localhost", CodeDomainUnknownTLD},
		{"example.localhost", CodeDomainUnknownTLD},
		{"例子.测试", CodeDomainUnknownTLD}, // .测试 is a test TLD, never delegated
		{"intranet.corp", CodeDomainUnknownTLD},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n, err := Normalize(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Registrable(n)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Registrable(%s) = %q, %v; want error %s", n, got, err, tt.code)
			}
			if e.Code() != tt.code {
				t.Errorf("code = %s (%v), want %s", e.Code(), err, tt.code)
			}
			if IsFirstLevel(n) {
				t.Errorf("IsFirstLevel(%s) = true", n)
			}
		})
	}
	if _, err := Registrable(Name{}); err == nil {
		t.Error("Registrable of the zero Name succeeded")
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"example.com", "WWW.Example.COM.", "中国移动.中国", "例子。公司", "xn--fsqu00a.xn--55qx5d",
		"faß.de", "İstanbul.tr", "a..b", "-a.com", "a b.com", "1.2.3.4", "::1", "http://x.com",
		"Ｅｘａｍｐｌｅ．ｃｏｍ", "xn--abc", "a\u200db", "\u0663a", strings.Repeat("a", 64),
	} {
		f.Add(s)
	}
	for _, tt := range realDomains {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Normalize(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code() == "" {
				t.Fatalf("Normalize(%q): error without a code: %v", s, err)
			}
			return
		}
		if n.ASCII == "" || n.Unicode == "" {
			t.Fatalf("Normalize(%q) = %+v: empty form", s, n)
		}
		if len(n.ASCII) > MaxNameLength {
			t.Fatalf("Normalize(%q): %d octets", s, len(n.ASCII))
		}
		for _, c := range []byte(n.ASCII) {
			if !(isLDH(c) && !('A' <= c && c <= 'Z') || c == '.') {
				t.Fatalf("Normalize(%q).ASCII = %q holds %q", s, n.ASCII, c)
			}
		}
		for _, form := range []string{n.ASCII, n.Unicode} {
			again, err := Normalize(form)
			if err != nil {
				t.Fatalf("Normalize(%q) = %+v, but Normalize(%q) fails: %v", s, n, form, err)
			}
			if again != n {
				t.Fatalf("Normalize(%q) = %+v, but Normalize(%q) = %+v", s, n, form, again)
			}
		}
		// Registrable must not panic and, when it answers, answer a
		// suffix of the name.
		if r, err := Registrable(n); err == nil && !(r == n.ASCII || strings.HasSuffix(n.ASCII, "."+r)) {
			t.Fatalf("Registrable(%s) = %q", n, r)
		}
	})
}
