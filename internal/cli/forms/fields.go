package forms

import (
	"strings"

	"charm.land/huh/v2"
)

// Small constructors that keep the builders readable: every field of a
// filing is one of these shapes.

// input is a text field bound to v and checked by check on Enter.
func (e Env) input(title string, v *string, check func(string) error) *huh.Input {
	in := huh.NewInput().Title(title).Value(v)
	if check != nil {
		in = in.Validate(e.keepOnEmpty(*v, check))
	}
	return in
}

// keepOnEmpty adapts a check to accessible mode, where an empty line keeps
// the value shown (huh then stores the prefilled value) but the check is
// still handed the empty line: the prefilled value is what gets checked.
func (e Env) keepOnEmpty(initial string, check func(string) error) func(string) error {
	if !e.Accessible || initial == "" {
		return check
	}
	return func(v string) error {
		if strings.TrimSpace(v) == "" {
			v = initial
		}
		return check(v)
	}
}

// confirm is a yes/no field with the answers in the user's language.
func (e Env) confirm(title string, v *bool) *huh.Confirm {
	return huh.NewConfirm().Title(title).Affirmative(e.t("form.yes")).Negative(e.t("form.no")).Value(v)
}

// YesNo is a one-question form: title, answered yes or no (no is worded
// by the message no, "form.no" when empty), starting at def. It returns
// the form and where the answer lands.
func (e Env) YesNo(title, no string, def bool) (*huh.Form, *bool) {
	res := def
	c := e.confirm(title, &res)
	if no != "" {
		c.Negative(e.t(no))
	}
	return huh.NewForm(huh.NewGroup(c)), &res
}

// enumLabel is an enum value in the user's language with the value the API
// and --from files use: "企业 (enterprise)".
func enumLabel[T ~string](e Env, kind string, v T) string {
	id := "enum." + kind + "." + string(v)
	if !e.Loc.Has(id) {
		return string(v)
	}
	label := e.Loc.T(id)
	if strings.EqualFold(label, string(v)) || strings.EqualFold(strings.ReplaceAll(label, " ", "_"), string(v)) {
		return label // "unit", not "unit (unit)"
	}
	return label + " (" + string(v) + ")"
}

// enumOptions lists the values of an enum as options.
func enumOptions[T ~string](e Env, kind string, values []T) []huh.Option[T] {
	opts := make([]huh.Option[T], len(values))
	for i, v := range values {
		opts[i] = huh.NewOption(enumLabel(e, kind, v), v)
	}
	return opts
}

// enumSelect is a select list over an enum bound to v. The first value is
// preselected when v is empty, as huh shows it anyway.
func enumSelect[T comparable](title string, opts []huh.Option[T], v *T) *huh.Select[T] {
	return huh.NewSelect[T]().Title(title).Options(opts...).Value(v)
}

// enumMulti is a multiple choice over an enum bound to v; marked options
// are those already in v.
func enumMulti[T comparable](title string, opts []huh.Option[T], v *[]T) *huh.MultiSelect[T] {
	return huh.NewMultiSelect[T]().Title(title).Options(opts...).Value(v)
}

// form wraps fields into a one-page form titled title. Every builder makes
// exactly one page: the command journals after each.
func form(title string, fields ...huh.Field) *huh.Form {
	return huh.NewForm(huh.NewGroup(fields...).Title(title))
}
