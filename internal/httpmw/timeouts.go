package httpmw

import (
	"net/http"
	"time"
)

// Timeouts are the http.Server limits beian-server runs with. Why these:
//
//   - ReadHeaderTimeout 5s: slow-loris clients must not hold connections.
//   - ReadTimeout 60s: the largest body is a 10 MiB attachment; at a slow
//     but real 2 Mbit/s that takes ~40s.
//   - WriteTimeout 60s: covers the read above plus the answer; no handler
//     streams, so nothing legitimate runs longer.
//   - IdleTimeout 120s: keep-alive connections of the CLI and of proxies.
//   - Shutdown 25s: in-flight requests get this long to finish after
//     SIGTERM, under the 30s most supervisors wait before SIGKILL.
type Timeouts struct {
	ReadHeader time.Duration
	Read       time.Duration
	Write      time.Duration
	Idle       time.Duration
	Shutdown   time.Duration
}

// DefaultTimeouts are the limits explained on Timeouts.
var DefaultTimeouts = Timeouts{
	ReadHeader: 5 * time.Second,
	Read:       60 * time.Second,
	Write:      60 * time.Second,
	Idle:       120 * time.Second,
	Shutdown:   25 * time.Second,
}

// Apply sets the server's timeouts; zero fields keep the default.
func (t Timeouts) Apply(s *http.Server) {
	pick := func(v, d time.Duration) time.Duration {
		if v > 0 {
			return v
		}
		return d
	}
	s.ReadHeaderTimeout = pick(t.ReadHeader, DefaultTimeouts.ReadHeader)
	s.ReadTimeout = pick(t.Read, DefaultTimeouts.Read)
	s.WriteTimeout = pick(t.Write, DefaultTimeouts.Write)
	s.IdleTimeout = pick(t.Idle, DefaultTimeouts.Idle)
}

// ShutdownGrace is how long Shutdown waits for in-flight requests.
func (t Timeouts) ShutdownGrace() time.Duration {
	if t.Shutdown > 0 {
		return t.Shutdown
	}
	return DefaultTimeouts.Shutdown
}
