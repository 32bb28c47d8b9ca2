package servertest

import (
	"context"
	"net/http"
	"strings"
	"sync"
)

// Gate holds requests at the server's door so that a test can act while a
// client is mid-way through a run of requests: kill it with a request in
// flight, say. It passes everything until Hold is called.
type Gate struct {
	mu      sync.Mutex
	suffix  string
	passes  int // requests still let through before holding starts
	holding bool
	open    chan struct{}
	held    int
	heldCh  chan struct{} // signalled when a request is held
}

func newGate() *Gate { return &Gate{heldCh: make(chan struct{}, 1)} }

// Hold lets after more POST requests whose path ends in suffix through,
// then holds every further one until Open. A held request that is let go
// runs even if its client has gone: the server finishing what a killed
// client asked for is the case a resumed client must handle.
func (g *Gate) Hold(suffix string, after int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.suffix, g.passes, g.holding, g.open = suffix, after, true, make(chan struct{})
}

// Open lets every held request go and stops holding.
func (g *Gate) Open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.holding {
		close(g.open)
		g.holding = false
	}
}

// Held says how many requests are waiting at the gate.
func (g *Gate) Held() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.held
}

// WaitHeld waits until a request is held or ctx ends.
func (g *Gate) WaitHeld(ctx context.Context) error {
	for g.Held() == 0 {
		select {
		case <-g.heldCh:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func (g *Gate) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		var wait chan struct{}
		if g.holding && r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, g.suffix) {
			if g.passes > 0 {
				g.passes--
			} else {
				wait = g.open
				g.held++
				select {
				case g.heldCh <- struct{}{}:
				default:
				}
			}
		}
		g.mu.Unlock()
		if wait != nil {
			<-wait
			g.mu.Lock()
			g.held--
			g.mu.Unlock()
			r = r.WithContext(context.WithoutCancel(r.Context()))
		}
		next.ServeHTTP(w, r)
	})
}
