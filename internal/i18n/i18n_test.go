package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
)

func TestParse(t *testing.T) {
	tests := map[string]Lang{
		"zh": ZH, "zh-CN": ZH, "zh_CN.UTF-8": ZH, "zh_TW.Big5": ZH, "ZH": ZH,
		"en": EN, "en_US.UTF-8": EN, "C": EN, "C.UTF-8": EN, "POSIX": EN,
	}
	for in, want := range tests {
		if got, ok := Parse(in); !ok || got != want {
			t.Errorf("Parse(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "fr_FR.UTF-8", "de"} {
		if _, ok := Parse(in); ok {
			t.Errorf("Parse(%q) accepted", in)
		}
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		explicit string
		env      map[string]string
		want     Lang
	}{
		{"zh", map[string]string{"LANG": "en_US.UTF-8"}, ZH},
		{"en", map[string]string{"LC_ALL": "zh_CN.UTF-8"}, EN},
		{"", map[string]string{"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, ZH},
		{"", map[string]string{"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, ZH},
		{"", map[string]string{"LANG": "zh_CN.UTF-8"}, ZH},
		{"", map[string]string{"LC_ALL": "fr_FR.UTF-8", "LANG": "zh_CN.UTF-8"}, EN}, // LC_ALL decides, and beian has no French
		{"", nil, EN},
		{"klingon", map[string]string{"LANG": "zh_CN.UTF-8"}, ZH},
	}
	for _, tt := range tests {
		got := Detect(tt.explicit, func(k string) string { return tt.env[k] })
		if got != tt.want {
			t.Errorf("Detect(%q, %v) = %s, want %s", tt.explicit, tt.env, got, tt.want)
		}
	}
}

func TestT(t *testing.T) {
	zh, en := New(ZH), New(EN)
	if got := en.T("error.config_missing", "/x.yaml"); got != "config file /x.yaml does not exist" {
		t.Errorf("en: %q", got)
	}
	if got := zh.T("error.config_missing", "/x.yaml"); got != "配置文件 /x.yaml 不存在" {
		t.Errorf("zh: %q", got)
	}
	if got := zh.Code("domain_yours"); got != "您已经申请过此域名的备案，请到审核中网站或已备案网站中查看" {
		t.Errorf("platform wording: %q", got)
	}
	if got := en.Code("uscc_checksum"); !strings.Contains(got, "check character") {
		t.Errorf("field fallback: %q", got)
	}
	if New("fr").Lang() != EN {
		t.Error("unknown language is not English")
	}
}

func assertBoth(t *testing.T, id string) {
	t.Helper()
	en, zh, ok := Both(id)
	if !ok {
		t.Errorf("no message %s", id)
		return
	}
	if strings.TrimSpace(en) == "" || strings.TrimSpace(zh) == "" {
		t.Errorf("%s lacks a language: en %q, zh %q", id, en, zh)
	}
}

// Every error code the server can return has a message in both languages.
func TestEveryAPICodeLocalised(t *testing.T) {
	codes := api.Codes()
	if len(codes) < 20 {
		t.Fatalf("only %d API codes?", len(codes))
	}
	for _, c := range codes {
		assertBoth(t, "error."+string(c))
	}
}

// Every field code the rules core reports, collected from the source of the
// packages that define them (exported Code*/Warn* string constants and the
// codes given to their error constructors), has both languages. A code added
// to one of those packages fails this test until it is translated.
func TestEveryFieldCodeLocalised(t *testing.T) {
	codes := map[string]string{}
	for _, pkg := range []string{"filing", "ident", "domainname", "recordno", "badge"} {
		for code, where := range ruleCodes(t, filepath.Join("..", pkg)) {
			codes[code] = where
		}
	}
	if len(codes) < 40 {
		t.Fatalf("found only %d rule codes: %v", len(codes), codes)
	}
	for code, where := range codes {
		if code == "validation_failed" {
			continue // the API code, localised as error.validation_failed
		}
		if _, _, ok := Both("field." + code); !ok {
			t.Errorf("field.%s (from %s) has no message", code, where)
			continue
		}
		assertBoth(t, "field."+code)
	}
}

// ruleCodes finds snake_case codes in a package's non-test Go files:
// constants named Code*/Warn*/Err* with a string value, string literals given
// as the first argument of newError/&Error{...}, and ident's sentinels.
func ruleCodes(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in %s: %v", dir, err)
	}
	isCode := func(s string) bool {
		if s == "" || strings.ToLower(s) != s || strings.ContainsAny(s, " .-/") {
			return false
		}
		return true
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for i, name := range n.Names {
					if !(strings.HasPrefix(name.Name, "Code") || strings.HasPrefix(name.Name, "Warn")) || i >= len(n.Values) {
						continue
					}
					if lit, ok := n.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						if s, err := strconv.Unquote(lit.Value); err == nil && isCode(s) {
							out[s] = fset.Position(lit.Pos()).String()
						}
					}
				}
			case *ast.CallExpr:
				if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "newError" && len(n.Args) > 0 {
					if lit, ok := n.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						if s, err := strconv.Unquote(lit.Value); err == nil && isCode(s) {
							out[s] = fset.Position(lit.Pos()).String()
						}
					}
				}
			case *ast.CompositeLit:
				if id, ok := n.Type.(*ast.Ident); ok && id.Name == "Error" && len(n.Elts) > 0 {
					if lit, ok := n.Elts[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						if s, err := strconv.Unquote(lit.Value); err == nil && isCode(s) {
							out[s] = fset.Position(lit.Pos()).String()
						}
					}
				}
			}
			return true
		})
	}
	return out
}

