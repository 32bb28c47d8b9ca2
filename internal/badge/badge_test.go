package badge

import (
	"bytes"
	"encoding/json"
	"errors"
	stdhtml "html"
	"image/png"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The record of the FAQ's example: a Wuhan (4201) county-level number.
var wuhan = Record{Number: "鄂公网安备 42011102000410号", Code: "42011102000410", ICP: "鄂ICP备17001107号-1"}

const base = "https://beian.example.org/"

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in   string
		want Format
	}{
		{"", FormatHTML},
		{"html", FormatHTML},
		{"HTML", FormatHTML},
		{" html-legacy ", FormatHTMLLegacy},
		{"markdown", FormatMarkdown},
		{"text", FormatText},
		{"json", FormatJSON},
	}
	for _, tt := range tests {
		got, err := ParseFormat(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"md", "yaml", "htm", "html_legacy"} {
		_, err := ParseFormat(in)
		assertCode(t, err, CodeFormatUnknown)
	}
}

func TestLink(t *testing.T) {
	tests := []struct{ tmpl, base, code, want string }{
		{LinkServer, "https://beian.example.org", "42011102000410", "https://beian.example.org/records/42011102000410"},
		{LinkServer, "https://beian.example.org//", "42011102000410", "https://beian.example.org/records/42011102000410"},
		{LinkServer, "https://example.org/beian/", "11000002000001", "https://example.org/beian/records/11000002000001"},
		{LinkCurrent, "", "42011102000410", "https://beian.mps.gov.cn/#/query/webSearch?code=42011102000410"},
		{LinkLegacy, "", "110102000247", "http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=110102000247"},
		// {code} is escaped for any position in a URL.
		{LinkCurrent, "", "1&x=2 3/4", "https://beian.mps.gov.cn/#/query/webSearch?code=1%26x%3D2%203%2F4"},
		{"{base}/r/{code}?again={code}", "http://h", "42011102000410", "http://h/r/42011102000410?again=42011102000410"},
	}
	for _, tt := range tests {
		if got := Link(tt.tmpl, tt.base, tt.code); got != tt.want {
			t.Errorf("Link(%q, %q, %q) = %q, want %q", tt.tmpl, tt.base, tt.code, got, tt.want)
		}
	}
}

