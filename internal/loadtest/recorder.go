// Package loadtest measures beian-server against the limits of the machine
// it runs on: a closed-loop load generator (N connections, each sending its
// next request when the last one is answered) with a chosen mix of
// operations, a latency recorder with exact percentiles, the server as a
// subprocess whose peak memory is read from /proc, and the baselines every
// figure is divided by — a bare net/http handler, a bare insert loop on the
// same database settings, and whole-process timings of small commands.
//
// Load goes only to loopback addresses, and every loop is bounded both in
// requests and in time and stops by itself.
package loadtest

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// Recorder keeps every latency of one worker, by operation. A worker owns
// its Recorder (no locks on the hot path); Merge combines them at the end.
// Keeping every sample rather than a histogram makes the percentiles exact;
// a run is bounded in requests, so memory is too (8 bytes a request).
type Recorder struct {
	ops map[string]*opSamples
}

type opSamples struct {
	lat      []time.Duration
	errors   int
	statuses map[int]int
	// firstErr is kept to explain a failing run.
	firstErr string
}

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder { return &Recorder{ops: map[string]*opSamples{}} }

func (r *Recorder) op(name string) *opSamples {
	o := r.ops[name]
	if o == nil {
		o = &opSamples{statuses: map[int]int{}}
		r.ops[name] = o
	}
	return o
}

// Record adds one request of op: how long it took, the HTTP status (0 when
// there was none) and whether it failed. A failed request's latency counts
// too: a fast failure must not make the server look fast, and a slow one
// must show.
func (r *Recorder) Record(op string, d time.Duration, status int, err error) {
	o := r.op(op)
	o.lat = append(o.lat, d)
	o.statuses[status]++
	if err != nil {
		o.errors++
		if o.firstErr == "" {
			o.firstErr = err.Error()
		}
	}
}

// Merge adds everything other recorded.
func (r *Recorder) Merge(other *Recorder) {
	for name, o := range other.ops {
		m := r.op(name)
		m.lat = append(m.lat, o.lat...)
		m.errors += o.errors
		for s, n := range o.statuses {
			m.statuses[s] += n
		}
		if m.firstErr == "" {
			m.firstErr = o.firstErr
		}
	}
}

// Summary is what a run of one operation came to.
type Summary struct {
	Op         string         `json:"op"`
	Requests   int            `json:"requests"`
	Errors     int            `json:"errors"`
	Throughput float64        `json:"throughput"` // requests per second of the run's duration
	P50        time.Duration  `json:"p50_ns"`
	P99        time.Duration  `json:"p99_ns"`
	Max        time.Duration  `json:"max_ns"`
	Statuses   map[int]int    `json:"statuses"`
	FirstError string         `json:"first_error,omitempty"`
	Extra      map[string]any `json:"extra,omitempty"`
}

func (s Summary) String() string {
	return fmt.Sprintf("%-10s %8d req %6d err %10.1f req/s  p50 %-9s p99 %-9s max %s",
		s.Op, s.Requests, s.Errors, s.Throughput, round(s.P50), round(s.P99), round(s.Max))
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

// Summaries returns one Summary per operation, by name, and "all" for the
// whole mix first, with throughput over elapsed.
func (r *Recorder) Summaries(elapsed time.Duration) []Summary {
	names := make([]string, 0, len(r.ops))
	for n := range r.ops {
		names = append(names, n)
	}
	sort.Strings(names)
	all := &opSamples{statuses: map[int]int{}}
	out := []Summary{}
	for _, n := range names {
		o := r.ops[n]
		out = append(out, summarize(n, o, elapsed))
		all.lat = append(all.lat, o.lat...)
		all.errors += o.errors
		for s, k := range o.statuses {
			all.statuses[s] += k
		}
		if all.firstErr == "" {
			all.firstErr = o.firstErr
		}
	}
	if len(names) > 1 {
		out = append([]Summary{summarize("all", all, elapsed)}, out...)
	}
	return out
}

func summarize(name string, o *opSamples, elapsed time.Duration) Summary {
	s := Summary{Op: name, Requests: len(o.lat), Errors: o.errors, Statuses: o.statuses, FirstError: o.firstErr}
	if elapsed > 0 {
		s.Throughput = float64(len(o.lat)) / elapsed.Seconds()
	}
	if len(o.lat) == 0 {
		return s
	}
	lat := slices.Clone(o.lat)
	slices.Sort(lat)
	s.P50 = Percentile(lat, 50)
	s.P99 = Percentile(lat, 99)
	s.Max = lat[len(lat)-1]
	return s
}

// Percentile is the nearest-rank percentile p (0 < p ≤ 100) of sorted
// samples: the smallest sample with at least p% of the samples at or
// below it. Zero for no samples.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(float64(len(sorted))*p/100 + 0.999999999)
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// Median is the middle of a list of figures (the mean of the two middle
// ones for an even count); the figures are not changed.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
