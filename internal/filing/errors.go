package filing

import (
	"errors"
	"fmt"
	"strings"
)

// Stable codes of the field errors this package reports itself. Fields
// checked by internal/ident and internal/domainname carry those packages'
// codes instead (uscc_checksum, domain_invalid, ip_not_public, ...).
const (
	CodeRequiredMissing      = "required_missing"        // a field needed to submit is empty
	CodeEnumInvalid          = "enum_invalid"            // a value outside the field's list (or not allowed for this kind of subject)
	CodeNotApplicable        = "not_applicable"          // a value where the rest of the form says there is none (homepage with a primary domain, ...)
	CodeTooLong              = "too_long"                // free text over its limit
	CodeDateInvalid          = "date_invalid"            // not a YYYY-MM-DD calendar date
	CodeDateInFuture         = "date_in_future"          // a launch date after today
	CodeDateInPast           = "date_in_past"            // an identity document that has expired
	CodeAreaInvalid          = "area_invalid"            // not a GB/T 2260 code at all
	CodeAreaFunctionalZone   = "area_functional_zone"    // a development or high-tech zone of the statistical codes, not a county
	CodeAreaNotCurrentCounty = "area_not_current_county" // a province, a city, or a retired county code
	CodeDomainNotFirstLevel  = "domain_not_first_level"  // www.example.com.cn given as the primary domain
	CodeDomainDuplicate      = "domain_duplicate"        // the same domain twice in one site (compared normalised)
	CodeValueDuplicate       = "value_duplicate"         // the same language, service, IP block... twice
	CodeAttachmentRequired   = "attachment_required"     // an approval certificate or prior approval without its file
	CodeAttachmentType       = "attachment_type_invalid"
	CodeAttachmentTooLarge   = "attachment_too_large"
	CodePhoneInvalid         = "phone_invalid" // neither a landline, a mobile nor a service number
	CodeInvalid              = "invalid"       // fallback for a rule error without a code of its own
)

// FieldError is one bad field: its path ("site.extra_domains[2]"), a stable
// code the client localizes, an English message, and, for the codes whose
// message names specifics (the counties to choose instead of a functional
// zone), those specifics by name so that a client can say them in its own
// language.
type FieldError struct {
	Field   string            `json:"field"`
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Params  map[string]string `json:"params,omitempty"`
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// Errors is every bad field of one validation, in form order. A nil or empty
// Errors means valid; use Err to get a plain nil error in that case.
type Errors []FieldError

// Code is the API's problem code for a validation refusal.
func (e Errors) Code() string { return "validation_failed" }

func (e Errors) Error() string {
	switch len(e) {
	case 0:
		return "no validation errors"
	case 1:
		return e[0].Error()
	}
	msgs := make([]string, len(e))
	for i, fe := range e {
		msgs[i] = fe.Error()
	}
	return fmt.Sprintf("%d fields are invalid: %s", len(e), strings.Join(msgs, "; "))
}

// Err returns e as an error, or nil when there is nothing wrong — so that an
// empty Errors never becomes a non-nil error interface.
func (e Errors) Err() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

// Fields lists the bad fields, each once, in order.
func (e Errors) Fields() []string {
	var out []string
	seen := map[string]bool{}
	for _, fe := range e {
		if !seen[fe.Field] {
			seen[fe.Field] = true
			out = append(out, fe.Field)
		}
	}
	return out
}

// Under returns the errors of field and of everything beneath it
// (Under("site.owner") includes "site.owner.mobile").
func (e Errors) Under(field string) Errors {
	var out Errors
	for _, fe := range e {
		if FieldPath(field).Covers(fe.Field) {
			out = append(out, fe)
		}
	}
	return out
}

// Has reports whether field has an error with code.
func (e Errors) Has(field, code string) bool {
	for _, fe := range e {
		if fe.Field == field && fe.Code == code {
			return true
		}
	}
	return false
}

// codeOf reads the stable code of a rule error from internal/ident,
// internal/domainname or this package.
func codeOf(err error) string {
	var c interface{ Code() string }
	if errors.As(err, &c) && c.Code() != "" {
		return c.Code()
	}
	return CodeInvalid
}
