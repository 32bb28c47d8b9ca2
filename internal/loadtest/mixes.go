package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/datagen"
)

// Names of the operations of the Filing API mixes.
const (
	OpCheck   = "check"   // GET /v1/domain-checks/{domain}
	OpBatch   = "batch"   // POST /v1/domain-checks with BatchSize domains
	OpStatus  = "status"  // GET /v1/sites/{id} by its owner
	OpSubmit  = "submit"  // POST /v1/sites/{id}/submit of a generated draft
	OpApprove = "approve" // POST /v1/review/sites/{id}/approve by the admin
	OpBare    = "bare"    // GET / of the bare handler baseline
)

// BatchSize is the number of domains in a batch check: the API's maximum.
const BatchSize = api.MaxBatchCheck

// Target is a beian-server whose database was filled by datagen with Plan:
// the ops pick real site IDs, domains and tokens from it.
type Target struct {
	URL  string
	Plan *datagen.Plan

	// FreshShare is the share (0–100) of checked domains nobody holds;
	// the rest are generated sites' domains. Default 50.
	FreshShare int

	nextDraft  atomic.Int64
	nextReview atomic.Int64
	fresh      atomic.Int64
	// submitted are sites this run submitted, for approvals once the
	// generated queue is used up.
	mu        sync.Mutex
	submitted []string
	idem      atomic.Int64
}

// NewTarget returns the target at url over plan.
func NewTarget(url string, plan *datagen.Plan) *Target {
	return &Target{URL: strings.TrimSuffix(url, "/"), Plan: plan, FreshShare: 50}
}

// Mix returns the ops with the given weights, by name: check, batch,
// status, submit, approve.
func (t *Target) Mix(weights map[string]int) ([]Op, error) {
	all := map[string]func(context.Context, *Worker) (int, error){
		OpCheck: t.check, OpBatch: t.batch, OpStatus: t.status, OpSubmit: t.submit, OpApprove: t.approve,
	}
	var ops []Op
	for name, w := range weights {
		fn, ok := all[name]
		if !ok {
			return nil, fmt.Errorf("loadtest: unknown op %q (want check, batch, status, submit, approve)", name)
		}
		ops = append(ops, Op{Name: name, Weight: w, Do: fn})
	}
	return ops, nil
}

// ParseMix reads "check=4,status=4,submit=1" into weights.
func ParseMix(s string) (map[string]int, error) {
	out := map[string]int{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, w, ok := strings.Cut(part, "=")
		n := 1
		if ok {
			var err error
			if n, err = strconv.Atoi(w); err != nil || n < 0 {
				return nil, fmt.Errorf("loadtest: bad weight in %q", part)
			}
		}
		out[strings.TrimSpace(name)] = n
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("loadtest: empty mix %q", s)
	}
	return out, nil
}

// domain picks a domain to check: a generated site's or a fresh one.
func (t *Target) domain(w *Worker) string {
	if w.Rand.IntN(100) < t.FreshShare {
		return t.Plan.FreshDomain(int(t.fresh.Add(1)))
	}
	lo, hi := t.Plan.Range(datagen.Recorded)
	if hi == lo {
		return t.Plan.FreshDomain(int(t.fresh.Add(1)))
	}
	return t.Plan.Domain(lo + w.Rand.IntN(hi-lo))
}

// token is the bearer token of a random sponsor.
func (t *Target) token(w *Worker) string {
	return t.Plan.Token(w.Rand.IntN(t.Plan.Accounts()))
}

func (t *Target) check(ctx context.Context, w *Worker) (int, error) {
	return t.do(ctx, w, "GET", "/v1/domain-checks/"+t.domain(w), t.token(w), nil, http.StatusOK, nil)
}

func (t *Target) batch(ctx context.Context, w *Worker) (int, error) {
	req := api.DomainCheckRequest{Domains: make([]string, BatchSize)}
	for i := range req.Domains {
		req.Domains[i] = t.domain(w)
	}
	// The answer is counted rather than decoded: decoding 1,000 results
	// would make the load generator, which shares the machine, the
	// bottleneck of the measurement.
	var raw rawBody
	status, err := t.do(ctx, w, "POST", "/v1/domain-checks", t.token(w), req, http.StatusOK, &raw)
	if n := bytes.Count(raw, []byte(`"status":`)); err == nil && n != BatchSize {
		err = fmt.Errorf("batch check answered %d results for %d domains", n, BatchSize)
	}
	return status, err
}

