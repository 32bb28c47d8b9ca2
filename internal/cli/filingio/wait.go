package filingio

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/client"
)

// WaitOptions control WaitForDecision.
type WaitOptions struct {
	// Timeout ends the wait; 0 means 10 minutes.
	Timeout time.Duration
	// Interval is the first pause between polls (default 1s); it doubles
	// with jitter up to MaxInterval (default 30s).
	Interval, MaxInterval time.Duration
	// Sandbox asks the sandbox to run its automatic review before each
	// poll, so a wait there ends as soon as the review would.
	Sandbox bool
	// Progress is told each state seen (for a line on stderr); may be nil.
	Progress func(*api.SiteRecord)
	// Sleep waits (tests pass a fake); nil sleeps for real.
	Sleep func(context.Context, time.Duration) error
}

// ErrWaitTimeout is returned, with the last record seen, when the site is
// still under review at the deadline.
var ErrWaitTimeout = errors.New("wait_timeout")

// WaitForDecision polls site id until it leaves review: recorded, returned,
// cancelled, or any other state that is not waiting for a reviewer. It
// returns the last record; at the deadline it returns that record and
// ErrWaitTimeout.
func WaitForDecision(ctx context.Context, c *client.Client, id string, o WaitOptions) (*api.SiteRecord, error) {
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Minute
	}
	if o.Interval <= 0 {
		o.Interval = time.Second
	}
	if o.MaxInterval <= 0 {
		o.MaxInterval = 30 * time.Second
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	deadline := time.Now().Add(o.Timeout)
	pause := o.Interval
	var last *api.SiteRecord
	for {
		if o.Sandbox {
			// Errors here only delay the decision; the poll still runs.
			_ = c.SandboxReview(ctx)
		}
		rec, err := c.Site(ctx, id)
		if err != nil {
			return last, err
		}
		last = rec
		if o.Progress != nil {
			o.Progress(rec)
		}
		if !cmdutil.Pending(rec.State) {
			return rec, nil
		}
		left := time.Until(deadline)
		if left <= 0 {
			return rec, ErrWaitTimeout
		}
		// Full jitter around the current pause, never past the deadline.
		d := pause/2 + rand.N(pause/2+1)
		if d > left {
			d = left
		}
		if err := o.Sleep(ctx, d); err != nil {
			return rec, err
		}
		pause = min(pause*2, o.MaxInterval)
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
