package loadtest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Op is one kind of request in a mix.
type Op struct {
	Name   string
	Weight int // relative share of the mix; ≤ 0 leaves the op out
	// Do sends one request and says how it went: the HTTP status and an
	// error when the answer was not the expected one. ErrExhausted stops
	// the worker (the op has nothing left to do, e.g. no drafts left).
	Do func(ctx context.Context, w *Worker) (status int, err error)
}

// ErrExhausted from Op.Do means the op ran out of work; the run ends early
// for that worker and the request is not counted.
var ErrExhausted = errors.New("loadtest: nothing left to do")

// Config is one run: how many connections, which mix, and its bounds.
type Config struct {
	Conns int // concurrent clients, each with its own keep-alive connection
	Ops   []Op
	// Duration and MaxRequests bound the run; it stops at the first of
	// them. Both must be set: no run is unbounded.
	Duration    time.Duration
	MaxRequests int
	// Warmup runs the same mix this long first, unrecorded: connections
	// opened, caches and the Go heap warmed.
	Warmup time.Duration
	// Timeout bounds one request (default 30s).
	Timeout time.Duration
	Seed    uint64
}

// Result is what a run measured.
type Result struct {
	Conns    int           `json:"conns"`
	Elapsed  time.Duration `json:"elapsed_ns"`
	Requests int           `json:"requests"`
	Ops      []Summary     `json:"ops"` // "all" first when the mix has several ops
}

// Op returns the summary of one operation ("all" for the mix).
func (r Result) Op(name string) (Summary, bool) {
	for _, s := range r.Ops {
		if s.Op == name {
			return s, true
		}
	}
	if len(r.Ops) == 1 && name == "all" {
		return r.Ops[0], true
	}
	return Summary{}, false
}

// Worker is one client of a run. Op functions use its HTTP client and its
// random source, never shared with other workers.
type Worker struct {
	ID     int
	Client *http.Client
	Rand   *rand.Rand
}

// NewClient returns an HTTP client for conns concurrent connections to one
// loopback host; it refuses to dial anything but a loopback address.
func NewClient(conns int, timeout time.Duration) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if err := CheckLoopback(addr); err != nil {
				return nil, err
			}
			return d.DialContext(ctx, network, addr)
		},
		MaxIdleConns:        conns * 2,
		MaxIdleConnsPerHost: conns * 2,
		MaxConnsPerHost:     0,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	return &http.Client{Transport: tr, Timeout: timeout}
}

// CheckLoopback refuses any address outside 127.0.0.0/8 and ::1: load is
// only ever sent to this machine.
func CheckLoopback(hostport string) error {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("loadtest: refusing to send load to %q: only loopback addresses are allowed", hostport)
	}
	return nil
}

// CheckLoopbackURL is CheckLoopback for a base URL.
func CheckLoopbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	return CheckLoopback(u.Host)
}

// Run drives the mix with cfg.Conns closed-loop workers until cfg.Duration
// has passed or cfg.MaxRequests requests were sent, and reports it.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if cfg.Conns <= 0 {
		return Result{}, errors.New("loadtest: Conns must be positive")
	}
	if cfg.Duration <= 0 || cfg.MaxRequests <= 0 {
		return Result{}, errors.New("loadtest: a run needs both a Duration and a MaxRequests bound")
	}
	var ops []Op
	total := 0
	for _, o := range cfg.Ops {
		if o.Weight > 0 {
			ops = append(ops, o)
			total += o.Weight
		}
	}
	if len(ops) == 0 {
		return Result{}, errors.New("loadtest: the mix is empty")
	}
	client := NewClient(cfg.Conns, cfg.Timeout)
	defer client.CloseIdleConnections()

	pick := func(r *rand.Rand) Op {
		n := r.IntN(total)
		for _, o := range ops {
			if n < o.Weight {
				return o
			}
			n -= o.Weight
		}
		return ops[len(ops)-1]
	}

	phase := func(d time.Duration, limit int, record bool) (*Recorder, time.Duration) {
		pctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		var sent atomic.Int64
		recs := make([]*Recorder, cfg.Conns)
		var wg sync.WaitGroup
		start := time.Now()
		for i := range cfg.Conns {
			recs[i] = NewRecorder()
			w := &Worker{ID: i, Client: client, Rand: rand.New(rand.NewPCG(cfg.Seed, uint64(i)+1))}
			wg.Go(func() {
				for pctx.Err() == nil && sent.Add(1) <= int64(limit) {
					op := pick(w.Rand)
					t := time.Now()
					status, err := op.Do(pctx, w)
					el := time.Since(t)
					if errors.Is(err, ErrExhausted) {
						return
					}
					if pctx.Err() != nil && err != nil {
						return // cut off by the end of the run: not the server's failure
					}
					if record {
						recs[i].Record(op.Name, el, status, err)
					}
				}
			})
		}
		wg.Wait()
		elapsed := time.Since(start)
		all := NewRecorder()
		for _, r := range recs {
			all.Merge(r)
		}
		return all, elapsed
	}

	if cfg.Warmup > 0 {
		phase(cfg.Warmup, cfg.MaxRequests, false)
	}
	rec, elapsed := phase(cfg.Duration, cfg.MaxRequests, true)
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	res := Result{Conns: cfg.Conns, Elapsed: elapsed, Ops: rec.Summaries(elapsed)}
	for _, s := range res.Ops {
		if s.Op != "all" {
			res.Requests += s.Requests
		}
	}
	return res, nil
}
