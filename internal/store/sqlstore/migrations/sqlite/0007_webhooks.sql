-- Webhooks (issue 14): an account's subscriptions to events, and the
-- outbox of their deliveries. A delivery row is written in the same
-- transaction as the state change it reports, so an event is never lost
-- and never sent for a change that rolled back; the worker sends each
-- webhook's deliveries in seq order, retrying with backoff.
CREATE TABLE webhooks (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    events     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX webhooks_account_ix ON webhooks (account_id);

CREATE TABLE webhook_deliveries (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    webhook_id   TEXT NOT NULL,
    account_id   TEXT NOT NULL,
    event        TEXT NOT NULL,
    payload      TEXT NOT NULL,
    state        TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      TEXT NOT NULL,
    lease_until  TEXT,
    last_status  INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    delivered_at TEXT
);
CREATE INDEX webhook_deliveries_pending_ix ON webhook_deliveries (state, webhook_id, seq);
CREATE INDEX webhook_deliveries_hook_ix ON webhook_deliveries (webhook_id, seq);
