package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// The in-process sandbox decides a submitted filing on the next command
// (its review delay is zero), not only under --wait: a plain `status` after
// `file` shows the record number.
func TestSandboxDecidesOnTheNextCommand(t *testing.T) {
	env := isolated(t)
	doc := filepath.Join("..", "..", "docs", "examples", "site.yaml")
	code, out, errOut := run(t, env, nil, "file", "--from", doc)
	if code != 0 || !strings.Contains(out, "under_review") {
		t.Fatalf("file: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = run(t, env, nil, "status", "beian-example.test", "--exit-status", "-o", "json")
	if code != 0 || !strings.Contains(out, `"state": "recorded"`) || !strings.Contains(out, `"record_number": "鄂公网安备 42011102`) {
		t.Fatalf("status: exit %d\n%s\n%s", code, out, errOut)
	}
}
