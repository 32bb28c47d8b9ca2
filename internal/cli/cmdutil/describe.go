package cmdutil

import (
	"errors"
	"regexp"
	"strings"
	"sync"

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
	msg := describeError(loc, err)
	if loc.Lang() == i18n.ZH {
		msg = CobraErrorZH(msg)
	}
	return output.Sanitize(msg)
}

// cobraErrors are the messages of cobra and pflag that reach a user (bad
// command, arguments or flags), with their Chinese form.
// They are compiled on the first Chinese error, not at every start.
var cobraErrors = sync.OnceValue(func() []cobraError {
	return []cobraError{
		{regexp.MustCompile(`unknown command "([^"]*)" for "([^"]*)"`), `“$2”没有命令“$1”`},
		{regexp.MustCompile(`\n*Did you mean this\?\n`), "\n\n您是不是要输入：\n"},
		{regexp.MustCompile(`accepts (\d+) arg\(s\), received (\d+)`), "需要 $1 个参数，收到 $2 个"},
		{regexp.MustCompile(`accepts at most (\d+) arg\(s\), received (\d+)`), "最多接受 $1 个参数，收到 $2 个"},
		{regexp.MustCompile(`requires at least (\d+) arg\(s\), only received (\d+)`), "至少需要 $1 个参数，只收到 $2 个"},
		{regexp.MustCompile(`accepts between (\d+) and (\d+) arg\(s\), received (\d+)`), "需要 $1 到 $2 个参数，收到 $3 个"},
		{regexp.MustCompile(`unknown command "([^"]*)"`), `没有命令“$1”`},
		{regexp.MustCompile(`unknown flag: (\S+)`), "没有选项 $1"},
		{regexp.MustCompile(`unknown shorthand flag: '(.)' in (\S+)`), "没有短选项“$1”（在 $2 中）"},
		{regexp.MustCompile(`flag needs an argument: (\S+)`), "选项 $1 需要一个值"},
		{regexp.MustCompile(`invalid argument "([^"]*)" for "([^"]*)" flag: (.*)`), "选项 $2 的值“$1”无效：$3"},
		{regexp.MustCompile(`required flag\(s\) (.*) not set`), "必需的选项 $1 未设置"},
		{regexp.MustCompile(`if any flags in the group \[([^\]]*)\] are set none of the others can be; \[([^\]]*)\] were all set`), "选项 [$1] 只能使用其中一个；却同时使用了 [$2]"},
	}
})

type cobraError struct {
	re *regexp.Regexp
	zh string
}

// CobraErrorZH translates cobra's and pflag's usage errors into Chinese;
// other text is returned as it is.
func CobraErrorZH(msg string) string {
	for _, e := range cobraErrors() {
		msg = e.re.ReplaceAllString(msg, e.zh)
	}
	return msg
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
		msg := loc.FieldError(fe.Code, fe.Message, fe.Params)
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
