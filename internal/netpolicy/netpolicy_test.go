package netpolicy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"testing"
)

// Issue 23, finding 4: every range the attack run reached, and real public
// addresses that must stay reachable.
func TestPublic(t *testing.T) {
	for _, tc := range []struct {
		ip   string
		want bool
	}{
		{"8.8.8.8", true},
		{"114.114.114.114", true}, // a public resolver in China
		{"223.5.5.5", true},
		{"2400:3200::1", true}, // a public IPv6 resolver
		{"2001:4860:4860::8888", true},
		{"::ffff:8.8.8.8", true}, // mapped: judged as the IPv4 address

		{"100.100.100.200", false}, // a cloud metadata service (100.64.0.0/10)
		{"100.64.0.1", false},
		{"198.18.0.1", false},
		{"198.19.255.254", false},
		{"240.0.0.1", false},
		{"255.255.255.255", false},
		{"169.254.169.254", false},
		{"127.0.0.1", false},
		{"10.1.2.3", false},
		{"172.16.0.1", false},
		{"192.168.1.1", false},
		{"192.0.0.8", false},
		{"192.0.2.1", false},
		{"203.0.113.20", false},
		{"0.0.0.0", false},
		{"224.0.0.1", false},
		{"fec0::1", false},          // site-local
		{"64:ff9b::a01:203", false}, // NAT64 of 10.1.2.3
		{"64:ff9b:1::1", false},
		{"2002:a01:203::1", false},  // 6to4 of 10.1.2.3
		{"::10.1.2.3", false},       // IPv4-compatible
		{"::ffff:10.1.2.3", false},  // IPv4-mapped private
		{"::ffff:127.0.0.1", false}, // IPv4-mapped loopback
		{"2001:0:4136:e378::1", false},
		{"2001:db8::1", false},
		{"3fff::1", false},
		{"fc00::1", false},
		{"fd12:3456::1", false},
		{"fe80::1", false},
		{"ff02::1", false},
		{"::1", false},
		{"::", false},
		{"100::1", false},
	} {
		if got := Public(netip.MustParseAddr(tc.ip)); got != tc.want {
			t.Errorf("Public(%s) = %v, want %v", tc.ip, got, tc.want)
		}
	}
}

func TestControlNamesNoAddress(t *testing.T) {
	err := Control("tcp", "10.1.2.3:80", nil)
	if !errors.Is(err, ErrNotPublic) {
		t.Fatalf("Control = %v", err)
	}
	if Control("tcp", "[2400:3200::1]:443", nil) != nil {
		t.Error("a public address was refused")
	}
}

type fakeResolver map[string][]netip.Addr

func (f fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	return f[host], nil
}

// With a proxy, the target's own addresses are checked (internal-db.corp →
// 10.1.2.3 was delivered through HTTP_PROXY).
func TestProxyChecksTheTarget(t *testing.T) {
	proxy, _ := url.Parse("http://proxy.corp:3128")
	via := func(*http.Request) (*url.URL, error) { return proxy, nil }
	r := fakeResolver{
		"internal-db.corp": {netip.MustParseAddr("10.1.2.3")},
		"hooks.example":    {netip.MustParseAddr("93.184.215.14")},
		"mixed.example":    {netip.MustParseAddr("93.184.215.14"), netip.MustParseAddr("127.0.0.1")},
	}
	p := Proxy(via, r)
	for host, ok := range map[string]bool{"internal-db.corp": false, "hooks.example": true, "mixed.example": false, "10.0.0.1": false, "unknown.example": false} {
		req, _ := http.NewRequest(http.MethodPost, "http://"+host+"/hook", nil)
		got, err := p(req)
		if ok != (err == nil && got == proxy) {
			t.Errorf("%s: proxy %v, err %v; want allowed=%v", host, got, err, ok)
		}
	}
	direct := Proxy(func(*http.Request) (*url.URL, error) { return nil, nil }, r)
	req, _ := http.NewRequest(http.MethodPost, "http://internal-db.corp/hook", nil)
	if u, err := direct(req); u != nil || err != nil {
		t.Errorf("no proxy: %v %v; want direct, left to Control", u, err)
	}
}

// Finding 16: what reaches an API user names no internal address.
func TestDescribeNamesNothingInternal(t *testing.T) {
	for _, err := range []error{
		&net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.ParseIP("10.1.2.3"), Port: 80}, Err: syscall.ECONNREFUSED},
		&net.DNSError{Err: "no such host", Name: "internal-db.corp", Server: "10.0.0.53:53", IsNotFound: true},
		&net.DNSError{Err: "server misbehaving", Name: "x.corp", Server: "127.0.0.1:53"},
		&net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.ParseIP("10.1.2.3"), Port: 80}, Err: ErrNotPublic},
		context.DeadlineExceeded,
		errors.New("Get \"http://10.1.2.3/\": EOF"),
	} {
		got := Describe(err)
		if strings.Contains(got, "10.") || strings.Contains(got, "127.0.0.1") || strings.Contains(got, "corp") || got == "" {
			t.Errorf("Describe(%v) = %q", err, got)
		}
	}
	if got := Describe(&SafeError{Text: "https answered 404 Not Found"}); got != "https answered 404 Not Found" {
		t.Errorf("a safe error became %q", got)
	}
}

func TestClientKey(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.7":                 "203.0.113.7",
		"::ffff:203.0.113.7":          "203.0.113.7",
		"2001:db8:1:2:3:4:5:6":        "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1":        "2001:db8:1:2::/64",
		"fe80::1%eth0":                "fe80::/64",
		"not an address":              "not an address",
		"2400:3200:abcd:ef01::dead:1": "2400:3200:abcd:ef01::/64",
	} {
		if got := ClientKey(in); got != want {
			t.Errorf("ClientKey(%q) = %q, want %q", in, got, want)
		}
	}
	// 25 addresses of one /64 are one client.
	seen := map[string]bool{}
	for i := range 25 {
		seen[ClientKey(fmt.Sprintf("2001:db8:aa:bb::%x", i+1))] = true
	}
	if len(seen) != 1 {
		t.Errorf("25 addresses of one /64 gave %d keys", len(seen))
	}
}
