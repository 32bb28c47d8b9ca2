package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/i18n"
)

// maxCodeWait is the longest resend back-off waited out on a terminal; a
// longer one (the daily cap) is reported as it is.
const maxCodeWait = 3 * time.Minute

// sleepCtx waits d or until ctx ends; tests replace it.
var sleepCtx = func(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// SendCodeWaiting asks for a verification code with send. When the server
// says a code went to the number moments ago (429 with Retry-After) and a
// person is at the terminal, it counts the wait down on stderr and asks
// again, instead of failing after everything was typed; scripts get the
// refusal at once.
func SendCodeWaiting(ctx context.Context, ios *iostreams.IOStreams, loc *i18n.Localizer, send func() error) error {
	err := send()
	var p *api.Problem
	if !errors.As(err, &p) || p.Code != api.CodeRateLimited || p.RetryAfter <= 0 ||
		time.Duration(p.RetryAfter)*time.Second > maxCodeWait || !ios.CanPrompt() {
		return err
	}
	for left := p.RetryAfter; left > 0; left-- {
		if left%10 == 0 || left <= 5 || left == p.RetryAfter {
			fmt.Fprintln(ios.ErrOut, loc.T("sms.waiting", left))
		}
		if err := sleepCtx(ctx, time.Second); err != nil {
			return err
		}
	}
	return send()
}
