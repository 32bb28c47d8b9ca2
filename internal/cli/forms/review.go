package forms

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"charm.land/huh/v2"

	"github.com/beian-dev/beian/internal/area"
	"github.com/beian-dev/beian/internal/domainname"
	"github.com/beian-dev/beian/internal/filing"
)

// Action is what the user chose at the end of the form.
type Action string

// The choices of the review page.
const (
	ActionSubmit Action = "submit" // file for review
	ActionDraft  Action = "draft"  // save on the server as a draft only
	ActionQuit   Action = "quit"   // stop here; the journal keeps the answers
	ActionEdit   Action = "edit"   // reopen one page, then come back here
)

// ReviewForm asks what to do with the answers shown in Summary: submit them
// for review, save them as a draft, or stop (the journal keeps them).
func ReviewForm(env Env, cur Action) (*huh.Form, *Action) {
	res := cur
	if res == "" {
		res = ActionSubmit
	}
	opts := []huh.Option[Action]{
		huh.NewOption(env.t("form.review.submit"), ActionSubmit),
		huh.NewOption(env.t("form.review.draft"), ActionDraft),
		huh.NewOption(env.t("form.review.edit"), ActionEdit),
		huh.NewOption(env.t("form.review.quit"), ActionQuit),
	}
	return form(env.t("form.review.title"), enumSelect(env.t("form.review.action"), opts, &res)), &res
}

// ReopenForm asks which page of the filing to open again from the review
// page; pages are named by the fields they ask.
func ReopenForm(env Env, pages []Step) (*huh.Form, *string) {
	res := new(string)
	opts := make([]huh.Option[string], 0, len(pages))
	for _, s := range pages {
		opts = append(opts, huh.NewOption(stepLabel(env, s), s.ID))
	}
	return form(env.t("form.review.title"), huh.NewSelect[string]().Title(env.t("form.review.which")).Options(opts...).Height(14).Value(res)), res
}

// stepLabel names a page by the labels of its fields.
func stepLabel(env Env, s Step) string {
	var names []string
	for _, f := range s.Fields {
		if l := FieldLabel(env, string(f)); !slices.Contains(names, l) {
			names = append(names, l)
		}
		if len(names) == 3 {
			break
		}
	}
	if len(names) == 0 {
		return s.ID
	}
	return strings.Join(names, env.t("form.review.sep"))
}

// AcceptForm asks the user to accept the security responsibility notice,
// which submission requires. In accessible mode huh does not enforce the
// Validate func of a confirm, which is one reason the command re-validates
// the whole filing afterwards.
func AcceptForm(env Env, cur bool) (*huh.Form, *bool) {
	res := cur
	return form(env.t("form.accept.title"),
		huh.NewNote().Description(env.t("form.accept.notice")),
		env.confirm(env.t("form.accept.confirm"), &res).Validate(func(v bool) error {
			if !v {
				return fmt.Errorf("%s", env.t("form.accept.required"))
			}
			return nil
		}),
	), &res
}

// Summary renders the answers for the review page, one "label  value" line
// per field given. Key fields — those reviewed now and reviewed again
// whenever they change later (SPEC §3 "Amendments") — are marked "*";
// the others can later be changed at once. A launch date past the filing
// deadline adds a warning: the server records lateness but files anyway.
func Summary(env Env, subject *filing.Subject, site filing.Site, responsible filing.ResponsiblePerson) string {
	var b strings.Builder
	if subject != nil {
		fmt.Fprintf(&b, "%s\n", env.t("form.summary.subject"))
		writeChanges(&b, env, filing.DiffSubject(filing.Subject{}, *subject))
		b.WriteString("\n")
		responsible = subject.Responsible
	}
	fmt.Fprintf(&b, "%s\n", env.t("form.summary.site"))
	shown := site.Clone()
	shown.FillFromResponsible(responsible)
	shown.AcceptResponsibility = false
	n, _ := filing.NormalizeSite(shown)
	changes := filing.Diff(filing.Site{}, n)
	// A No is an answer too: the diff from an empty site leaves it out.
	for field, v := range map[string]bool{"site.commercial": n.Commercial, "site.interactive": n.Interactive} {
		if !v {
			changes = append(changes, filing.Change{Field: field, New: "false"})
		}
	}
	slices.SortStableFunc(changes, func(a, b filing.Change) int { return fieldOrder(a.Field) - fieldOrder(b.Field) })
	writeChanges(&b, env, changes)
	b.WriteString("\n" + env.t("form.summary.legend") + "\n")
	if w := LateWarning(env, site.LaunchDate); w != "" {
		b.WriteString(w + "\n")
	}
	return b.String()
}

// LateWarning says, in the user's language, that a site launched on launch
// is past its filing deadline; "" when it is not (or the date is unreadable).
func LateWarning(env Env, launch string) string {
	d, err := filing.ParseDate(launch)
	if err != nil {
		return ""
	}
	if !filing.LateFiling(d, env.today(), env.DeadlineDays) {
		return ""
	}
	deadline := filing.FilingDeadline(d, env.DeadlineDays)
	return env.t("form.summary.late", deadline.Format(filing.DateLayout))
}

// listIndex strips list indexes from a path, for the label lookup.
var listIndex = regexp.MustCompile(`\[\d+\]`)