func TestRenderGolden(t *testing.T) {
	tests := []struct {
		name string
		r    Record
		o    Options
		want string
	}{
		{
			"html default", wuhan, Options{Base: base},
			`<a href="https://beian.example.org/records/42011102000410" target="_blank" rel="noreferrer"><img src="https://beian.example.org/static/beian-icon.png" alt="" style="width:20px;height:20px;vertical-align:middle;margin-right:4px;border:0;">鄂公网安备 42011102000410号</a>`,
		},
		{
			"html current link with ICP", wuhan, Options{Format: FormatHTML, LinkTemplate: LinkCurrent, Base: base, WithICP: true},
			`<a href="https://beian.mps.gov.cn/#/query/webSearch?code=42011102000410" target="_blank" rel="noreferrer"><img src="https://beian.example.org/static/beian-icon.png" alt="" style="width:20px;height:20px;vertical-align:middle;margin-right:4px;border:0;">鄂公网安备 42011102000410号</a>` + "\n" +
				`<a href="https://beian.miit.gov.cn/" target="_blank" rel="noreferrer">鄂ICP备17001107号-1</a>`,
		},
		{
			"html-legacy legacy link", wuhan, Options{Format: FormatHTMLLegacy, LinkTemplate: LinkLegacy, IconURL: "https://cdn.example.com/beian.png"},
			`<div style="width:300px;margin:0 auto; padding:20px 0;"><a target="_blank" href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=42011102000410" style="display:inline-block;text-decoration:none;height:20px;line-height:20px;"><img src="https://cdn.example.com/beian.png" style="float:left;"/><p style="float:left;height:20px;line-height:20px;margin: 0px 0px 0px 5px; color:#939393;">鄂公网安备 42011102000410号</p></a></div>`,
		},
		{
			"html-legacy with ICP", wuhan, Options{Format: FormatHTMLLegacy, Base: base, WithICP: true},
			`<div style="width:300px;margin:0 auto; padding:20px 0;"><a target="_blank" href="https://beian.example.org/records/42011102000410" style="display:inline-block;text-decoration:none;height:20px;line-height:20px;"><img src="https://beian.example.org/static/beian-icon.png" style="float:left;"/><p style="float:left;height:20px;line-height:20px;margin: 0px 0px 0px 5px; color:#939393;">鄂公网安备 42011102000410号</p></a>` +
				`<a target="_blank" href="https://beian.miit.gov.cn/" style="display:inline-block;text-decoration:none;height:20px;line-height:20px;"><p style="float:left;height:20px;line-height:20px;margin: 0px 0px 0px 5px; color:#939393;">鄂ICP备17001107号-1</p></a></div>`,
		},
		{
			"markdown", wuhan, Options{Format: FormatMarkdown, Base: base},
			`[![](https://beian.example.org/static/beian-icon.png) 鄂公网安备 42011102000410号](https://beian.example.org/records/42011102000410)`,
		},
		{
			"markdown with ICP", wuhan, Options{Format: FormatMarkdown, LinkTemplate: LinkCurrent, Base: base, WithICP: true},
			"[![](https://beian.example.org/static/beian-icon.png) 鄂公网安备 42011102000410号](https://beian.mps.gov.cn/#/query/webSearch?code=42011102000410)\n" +
				"[鄂ICP备17001107号-1](https://beian.miit.gov.cn/)",
		},
		{
			"text", wuhan, Options{Format: FormatText, Base: base},
			"鄂公网安备 42011102000410号\nhttps://beian.example.org/records/42011102000410",
		},
		{
			"text with ICP", wuhan, Options{Format: FormatText, Base: base, WithICP: true},
			"鄂公网安备 42011102000410号\nhttps://beian.example.org/records/42011102000410\n鄂ICP备17001107号-1\nhttps://beian.miit.gov.cn/",
		},
		{
			// A legacy 12-digit number, as printed by beian badge --record
			// offline: no server, the national query page, the icon inline.
			"text legacy number", Record{Number: "京公网安备 110102000247号", Code: "110102000247"}, Options{Format: FormatText, LinkTemplate: LinkCurrent, IconURL: IconDataURL()},
			"京公网安备 110102000247号\nhttps://beian.mps.gov.cn/#/query/webSearch?code=110102000247",
		},
		{
			"json", wuhan, Options{Format: FormatJSON, Base: base},
			`{
  "record_number": "鄂公网安备 42011102000410号",
  "code": "42011102000410",
  "link": "https://beian.example.org/records/42011102000410",
  "icon_url": "https://beian.example.org/static/beian-icon.png",
  "html": "<a href=\"https://beian.example.org/records/42011102000410\" target=\"_blank\" rel=\"noreferrer\"><img src=\"https://beian.example.org/static/beian-icon.png\" alt=\"\" style=\"width:20px;height:20px;vertical-align:middle;margin-right:4px;border:0;\">鄂公网安备 42011102000410号</a>",
  "icp": "鄂ICP备17001107号-1",
  "icp_link": "https://beian.miit.gov.cn/"
}`,
		},
		{
			"json without ICP", Record{Number: "京公网安备 11000002000001号", Code: "11000002000001"}, Options{Format: FormatJSON, LinkTemplate: LinkLegacy, IconURL: "https://cdn.example.com/i.png"},
			`{
  "record_number": "京公网安备 11000002000001号",
  "code": "11000002000001",
  "link": "http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=11000002000001",
  "icon_url": "https://cdn.example.com/i.png",
  "html": "<a href=\"http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=11000002000001\" target=\"_blank\" rel=\"noreferrer\"><img src=\"https://cdn.example.com/i.png\" alt=\"\" style=\"width:20px;height:20px;vertical-align:middle;margin-right:4px;border:0;\">京公网安备 11000002000001号</a>"
}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Render(tt.r, tt.o)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Render =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestRenderJSONWithICPLine(t *testing.T) {
	got, err := Render(wuhan, Options{Format: FormatJSON, Base: base, WithICP: true})
	if err != nil {
		t.Fatal(err)
	}
	var j map[string]string
	if err := json.Unmarshal([]byte(got), &j); err != nil {
		t.Fatal(err)
	}
	want, _ := Render(wuhan, Options{Format: FormatHTML, Base: base, WithICP: true})
	if j["html"] != want {
		t.Errorf("json html = %q, want the html format %q", j["html"], want)
	}
}

// anchor is one <a> of a parsed snippet with what it holds.
type anchor struct {
	attrs map[string]string
	img   map[string]string // nil without an <img>
	text  string
}

// parseAnchors parses s as an HTML fragment, as a browser would inside a
// page footer, and returns its links.
func parseAnchors(t *testing.T, s string) []anchor {
	t.Helper()
	ctx := &html.Node{Type: html.ElementNode, Data: "footer", DataAtom: atom.Footer}
	nodes, err := html.ParseFragment(strings.NewReader(s), ctx)
	if err != nil {
		t.Fatalf("parsing %q: %v", s, err)
	}
	var out []anchor
	var walk func(n *html.Node, cur *anchor)
	walk = func(n *html.Node, cur *anchor) {
		switch {
		case n.Type == html.ElementNode && n.Data == "a":
			out = append(out, anchor{attrs: attrMap(n)})
			cur = &out[len(out)-1]
		case n.Type == html.ElementNode && n.Data == "img" && cur != nil:
			cur.img = attrMap(n)
		case n.Type == html.ElementNode && n.Data == "script":
			t.Errorf("snippet %q holds a <script> element", s)
		case n.Type == html.TextNode && cur != nil:
			cur.text += n.Data
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, cur)
		}
	}
	for _, n := range nodes {
		walk(n, nil)
	}
	return out
}

func attrMap(n *html.Node) map[string]string {
	m := map[string]string{}
	for _, a := range n.Attr {
		m[a.Key] = a.Val
	}
	return m
}

func TestRenderHTMLParses(t *testing.T) {
	for _, f := range []Format{FormatHTML, FormatHTMLLegacy} {
		t.Run(string(f), func(t *testing.T) {
			s, err := Render(wuhan, Options{Format: f, LinkTemplate: LinkCurrent, Base: base, WithICP: true})
			if err != nil {
				t.Fatal(err)
			}
			as := parseAnchors(t, s)
			if len(as) != 2 {
				t.Fatalf("%d links in %q, want 2", len(as), s)
			}
			badge, icp := as[0], as[1]
			if got := badge.attrs["href"]; got != "https://beian.mps.gov.cn/#/query/webSearch?code=42011102000410" {
				t.Errorf("badge href = %q", got)
			}
			if badge.attrs["target"] != "_blank" {
				t.Errorf("badge target = %q", badge.attrs["target"])
			}
			if f == FormatHTML && badge.attrs["rel"] != "noreferrer" {
				t.Errorf("badge rel = %q", badge.attrs["rel"])
			}
			if badge.img == nil || badge.img["src"] != "https://beian.example.org/static/beian-icon.png" {
				t.Errorf("badge img = %v", badge.img)
			}
			if badge.text != wuhan.Number {
				t.Errorf("badge text = %q", badge.text)
			}
			if icp.attrs["href"] != ICPLink || icp.text != wuhan.ICP || icp.img != nil {
				t.Errorf("ICP link = %+v", icp)
			}
		})
	}
}

// TestRenderEscapes feeds markup through every value a configuration file
// or a caller controls and checks that it comes out as inert text.
func TestRenderEscapes(t *testing.T) {
	const evil = `"><script>alert(1)</script>`
	r := Record{Number: "鄂公网安备 42011102000410号" + evil, Code: "42011102000410", ICP: "鄂ICP备17001107号-1" + evil}
	o := Options{
		LinkTemplate: "https://q.example.org/?a=1&b=" + evil + "&code={code}",
		Base:         "https://beian.example.org/" + evil,
		IconURL:      "https://cdn.example.org/i.png?" + evil,
		WithICP:      true,
	}
	for _, f := range []Format{FormatHTML, FormatHTMLLegacy} {
		o.Format = f
		s, err := Render(r, o)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(s, "<script") {
			t.Errorf("%s: unescaped markup in %q", f, s)
		}
		as := parseAnchors(t, s)
		if len(as) != 2 {
			t.Fatalf("%s: %d links in %q", f, len(as), s)
		}
		if want := "https://q.example.org/?a=1&b=" + evil + "&code=42011102000410"; as[0].attrs["href"] != want {
			t.Errorf("%s: href = %q, want %q", f, as[0].attrs["href"], want)
		}
		if want := o.IconURL; as[0].img["src"] != want {
			t.Errorf("%s: src = %q, want %q", f, as[0].img["src"], want)
		}
		if as[0].text != r.Number || as[1].text != r.ICP {
			t.Errorf("%s: texts = %q, %q", f, as[0].text, as[1].text)
		}
	}

	// The default icon URL comes from the base: escaped too.
	s, err := Render(wuhan, Options{Base: "https://h.example/" + evil})
	if err != nil {
		t.Fatal(err)
	}
	if as := parseAnchors(t, s); as[0].img["src"] != "https://h.example/"+evil+"/static/beian-icon.png" {
		t.Errorf("src = %q", as[0].img["src"])
	}

	// Markdown: the same values neither break out of the link syntax nor
	// reach the HTML a Markdown renderer emits.
	o.Format = FormatMarkdown
	md, err := Render(r, o)
	if err != nil {
		t.Fatal(err)
	}
	want := "[![](https://cdn.example.org/i.png?%22%3E%3Cscript%3Ealert%281%29%3C/script%3E) 鄂公网安备 42011102000410号\"\\>\\<script\\>alert\\(1\\)\\</script\\>]" +
		"(https://q.example.org/?a=1&b=%22%3E%3Cscript%3Ealert%281%29%3C/script%3E&code=42011102000410)\n" +
		"[鄂ICP备17001107号-1\"\\>\\<script\\>alert\\(1\\)\\</script\\>](https://beian.miit.gov.cn/)"
	if md != want {
		t.Errorf("markdown =\n%s\nwant\n%s", md, want)
	}

	// JSON holds the raw values; the json package quotes them.
	o.Format = FormatJSON
	js, err := Render(r, o)
	if err != nil {
		t.Fatal(err)
	}
	var j map[string]string
	if err := json.Unmarshal([]byte(js), &j); err != nil {
		t.Fatalf("json %q: %v", js, err)
	}
	if j["record_number"] != r.Number || j["icon_url"] != o.IconURL || strings.Contains(j["html"], "<script") {
		t.Errorf("json = %v", j)
	}
}

func TestRenderRejects(t *testing.T) {
	tests := []struct {
		name string
		r    Record
		o    Options
		code string
	}{
		{"unknown format", wuhan, Options{Format: "pdf", Base: base}, CodeFormatUnknown},
		{"no number", Record{Code: "42011102000410"}, Options{Base: base}, CodeNumberEmpty},
		{"no code", Record{Number: wuhan.Number}, Options{Base: base}, CodeCodeInvalid},
		{"short code", Record{Number: "鄂公网安备 4201110200041号", Code: "4201110200041"}, Options{Base: base}, CodeCodeInvalid},
		{"letters in code", Record{Number: "鄂公网安备 4201110200041X号", Code: "4201110200041X"}, Options{Base: base}, CodeCodeInvalid},
		{"code of another record", Record{Number: wuhan.Number, Code: "11000002000001"}, Options{Base: base}, CodeCodeMismatch},
		{"ICP asked, none known", Record{Number: wuhan.Number, Code: wuhan.Code}, Options{Base: base, WithICP: true}, CodeICPMissing},
		{"server link without base", wuhan, Options{IconURL: "https://cdn.example.com/i.png"}, CodeBaseMissing},
		{"default icon without base", wuhan, Options{LinkTemplate: LinkCurrent}, CodeBaseMissing},
		{"template without code", wuhan, Options{LinkTemplate: "https://example.org/", Base: base}, CodeLinkTemplate},
		{"relative base", wuhan, Options{Base: "/beian"}, CodeURLUnsafe},
		{"javascript base", wuhan, Options{Base: "javascript:alert(1)//"}, CodeURLUnsafe},
		{"javascript template", wuhan, Options{LinkTemplate: "javascript:alert({code})", IconURL: "https://cdn.example.com/i.png"}, CodeURLUnsafe},
		{"javascript icon", wuhan, Options{Base: base, IconURL: "javascript:alert(1)"}, CodeURLUnsafe},
		{"data icon not a PNG", wuhan, Options{Base: base, IconURL: "data:text/html;base64,PHNjcmlwdD4="}, CodeURLUnsafe},
		{"credentials in base", wuhan, Options{Base: "https://u:p@beian.example.org"}, CodeURLUnsafe},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Render(tt.r, tt.o)
			if err == nil {
				t.Fatalf("Render = %q, want error %s", s, tt.code)
			}
			assertCode(t, err, tt.code)
		})
	}
}

