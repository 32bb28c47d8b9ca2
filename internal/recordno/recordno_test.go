package recordno

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
)

// parseTests are the spellings SPEC §4 says Parse must take, with the
// canonical result and the warnings each one earns. The fuzz target seeds
// from them too.
var parseTests = []struct {
	in        string
	canonical string
	warnings  []string
}{
	// 42011102000410: Wuhan, Hongshan district (420111), type 02, sequence 410.
	{"鄂公网安备 42011102000410号", "鄂公网安备 42011102000410号", nil},
	{"鄂公网安备42011102000410号", "鄂公网安备 42011102000410号", []string{WarnNoSpace}},
	{"鄂公网安备 42011102000410", "鄂公网安备 42011102000410号", []string{WarnMissingHao}},
	{"鄂公网安备42011102000410", "鄂公网安备 42011102000410号", []string{WarnNoSpace, WarnMissingHao}},
	{"鄂公网安备　42011102000410号", "鄂公网安备 42011102000410号", nil}, // ideographic space
	{"  鄂公网安备   42011102000410 号 ", "鄂公网安备 42011102000410号", nil},
	{"鄂 公网安备 42011102000410号", "鄂公网安备 42011102000410号", nil},
	{"鄂公网安备 ４２０１１１０２０００４１０号", "鄂公网安备 42011102000410号", nil}, // full-width digits
	{"42011102000410", "鄂公网安备 42011102000410号", []string{WarnBareDigits}},
	{"42011102000410号", "鄂公网安备 42011102000410号", []string{WarnBareDigits}},
	{"公网安备 42011102000410号", "鄂公网安备 42011102000410号", []string{WarnMissingAbbreviation}},

	// 11000002000001: a province-level (Beijing 110000) number.
	{"京公网安备 11000002000001号", "京公网安备 11000002000001号", nil},
	{"京公网安备11000002000001号", "京公网安备 11000002000001号", []string{WarnNoSpace}},

	// 33018502001702: 330185 is 临安市, retired in 2017 (now 330112 临安区);
	// numbers issued under it stay valid.
	{"浙公网安备 33018502001702号", "浙公网安备 33018502001702号", nil},
	{"浙公网安备 33018502001702", "浙公网安备 33018502001702号", []string{WarnMissingHao}},

	// A legacy 12-digit number, as written before the national platform.
	{"京公网安备110102000247", "京公网安备 110102000247号", []string{WarnNoSpace, WarnMissingHao, WarnLegacy12Digits}},
	{"京公网安备 110102000247号", "京公网安备 110102000247号", []string{WarnLegacy12Digits}},

	// Aliases: 黔 for 贵 (52), 云 for 滇 (53), 蜀 for 川 (51).
	{"黔公网安备 52010202000001号", "贵公网安备 52010202000001号", []string{WarnAliasPrefix}},
	{"云公网安备 53010202000001号", "滇公网安备 53010202000001号", []string{WarnAliasPrefix}},
	{"蜀公网安备 51010402000001号", "川公网安备 51010402000001号", []string{WarnAliasPrefix}},
	{"贵公网安备 52010202000001号", "贵公网安备 52010202000001号", nil},

	// A prefix that disagrees with the digits: the digits win.
	{"京公网安备 42011102000410号", "鄂公网安备 42011102000410号", []string{WarnPrefixMismatch}},
	{"蜀公网安备 42011102000410号", "鄂公网安备 42011102000410号", []string{WarnPrefixMismatch}},
	{"粤公网安备42011102000410", "鄂公网安备 42011102000410号", []string{WarnNoSpace, WarnMissingHao, WarnPrefixMismatch}},
	{"中公网安备 42011102000410号", "鄂公网安备 42011102000410号", []string{WarnUnknownPrefix}},

	// 130171 is 石家庄高新技术产业开发区, a functional zone of the statistical
	// codes, not a GB/T 2260 county: its police office issues numbers.
	{"冀公网安备 13017102000123号", "冀公网安备 13017102000123号", nil},

	// Digits 7–8 other than 02.
	{"鄂公网安备 42011101000410号", "鄂公网安备 42011101000410号", []string{WarnTypeDigits}},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		n, warnings, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := n.String(); got != tt.canonical {
			t.Errorf("Parse(%q) = %q, want %q", tt.in, got, tt.canonical)
		}
		var codes []string
		for _, w := range warnings {
			codes = append(codes, w.Code)
			if w.Message == "" {
				t.Errorf("Parse(%q): warning %s has no message", tt.in, w.Code)
			}
		}
		if !slices.Equal(codes, tt.warnings) {
			t.Errorf("Parse(%q) warnings = %v, want %v", tt.in, codes, tt.warnings)
		}
		if got, err := Normalize(tt.in); got != tt.canonical || err != nil {
			t.Errorf("Normalize(%q) = %q, %v", tt.in, got, err)
		}
		// The canonical form parses back to itself. Only the warnings about
		// the digits themselves remain; every spelling one is gone.
		again, w, err := Parse(tt.canonical)
		if err != nil || again != n {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", tt.canonical, again, err, n)
		}
		for _, w := range w {
			if w.Code != WarnLegacy12Digits && w.Code != WarnLegacy10Digits && w.Code != WarnTypeDigits {
				t.Errorf("Parse(%q): canonical form warned %s", tt.canonical, w.Code)
			}
		}
	}
}

