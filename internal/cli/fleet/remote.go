package fleet

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/client"
)

// ClientFor returns the API client of an account.
type ClientFor func(context.Context, Account) (*client.Client, error)

// Remote is the server's side of a plan: each subject's account client and
// what it holds.
type Remote struct {
	Clients map[*Subject]*client.Client
	Current map[*Subject]*Current
	// Requests counts the HTTP requests the reads made (the plan's cost).
	Requests int
}

// listPage is the page size of the site reads: the server's largest.
const listPage = 500

// Fetch reads, for every subject of the planner's fleet, the account's
// subject and sites (in pages of 500) and batch-checks the fleet's domains
// that no site of the account holds (1,000 per request). Accounts are
// read concurrently.
func Fetch(ctx context.Context, p *Planner, clientFor ClientFor) (*Remote, error) {
	r := &Remote{Clients: map[*Subject]*client.Client{}, Current: map[*Subject]*Current{}}
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		firstErr error
	)
	sem := make(chan struct{}, 4)
	for _, s := range p.fleet.Subjects {
		c, err := clientFor(ctx, s.Account)
		if err != nil {
			return nil, fmt.Errorf("subject %s: %w", s.Label(), err)
		}
		r.Clients[s] = c
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			cur, n, err := fetchOne(ctx, p, s, c)
			mu.Lock()
			defer mu.Unlock()
			r.Requests += n
			if err != nil && firstErr == nil {
				firstErr = fmt.Errorf("subject %s (%s): %w", s.Label(), s.Account, err)
			}
			r.Current[s] = cur
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return r, nil
}

func fetchOne(ctx context.Context, p *Planner, s *Subject, c *client.Client) (*Current, int, error) {
	cur := &Current{Checks: map[string]api.DomainCheck{}}
	n := 1
	subj, err := c.Subject(ctx)
	var prob *api.Problem
	switch {
	case errors.As(err, &prob) && prob.Code == api.CodeNotFound:
	case err != nil:
		return nil, n, err
	default:
		cur.Subject = subj
	}
	q := client.SiteQuery{Limit: listPage}
	for {
		n++
		page, err := c.Sites(ctx, q)
		if err != nil {
			return nil, n, err
		}
		cur.Sites = append(cur.Sites, page.Items...)
		if page.NextCursor == "" {
			break
		}
		q.Cursor = page.NextCursor
	}
	doms := p.CheckDomains(s, cur)
	for len(doms) > 0 {
		batch := doms[:min(len(doms), api.MaxBatchCheck)]
		doms = doms[len(batch):]
		n++
		res, err := c.CheckDomains(ctx, batch)
		if err != nil {
			return nil, n, err
		}
		for _, ch := range res.Results {
			key := ch.ASCII
			if key == "" {
				key = ch.Domain
			}
			cur.Checks[key] = ch
		}
	}
	return cur, n, nil
}
