// Package domainname holds the platform's rules for the names a site is
// filed under: domain names (normalised with IDNA2008 lookup rules, both the
// A-label and the U-label kept), the registrable or "first-level" domain
// under the public-suffix list, IP addresses and CIDR segments, and the
// homepage URL that sites without a first-level domain give instead.
//
// Everything here is pure: no DNS, no network, no clock. Two spellings of
// one domain must compare equal before the duplicate check (SPEC §3) ever
// sees them, so every part of the platform normalises through this package.
package domainname

import (
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Limits from RFC 1035 §2.3.4, counted on the A-label (wire) form.
const (
	MaxLabelLength = 63
	MaxNameLength  = 253 // without the root dot
)

// Name is a normalised domain name.
type Name struct {
	// ASCII is the A-label form: lower case, no trailing dot, IDN labels as
	// xn--…. It is the form stored, compared and sent over the wire.
	ASCII string
	// Unicode is the U-label form, for display (中国移动.中国). For a pure
	// ASCII name it equals ASCII.
	Unicode string
}

// String returns the A-label form.
func (n Name) String() string { return n.ASCII }

// IsIDN reports whether the name has at least one internationalised label.
func (n Name) IsIDN() bool { return n.ASCII != n.Unicode }

// fullStops are the dots people type with a Chinese or Japanese input
// method on. UTS #46 maps them to '.', but the trailing-dot and empty-label
// rules below must see them as dots before IDNA runs.
var fullStops = strings.NewReplacer("\u3002", ".", "\uff0e", ".", "\uff61", ".")

// lookupAnyHyphens is the lookup profile without the hyphen rules, used only
// to explain why idna.Lookup refused a name.
var lookupAnyHyphens = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.CheckHyphens(false))

// Normalize turns what a user typed into a Name, or says precisely why it is
// not a domain name. It trims spaces, strips one trailing dot (the DNS root),
// reads full-width dots as dots, lower-cases, converts Unicode labels to
// A-labels with the IDNA2008 lookup profile (UTS #46 non-transitional
// mapping, so ß stays ß) and enforces the DNS length limits on the result.
//
// Normalize checks the shape of a name only; whether it is registrable is
// Registrable's question, so "com.cn" normalises fine.
func Normalize(s string) (Name, error) {
	in := s
	s = strings.TrimSpace(s)
	if s == "" {
		return Name{}, newError(CodeDomainEmpty, in, "domain name is empty")
	}
	if strings.Contains(s, "://") || strings.ContainsAny(s, "/?#") {
		return Name{}, newError(CodeDomainIsURL, in, "a URL was given where a domain name was expected; give the host name only")
	}
	s = fullStops.Replace(s)
	s = strings.TrimSuffix(s, ".") // exactly one: "a.b.." still has an empty label
	if s == "" {
		return Name{}, newError(CodeDomainEmpty, in, "domain name is empty")
	}
	if isIPLiteral(s) {
		return Name{}, newError(CodeDomainIsIP, in, "an IP address is not a domain name")
	}
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsControl(r) ||
			(r < utf8.RuneSelf && !isLDH(byte(r)) && r != '.') {
			return Name{}, newError(CodeDomainInvalidChar, in, "domain name may not contain %q", r)
		}
	}
	// Check the labels as typed first, so the common mistakes get a precise
	// code instead of IDNA's generic "invalid label".
	if err := checkLabels(in, s); err != nil {
		return Name{}, err
	}
	ascii, err := idna.Lookup.ToASCII(s)
	if err != nil {
		// If the only fault is a hyphen that mapping produced (a
		// full-width －), say so rather than "invalid".
		if mapped, err2 := lookupAnyHyphens.ToUnicode(s); err2 == nil {
			for _, l := range strings.Split(mapped, ".") {
				if err3 := checkHyphens(in, l); err3 != nil {
					return Name{}, err3
				}
			}
		}
		return Name{}, newError(CodeDomainInvalid, in, "not a valid internationalised domain name (%v)", err)
	}
	// UTS #46 mapping can create what the typed form did not show
	// (a full-width hyphen becomes '-', Ｅ becomes e), so check again on
	// the A-label form, which is also where lengths are counted.
	if err := checkLabels(in, ascii); err != nil {
		return Name{}, err
	}
	if isIPLiteral(ascii) {
		return Name{}, newError(CodeDomainIsIP, in, "an IP address is not a domain name")
	}
	if len(ascii) > MaxNameLength {
		return Name{}, newError(CodeDomainTooLong, in, "domain name is %d octets long in A-label form; the limit is %d", len(ascii), MaxNameLength)
	}
	unicodeForm, err := idna.Lookup.ToUnicode(ascii)
	if err != nil {
		// ToASCII accepted it, so this would be an IDNA library bug; refuse
		// rather than store a half-checked name.
		return Name{}, newError(CodeDomainInvalid, in, "not a valid internationalised domain name (%v)", err)
	}
	for _, l := range strings.Split(unicodeForm, ".") {
		if r, bad := idna2008Disallowed(l); bad {
			return Name{}, newError(CodeDomainDisallowed, in, "%s is not allowed in a domain name (IDNA2008 allows letters, digits and hyphens; emoji and symbols are refused by registries)", describeRune(r))
		}
	}
	return Name{ASCII: ascii, Unicode: unicodeForm}, nil
}

