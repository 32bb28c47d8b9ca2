package badge

import "fmt"

// Stable error codes; the client localises by them.
const (
	CodeFormatUnknown = "badge_format_unknown" // not one of Formats
	CodeNumberEmpty   = "badge_number_empty"   // Record.Number missing
	CodeCodeInvalid   = "badge_code_invalid"   // Record.Code not 14 (or legacy 12) digits
	CodeCodeMismatch  = "badge_code_mismatch"  // Record.Code is not the digits of Record.Number
	CodeICPMissing    = "badge_icp_missing"    // WithICP, but the site has no ICP number
	CodeLinkTemplate  = "badge_link_template"  // the template has no {code}
	CodeBaseMissing   = "badge_base_missing"   // the template or the default icon needs Options.Base
	CodeURLUnsafe     = "badge_url_unsafe"     // a link or icon URL that is not absolute http(s)
)

// Error is a badge rendering error with a stable code.
type Error struct {
	code string
	msg  string
}

// Code returns the stable snake_case code (one of the Code* constants).
func (e *Error) Code() string { return e.code }

func (e *Error) Error() string { return e.msg }

func newError(code, format string, args ...any) *Error {
	return &Error{code: code, msg: fmt.Sprintf(format, args...)}
}
