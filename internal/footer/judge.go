package footer

import (
	"fmt"
	"strings"
)

// Verdict is the answer for one site.
type Verdict string

const (
	OK          Verdict = "ok"          // the badge is complete and the number is the site's record
	Missing     Verdict = "missing"     // no record number on the homepage
	Incomplete  Verdict = "incomplete"  // the number is there, but not linked, without the icon, or not at the bottom
	Wrong       Verdict = "wrong"       // the number is not the site's record, or its link queries another
	Unreachable Verdict = "unreachable" // the homepage could not be read: down, timed out, too large, a redirect loop
)

// Expected is what the number should be.
type Expected struct {
	// Number is the record the site must show (--record, or the server's
	// record of the site); empty when it is not known.
	Number string
	Digits string
	// RecordDomains are the domains of the record whose number the page
	// shows (from the public record), nil when not looked up;
	// RecordMissing says the lookup found no such record.
	RecordDomains []string
	RecordMissing bool
	// Host is the site's host (A-label), to find in RecordDomains.
	Host string
}

// Judge decides the verdict of rep and lists every problem, worst first.
func Judge(rep *Report, e Expected) (Verdict, []string) {
	if !rep.Found {
		return Missing, []string{"no public-security record number on the homepage"}
	}
	var wrong, incomplete []string
	switch {
	case e.Digits != "" && rep.Digits != e.Digits:
		wrong = append(wrong, fmt.Sprintf("shows %s, but the site's record is %s", rep.Number, e.Number))
	case e.RecordMissing:
		wrong = append(wrong, fmt.Sprintf("%s is not a record on the public register", rep.Number))
	case e.RecordDomains != nil && e.Host != "" && !hasDomain(e.RecordDomains, e.Host):
		wrong = append(wrong, fmt.Sprintf("%s is the record of %s, not of %s", rep.Number, strings.Join(e.RecordDomains, ", "), e.Host))
	}
	switch {
	case rep.Link == "":
		incomplete = append(incomplete, "the number is not a link to the public query page")
	case rep.LinkCode != "" && rep.LinkCode != rep.Digits:
		wrong = append(wrong, fmt.Sprintf("the link queries record %s, not %s", rep.LinkCode, rep.Digits))
	case rep.LinkKind == LinkOther || rep.LinkCode == "":
		incomplete = append(incomplete, "the number links to "+rep.Link+", not to a public query page")
	}
	if !rep.Icon {
		incomplete = append(incomplete, "no badge icon beside the number")
	}
	if !rep.Place.AtTheBottom() {
		incomplete = append(incomplete, fmt.Sprintf("the badge is at the %s of the page, not at the bottom", rep.Place))
	}
	switch {
	case len(wrong) > 0:
		return Wrong, append(wrong, incomplete...)
	case len(incomplete) > 0:
		return Incomplete, incomplete
	}
	return OK, nil
}

func hasDomain(list []string, host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, d := range list {
		d = strings.ToLower(d)
		if d == host || "www."+d == host || d == "www."+host {
			return true
		}
	}
	return false
}
