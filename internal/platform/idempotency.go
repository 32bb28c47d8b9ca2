package platform

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/store"
)

// MaxIdempotencyKey bounds the Idempotency-Key header.
const MaxIdempotencyKey = 255

// IdempotencyTTL is how long a keyed request's first answer is kept; a
// retry after that runs the request again (Sweep deletes the answer).
const IdempotencyTTL = 24 * time.Hour

// Idempotent runs a keyed POST once (SPEC §6). The first answer is stored in
// the same transaction as the effect — a crash leaves both or neither — and
// a retry with the same key and the same request (requestHash: method, path
// and body) gets that answer back without running fn again. The same key
// with another request is idempotency_conflict. An empty key just runs fn.
// fn must do its work through the Desk it is given, which is bound to the
// transaction. Refusals (problems) are not stored: nothing happened, so a
// retry may well succeed later.
func (d *Desk) Idempotent(ctx context.Context, actor Actor, key, requestHash string,
	fn func(desk *Desk) (status int, body any, err error)) (int, []byte, error) {
	if len(key) > MaxIdempotencyKey {
		return 0, nil, fieldProblem(api.FieldError{Field: api.HeaderIdempotencyKey, Code: "too_long", Message: "at most 255 characters"})
	}
	if key == "" {
		status, body, err := fn(d)
		var keep *commitAnyway
		if errors.As(err, &keep) {
			err = keep.err
		}
		if err != nil {
			return 0, nil, d.problem(ctx, actor, err)
		}
		raw, err := json.Marshal(body)
		if err != nil {
			return 0, nil, d.problem(ctx, actor, err)
		}
		return status, raw, nil
	}
	status, raw, err := d.idempotentOnce(ctx, actor, key, requestHash, fn)
	if err == nil {
		return status, raw, nil
	}
	// A concurrent twin with the same key may have committed first, and
	// this attempt failed on its effect (the same domain, say) or on the
	// key itself: the twin's answer is the answer.
	if prev, lerr := d.store.Idempotency(ctx, actor.AccountID, key); lerr == nil {
		if prev.RequestHash != requestHash {
			return 0, nil, api.NewProblem(api.CodeIdempotencyConflict, "this Idempotency-Key was used for a different request")
		}
		return prev.Status, prev.Body, nil
	}
	return 0, nil, d.problem(ctx, actor, err)
}

func (d *Desk) idempotentOnce(ctx context.Context, actor Actor, key, requestHash string,
	fn func(desk *Desk) (int, any, error)) (status int, raw []byte, err error) {
	var replay bool
	var bound *Desk
	var refusal error
	err = d.store.InTx(ctx, func(tx store.Store) error {
		status, raw, replay, refusal = 0, nil, false, nil
		prev, err := tx.Idempotency(ctx, actor.AccountID, key)
		if err == nil {
			if prev.RequestHash != requestHash {
				return api.NewProblem(api.CodeIdempotencyConflict, "this Idempotency-Key was used for a different request")
			}
			status, raw, replay = prev.Status, prev.Body, true
			return nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		bound = d.bind(tx)
		st, body, err := fn(bound)
		var keep *commitAnyway
		if errors.As(err, &keep) {
			refusal = keep.err
			return nil // keep the bookkeeping (a wrong code counted), store no answer
		}
		if err != nil {
			return err
		}
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		status, raw = st, b
		return tx.PutIdempotency(ctx, store.Idempotency{AccountID: actor.AccountID, Key: key, RequestHash: requestHash,
			Status: st, Body: b, CreatedAt: d.now()})
	})
	if err == nil && refusal != nil {
		return 0, nil, refusal
	}
	if err == nil && bound != nil && !replay {
		bound.unit.flush(ctx)
	}
	return status, raw, err
}
