package accountrules

import (
	"strings"
	"testing"
)

func TestPassword(t *testing.T) {
	weak := []string{
		"12345678", "password", "        ", // the attack run's three
		"          ", "1234567890", "password123", "qwertyuiop", "aaaaaaaaaa", "abcabcabcabc",
		"abcdefghijkl", "0987654321", "Password123", "QWERTYUIOP", "lili-lili-lili", "lili2024beian",
		"my 13912345678", "woaini5201314", "1q2w3e4r5t", "short", strings.Repeat("x", 129),
	}
	for _, pw := range weak {
		if code, _ := Password(pw, "lili", "13912345678"); code == "" {
			t.Errorf("%q accepted", pw)
		}
	}
	strong := []string{"correct horse battery", "correct-horse-battery-9", "珞喻路一号的桂花树很香", "Tr0ub4dor&3xyz", "a brand new secret"}
	for _, pw := range strong {
		if code, why := Password(pw, "lili", "13912345678"); code != "" {
			t.Errorf("%q refused: %s", pw, why)
		}
	}
}

func TestLogin(t *testing.T) {
	for _, ok := range []string{"lili", "wang.wei", "zhang_3", "a-b"} {
		if Login(ok) != nil {
			t.Errorf("%q refused", ok)
		}
	}
	for _, bad := range []string{"", "ab", "1abc", "has space", "名字", strings.Repeat("x", 40)} {
		if Login(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
