package cli

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
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

// Webhooks work in the sandbox too, with no server: a receiver on this
// machine gets the events of earlier commands at the next command (the
// in-process sandbox has no worker between commands).
func TestSandboxDeliversWebhooks(t *testing.T) {
	env := isolated(t)
	var mu sync.Mutex
	var got []string
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("Beian-Event"))
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer recv.Close()
	code, out, errOut := run(t, env, nil, "webhooks", "add", recv.URL+"/events")
	if code != 0 || !strings.HasPrefix(out, "whsec_") {
		t.Fatalf("webhooks add: exit %d\n%s\n%s", code, out, errOut)
	}
	doc := filepath.Join("..", "..", "docs", "examples", "site.yaml")
	if code, _, errOut := run(t, env, nil, "file", "--from", doc); code != 0 {
		t.Fatalf("file: exit %d\n%s", code, errOut)
	}
	// The next command delivers what the file command caused (and its own
	// review decides the site, which the one after delivers).
	run(t, env, nil, "status", "beian-example.test")
	run(t, env, nil, "sites")
	mu.Lock()
	defer mu.Unlock()
	joined := strings.Join(got, " ")
	for _, want := range []string{"subject.under_review", "site.under_review", "site.recorded"} {
		if !strings.Contains(joined, want) {
			t.Fatalf("received %q, want %s among them", joined, want)
		}
	}
}
