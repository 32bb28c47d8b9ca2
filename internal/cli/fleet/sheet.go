package fleet

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/beian-dev/beian/internal/cli/filingio"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/i18n"
)

// Columns are the site fields a sheet can hold, in the order an exported
// sheet gives them. A header cell names one by its path ("owner.mobile"),
// its English label ("Site owner's mobile") or its Chinese one
// ("网站负责人手机"); SubjectColumn names the subject of the row.
// Approval certificates and prior approvals are files and lists of
// records, not cells: a site from a sheet keeps the server's.
var Columns = []string{
	"name", "has_primary_domain", "primary_domain", "extra_domains", "homepage_url", "ip_addresses",
	"launch_date", "icp_number",
	"access_provider.name", "access_provider.jurisdiction", "access_provider.area_code",
	"access_provider.access_method", "access_provider.phone",
	"registrar.name", "registrar.jurisdiction", "registrar.area_code",
	"commercial", "service_types", "interactive", "interactive_services", "interactive_other",
	"important_field", "languages",
	"owner.same_as_responsible", "owner.name", "owner.id_type", "owner.id_number", "owner.mobile", "owner.office_phone", "owner.email",
	"security_officer.same_as_responsible", "security_officer.name", "security_officer.id_type", "security_officer.id_number",
	"security_officer.mobile", "security_officer.office_phone", "security_officer.email",
	"opinion_guide.same_as_responsible", "opinion_guide.name", "opinion_guide.id_type", "opinion_guide.id_number",
	"opinion_guide.mobile", "opinion_guide.office_phone", "opinion_guide.email",
	"emergency_contact.name", "emergency_contact.mobile", "emergency_contact.office_phone", "emergency_contact.email",
	"accept_responsibility",
}

// SubjectColumn is the column naming a row's subject (its fleet ID).
const SubjectColumn = "subject"

var subjectHeaders = []string{SubjectColumn, "subject id", "hosting subject", "主体", "开办主体"}

// headerIndex maps every accepted header, folded, to its column path.
func headerIndex() map[string]string {
	en, zh := i18n.New(i18n.EN), i18n.New(i18n.ZH)
	idx := map[string]string{}
	for _, h := range subjectHeaders {
		idx[fold(h)] = SubjectColumn
	}
	for _, c := range Columns {
		idx[fold(c)] = c
		idx[fold("site."+c)] = c
		for _, l := range []*i18n.Localizer{en, zh} {
			if id := "label.site." + c; l.Has(id) {
				idx[fold(l.T(id))] = c
			}
		}
	}
	return idx
}

func fold(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " "))
}

// Header is the header row of an exported sheet in the language of loc.
func Header(loc *i18n.Localizer) []string {
	out := make([]string, len(Columns))
	for i, c := range Columns {
		if id := "label.site." + c; loc != nil && loc.Lang() != i18n.EN && loc.Has(id) {
			out[i] = loc.T(id)
		} else {
			out[i] = c
		}
	}
	return out
}

// Bounds of a sheet (issue 23, finding 10: a 1 MB workbook unzipped to a
// 1 GiB temporary file and 3.5 GB of memory): the workbook unzips to at
// most maxUnzipped bytes, a worksheet over maxSheetXML is streamed from a
// temporary file (removed on Close), and at most maxRows rows are read.
const (
	maxUnzipped = 64 << 20
	maxSheetXML = 16 << 20
	maxRows     = 100_000
)

// readRows reads every row of a CSV file or of the first worksheet of an
// .xlsx workbook, within the bounds above.
func readRows(path string) ([][]string, error) {
	if kindOf(path) == "xlsx" {
		return readWorkbook(path)
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	r := csv.NewReader(skipBOM(io.LimitReader(fh, maxFleetFile)))
	r.FieldsPerRecord = -1 // short rows are rows with empty cells at the end
	r.ReuseRecord = false
	var rows [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		if len(rows) == maxRows {
			return nil, fmt.Errorf("more than %d rows: split the sheet", maxRows)
		}
		rows = append(rows, rec)
	}
}

func readWorkbook(path string) ([][]string, error) {
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxSheetXML})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size") {
			return nil, fmt.Errorf("the workbook unzips to more than %d MiB: not a fleet sheet", maxUnzipped>>20)
		}
		return nil, err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, errors.New("the workbook has no worksheet")
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var rows [][]string
	for it.Next() {
		if len(rows) == maxRows {
			return nil, fmt.Errorf("more than %d rows: split the sheet", maxRows)
		}
		row, err := it.Columns()
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	return rows, it.Error()
}

// skipBOM drops the byte-order mark spreadsheet programs put at the start
// of a UTF-8 CSV file.
func skipBOM(r io.Reader) io.Reader {
	b := make([]byte, 3)
	n, _ := io.ReadFull(r, b)
	if n == 3 && string(b) == "\ufeff" {
		return r
	}
	return io.MultiReader(strings.NewReader(string(b[:n])), r)
}

