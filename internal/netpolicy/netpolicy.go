// Package netpolicy is the one address policy of every fetch the server
// makes on a user's behalf (claim challenges, webhook deliveries): only
// globally reachable unicast addresses, checked when the connection is
// dialled (so a name that resolves twice cannot slip through) and, where a
// proxy is configured, on the target's addresses before the proxy is used.
//
// The list is the IANA IPv4 and IPv6 Special-Purpose Address Registries
// plus everything outside 2000::/3, the only IPv6 block allocated for
// global unicast. Addresses that embed an IPv4 address (IPv4-mapped,
// IPv4-compatible, NAT64, 6to4, Teredo) are refused outright: each is a
// way to reach an IPv4 address the list refuses. Pure but for Control's
// and Proxy's signatures.
package netpolicy

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
)

// nonPublic lists the prefixes no outbound fetch may reach.
var nonPublic = mustPrefixes(
	// IPv4 (RFC 6890 and the IANA registry).
	"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
	"172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24",
	"192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15",
	"198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
	// IPv6 inside 2000::/3 that is not global unicast.
	"2001::/23",     // IETF protocol assignments: Teredo 2001::/32, ORCHID, AS112, …
	"2001:db8::/32", // documentation
	"2002::/16",     // 6to4: embeds an IPv4 address
	"3fff::/20",     // documentation (RFC 9637)
)

// globalV6 is the only IPv6 block allocated for global unicast; NAT64
// (64:ff9b::/96, 64:ff9b:1::/48), IPv4-compatible (::/96), unique-local
// (fc00::/7), site-local (fec0::/10), link-local, multicast and the rest
// all lie outside it.
var globalV6 = netip.MustParsePrefix("2000::/3")

func mustPrefixes(ss ...string) []netip.Prefix {
	ps := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		ps[i] = netip.MustParsePrefix(s)
	}
	return ps
}

// Public reports whether ip is a globally reachable unicast address. An
// IPv4-mapped IPv6 address is judged as the IPv4 address it maps.
func Public(ip netip.Addr) bool {
	if !ip.IsValid() {
		return false
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is6() && !globalV6.Contains(ip) {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// ErrNotPublic is the refusal of a non-public address. Its text names no
// address: the answer goes to API users, and an internal address resolved
// from their host name is not theirs to learn.
var ErrNotPublic = errors.New("the host does not resolve to a public address")

// Control is a net.Dialer Control function that refuses non-public
// addresses at dial time, after resolution.
func Control(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return ErrNotPublic
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !Public(ip) {
		return ErrNotPublic
	}
	return nil
}

// Resolver is what Proxy looks host names up with.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Proxy wraps an http.Transport Proxy function (http.ProxyFromEnvironment):
// a request that would go through a proxy is refused unless every address
// of its target host is public, since the dial-time check then sees only
// the proxy's address. A request sent directly is left to Control.
func Proxy(next func(*http.Request) (*url.URL, error), r Resolver) func(*http.Request) (*url.URL, error) {
	if r == nil {
		r = net.DefaultResolver
	}
	return func(req *http.Request) (*url.URL, error) {
		proxy, err := next(req)
		if err != nil || proxy == nil {
			return proxy, err
		}
		host := req.URL.Hostname()
		if ip, err := netip.ParseAddr(host); err == nil {
			if !Public(ip) {
				return nil, ErrNotPublic
			}
			return proxy, nil
		}
		ips, err := r.LookupNetIP(req.Context(), "ip", host)
		if err != nil || len(ips) == 0 {
			return nil, ErrNotPublic
		}
		for _, ip := range ips {
			if !Public(ip) {
				return nil, ErrNotPublic
			}
		}
		return proxy, nil
	}
}

// Describe says in a few words why a fetch failed, in a form safe to show
// an API user: the class of failure (dns_failed, connection_refused,
// timeout, tls, not_public, http_error), never the raw dial or lookup
// error, which names internal addresses and the server's own resolver
// (issue 23, finding 16).
func Describe(err error) string {
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var safe *SafeError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &safe):
		return safe.Text
	case errors.Is(err, ErrNotPublic):
		return "not_public: " + ErrNotPublic.Error()
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return "dns_failed: the host name does not exist"
		}
		return "dns_failed: the host name could not be resolved"
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return "timeout: the host did not answer in time"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection_refused: the host refused the connection"
	case isTLS(err):
		return "tls: the TLS handshake failed"
	case errors.As(err, &opErr):
		return "connection_failed: the host could not be reached"
	}
	return "http_error: the request failed"
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

func isTLS(err error) bool {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if s := e.Error(); strings.HasPrefix(s, "tls:") || strings.HasPrefix(s, "x509:") {
			return true
		}
	}
	return false
}

// SafeError is a failure whose text names nothing internal ("https
// answered 404 Not Found"): Describe passes it on as it is.
type SafeError struct{ Text string }

func (e *SafeError) Error() string { return e.Text }

// ClientKey is the form in which a client's address is counted by the
// per-address limits: an IPv4 address whole (/32), an IPv6 address by its
// /64, the smallest block one subscriber is handed — 25 addresses of one
// /64 passed every per-address cap when the full address was the key
// (issue 23, finding 8). An IPv4-mapped address counts as its IPv4
// address; anything unparsable is its own key.
func ClientKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is4() {
		return ip.String()
	}
	p, _ := ip.Prefix(64)
	return p.String()
}