func TestIcon(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(Icon()))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != IconSize || b.Dy() != IconSize {
		t.Fatalf("icon is %v", b)
	}
	alpha := func(x, y int) uint32 { _, _, _, a := img.At(x, y).RGBA(); return a }
	// Transparent corners around the shield's point, opaque middle.
	for _, p := range [][2]int{{0, 0}, {19, 0}, {0, 19}, {19, 19}} {
		if a := alpha(p[0], p[1]); a != 0 {
			t.Errorf("corner %v alpha = %d, want transparent", p, a)
		}
	}
	if a := alpha(10, 9); a != 0xffff {
		t.Errorf("centre alpha = %d, want opaque", a)
	}
	// The star is gold, the field blue.
	if r, g, b, _ := img.At(10, 9).RGBA(); !(r > b && g > b) {
		t.Errorf("centre %v is not gold", img.At(10, 9))
	}
	if r, _, b, _ := img.At(5, 13).RGBA(); !(b > r) {
		t.Errorf("field %v is not blue", img.At(5, 13))
	}
	// Drawn in code, so the bytes are reproducible and need no asset file.
	if !bytes.Equal(Icon(), encodeIcon(drawIcon())) {
		t.Error("icon is not reproducible")
	}
	if len(Icon()) > 1024 {
		t.Errorf("icon is %d bytes; it should stay tiny", len(Icon()))
	}
	if u := IconDataURL(); !strings.HasPrefix(u, "data:image/png;base64,") || !isImageDataURL(u) {
		t.Errorf("IconDataURL = %.40q…", u)
	}
	// The data URL works as an icon URL in a badge.
	s, err := Render(wuhan, Options{LinkTemplate: LinkCurrent, IconURL: IconDataURL()})
	if err != nil {
		t.Fatal(err)
	}
	if as := parseAnchors(t, s); as[0].img["src"] != IconDataURL() {
		t.Errorf("src = %.60q…", as[0].img["src"])
	}
}

