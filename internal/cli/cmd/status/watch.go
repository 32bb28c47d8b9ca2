package status

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/filingio"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/filing"
)

// Change is one line of --watch -o json.
type Change struct {
	At           time.Time    `json:"at"`
	Site         string       `json:"site"` // as named on the command line
	SiteID       string       `json:"site_id"`
	State        filing.State `json:"state"`
	Previous     filing.State `json:"previous_state,omitempty"` // empty on the first line
	RecordNumber string       `json:"record_number,omitempty"`
	Reason       string       `json:"return_reason,omitempty"`
}

// watchRun follows every site named and prints each change of state: a
// line per site first, then one per change, until interrupted or the
// timeout. Each poll reads the account's sites in pages (one request per
// 500 sites), not one request per site.
func watchRun(ctx context.Context, opts *Options) error {
	out, err := opts.Output()
	if err != nil {
		return err
	}
	c, err := opts.APIClient(ctx)
	if err != nil {
		return err
	}
	t, err := opts.Target()
	if err != nil {
		return err
	}
	interval := opts.Interval
	if interval <= 0 {
		interval = 5 * time.Second
	}
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	names := map[string]string{} // site ID → as named
	var order []string
	last := map[string]filing.State{}
	for _, ref := range opts.Refs {
		rec, err := cmdutil.FindSite(ctx, c, ref)
		if err != nil {
			return err
		}
		if _, dup := names[rec.ID]; !dup {
			order = append(order, rec.ID)
		}
		names[rec.ID] = ref
		emit(opts, out, Change{At: time.Now(), Site: ref, SiteID: rec.ID, State: rec.State, RecordNumber: rec.RecordNumber, Reason: rec.ReturnReason})
		last[rec.ID] = rec.State
	}
	for {
		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return nil // --timeout: the watch is over
			}
			return cmdutil.ErrCancel
		case <-time.After(interval):
		}
		if t.Sandbox {
			_ = c.SandboxReview(ctx)
		}
		recs, err := current(ctx, c, order)
		if err != nil {
			if ctx.Err() != nil {
				continue // ended while polling
			}
			fmt.Fprintln(opts.IO.ErrOut, cmdutil.DescribeError(opts.Localizer(), err))
			continue // a failed poll is retried, not the end of the watch
		}
		for _, id := range order {
			rec, ok := recs[id]
			if !ok || rec.State == last[id] {
				continue
			}
			emit(opts, out, Change{At: time.Now(), Site: names[id], SiteID: id, State: rec.State, Previous: last[id],
				RecordNumber: rec.RecordNumber, Reason: rec.ReturnReason})
			last[id] = rec.State
		}
	}
}

// current reads the watched sites: one request each for a few, the
// account's pages for many.
func current(ctx context.Context, c *client.Client, ids []string) (map[string]*api.SiteRecord, error) {
	out := map[string]*api.SiteRecord{}
	if len(ids) <= 3 {
		for _, id := range ids {
			rec, err := c.Site(ctx, id)
			if err != nil {
				return nil, err
			}
			out[id] = rec
		}
		return out, nil
	}
	all, err := c.AllSites(ctx, client.SiteQuery{Limit: 500})
	if err != nil {
		return nil, err
	}
	for i := range all {
		out[all[i].ID] = &all[i]
	}
	return out, nil
}

func emit(opts *Options, out output.Options, ch Change) {
	if out.Structured() {
		b, _ := json.Marshal(ch)
		fmt.Fprintln(opts.IO.Out, string(b))
		return
	}
	loc := opts.Localizer()
	line := fmt.Sprintf("%s  %s  %s", ch.At.Local().Format(time.TimeOnly), output.Sanitize(ch.Site), filingio.StateLabel(loc, ch.State))
	if ch.Previous != "" {
		line = fmt.Sprintf("%s  %s  %s → %s", ch.At.Local().Format(time.TimeOnly), output.Sanitize(ch.Site),
			filingio.StateLabel(loc, ch.Previous), filingio.StateLabel(loc, ch.State))
	}
	if ch.RecordNumber != "" && ch.State == filing.StateRecorded {
		line += "  " + ch.RecordNumber
	}
	if ch.Reason != "" && ch.State == filing.StateReturned {
		line += "  " + output.Sanitize(ch.Reason)
	}
	fmt.Fprintln(opts.IO.Out, line)
}
