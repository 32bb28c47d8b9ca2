// Fuzz target of the record-number parser: it never panics, an accepted
// number comes back from its canonical form unchanged, and normalising is
// idempotent. A bounded run, as .ci/run does it:
//
//	go test ./internal/recordno -run='^$' -fuzz='^FuzzParse$' -fuzztime=10s
package recordno

import (
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.in)
	}
	for _, tt := range realFooters {
		f.Add(tt.in)
	}
	for _, s := range []string{"", "abc", "鄂ICP备17001107号-1", "鄂公网安备 4201 1102 0004 10号", "71000002000001", "湖北公网安备 42011102000410号"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, warnings, err := Parse(s)
		if err != nil {
			if n != (Number{}) || warnings != nil {
				t.Fatalf("Parse(%q) returned %+v, %v with error %v", s, n, warnings, err)
			}
			return
		}
		if (len(n.Digits) != 14 && len(n.Digits) != 12 && len(n.Digits) != 10) || n.Abbr == "" || !strings.Contains(canonicalDigits(s), n.Digits) {
			t.Fatalf("Parse(%q) = %+v", s, n)
		}
		canonical := n.String()
		again, _, err := Parse(canonical)
		if err != nil || again != n {
			t.Fatalf("canonical form does not parse back: %q → %q → %+v, %v", s, canonical, again, err)
		}
		if twice, err := Normalize(canonical); twice != canonical || err != nil {
			t.Fatalf("Normalize not idempotent: %q → %q → %q, %v", s, canonical, twice, err)
		}
	})
}

// canonicalDigits keeps the ASCII and full-width digits of s, as ASCII: the
// digits Parse returns must be among the ones it was given.
func canonicalDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune(r - '０' + '0')
		}
	}
	return b.String()
}
