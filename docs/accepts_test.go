package docs_test

import (
	"bufio"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/area"
	"github.com/beian-dev/beian/internal/badge"
	"github.com/beian-dev/beian/internal/domainname"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/ident"
	"github.com/beian-dev/beian/internal/recordno"
)

// acceptsRow is one example row of docs/accepts*.md:
//
//	| kind | `input` | `result`, warns `code` | why |
//	| kind | `input` | refused `code` | why |
var acceptsRow = regexp.MustCompile("^\\| ([^|`]+?) \\| `([^`]+)` \\| ([^|]+?) \\| [^|]+ \\|$")

var (
	acceptedResult = regexp.MustCompile("^`([^`]+)`(?:, (?:warns|提示) `([a-z0-9_]+)`)?$")
	refusedResult  = regexp.MustCompile("^(?:refused|拒绝) `([a-z0-9_]+)`$")
)

// kinds maps the first column, in either language, to the rule it runs.
var kinds = map[string]func(string) (result, code string){
	"record number": ruleRecordNumber, "公安备案号": ruleRecordNumber,
	"ICP number": ruleICP, "ICP 备案号": ruleICP,
	"domain": ruleDomain, "域名": ruleDomain,
	"area code": ruleArea, "区划代码": ruleArea,
	"badge icon": ruleIcon, "图标": ruleIcon,
}

// Every example in "What beian accepts" is what the rules do: the page is
// checked against the code, in both languages, so it cannot drift.
func TestAcceptsPageIsTrue(t *testing.T) {
	for _, page := range []string{"accepts.md", "accepts.zh.md"} {
		t.Run(page, func(t *testing.T) {
			f, err := os.Open(page)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows := map[string]int{}
			sc := bufio.NewScanner(f)
			for n := 1; sc.Scan(); n++ {
				m := acceptsRow.FindStringSubmatch(sc.Text())
				if m == nil {
					continue
				}
				rule, ok := kinds[m[1]]
				if !ok {
					continue // a header row
				}
				rows[m[1]]++
				got, gotCode := rule(m[2])
				switch {
				case refusedResult.MatchString(m[3]):
					want := refusedResult.FindStringSubmatch(m[3])[1]
					if got != "" || gotCode != want {
						t.Errorf("%s:%d %s %q: got %q %q, want refused %s", page, n, m[1], m[2], got, gotCode, want)
					}
				case acceptedResult.MatchString(m[3]):
					w := acceptedResult.FindStringSubmatch(m[3])
					if got != w[1] || gotCode != w[2] {
						t.Errorf("%s:%d %s %q: got %q warning %q, want %q warning %q", page, n, m[1], m[2], got, gotCode, w[1], w[2])
					}
				default:
					t.Errorf("%s:%d: result %q is neither `value`[, warns `code`] nor refused `code`", page, n, m[3])
				}
			}
			if err := sc.Err(); err != nil {
				t.Fatal(err)
			}
			total := 0
			for _, n := range rows {
				total += n
			}
			if len(rows) != 5 || total < 40 {
				t.Errorf("%s: %d examples of %d kinds (%v), want all 5 kinds and at least 40", page, total, len(rows), rows)
			}
		})
	}
}

func code(err error) string {
	var c interface{ Code() string }
	if errors.As(err, &c) {
		return c.Code()
	}
	return err.Error()
}

// ruleRecordNumber is the canonical number and its first warning.
func ruleRecordNumber(s string) (string, string) {
	n, warns, err := recordno.Parse(s)
	if err != nil {
		return "", code(err)
	}
	w := ""
	for _, x := range warns { // the most telling one: a filler, legacy or alias over spacing
		if w == "" || w == recordno.WarnNoSpace || w == recordno.WarnMissingHao {
			w = x.Code
		}
	}
	return n.String(), w
}

func ruleICP(s string) (string, string) {
	n, err := ident.ParseICP(s)
	if err != nil {
		return "", code(err)
	}
	return n.String(), ""
}

func ruleDomain(s string) (string, string) {
	n, err := domainname.Normalize(s)
	if err != nil {
		return "", code(err)
	}
	return n.ASCII, ""
}

// ruleArea is an area code as a new subject's address: its full name, or
// the refusal.
func ruleArea(s string) (string, string) {
	sub := filingtest.Subject()
	sub.OfficeAddress.AreaCode = s
	for _, fe := range sub.ValidateWith(filing.SubjectOptions{ForSubmit: true, Today: time.Now()}) {
		if strings.HasSuffix(fe.Field, "area_code") {
			return "", fe.Code
		}
	}
	return strings.ReplaceAll(area.FullName(s), " ", ""), ""
}

// ruleIcon is a --icon value: the src the badge gets, or the refusal.
func ruleIcon(s string) (string, string) {
	out, err := badge.Render(badge.Record{Number: "鄂公网安备 42011102000410号", Code: "42011102000410"},
		badge.Options{Base: "https://beian.example.org", IconURL: s})
	if err != nil {
		return "", code(err)
	}
	m := regexp.MustCompile(`src="([^"]*)"`).FindStringSubmatch(out)
	if m == nil {
		return "", "no src in " + out
	}
	return m[1], ""
}
