// The amendment forms: which parts of a recorded site to change, their pages prefilled, the change list, and the two questions before sending.

package forms

import (
	"context"
	"strings"

	"charm.land/huh/v2"

	"github.com/beian-dev/beian/internal/filing"
)

// Describe lists the changes in two groups, non-key then key, one
// "label: old → new" line each.
func Describe(env Env, nonKey, key []filing.Change) string {
	var b strings.Builder
	group := func(header string, cs []filing.Change) {
		if len(cs) == 0 {
			return
		}
		b.WriteString(header + "\n")
		for _, c := range cs {
			b.WriteString(ChangeLine(env, c, false) + "\n")
		}
	}
	group(env.Loc.T("amend.nonkey_header"), nonKey)
	group(env.Loc.T("amend.key_header"), key)
	return b.String()
}

// ApplyNowForm asks whether the non-key part of a mixed amendment applies
// at once. The answer defaults to no: one change request (SPEC §3).
func ApplyNowForm(env Env) (*huh.Form, *bool) {
	return env.YesNo(env.Loc.T("amend.apply_now"), "amend.apply_now_no", false)
}

// ConfirmForm asks for the go-ahead.
func ConfirmForm(env Env) (*huh.Form, *bool) {
	return env.YesNo(env.Loc.T("amend.confirm"), "", true)
}

// AmendPage is a part of a site the amendment form can edit.
type AmendPage string

// The parts of a site, in form order.
const (
	PageSite           AmendPage = "site"
	PageNetwork        AmendPage = "network"
	PageAccessProvider AmendPage = "access_provider"
	PageRegistrar      AmendPage = "registrar"
	PageServices       AmendPage = "services"
	PageLanguages      AmendPage = "languages"
	PagePeople         AmendPage = "people"
	PageEmergency      AmendPage = "emergency"
)

// AmendPages lists the parts in form order.
var AmendPages = []AmendPage{PageSite, PageNetwork, PageAccessProvider, PageRegistrar, PageServices, PageLanguages, PagePeople, PageEmergency}

// PagesForm asks which parts of the site to change.
func PagesForm(env Env) (*huh.Form, *[]AmendPage) {
	var res []AmendPage
	opts := make([]huh.Option[AmendPage], len(AmendPages))
	for i, p := range AmendPages {
		opts[i] = huh.NewOption(env.Loc.T("amend.page."+string(p)), p)
	}
	return huh.NewForm(huh.NewGroup(
		huh.NewMultiSelect[AmendPage]().Title(env.Loc.T("amend.pages")).Description(env.Loc.T("form.multi_hint")).Options(opts...).Value(&res),
	)), &res
}

// pageSteps are the filing steps that edit each part.
var pageSteps = map[AmendPage][]string{
	PageSite:           {"site.basics", "site.domains", "site.homepage"},
	PageNetwork:        {"site.network"},
	PageAccessProvider: {"site.access_provider", "site.access_area.province", "site.access_area.city", "site.access_area.county"},
	PageRegistrar:      {"site.registrar", "site.registrar_area.province", "site.registrar_area.city", "site.registrar_area.county"},
	PageServices:       {"site.services", "site.interactive", "site.interactive_other"},
	PageLanguages:      {"site.languages"},
	PagePeople:         {"site.owner", "site.owner_detail", "site.security_officer", "site.security_officer_detail", "site.opinion_guide", "site.opinion_guide_detail"},
	PageEmergency:      {"site.emergency_contact"},
}

// AmendSite lets the user pick the parts of a recorded site to change and
// walks their pages, prefilled with the recorded values, then checks the
// whole site and asks again what the rules refuse.
func AmendSite(ctx context.Context, r *Runner, env Env, recorded filing.Site) (filing.Site, error) {
	f, pages := PagesForm(env)
	if err := r.Run(ctx, f); err != nil {
		return filing.Site{}, err
	}
	want := map[string]bool{}
	for _, p := range *pages {
		for _, id := range pageSteps[p] {
			want[id] = true
		}
	}
	var steps []Step
	for _, s := range FilingSteps() {
		if want[s.ID] {
			steps = append(steps, s)
		}
	}
	a := &Answers{Site: recorded.Clone(), Action: ActionDraft}
	w := &Walker{Runner: r, Env: env, Steps: steps}
	if err := w.Walk(ctx, a, ""); err != nil {
		return filing.Site{}, err
	}
	errs := a.Site.Validate(env.siteOptions())
	if target := errs.Under("site"); len(target) > 0 {
		if _, err := w.Fix(ctx, a, target); err != nil {
			return filing.Site{}, err
		}
	}
	return a.Site, nil
}
