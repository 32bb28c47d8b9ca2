package badge

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

const snippet = `<a href="https://beian.mps.gov.cn/#/query/webSearch?code=42011102000410" target="_blank" rel="noreferrer"><img src="https://b.example/i.png" alt="">鄂公网安备 42011102000410号</a>`

func TestInject(t *testing.T) {
	for _, tt := range []struct {
		name, in, want, where string
	}{
		{"before the footer's end",
			"<html>\n<body>\n  <footer>\n    <p>© 2024</p>\n  </footer>\n</body>\n</html>\n",
			"<html>\n<body>\n  <footer>\n    <p>© 2024</p>\n    " + MarkerBegin + "\n    " + snippet + "\n    " + MarkerEnd + "\n  </footer>\n</body>\n</html>\n",
			"footer"},
		{"no footer: before </body>",
			"<html><body>\n\t<main>内容</main>\n</BODY></html>\n",
			"<html><body>\n\t<main>内容</main>\n  " + MarkerBegin + "\n  " + snippet + "\n  " + MarkerEnd + "\n</BODY></html>\n",
			"body"},
		{"a partial: appended",
			"<p>© 2024 示例</p>",
			"<p>© 2024 示例</p>\n" + MarkerBegin + "\n" + snippet + "\n" + MarkerEnd + "\n",
			"end"},
		{"the closing tag mid-line",
			"<footer><p>x</p></footer>\n",
			"<footer><p>x</p>" + MarkerBegin + "\n" + snippet + "\n" + MarkerEnd + "</footer>\n",
			"footer"},
		{"an outdated badge between markers",
			"<footer>\n  " + MarkerBegin + "\n  <a href=\"http://www.beian.gov.cn/\">京公网安备 11010802020134号</a>\n  " + MarkerEnd + "\n  <p>keep me</p>\n</footer>\n",
			"<footer>\n  " + MarkerBegin + "\n  " + snippet + "\n  " + MarkerEnd + "\n  <p>keep me</p>\n</footer>\n",
			"markers"},
		{"CRLF line endings",
			"<body>\r\n<footer>\r\n  <p>x</p>\r\n</footer>\r\n</body>\r\n",
			"<body>\r\n<footer>\r\n  <p>x</p>\r\n  " + MarkerBegin + "\r\n  " + snippet + "\r\n  " + MarkerEnd + "\r\n</footer>\r\n</body>\r\n",
			"footer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Inject([]byte(tt.in), snippet+"\n", "")
			if err != nil {
				t.Fatal(err)
			}
			if string(got.Out) != tt.want || got.Where != tt.where || !got.Changed {
				t.Fatalf("where %s, changed %v:\n%q\nwant\n%q", got.Where, got.Changed, got.Out, tt.want)
			}
			again, err := Inject(got.Out, snippet, "")
			if err != nil || again.Changed || string(again.Out) != tt.want {
				t.Fatalf("a second run changed the file (%v):\n%q", err, again.Out)
			}
			if tt.name == "CRLF line endings" && strings.Count(string(got.Out), "\n") != strings.Count(string(got.Out), "\r\n") {
				t.Fatal("a bare LF in a CRLF file")
			}
		})
	}
}

// A GBK page (many Chinese sites) stays GBK, BOM and all bytes outside the
// markers as they were.
func TestInjectKeepsTheEncoding(t *testing.T) {
	page := "<html><head><meta charset=\"gbk\"></head><body>\n<footer>\n版权所有\n</footer>\n</body></html>\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(page)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Inject([]byte(gbk), snippet, "")
	if err != nil || got.Encoding != "gb18030" {
		t.Fatalf("%v %s", err, got.Encoding)
	}
	back, err := simplifiedchinese.GB18030.NewDecoder().String(string(got.Out))
	if err != nil || !strings.Contains(back, "鄂公网安备 42011102000410号") || !strings.Contains(back, "版权所有") {
		t.Fatalf("%v %q", err, back)
	}
	if !strings.HasPrefix(string(got.Out), gbk[:strings.Index(gbk, "</footer>")]) {
		t.Fatal("bytes before the badge changed")
	}
	bom, err := Inject([]byte("\xef\xbb\xbf<footer></footer>"), snippet, "")
	if err != nil || bom.Encoding != "utf-8-bom" || !strings.HasPrefix(string(bom.Out), "\xef\xbb\xbf<footer>") {
		t.Fatalf("%v %q", err, bom.Out)
	}
}

func TestInjectRefusesBrokenMarkers(t *testing.T) {
	for _, in := range []string{MarkerBegin + "<footer></footer>", MarkerEnd + MarkerBegin, MarkerBegin + MarkerEnd + MarkerBegin + MarkerEnd} {
		if _, err := Inject([]byte(in), snippet, ""); err != ErrMarkers {
			t.Errorf("%q: %v", in, err)
		}
	}
}

func TestDiff(t *testing.T) {
	old := "a\nb\nc\nd\n"
	d := Diff("f.html", []byte(old), []byte("a\nb\nX\nc\nd\n"))
	want := "--- f.html\n+++ f.html (with the badge)\n@@ -1,4 +1,5 @@\n a\n b\n+X\n c\n d\n"
	if d != want {
		t.Fatalf("%q", d)
	}
	if Diff("f", []byte(old), []byte(old)) != "" {
		t.Fatal("no change, a diff")
	}
}
