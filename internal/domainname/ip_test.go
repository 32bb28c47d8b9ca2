package domainname

import (
	"errors"
	"net/netip"
	"testing"
)

func TestParseIPOrPrefix(t *testing.T) {
	tests := []struct{ in, want string }{
		{"203.0.113.7", "203.0.113.7/32"},
		{" 203.0.113.7 ", "203.0.113.7/32"},
		{"203.0.113.0/24", "203.0.113.0/24"},
		{"120.24.0.0/14", "120.24.0.0/14"},
		{"0.0.0.0/0", "0.0.0.0/0"}, // shape only; CheckPublic refuses it
		{"2001:DB8:0:0::1", "2001:db8::1/128"},
		{"2001:db8::/32", "2001:db8::/32"},
		{"2408:8000:1000::/36", "2408:8000:1000::/36"},
		{"::ffff:203.0.113.7", "203.0.113.7/32"},        // IPv4-mapped becomes IPv4
		{"::ffff:203.0.113.0/120", "203.0.113.0/24"},    // and so does a mapped block
		{"203.0.113.7/32", "203.0.113.7/32"},            // a /32 is the address itself
		{"2001:0db8:0000::0001/128", "2001:db8::1/128"}, // RFC 5952 form
		{"2001:db8:85a3::8a2e:370:7334", "2001:db8:85a3::8a2e:370:7334/128"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParseIPOrPrefix(tt.in)
			if err != nil {
				t.Fatalf("ParseIPOrPrefix(%q): %v", tt.in, err)
			}
			if p.String() != tt.want {
				t.Errorf("ParseIPOrPrefix(%q) = %s, want %s", tt.in, p, tt.want)
			}
			again, err := ParseIPOrPrefix(p.String())
			if err != nil || again != p {
				t.Errorf("not idempotent: %s → %s, %v", p, again, err)
			}
		})
	}
}

func TestParseIPOrPrefixRejects(t *testing.T) {
	tests := []struct{ in, code string }{
		{"", CodeIPInvalid},
		{"example.com", CodeIPInvalid},
		{"256.1.1.1", CodeIPInvalid},
		{"1.2.3", CodeIPInvalid},
		{"010.1.1.1", CodeIPInvalid}, // leading zeros: octal to some parsers, refused
		{"203.0.113.0/33", CodeIPInvalid},
		{"203.0.113.0/", CodeIPInvalid},
		{"2001:db8::/129", CodeIPInvalid},
		{"203.0.113.1-203.0.113.9", CodeIPInvalid},
		{"203.0.113.10/24", CodeIPHostBitsSet},
		{"2001:db8::1/64", CodeIPHostBitsSet},
		{"fe80::1%eth0", CodeIPZoneForbidden},
		{"::ffff:0:0/64", CodeIPHostBitsSet}, // the ffff marker is a host bit of a /64
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParseIPOrPrefix(tt.in)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("ParseIPOrPrefix(%q) = %v, %v; want %s", tt.in, p, err, tt.code)
			}
			if e.Code() != tt.code {
				t.Errorf("code = %s (%v), want %s", e.Code(), err, tt.code)
			}
		})
	}
	// The message tells the user which block they may have meant.
	_, err := ParseIPOrPrefix("203.0.113.10/24")
	if want := `"203.0.113.10/24": host bits are set; the block is 203.0.113.0/24, or give the single address without /24`; err.Error() != want {
		t.Errorf("message = %q, want %q", err, want)
	}
}

func TestCheckPublic(t *testing.T) {
	tests := []struct {
		in     string
		public bool
	}{
		{"120.24.0.0/14", true},
		{"8.8.8.8/32", true},
		{"2408:8000::/20", true},
		{"10.1.2.3/32", false},
		{"172.16.0.0/12", false},
		{"192.168.1.0/24", false},
		{"127.0.0.1/32", false},
		{"100.64.0.1/32", false},
		{"169.254.1.1/32", false},
		{"224.0.0.1/32", false},
		{"255.255.255.255/32", false},
		{"192.0.2.1/32", false}, // documentation
		{"0.0.0.0/0", false},    // overlaps everything
		{"96.0.0.0/3", false},   // starts and ends public, but holds 100.64/10 and 127/8
		{"::1/128", false},
		{"fe80::/64", false},
		{"fd00::1/128", false},
		{"2001:db8::1/128", false},
		{"ff02::1/128", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			err := CheckPublic(netip.MustParsePrefix(tt.in))
			if tt.public && err != nil {
				t.Errorf("CheckPublic(%s) = %v, want nil", tt.in, err)
			}
			if !tt.public {
				var e *Error
				if !errors.As(err, &e) || e.Code() != CodeIPNotPublic {
					t.Errorf("CheckPublic(%s) = %v, want %s", tt.in, err, CodeIPNotPublic)
				}
			}
		})
	}
}
