// Package i18n holds every message beian shows a user, in Simplified
// Chinese (zh-CN) and English, and picks the language: --lang, then
// BEIAN_LANG (both resolved by the config), then the locale (LC_ALL,
// LC_MESSAGES, LANG), then English.
//
// Messages are looked up by a stable ID. Errors from the server and from the
// rules core are localised by their machine code: "error.<api code>" for
// problem codes (internal/api) and "field.<code>" for the field codes of
// internal/filing, internal/ident, internal/domainname and internal/recordno.
// The tests check that every such code has both languages.
package i18n

import (
	"fmt"
	"strings"
)

// Lang is a language beian speaks.
type Lang string

// The two languages.
const (
	ZH Lang = "zh-CN"
	EN Lang = "en"
)

// Parse reads a language from a flag or a locale: "zh", "zh-CN",
// "zh_CN.UTF-8", "zh_TW" (Chinese, shown in Simplified) and "en", "en_US",
// "C". It reports false for anything else.
func Parse(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, ".@"); i >= 0 {
		s = s[:i]
	}
	switch {
	case s == "":
		return "", false
	case s == "zh" || strings.HasPrefix(s, "zh-") || strings.HasPrefix(s, "zh_"):
		return ZH, true
	case s == "en" || strings.HasPrefix(s, "en-") || strings.HasPrefix(s, "en_") || s == "c" || s == "posix":
		return EN, true
	}
	return "", false
}

// Detect picks the language: explicit (the --lang flag or BEIAN_LANG or the
// config file's lang, already resolved) when it parses, else the first set
// locale variable among LC_ALL, LC_MESSAGES and LANG, else English.
func Detect(explicit string, getenv func(string) string) Lang {
	if l, ok := Parse(explicit); ok {
		return l
	}
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(k)
		if v == "" {
			continue
		}
		// POSIX: the first non-empty of these decides, even when it names
		// a language beian does not have (then English).
		if l, ok := Parse(v); ok {
			return l
		}
		return EN
	}
	return EN
}

// Localizer renders messages in one language.
type Localizer struct{ lang Lang }

// New returns a localizer for lang (English when unknown).
func New(lang Lang) *Localizer {
	if lang != ZH {
		lang = EN
	}
	return &Localizer{lang: lang}
}

// Lang is the localizer's language.
func (l *Localizer) Lang() Lang { return l.lang }

// Has reports whether id is in the catalogue.
func (l *Localizer) Has(id string) bool {
	_, ok := catalog[id]
	return ok
}

// T renders message id with fmt-style args. An unknown id is returned as is
// (a test makes sure none is used).
func (l *Localizer) T(id string, args ...any) string {
	m, ok := catalog[id]
	if !ok {
		if len(args) > 0 {
			return id + " " + fmt.Sprint(args...)
		}
		return id
	}
	format := m.en
	if l.lang == ZH && m.zh != "" {
		format = m.zh
	}
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

// Code renders the message of an error code: "error.<code>" for API codes,
// falling back to "field.<code>" for rule codes; "" when neither exists.
func (l *Localizer) Code(code string) string {
	if l.Has("error." + code) {
		return l.T("error." + code)
	}
	if l.Has("field." + code) {
		return l.T("field." + code)
	}
	return ""
}

// Field renders a field rule code, or the code itself when unknown.
func (l *Localizer) Field(code string) string {
	if l.Has("field." + code) {
		return l.T("field." + code)
	}
	return code
}

// fieldParams names, in the order of its "field.<code>.detail" message,
// the params a rule error carries for the codes that have specifics.
var fieldParams = map[string][]string{
	"area_functional_zone": {"area_code", "zone", "city", "counties"},
}

// FieldError renders a rule error: the detailed message of its code with
// the params it carries when it has them all, else the catalogue's message
// for its code, else the rule's English message, else the code.
func (l *Localizer) FieldError(code, message string, params map[string]string) string {
	if names := fieldParams[code]; names != nil && l.Has("field."+code+".detail") {
		args := make([]any, 0, len(names))
		for _, n := range names {
			if v, ok := params[n]; ok {
				args = append(args, v)
			}
		}
		if len(args) == len(names) {
			return l.T("field."+code+".detail", args...)
		}
	}
	if msg := l.Field(code); msg != code || message == "" {
		return msg
	}
	return message
}

// IDs lists every message ID (tests).
func IDs() []string {
	out := make([]string, 0, len(catalog))
	for id := range catalog {
		out = append(out, id)
	}
	return out
}

// Message is one catalogue entry in both languages.
type Message struct{ en, zh string }

// Both returns the English and Chinese text of id.
func Both(id string) (en, zh string, ok bool) {
	m, ok := catalog[id]
	return m.en, m.zh, ok
}
