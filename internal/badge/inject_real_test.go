package badge

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

const code = "42011102000410"

// outsideMarkers checks that out is src with only the region between the
// markers (and the markers themselves) different: the bytes before and
// after are src's own.
func outsideMarkers(t *testing.T, src, out []byte) {
	t.Helper()
	i := bytes.Index(out, []byte(MarkerBegin))
	j := bytes.Index(out, []byte(MarkerEnd))
	if i < 0 || j < i {
		t.Fatalf("no markers in %q", out)
	}
	// A block on a line of its own adds its indentation and line end; the
	// rest is src's, byte for byte.
	before, after := out[:i], out[j+len(MarkerEnd):]
	joined := string(before) + string(after)
	ownLine := strings.TrimRight(string(before), " \t") + strings.TrimPrefix(strings.TrimPrefix(string(after), "\r\n"), "\n")
	if !strings.HasPrefix(string(src), strings.TrimRight(string(before), " \t")) || !bytes.HasSuffix(src, bytes.TrimLeft(after, "\r\n")) ||
		(joined != string(src) && ownLine != string(src) && len(joined) > len(src)) {
		t.Fatalf("bytes outside the markers changed:\nsrc %q\nout %q", src, out)
	}
}

// Issue 22: a UTF-8 page that carries <meta charset=gb2312> (a real,
// common mistake: a clone of a large travel site did) was rewritten in
// GB18030. Valid UTF-8 bytes win; GBK, CRLF and a BOM are kept; every byte
// outside the markers stays as it was, and a second run changes nothing.
func TestInjectNeverReencodes(t *testing.T) {
	utf8Page := "<!DOCTYPE html>\n<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\" />\n<title>携程旅行网</title></head>\n<body>\n<p>酒店·机票·火车票·旅游度假</p>\n<footer>\n  <p>Copyright©1999-2024, ctrip.com. All rights reserved.</p>\n</footer>\n</body></html>\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(strings.ReplaceAll(strings.ReplaceAll(utf8Page, "charset=gb2312", "charset=gbk"), "©", "(c)"))
	if err != nil {
		t.Fatal(err)
	}
	crlfBOM := "\xef\xbb\xbf" + strings.ReplaceAll(strings.ReplaceAll(utf8Page, "charset=gb2312", "charset=utf-8"), "\n", "\r\n")
	for _, tc := range []struct {
		name, page, enc string
	}{
		{"utf-8 body, gb2312 meta", utf8Page, "utf-8"},
		{"real GBK", gbk, "gb18030"},
		{"CRLF and a BOM", crlfBOM, "utf-8-bom"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Inject([]byte(tc.page), snippet, code)
			if err != nil {
				t.Fatal(err)
			}
			if got.Encoding != tc.enc || got.Where != "footer" {
				t.Fatalf("encoding %s where %s, want %s footer", got.Encoding, got.Where, tc.enc)
			}
			outsideMarkers(t, []byte(tc.page), got.Out)
			if tc.enc == "gb18030" {
				back, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(got.Out)
				if !bytes.Contains(back, []byte("鄂公网安备 42011102000410号")) {
					t.Errorf("the badge is not in GB18030: %q", back)
				}
			} else if !bytes.Contains(got.Out, []byte("鄂公网安备 42011102000410号")) {
				t.Errorf("no badge in %q", got.Out)
			}
			if strings.Contains(tc.page, "\r\n") && bytes.Contains(bytes.ReplaceAll(got.Out, []byte("\r\n"), nil), []byte("\n")) {
				t.Error("a bare LF in a CRLF file")
			}
			again, err := Inject(got.Out, snippet, code)
			if err != nil || again.Changed {
				t.Errorf("second run: %v changed=%v", err, again.Changed)
			}
		})
	}
	if _, err := Inject([]byte("<p>\xff\xfe\xfa\x00bad</p>"), snippet, code); err == nil {
		t.Error("bytes that are neither UTF-8 nor GB18030 were accepted")
	}
}

// Issue 22: a page that already shows the record number gets no second
// badge: its own badge, in the shapes real footers use, is adopted —
// wrapped in markers and replaced by the complete badge.
func TestInjectAdoptsTheBadgeOnThePage(t *testing.T) {
	for name, own := range map[string]string{
		"text run":          `<span>鄂公网安备 42011102000410号</span>`,
		"link with icon":    `<img src="/static/gongan.png" alt=""> <a target="_blank" href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=42011102000410">鄂公网安备 42011102000410号</a>`,
		"other wording":     `<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=42011102000410" target="_blank"><img src="ga.png">公安备案号42011102000410</a>`,
		"icon inside link":  `<a href="https://beian.mps.gov.cn/#/query/webSearch?code=42011102000410" rel="noreferrer" target="_blank"><img src="/beian.png" style="float:left;"/>鄂公网安备42011102000410号</a>`,
		"bureau wording":    `<p>武汉市公安局洪山分局备案编号：42011102000410</p>`,
		"number in a table": "<td>\n  鄂公网安备 42011102000410号\n</td>",
	} {
		t.Run(name, func(t *testing.T) {
			page := "<html><body>\n<div id=\"footer\">\n  <a href=\"https://beian.miit.gov.cn/\">鄂ICP备17000017号-1</a>\n  " + own + "\n</div>\n</body></html>\n"
			got, err := Inject([]byte(page), snippet, code)
			if err != nil {
				t.Fatal(err)
			}
			if got.Where != "adopted" {
				t.Fatalf("where %s, want adopted:\n%s", got.Where, got.Out)
			}
			if n := bytes.Count(got.Out, []byte(code)); n != strings.Count(snippet, code) {
				t.Errorf("the record number appears %d times after inject, want %d (one badge):\n%s", n, strings.Count(snippet, code), got.Out)
			}
			outsideMarkers(t, []byte(page), got.Out)
			if !bytes.Contains(got.Out, []byte("鄂ICP备17000017号-1")) {
				t.Error("the ICP number was lost")
			}
			again, err := Inject(got.Out, snippet, code)
			if err != nil || again.Changed {
				t.Errorf("second run: %v changed=%v\n%s", err, again.Changed, again.Out)
			}
		})
	}
	// A longer number that merely contains the digits is not this record.
	page := "<footer><p>订单号 9420111020004105</p></footer>"
	got, err := Inject([]byte(page), snippet, code)
	if err != nil || got.Where != "footer" {
		t.Errorf("%v where %s, want footer", err, got.Where)
	}
}
