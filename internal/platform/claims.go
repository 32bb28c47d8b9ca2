package platform

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/domainname"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/netpolicy"
	"github.com/beian-dev/beian/internal/store"
)

// Claiming an earlier filing that nobody was pushed (to_claim) needs proof
// that the claimer controls its site (docs/claims.md): the account asks for
// a challenge, publishes its content at ClaimPath on the domain, and claims;
// the desk fetches the file and compares. The old record number proves
// nothing: it is printed in the old site's footer for anyone to read.
const (
	// ClaimPath is where the challenge is published on the domain.
	ClaimPath = "/.well-known/beian-claim.txt"
	// claimTTL is how long a challenge stays valid.
	claimTTL = 7 * 24 * time.Hour
	// claimFetchTimeout bounds one fetch of the challenge file, and
	// claimFetchMax its size.
	claimFetchTimeout = 10 * time.Second
	claimFetchMax     = 4 << 10
)

// ClaimFetcher reads ClaimPath of a domain. The default fetches
// http://DOMAIN/.well-known/beian-claim.txt (https first) from public
// addresses only; tests put a local server in its place.
type ClaimFetcher func(ctx context.Context, domain string) ([]byte, error)

// claimContent is the line an account publishes.
func claimContent(token string) string { return "beian-claim=" + token }

// ClaimChallenge returns the account's challenge for the earlier filing of
// domain, making one (or a fresh one, once expired) on the first call.
func (d *Desk) ClaimChallenge(ctx context.Context, actor Actor, req api.ClaimChallengeRequest) (api.ClaimChallenge, error) {
	if err := requireSponsor(actor); err != nil {
		return api.ClaimChallenge{}, err
	}
	s, n, err := d.toClaimByDomain(ctx, actor, req.Domain)
	if err != nil {
		return api.ClaimChallenge{}, err
	}
	now := d.now()
	c, err := d.store.ClaimChallenge(ctx, s.ID, actor.AccountID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !now.Before(c.ExpiresAt)) {
		var b [20]byte
		if _, err := rand.Read(b[:]); err != nil {
			return api.ClaimChallenge{}, d.problem(ctx, actor, err)
		}
		c = store.ClaimChallenge{SiteID: s.ID, AccountID: actor.AccountID, ExpiresAt: now.Add(claimTTL),
			Token: strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))}
		err = d.store.PutClaimChallenge(ctx, c)
	}
	if err != nil {
		return api.ClaimChallenge{}, d.problem(ctx, actor, err)
	}
	return api.ClaimChallenge{Domain: n.Unicode, URL: "http://" + n.ASCII + ClaimPath, Content: claimContent(c.Token), ExpiresAt: c.ExpiresAt}, nil
}

// ClaimByDomain claims the earlier filing of a domain (POST /v1/claims):
// ProveClaimByDomain, then Claim.
func (d *Desk) ClaimByDomain(ctx context.Context, actor Actor, req api.ClaimRequest) (api.SiteRecord, error) {
	return d.Claim(ctx, actor, d.ProveClaimByDomain(ctx, actor, req), req)
}

// ProveClaimByDomain is ProveClaim for the earlier filing of req.Domain.
func (d *Desk) ProveClaimByDomain(ctx context.Context, actor Actor, req api.ClaimRequest) ClaimProof {
	if err := requireSponsor(actor); err != nil {
		return ClaimProof{err: err}
	}
	s, _, err := d.toClaimByDomain(ctx, actor, req.Domain)
	if err != nil {
		return ClaimProof{err: err}
	}
	return d.ProveClaim(ctx, actor, s.ID)
}

// toClaimByDomain finds the earlier filing of a domain that the account may
// try to claim. The answer names no site ID: the domain check does not hand
// out other subjects' filings either.
func (d *Desk) toClaimByDomain(ctx context.Context, actor Actor, domain string) (store.Site, domainname.Name, error) {
	n, err := domainname.Normalize(domain)
	if err != nil {
		return store.Site{}, n, fieldProblem(ruleField("domain", err))
	}
	holders, err := d.store.DomainHolders(ctx, []string{n.ASCII})
	if err != nil {
		return store.Site{}, n, d.problem(ctx, actor, err)
	}
	for _, h := range holders {
		if h.State == filing.StateToClaim || (h.State == filing.StateUnrecorded && h.AccountID == actor.AccountID) {
			s, err := d.store.Site(ctx, h.SiteID)
			if err != nil {
				return store.Site{}, n, d.problem(ctx, actor, err)
			}
			return s, n, nil
		}
	}
	return store.Site{}, n, api.NewProblem(api.CodeNotFound, fmt.Sprintf("no earlier filing of %s waits to be claimed", n.Unicode))
}

