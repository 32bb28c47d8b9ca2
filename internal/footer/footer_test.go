package footer

import (
	"reflect"
	"strings"
	"testing"
)

// Real footer shapes: the platform's legacy snippet (still on most sites),
// the current one (icon beside the link, the number without 号), a
// Bootstrap-style footer with both numbers, a badge in the header, a wrong
// link, text only, and no badge at all.
var pages = []struct {
	name string
	html string
	want Report
}{
	{"legacy snippet", `<html><body><main>新闻 产品 关于我们</main><div style="width:300px;margin:0 auto; padding:20px 0;">
 <a target="_blank" href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=11010802020134" style="display:inline-block;text-decoration:none;height:20px;line-height:20px;"><img src="/images/ghs.png" style="float:left;"/><p style="float:left;height:20px;line-height:20px;margin: 0px 0px 0px 5px; color:#939393;">京公网安备 11010802020134号</p></a>
</div></body></html>`,
		Report{Found: true, Number: "京公网安备 11010802020134号", Digits: "11010802020134", Place: AtBottom, LinkKind: LinkLegacy, LinkCode: "11010802020134", Icon: true}},
	{"current snippet", `<body><p>首页内容</p><footer><p><img src="备案图标.png" style="width:16px"/><a href="https://beian.mps.gov.cn/#/query/webSearch?code=42011102000410" rel="noreferrer" target="_blank">鄂公网安备42011102000410</a></p>
<p><a href="https://beian.miit.gov.cn/" target="_blank">鄂ICP备17001107号-1</a></p></footer></body>`,
		Report{Found: true, Number: "鄂公网安备 42011102000410号", Digits: "42011102000410", Place: InFooter, LinkKind: LinkCurrent, LinkCode: "42011102000410", Icon: true, ICP: "鄂ICP备17001107号-1", ICPLink: true}},
	{"bootstrap footer, colon and full-width digits", `<body><div class="container">x</div><div class="site-footer"><span>Copyright © 2024</span> <a href="https://beian.miit.gov.cn">浙ICP备2020012345号-2</a> <img src="/static/police.png"><a href="https://beian.mps.gov.cn/#/query/webSearch?code=33010602011511">浙公网安备：３３０１０６０２０１１５１１号</a></div></body>`,
		Report{Found: true, Number: "浙公网安备 33010602011511号", Digits: "33010602011511", Place: InFooter, LinkKind: LinkCurrent, LinkCode: "33010602011511", Icon: true, ICP: "浙ICP备2020012345号-2", ICPLink: true}},
	{"in the header", `<body><header><a href="https://beian.mps.gov.cn/#/query/webSearch?code=42011102000410"><img src="b.png">鄂公网安备 42011102000410号</a></header><main>` + strings.Repeat("正文内容。", 200) + `</main></body>`,
		Report{Found: true, Number: "鄂公网安备 42011102000410号", Digits: "42011102000410", Place: AtTop, LinkKind: LinkCurrent, LinkCode: "42011102000410", Icon: true}},
	{"link for another number", `<body><footer><a href="https://beian.mps.gov.cn/#/query/webSearch?code=42011102000411"><img src="b.png">鄂公网安备 42011102000410号</a></footer></body>`,
		Report{Found: true, Number: "鄂公网安备 42011102000410号", Digits: "42011102000410", Place: InFooter, LinkKind: LinkCurrent, LinkCode: "42011102000411", Icon: true}},
	{"text only, split over elements", `<body><div id="footer">备案号：<span>京公网安备</span> <span>11010502030143号</span></div></body>`,
		Report{Found: true, Number: "京公网安备 11010502030143号", Digits: "11010502030143", Place: InFooter}},
	{"none", `<body><footer>© 2024 示例公司 <a href="https://beian.miit.gov.cn/">京ICP备12345678号</a></footer></body>`,
		Report{ICP: "京ICP备12345678号", ICPLink: true}},
	{"in a script only", `<body><script>var s = "京公网安备 11010802020134号";</script><footer>x</footer></body>`, Report{}},
}

func TestInspect(t *testing.T) {
	for _, tt := range pages {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Inspect(strings.NewReader(tt.html), Options{})
			if err != nil {
				t.Fatal(err)
			}
			g := *got
			g.Raw, g.Warnings, g.Link, g.Others = "", nil, "", nil
			if !reflect.DeepEqual(g, tt.want) {
				t.Fatalf("got  %+v\nwant %+v", g, tt.want)
			}
		})
	}
}

// The server's own record page is a query page when its base is known.
func TestServerRecordLink(t *testing.T) {
	page := `<footer><a href="https://beian.example.org/records/42011102000410"><img src="i.png">鄂公网安备 42011102000410号</a></footer>`
	got, err := Inspect(strings.NewReader(page), Options{RecordBase: "https://beian.example.org"})
	if err != nil || got.LinkKind != LinkServer || got.LinkCode != "42011102000410" {
		t.Fatalf("%+v %v", got, err)
	}
	got, _ = Inspect(strings.NewReader(page), Options{})
	if got.LinkKind != LinkOther {
		t.Fatalf("without a base: %+v", got)
	}
}

func FuzzInspect(f *testing.F) {
	for _, p := range pages {
		f.Add(p.html)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Inspect(strings.NewReader(s), Options{})
		if err != nil {
			return
		}
		if r.Found && (r.Digits == "" || r.Number == "") {
			t.Fatalf("found without a number: %+v", r)
		}
	})
}