func (t *Target) status(ctx context.Context, w *Worker) (int, error) {
	lo, hi := t.Plan.Range(datagen.Recorded)
	if hi == lo {
		return 0, ErrExhausted
	}
	i := lo + w.Rand.IntN(hi-lo)
	return t.do(ctx, w, "GET", "/v1/sites/"+t.Plan.SiteID(i), t.Plan.Token(t.Plan.AccountOf(i)), nil, http.StatusOK, nil)
}

// submit sends the next generated draft for review, with an
// Idempotency-Key as the client does.
func (t *Target) submit(ctx context.Context, w *Worker) (int, error) {
	lo, hi := t.Plan.Range(datagen.Draft)
	i := lo + int(t.nextDraft.Add(1)) - 1
	if i >= hi {
		return 0, ErrExhausted
	}
	id := t.Plan.SiteID(i)
	status, err := t.do(ctx, w, "POST", "/v1/sites/"+id+"/submit", t.Plan.Token(t.Plan.AccountOf(i)), nil, http.StatusOK, nil,
		api.HeaderIdempotencyKey, "load-submit-"+strconv.FormatInt(t.idem.Add(1), 10)+"-"+id)
	if err == nil {
		t.mu.Lock()
		t.submitted = append(t.submitted, id)
		t.mu.Unlock()
	}
	return status, err
}

// approve decides the next site under review: generated ones first, then
// those this run submitted.
func (t *Target) approve(ctx context.Context, w *Worker) (int, error) {
	lo, hi := t.Plan.Range(datagen.UnderReview)
	var id string
	if i := lo + int(t.nextReview.Add(1)) - 1; i < hi {
		id = t.Plan.SiteID(i)
	} else {
		t.mu.Lock()
		if n := len(t.submitted); n > 0 {
			id, t.submitted = t.submitted[n-1], t.submitted[:n-1]
		}
		t.mu.Unlock()
		if id == "" {
			return 0, ErrExhausted
		}
	}
	return t.do(ctx, w, "POST", "/v1/review/sites/"+id+"/approve", t.Plan.AdminToken(), nil, http.StatusOK, nil)
}

// do sends one request and reads the whole answer; an answer other than
// want is an error carrying the problem's code.
func (t *Target) do(ctx context.Context, w *Worker, method, path, token string, body any, want int, out any, header ...string) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, t.URL+path, rd)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return Send(w.Client, req, want, out)
}

// rawBody, given to Send as out, receives the body undecoded.
type rawBody []byte

// Send sends req, reads the answer in full (so the connection is reused),
// and returns an error unless the status is want. out, if not nil,
// receives the JSON body.
func Send(c *http.Client, req *http.Request, want int, out any) (int, error) {
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode != want {
		var p api.Problem
		if json.Unmarshal(b, &p) == nil && p.Code != "" {
			return resp.StatusCode, fmt.Errorf("%s %s: %d %s: %s", req.Method, req.URL.Path, resp.StatusCode, p.Code, p.Detail)
		}
		return resp.StatusCode, fmt.Errorf("%s %s: %d: %.200s", req.Method, req.URL.Path, resp.StatusCode, b)
	}
	if rb, ok := out.(*rawBody); ok {
		*rb = b
		return resp.StatusCode, nil
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: decode: %w", req.Method, req.URL.Path, err)
		}
	}
	return resp.StatusCode, nil
}

// BodySize fetches path once and returns the size of its body: the bare
// handler baseline answers a body of the same size.
func (t *Target) BodySize(ctx context.Context, c *http.Client, path, token string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", t.URL+path, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	var raw json.RawMessage
	if _, err := Send(c, req, http.StatusOK, &raw); err != nil {
		return 0, err
	}
	return len(raw), nil
}
