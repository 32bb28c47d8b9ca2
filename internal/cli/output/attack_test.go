package output

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/cli/iostreams"
)

// Issue 23, finding 12: text from the server reached the terminal raw
// through --jq string results and -o json (U+009B, U+202E).
func TestAttack23_12NoEscapesThroughOtherModes(t *testing.T) {
	hostile := map[string]string{"name": "示例\x1b]0;pwned\x07\x1b[2J\u009b6n\u202egnp.exe\x1bP+q\x1b\\"}

	ios, _, out, _ := iostreams.Test()
	ios.SetStdoutTTY(true)
	if err := Print(ios, Options{JQ: ".name"}, hostile, nil); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); strings.ContainsAny(s, "\x1b\x07\u009b\u202e") || !strings.Contains(s, "示例") {
		t.Errorf("--jq on a terminal printed %q", s)
	}

	// Piped, --jq stays exact, like jq -r.
	ios, _, out, _ = iostreams.Test()
	if err := Print(ios, Options{JQ: ".name"}, hostile, nil); err != nil {
		t.Fatal(err)
	}
	if out.String() != hostile["name"]+"\n" {
		t.Errorf("--jq piped changed the value: %q", out.String())
	}

	// JSON: escaped, and the same value when parsed.
	ios, _, out, _ = iostreams.Test()
	if err := Print(ios, Options{Format: FormatJSON}, hostile, nil); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); strings.ContainsAny(s, "\x1b\x07\u009b\u202e") {
		t.Errorf("-o json printed raw controls: %q", s)
	}
	var back map[string]string
	if err := json.Unmarshal(out.Bytes(), &back); err != nil || back["name"] != hostile["name"] {
		t.Errorf("-o json no longer round-trips: %v %q", err, back["name"])
	}
}
