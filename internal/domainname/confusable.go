package domainname

import (
	"slices"
	"strings"
	"unicode"
)

// MixedScript reports the first label of n that mixes writing systems the
// way homoglyph attacks do (UTS #39 §5.2, "highly restrictive"): Cyrillic
// "а" inside a Latin "exаmple", Greek "ο" in "gοogle". A label may use one
// script, plus the common characters (digits, hyphen); the combinations a
// language needs are allowed: Latin with Han, Hiragana and Katakana
// (Japanese), with Han and Bopomofo (Chinese), with Han and Hangul
// (Korean). It returns the label and its scripts, or "" when every label is
// single-script. A mixed label is not invalid — it is a warning to the
// filer and to the reviewer.
func MixedScript(n Name) (label string, scripts []string) {
	for l := range strings.SplitSeq(n.Unicode, ".") {
		set := labelScripts(l)
		if len(set) > 1 && !allowedMix(set) {
			return l, set
		}
	}
	return "", nil
}

// scriptOrder lists the scripts checked; any other letter counts as
// "Other".
var scriptOrder = []string{"Latin", "Cyrillic", "Greek", "Han", "Hiragana", "Katakana", "Hangul", "Bopomofo",
	"Arabic", "Hebrew", "Armenian", "Georgian", "Thai", "Tibetan", "Mongolian", "Cherokee"}

func labelScripts(label string) []string {
	var set []string
	for _, r := range label {
		if !unicode.IsLetter(r) {
			continue // digits, hyphen, combining marks: Common and Inherited
		}
		name := "Other"
		for _, s := range scriptOrder {
			if unicode.Is(unicode.Scripts[s], r) {
				name = s
				break
			}
		}
		if !slices.Contains(set, name) {
			set = append(set, name)
		}
	}
	slices.Sort(set)
	return set
}

func allowedMix(set []string) bool {
	for _, allowed := range [][]string{
		{"Han", "Hiragana", "Katakana", "Latin"},
		{"Bopomofo", "Han", "Latin"},
		{"Han", "Hangul", "Latin"},
	} {
		all := true
		for _, s := range set {
			all = all && slices.Contains(allowed, s)
		}
		if all {
			return true
		}
	}
	return false
}
