package forms

import (
	"testing"

	"github.com/beian-dev/beian/internal/area"
)

// A full code typed at an area list is taken when it lies inside one of
// the list's options and is not itself one (issue 10).
func TestCodeSelectTakesAFullCode(t *testing.T) {
	provinces := &codeSelect{areas: area.Provinces()}
	hangzhou := &codeSelect{areas: area.Cities("33")}
	for _, tc := range []struct {
		sel  *codeSelect
		code string
		want bool
	}{
		{provinces, "330106", true},  // 西湖区, in 浙江省
		{provinces, "110101", true},  // 东城区, under Beijing's 市辖区
		{provinces, "330100", true},  // 杭州市: a city is inside a province too
		{provinces, "330000", false}, // the option itself: huh selects it
		{provinces, "3301", false},   // not a full code
		{provinces, "339999", false}, // no such area
		{provinces, "33010a", false},
		{hangzhou, "330106", true},
		{hangzhou, "420111", false}, // 洪山区 is not in Zhejiang
	} {
		if got := tc.sel.within(tc.code); got != tc.want {
			t.Errorf("within(%q) = %v, want %v", tc.code, got, tc.want)
		}
	}
}
