// Package fleet is filing as code: a fleet is the filings a hosting company
// wants — hosting subjects, each filed by its own account (FAQ item 7), and
// their sites — read from YAML files, a directory of them, or CSV and Excel
// sheets (load.go, sheet.go). Compute compares it with what the server
// holds and says per site what would happen (plan.go); Apply carries that
// out, resumably (apply.go, journal.go). `beian plan` and `beian apply` are
// its commands. docs/fleets.md describes the format.
package fleet

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/beian-dev/beian/internal/filing"
)

// Fleet is the desired state: every subject with its sites, in the order
// the files gave them.
type Fleet struct {
	Subjects []*Subject
	// Files are the files read, in order.
	Files []string
}

// Subject is one hosting subject and the account that files it.
type Subject struct {
	// ID names the subject in the fleet (`id:` in YAML, the `subject`
	// column of a sheet). A fleet of one subject may leave it empty.
	ID string
	// Account says which account files this subject's sites.
	Account Account
	// Subject is the hosting subject's filing; nil leaves the account's
	// subject as it is.
	Subject *filing.Subject
	// Sites are the subject's sites.
	Sites []*Site
	// Where is the file (and line) that declared the subject.
	Where string
}

// Account selects the account of a subject. At most one of its fields is
// set; none means the account beian is signed in to.
type Account struct {
	// TokenEnv names the environment variable holding the account's API
	// token (a CI secret, say).
	TokenEnv string `yaml:"token_env,omitempty" json:"token_env,omitempty"`
	// Profile names the configuration profile (`beian --profile P login`)
	// whose server and credential are used.
	Profile string `yaml:"profile,omitempty" json:"profile,omitempty"`
}

// String says which account, for the plan ("token from $ACME_TOKEN").
func (a Account) String() string {
	switch {
	case a.TokenEnv != "":
		return "$" + a.TokenEnv
	case a.Profile != "":
		return "profile " + a.Profile
	}
	return "the signed-in account"
}

// Site is one desired site.
type Site struct {
	Site filing.Site
	// Where is "fleet.yaml:12" or "sites.csv:7" (the row).
	Where string
	// FromSheet says the site came from a sheet, which cannot hold the
	// approval certificates and prior approvals: those are kept as the
	// server has them.
	FromSheet bool

	raw *yaml.Node // the site's mapping until the loader decodes it
}

// Label is how the plan names a subject.
func (s *Subject) Label() string {
	if s.ID != "" {
		return s.ID
	}
	if s.Subject != nil && s.Subject.Name != "" {
		return s.Subject.Name
	}
	return "(default)"
}

// LoadError is a fleet file that cannot be read as one: it names the file
// and line (or sheet row) and exits 5.
type LoadError struct {
	Where string
	Err   error
}

func (e *LoadError) Error() string { return fmt.Sprintf("%s: %v", e.Where, e.Err) }

func (e *LoadError) Unwrap() error { return e.Err }

// Code is "fleet_invalid".
func (e *LoadError) Code() string { return "fleet_invalid" }

func loadErr(where string, format string, args ...any) *LoadError {
	return &LoadError{Where: where, Err: fmt.Errorf(format, args...)}
}
