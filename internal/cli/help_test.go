package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/beian-dev/beian/internal/cli/cmd/root"
	"github.com/beian-dev/beian/internal/i18n"
)

// Issue 10: every command's help exists in Chinese — short and long
// description, every flag — so that LANG=zh_CN shows no English help.
func TestHelpIsTranslated(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		path := root.HelpPath(c)
		h, ok := i18n.HelpZH(path)
		switch {
		case !ok || h.Short == "":
			t.Errorf("beian %s: no Chinese short description (internal/i18n/catalog_help.go)", path)
		case c.Long != "" && h.Long == "" && path != "environment" && path != "exit-codes":
			t.Errorf("beian %s: no Chinese long description", path)
		}
		check := func(f *pflag.Flag) {
			if f.Name == "help" {
				return
			}
			if _, ok := h.Flags[f.Name]; ok {
				return
			}
			if _, ok := i18n.GlobalFlagZH(f.Name); ok {
				return
			}
			t.Errorf("beian %s --%s: no Chinese usage", path, f.Name)
		}
		c.LocalNonPersistentFlags().VisitAll(check)
		c.PersistentFlags().VisitAll(check)
		for _, l := range strings.Split(c.Example, "\n") {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, "#") {
				if _, ok := i18n.ExampleCommentZH(l); !ok {
					t.Errorf("beian %s: example comment %q has no Chinese", path, l)
				}
			}
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(CommandTree())
}

// Every command's help rendered in Chinese is Chinese: no English heading
// of cobra's, no untranslated description (a line of only ASCII letters and
// spaces longer than a few words gives one away).
func TestEveryHelpInChinese(t *testing.T) {
	env := isolated(t)
	env["LANG"] = "zh_CN.UTF-8"
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		args := append(strings.Fields(root.HelpPath(c)), "--help")
		code, out, errOut := run(t, env, nil, args...)
		if code != 0 {
			t.Errorf("beian %s: exit %d %s", strings.Join(args, " "), code, errOut)
		}
		for _, english := range []string{"Usage:", "Flags:", "Global Flags:", "Available Commands:", "Examples:", "for more information", "(default "} {
			if strings.Contains(out, english) {
				t.Errorf("beian %s in Chinese has %q:\n%s", strings.Join(args, " "), english, out)
			}
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(CommandTree())
}

// Golden `beian --help` in both languages (BEIAN_UPDATE_DOCS=1 rewrites).
func TestRootHelpGolden(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		env := isolated(t)
		env["BEIAN_LANG"] = lang
		_, out, _ := run(t, env, nil, "--help")
		file := filepath.Join("testdata", "help_"+lang+".golden")
		if os.Getenv("BEIAN_UPDATE_DOCS") != "" {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (BEIAN_UPDATE_DOCS=1 writes it)", err)
		}
		if out != string(want) {
			t.Errorf("beian --help in %s differs from %s (BEIAN_UPDATE_DOCS=1 to accept):\n%s", lang, file, out)
		}
	}
}
