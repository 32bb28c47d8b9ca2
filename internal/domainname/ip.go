package domainname

import (
	"net/netip"
	"strings"
)

// ParseIPOrPrefix reads one entry of a site's IP segment group (IP地址段):
// an IPv4 or IPv6 address, returned as a /32 or /128 prefix, or a CIDR
// block. The result is canonical: IPv4-mapped IPv6 (::ffff:192.0.2.1)
// becomes plain IPv4, and IPv6 is in RFC 5952 form when printed.
//
// A block written with host bits set (192.0.2.10/24) is refused with
// ip_host_bits_set rather than silently masked: the user may have meant the
// single address or the /24, and a filing is a legal statement, so the
// message names the masked block and lets the user choose. Zones
// (fe80::1%eth0) are refused too; they have no meaning beyond one machine.
//
// Whether the address is public is a separate rule, CheckPublic.
func ParseIPOrPrefix(s string) (netip.Prefix, error) {
	in := s
	s = strings.TrimSpace(s)
	if s == "" {
		return netip.Prefix{}, newError(CodeIPInvalid, in, "IP address is empty")
	}
	if strings.Contains(s, "%") {
		return netip.Prefix{}, newError(CodeIPZoneForbidden, in, "an IPv6 zone (%%…) cannot be filed")
	}
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, newError(CodeIPInvalid, in, "not an IPv4 or IPv6 address")
		}
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, newError(CodeIPInvalid, in, "not an IPv4 or IPv6 address or CIDR block")
	}
	if m := p.Masked(); m != p {
		return netip.Prefix{}, newError(CodeIPHostBitsSet, in, "host bits are set; the block is %s, or give the single address without /%d", m, p.Bits())
	}
	// A masked block shorter than /96 loses the ffff marker, so only
	// /96 and longer blocks can still be IPv4-mapped.
	if a := p.Addr(); a.Is4In6() {
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p, nil
}

// CheckPublic refuses blocks that no public website can be served from:
// any block overlapping the unspecified, loopback, private (RFC 1918,
// fc00::/7), shared (100.64/10), link-local, multicast, reserved or
// documentation ranges. It is a separate rule because a sandbox or a test
// server may well want private addresses.
func CheckPublic(p netip.Prefix) error {
	for _, r := range nonPublic {
		if r.Overlaps(p) {
			return newError(CodeIPNotPublic, p.String(), "overlaps %s, which is not publicly routed", r)
		}
	}
	return nil
}

// nonPublic lists the special-purpose ranges of the IANA registries that
// matter for a website's server address.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("10.0.0.0/8"),      // RFC 1918
	netip.MustParsePrefix("100.64.0.0/10"),   // RFC 6598 shared address space (carrier NAT)
	netip.MustParsePrefix("127.0.0.0/8"),     // loopback
	netip.MustParsePrefix("169.254.0.0/16"),  // link-local
	netip.MustParsePrefix("172.16.0.0/12"),   // RFC 1918
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // RFC 5737 TEST-NET-1
	netip.MustParsePrefix("192.168.0.0/16"),  // RFC 1918
	netip.MustParsePrefix("198.18.0.0/15"),   // RFC 2544 benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // RFC 5737 TEST-NET-2
	netip.MustParsePrefix("203.0.113.0/24"),  // RFC 5737 TEST-NET-3
	netip.MustParsePrefix("224.0.0.0/3"),     // multicast 224/4 and reserved 240/4, broadcast
	netip.MustParsePrefix("::/127"),          // unspecified and loopback
	netip.MustParsePrefix("::ffff:0:0/96"),   // IPv4-mapped (ParseIPOrPrefix unmaps these)
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2001:db8::/32"),   // RFC 3849 documentation
	netip.MustParsePrefix("3fff::/20"),       // RFC 9637 documentation
	netip.MustParsePrefix("fc00::/7"),        // unique local
	netip.MustParsePrefix("fe80::/10"),       // link-local
	netip.MustParsePrefix("ff00::/8"),        // multicast
}
