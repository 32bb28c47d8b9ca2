// Package badge renders the footer badge a recorded site must show at the
// bottom of its homepage (SPEC §4, FAQ item 6): the public-security record
// number, linked to the record's public page, with the badge icon, and
// optionally the MIIT ICP number beside it. It renders HTML (current and
// the long-standing legacy snippet), Markdown, plain text and JSON, and
// holds the small icon the server serves at /static/beian-icon.png.
//
// The package takes the record number as plain text and digits (Record),
// so it depends on no parser: callers parse and normalise first. Every
// value that reaches HTML is escaped, and every URL must be absolute
// http(s), so a hostile base URL or icon URL in a configuration file cannot
// turn a badge into a script.
package badge

import (
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"strings"
)

// Format is an output format of the badge.
type Format string

const (
	FormatHTML       Format = "html" // the default
	FormatHTMLLegacy Format = "html-legacy"
	FormatMarkdown   Format = "markdown"
	FormatText       Format = "text"
	FormatJSON       Format = "json"
)

// Formats lists every format, the default first, for flag help and
// completion.
var Formats = []Format{FormatHTML, FormatHTMLLegacy, FormatMarkdown, FormatText, FormatJSON}

// ParseFormat reads a format name; the empty string is the default, html.
func ParseFormat(s string) (Format, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return FormatHTML, nil
	}
	for _, f := range Formats {
		if s == string(f) {
			return f, nil
		}
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", newError(CodeFormatUnknown, "unknown badge format %q; use one of %s", s, strings.Join(names, ", "))
}

// Link templates (SPEC §4, configurable on the server). {base} is the
// server's public base URL, {code} the record's digits.
const (
	// LinkServer is the server's own public record page, the default.
	LinkServer = "{base}/records/{code}"
	// LinkCurrent is the national platform's public query page.
	LinkCurrent = "https://beian.mps.gov.cn/#/query/webSearch?code={code}"
	// LinkLegacy is the query page badges pointed to for years; many
	// footers still carry it.
	LinkLegacy = "http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={code}"
)

// ICPLink is where an ICP number links: the MIIT filing system's home page,
// which is what the MIIT asks sites to link to.
const ICPLink = "https://beian.miit.gov.cn/"

// IconPath is where the server serves Icon, below its base URL.
const IconPath = "/static/beian-icon.png"

// Record is what a badge shows.
type Record struct {
	Number string // canonical record number text: 鄂公网安备 42011102000410号
	Code   string // its digits: 42011102000410 (12 for legacy numbers)
	ICP    string // optional MIIT ICP number, canonical: 鄂ICP备17001107号-1
}

// Options say how to render a badge.
type Options struct {
	Format       Format // empty means html
	LinkTemplate string // empty means LinkServer
	Base         string // the server's public base URL: https://beian.example.org
	IconURL      string // empty means Base + IconPath
	WithICP      bool   // add the ICP number beside the badge
}

// Link expands a link template: {base} becomes base without its trailing
// slashes, {code} the code escaped for any part of a URL.
func Link(tmpl, base, code string) string {
	return strings.NewReplacer(
		"{base}", strings.TrimRight(base, "/"),
		"{code}", escapeComponent(code),
	).Replace(tmpl)
}

