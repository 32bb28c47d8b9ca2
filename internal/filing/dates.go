package filing

import (
	"fmt"
	"time"

	"github.com/beian-dev/beian/internal/ident"
)

// ChinaTime is the zone every filing date is in (UTC+8, no daylight saving
// since 1991). A launch date typed as "2024-03-01" means that day in China,
// whatever the server's own zone.
var ChinaTime = ident.ChinaTime

// DateLayout is the form of every date field: launch_date, id_valid_until.
const DateLayout = "2006-01-02"

// DefaultFilingDeadlineDays is the filing deadline after launch: thirty days
// by Decree 33 Art. 12 (the seed FAQ's English says ten; offices differ, so
// the server takes a setting).
const DefaultFilingDeadlineDays = 30

// ParseDate reads a YYYY-MM-DD date as midnight of that day in China.
func ParseDate(s string) (time.Time, error) {
	t, err := time.ParseInLocation(DateLayout, s, ChinaTime)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	return t, nil
}

// dayOf is the calendar day of t in China, as midnight.
func dayOf(t time.Time) time.Time {
	y, m, d := t.In(ChinaTime).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, ChinaTime)
}

// FilingDeadline is the last day a site launched on launch should be filed;
// deadlineDays ≤ 0 means DefaultFilingDeadlineDays.
func FilingDeadline(launch time.Time, deadlineDays int) time.Time {
	if deadlineDays <= 0 {
		deadlineDays = DefaultFilingDeadlineDays
	}
	return dayOf(launch).AddDate(0, 0, deadlineDays)
}

// LateFiling reports whether a site launched on launch and filed (or still
// unfiled) on today is past its deadline. Days are counted in China: a site
// launched on 1 March is on time through 31 March with the default 30 days.
// The server records lateness; it never refuses a filing for it.
func LateFiling(launch, today time.Time, deadlineDays int) bool {
	return dayOf(today).After(FilingDeadline(launch, deadlineDays))
}
