package fleetcmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/mattn/go-runewidth"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/fleet"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/i18n"
)

// marks of the plan's lines, as in a diff.
var marks = map[fleet.Action]string{
	fleet.Create: "+", fleet.Update: "~", fleet.Submit: "~", fleet.Amend: "~", fleet.Cancel: "-",
	fleet.Wait: "…", fleet.Blocked: "!", fleet.Keep: "?", fleet.None: "=",
}

// render prints the plan for a person: per subject, each site that
// changes or cannot, its field changes marked key or non-key, its errors
// and conflicts; the unchanged ones counted; the totals last. Everything
// from the server or the fleet is sanitised.
func render(w io.Writer, cs *iostreams.ColorScheme, loc *i18n.Localizer, p *fleet.Plan) {
	for _, sp := range p.Subjects {
		fmt.Fprintln(w, cs.Bold(loc.T("fleet.subject", output.Sanitize(sp.ID), accountText(loc, sp.Account))))
		if s := sp.Subject; s.Action != fleet.None || len(s.Errors) > 0 {
			line := loc.T("fleet.action." + string(s.Action))
			if s.State != "" {
				line += " (" + string(s.State) + ")"
			}
			fmt.Fprintf(w, "  %s %s\n", marks[s.Action], loc.T("fleet.subject_step", line))
			changes(w, loc, s.Action, s.Changes)
			problems(w, s.Errors, nil, s.Message)
		}
		unchanged := 0
		for _, st := range sp.Sites {
			if st.Action == fleet.None && len(st.Errors) == 0 && len(st.Conflicts) == 0 {
				unchanged++
				continue
			}
			step(w, loc, st)
		}
		if unchanged > 0 {
			fmt.Fprintf(w, "  = %s\n", loc.T("fleet.unchanged", unchanged))
		}
		kept := 0
		for _, st := range sp.Unmanaged {
			if st.Action == fleet.Keep {
				kept++
			}
			step(w, loc, st)
		}
		if kept > 0 && !p.Prune {
			fmt.Fprintf(w, "  %s\n", loc.T("fleet.prune_hint", kept))
		}
		fmt.Fprintln(w)
	}
	t := p.Totals
	fmt.Fprintln(w, loc.T("fleet.totals", t.Create, t.Update, t.Submit, t.Amend, t.KeyChanges, t.Cancel, t.None, t.Wait, t.Blocked))
	if p.Problems > 0 {
		fmt.Fprintln(w, cs.Red(loc.T("fleet.problems", p.Problems)))
	} else if !p.Changes {
		fmt.Fprintln(w, loc.T("fleet.no_changes"))
	}
}

func step(w io.Writer, loc *i18n.Localizer, st *fleet.Step) {
	mark := marks[st.Action]
	if len(st.Errors) > 0 || len(st.Conflicts) > 0 {
		mark = "!"
	}
	line := fmt.Sprintf("  %s %s %s  %s", mark, runewidth.FillRight(loc.T("fleet.action."+string(st.Action)), 18), output.Sanitize(st.Key), output.Sanitize(st.Name))
	var extra []string
	if st.State != "" {
		extra = append(extra, string(st.State))
	}
	if st.SiteID != "" {
		extra = append(extra, st.SiteID)
	}
	if st.Where != "" {
		extra = append(extra, output.Sanitize(st.Where))
	}
	if len(extra) > 0 {
		line += "  (" + strings.Join(extra, ", ") + ")"
	}
	fmt.Fprintln(w, line)
	changes(w, loc, st.Action, st.Changes)
	problems(w, st.Errors, st.Conflicts, st.Message)
}

// changes lists field changes, each marked key or non-key; an amendment
// also says what that means (at once, or a change request).
func changes(w io.Writer, loc *i18n.Localizer, a fleet.Action, cs []filing.Change) {
	key, nonKey := loc.T("fleet.key_field"), loc.T("fleet.nonkey_field")
	if a == fleet.Amend {
		key, nonKey = loc.T("fleet.key"), loc.T("fleet.nonkey")
	}
	for _, c := range cs {
		kind := nonKey
		if c.Key {
			kind = key
		}
		fmt.Fprintf(w, "      %s: %s → %s  [%s]\n", c.Field, output.Sanitize(short(c.Old)), output.Sanitize(short(c.New)), kind)
	}
}

func problems(w io.Writer, errs []api.FieldError, conflicts []fleet.Conflict, msg string) {
	for _, e := range errs {
		fmt.Fprintf(w, "      ✗ %s: %s\n", e.Field, output.Sanitize(e.Message))
	}
	for _, c := range conflicts {
		fmt.Fprintf(w, "      ✗ %s: %s\n", output.Sanitize(c.Domain), output.Sanitize(c.Message))
	}
	if msg != "" {
		fmt.Fprintf(w, "      %s\n", output.Sanitize(msg))
	}
}

// accountText says which account files a subject, in the user's language.
func accountText(loc *i18n.Localizer, a fleet.Account) string {
	switch {
	case a.TokenEnv != "":
		return loc.T("fleet.account.env", output.Sanitize(a.TokenEnv))
	case a.Profile != "":
		return loc.T("fleet.account.profile", output.Sanitize(a.Profile))
	}
	return loc.T("fleet.account.default")
}

// short keeps a changed value to one readable line.
func short(s string) string {
	if s == "" {
		return `""`
	}
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "…"
	}
	return s
}
