package datagen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/beian-dev/beian/internal/area"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/ident"
)

// timeLayout is sqlstore's: fixed-width RFC 3339 in UTC with microseconds.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func ts(t time.Time) string { return t.UTC().Format(timeLayout) }

// Columns of the tables datagen writes, in sqlstore's schema.
var (
	accountCols  = []string{"id", "login", "mobile", "email", "email_verified", "password_hash", "role", "area_prefix", "created_at"}
	tokenCols    = []string{"hash", "account_id", "expires_at", "created_at"}
	subjectCols  = []string{"account_id", "state", "version", "data", "cert_number", "area_code", "return_reason", "submitted_at", "approved_at", "created_at", "updated_at"}
	siteCols     = []string{"id", "account_id", "state", "version", "data", "area_code", "record_number", "old_record_number", "import_cert", "return_reason", "late", "submitted_at", "recorded_at", "created_at", "updated_at"}
	domainCols   = []string{"site_id", "pos", "domain", "account_id", "reserving", "live"}
	sequenceCols = []string{"area_code", "last_seq"}
)

// usccAlphabet is GB 32100's: digits and capitals without I, O, S, V, Z.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccOf is a valid unified social credit code for account j in areaCode:
// 91 (enterprise registered by market regulation), the area, an
// organisation code with its GB 11714 check, and the GB 32100 check.
func usccOf(j int, areaCode string) string {
	var body [8]byte
	body[0], body[1] = 'M', 'A'
	n := j
	for k := 7; k >= 2; k-- {
		body[k] = usccAlphabet[n%len(usccAlphabet)]
		n /= len(usccAlphabet)
	}
	oc, err := ident.OrgCodeCheckChar(string(body[:]))
	if err != nil {
		panic(err) // the alphabet above is a subset of GB 11714's
	}
	first17 := "91" + areaCode + string(body[:]) + string(oc)
	c, err := ident.USCCCheckChar(first17)
	if err != nil {
		panic(err)
	}
	return first17 + string(c)
}

// residentIDOf is a valid resident identity number registered in areaCode.
func residentIDOf(h uint64, areaCode string) string {
	birth := time.Date(1965, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(h%12000))
	first17 := fmt.Sprintf("%s%s%03d", areaCode, birth.Format("20060102"), (h>>16)%1000)
	c, err := ident.ResidentIDCheckChar(first17)
	if err != nil {
		panic(err)
	}
	return first17 + string(c)
}

// account is everything generated for one sponsor account.
type account struct {
	id, login, mobile, email string
	area                     string
	subject                  filing.Subject
	subjectJSON              string
	// siteJSON is the account's site filing as JSON, cut where the site
	// name and the primary domain go: parts[0] NAME parts[1] DOMAIN parts[2].
	siteParts [3][]byte
	siteNames []string
}

const (
	namePlaceholder   = "@@SITE-NAME@@"
	domainPlaceholder = "@@PRIMARY-DOMAIN@@"
)

// accountOf builds account j.
func (p *Plan) accountOf(j int) account {
	h := mix(p.cfg.Seed<<20 ^ uint64(j) ^ 0xacc)
	a := account{id: p.AccountID(j), login: p.Login(j), area: p.AreaOf(j)}
	a.mobile = fmt.Sprintf("1%d%09d", 3+h%7, j)
	a.email = a.login + "@example.com"
	brand := pick(brandWords, h>>4)
	city := ""
	if path := area.Path(a.area); len(path) > 1 && !path[1].Placeholder() {
		city = strings.TrimSuffix(path[1].Name, "市")
	} else if len(path) > 0 {
		city = strings.TrimSuffix(strings.TrimSuffix(path[0].Name, "市"), "省")
	}
	resp := personName(h >> 12)
	detail := fmt.Sprintf("%s路%d号", pick(brandWords, h>>20), 1+h>>24%300)
	a.subject = filing.Subject{
		Kind:                filing.KindUnit,
		UnitType:            filing.UnitEnterprise,
		Name:                fmt.Sprintf("%s%s%s有限公司", city, brand, pick(trades, h>>28)),
		CertType:            filing.CertUSCC,
		CertNumber:          usccOf(j, a.area),
		LegalRepresentative: personName(h >> 36),
		OfficeAddress:       filing.Address{AreaCode: a.area, Detail: detail + "8层"},
		OfficePhone:         fmt.Sprintf("010-6%07d", j%10000000),
		Mobile:              a.mobile,
		Email:               a.email,
		Responsible: filing.ResponsiblePerson{
			Name:            resp,
			IDType:          filing.CertResidentID,
			IDNumber:        residentIDOf(h>>40, a.area),
			IDValidUntil:    filing.LongTerm,
			ResidentAddress: filing.Address{AreaCode: a.area, Detail: detail + "3栋501室"},
			Mobile:          fmt.Sprintf("1%d%09d", 3+(h>>44)%7, (j+500000000)%1000000000),
			Email:           "owner@" + a.login + ".example.com",
		},
	}
	sj, err := json.Marshal(a.subject)
	if err != nil {
		panic(err)
	}
	a.subjectJSON = string(sj)

	site := filingtest.Site(domainPlaceholder)
	site.Name = namePlaceholder
	if abbr, ok := area.ICPAbbreviation(a.area); ok {
		site.ICPNumber = fmt.Sprintf("%sICP备%08d号-1", abbr, 20000000+j%80000000)
	}
	site.Owner = filing.Contact{SameAsResponsible: true}
	site.FillFromResponsible(a.subject.Responsible)
	raw, err := json.Marshal(site)
	if err != nil {
		panic(err)
	}
	before, rest, _ := bytes.Cut(raw, []byte(namePlaceholder))
	mid, after, _ := bytes.Cut(rest, []byte(domainPlaceholder))
	a.siteParts = [3][]byte{before, mid, after}
	a.siteNames = make([]string, len(siteKinds))
	for k, kind := range siteKinds {
		a.siteNames[k] = brand + kind
	}
	return a
}

// siteJSON is the filing of one site of the account.
func (a *account) siteJSON(buf []byte, name, domain string) []byte {
	buf = append(buf[:0], a.siteParts[0]...)
	buf = append(buf, name...) // names and domains need no JSON escaping
	buf = append(buf, a.siteParts[1]...)
	buf = append(buf, domain...)
	buf = append(buf, a.siteParts[2]...)
	return buf
}

// Site returns the filing of site i as the desk stores it, for tests and
// for the load generator's submissions.
func (p *Plan) Site(i int) filing.Site {
	a := p.accountOf(p.AccountOf(i))
	var s filing.Site
	if err := json.Unmarshal(a.siteJSON(nil, a.siteNames[i%len(a.siteNames)], p.Domain(i)), &s); err != nil {
		panic(err)
	}
	return s
}

// NewSite is a complete filing for a fresh domain, owned like site i would
// be: what the load generator sends as a new draft.
func (p *Plan) NewSite(account int, domain string) filing.Site {
	a := p.accountOf(account)
	var s filing.Site
	if err := json.Unmarshal(a.siteJSON(nil, a.siteNames[0], domain), &s); err != nil {
		panic(err)
	}
	return s
}

// Subject is account j's subject.
func (p *Plan) Subject(j int) filing.Subject { return p.accountOf(j).subject }
