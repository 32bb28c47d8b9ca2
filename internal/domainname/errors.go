package domainname

import "fmt"

// Stable error codes. The client localises messages by these codes and the
// server puts them into validation problems, so they never change meaning.
const (
	CodeDomainEmpty          = "domain_empty"           // nothing given
	CodeDomainInvalid        = "domain_invalid"         // IDNA2008 refused it (disallowed character, bad punycode, bidi, joiners...)
	CodeDomainInvalidChar    = "domain_invalid_char"    // an ASCII character no host name may hold: space, _, @, : ...
	CodeDomainDisallowed     = "domain_idna_disallowed" // a code point IDNA2008 disallows: emoji, symbols, punctuation (😀.com)
	CodeDomainIsURL          = "domain_is_url"          // a URL (scheme or path) where a bare domain was expected
	CodeDomainIsIP           = "domain_is_ip"           // an IP literal, or a name ending in a number (WHATWG reads it as IPv4)
	CodeDomainLabelEmpty     = "domain_label_empty"     // a..b, .a, a.b..
	CodeDomainLabelTooLong   = "domain_label_too_long"  // a label over 63 octets in A-label form
	CodeDomainTooLong        = "domain_too_long"        // over 253 octets in A-label form
	CodeDomainLeadingHyphen  = "domain_leading_hyphen"  // -a.com
	CodeDomainTrailingHyphen = "domain_trailing_hyphen" // a-.com
	CodeDomainPublicSuffix   = "domain_public_suffix"   // the name is itself a public suffix (com.cn, 中国)
	CodeDomainUnknownTLD     = "domain_unknown_tld"     // the top-level domain is not on the ICANN part of the public-suffix list

	CodeIPInvalid       = "ip_invalid"        // neither an address nor a CIDR block
	CodeIPHostBitsSet   = "ip_host_bits_set"  // 192.0.2.10/24: a block written with host bits set
	CodeIPZoneForbidden = "ip_zone_forbidden" // fe80::1%eth0: zones mean nothing outside one machine
	CodeIPNotPublic     = "ip_not_public"     // private, loopback, link-local, multicast, documentation...

	CodeHomepageEmpty    = "homepage_empty"
	CodeHomepageInvalid  = "homepage_invalid"  // cannot be read as a URL
	CodeHomepageScheme   = "homepage_scheme"   // a scheme other than http or https
	CodeHomepageUserinfo = "homepage_userinfo" // user:password@ in the URL
	CodeHomepagePort     = "homepage_port"     // port not in 1–65535
)

// Error is a rule error about a domain name, an IP address or a homepage
// URL. Code is the stable machine code; Error is an English sentence for
// logs and for clients that do not localise.
type Error struct {
	code  string
	Input string // the value as the user gave it
	msg   string
}

// Code returns the stable snake_case code (one of the Code* constants).
func (e *Error) Code() string { return e.code }

func (e *Error) Error() string {
	if e.Input == "" {
		return e.msg
	}
	return fmt.Sprintf("%q: %s", e.Input, e.msg)
}

func newError(code, input, format string, args ...any) *Error {
	return &Error{code: code, Input: input, msg: fmt.Sprintf(format, args...)}
}
