package filing

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

// FieldPath names a field the way the API does: JSON names joined by dots,
// prefixed "subject." or "site.", with "[i]" for list items
// ("site.extra_domains[2]"). A path also stands for everything beneath it.
type FieldPath string

// Covers reports whether field is p itself or lies beneath it.
func (p FieldPath) Covers(field string) bool {
	s := string(p)
	if !strings.HasPrefix(field, s) {
		return false
	}
	rest := field[len(s):]
	return rest == "" || rest[0] == '.' || rest[0] == '['
}

// NonKeyFields is the whole list of non-key fields (SPEC §3 "Amendments",
// FAQ item 9): changing them on a recorded filing applies at once, without
// review. Every field not covered here is key — including any field added to
// the model later, so nothing escapes review by being forgotten here.
var NonKeyFields = []FieldPath{
	// Subject: the responsible person's resident address, office phone, mobile, remarks.
	"subject.responsible.resident_address.area_code",
	"subject.responsible.resident_address.detail",
	"subject.responsible.office_phone",
	"subject.responsible.mobile",
	"subject.responsible.remarks",
	// Subject: its office address detail (not the area: that decides the
	// reviewing office), office phone, mobile, email, remarks.
	"subject.office_address.detail",
	"subject.office_phone",
	"subject.mobile",
	"subject.email",
	"subject.remarks",
	// Site.
	"site.icp_number",
	"site.ip_addresses", // the IP segment group
	"site.access_provider",
	"site.registrar",
	"site.languages",
	"site.emergency_contact.mobile", // the emergency contact's phones and email, not the name
	"site.emergency_contact.office_phone",
	"site.emergency_contact.email",
}

// IsKeyField reports whether changing field on a recorded filing needs review.
func IsKeyField(field string) bool {
	for _, p := range NonKeyFields {
		if p.Covers(field) {
			return false
		}
	}
	return true
}

// Change is one field's old and new value, as the audit trail keeps it.
// Scalars are shown as text; lists and maps as compact JSON ("" when empty).
type Change struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
	Key   bool   `json:"key"`
}

// Diff lists every field that differs between two versions of a site, in
// model order, each marked key or not.
func Diff(before, after Site) []Change {
	return diff("site", reflect.ValueOf(before), reflect.ValueOf(after))
}

// DiffSubject is Diff for the hosting subject.
func DiffSubject(before, after Subject) []Change {
	return diff("subject", reflect.ValueOf(before), reflect.ValueOf(after))
}

// Classify splits changes into the non-key ones (applied at once) and the
// key ones (a change request for review). Both keep their order.
func Classify(changes []Change) (nonKey, key []Change) {
	for _, c := range changes {
		if c.Key {
			key = append(key, c)
		} else {
			nonKey = append(nonKey, c)
		}
	}
	return nonKey, key
}

// WithNonKey returns recorded with every non-key field taken from amended:
// what a recorded site looks like once the non-key part of an amendment is
// applied and the key part still waits for review. Lists are shared with
// amended.
func WithNonKey(recorded, amended Site) Site {
	mergeNonKey("site", reflect.ValueOf(&recorded).Elem(), reflect.ValueOf(amended))
	return recorded
}

// SubjectWithNonKey is WithNonKey for the hosting subject.
func SubjectWithNonKey(recorded, amended Subject) Subject {
	mergeNonKey("subject", reflect.ValueOf(&recorded).Elem(), reflect.ValueOf(amended))
	return recorded
}

// The walk below is by reflection over the JSON names, so that a field added
// to the model is diffed (and therefore key) without anyone touching this file.
// Structs are descended into; everything else is a leaf, lists and maps
// included: a list changes as a whole (an inserted domain is one change, not
// a shift of every index after it).

type leaf struct{ path, value string }

func flatten(path string, v reflect.Value, out []leaf) []leaf {
	if v.Kind() == reflect.Struct {
		t := v.Type()
		for i := range t.NumField() {
			name, ok := jsonName(t.Field(i))
			if !ok {
				continue
			}
			out = flatten(path+"."+name, v.Field(i), out)
		}
		return out
	}
	return append(out, leaf{path, leafText(v)})
}

func jsonName(f reflect.StructField) (string, bool) {
	if !f.IsExported() {
		return "", false
	}
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	switch name {
	case "-":
		return "", false
	case "":
		return f.Name, true
	}
	return name, true
}

func leafText(v reflect.Value) string {
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface:
		if v.IsNil() || (v.Kind() != reflect.Pointer && v.Kind() != reflect.Interface && v.Len() == 0) {
			return "" // nil and empty are the same to a reader of the audit trail
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v.Interface()); err != nil {
		return "<" + err.Error() + ">" // cannot happen for the model's types
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func diff(root string, before, after reflect.Value) []Change {
	a, b := flatten(root, before, nil), flatten(root, after, nil)
	var out []Change
	for i := range a { // same type, so the same paths in the same order
		if a[i].value != b[i].value {
			out = append(out, Change{Field: a[i].path, Old: a[i].value, New: b[i].value, Key: IsKeyField(a[i].path)})
		}
	}
	return out
}

func mergeNonKey(path string, dst, src reflect.Value) {
	if !IsKeyField(path) {
		dst.Set(src)
		return
	}
	if dst.Kind() != reflect.Struct {
		return // a key leaf keeps its old value
	}
	t := dst.Type()
	for i := range t.NumField() {
		if name, ok := jsonName(t.Field(i)); ok {
			mergeNonKey(path+"."+name, dst.Field(i), src.Field(i))
		}
	}
}
