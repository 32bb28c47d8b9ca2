package root

import (
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/beian-dev/beian/internal/i18n"
)

// LocalizeHelp puts the Chinese help of i18n's catalogue in place of every
// command's short and long description and every flag's usage, and the
// Chinese usage template on the root. The English text stays the source:
// with lang English nothing changes. Missing entries keep their English
// text (TestHelpIsTranslated says which).
func LocalizeHelp(root *cobra.Command, lang i18n.Lang) {
	if lang != i18n.ZH {
		return
	}
	root.SetUsageTemplate(usageTemplateZH)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		h, ok := i18n.HelpZH(HelpPath(c))
		if ok {
			c.Short = h.Short
			if h.Long != "" {
				c.Long = h.Long
			}
		}
		translate := func(f *pflag.Flag) {
			if u, ok := h.Flags[f.Name]; ok {
				f.Usage = u
			} else if u, ok := i18n.GlobalFlagZH(f.Name); ok {
				f.Usage = u
			}
		}
		if c.Example != "" {
			lines := strings.Split(c.Example, "\n")
			for i, l := range lines {
				if zh, ok := i18n.ExampleCommentZH(strings.TrimSpace(l)); ok {
					lines[i] = l[:len(l)-len(strings.TrimLeft(l, " "))] + zh
				}
			}
			c.Example = strings.Join(lines, "\n")
		}
		c.InitDefaultHelpFlag()
		c.LocalNonPersistentFlags().VisitAll(translate)
		c.PersistentFlags().VisitAll(translate)
		if hf := c.Flags().Lookup("help"); hf != nil {
			hf.Usage = "显示 " + c.Name() + " 的帮助"
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

func init() {
	// pflag writes " (default x)" into every usage line: say it in Chinese.
	cobra.AddTemplateFunc("defaultsZH", func(s string) string {
		return defaultRE.ReplaceAllString(s, "（默认 $1）")
	})
}

var defaultRE = regexp.MustCompile(` \(default ([^()\n]*)\)`)

// HelpPath is a command's key in the help catalogue: its path without
// "beian" ("" for beian itself).
func HelpPath(c *cobra.Command) string {
	return strings.TrimSpace(strings.TrimPrefix(c.CommandPath(), c.Root().Name()))
}

// usageTemplateZH is cobra's default usage template with its headings in
// Chinese.
const usageTemplateZH = `用法：{{if .Runnable}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [命令]{{end}}{{if gt (len .Aliases) 0}}

别名：
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

示例：
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}{{$cmds := .Commands}}{{if eq (len .Groups) 0}}

可用命令：{{range $cmds}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{else}}{{range $group := .Groups}}

{{.Title}}{{range $cmds}}{{if (and (eq .GroupID $group.ID) (or .IsAvailableCommand (eq .Name "help")))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if not .AllChildCommandsHaveGroup}}

其他命令：{{range $cmds}}{{if (and (eq .GroupID "") (or .IsAvailableCommand (eq .Name "help")))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

选项：
{{.LocalFlags.FlagUsages | defaultsZH | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

全局选项：
{{.InheritedFlags.FlagUsages | defaultsZH | trimTrailingWhitespaces}}{{end}}{{if .HasHelpSubCommands}}

其他帮助主题：{{range .Commands}}{{if .IsAdditionalHelpTopicCommand}}
  {{rpad .CommandPath .CommandPathPadding}} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableSubCommands}}

运行 "{{.CommandPath}} [命令] --help" 查看命令的详细说明。{{end}}
`