func TestParseFields(t *testing.T) {
	tests := []struct {
		in, abbr, area string
		seq            int
		legacy         bool
	}{
		{"鄂公网安备 42011102000410号", "鄂", "420111", 410, false},
		{"11000002000001", "京", "110000", 1, false},
		{"33018502001702", "浙", "330185", 1702, false},
		{"京公网安备110102000247", "京", "110102", 0, true},
		{"黔公网安备 52010202999999号", "贵", "520102", 999999, false},
	}
	for _, tt := range tests {
		n, _, err := Parse(tt.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.in, err)
		}
		if n.Abbr != tt.abbr || n.AreaCode() != tt.area || n.Sequence() != tt.seq || n.Legacy() != tt.legacy {
			t.Errorf("Parse(%q) = %+v: abbr %s area %s seq %d legacy %v; want %s %s %d %v",
				tt.in, n, n.Abbr, n.AreaCode(), n.Sequence(), n.Legacy(), tt.abbr, tt.area, tt.seq, tt.legacy)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		in, code string
	}{
		{"", "record_number_empty"},
		{"  　", "record_number_empty"},
		{"abc", "record_number_format"},
		{"鄂ICP备17001107号-1", "record_number_format"}, // an MIIT ICP number
		{"鄂公网安备", "record_number_format"},
		{"鄂公网安备 号", "record_number_format"},
		{"鄂公网安备 4201110200041号", "record_number_format"},   // 13 digits
		{"鄂公网安备 420111020004100号", "record_number_format"}, // 15 digits
		{"鄂公网安备 4201 1102 0004 10号", "record_number_format"},
		{"鄂公网安备 42011102000410号号", "record_number_format"},
		{"鄂公网安备 42011102000410号-1", "record_number_format"},
		{"鄂公网安备 4201110200041O号", "record_number_format"},  // letter O
		{"湖北公网安备 42011102000410号", "record_number_format"}, // not one abbreviation
		{"E公网安备 42011102000410号", "record_number_format"},
		{"鄂公网安备 42011102000410号 鄂公网安备 42011102000411号", "record_number_format"},
		{"-42011102000410", "record_number_format"},
		{"鄂公网安备 99000002000001号", "record_number_area"},
		{"71000002000001", "record_number_area"}, // Taiwan files nothing here
		{"00000000000000", "record_number_area"},
		{"990101000247", "record_number_area"},
	}
	for _, tt := range tests {
		n, warnings, err := Parse(tt.in)
		var coded interface{ Code() string }
		if !errors.As(err, &coded) || coded.Code() != tt.code || n != (Number{}) || warnings != nil {
			t.Errorf("Parse(%q) = %+v, %v, %v; want error %s", tt.in, n, warnings, err, tt.code)
		}
		if got, err := Normalize(tt.in); got != "" || err == nil {
			t.Errorf("Normalize(%q) = %q, %v; want an error", tt.in, got, err)
		}
	}
	if _, _, err := Parse("鄂公网安备 99000002000001号"); !errors.Is(err, ErrArea) || errors.Is(err, ErrFormat) {
		t.Errorf("errors.Is by code: %v", err)
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		area string
		seq  int
		want string
		code string
	}{
		{"420111", 410, "鄂公网安备 42011102000410号", ""},
		{"110000", 1, "京公网安备 11000002000001号", ""},      // province level
		{"420100", 999999, "鄂公网安备 42010002999999号", ""}, // city level
		{"441900", 7, "粤公网安备 44190002000007号", ""},
		{"520102", 1, "贵公网安备 52010202000001号", ""},
		{"330185", 1, "", "record_number_area"}, // retired: parsed, never issued
		{"4201", 1, "", "record_number_area"},
		{"42", 1, "", "record_number_area"},
		{"990000", 1, "", "record_number_area"},
		{"", 1, "", "record_number_area"},
		{"420111", 0, "", "record_number_sequence"},
		{"420111", 1000000, "", "record_number_sequence"},
		{"420111", -1, "", "record_number_sequence"},
	}
	for _, tt := range tests {
		n, err := New(tt.area, tt.seq)
		code := ""
		var coded interface{ Code() string }
		if errors.As(err, &coded) {
			code = coded.Code()
		}
		if n.String() != tt.want || code != tt.code {
			t.Errorf("New(%q, %d) = %q, %v; want %q, code %q", tt.area, tt.seq, n, err, tt.want, tt.code)
		}
		if err == nil && n.Sequence() != tt.seq {
			t.Errorf("New(%q, %d).Sequence() = %d", tt.area, tt.seq, n.Sequence())
		}
	}
}

func TestZeroNumber(t *testing.T) {
	var n Number
	if n.String() != "" || n.AreaCode() != "" || n.Sequence() != 0 || n.Legacy() {
		t.Errorf("zero Number: %q %q %d %v", n.String(), n.AreaCode(), n.Sequence(), n.Legacy())
	}
}

func TestJSON(t *testing.T) {
	type site struct {
		Record Number  `json:"record"`
		Old    *Number `json:"old,omitempty"`
		None   Number  `json:"none"`
	}
	n, _, _ := Parse("42011102000410")
	b, err := json.Marshal(site{Record: n})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"record":"鄂公网安备 42011102000410号","none":""}`; string(b) != want {
		t.Errorf("Marshal = %s, want %s", b, want)
	}
	var got site
	if err := json.Unmarshal([]byte(`{"record":"京公网安备42011102000410","none":""}`), &got); err != nil {
		t.Fatal(err)
	}
	if got.Record != n || got.None != (Number{}) {
		t.Errorf("Unmarshal = %+v, want %+v", got, n)
	}
	if err := json.Unmarshal([]byte(`{"record":"garbage"}`), &got); err == nil {
		t.Error("Unmarshal of garbage succeeded")
	}
}
