package badge

import (
	"bytes"
	"errors"
	"fmt"
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
	// "adopted" (the page's own badge for the record, wrapped in markers),
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

// Inject puts snippet (the badge's HTML) into the HTML file content src:
// between the marker comments if the file has them; else in place of the
// badge the page already shows for the same record (code: its 14 digits,
// "" to skip), adopted and wrapped in markers, never a second one; else
// just before the last </footer>, before </body>, or at the end.
//
// Bytes outside the markers are never touched (issue 22): the file is not
// decoded and encoded again, only the snippet is encoded into the file's
// encoding. That is UTF-8 (with or without a BOM) whenever the bytes are
// valid UTF-8, whatever a <meta charset> claims, else GB18030 (GBK,
// GB2312) when they decode as that, else the file is refused. The search
// works on the raw bytes: every marker and tag begins with '<', which is
// never the second byte of a GB18030 character, and lower-casing touches
// only ASCII letters, so offsets stay those of the file. Line endings are
// kept and the badge is indented like the line it joins. Running it again
// with the same snippet changes nothing.
func Inject(src []byte, snippet, code string) (Injection, error) {
	inj := Injection{Encoding: "utf-8"}
	body := src
	switch {
	case bytes.HasPrefix(src, []byte("\xef\xbb\xbf")):
		inj.Encoding, body = "utf-8-bom", src[3:]
	case utf8.Valid(src):
	default:
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(src)
		if err != nil || bytes.ContainsRune(dec, utf8.RuneError) {
			return inj, errors.New("the file is neither UTF-8 nor GB18030 (GBK); save it in one of them first")
		}
		inj.Encoding = "gb18030"
	}
	s := string(body)
	inj.CRLF = strings.Contains(s, "\r\n")
	nl := "\n"
	if inj.CRLF {
		nl = "\r\n"
	}
	snippet = strings.ReplaceAll(strings.TrimRight(strings.ReplaceAll(snippet, "\r\n", "\n"), "\n"), "\n", nl)
	if inj.Encoding == "gb18030" {
		enc, err := simplifiedchinese.GB18030.NewEncoder().String(snippet)
		if err != nil {
			return inj, fmt.Errorf("the badge cannot be written in the file's GB18030: %w", err)
		}
		snippet = enc
	}

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
		if i, j, ok := existingBadge(s, code); ok {
			indent := indentOf(s, i)
			out = s[:i] + MarkerBegin + nl + indentLines(snippet, indent, nl) + nl + indent + MarkerEnd + s[j:]
			inj.Where = "adopted"
			break
		}
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
	if inj.Encoding == "utf-8-bom" {
		b = append([]byte("\xef\xbb\xbf"), b...)
	}
	inj.Out = b
	inj.Changed = !bytes.Equal(b, src)
	return inj, nil
}

// existingBadge finds the badge a page already shows for the record code:
// the link around the number (with an icon just before it, inside or out),
// or else the text run that holds it, and returns its byte range. The
// digits must be the whole number (not part of a longer run of digits).
// Only an ASCII search: the code is digits, the tags begin with '<'.
func existingBadge(s, code string) (int, int, bool) {
	if len(code) != 14 {
		return 0, 0, false
	}
	lower := asciiLower(s)
	for off := 0; ; {
		k := strings.Index(s[off:], code)
		if k < 0 {
			return 0, 0, false
		}
		at := off + k
		off = at + len(code)
		if (at > 0 && isDigit(s[at-1])) || (off < len(s) && isDigit(s[off])) {
			continue
		}
		// Inside a tag (an href's recordcode=…): the text badge, if any,
		// is what the link holds; take the link.
		open := strings.LastIndex(lower[:at], "<a")
		closeBefore := strings.LastIndex(lower[:at], "</a")
		if open >= 0 && open > closeBefore && (open+2 < len(lower) && (lower[open+2] == ' ' || lower[open+2] == '>' || lower[open+2] == '\n' || lower[open+2] == '\t')) {
			end := strings.Index(lower[at:], "</a>")
			if end < 0 {
				continue
			}
			i, j := open, at+end+len("</a>")
			// An icon just before the link belongs to the badge.
			before := strings.TrimRight(s[:i], " \t\r\n")
			if strings.HasSuffix(before, ">") {
				if img := strings.LastIndex(lower[:len(before)], "<img"); img >= 0 && !strings.Contains(s[img:len(before)], "<a") && strings.Count(s[img:len(before)], ">") == 1 {
					i = img
				}
			}
			return i, j, true
		}
		if strings.LastIndex(s[:at], "<") > strings.LastIndex(s[:at], ">") {
			continue // inside some other tag's attribute
		}
		// A text run: from the tag before it to the tag after it.
		i := strings.LastIndex(s[:at], ">") + 1
		j := at + strings.IndexByte(s[at:]+"<", '<')
		for i < at && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
			i++
		}
		for j > off && (s[j-1] == ' ' || s[j-1] == '\t' || s[j-1] == '\r' || s[j-1] == '\n') {
			j--
		}
		return i, j, true
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// asciiLower lower-cases ASCII letters only, byte for byte, so offsets in
// the result are offsets in s whatever its encoding.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// lastTag is where the last closing tag named tag ("</footer") starts,
// case-insensitively, or -1.
func lastTag(s, tag string) int {
	lower := asciiLower(s)
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
