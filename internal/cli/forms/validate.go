package forms

import (
	"errors"
	"strings"
	"unicode"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/domainname"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/i18n"
)

// FieldMessage renders one rule error in the user's language: the
// catalogue's message for its code, or the rule's English message when the
// code has none.
func (e Env) FieldMessage(fe filing.FieldError) string {
	return e.Loc.FieldError(fe.Code, fe.Message, fe.Params)
}

// fieldError is what a form shows under a field: the first error of the
// field, localised; nil when there is none.
func (e Env) fieldError(errs filing.Errors) error {
	if len(errs) == 0 {
		return nil
	}
	return errors.New(e.FieldMessage(errs[0]))
}

// siteCheck is a validator for one text field of a site: the value is put
// into a copy of the answers so far and the whole site is checked by the
// server's rules, keeping only what concerns path. Checking in context is
// what makes "required" right: the registrar is required only for a site
// with a first-level domain, a provider's area only when it is domestic.
func (e Env) siteCheck(s *filing.Site, path string, set func(*filing.Site, string)) func(string) error {
	return func(v string) error {
		c := s.Clone()
		set(&c, v)
		return e.fieldError(c.Validate(e.siteOptions()).Under(path))
	}
}

// subjectCheck is siteCheck for the hosting subject.
func (e Env) subjectCheck(s *filing.Subject, path string, set func(*filing.Subject, string)) func(string) error {
	return func(v string) error {
		c := *s
		set(&c, v)
		return e.fieldError(c.ValidateWith(e.subjectOptions()).Under(path))
	}
}

// SplitList splits what a user types for a list (domains, IP addresses,
// file names): commas — ASCII or full-width —, the enumeration comma 、,
// semicolons and white space all separate items; empty items are dropped.
func SplitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",，、;；", r)
	})
}

// domainChecker asks the server about each domain once per form, so that
// moving back and forth over a field does not repeat the request.
type domainChecker struct {
	env  Env
	seen map[string]error
}

func newDomainChecker(env Env) *domainChecker {
	return &domainChecker{env: env, seen: map[string]error{}}
}

// check normalises raw and asks the server whether it is free. A malformed
// domain is left to the rules (which say why); a server that cannot be
// asked is not the user's fault, so the domain is accepted and checked
// again on submission.
func (d *domainChecker) check(raw string) error {
	if d.env.CheckDomain == nil {
		return nil
	}
	n, err := domainname.Normalize(raw)
	if err != nil {
		return nil
	}
	if err, ok := d.seen[n.ASCII]; ok {
		return err
	}
	res, err := d.env.CheckDomain(n.ASCII)
	if err != nil {
		if d.env.Unchecked != nil {
			d.env.Unchecked(n.Unicode)
		}
		return nil
	}
	err = d.env.DomainStatusError(n.Unicode, res)
	d.seen[n.ASCII] = err
	return err
}

// DomainStatusError explains why a checked domain cannot be filed, in the
// platform's own wording for a domain the account already has (FAQ item 5);
// nil when it is available.
func (e Env) DomainStatusError(display string, c *api.DomainCheck) error {
	var msg string
	switch c.Status {
	case api.DomainAvailable:
		return nil
	case api.DomainYours:
		msg = e.t("error.domain_yours")
		if c.SiteID != "" {
			msg += e.paren(e.t("error.site_state", c.SiteID, e.stateLabel(c.SiteState)))
		}
	case api.DomainTaken:
		msg = e.t("error.domain_taken")
		if c.RecordNumber != "" {
			msg += e.paren(e.t("error.record_number", c.RecordNumber))
		}
	case api.DomainClaimable:
		msg = e.t("error.domain_claimable")
	case api.DomainInvalid:
		msg = e.Loc.Field(c.Reason)
	default:
		msg = string(c.Status)
	}
	return errors.New(display + ": " + msg)
}

func (e Env) stateLabel(s filing.State) string {
	if e.Loc.Has("state." + string(s)) {
		return e.Loc.T("state." + string(s))
	}
	return string(s)
}

// paren puts an aside in brackets the way the user's language writes them.
func (e Env) paren(s string) string {
	if e.Loc.Lang() == i18n.ZH {
		return "（" + s + "）"
	}
	return " (" + s + ")"
}
