// Package ident parses and validates the Chinese identifiers a filing
// carries: unified social credit codes (GB 32100), organization codes
// (GB 11714), resident identity numbers (GB 11643), mobile and landline
// numbers, email addresses and MIIT ICP numbers.
//
// Every function is pure: it neither reads the clock (callers pass "now"
// where a rule needs it) nor does any I/O. Each accepts what people actually
// type — surrounding spaces, full-width characters from a Chinese input
// method, lower-case letters — and returns one canonical form, so that
// normalising twice gives the same answer as normalising once.
//
// Errors are *Error values with a stable snake_case Code (uscc_checksum,
// resident_id_birth_date, ...) that clients localize; the English Error text
// is for logs. errors.Is matches by code against the exported Err values.
package ident

// Error is a rule failure with a stable machine code.
type Error struct {
	code string
	msg  string
}

// Code is the stable snake_case code, such as "uscc_checksum".
func (e *Error) Code() string { return e.code }

// Error is the English message.
func (e *Error) Error() string { return e.msg }

// Is matches any *Error with the same code, so errors.Is(err, ErrUSCCChecksum)
// holds whatever the detail of the message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.code == e.code
}

func newError(code, msg string) *Error { return &Error{code: code, msg: msg} }

// Sentinels for errors.Is. Errors returned carry a more specific message.
var (
	ErrUSCCLength          = newError("uscc_length", "unified social credit code must be 18 characters")
	ErrUSCCCharset         = newError("uscc_charset", "unified social credit code has a character outside 0-9 and A-Z without I, O, S, V, Z")
	ErrUSCCChecksum        = newError("uscc_checksum", "unified social credit code check character is wrong")
	ErrOrgCodeLength       = newError("org_code_length", "organization code must be 8 characters and a check character")
	ErrOrgCodeCharset      = newError("org_code_charset", "organization code has a character outside 0-9 and A-Z")
	ErrOrgCodeChecksum     = newError("org_code_checksum", "organization code check character is wrong")
	ErrResidentIDLength    = newError("resident_id_length", "resident identity number must be 18 characters")
	ErrResidentIDCharset   = newError("resident_id_charset", "resident identity number must be 17 digits and a digit or X")
	ErrResidentIDChecksum  = newError("resident_id_checksum", "resident identity number check character is wrong")
	ErrResidentIDBirthDate = newError("resident_id_birth_date", "resident identity number has an invalid birth date")
	ErrResidentIDArea      = newError("resident_id_area", "resident identity number has an invalid area code")
	ErrMobileInvalid       = newError("mobile_invalid", "mobile number must be 11 digits starting 13-19, optionally after +86")
	ErrLandlineInvalid     = newError("landline_invalid", "landline number must be an area code and a 7- or 8-digit number, such as 027-87654321")
	ErrEmailInvalid        = newError("email_invalid", "email address is invalid")
	ErrICPInvalid          = newError("icp_invalid", "MIIT ICP number is invalid; expected a form such as 鄂ICP备17001107号-1")
	ErrICPIsLicence        = newError("icp_is_licence", "a value-added telecom business licence number (增值电信业务经营许可证) is not the MIIT ICP filing number; enter the site's ICP备 number, such as 浙ICP备17001107号-1")
)
