package platform

import (
	"github.com/beian-dev/beian/internal/accountrules"
	"github.com/beian-dev/beian/internal/api"
)

// Password rules (NIST SP 800-63B §5.1.1.2, docs/security.md) live in
// internal/accountrules, shared with the client's prompts.
const maxPasswordLen = accountrules.MaxPasswordLen

func weakPassword(pw, login, mobile string) (code, why string) {
	return accountrules.Password(pw, login, mobile)
}

func passwordProblem(field, pw, login, mobile string) (api.FieldError, bool) {
	code, why := weakPassword(pw, login, mobile)
	if code == "" {
		return api.FieldError{}, false
	}
	return api.FieldError{Field: field, Code: code, Message: why}, true
}
