package forms

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/beian-dev/beian/internal/area"
)

// An area is chosen in three steps, province → city → county, each a select
// list the user can narrow by typing (a name or the digits of the code).
// The three are separate forms rather than one form with dependent option
// lists because huh's accessible mode never re-evaluates dependent options.

// areaOption is "洪山区 420111": the name to read, the code to type.
func areaOption(a area.Area) huh.Option[string] {
	return huh.NewOption(a.Name+" "+a.Code, a.Code)
}

func areaSelect(env Env, title string, areas []area.Area, current string) (*huh.Form, *string) {
	res := new(string)
	opts := make([]huh.Option[string], 0, len(areas))
	for _, a := range areas {
		opts = append(opts, areaOption(a))
		if a.Code == current {
			*res = current
		}
	}
	sel := huh.NewSelect[string]().
		Title(title).
		Description(env.t("form.area.filter_hint")).
		Options(opts...).
		Filtering(true).
		Height(12).
		Value(res)
	// The select starts filtering, and a filtering select shows its filter
	// where its title was: the page title keeps the question in view.
	return form(title, &codeSelect{Select: sel, value: res, areas: areas}), res
}

// codeSelect is an area select that also takes a full code of an area
// inside one of its options: a user who knows the county's code types
// "330106" at the province and gets 浙江省 杭州市 西湖区 preselected on the
// pages that follow, where the list alone would show nothing (no
// province's name or code contains it). huh keeps its filter text to
// itself, so the digits typed while filtering are followed here.
type codeSelect struct {
	*huh.Select[string]
	value *string
	areas []area.Area
	typed string
}

func (c *codeSelect) Update(msg tea.Msg) (huh.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && c.GetFiltering() {
		switch {
		case k.String() == "enter" && c.within(c.typed):
			*c.value, c.typed = c.typed, ""
			return c, huh.NextField
		case k.String() == "backspace":
			if c.typed != "" {
				c.typed = c.typed[:len(c.typed)-1]
			}
		case k.Text != "" && strings.Trim(k.Text, "0123456789") == "":
			c.typed += k.Text
		default:
			c.typed = ""
		}
	}
	m, cmd := c.Select.Update(msg)
	c.Select = m.(*huh.Select[string])
	return c, cmd
}

// within says whether code is a six-digit area that is not an option but
// lies inside one.
func (c *codeSelect) within(code string) bool {
	if len(code) != 6 {
		return false
	}
	if _, ok := area.Lookup(code); !ok {
		return false
	}
	if slices.ContainsFunc(c.areas, func(a area.Area) bool { return a.Code == code }) {
		return false // the list has it: huh selects it
	}
	return slices.ContainsFunc(c.areas, func(a area.Area) bool { return area.Within(a.Code, code) })
}

func (c *codeSelect) WithTheme(t huh.Theme) huh.Field {
	c.Select = c.Select.WithTheme(t).(*huh.Select[string])
	return c
}

func (c *codeSelect) WithKeyMap(k *huh.KeyMap) huh.Field {
	c.Select = c.Select.WithKeyMap(k).(*huh.Select[string])
	return c
}

func (c *codeSelect) WithWidth(w int) huh.Field {
	c.Select = c.Select.WithWidth(w).(*huh.Select[string])
	return c
}

func (c *codeSelect) WithHeight(h int) huh.Field {
	c.Select = c.Select.WithHeight(h).(*huh.Select[string])
	return c
}

func (c *codeSelect) WithPosition(p huh.FieldPosition) huh.Field {
	c.Select = c.Select.WithPosition(p).(*huh.Select[string])
	return c
}

// ProvinceForm asks for the province of an address; the result is its
// 6-digit code ("420000"). current, any code inside a province, preselects it.
func ProvinceForm(env Env, title, current string) (*huh.Form, *string) {
	return areaSelect(env, title, area.Provinces(), levelCode(current, 2))
}

// CityForm asks for the city within province; the result is its code
// ("420100"). Municipalities list their placeholder rows (市辖区), under
// which their districts hang.
func CityForm(env Env, title, province, current string) (*huh.Form, *string) {
	return areaSelect(env, title, area.Cities(province), levelCode(current, 4))
}

// CountyForm asks for the county-level area within city; the result is the
// county code an address needs ("420111").
func CountyForm(env Env, title, city, current string) (*huh.Form, *string) {
	f, res := areaSelect(env, title, area.Divisions(city), current)
	return f, res
}

// levelCode is code cut to its first n digits and padded back to six: the
// province or city an area lies in. Anything not a code gives "".
func levelCode(code string, n int) string {
	if len(code) != 6 {
		return ""
	}
	out := code[:n]
	for len(out) < 6 {
		out += "0"
	}
	return out
}
