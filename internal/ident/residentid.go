package ident

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/beian-dev/beian/internal/area"
)

// residentIDWeights are 2^(17−i) mod 11 for positions 1–17 (ISO 7064 MOD 11-2).
var residentIDWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// residentIDChecks maps Σ digit×weight mod 11 to the check character.
const residentIDChecks = "10X98765432"

// ChinaTime is UTC+8 (no daylight saving since 1991), the zone birth dates
// and every filing date are written in; filing.ChinaTime is this zone. A
// fixed zone, so no time-zone database is needed.
var ChinaTime = time.FixedZone("CST", 8*60*60)

// earliestBirthYear rejects dates no living card holder has; it also stops a
// typo in the century (1090 for 1990) passing as a date.
const earliestBirthYear = 1900

// ResidentID is a parsed resident identity number (居民身份证号码, GB 11643).
type ResidentID struct {
	Number   string    // canonical 18 characters, check character X upper-case
	AreaCode string    // digits 1–6: GB/T 2260 code of the first registration
	Birth    time.Time // digits 7–14, midnight UTC of the birth date
	Male     bool      // digit 17 odd
}

// ResidentIDCheckChar computes the GB 11643 check character of the first 17
// digits of a resident identity number.
func ResidentIDCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, ErrResidentIDLength
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0, newError(ErrResidentIDCharset.code, fmt.Sprintf("resident identity number: %q at position %d is not a digit", c, i+1))
		}
		sum += int(c-'0') * residentIDWeights[i]
	}
	return residentIDChecks[sum%11], nil
}

// ParseResidentIDAt parses a resident identity number as of now: 18
// characters, the MOD 11-2 check character (x accepted for X), a real birth
// date from 1900 up to now's day in China (not bounded when now is zero), and an area prefix whose first two
// digits are a province. The rest of the area code is not checked: cards
// keep the code of the first registration, and many of those codes have
// since been retired. The 15-digit numbers of first-generation cards are not
// accepted; those cards expired in 2013.
func ParseResidentIDAt(s string, now time.Time) (ResidentID, error) {
	c := strings.ToUpper(squeeze(s))
	if n := utf8.RuneCountInString(c); n != 18 {
		return ResidentID{}, newError(ErrResidentIDLength.code, fmt.Sprintf("resident identity number must be 18 characters, got %d", n))
	}
	for i, r := range c {
		if (r < '0' || r > '9') && (i != 17 || r != 'X') {
			return ResidentID{}, newError(ErrResidentIDCharset.code, fmt.Sprintf("resident identity number: %q at position %d is not allowed (17 digits, then a digit or X)", r, i+1))
		}
	}
	want, err := ResidentIDCheckChar(c[:17])
	if err != nil {
		return ResidentID{}, err
	}
	if c[17] != want {
		return ResidentID{}, newError(ErrResidentIDChecksum.code, fmt.Sprintf("resident identity number check character is %c, expected %c", c[17], want))
	}
	if !area.ValidRecordArea(c[:6]) {
		return ResidentID{}, newError(ErrResidentIDArea.code, fmt.Sprintf("resident identity number: area code %s has no valid province", c[:6]))
	}
	birth, ok := birthDate(c[6:14])
	if !ok {
		return ResidentID{}, newError(ErrResidentIDBirthDate.code, fmt.Sprintf("resident identity number: %s is not a date", c[6:14]))
	}
	y, m, d := now.In(ChinaTime).Date()
	if today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC); !now.IsZero() && birth.After(today) {
		return ResidentID{}, newError(ErrResidentIDBirthDate.code, fmt.Sprintf("resident identity number: birth date %s is in the future", birth.Format(time.DateOnly)))
	}
	if birth.Year() < earliestBirthYear {
		return ResidentID{}, newError(ErrResidentIDBirthDate.code, fmt.Sprintf("resident identity number: birth year %d is before %d", birth.Year(), earliestBirthYear))
	}
	return ResidentID{
		Number:   c,
		AreaCode: c[:6],
		Birth:    birth,
		Male:     (c[16]-'0')%2 == 1,
	}, nil
}

// birthDate reads YYYYMMDD, refusing dates that do not exist (19900230).
func birthDate(s string) (time.Time, bool) {
	t, err := time.Parse("20060102", s)
	return t, err == nil
}
