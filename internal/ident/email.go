package ident

import (
	"fmt"
	"net/mail"
	"strings"
)

// NormalizeEmail checks a bare email address and returns it with the domain
// lower-cased (the local part is the mailbox owner's and keeps its case).
//
// It parses with net/mail but accepts only the plain addr-spec form: a
// display name ("Zhang San <z@example.cn>"), angle brackets, comments and
// quoted local parts are refused, because the field holds an address, not a
// header. The domain needs at least one dot (no bare hosts, no [IP]
// literals). Lengths follow RFC 5321: 64 for the local part, 254 in all.
func NormalizeEmail(s string) (string, error) {
	bad := func(why string) error {
		return newError(ErrEmailInvalid.code, fmt.Sprintf("email address %q: %s", strings.TrimSpace(s), why))
	}
	c := strings.TrimSpace(fold(s))
	if c == "" {
		return "", bad("empty")
	}
	if strings.ContainsAny(c, "<>\"() \t") {
		return "", bad("give the bare address only, such as name@example.cn")
	}
	addr, err := mail.ParseAddress(c)
	if err != nil {
		return "", bad("not an address")
	}
	if addr.Name != "" || addr.Address != c {
		return "", bad("give the bare address only, such as name@example.cn")
	}
	at := strings.LastIndexByte(c, '@')
	local, domain := c[:at], strings.ToLower(c[at+1:])
	switch {
	case len(local) > 64:
		return "", bad("the part before @ is longer than 64 characters")
	case strings.HasPrefix(domain, "["):
		return "", bad("an address literal is not accepted as a domain")
	case !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, ".."):
		return "", bad("the domain must be a full name such as example.cn")
	}
	out := local + "@" + domain
	if len(out) > 254 {
		return "", bad("longer than 254 characters")
	}
	return out, nil
}
