package cli

import (
	"context"
	"sync"

	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/sandbox"
)

// sandboxes remembers the sandboxes a run opened, to close them at its end.
type sandboxes struct {
	mu   sync.Mutex
	open []cmdutil.Sandbox
}

// opener opens the in-process sandbox under $XDG_DATA_HOME/beian.
func (s *sandboxes) opener(ctx context.Context) func(f *cmdutil.Factory) (cmdutil.Sandbox, error) {
	return func(f *cmdutil.Factory) (cmdutil.Sandbox, error) {
		sb, err := sandbox.Open(ctx, sandbox.Options{
			Dir:    sandbox.DataDir(f.Getenv),
			OnOpen: func() { f.Probes.DatabaseOpens.Add(1) },
		})
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		s.open = append(s.open, sb)
		s.mu.Unlock()
		return sb, nil
	}
}

func (s *sandboxes) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sb := range s.open {
		sb.Close()
	}
	s.open = nil
}
