package footer

import (
	"strings"
	"testing"
	"time"
)

// Issue 23, finding 13: verify parsed in quadratic time (244 KiB → 1.9 s,
// 1.9 MiB → over 60 s and 770 MB). Pages of 2 MiB, in the shapes that cost
// most — many text nodes, many record-number markers, deep nesting — are
// read in under a second each.
func TestAttack23_13InspectIsLinear(t *testing.T) {
	const size = 2 << 20
	shapes := map[string]string{
		"text nodes": "<p>示例文字</p>",
		"markers":    "<span>京公网安备 1101050200</span>",
		"nested":     "<div><b><i>字</i></b>",
		"links":      `<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=11010502030143">公安备案</a>`,
	}
	for name, unit := range shapes {
		page := "<html><body>" + strings.Repeat(unit, size/len(unit)) +
			`<footer><a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=11010502030143">京公网安备 11010502030143号</a></footer></body></html>`
		start := time.Now()
		rep, err := Inspect(strings.NewReader(page), Options{})
		took := time.Since(start)
		// A page nested deeper than 512 elements is refused by the HTML
		// parser itself, quickly: no browser renders such a footer either.
		if err != nil && (name != "nested" || !strings.Contains(err.Error(), "exceeds 512")) {
			t.Fatalf("%s: %v", name, err)
		}
		t.Logf("%s: %d KiB read in %v", name, len(page)>>10, took)
		if took > time.Second*testSlack() {
			t.Errorf("%s: a %d KiB page took %v, want under 1s", name, len(page)>>10, took)
		}
		_ = rep
	}
}

// testSlack allows for the race detector, which slows this loop about 5×.
func testSlack() time.Duration {
	if raceEnabled {
		return 8
	}
	return 1
}
