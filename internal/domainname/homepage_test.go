package domainname

import (
	"errors"
	"testing"
)

func TestNormalizeHomepage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://blog.example.com/me", "http://blog.example.com/me"},
		{"HTTPS://Blog.Example.COM", "https://blog.example.com/"},
		{"blog.example.com/me", "http://blog.example.com/me"}, // no scheme: http
		{"blog.example.com", "http://blog.example.com/"},
		{"  https://www.example.com.cn:443/  ", "https://www.example.com.cn/"}, // default port dropped
		{"http://www.example.com:80/a", "http://www.example.com/a"},
		{"http://www.example.com:8080/a", "http://www.example.com:8080/a"},
		{"https://www.example.com:80/", "https://www.example.com:80/"}, // not the default for https
		{"http://www.example.com:/", "http://www.example.com/"},        // empty port
		{"http://www.example.com./", "http://www.example.com/"},
		{"http://www.example.com/#top", "http://www.example.com/"},               // fragment never reaches the server
		{"http://www.example.com/?", "http://www.example.com/"},                  // empty query
		{"http://www.example.com/s?b=2&a=1", "http://www.example.com/s?b=2&a=1"}, // query kept as written
		{"http://中国移动.中国/", "http://xn--fiq02ib9d179b.xn--fiqs8s/"},
		{"例子。公司/关于", "http://xn--fsqu00a.xn--55qx5d/%E5%85%B3%E4%BA%8E"},
		{"203.0.113.7", "http://203.0.113.7/"},
		{"203.0.113.7:8080", "http://203.0.113.7:8080/"},
		{"https://203.0.113.7/index.html", "https://203.0.113.7/index.html"},
		{"2001:db8::1", "http://[2001:db8::1]/"},
		{"[2001:DB8::1]:8443/x", "http://[2001:db8::1]:8443/x"},
		{"http://[::ffff:203.0.113.7]/", "http://203.0.113.7/"},
		{"http://www.example.com/a%2Fb", "http://www.example.com/a%2Fb"}, // an escaped slash stays escaped
		{"example.com/redirect?to=http://x.cn", "http://example.com/redirect?to=http://x.cn"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeHomepage(tt.in)
			if err != nil {
				t.Fatalf("NormalizeHomepage(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("NormalizeHomepage(%q) = %q, want %q", tt.in, got, tt.want)
			}
			again, err := NormalizeHomepage(got)
			if err != nil || again != got {
				t.Errorf("not idempotent: %q → %q, %v", got, again, err)
			}
		})
	}
}

func TestNormalizeHomepageRejects(t *testing.T) {
	tests := []struct{ in, code string }{
		{"", CodeHomepageEmpty},
		{"   ", CodeHomepageEmpty},
		{"ftp://example.com/", CodeHomepageScheme},
		{"javascript://example.com/%0aalert(1)", CodeHomepageScheme},
		{"file:///etc/passwd", CodeHomepageScheme},
		{"javascript:alert(1)", CodeHomepageInvalid},
		{"http://user:pass@example.com/", CodeHomepageUserinfo},
		{"http://example.com:0/", CodeHomepagePort},
		{"http://example.com:65536/", CodeHomepagePort},
		{"http://example .com/", CodeHomepageInvalid},
		{"http:///path", CodeHomepageInvalid},
		{"http://a..b/", CodeDomainLabelEmpty}, // the host's own code comes through
		{"http://-a.com/", CodeDomainLeadingHyphen},
		{"http://a_b.com/", CodeDomainInvalidChar},
		{"http://1.2.3/", CodeDomainIsIP},
		{"http://[fe80::1%25eth0]/", CodeIPZoneForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeHomepage(tt.in)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("NormalizeHomepage(%q) = %q, %v; want %s", tt.in, got, err, tt.code)
			}
			if e.Code() != tt.code {
				t.Errorf("code = %s (%v), want %s", e.Code(), err, tt.code)
			}
			if e.Input != tt.in {
				t.Errorf("Input = %q, want %q", e.Input, tt.in)
			}
		})
	}
}

func FuzzNormalizeHomepage(f *testing.F) {
	for _, s := range []string{
		"http://blog.example.com/me", "例子。公司/关于", "203.0.113.7:8080", "2001:db8::1",
		"https://x.cn/?a=1#b", "http://[::ffff:1.2.3.4]:80/", "http://a%2Fb/", "ftp://x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := NormalizeHomepage(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code() == "" {
				t.Fatalf("NormalizeHomepage(%q): error without a code: %v", s, err)
			}
			return
		}
		again, err := NormalizeHomepage(u)
		if err != nil || again != u {
			t.Fatalf("NormalizeHomepage(%q) = %q, but again = %q, %v", s, u, again, err)
		}
	})
}
