// Package metrics is beian-server's Prometheus registry: requests by route
// and status, their durations, the review queue, the Go runtime. It lives
// apart from internal/httpmw so that beian, whose sandbox runs the same
// middleware, does not link Prometheus.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/beian-dev/beian/internal/store"
)

// Metrics counts requests for Prometheus on a registry of its own (never
// the global one, so that tests and several servers in one process do not
// collide):
//
//	beian_http_requests_total{route, status}
//	beian_http_request_duration_seconds{route}      histogram
//	beian_review_queue_length                       filings waiting for review
//	beian_sites{state, province}                    filings by state and province (AddSiteCounts)
//
// plus the Go runtime and process collectors. The route label is the mux
// pattern ("GET /v1/sites/{id}"), never the raw path, so its cardinality is
// the size of routes.go.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// QueueLength reports how many filings wait for review (store.QueueLength).
type QueueLength func(ctx context.Context) (int, error)

// queueTimeout bounds the queue-length query a scrape triggers.
const queueTimeout = 2 * time.Second

// NewMetrics builds the registry. queue may be nil (no gauge).
func NewMetrics(queue QueueLength) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "beian_http_requests_total",
			Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "beian_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route"}),
	}
	m.reg.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	if queue != nil {
		m.reg.MustRegister(queueCollector{queue: queue, desc: prometheus.NewDesc(
			"beian_review_queue_length", "Subjects, sites, changes and cancellations waiting for review.", nil, nil)})
	}
	return m
}

// SiteCounts reports the filings by state and province (store.SiteCounts).
type SiteCounts func(ctx context.Context) ([]store.SiteCount, error)

// AddSiteCounts adds the gauge beian_sites{state, province}: the filings by
// state and province (two digits of GB/T 2260, so at most 34 × the states),
// read from the store at scrape time.
func (m *Metrics) AddSiteCounts(fn SiteCounts) {
	m.reg.MustRegister(siteCollector{fn: fn, desc: prometheus.NewDesc(
		"beian_sites", "Site filings by state and province (GB/T 2260 two-digit code).", []string{"state", "province"}, nil)})
}

type siteCollector struct {
	fn   SiteCounts
	desc *prometheus.Desc
}

func (c siteCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c siteCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), queueTimeout)
	defer cancel()
	counts, err := c.fn(ctx)
	if err != nil {
		return // left out, not 0: see queueCollector
	}
	for _, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n.N), n.State, n.Province)
	}
}

// Registry is the registry behind Handler, for callers adding collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus exposition format
// (GET /metrics).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Observe counts and times one request: give it to httpmw.Options.Observe
// (or httpmw.Observe) so that it hears of every request.
func (m *Metrics) Observe(route string, status int, elapsed time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(elapsed.Seconds())
}

// queueCollector asks the store at scrape time. When the store does not
// answer, the gauge is left out of that scrape rather than reported as 0:
// an empty queue and an unknown one must look different on a dashboard.
type queueCollector struct {
	queue QueueLength
	desc  *prometheus.Desc
}

func (c queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), queueTimeout)
	defer cancel()
	n, err := c.queue(ctx)
	if err != nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n))
}
