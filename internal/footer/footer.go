// Package footer reads a homepage's HTML for what FAQ items 2, 3 and 6 ask
// a recorded site to show at the bottom of its homepage: the
// public-security record number (any spelling recordno accepts), linked to
// a public query page for that number, with the badge icon; and the MIIT
// ICP number, linked to the MIIT filing system. It parses the HTML
// (golang.org/x/net/html) and does no I/O: `beian verify` fetches.
package footer

import (
	"io"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/beian-dev/beian/internal/ident"
	"github.com/beian-dev/beian/internal/recordno"
)

// Placement says where on the page the number is.
type Placement string

const (
	InFooter Placement = "footer" // in a <footer>, role=contentinfo, or an element named footer/copyright/beian
	AtBottom Placement = "bottom" // less than 30 % of the page's text after it
	InMiddle Placement = "middle"
	AtTop    Placement = "top" // in a <header> or <nav>, or the first 30 % of the text
)

// AtTheBottom says whether p is where the FAQ asks for the badge.
func (p Placement) AtTheBottom() bool { return p == InFooter || p == AtBottom }

// LinkKind says what the number links to.
type LinkKind string

const (
	LinkNone    LinkKind = ""        // not a link
	LinkCurrent LinkKind = "current" // the national platform's query page (beian.mps.gov.cn)
	LinkLegacy  LinkKind = "legacy"  // the former query page (www.beian.gov.cn)
	LinkServer  LinkKind = "server"  // the filing server's own record page (Options.RecordBase)
	LinkOther   LinkKind = "other"   // anything else
)

// Report is what the page shows.
type Report struct {
	// Found says a record number is on the page; the fields below describe
	// the one that counts (the first at the bottom, else the last).
	Found    bool      `json:"found"`
	Raw      string    `json:"raw,omitempty"`    // as written
	Number   string    `json:"number,omitempty"` // canonical: 鄂公网安备 42011102000410号
	Digits   string    `json:"digits,omitempty"`
	Warnings []string  `json:"warnings,omitempty"` // spellings recordno forgave
	Place    Placement `json:"placement,omitempty"`
	Link     string    `json:"link,omitempty"`
	LinkKind LinkKind  `json:"link_kind,omitempty"`
	// LinkCode is the record code the link queries ("" when it is not a
	// query page): it must be Digits.
	LinkCode string `json:"link_code,omitempty"`
	Icon     bool   `json:"icon"`
	// Others are further record numbers on the page.
	Others []string `json:"others,omitempty"`
	// ICP is the MIIT ICP number on the page, canonical, and whether it
	// links to the MIIT filing system.
	ICP     string `json:"icp,omitempty"`
	ICPLink bool   `json:"icp_link"`
}

// Options adjust Inspect.
type Options struct {
	// RecordBase is the filing server's public base URL: a link to
	// {RecordBase}/records/{code} is a valid query page too.
	RecordBase string
}

const marker = "公网安备"

// span is a piece of the page's text and the node it came from.
type span struct {
	start int // offset in the flat text
	node  *html.Node
}

// page is the page's text flattened, with where each piece came from.
type page struct {
	text  string
	spans []span
}

func (p *page) nodeAt(off int) *html.Node {
	// The last span that starts at or before off (spans are in order).
	i := sort.Search(len(p.spans), func(i int) bool { return p.spans[i].start > off })
	return p.spans[max(i-1, 0)].node
}

// Inspect reads the HTML page r.
func Inspect(r io.Reader, o Options) (*Report, error) {
	doc, err := html.Parse(r)
	if err != nil {
		return nil, err
	}
	p := &page{}
	var text strings.Builder // one buffer: += per text node was quadratic (issue 23, finding 13)
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style || n.DataAtom == atom.Noscript || n.DataAtom == atom.Template):
			return
		case n.Type == html.CommentNode:
			return
		case n.Type == html.TextNode:
			if strings.TrimSpace(n.Data) != "" {
				p.spans = append(p.spans, span{start: text.Len(), node: n})
				text.WriteString(n.Data)
				text.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	p.text = text.String()
	rep := &Report{}
	if len(p.spans) == 0 {
		return rep, nil
	}
	type hit struct {
		raw   string
		n     recordno.Number
		warns []recordno.Warning
		node  *html.Node
		place Placement
	}
	var hits []hit
	for off := 0; ; {
		i := strings.Index(p.text[off:], marker)
		if i < 0 {
			break
		}
		at := off + i
		off = at + len(marker)
		raw := candidate(p.text, at)
		n, warns, err := recordno.Parse(raw)
		if err != nil {
			continue
		}
		node := p.nodeAt(at)
		hits = append(hits, hit{raw: raw, n: n, warns: warns, node: node, place: placement(node, at, at+len(raw), len(p.text))})
	}
	if len(hits) == 0 {
		rep.ICP, rep.ICPLink = icp(p, o)
		return rep, nil
	}
	best := hits[len(hits)-1]
	for _, h := range hits {
		if h.place.AtTheBottom() {
			best = h
			break
		}
	}
	rep.Found, rep.Raw, rep.Number, rep.Digits, rep.Place = true, strings.TrimSpace(best.raw), best.n.String(), best.n.Digits, best.place
	for _, w := range best.warns {
		rep.Warnings = append(rep.Warnings, w.Code)
	}
	for _, h := range hits {
		if h.n.Digits != best.n.Digits && !contains(rep.Others, h.n.String()) {
			rep.Others = append(rep.Others, h.n.String())
		}
	}
	if a := linkOf(best.node); a != nil {
		rep.Link = attr(a, "href")
		rep.LinkKind, rep.LinkCode = classify(rep.Link, o.RecordBase)
	}
	rep.Icon = iconNear(best.node)
	rep.ICP, rep.ICPLink = icp(p, o)
	return rep, nil
}