// escapeComponent percent-encodes everything but RFC 3986 unreserved
// characters, so the result is safe in a path segment, a query value and a
// fragment alike. (url.PathEscape keeps & and =, url.QueryEscape turns a
// space into +, which means a space only in a query.)
func escapeComponent(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// badge is a Record with its URLs resolved and checked.
type badge struct {
	Record
	link, icon string
}

// Render renders the badge of r in o.Format.
func Render(r Record, o Options) (string, error) {
	f, err := ParseFormat(string(o.Format))
	if err != nil {
		return "", err
	}
	b, err := resolve(r, o)
	if err != nil {
		return "", err
	}
	switch f {
	case FormatHTMLLegacy:
		return b.htmlLegacy(o.WithICP), nil
	case FormatMarkdown:
		return b.markdown(o.WithICP), nil
	case FormatText:
		return b.text(o.WithICP), nil
	case FormatJSON:
		return b.json(o.WithICP)
	default:
		return b.html(o.WithICP), nil
	}
}

func resolve(r Record, o Options) (badge, error) {
	r.Number = strings.TrimSpace(r.Number)
	r.ICP = strings.TrimSpace(r.ICP)
	if r.Number == "" {
		return badge{}, newError(CodeNumberEmpty, "record number is empty")
	}
	if (len(r.Code) != 14 && len(r.Code) != 12 && len(r.Code) != 10) || strings.Trim(r.Code, "0123456789") != "" {
		return badge{}, newError(CodeCodeInvalid, "record code %q is not 14 (or, for a legacy number, 12 or 10) digits", r.Code)
	}
	if !strings.Contains(r.Number, r.Code) {
		// A badge that shows one number and links to another would send
		// every visitor to the wrong record.
		return badge{}, newError(CodeCodeMismatch, "record code %s is not the number %s", r.Code, r.Number)
	}
	if o.WithICP && r.ICP == "" {
		return badge{}, newError(CodeICPMissing, "the ICP line was asked for, but the site has no ICP number")
	}
	tmpl := o.LinkTemplate
	if tmpl == "" {
		tmpl = LinkServer
	}
	if !strings.Contains(tmpl, "{code}") {
		return badge{}, newError(CodeLinkTemplate, "link template %q has no {code}", tmpl)
	}
	base := strings.TrimSpace(o.Base)
	if strings.Contains(tmpl, "{base}") {
		if base == "" {
			return badge{}, newError(CodeBaseMissing, "the link template needs the server's base URL")
		}
		if err := checkURL("base URL", base); err != nil {
			return badge{}, err
		}
	}
	link := Link(tmpl, base, r.Code)
	if err := checkURL("link", link); err != nil {
		return badge{}, err
	}
	icon := strings.TrimSpace(o.IconURL)
	if icon == "" {
		if base == "" {
			return badge{}, newError(CodeBaseMissing, "without a base URL the icon URL must be given (or use IconDataURL)")
		}
		if err := checkURL("base URL", base); err != nil {
			return badge{}, err
		}
		icon = strings.TrimRight(base, "/") + IconPath
	}
	if !isImageDataURL(icon) {
		if err := checkIcon(icon); err != nil {
			return badge{}, err
		}
	}
	return badge{Record: r, link: link, icon: icon}, nil
}

// checkURL accepts absolute http and https URLs only: a badge is pasted
// into someone else's page, where a relative URL would point at that site,
// and javascript: or data: links must never reach an href.
func checkURL(what, s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return newError(CodeURLUnsafe, "%s %q is not an absolute http(s) URL", what, s)
	}
	return nil
}

// checkIcon accepts what a footer's img src may be: an absolute http(s)
// URL, or a relative or root-relative path to a copy the site hosts itself
// (备案图标.png, /beian.png — the platform's own current snippet uses one).
// Any other scheme (javascript:, data:, file:) is refused; the path is
// escaped where it is written.
func checkIcon(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return newError(CodeURLUnsafe, "icon %q is neither an absolute http(s) URL nor a path", s)
	case u.Scheme == "" && u.Host == "" && u.User == nil && u.Path != "":
		return nil // a path, relative or from the site's root
	case u.Scheme == "" && u.Host != "" && u.User == nil:
		return nil // //cdn.example.com/i.png: the page's own http or https
	case u.Scheme == "":
		return newError(CodeURLUnsafe, "icon %q is neither an absolute http(s) URL nor a path", s)
	}
	return checkURL("icon URL", s)
}

const legacyLinkStyle = "display:inline-block;text-decoration:none;height:20px;line-height:20px;"
const legacyTextStyle = "float:left;height:20px;line-height:20px;margin: 0px 0px 0px 5px; color:#939393;"

