package badge

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// The marker comments around an injected badge. Everything between them
// belongs to beian; nothing outside them is ever changed.
const (
	MarkerBegin = "<!-- beian:badge -->"
	MarkerEnd   = "<!-- /beian:badge -->"
)

// Injection is what Inject did to a file.
type Injection struct {
	Out []byte
	// Changed says Out differs from the input (a second run: false).
	Changed bool
	// Where is how the badge was placed: "markers" (updated in place),
	// "footer" (before </footer>), "body" (before </body>) or "end" (a
	// partial with neither: appended).
	Where string
	// Encoding is the file's, kept: "utf-8", "utf-8-bom" or "gb18030".
	Encoding string
	// CRLF says the file's lines end in CR LF, which the badge's lines
	// then do too.
	CRLF bool
}

// ErrMarkers is a file whose marker comments are not one begin followed by
// one end.
var ErrMarkers = errors.New("the file's beian:badge markers are not one begin followed by one end")

var charsetMeta = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*(gb2312|gbk|gb18030)`)

// Inject puts snippet (the badge's HTML) into the HTML file content src:
// between the marker comments if the file has them, else just before the
// last </footer>, else before </body>, else at the end. The file's
// encoding (UTF-8, with or without a BOM, or GBK/GB18030 as Chinese sites
// still use) and line endings are kept, and the badge is indented like
// the line it joins. Running it again with the same snippet changes
// nothing.
func Inject(src []byte, snippet string) (Injection, error) {
	inj := Injection{Encoding: "utf-8"}
	text := src
	switch {
	case bytes.HasPrefix(src, []byte("\xef\xbb\xbf")):
		inj.Encoding, text = "utf-8-bom", src[3:]
	case !utf8.Valid(src) || charsetMeta.Match(src):
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(src)
		if err != nil {
			return inj, fmt.Errorf("the file is neither UTF-8 nor GB18030: %w", err)
		}
		inj.Encoding, text = "gb18030", dec
	}
	s := string(text)
	inj.CRLF = strings.Contains(s, "\r\n")
	nl := "\n"
	if inj.CRLF {
		nl = "\r\n"
	}
	snippet = strings.ReplaceAll(strings.TrimRight(strings.ReplaceAll(snippet, "\r\n", "\n"), "\n"), "\n", nl)

	var out string
	begins, ends := strings.Count(s, MarkerBegin), strings.Count(s, MarkerEnd)
	switch {
	case begins == 1 && ends == 1 && strings.Index(s, MarkerBegin) < strings.Index(s, MarkerEnd):
		i := strings.Index(s, MarkerBegin) + len(MarkerBegin)
		j := strings.Index(s, MarkerEnd)
		indent := indentOf(s, strings.Index(s, MarkerBegin))
		out = s[:i] + nl + indentLines(snippet, indent, nl) + nl + indent + s[j:]
		inj.Where = "markers"
	case begins != 0 || ends != 0:
		return inj, ErrMarkers
	default:
		at, where := lastTag(s, "</footer"), "footer"
		if at < 0 {
			at, where = lastTag(s, "</body"), "body"
		}
		if at < 0 {
			at, where = len(s), "end"
		}
		inj.Where = where
		// Insert on a line of its own, before the closing tag's line
		// when the tag starts its line, indented one step deeper.
		lineStart := strings.LastIndex(s[:at], "\n") + 1
		indent := indentOf(s, at)
		block := MarkerBegin + nl + indentLines(snippet, indent, nl) + nl + indent + MarkerEnd
		switch {
		case where == "end":
			sep := ""
			if s != "" && !strings.HasSuffix(s, "\n") {
				sep = nl
			}
			out = s + sep + block + nl
		case strings.TrimSpace(s[lineStart:at]) == "":
			inner := indent + step(indent)
			block = inner + MarkerBegin + nl + indentLines(snippet, inner, nl) + nl + inner + MarkerEnd
			out = s[:lineStart] + block + nl + s[lineStart:]
		default:
			out = s[:at] + block + s[at:]
		}
	}
	b := []byte(out)
	switch inj.Encoding {
	case "utf-8-bom":
		b = append([]byte("\xef\xbb\xbf"), b...)
	case "gb18030":
		enc, err := simplifiedchinese.GB18030.NewEncoder().Bytes(b)
		if err != nil {
			return inj, fmt.Errorf("the badge cannot be written in the file's GB18030: %w", err)
		}
		b = enc
	}
	inj.Out = b
	inj.Changed = !bytes.Equal(b, src)
	return inj, nil
}

// lastTag is where the last closing tag named tag ("</footer") starts,
// case-insensitively, or -1.
func lastTag(s, tag string) int {
	lower := strings.ToLower(s)
	for end := len(lower); ; {
		i := strings.LastIndex(lower[:end], tag)
		if i < 0 {
			return -1
		}
		if next := i + len(tag); next < len(lower) && (lower[next] == '>' || lower[next] == ' ' || lower[next] == '\t' || lower[next] == '\r' || lower[next] == '\n') {
			return i
		}
		end = i
	}
}

// indentOf is the white space that starts the line holding offset at.
func indentOf(s string, at int) string {
	start := strings.LastIndex(s[:at], "\n") + 1
	i := start
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return s[start:i]
}

// step is one level of indentation in the file's style.
func step(indent string) string {
	if strings.HasPrefix(indent, "\t") {
		return "\t"
	}
	return "  "
}

// lines splits b after each newline, with no empty last element.
func lines(b []byte) []string {
	l := strings.SplitAfter(string(b), "\n")
	if len(l) > 0 && l[len(l)-1] == "" {
		l = l[:len(l)-1]
	}
	return l
}

func indentLines(s, indent, nl string) string {
	lines := strings.Split(s, nl)
	for i, l := range lines {
		lines[i] = indent + l
	}
	return strings.Join(lines, nl)
}

// Diff is a unified diff of before and after, which differ in one region (all
// Inject changes): the changed lines with up to three lines around them.
func Diff(name string, before, after []byte) string {
	a, b := lines(before), lines(after)
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	sa, sb := len(a), len(b)
	for sa > p && sb > p && a[sa-1] == b[sb-1] {
		sa, sb = sa-1, sb-1
	}
	if p == len(a) && p == len(b) {
		return ""
	}
	from, toA, toB := max(0, p-3), min(len(a), sa+3), min(len(b), sb+3)
	var w strings.Builder
	fmt.Fprintf(&w, "--- %s\n+++ %s (with the badge)\n@@ -%d,%d +%d,%d @@\n", name, name, from+1, toA-from, from+1, toB-from)
	line := func(prefix, l string) {
		w.WriteString(prefix + strings.TrimRight(l, "\r\n") + "\n")
	}
	for _, l := range a[from:p] {
		line(" ", l)
	}
	for _, l := range a[p:sa] {
		line("-", l)
	}
	for _, l := range b[p:sb] {
		line("+", l)
	}
	for _, l := range a[sa:toA] {
		line(" ", l)
	}
	return w.String()
}
