package sms

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/beian-dev/beian/internal/store"
)

// Outbox is the part of the store the log sender needs.
type Outbox interface {
	AddOutbox(ctx context.Context, m *store.OutboxMessage) error
}

// LogSender keeps every message in the store's outbox instead of sending
// it: the sandbox shows them (`beian sandbox outbox`, GET
// /v1/sandbox/outbox) and tests read verification codes from there. The
// log line names the recipient and the channel only — never the body or
// the code, which would let anyone with the logs take over an account.
type LogSender struct {
	outbox Outbox
	logger *slog.Logger
}

// NewLogSender keeps messages in outbox (a store.Store) and logs each one
// to slog.Default().
func NewLogSender(outbox Outbox) *LogSender {
	return &LogSender{outbox: outbox, logger: slog.Default()}
}

// WithLogger makes the sender log to logger instead.
func (s *LogSender) WithLogger(logger *slog.Logger) *LogSender {
	s.logger = logger
	return s
}

// Send stores m in the outbox.
func (s *LogSender) Send(ctx context.Context, m Message) error {
	channel := m.Channel
	if channel == "" {
		channel = "sms"
	}
	rec := &store.OutboxMessage{Channel: channel, To: m.To, Body: m.Body, Code: m.Code}
	if err := s.outbox.AddOutbox(ctx, rec); err != nil {
		return fmt.Errorf("sms: keep message in outbox: %w", err)
	}
	s.logger.InfoContext(ctx, "message kept in outbox (log sender: nothing was sent)",
		slog.String("channel", channel), slog.String("to", maskNumber(m.To)), slog.String("outbox_id", rec.ID))
	return nil
}

// maskNumber keeps the last four characters of a phone number or address,
// enough to tell messages apart in a log without collecting numbers.
func maskNumber(to string) string {
	r := []rune(to)
	if len(r) <= 4 {
		return "****"
	}
	return "****" + string(r[len(r)-4:])
}
