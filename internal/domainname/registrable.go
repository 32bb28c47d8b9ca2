package domainname

import (
	"strings"

	"golang.org/x/net/publicsuffix"
)

// Registrable returns the registrable domain of n in A-label form: the
// public suffix plus one label (www.example.com.cn → example.com.cn,
// 中国移动.中国 → xn--fiq02ib9d179b.xn--fiqs8s). This is what SPEC §3
// calls the "first-level domain" (一级域名).
//
// Only the ICANN section of the public-suffix list counts. The private
// section (github.io, vercel.app, …) lists hosting platforms whose users
// get a subdomain, not a domain bought from a registrar; the filing world
// treats such a site as one without an independent first-level domain
// (FAQ item 2: it files with a homepage URL), and the domain's registrar,
// a field of every filing, is the platform's. So user.github.io has the
// registrable domain github.io, unlike publicsuffix.EffectiveTLDPlusOne,
// which would answer user.github.io.
//
// A name that is itself an ICANN public suffix (com.cn, 中国) fails with
// domain_public_suffix; a name whose top-level domain is not on the list at
// all (example.localhost, 例子.测试) fails with domain_unknown_tld, since it
// cannot be registered anywhere.
func Registrable(n Name) (string, error) {
	suffix, err := icannSuffix(n)
	if err != nil {
		return "", err
	}
	if n.ASCII == suffix {
		return "", newError(CodeDomainPublicSuffix, n.Unicode, "%s is a public suffix, under which domains are registered; it cannot be filed itself", n.Unicode)
	}
	rest := strings.TrimSuffix(n.ASCII, "."+suffix)
	return rest[strings.LastIndexByte(rest, '.')+1:] + "." + suffix, nil
}

// IsFirstLevel reports whether n is itself a registrable domain
// (example.com.cn yes, www.example.com.cn and com.cn no).
func IsFirstLevel(n Name) bool {
	r, err := Registrable(n)
	return err == nil && r == n.ASCII
}

// icannSuffix finds the longest ICANN public suffix of n.
func icannSuffix(n Name) (string, error) {
	if n.ASCII == "" {
		return "", newError(CodeDomainEmpty, "", "domain name is empty")
	}
	d := n.ASCII
	for {
		suffix, icann := publicsuffix.PublicSuffix(d)
		if icann {
			return suffix, nil
		}
		// Either a private-section rule matched (github.io) or no rule did
		// and the default "*" rule returned the bare TLD. ICANN rules that
		// still apply are suffixes of what matched, so retry on its parent;
		// past the TLD there is nothing left and the TLD is unknown.
		i := strings.IndexByte(suffix, '.')
		if i < 0 {
			return "", newError(CodeDomainUnknownTLD, n.Unicode, "top-level domain %q is not on the public-suffix list", suffix)
		}
		d = suffix[i+1:]
	}
}
