package filingio

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/beian-dev/beian/internal/cli/forms"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/i18n"
)

// SetError is a --set argument that cannot be applied.
type SetError struct {
	Arg     string
	Unknown bool // the field does not exist (else the argument is malformed)
	Err     error
}

func (e *SetError) Error() string {
	if e.Unknown {
		return "--set " + e.Arg + ": no such field of a site"
	}
	if e.Err != nil {
		return "--set " + e.Arg + ": " + e.Err.Error()
	}
	return "--set " + e.Arg + ": give field=value"
}

func LocaliseSetError(loc *i18n.Localizer, err error) string {
	var se *SetError
	if !errors.As(err, &se) {
		return err.Error()
	}
	if se.Unknown {
		return loc.T("amend.set_unknown", se.Arg)
	}
	if se.Err != nil {
		return se.Error()
	}
	return loc.T("amend.set_invalid", se.Arg)
}

// SetFields (`amend --set`, `edit --set`) returns site with each "field=value" applied. Fields are named
// as in the API below site ("icp_number", "access_provider.phone",
// "emergency_contact.email"); lists take comma-separated values, yes/no
// fields true or false. The field names are the model's JSON names, so no
// list of them is kept here to fall behind.
func SetFields(site filing.Site, sets []string) (filing.Site, error) {
	raw, err := json.Marshal(site)
	if err != nil {
		return site, err
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return site, err
	}
	shape := fieldShapes()
	for _, arg := range sets {
		path, value, ok := strings.Cut(arg, "=")
		path = strings.TrimPrefix(strings.TrimSpace(path), "site.")
		if !ok || path == "" {
			return site, &SetError{Arg: arg}
		}
		kind, known := shape[path]
		if !known {
			return site, &SetError{Arg: arg, Unknown: true}
		}
		var v any
		switch kind {
		case "list":
			items := forms.SplitList(value)
			list := make([]any, len(items))
			for i, s := range items {
				list[i] = s
			}
			v = list
		case "bool":
			b, err := strconv.ParseBool(strings.TrimSpace(value))
			if err != nil {
				return site, &SetError{Arg: arg, Err: err}
			}
			v = b
		default:
			v = value
		}
		setPath(doc, strings.Split(path, "."), v)
	}
	raw, err = json.Marshal(doc)
	if err != nil {
		return site, err
	}
	var out filing.Site
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		return site, err
	}
	return out, nil
}

func setPath(m map[string]any, path []string, v any) {
	for _, k := range path[:len(path)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[path[len(path)-1]] = v
}

// FieldKinds maps every field path SetFields knows ("name",
// "access_provider.phone") to "string", "list" or "bool".
func FieldKinds() map[string]string { return fieldShapes() }

// fieldShapes maps every settable field path to "string", "list" or
// "bool", read off the JSON of a site with every field given, so that the
// list follows the model.
func fieldShapes() map[string]string {
	person := filing.Contact{SameAsResponsible: true, Name: "x", IDType: "x", IDNumber: "x", Mobile: "x", OfficePhone: "x", Email: "x"}
	full := filing.Site{
		PrimaryDomain: "x", ExtraDomains: []string{""}, HomepageURL: "x", IPAddresses: []string{""}, ICPNumber: "x",
		ServiceTypes: []filing.ServiceType{""}, InteractiveServices: []filing.InteractiveService{""}, InteractiveOther: "x",
		Languages: []filing.Language{""}, Owner: person, SecurityOfficer: person, OpinionGuide: person,
		EmergencyContact: filing.EmergencyContact{OfficePhone: "x"},
	}
	out := map[string]string{}
	EachField(full, func(path string, v any) {
		switch v.(type) {
		case []any:
			out[path] = "list"
		case bool:
			out[path] = "bool"
		default:
			out[path] = "string"
		}
	})
	return out
}

// EachField calls fn with every leaf of site's JSON, by its path below
// site ("access_provider.phone"): the field names SetFields takes. A list
// is one leaf ([]any), as are bools, strings and numbers.
func EachField(site filing.Site, fn func(path string, v any)) {
	raw, _ := json.Marshal(site)
	var doc map[string]any
	_ = json.Unmarshal(raw, &doc)
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			if sub, ok := v.(map[string]any); ok {
				walk(prefix+k+".", sub)
				continue
			}
			fn(prefix+k, v)
		}
	}
	walk("", doc)
}
