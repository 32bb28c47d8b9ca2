package forms

import (
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
	return form(title, sel), res
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
	f, res := areaSelect(env, title, area.Counties(city), current)
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