// sheet reads a sheet's rows as sites, each starting from its subject's
// defaults.
func (l *loader) sheet(sh pendingSheet) error {
	rows, err := readRows(sh.path)
	if err != nil {
		return &LoadError{Where: sh.path, Err: err}
	}
	for len(rows) > 0 && blank(rows[0]) {
		rows = rows[1:]
	}
	if len(rows) == 0 {
		return loadErr(sh.path, "the sheet is empty: its first row names the columns (docs/fleets.md)")
	}
	idx := headerIndex()
	cols := make([]string, len(rows[0]))
	seen := map[string]int{}
	subjectCol := -1
	for i, h := range rows[0] {
		if strings.TrimSpace(h) == "" {
			continue
		}
		c, ok := idx[fold(h)]
		if !ok {
			return loadErr(fmt.Sprintf("%s:1", sh.path), "column %d, %q, is not a site field (docs/fleets.md lists the columns)", i+1, h)
		}
		if j, dup := seen[c]; dup {
			return loadErr(fmt.Sprintf("%s:1", sh.path), "columns %d and %d are both %s", j+1, i+1, c)
		}
		seen[c] = i
		cols[i] = c
		if c == SubjectColumn {
			subjectCol = i
		}
	}
	kinds := filingio.FieldKinds()
	for r, row := range rows[1:] {
		where := fmt.Sprintf("%s:%d", sh.path, r+2)
		if blank(row) {
			continue
		}
		s := sh.subject
		if s == nil {
			id := ""
			if subjectCol >= 0 && subjectCol < len(row) {
				id = strings.TrimSpace(row[subjectCol])
			}
			var ok bool
			if s, ok = l.byID[id]; !ok {
				if id != "" {
					return loadErr(where, "subject %q is not declared in the fleet's YAML (subjects: - id: %s)", id, id)
				}
				s = l.subjectByID("", sh.where)
			}
		}
		site, err := decodeSiteNode(resolve(l.defaultsFor(s)))
		if err != nil {
			return &LoadError{Where: where, Err: err}
		}
		var sets []string
		gaveHas := false
		for i, c := range cols {
			if c == "" || c == SubjectColumn || i >= len(row) {
				continue
			}
			v := UnquoteCell(strings.TrimSpace(row[i]))
			if v == "" {
				continue
			}
			if kinds[c] == "bool" {
				b, ok := parseBool(v)
				if !ok {
					return loadErr(where, "%s: %q is not yes or no", c, v)
				}
				v = fmt.Sprint(b)
			}
			gaveHas = gaveHas || c == "has_primary_domain"
			sets = append(sets, c+"="+v)
		}
		site, err = filingio.SetFields(site, sets)
		if err != nil {
			return &LoadError{Where: where, Err: err}
		}
		if !gaveHas && site.PrimaryDomain != "" {
			site.HasPrimaryDomain = true
		}
		s.Sites = append(s.Sites, &Site{Site: site, Where: where, FromSheet: true})
	}
	return nil
}

func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// parseBool reads a yes/no cell: true/false, yes/no, y/n, 1/0, 是/否.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "y", "1", "是", "有":
		return true, true
	case "false", "no", "n", "0", "否", "无":
		return false, true
	}
	return false, false
}

// Row is site as the cells of an exported sheet, in Columns order: lists
// comma-separated, yes/no as true/false.
func Row(site filing.Site) []string {
	flat := flatten(site)
	out := make([]string, len(Columns))
	for i, c := range Columns {
		out[i] = flat[c]
	}
	return out
}

// WriteCSV writes a header and one row per site.
func WriteCSV(w io.Writer, header []string, sites []filing.Site) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, s := range sites {
		row := Row(s)
		for i := range row {
			row[i] = QuoteCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes the same as WriteCSV as a workbook at path, every cell
// text (a mobile number is not a number to sum).
func WriteXLSX(path string, header []string, sites []filing.Site) error {
	rows := make([][]string, len(sites))
	for i, s := range sites {
		rows[i] = Row(s)
	}
	return WriteRowsXLSX(path, header, rows)
}

// WriteRowsXLSX writes a header and rows as the one worksheet of a
// workbook at path, every cell text.
func WriteRowsXLSX(path string, header []string, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	const name = "Sites"
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return err
	}
	for r, cells := range append([][]string{header}, rows...) {
		for c, v := range cells {
			ref, err := excelize.CoordinatesToCellName(c+1, r+1)
			if err != nil {
				return err
			}
			if err := f.SetCellStr(name, ref, v); err != nil {
				return err
			}
		}
	}
	return f.SaveAs(path)
}

// flatten maps each column path of site to its cell text.
func flatten(site filing.Site) map[string]string {
	out := map[string]string{}
	filingio.EachField(site, func(path string, v any) {
		switch v := v.(type) {
		case []any:
			items := make([]string, 0, len(v))
			for _, it := range v {
				if s, ok := it.(string); ok {
					items = append(items, s)
				}
			}
			out[path] = strings.Join(items, ", ")
		case bool:
			out[path] = fmt.Sprint(v)
		case string:
			out[path] = v
		}
	})
	return out
}

// QuoteCell neutralises a CSV cell that a spreadsheet program would run as
// a formula (issue 23, finding 11; OWASP "CSV injection"): a cell starting
// with = + - @, a tab or a carriage return gets a leading apostrophe, which
// spreadsheets show as text and UnquoteCell takes off again, so that an
// exported sheet still plans back unchanged. XLSX cells are typed strings
// and need none of this.
func QuoteCell(c string) string {
	if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
		return "'" + c
	}
	return c
}

// UnquoteCell undoes QuoteCell.
func UnquoteCell(c string) string {
	if len(c) > 1 && c[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(c[1])) {
		return c[1:]
	}
	return c
}
