package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/beian-dev/beian/internal/cli/iostreams"
)

type sample struct {
	Zeta   string   `json:"zeta"`
	Alpha  int      `json:"alpha"`
	Nested []string `json:"nested"`
	Empty  *string  `json:"empty"`
}

func TestYAMLKeepsJSONOrder(t *testing.T) {
	var b bytes.Buffer
	if err := YAML(&b, sample{Zeta: "鄂公网安备 42011102000410号", Alpha: 2, Nested: []string{"a", "b"}}); err != nil {
		t.Fatal(err)
	}
	want := "zeta: 鄂公网安备 42011102000410号\nalpha: 2\nnested:\n  - a\n  - b\nempty: null\n"
	if b.String() != want {
		t.Errorf("YAML:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestJSONParses(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, sample{Zeta: "<a>"}); err != nil {
		t.Fatal(err)
	}
	var back sample
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || back.Zeta != "<a>" {
		t.Fatalf("round trip: %v %+v", err, back)
	}
	if bytes.Contains(b.Bytes(), []byte(`\u003c`)) {
		t.Errorf("HTML escaped: %s", b.String())
	}
}

func TestJQ(t *testing.T) {
	v := map[string]any{"items": []map[string]any{{"id": "s1", "n": 3}, {"id": "s2", "n": 4}}}
	tests := []struct{ expr, want string }{
		{".items[].id", "s1\ns2\n"},
		{".items[0].n", "3\n"},
		{"[.items[].n] | add", "7\n"},
		{".items[0]", `{"id":"s1","n":3}` + "\n"},
		{"empty", ""},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		if err := JQ(&b, v, tt.expr); err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		if b.String() != tt.want {
			t.Errorf("%s = %q, want %q", tt.expr, b.String(), tt.want)
		}
	}
	var jqErr *JQError
	if err := JQ(&bytes.Buffer{}, v, ".items["); !errors.As(err, &jqErr) {
		t.Errorf("bad expression: %v", err)
	}
	if err := JQ(&bytes.Buffer{}, v, `error("boom")`); !errors.As(err, &jqErr) {
		t.Errorf("runtime error: %v", err)
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"": FormatTable, "JSON": FormatJSON, "yaml": FormatYAML, "table": FormatTable} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil {
		t.Error("xml accepted")
	}
}

func TestTable(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	tb := NewTable(ios, "DOMAIN", "STATUS")
	tb.AddRow("示例.中国", "available")
	tb.AddRow("example.com", "taken\tx")
	if err := tb.Render(); err != nil {
		t.Fatal(err)
	}
	if want := "示例.中国\tavailable\nexample.com\ttaken x\n"; out.String() != want {
		t.Errorf("piped:\n%q\nwant\n%q", out.String(), want)
	}
	out.Reset()
	ios.SetStdoutTTY(true)
	if err := tb.Render(); err != nil {
		t.Fatal(err)
	}
	// 示例.中国 is 9 columns wide (four wide characters and a dot), like
	// "example.com" (11): the STATUS column starts at 13 for both.
	want := "DOMAIN       STATUS\n示例.中国    available\nexample.com  taken\tx\n"
	if out.String() != want {
		t.Errorf("terminal:\n%q\nwant\n%q", out.String(), want)
	}
}