func writeChanges(b *strings.Builder, env Env, changes []filing.Change) {
	width := 0
	type line struct{ mark, label, value string }
	var lines []line
	for _, c := range changes {
		if c.New == "" || c.Field == "site.domains_unicode" {
			continue
		}
		mark := " "
		if c.Key {
			mark = "*"
		}
		l := line{mark, FieldLabel(env, c.Field), displayValue(env, c.Field, c.New)}
		width = max(width, displayWidth(l.label))
		lines = append(lines, l)
	}
	for _, l := range lines {
		fmt.Fprintf(b, "%s %s%s  %s\n", l.mark, l.label, strings.Repeat(" ", width-displayWidth(l.label)), l.value)
	}
}

// ChangeLine is one change as `amend`, `edit` and `subject edit` list it:
// "  label: old → new", with "(key field)" after a key field when markKey.
func ChangeLine(env Env, c filing.Change, markKey bool) string {
	line := env.t("amend.change_line", FieldLabel(env, c.Field), Shown(c.Old), Shown(c.New))
	if markKey && c.Key {
		line += " " + env.t("edit.key_mark")
	}
	return line
}

// Shown is a value as a change line shows it: "—" for none.
func Shown(v string) string {
	if v == "" {
		return "—"
	}
	return v
}

// FieldLabel names a field path in the user's language ("网站名称"), or
// returns the path when the catalogue has no label for it.
func FieldLabel(env Env, path string) string {
	id := "label." + listIndex.ReplaceAllString(path, "")
	if env.Loc.Has(id) {
		return env.Loc.T(id)
	}
	return path
}

// displayValue shows area codes with their names and lists without JSON
// brackets.
func displayValue(env Env, field, v string) string {
	if strings.HasSuffix(field, "area_code") {
		if name := area.FullName(v); name != "" {
			return name + " " + v
		}
	}
	if strings.Contains(field, "approval_certificates") || strings.Contains(field, "prior_approvals") {
		return attachmentsShown(env, v)
	}
	list := strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]")
	if list {
		v = strings.NewReplacer(`","`, ", ", `["`, "", `"]`, "").Replace(v)
	}
	switch v {
	case "true":
		return env.t("form.yes")
	case "false":
		return env.t("form.no")
	}
	// Codes are shown by their name in the user's language.
	if kind := enumKindOf(field); kind != "" {
		parts := strings.Split(v, ", ")
		for i, p := range parts {
			parts[i] = enumLabel(env, kind, p)
		}
		return strings.Join(parts, ", ")
	}
	// A Chinese domain by its U-label, the A-label beside it.
	if strings.Contains(field, "domain") && strings.Contains(v, "xn--") {
		var out []string
		for _, d := range strings.Split(v, ", ") {
			if n, err := domainname.Normalize(d); err == nil && n.Unicode != n.ASCII {
				out = append(out, n.Unicode+" ("+n.ASCII+")")
			} else {
				out = append(out, d)
			}
		}
		return strings.Join(out, ", ")
	}
	return v
}

// enumKindOf names the enumeration of a field path, by its last element.
func enumKindOf(field string) string {
	last := field[strings.LastIndex(field, ".")+1:]
	last = listIndex.ReplaceAllString(last, "")
	switch last {
	case "kind":
		return "subject_kind"
	case "unit_type", "access_method", "jurisdiction", "important_field":
		return last
	case "cert_type", "id_type":
		return "cert_type"
	case "service_types":
		return "service_type"
	case "interactive_services":
		return "interactive_service"
	case "languages":
		return "language"
	case "item":
		return "prior_approval"
	}
	return ""
}

// displayWidth counts a CJK character as two columns, as terminals draw it.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		if r >= 0x1100 && (r <= 0x115f || (r >= 0x2e80 && r <= 0xa4cf) || (r >= 0xac00 && r <= 0xd7a3) || (r >= 0xf900 && r <= 0xfaff) || (r >= 0xfe30 && r <= 0xfe4f) || (r >= 0xff00 && r <= 0xff60) || (r >= 0xffe0 && r <= 0xffe6)) {
			w += 2
		} else {
			w++
		}
	}
	return w
}

// attachmentsShown lists attachments by file (still to upload) or name.
func attachmentsShown(env Env, v string) string {
	var certs []filing.Attachment
	var prior []filing.PriorApproval
	var out []string
	name := func(a filing.Attachment) string {
		if p, ok := strings.CutPrefix(a.ID, "file:"); ok {
			return p
		}
		return cmpOr(a.Name, a.ID)
	}
	if json.Unmarshal([]byte(v), &prior) == nil && len(prior) > 0 && prior[0].Item != "" {
		for _, p := range prior {
			out = append(out, enumLabel(env, "prior_approval", p.Item)+": "+name(p.Attachment))
		}
		return strings.Join(out, ", ")
	}
	if json.Unmarshal([]byte(v), &certs) == nil {
		for _, a := range certs {
			out = append(out, name(a))
		}
		return strings.Join(out, ", ")
	}
	return v
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// fieldOrder keeps the added No answers beside their neighbours: the
// position of a field in the site's own order of fields.
func fieldOrder(field string) int {
	for i, f := range summaryOrder {
		if strings.HasPrefix(field, f) {
			return i
		}
	}
	return len(summaryOrder)
}

var summaryOrder = []string{"site.name", "site.has_primary_domain", "site.primary_domain", "site.extra_domains", "site.homepage_url",
	"site.ip_addresses", "site.launch_date", "site.icp_number", "site.access_provider", "site.registrar", "site.commercial",
	"site.service_types", "site.interactive", "site.interactive_services", "site.interactive_other", "site.important_field",
	"site.approval_certificates", "site.prior_approvals", "site.languages", "site.owner", "site.security_officer",
	"site.opinion_guide", "site.emergency_contact"}
