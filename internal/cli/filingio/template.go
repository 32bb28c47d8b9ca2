package filingio

import (
	"embed"

	"github.com/beian-dev/beian/internal/i18n"
)

//go:embed templates/*.yaml
var templates embed.FS

// Template is the commented YAML template of `file --template` in lang:
// every field of a filing with an example value and a comment saying what
// it means and which values it takes. Filled in, it is what --from reads.
func Template(lang i18n.Lang) []byte {
	name := "templates/en.yaml"
	if lang == i18n.ZH {
		name = "templates/zh.yaml"
	}
	b, err := templates.ReadFile(name)
	if err != nil {
		panic(err) // embedded at build time
	}
	return b
}
