package output

import (
	"fmt"
	"strings"

	"github.com/mattn/go-runewidth"

	"github.com/beian-dev/beian/internal/cli/iostreams"
)

// Table prints rows for people on a terminal — a header and columns padded
// by display width, so that Chinese names (two columns a character) line up
// — and for programs when piped: no header, one row a line, fields
// separated by tabs.
type Table struct {
	ios     *iostreams.IOStreams
	headers []string
	rows    [][]string
}

// NewTable starts a table with the given column headers.
func NewTable(ios *iostreams.IOStreams, headers ...string) *Table {
	return &Table{ios: ios, headers: headers}
}

// AddRow adds one row; missing fields are empty.
func (t *Table) AddRow(fields ...string) { t.rows = append(t.rows, fields) }

// Len is the number of rows added.
func (t *Table) Len() int { return len(t.rows) }

// Render writes the table to stdout. Every cell is Sanitized: tables show
// what the server sent, and a name with escape sequences must not drive the
// terminal (set its title, clear it, plant hyperlinks).
func (t *Table) Render() error {
	out := t.ios.Out
	for _, r := range t.rows {
		for i := range r {
			r[i] = sanitizeCell(r[i])
		}
	}
	if !t.ios.IsStdoutTTY() {
		for _, r := range t.rows {
			clean := make([]string, len(r))
			for i, f := range r {
				clean[i] = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(f)
			}
			if _, err := fmt.Fprintln(out, strings.Join(clean, "\t")); err != nil {
				return err
			}
		}
		return nil
	}
	cols := len(t.headers)
	for _, r := range t.rows {
		cols = max(cols, len(r))
	}
	widths := make([]int, cols)
	measure := func(r []string) {
		for i, f := range r {
			widths[i] = max(widths[i], runewidth.StringWidth(f))
		}
	}
	measure(t.headers)
	for _, r := range t.rows {
		measure(r)
	}
	cs := t.ios.ColorScheme()
	line := func(r []string, header bool) error {
		var b strings.Builder
		for i := 0; i < cols; i++ {
			f := ""
			if i < len(r) {
				f = r[i]
			}
			cell := f
			if header {
				cell = cs.Bold(f)
			}
			b.WriteString(cell)
			if i < cols-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-runewidth.StringWidth(f)+2))
			}
		}
		_, err := fmt.Fprintln(out, strings.TrimRight(b.String(), " "))
		return err
	}
	if len(t.headers) > 0 {
		if err := line(t.headers, true); err != nil {
			return err
		}
	}
	for _, r := range t.rows {
		if err := line(r, false); err != nil {
			return err
		}
	}
	return nil
}

// sanitizeCell is Sanitize for one table cell that the ColorScheme may have
// coloured as a whole: the colour of the cell (one of the palette's own SGR
// codes) is kept, everything inside it is sanitised.
func sanitizeCell(cell string) string {
	const reset = "\x1b[0m"
	for _, code := range []string{"1", "31", "32", "33", "90"} {
		open := "\x1b[" + code + "m"
		if inner, ok := strings.CutPrefix(cell, open); ok {
			if inner, ok = strings.CutSuffix(inner, reset); ok {
				return open + Sanitize(inner) + reset
			}
		}
	}
	return Sanitize(cell)
}