// candidate is the text of a record number around the marker at at: the
// one character before it (the province) and what follows up to 号, or
// up to the end of the first run of digits.
func candidate(text string, at int) string {
	start := at
	if r, size := utf8.DecodeLastRuneInString(text[:at]); size > 0 && unicode.Is(unicode.Han, r) {
		start = at - size
	}
	rest := text[at+len(marker):]
	n, digits, end := 0, false, 0
	for i, r := range rest {
		if n++; n > 40 {
			break
		}
		isDigit := unicode.IsDigit(r)
		switch {
		case r == '号':
			return text[start:at+len(marker)] + rest[:i+len("号")]
		case isDigit:
			digits = true
			end = i + utf8.RuneLen(r)
		case digits && !unicode.IsSpace(r):
			return text[start:at+len(marker)] + rest[:end]
		}
	}
	return text[start:at+len(marker)] + rest[:end]
}

// footerName matches id and class values that name a footer.
var footerName = regexp.MustCompile(`(?i)(^|[-_ ])(footer|foot|bottom|copyright|copy|beian|icp)([-_ ]|$)`)

// placement says where the number between start and end of the page's
// text (total bytes) sits: by its elements, else by how much text comes
// before and after it.
func placement(n *html.Node, start, end, total int) Placement {
	for a := n.Parent; a != nil; a = a.Parent {
		if a.Type != html.ElementNode {
			continue
		}
		if a.DataAtom == atom.Footer || attr(a, "role") == "contentinfo" ||
			footerName.MatchString(attr(a, "id")) || footerName.MatchString(attr(a, "class")) {
			return InFooter
		}
		if a.DataAtom == atom.Header || a.DataAtom == atom.Nav {
			return AtTop
		}
	}
	switch {
	case total == 0:
		return InMiddle
	case (total-end)*10 <= total*3:
		return AtBottom
	case start*10 < total*3:
		return AtTop
	}
	return InMiddle
}

// linkOf is the link the number is in, or the one next to it within its
// container (the number in a <span> beside its <a>).
func linkOf(n *html.Node) *html.Node {
	for a := n.Parent; a != nil; a = a.Parent {
		if a.Type == html.ElementNode && a.DataAtom == atom.A {
			return a
		}
	}
	if c := container(n); c != nil {
		var found *html.Node
		each(c, func(x *html.Node) bool {
			if x.DataAtom == atom.A && attr(x, "href") != "" {
				if k, _ := classify(attr(x, "href"), ""); k == LinkCurrent || k == LinkLegacy {
					found = x
					return false
				}
			}
			return true
		})
		return found
	}
	return nil
}

// container is the nearest block-level element around n.
func container(n *html.Node) *html.Node {
	for a := n.Parent; a != nil; a = a.Parent {
		if a.Type != html.ElementNode {
			continue
		}
		switch a.DataAtom {
		case atom.A, atom.Span, atom.P, atom.Strong, atom.B, atom.Em, atom.I, atom.Small, atom.Font:
			continue
		}
		return a
	}
	return nil
}

// iconNear says whether an image is in the number's link or container.
func iconNear(n *html.Node) bool {
	scope := container(n)
	if a := linkOf(n); a != nil && hasImage(a) {
		return true
	}
	return scope != nil && hasImage(scope)
}

func hasImage(n *html.Node) bool {
	found := false
	each(n, func(x *html.Node) bool {
		if x.DataAtom == atom.Img && attr(x, "src") != "" {
			found = true
			return false
		}
		return true
	})
	return found
}

// classify says what kind of page href is and which record code it asks
// for.
func classify(href, recordBase string) (LinkKind, string) {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil || u.Host == "" {
		return LinkOther, ""
	}
	host := strings.ToLower(strings.TrimPrefix(u.Hostname(), "www."))
	switch host {
	case "beian.mps.gov.cn":
		code := u.Query().Get("code")
		if code == "" {
			if _, q, ok := strings.Cut(u.Fragment, "?"); ok {
				v, _ := url.ParseQuery(q)
				code = v.Get("code")
			}
		}
		return LinkCurrent, code
	case "beian.gov.cn":
		return LinkLegacy, u.Query().Get("recordcode")
	}
	if recordBase != "" {
		if b, err := url.Parse(recordBase); err == nil && strings.EqualFold(b.Host, u.Host) {
			if code, ok := strings.CutPrefix(u.Path, strings.TrimRight(b.Path, "/")+"/records/"); ok {
				return LinkServer, code
			}
		}
	}
	return LinkOther, ""
}

// icpPart finds an ICP number's text: a province, ICP, 备 or 证, digits,
// 号 and an optional -N. Only the located text is parsed, by ident.
var icpPart = regexp.MustCompile(`\p{Han}\s*ICP\s*[备证][^号]{0,16}号(\s*-\s*\d+)?`)

func icp(p *page, o Options) (string, bool) {
	loc := icpPart.FindStringIndex(p.text)
	if loc == nil {
		return "", false
	}
	n, err := ident.ParseICP(p.text[loc[0]:loc[1]])
	if err != nil {
		return "", false
	}
	linked := false
	if a := linkOf(p.nodeAt(loc[0])); a != nil {
		if u, err := url.Parse(attr(a, "href")); err == nil && strings.EqualFold(u.Hostname(), "beian.miit.gov.cn") {
			linked = true
		}
	}
	return n.String(), linked
}

func each(n *html.Node, fn func(*html.Node) bool) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && !fn(c) {
			return false
		}
		if !each(c, fn) {
			return false
		}
	}
	return true
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