// checkLabels applies the per-label rules to a dot-separated name: no empty
// label, no label over 63 octets (meaningful on the A-label form), no
// leading or trailing hyphen, no "--" in the third and fourth positions
// unless it is an xn-- label, and a last label that is not a number.
func checkLabels(in, s string) error {
	labels := strings.Split(s, ".")
	for _, l := range labels {
		if l == "" {
			return newError(CodeDomainLabelEmpty, in, "domain name has an empty label")
		}
		if err := checkHyphens(in, l); err != nil {
			return err
		}
		// Lengths count on the A-label form: a Unicode label's UTF-8 bytes
		// say nothing about it (22 CJK characters are 66 bytes but a
		// 28-octet A-label), so only ASCII labels are measured here.
		if len(l) > MaxLabelLength && isASCII(l) {
			return newError(CodeDomainLabelTooLong, in, "label is %d octets long; the limit is %d", len(l), MaxLabelLength)
		}
	}
	if isNumber(labels[len(labels)-1]) {
		// "1.2.3" or "example.0x7f": browsers read a name ending in a
		// number as an IPv4 address, so it can never be a site's domain.
		return newError(CodeDomainIsIP, in, "a name ending in a number is read as an IPv4 address")
	}
	return nil
}

// checkHyphens applies the hyphen rules to one label.
func checkHyphens(in, l string) error {
	switch {
	case strings.HasPrefix(l, "-"):
		return newError(CodeDomainLeadingHyphen, in, "label %q starts with a hyphen", l)
	case strings.HasSuffix(l, "-"):
		return newError(CodeDomainTrailingHyphen, in, "label %q ends with a hyphen", l)
	case len(l) >= 4 && l[2:4] == "--" && !strings.EqualFold(l[:2], "xn"):
		// IDNA2008 reserves ??-- labels for future encodings.
		return newError(CodeDomainInvalid, in, "label %q has hyphens in the third and fourth positions, which IDNA reserves", l)
	}
	return nil
}

func isLDH(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-'
}

// isNumber follows the WHATWG URL "ends in a number" check: all decimal
// digits, or 0x followed by hex digits.
func isNumber(l string) bool {
	if l == "" {
		return false
	}
	if len(l) >= 2 && (l[:2] == "0x" || l[:2] == "0X") {
		for i := 2; i < len(l); i++ {
			if !strings.ContainsRune("0123456789abcdefABCDEF", rune(l[i])) {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(l); i++ {
		if l[i] < '0' || l[i] > '9' {
			return false
		}
	}
	return true
}

// isIPLiteral reports whether s is an IPv4 or IPv6 address, bracketed or not.
func isIPLiteral(s string) bool {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	_, err := netip.ParseAddr(s)
	return err == nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
