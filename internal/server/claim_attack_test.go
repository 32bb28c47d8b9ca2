package server_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/netpolicy"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/server/servertest"
)

// Issue 9 item 3: an earlier filing waiting to be claimed cannot be stolen.
// The duplicate check hands out no site ID, the old record number (printed
// in the old footer) is no proof, guesses are limited, and only the account
// whose challenge the domain publishes gets the filing.
func TestAttackClaimTheft(t *testing.T) {
	servertest.Databases(t, func(t *testing.T, db servertest.Option) {
		env, _ := attackEnv(t, db)
		admin := env.CreateAdmin(t, "claim-admin")
		call(t, env, http.MethodPost, "/v1/admin/imports", admin.Token, []byte("old-shop.cn,42011102000555,91420111MA4K00555X,旧商城\n"), http.StatusOK, nil, "Content-Type", "text/csv")
		thief := filedSponsor(t, env, "thief")
		owner := filedSponsor(t, env, "rightful")

		var chk api.DomainCheck
		call(t, env, http.MethodGet, "/v1/domain-checks/old-shop.cn", thief.Token, nil, http.StatusOK, &chk)
		if chk.Status != api.DomainClaimable || chk.SiteID != "" {
			t.Fatalf("the check answers %+v: it must say claimable and name no site ID", chk)
		}
		// Filing the domain anew: refused, still without the ID.
		res := env.Call(t, http.MethodPost, "/v1/sites?dry_run=true", thief.Token, api.SiteWrite{Site: publicSite("old-shop.cn")})
		if p := res.Problem(t); p.Code != api.CodeDomainClaimable || p.SiteID != "" {
			t.Fatalf("dry run: %+v", p)
		}

		// The old number read off the old footer, and guesses: refused, then limited.
		limit := platform.DefaultLimits().ClaimAttempts
		refused, limited := 0, 0
		for i := range 30 {
			res := env.CallUnchecked(t, http.MethodPost, "/v1/claims", thief.Token,
				api.ClaimRequest{Domain: "old-shop.cn", OldRecordNumber: fmt.Sprintf("420111020%05d", 550+i)})
			switch res.Status {
			case http.StatusTooManyRequests:
				limited++
			case http.StatusForbidden:
				if res.Problem(t).Code != api.CodeClaimRefused {
					t.Fatalf("attempt %d: %s", i, res.Body)
				}
				refused++
			default:
				t.Fatalf("attempt %d: %d %s", i, res.Status, res.Body)
			}
		}
		if refused > limit || limited == 0 {
			t.Errorf("%d claim attempts refused, %d rate-limited; want at most %d tried", refused, limited, limit)
		}

		// The thief's own challenge, published on a domain it does not
		// control, is not there; the rightful owner publishes its own.
		var thiefCh, ownerCh api.ClaimChallenge
		call(t, env, http.MethodPost, "/v1/claim-challenges", thief.Token, api.ClaimChallengeRequest{Domain: "old-shop.cn"}, http.StatusOK, &thiefCh)
		call(t, env, http.MethodPost, "/v1/claim-challenges", owner.Token, api.ClaimChallengeRequest{Domain: "old-shop.cn"}, http.StatusOK, &ownerCh)
		if thiefCh.Content == ownerCh.Content || !strings.HasPrefix(ownerCh.Content, "beian-claim=") || ownerCh.URL != "http://old-shop.cn/.well-known/beian-claim.txt" {
			t.Fatalf("challenges %+v %+v", thiefCh, ownerCh)
		}
		env.Publish("old-shop.cn", "# verification\n"+ownerCh.Content+"\n")
		var claimed api.SiteRecord
		call(t, env, http.MethodPost, "/v1/claims", owner.Token, api.ClaimRequest{Domain: "old-shop.cn"}, http.StatusOK, &claimed)
		if claimed.State != "draft" || claimed.OldRecordNumber == "" {
			t.Fatalf("claimed %+v", claimed)
		}
		// Gone for everyone else.
		problem(t, env.Call(t, http.MethodPost, "/v1/claim-challenges", thief.Token, api.ClaimChallengeRequest{Domain: "old-shop.cn"}), api.CodeNotFound)
	})
}

// The server fetches a claimer's domain; it must never reach its own
// network (SSRF): loopback and private addresses are refused.
func TestClaimFetchRefusesNonPublicAddresses(t *testing.T) {
	// Issue 23, finding 4: the ranges the attack run still reached.
	for _, host := range []string{"localhost", "127.0.0.1", "10.0.0.1", "[::1]", "169.254.169.254",
		"100.100.100.200", "198.18.0.1", "240.0.0.1", "[fec0::1]", "[64:ff9b::7f00:1]", "[2002:7f00:1::1]", "[::127.0.0.1]"} {
		_, err := platform.FetchClaimFile(context.Background(), host)
		if !errors.Is(err, netpolicy.ErrNotPublic) {
			t.Errorf("fetch from %s: %v, want a refusal of the address", host, err)
		}
	}
}
