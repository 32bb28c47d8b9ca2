-- Webhooks (issue 14): an account's subscriptions to events, and the
-- outbox of their deliveries. A delivery row is written in the same
-- transaction as the state change it reports, so an event is never lost
-- and never sent for a change that rolled back; the worker sends each
-- webhook's deliveries in seq order, retrying with backoff.
CREATE TABLE webhooks (
    id         TEXT COLLATE "C" PRIMARY KEY,
    account_id TEXT COLLATE "C" NOT NULL,
    url        TEXT COLLATE "C" NOT NULL,
    secret     TEXT COLLATE "C" NOT NULL,
    events     TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX webhooks_account_ix ON webhooks (account_id);

CREATE TABLE webhook_deliveries (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id           TEXT COLLATE "C" NOT NULL UNIQUE,
    webhook_id   TEXT COLLATE "C" NOT NULL,
    account_id   TEXT COLLATE "C" NOT NULL,
    event        TEXT COLLATE "C" NOT NULL,
    payload      TEXT COLLATE "C" NOT NULL,
    state        TEXT COLLATE "C" NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      TEXT COLLATE "C" NOT NULL,
    lease_until  TEXT COLLATE "C",
    last_status  INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_at   TEXT COLLATE "C" NOT NULL,
    delivered_at TEXT COLLATE "C"
);
CREATE INDEX webhook_deliveries_pending_ix ON webhook_deliveries (state, webhook_id, seq);
CREATE INDEX webhook_deliveries_hook_ix ON webhook_deliveries (webhook_id, seq);