// proveClaim decides whether actor may claim the to_claim filing s: an
// approved subject with the imported certificate number, or the account's
// challenge published on the filing's domain. Every try counts against the
// (filing, account) pair and the account (Limits.ClaimAttempts per
// AddressWindow).
func (d *Desk) proveClaim(ctx context.Context, actor Actor, s store.Site) error {
	subj, err := d.store.Subject(ctx, actor.AccountID)
	if err == nil && s.ImportCert != "" && subj.CertNumber == s.ImportCert &&
		(subj.State == filing.SubjectApproved || subj.State == filing.SubjectChangeUnderReview) {
		return nil
	}
	l, now := d.limits, d.now()
	// Per (filing, account) and per account: one claimer's tries never use
	// up another's, so a thief cannot lock the rightful owner out.
	for _, key := range []string{keyClaim(s.ID, actor.AccountID), keyClaimAccount(actor.AccountID)} {
		n, err := d.store.HitLimit(ctx, key, now, now.Add(-l.AddressWindow))
		if err != nil {
			return err
		}
		if n > l.ClaimAttempts {
			return limited(fmt.Sprintf("at most %d claim attempts per %s; try again later", l.ClaimAttempts, l.AddressWindow), l.AddressWindow)
		}
	}
	c, err := d.store.ClaimChallenge(ctx, s.ID, actor.AccountID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !now.Before(c.ExpiresAt)) {
		return api.NewProblem(api.CodeClaimRefused, "prove you control the domain: ask for a challenge (POST /v1/claim-challenges), publish it at http://DOMAIN"+ClaimPath+", then claim")
	}
	if err != nil {
		return err
	}
	domain := s.Data.PrimaryDomain
	fetch := d.opts.ClaimFetcher
	if fetch == nil {
		fetch = FetchClaimFile
	}
	fctx, cancel := context.WithTimeout(ctx, claimFetchTimeout)
	defer cancel()
	body, err := fetch(fctx, domain)
	if err != nil {
		return api.NewProblem(api.CodeClaimRefused, fmt.Sprintf("the challenge could not be read from http://%s%s: %s", domain, ClaimPath, netpolicy.Describe(err)))
	}
	want := claimContent(c.Token)
	for line := range strings.Lines(string(body)) {
		if strings.TrimSpace(line) == want {
			return nil
		}
	}
	return api.NewProblem(api.CodeClaimRefused, fmt.Sprintf("http://%s%s does not hold this account's challenge (%s)", domain, ClaimPath, want))
}

// FetchClaimFile reads ClaimPath of a domain over HTTPS, else HTTP, from
// public addresses only (a claim must not make the server reach into its
// own network), following no redirects to other hosts, within
// claimFetchTimeout and claimFetchMax bytes.
func FetchClaimFile(ctx context.Context, domain string) ([]byte, error) {
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: netpolicy.Control}
	client := &http.Client{
		Timeout: claimFetchTimeout,
		Transport: &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: 5 * time.Second,
			ResponseHeaderTimeout: 5 * time.Second, MaxResponseHeaderBytes: 16 << 10},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 3 || !strings.EqualFold(strings.TrimPrefix(req.URL.Hostname(), "www."), strings.TrimPrefix(domain, "www.")) {
				return errors.New("redirected away from the domain")
			}
			return nil
		},
	}
	var last error
	for _, scheme := range []string{"https", "http"} {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, scheme+"://"+domain+ClaimPath, nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			last = err
			continue
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, claimFetchMax))
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			last = &netpolicy.SafeError{Text: fmt.Sprintf("%s answered %s", scheme, resp.Status)}
			continue
		}
		return body, err
	}
	return nil, last
}
