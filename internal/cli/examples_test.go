package cli

import (
	"strings"
	"testing"
)

// Every `beian …` line in every command's examples names a real command
// with flags that exist and arguments its Args rule accepts: an example a
// user copies never fails on usage. (What the examples do against a server
// is proven by the acceptance journeys, which run the same command lines.)
func TestEveryExampleParses(t *testing.T) {
	var lines [][]string
	for _, l := range ExampleLines(CommandTree()) {
		lines = append(lines, beianStages(l)...)
	}
	if len(lines) < 60 {
		t.Errorf("only %d example command lines found: the extraction is broken", len(lines))
	}
	for _, words := range lines {
		t.Run(strings.Join(words, " "), func(t *testing.T) {
			// A tree of its own: flags parsed for one line stay set.
			cmd, rest, err := CommandTree().Find(words[1:])
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

// beianStages are the stages of a shell line that run beian, as words:
// "beian …", "X=y beian …", "source <(beian …)"; redirections dropped.
func beianStages(line string) [][]string {
	var out [][]string
	var stage []string
	flush := func() {
		for len(stage) > 0 && (strings.Contains(stage[0], "=") || stage[0] == "source") {
			stage = stage[1:] // VAR=value, source
		}
		if len(stage) > 0 && (stage[0] == "beian" || stage[0] == "<(beian") {
			stage[0] = "beian"
			stage[len(stage)-1] = strings.TrimSuffix(stage[len(stage)-1], ")")
			out = append(out, stage)
		}
		stage = nil
	}
	words := shellWords(line)
	for i := 0; i < len(words); i++ {
		switch w := words[i]; {
		case w == "|" || w == "&&" || w == ";":
			flush()
		case w == ">" || w == "<" || w == ">>" || w == "2>":
			i++ // and its file
		case strings.HasPrefix(w, ">") || strings.HasPrefix(w, "2>"):
		default:
			stage = append(stage, w)
		}
	}
	flush()
	return out
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
