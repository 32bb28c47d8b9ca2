package cmdutil

import (
	"errors"
	"strings"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/config"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/i18n"
)

// DescribeError renders err for stderr in the user's language: API problems
// by their code with every bad field on its own line, network failures with
// the server's address, configuration errors by their code. It returns ""
// for a silent exit.
//
// The message is Sanitized: a problem's detail and field messages come from
// the server and are printed on a terminal.
func DescribeError(loc *i18n.Localizer, err error) string {
	return output.Sanitize(describeError(loc, err))
}

func describeError(loc *i18n.Localizer, err error) string {
	if err == nil {
		return ""
	}
	var ee *ExitError
	if errors.As(err, &ee) && (ee.Silent || ee.Err == nil) {
		return ""
	}
	var p *api.Problem
	if errors.As(err, &p) {
		return describeProblem(loc, p)
	}
	var bad *client.BadAnswerError
	if errors.As(err, &bad) {
		return loc.T("error.server_bad_answer", bad.Server, bad.Err)
	}
	var ne *client.NetworkError
	if errors.As(err, &ne) {
		if ne.Timeout() {
			return loc.T("error.server_timeout", ne.Server)
		}
		return loc.T("error.server_unreachable", ne.Server, rootMessage(ne))
	}
	var ce *config.Error
	if errors.As(err, &ce) {
		switch ce.Code() {
		case "invalid_value", "config_unreadable":
			return loc.T("error."+ce.Code(), ce.Arg, ce.Err)
		}
		return loc.T("error."+ce.Code(), ce.Arg)
	}
	var mf *MissingFlagError
	if errors.As(err, &mf) {
		return loc.T("error.missing_flag", mf.Flag)
	}
	if errors.Is(err, ErrCancel) {
		return loc.T("error.cancelled")
	}
	var ns *NotSignedInError
	if errors.As(err, &ns) {
		return loc.T("error.not_signed_in", ns.Server)
	}
	var coded interface{ Code() string }
	if errors.As(err, &coded) {
		if msg := loc.Code(coded.Code()); msg != "" && !strings.Contains(msg, "%") {
			// Keep the English detail too: it names the value at fault.
			if loc.Lang() == i18n.EN {
				return err.Error()
			}
			return msg + " (" + err.Error() + ")"
		}
	}
	return err.Error()
}

func rootMessage(ne *client.NetworkError) string {
	msg := ne.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}

func describeProblem(loc *i18n.Localizer, p *api.Problem) string {
	var b strings.Builder
	head := loc.Code(string(p.Code))
	if head == "" {
		head = p.Title
		if p.Detail != "" {
			head = p.Detail
		}
	}
	b.WriteString(head)
	switch p.Code {
	case api.CodeSMSBlacklisted, api.CodeTransitionRefused, api.CodeNotFound, api.CodeForbidden, api.CodeInternal, api.CodeMalformedRequest:
		// The detail names the support address, the state or the thing
		// not found: worth showing as the server wrote it.
		if p.Detail != "" && head != p.Detail {
			b.WriteString(" (" + p.Detail + ")")
		}
	}
	if p.SiteID != "" {
		b.WriteString("\n" + loc.T("error.site_state", p.SiteID, p.SiteState))
	}
	if p.RecordNumber != "" {
		b.WriteString("\n" + loc.T("error.record_number", p.RecordNumber))
	}
	for _, fe := range p.Errors {
		msg := loc.Field(fe.Code)
		if msg == fe.Code && fe.Message != "" {
			msg = fe.Message
		}
		b.WriteString("\n" + loc.T("error.field_line", fe.Field, msg))
	}
	if p.RetryAfter > 0 && (p.Code == api.CodeRateLimited || p.Code == api.CodeUnavailable) {
		b.WriteString("\n" + loc.T("error.retry_after", p.RetryAfter))
	}
	return b.String()
}

// NotSignedInError says a command needs a token and none is stored for the
// server: exit 4, "run beian login".
type NotSignedInError struct{ Server string }

// Code is "not_signed_in".
func (e *NotSignedInError) Code() string { return "not_signed_in" }

func (e *NotSignedInError) Error() string {
	return "not signed in to " + e.Server + ": run `beian login`"
}
