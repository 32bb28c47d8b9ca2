package domainname

import (
	"errors"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// NormalizeHomepage reads the homepage URL of a site without a first-level
// domain of its own (FAQ item 2: a site on a second-level domain, or one
// reached by IP address only) and returns it in canonical form:
//
//	scheme://host[:port]/path[?query]
//
// It accepts an http or https URL, or the same without a scheme
// (blog.example.com/me, 203.0.113.7:8080, 2001:db8::1), which is read as
// http: a bare address says nothing about TLS, and http is what a browser
// tries first. The scheme and host are lower-cased, a domain host is
// normalised like Normalize (its A-label form goes into the URL), IPv6
// hosts are bracketed in RFC 5952 form, the default port and an empty port
// are dropped, an empty path becomes "/", and the fragment, which never
// reaches the server, is dropped. Credentials in the URL are refused.
func NormalizeHomepage(s string) (string, error) {
	in := s
	s = strings.TrimSpace(s)
	if s == "" {
		return "", newError(CodeHomepageEmpty, in, "homepage URL is empty")
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return "", newError(CodeHomepageInvalid, in, "homepage URL may not contain spaces or control characters")
	}
	// A bare IPv6 address has colons that url.Parse would take for a scheme
	// or a port; bracket it first.
	if a, err := netip.ParseAddr(s); err == nil && a.Is6() {
		s = "[" + s + "]"
	}
	if i := strings.Index(s, "://"); i < 0 || strings.ContainsAny(s[:i], "/?#.[") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", newError(CodeHomepageInvalid, in, "not a URL")
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", newError(CodeHomepageScheme, in, "homepage URL must start with http:// or https://, not %s://", u.Scheme)
	}
	if u.User != nil {
		return "", newError(CodeHomepageUserinfo, in, "homepage URL may not carry a user name or password")
	}
	if u.Opaque != "" {
		return "", newError(CodeHomepageInvalid, in, "not a URL")
	}
	host, err := canonicalHost(in, u.Hostname())
	if err != nil {
		return "", err
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return "", newError(CodeHomepagePort, in, "port %q is not in 1–65535", p)
		}
		if !(scheme == "http" && n == 80 || scheme == "https" && n == 443) {
			host += ":" + strconv.Itoa(n)
		}
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	out := scheme + "://" + host + path
	// The query is kept as written: reordering or re-encoding parameters
	// could change which page a server returns. An empty "?" is dropped.
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	return out, nil
}

// canonicalHost normalises the host part: an IP literal or a domain name.
// Errors about the domain keep the domain's code (domain_label_empty, …)
// so the user learns what is wrong with the host itself.
func canonicalHost(in, h string) (string, error) {
	if h == "" {
		return "", newError(CodeHomepageInvalid, in, "homepage URL has no host")
	}
	if a, err := netip.ParseAddr(h); err == nil {
		if a.Zone() != "" {
			return "", newError(CodeIPZoneForbidden, in, "an IPv6 zone (%%…) cannot be filed")
		}
		a = a.Unmap()
		if a.Is6() {
			return "[" + a.String() + "]", nil
		}
		return a.String(), nil
	}
	n, err := Normalize(h)
	var e *Error
	if errors.As(err, &e) {
		return "", newError(e.Code(), in, "homepage host: %s", e.msg)
	}
	return n.ASCII, nil
}
