package cmdutil

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/i18n"
)

// Issue 10: register and password reset wait out the SMS resend back-off
// on a terminal, counting down, instead of failing after everything was
// typed; a script gets the refusal at once; a daily cap is not waited for.
func TestSendCodeWaiting(t *testing.T) {
	var slept time.Duration
	orig := sleepCtx
	sleepCtx = func(_ context.Context, d time.Duration) error { slept += d; return nil }
	defer func() { sleepCtx = orig }()
	limited := func(after int) error {
		p := api.NewProblem(api.CodeRateLimited, "a code was sent 20s ago")
		p.RetryAfter = after
		return p
	}
	loc := i18n.New(i18n.EN)

	ios, _, _, errOut := iostreams.Test()
	ios.SetStdinTTY(true)
	ios.SetStdoutTTY(true)
	calls := 0
	err := SendCodeWaiting(context.Background(), ios, loc, func() error {
		calls++
		if calls == 1 {
			return limited(40)
		}
		return nil
	})
	if err != nil || calls != 2 || slept != 40*time.Second || !strings.Contains(errOut.String(), "in 40 s") {
		t.Errorf("on a terminal: err %v, %d calls, slept %s, said %q", err, calls, slept, errOut.String())
	}

	script, _, _, _ := iostreams.Test()
	calls, slept = 0, 0
	if err := SendCodeWaiting(context.Background(), script, loc, func() error { calls++; return limited(40) }); err == nil || calls != 1 || slept != 0 {
		t.Errorf("in a script: err %v, %d calls, slept %s; want the refusal at once", err, calls, slept)
	}

	calls = 0
	if err := SendCodeWaiting(context.Background(), ios, loc, func() error { calls++; return limited(6 * 3600) }); err == nil || calls != 1 {
		t.Errorf("the daily cap: err %v after %d calls; want it reported, not waited for", err, calls)
	}
}
