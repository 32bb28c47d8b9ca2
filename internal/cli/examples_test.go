package cli

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// Every `beian …` line in every command's examples names a real command
// with flags that exist and arguments its Args rule accepts: an example a
// user copies never fails on usage. (What the examples do against a server
// is proven by the acceptance journeys, which run the same command lines.)
func TestEveryExampleParses(t *testing.T) {
	var lines []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		lines = append(lines, exampleLines(c.Example)...)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(CommandTree())
	if len(lines) < 60 {
		t.Errorf("only %d example lines found: the extraction is broken", len(lines))
	}
	for _, line := range lines {
		t.Run(line, func(t *testing.T) {
			// A tree of its own: flags parsed for one line stay set.
			cmd, rest, err := CommandTree().Find(shellWords(line)[1:])
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.ParseFlags(rest); err != nil {
				t.Fatalf("%s: flags: %v", cmd.CommandPath(), err)
			}
			if cmd.Args != nil {
				if err := cmd.Args(cmd, cmd.Flags().Args()); err != nil {
					t.Fatalf("%s: arguments: %v", cmd.CommandPath(), err)
				}
			}
		})
	}
}

// exampleLines are the command lines of an Example text that run beian:
// comments dropped, each stage of a pipeline that starts with beian.
func exampleLines(ex string) []string {
	var out []string
	ex = strings.ReplaceAll(ex, "\\\n", " ") // continued lines
	for _, l := range strings.Split(ex, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		for _, stage := range strings.Split(l, "|") {
			// "beian …", "BEIAN_X=y beian …", "source <(beian …)"
			stage = strings.TrimSpace(stage)
			i := strings.Index(stage, "beian ")
			if i < 0 || (i > 0 && !strings.ContainsAny(stage[i-1:i], " (")) {
				continue
			}
			out = append(out, stripRedirects(strings.TrimSuffix(stage[i:], ")")))
		}
	}
	return out
}

// stripRedirects drops "> file", "< file", "2>&1" and what follows "&&".
func stripRedirects(s string) string {
	if i := strings.Index(s, "&&"); i >= 0 {
		s = s[:i]
	}
	words := shellWords(s)
	var kept []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case w == ">" || w == "<" || w == ">>" || w == "2>":
			i++
		case strings.HasPrefix(w, ">") || strings.HasPrefix(w, "<") || strings.HasPrefix(w, "2>"):
		default:
			kept = append(kept, quote(w))
		}
	}
	return strings.Join(kept, " ")
}

func quote(w string) string {
	if strings.ContainsAny(w, " \t'\"") {
		return "'" + w + "'"
	}
	return w
}

// shellWords splits a command line as a POSIX shell would for the simple
// quoting examples use: single and double quotes, no expansion.
func shellWords(s string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	var q rune
	for _, r := range s {
		switch {
		case q != 0:
			if r == q {
				q = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			q, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}
