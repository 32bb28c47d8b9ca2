package cli

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/spf13/cobra"

	"github.com/beian-dev/beian/internal/cli/cmd/root"
)

// docs/cli is generated from the command tree (cobra's doc generator, the
// hidden `beian gen-docs --markdown DIR`). This test regenerates it into a
// temporary directory and fails on any difference; run it with
// BEIAN_UPDATE_DOCS=1 to rewrite docs/cli instead.
func TestDocsInSync(t *testing.T) {
	for _, lang := range []struct {
		dir string
		gen func(dir string) error
	}{
		{filepath.Join("..", "..", "docs", "cli"), func(dir string) error { return root.GenDocs(CommandTree(), "", dir) }},
		{filepath.Join("..", "..", "docs", "cli", "zh"), func(dir string) error { return root.GenMarkdownZH(CommandTree(), dir) }},
	} {
		docsInSync(t, lang.dir, lang.gen)
	}
}

func docsInSync(t *testing.T, want string, gen func(string) error) {
	if os.Getenv("BEIAN_UPDATE_DOCS") == "1" {
		for name := range list(t, want) {
			if err := os.Remove(filepath.Join(want, name)); err != nil {
				t.Fatal(err)
			}
		}
		if err := gen(want); err != nil {
			t.Fatal(err)
		}
		return
	}
	got := t.TempDir()
	if err := gen(got); err != nil {
		t.Fatal(err)
	}
	gotFiles, wantFiles := list(t, got), list(t, want)
	for name := range gotFiles {
		if _, ok := wantFiles[name]; !ok {
			t.Errorf("%s/%s is missing (regenerate: BEIAN_UPDATE_DOCS=1 go test ./internal/cli -run TestDocsInSync)", want, name)
		}
	}
	for name := range wantFiles {
		if _, ok := gotFiles[name]; !ok {
			t.Errorf("%s/%s describes no command any more", want, name)
		}
	}
	var names []string
	for n := range gotFiles {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		if w, ok := wantFiles[name]; ok && w != gotFiles[name] {
			t.Errorf("%s/%s is out of date (regenerate: BEIAN_UPDATE_DOCS=1 go test ./internal/cli -run TestDocsInSync)", want, name)
		}
	}
}

func list(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".md" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(b)
	}
	return out
}

// Every command a user can run shows examples in its help.
func TestEveryCommandHasExamples(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" || (sub.Parent() != nil && sub.Parent().Name() == "completion") {
				continue
			}
			if sub.IsAvailableCommand() && sub.Example == "" {
				t.Errorf("%q has no examples", sub.CommandPath())
			}
			walk(sub)
		}
	}
	walk(CommandTree())
}
