package cmdutil

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/filing"
)

// FindSite resolves what a user typed to name a site: a site ID, or one of
// its domains (Unicode or A-label). A domain may belong to a cancelled site
// and a live one; the live one wins.
func FindSite(ctx context.Context, c *client.Client, ref string) (*api.SiteRecord, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, FlagErrorf("give a site ID or a domain")
	}
	if !LooksLikeDomain(ref) {
		rec, err := c.Site(ctx, ref)
		if err == nil {
			return rec, nil
		}
		var p *api.Problem
		if !errors.As(err, &p) || p.Code != api.CodeNotFound {
			return nil, err
		}
	}
	list, err := c.Sites(ctx, client.SiteQuery{Domain: ref, Limit: 100})
	if err != nil {
		return nil, err
	}
	// better: a live site beats a cancelled one, then the newest wins.
	better := func(a, b *api.SiteRecord) bool {
		la, lb := a.State != filing.StateCancelled, b.State != filing.StateCancelled
		if la != lb {
			return la
		}
		return a.UpdatedAt.After(b.UpdatedAt)
	}
	var best *api.SiteRecord
	for i := range list.Items {
		if s := &list.Items[i]; best == nil || better(s, best) {
			best = s
		}
	}
	if best == nil {
		p := api.NewProblem(api.CodeNotFound, "no site of this account has "+ref)
		return nil, p
	}
	return best, nil
}

// LooksLikeDomain tells a domain from a site ID in what a user typed: site
// IDs are plain ASCII with no dot.
func LooksLikeDomain(ref string) bool {
	return strings.ContainsAny(ref, ".。") || strings.ContainsFunc(ref, func(r rune) bool { return r > 0x7f })
}

// OwnDomainCheck is the duplicate check of a form that edits site siteID:
// the site's own domains are "yours" to the server, and fine here. Each
// check has its own timeout, so a typed domain never waits forever.
func OwnDomainCheck(ctx context.Context, c *client.Client, siteID string) func(string) (*api.DomainCheck, error) {
	return func(d string) (*api.DomainCheck, error) {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		res, err := c.CheckDomain(ctx, d)
		if err == nil && res.Status == api.DomainYours && res.SiteID == siteID {
			res.Status = api.DomainAvailable
		}
		return res, err
	}
}

// Pending reports whether a site's state waits for a reviewer.
func Pending(s filing.State) bool { return s.InReview() }

// StateExitCode is the exit code of `status --exit-status` for a state:
// 0 recorded, 8 under review, 9 action needed, 10 cancelled.
func StateExitCode(s filing.State) int {
	switch {
	case s == filing.StateRecorded:
		return ExitOK
	case s.InReview():
		return ExitPending
	case s == filing.StateCancelled:
		return ExitCancelled
	}
	return ExitActionNeeded // draft, returned, unrecorded, to_claim
}

// LenientServer reports whether the server is a sandbox, whose leniencies
// (.test domains, documentation IP ranges) the client's own checks then
// share: the in-process sandbox, or a server whose GET /v1/meta says so. A
// server that cannot say is taken as a real one (the strict rules).
func LenientServer(ctx context.Context, c *client.Client, t Target) bool {
	if t.Sandbox {
		return true
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	m, err := c.Meta(ctx)
	return err == nil && m.Sandbox
}