// html is the current snippet: one link, icon and number inside.
func (b badge) html(withICP bool) string {
	e := html.EscapeString
	s := fmt.Sprintf(`<a href="%s" target="_blank" rel="noreferrer"><img src="%s" alt="" style="width:20px;height:20px;vertical-align:middle;margin-right:4px;border:0;">%s</a>`,
		e(b.link), e(b.icon), e(b.Number))
	if withICP {
		s += fmt.Sprintf("\n"+`<a href="%s" target="_blank" rel="noreferrer">%s</a>`, e(ICPLink), e(b.ICP))
	}
	return s
}

// htmlLegacy is the snippet sites have pasted for years, kept byte for
// byte so a site that switches to beian sees no change in its footer.
func (b badge) htmlLegacy(withICP bool) string {
	e := html.EscapeString
	var s strings.Builder
	s.WriteString(`<div style="width:300px;margin:0 auto; padding:20px 0;">`)
	fmt.Fprintf(&s, `<a target="_blank" href="%s" style="%s"><img src="%s" style="float:left;"/><p style="%s">%s</p></a>`,
		e(b.link), legacyLinkStyle, e(b.icon), legacyTextStyle, e(b.Number))
	if withICP {
		fmt.Fprintf(&s, `<a target="_blank" href="%s" style="%s"><p style="%s">%s</p></a>`,
			e(ICPLink), legacyLinkStyle, legacyTextStyle, e(b.ICP))
	}
	s.WriteString(`</div>`)
	return s.String()
}

// markdown renders an image link; Markdown allows raw HTML, so text is
// backslash-escaped and URLs percent-encoded where Markdown or HTML would
// read them.
func (b badge) markdown(withICP bool) string {
	s := fmt.Sprintf("[![](%s) %s](%s)", markdownURL(b.icon), markdownText(b.Number), markdownURL(b.link))
	if withICP {
		s += fmt.Sprintf("\n[%s](%s)", markdownText(b.ICP), markdownURL(ICPLink))
	}
	return s
}

// text is the number, then the link, one per line.
func (b badge) text(withICP bool) string {
	s := b.Number + "\n" + b.link
	if withICP {
		s += "\n" + b.ICP + "\n" + ICPLink
	}
	return s
}

// jsonBadge fixes the JSON keys; they are part of the CLI's output
// contract.
type jsonBadge struct {
	Number  string `json:"record_number"` // the key of --output json too (api.Badge)
	Code    string `json:"code"`
	Link    string `json:"link"`
	IconURL string `json:"icon_url"`
	HTML    string `json:"html"`
	ICP     string `json:"icp,omitempty"`
	ICPLink string `json:"icp_link,omitempty"`
}

// json holds the facts and the html snippet. The ICP number is included
// whenever the record has one (it is data); withICP only decides whether
// the html snippet shows it.
func (b badge) json(withICP bool) (string, error) {
	j := jsonBadge{Number: b.Number, Code: b.Code, Link: b.link, IconURL: b.icon, HTML: b.html(withICP)}
	if b.ICP != "" {
		j.ICP, j.ICPLink = b.ICP, ICPLink
	}
	var s strings.Builder
	enc := json.NewEncoder(&s)
	enc.SetEscapeHTML(false) // JSON strings are not HTML; \u003c would only hurt readability
	enc.SetIndent("", "  ")
	if err := enc.Encode(j); err != nil {
		return "", err
	}
	return strings.TrimSuffix(s.String(), "\n"), nil
}

// markdownText backslash-escapes the ASCII punctuation that Markdown (or
// the HTML and entities it allows) could read as syntax inside link text.
// CommonMark lets any ASCII punctuation be escaped, so the list errs wide;
// - and . stay bare because they are only syntax at the start of a line,
// and link text never starts one.
func markdownText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]()<>!|&~", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// markdownURL percent-encodes what may not appear in a Markdown link
// destination or an HTML attribute: spaces, controls, parentheses, angle
// brackets, quotes, backslash and backtick.
func markdownURL(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c == 0x7f || strings.IndexByte("()<>\"'\\`", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}
