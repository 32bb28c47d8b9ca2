// Package sms sends the platform's text messages (verification codes,
// return reasons) through a pluggable Sender: the log sender keeps them in
// the store's outbox (the sandbox, tests), the webhook sender posts them to
// an SMS provider's URL.
package sms

import (
	"context"
	"errors"
)

// Message is one SMS (or, with Channel "email", one email).
type Message struct {
	Channel string // "sms" or "email"
	To      string
	Body    string
	Code    string // the verification code it carries, if any (kept in the outbox for tests)
}

// Sender delivers messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// ErrBlacklisted: the provider refuses the number (FAQ item 12). The
// server answers sms_blacklisted naming its support address.
var ErrBlacklisted = errors.New("sms: number blacklisted by the provider")