// Every message ID the client uses — a string literal passed to a T(...)
// method anywhere under internal/cli — is in the catalogue in both
// languages, and every format has the same verbs in both.
func TestEveryUsedMessageExists(t *testing.T) {
	root := filepath.Join("..", "cli")
	used := map[string]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "T" {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, _ := strconv.Unquote(lit.Value)
				used[s] = fset.Position(lit.Pos()).String()
			}
			return true
		})
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for id, where := range used {
		if _, _, ok := Both(id); !ok {
			t.Errorf("%s uses message %q, which is not in the catalogue", where, id)
		}
	}
}

func TestVerbsAgree(t *testing.T) {
	ids := IDs()
	sort.Strings(ids)
	for _, id := range ids {
		en, zh, _ := Both(id)
		if strings.TrimSpace(en) == "" || strings.TrimSpace(zh) == "" {
			t.Errorf("%s lacks a language", id)
			continue
		}
		if a, b := verbs(en), verbs(zh); a != b {
			t.Errorf("%s: verbs differ: en %q, zh %q", id, a, b)
		}
	}
}

func verbs(s string) string {
	var b strings.Builder
	for i := 0; i < len(s)-1; i++ {
		if s[i] != '%' {
			continue
		}
		if s[i+1] == '%' {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && strings.IndexByte("+-# 0123456789.", s[j]) >= 0 {
			j++
		}
		if j < len(s) {
			b.WriteByte(s[j])
		}
		i = j
	}
	return b.String()
}

// Every state a site or a subject can be in has a label in both languages.
func TestEveryStateLabelled(t *testing.T) {
	for _, s := range filing.States {
		assertBoth(t, "state."+string(s))
	}
	for _, s := range filing.SubjectStates {
		assertBoth(t, "subject_state."+string(s))
	}
}

// A rule error with params is rendered with them in the user's language; a
// missing param falls back to the code's general message, an unknown code
// to the rule's English message.
func TestFieldErrorParams(t *testing.T) {
	params := map[string]string{"area_code": "130171", "zone": "石家庄高新技术产业开发区", "city": "河北省石家庄市", "counties": "长安区 (130102), 桥西区 (130104)"}
	tests := []struct {
		lang    Lang
		code    string
		message string
		params  map[string]string
		want    string
	}{
		{ZH, "area_functional_zone", "", params, "130171（石家庄高新技术产业开发区）是开发区、高新区等功能区，不是县级行政区划，请选择其所在的河北省石家庄市下辖区县：长安区 (130102), 桥西区 (130104)"},
		{EN, "area_functional_zone", "", params, "130171 is 石家庄高新技术产业开发区, a functional zone (development or high-tech zone), not a county-level division: choose the district or county of 河北省石家庄市 it lies in: 长安区 (130102), 桥西区 (130104)"},
		{ZH, "area_functional_zone", "x", map[string]string{"area_code": "130171"}, "开发区、高新区等功能区不是县级行政区划，请选择其所在的区县"},
		{EN, "no_such_code", "the rule's words", nil, "the rule's words"},
		{EN, "no_such_code", "", nil, "no_such_code"},
	}
	for _, tt := range tests {
		if got := New(tt.lang).FieldError(tt.code, tt.message, tt.params); got != tt.want {
			t.Errorf("%s %s: got %q, want %q", tt.lang, tt.code, got, tt.want)
		}
	}
}
