package platform

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/beian-dev/beian/internal/accountrules"
	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/area"
	"github.com/beian-dev/beian/internal/ident"
	"github.com/beian-dev/beian/internal/store"
)

// accountFields checks the fields shared by registration and user creation.
func accountFields(login, mobile, email, password string) (normMobile, normEmail string, errs []api.FieldError) {
	if accountrules.Login(login) != nil {
		errs = append(errs, api.FieldError{Field: "login", Code: "login_invalid",
			Message: "3–32 characters: a letter, then letters, digits, '_', '.' or '-'"})
	}
	normMobile, err := ident.NormalizeMobile(mobile)
	if err != nil {
		errs = append(errs, ruleField("mobile", err))
	}
	normEmail, err = ident.NormalizeEmail(email)
	if err != nil {
		errs = append(errs, ruleField("email", err))
	}
	if fe, bad := passwordProblem("password", password, login, normMobile); bad {
		errs = append(errs, fe)
	}
	return normMobile, normEmail, errs
}

// ruleField turns a rule error with a Code into a field error.
func ruleField(field string, err error) api.FieldError {
	code := "invalid"
	var c interface{ Code() string }
	if errors.As(err, &c) {
		code = c.Code()
	}
	return api.FieldError{Field: field, Code: code, Message: err.Error()}
}

// Register creates a sponsor account once the SMS code proves the mobile.
func (d *Desk) Register(ctx context.Context, actor Actor, req api.RegisterRequest) (api.Account, error) {
	mobile, email, errs := accountFields(req.Login, req.Mobile, req.Email, req.Password)
	if strings.TrimSpace(req.SMSCode) == "" {
		errs = append(errs, api.FieldError{Field: "sms_code", Code: "required_missing", Message: "the code texted to the mobile"})
	}
	if len(errs) > 0 {
		return api.Account{}, fieldProblem(errs...)
	}
	// Cheap checks first: the code is checked before the password is
	// hashed, so a request that cannot succeed costs no argon2 (and before
	// the transaction: a wrong guess must count though registration fails).
	// The code stays until the account exists: a login name found taken
	// can be corrected without a new text (spendCode bounds the retries).
	attempts, err := d.proveCode(ctx, actor, channelSMS, mobile, purposeSignup, req.SMSCode, "sms_code", false)
	if err != nil {
		return api.Account{}, d.refuse(ctx, actor, err)
	}
	hash, err := d.hashPassword(ctx, req.Password)
	if err != nil {
		return api.Account{}, d.problem(ctx, actor, err)
	}
	a := store.Account{Login: req.Login, Mobile: mobile, Email: email, PasswordHash: hash, Role: string(api.RoleSponsor)}
	err = d.inTx(ctx, actor, func(u *unit) error {
		a.ID = ""
		if err := u.tx.CreateAccount(ctx, &a); err != nil {
			return err
		}
		return d.audit(ctx, u, Actor{AccountID: a.ID, Role: api.RoleSponsor}, store.AuditEvent{Entity: "account", EntityID: a.ID, Action: "register", Detail: a.Login})
	})
	if err != nil {
		d.spendCode(ctx, channelSMS, mobile, purposeSignup, attempts)
		return api.Account{}, err
	}
	_ = d.store.DeleteVerificationCode(ctx, channelSMS, mobile, purposeSignup)
	return accountView(a), nil
}

func accountView(a store.Account) api.Account {
	return api.Account{ID: a.ID, Login: a.Login, Mobile: a.Mobile, Email: a.Email, EmailVerified: a.EmailVerified,
		Role: api.Role(a.Role), AreaPrefix: a.AreaPrefix, CreatedAt: a.CreatedAt}
}

