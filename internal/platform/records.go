package platform

import (
	"context"
	"errors"
	"strings"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/area"
	"github.com/beian-dev/beian/internal/badge"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/recordno"
	"github.com/beian-dev/beian/internal/store"
)

// PublicRecord is what anyone may read about a recorded site (SPEC §4): no
// identity numbers, phones, emails or addresses — only names, domains, the
// subject's kind, whether it is interactive, the date and the office.
func (d *Desk) PublicRecord(ctx context.Context, number string) (api.PublicRecord, error) {
	n, _, err := recordno.Parse(number)
	if err != nil {
		return api.PublicRecord{}, notFound("record: " + err.Error())
	}
	s, err := d.store.SiteByRecordNumber(ctx, n.String())
	if errors.Is(err, store.ErrNotFound) {
		return api.PublicRecord{}, notFound("record")
	}
	if err != nil {
		return api.PublicRecord{}, d.problem(ctx, Actor{}, err)
	}
	if s.RecordedAt == nil {
		return api.PublicRecord{}, notFound("record")
	}
	r := api.PublicRecord{RecordNumber: s.RecordNumber, SiteName: s.Data.Name, Domains: domainViews(s),
		HomepageURL: s.Data.HomepageURL, Interactive: s.Data.Interactive, RecordedAt: *s.RecordedAt,
		ReviewingOffice: ReviewingOffice(s.AreaCode), State: s.State}
	if len(r.Domains) > 0 {
		r.PrimaryDomain = r.Domains[0].Unicode
	}
	if subj, err := d.store.Subject(ctx, s.AccountID); err == nil {
		r.SubjectName, r.SubjectKind = subj.Data.Name, subj.Data.Kind
	}
	return r, nil
}

// ReviewingOffice names the public-security office of an area: the names of
// its province, city and county followed by 公安局 ("湖北省武汉市洪山区公安局").
func ReviewingOffice(code string) string {
	var b strings.Builder
	for _, a := range area.Path(code) {
		if a.Placeholder() {
			continue
		}
		b.WriteString(a.Name)
	}
	if b.Len() == 0 {
		return "公安局"
	}
	return b.String() + "公安局"
}

// BadgeQuery is the query of GET /v1/sites/{id}/badge.
type BadgeQuery struct {
	Format string // html (default), html-legacy, markdown, text, json
	Link   string // server (default: the configured template), current, legacy
	ICP    bool   // add the MIIT ICP number beside the badge
}

// linkTemplates are the named badge link targets (SPEC §4).
var linkTemplates = map[string]string{
	"server":  badge.LinkServer,
	"current": badge.LinkCurrent,
	"legacy":  badge.LinkLegacy,
}

// Badge renders the footer badge of a recorded site for its owner (FAQ item 6).
func (d *Desk) Badge(ctx context.Context, actor Actor, id string, q BadgeQuery) (api.Badge, error) {
	if err := requireSponsor(actor); err != nil {
		return api.Badge{}, err
	}
	s, err := d.readableSite(ctx, actor, id)
	if err != nil {
		return api.Badge{}, err
	}
	if s.RecordNumber == "" || s.State == filing.StateCancelled {
		return api.Badge{}, api.NewProblem(api.CodeTransitionRefused, "only a recorded site has a badge")
	}
	var errs []api.FieldError
	format, err := badge.ParseFormat(q.Format)
	if err != nil {
		errs = append(errs, ruleField("format", err))
	}
	tmpl := d.opts.BadgeLinkTemplate
	if q.Link != "" {
		t, ok := linkTemplates[q.Link]
		if !ok {
			errs = append(errs, api.FieldError{Field: "link", Code: filing.CodeEnumInvalid, Message: "link must be server, current or legacy"})
		}
		tmpl = t
	}
	if tmpl == "" {
		tmpl = badge.LinkServer
	}
	if q.ICP && s.Data.ICPNumber == "" {
		errs = append(errs, api.FieldError{Field: "icp", Code: badge.CodeICPMissing, Message: "the site has no MIIT ICP number"})
	}
	if len(errs) > 0 {
		return api.Badge{}, fieldProblem(errs...)
	}
	n, _, err := recordno.Parse(s.RecordNumber)
	if err != nil {
		return api.Badge{}, d.problem(ctx, actor, err)
	}
	base := strings.TrimRight(d.opts.PublicURL, "/")
	if base == "" {
		base = "http://localhost"
	}
	// The ICP number is data: always in the answer; q.ICP puts its line
	// beside the badge in the rendered snippet and the html.
	rec := badge.Record{Number: n.String(), Code: n.Digits, ICP: s.Data.ICPNumber}
	opts := badge.Options{Format: format, LinkTemplate: tmpl, Base: base, WithICP: q.ICP}
	rendered, err := badge.Render(rec, opts)
	if err != nil {
		return api.Badge{}, d.problem(ctx, actor, err)
	}
	opts.Format = badge.FormatHTML
	html, err := badge.Render(rec, opts)
	if err != nil {
		return api.Badge{}, d.problem(ctx, actor, err)
	}
	return api.Badge{RecordNumber: rec.Number, Code: rec.Code, Link: badge.Link(tmpl, base, rec.Code),
		IconURL: base + badge.IconPath, HTML: html, Rendered: rendered, ICP: rec.ICP}, nil
}