func assertCode(t *testing.T, err error, code string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) carries no code, want %s", err, err, code)
	}
	if e.Code() != code {
		t.Errorf("code = %s (%v), want %s", e.Code(), err, code)
	}
}

// Issue 11: the icon as real footers reference it. The platform's current
// snippet and most footers point at a copy the site hosts itself.
func TestIconPaths(t *testing.T) {
	r := Record{Number: "鄂公网安备 42011102000410号", Code: "42011102000410"}
	for _, tc := range []struct {
		icon string
		ok   bool
	}{
		{"备案图标.png", true},                                    // the platform's current snippet
		{"/beian.png", true},                                  // root-relative, a self-hosted copy
		{"../assets/imgs/home/police.png", true},              // a Vue site's footer
		{"images/ghs.png", true},                              // mi.com's footer
		{"/jsp/inx/jsres/images/sgwab.png", true},             // a Nanjing JSP site (苏公网安备)
		{"//img.alicdn.com/tfs/TB1..png", true},               // protocol-relative, on a CDN
		{"https://www.beian.gov.cn/img/new/gongan.png", true}, // the legacy portal's own icon
		{"http://www.beian.gov.cn/img/ghs.png", true},
		{"javascript:alert(1)", false},
		{"JavaScript:alert(1)", false},
		{"data:text/html,<script>alert(1)</script>", false},
		{"file:///etc/passwd", false},
		{"vbscript:msgbox(1)", false},
		{"https://user:pw@cdn.example.com/i.png", false},
		{"java\tscript:alert(1)", false},
	} {
		out, err := Render(r, Options{Format: FormatHTML, LinkTemplate: LinkCurrent, IconURL: tc.icon})
		if tc.ok != (err == nil) {
			t.Errorf("icon %q: %v, want ok=%v", tc.icon, err, tc.ok)
			continue
		}
		if tc.ok && !strings.Contains(out, `src="`+stdhtml.EscapeString(tc.icon)+`"`) {
			t.Errorf("icon %q not in %s", tc.icon, out)
		}
	}
	// Escaped where it is written: a quote cannot end the attribute.
	out, err := Render(r, Options{Format: FormatHTML, LinkTemplate: LinkCurrent, IconURL: `a" onerror="alert(1).png`})
	if err != nil || strings.Contains(out, `" onerror="`) {
		t.Errorf("a quote in the path: %v\n%s", err, out)
	}
}
