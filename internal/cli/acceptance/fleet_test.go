package acceptance

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
	"go.yaml.in/yaml/v3"

	"github.com/beian-dev/beian/internal/cli/fleet"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/ident"
)

// fleetSubjects are the subjects of the generated fleets, each filed by its
// own account ($FLEET_A_TOKEN …), 17 + 17 + 16 = 50 sites.
var fleetSubjects = []struct {
	id    string
	sites int
}{{"a", 17}, {"b", 17}, {"c", 16}}

// fleetSubject is a valid unit subject of its own: a name and a unified
// social credit code (with its check character) of its own.
func fleetSubject(i int) filing.Subject {
	s := filingtest.Subject()
	s.Name = fmt.Sprintf("武汉舰队%c网络科技有限公司", 'A'+i)
	first17 := fmt.Sprintf("91420111MA4K0%03d", 100+i) + "1"
	c, err := ident.USCCCheckChar(first17)
	if err != nil {
		panic(err)
	}
	s.CertNumber = first17 + string(c)
	return s
}

// fleetDefaults are the site fields every generated site shares: declared
// once, under defaults:.
func fleetDefaults() map[string]any {
	s := filingtest.Site("x.test")
	s.Owner = filing.Contact{SameAsResponsible: true}
	var m map[string]any
	b, _ := yaml.Marshal(s)
	_ = yaml.Unmarshal(b, &m)
	delete(m, "name")
	delete(m, "primary_domain")
	delete(m, "extra_domains")
	return m
}

func fleetDomain(prefix, id string, n int) string {
	return fmt.Sprintf("%s-%s-%02d.test", prefix, id, n)
}

// genFleet writes a 3-subject, 50-site fleet into dir: as one YAML file
// (fleet.yaml), or as subjects.yaml naming a sheet (sites.csv or
// sites.xlsx) whose rows name their subject. A variant changes it:
// "edited" makes one non-key change (a-01's emergency mobile), one key
// change (a-02's name), one new site (a-18) and fixes the returned a-03
// (its name); "dup" gives b-01 a domain of a-01.
func genFleet(ts *testscript.TestScript, format, prefix, variant string) {
	type subj struct {
		ID       string           `yaml:"id"`
		TokenEnv string           `yaml:"token_env"`
		Subject  filing.Subject   `yaml:"subject"`
		Sites    []map[string]any `yaml:"sites,omitempty"`
	}
	doc := struct {
		Defaults map[string]any `yaml:"defaults"`
		Subjects []subj         `yaml:"subjects"`
		Sheets   []string       `yaml:"sheets,omitempty"`
	}{Defaults: fleetDefaults()}
	var rows [][]string
	for i, fs := range fleetSubjects {
		s := subj{ID: fs.id, TokenEnv: "FLEET_" + strings.ToUpper(fs.id) + "_TOKEN", Subject: fleetSubject(i)}
		for n := 1; n <= fs.sites; n++ {
			name := fmt.Sprintf("舰队站点 %s%02d", strings.ToUpper(fs.id), n)
			dom := fleetDomain(prefix, fs.id, n)
			extra := []string{"www." + dom}
			site := map[string]any{"name": name, "primary_domain": dom, "extra_domains": extra}
			switch key := fs.id + fmt.Sprint(n); {
			case variant == "edited" && key == "a1":
				site["emergency_contact"] = map[string]any{"mobile": "13300133001"}
			case variant == "edited" && (key == "a2" || key == "a3"):
				site["name"] = name + "（新）"
			case variant == "dup" && key == "b1":
				site["extra_domains"] = append(extra, "www."+fleetDomain(prefix, "a", 1))
			}
			if format == "yaml" {
				s.Sites = append(s.Sites, site)
			} else {
				rows = append(rows, []string{fs.id, site["name"].(string), dom, strings.Join(site["extra_domains"].([]string), ", ")})
			}
		}
		if variant == "edited" && fs.id == "a" {
			dom := fleetDomain(prefix, "a", fs.sites+1)
			s.Sites = append(s.Sites, map[string]any{"name": "舰队站点 A18", "primary_domain": dom})
		}
		doc.Subjects = append(doc.Subjects, s)
	}
	file := "fleet.yaml"
	if format != "yaml" {
		file = "subjects.yaml"
		sheet := "sites." + format
		doc.Sheets = []string{sheet}
		// The header in Chinese for the workbook, in English for the CSV.
		header := []string{"subject", "name", "primary_domain", "extra_domains"}
		if format == "xlsx" {
			header = []string{"主体", "网站名称", "主域名", "其他域名"}
		}
		ts.Check(writeSheet(ts.MkAbs(sheet), header, rows))
	}
	b, err := yaml.Marshal(doc)
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(file), b, 0o644))
}

func writeSheet(path string, header []string, rows [][]string) error {
	if filepath.Ext(path) == ".xlsx" {
		return fleet.WriteRowsXLSX(path, header, rows)
	}
	var b strings.Builder
	b.WriteString("\ufeff") // as spreadsheet programs save UTF-8 CSV
	for _, r := range append([][]string{header}, rows...) {
		b.WriteString(strings.Join(r, ",") + "\r\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