// ResetPassword sets a new password (every session of the account ends) once the SMS code proves the mobile.
func (d *Desk) ResetPassword(ctx context.Context, actor Actor, req api.PasswordResetRequest) error {
	var errs []api.FieldError
	mobile, err := ident.NormalizeMobile(req.Mobile)
	if err != nil {
		errs = append(errs, ruleField("mobile", err))
	}
	if strings.TrimSpace(req.SMSCode) == "" {
		errs = append(errs, api.FieldError{Field: "sms_code", Code: "required_missing", Message: "the code texted to the mobile"})
	}
	if fe, bad := passwordProblem("new_password", req.NewPassword, "", mobile); bad {
		errs = append(errs, fe)
	}
	if len(errs) > 0 {
		return fieldProblem(errs...)
	}
	if err := d.checkCode(ctx, actor, channelSMS, mobile, purposeReset, req.SMSCode, "sms_code"); err != nil {
		return d.refuse(ctx, actor, err)
	}
	hash, err := d.hashPassword(ctx, req.NewPassword)
	if err != nil {
		return d.problem(ctx, actor, err)
	}
	return d.inTx(ctx, actor, func(u *unit) error {
		a, err := u.tx.AccountByMobile(ctx, mobile)
		if errors.Is(err, store.ErrNotFound) {
			return api.NewProblem(api.CodeSMSCodeInvalid, "no account has this mobile number")
		}
		if err != nil {
			return err
		}
		a.PasswordHash = hash
		if err := u.tx.UpdateAccount(ctx, &a); err != nil {
			return err
		}
		// Whoever knew the old password is signed out with it.
		if _, err := u.tx.DeleteAccountTokens(ctx, a.ID); err != nil {
			return err
		}
		return d.audit(ctx, u, Actor{AccountID: a.ID, Role: api.Role(a.Role)}, store.AuditEvent{Entity: "account", EntityID: a.ID, Action: "reset_password"})
	})
}

// Account returns the signed-in account.
func (d *Desk) Account(ctx context.Context, actor Actor) (api.Account, error) {
	if actor.Anonymous() {
		return api.Account{}, unauthenticated()
	}
	a, err := d.store.AccountByID(ctx, actor.AccountID)
	if err != nil {
		return api.Account{}, d.problem(ctx, actor, err)
	}
	return accountView(a), nil
}

// CreateUser is the admin's way to add reviewers (with an area scope) and
// other admins; `beian-server user add` calls it with the System actor.
func (d *Desk) CreateUser(ctx context.Context, actor Actor, req api.UserCreateRequest) (api.Account, error) {
	if actor.Anonymous() {
		return api.Account{}, unauthenticated()
	}
	if actor.Role != api.RoleAdmin && actor.Role != roleSystem {
		return api.Account{}, forbidden("only an admin may create users")
	}
	mobile, email, errs := accountFields(req.Login, req.Mobile, req.Email, req.Password)
	switch req.Role {
	case api.RoleSponsor, api.RoleAdmin:
		if req.AreaPrefix != "" {
			errs = append(errs, api.FieldError{Field: "area_prefix", Code: "not_applicable", Message: "only reviewers have an area scope"})
		}
	case api.RoleReviewer:
		if !area.ValidPrefix(req.AreaPrefix) {
			errs = append(errs, api.FieldError{Field: "area_prefix", Code: "area_invalid",
				Message: "a reviewer's scope is a GB/T 2260 prefix: 2 (province), 4 (city) or 6 (county) digits"})
		}
	default:
		errs = append(errs, api.FieldError{Field: "role", Code: "enum_invalid", Message: "role must be sponsor, reviewer or admin"})
	}
	if len(errs) > 0 {
		return api.Account{}, fieldProblem(errs...)
	}
	hash, err := d.hashPassword(ctx, req.Password)
	if err != nil {
		return api.Account{}, d.problem(ctx, actor, err)
	}
	a := store.Account{Login: req.Login, Mobile: mobile, Email: email, PasswordHash: hash, Role: string(req.Role), AreaPrefix: req.AreaPrefix}
	err = d.inTx(ctx, actor, func(u *unit) error {
		a.ID = ""
		if err := u.tx.CreateAccount(ctx, &a); err != nil {
			return err
		}
		return d.audit(ctx, u, actor, store.AuditEvent{Entity: "account", EntityID: a.ID, Action: "create_user",
			Detail: fmt.Sprintf("%s %s %s", a.Login, a.Role, a.AreaPrefix)})
	})
	if err != nil {
		return api.Account{}, err
	}
	return accountView(a), nil
}
