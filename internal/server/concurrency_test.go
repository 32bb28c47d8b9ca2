package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/recordno"
	"github.com/beian-dev/beian/internal/server/servertest"
)

// replicas starts two servers on one database, as two beian-server
// processes behind a load balancer would run — on PostgreSQL, the
// database for several replicas (docs/operations.md). On SQLite, a
// single-node database, both entries are the one server.
func replicas(t *testing.T, start func(t *testing.T, opts ...servertest.Option) *servertest.Env) [2]*servertest.Env {
	a := start(t)
	if strings.HasPrefix(a.DSN, "sqlite:") {
		return [2]*servertest.Env{a, a}
	}
	b := servertest.Start(t, servertest.DSN(a.DSN))
	return [2]*servertest.Env{a, b}
}

type answer struct {
	status int
	body   []byte
}

// TestFiftySubmitTheSameDomain: submission reserves through the unique
// index, so exactly one of fifty simultaneous submissions wins.
func TestFiftySubmitTheSameDomain(t *testing.T) {
	dialects(t, func(t *testing.T, start func(t *testing.T, opts ...servertest.Option) *servertest.Env) {
		envs := replicas(t, start)
		const n = 50
		t0 := time.Now()
		tokens := make([]string, n)
		sites := make([]string, n)
		// The setup goes straight to the desk; the race below goes over HTTP.
		ctx := context.Background()
		desk := envs[0].Desk
		for i := range n {
			token, actor := deskSponsor(t, envs[0], fmt.Sprintf("racer%02d", i))
			must(desk.PutSubject(ctx, actor, 0, api.SubjectWrite{Subject: uniqueSubject(t)}))(t)
			must(desk.SubmitSubject(ctx, actor))(t)
			tokens[i] = token
			sites[i] = must(desk.CreateSite(ctx, actor, api.SiteWrite{Site: publicSite("contested.cn")}, false))(t).ID
		}
		t.Logf("setup done %v", time.Since(t0))
		answers := make([]answer, n)
		var wg sync.WaitGroup
		gate := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-gate
				res := envs[i%2].Call(t, http.MethodPost, "/v1/sites/"+sites[i]+"/submit", tokens[i], nil)
				answers[i] = answer{res.Status, res.Body}
			}()
		}
		close(gate)
		wg.Wait()
		t.Logf("submissions done %v", time.Since(t0))
		won, taken := 0, 0
		for _, a := range answers {
			switch a.status {
			case http.StatusOK:
				won++
			case http.StatusConflict:
				var p api.Problem
				if err := json.Unmarshal(a.body, &p); err != nil || p.Code != api.CodeDomainTaken {
					t.Errorf("409 is not domain_taken: %s", a.body)
				}
				taken++
			default:
				t.Errorf("unexpected answer %d: %s", a.status, a.body)
			}
		}
		if won != 1 || taken != n-1 {
			t.Fatalf("%d accepted and %d domain_taken, want 1 and %d", won, taken, n-1)
		}
	})
}

// TestTwoHundredApprovalsInOneArea: record numbers are allocated inside the
// approving transactions, so concurrent approvals (on two servers) get
// distinct, consecutive sequence numbers.
func TestTwoHundredApprovalsInOneArea(t *testing.T) {
	dialects(t, func(t *testing.T, start func(t *testing.T, opts ...servertest.Option) *servertest.Env) {
		envs := replicas(t, start)
		env := envs[0]
		ctx := context.Background()
		t0 := time.Now()
		reviewer := env.CreateReviewer(t, "hongshan", "420111")
		const n = 200
		const perSponsor = 50
		var ids []string
		for s := range n / perSponsor {
			_, actor := deskSponsor(t, env, fmt.Sprintf("batch%d", s))
			must(env.Desk.PutSubject(ctx, actor, 0, api.SubjectWrite{Subject: uniqueSubject(t)}))(t)
			must(env.Desk.SubmitSubject(ctx, actor))(t)
			must(env.Desk.ApproveSubject(ctx, platform.System, actor.AccountID))(t)
			// The setup goes straight to the desk; the approvals below go over HTTP.
			for i := range perSponsor {
				rec, err := env.Desk.CreateSite(ctx, actor, api.SiteWrite{Site: publicSite(fmt.Sprintf("bulk%d-%d.cn", s, i))}, false)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := env.Desk.SubmitSite(ctx, actor, rec.ID); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, rec.ID)
			}
		}
		t.Logf("setup done %v", time.Since(t0))
		answers := make([]answer, n)
		var wg sync.WaitGroup
		gate := make(chan struct{})
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-gate
				answers[i] = approveRetrying(t, envs[i%2], id, reviewer.Token)
			}()
		}
		close(gate)
		wg.Wait()
		t.Logf("approvals done %v", time.Since(t0))
		seen := map[string]bool{}
		var seqs []int
		for _, a := range answers {
			if a.status != http.StatusOK {
				t.Fatalf("approval answered %d: %s", a.status, a.body)
			}
			var rec api.SiteRecord
			if err := json.Unmarshal(a.body, &rec); err != nil {
				t.Fatal(err)
			}
			if seen[rec.RecordNumber] {
				t.Fatalf("record number %s issued twice", rec.RecordNumber)
			}
			seen[rec.RecordNumber] = true
			num, _, err := recordno.Parse(rec.RecordNumber)
			if err != nil || num.AreaCode() != "420111" {
				t.Fatalf("record number %q: %v", rec.RecordNumber, err)
			}
			seqs = append(seqs, num.Sequence())
		}
		sort.Ints(seqs)
		for i, s := range seqs {
			if s != i+1 {
				t.Fatalf("sequence numbers are not 1..%d without gaps: position %d holds %d", n, i, s)
			}
		}
	})
}

// approveRetrying approves as a client does: an answer 503 unavailable (a
// SQLite writer that waited out its busy timeout under -race) rolled back
// everything, sequence included, and says to retry.
func approveRetrying(t *testing.T, env *servertest.Env, id, token string) answer {
	var res *servertest.Response
	for range 5 {
		res = env.Call(t, http.MethodPost, "/v1/review/sites/"+id+"/approve", token, nil)
		if res.Status != http.StatusServiceUnavailable {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return answer{res.Status, res.Body}
}

var deskMobiles atomic.Int64

// deskSponsor registers and signs in a sponsor through the desk itself,
// for setups too large to pay HTTP and contract checks on every step.
func deskSponsor(t *testing.T, env *servertest.Env, login string) (string, platform.Actor) {
	t.Helper()
	ctx := context.Background()
	mobile := fmt.Sprintf("1341%07d", deskMobiles.Add(1))
	must(struct{}{}, env.Desk.SendSMSCode(ctx, platform.Actor{}, api.SMSCodeRequest{Mobile: mobile, Purpose: api.SMSRegister}))(t)
	must(env.Desk.Register(ctx, platform.Actor{}, api.RegisterRequest{Login: login, Mobile: mobile, SMSCode: env.SMSCode(t, mobile),
		Password: servertest.Password, Email: login + "@example.com"}))(t)
	sess := must(env.Desk.Login(ctx, platform.Actor{Addr: "127.0.0.1"}, api.LoginRequest{Login: login, Password: servertest.Password}))(t)
	return sess.Token, must(env.Desk.Authenticate(ctx, sess.Token))(t)
}
