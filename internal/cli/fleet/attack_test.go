package fleet

// Attack tests of issue 23 on the fleet loader and the sheet export.

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/i18n"
)

// allocated runs fn and returns the bytes it allocated.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Finding 9: a YAML alias bomb (a 505-byte fleet file took `beian plan`
// past 2.5 GB) is refused before anything is expanded, under 64 MB.
func TestAttack23_09YAMLAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("defaults:\n  a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	for i := 1; i <= 9; i++ {
		b.WriteString("  a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := range 9 {
			if j > 0 {
				b.WriteString(",")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	b.WriteString("sites:\n  - primary_domain: bomb.example.cn\n    name: *a9\n")
	if b.Len() > 1024 {
		t.Fatalf("the bomb is %d bytes; it should be small", b.Len())
	}
	p := write(t, t.TempDir(), "bomb.yaml", b.String())
	var err error
	n := allocated(func() { _, err = Load(p) })
	if err == nil || !strings.Contains(err.Error(), "aliases expand") {
		t.Fatalf("Load = %v, want the alias bomb refused", err)
	}
	if n > 64<<20 {
		t.Errorf("refusing a %d-byte alias bomb allocated %d MiB, want < 64", b.Len(), n>>20)
	}
	t.Logf("a %d-byte alias bomb refused after %d KiB allocated: %v", b.Len(), n>>10, err)

	// Anchors used as meant still work.
	ok := write(t, t.TempDir(), "ok.yaml", "defaults: &d\n  language: [zh]\nsites:\n  - <<: *d\n    primary_domain: ok.example.cn\n")
	if _, err := Load(ok); err != nil && strings.Contains(err.Error(), "aliases") {
		t.Errorf("an ordinary anchor was refused: %v", err)
	}
}

// Finding 10: an .xlsx zip bomb (a 1 MB workbook unzipped to 1 GiB on
// disk and 3.5 GB in memory) is refused by its declared size, under 64 MB,
// leaving no temporary file behind.
func TestAttack23_10XLSXZipBomb(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "bomb.xlsx")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	files := map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"xl/workbook.xml":            `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
	}
	for name, body := range files {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	w.Write([]byte(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`))
	row := bytes.Repeat([]byte(`<row><c t="inlineStr"><is><t>x</t></is></c></row>`), 1<<14)
	for range 160 { // 160 × 800 KiB ≈ 128 MiB unzipped
		w.Write(row)
	}
	w.Write([]byte(`</sheetData></worksheet>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var err error
	n := allocated(func() { _, err = Load(p) })
	if err == nil || !strings.Contains(err.Error(), "unzips to more than") {
		t.Fatalf("Load = %v, want the zip bomb refused", err)
	}
	if n > 64<<20 {
		t.Errorf("refusing a %d KiB zip bomb allocated %d MiB, want < 64", buf.Len()>>10, n>>20)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
	t.Logf("a %d KiB workbook declaring 128 MiB refused after %d KiB allocated", buf.Len()>>10, n>>10)
}

// Finding 11: an exported CSV runs no formula in a spreadsheet, and plans
// back unchanged.
func TestAttack23_11CSVFormulaInjection(t *testing.T) {
	site := filingtest.Site("formula.example.cn")
	payloads := []string{"=cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3+4", "@SUM(1+1)", "\t=1+1"}
	for _, payload := range payloads {
		s := site
		s.Name = payload
		var b strings.Builder
		if err := WriteCSV(&b, Header(i18n.New(i18n.EN)), []filing.Site{s}); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, cell := range rows[1] {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("%q: the exported cell %q would run as a formula", payload, cell)
			}
		}
		if got := UnquoteCell(QuoteCell(payload)); got != payload {
			t.Errorf("%q does not survive the round trip: %q", payload, got)
		}
	}
}
