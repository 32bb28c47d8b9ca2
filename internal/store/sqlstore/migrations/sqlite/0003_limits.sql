-- Security limits (docs/security.md) count events per key in a sliding
-- window: codes sent to a number, wrong guesses at its codes, sends and
-- guesses per client address, claim attempts. Every replica shares them,
-- and they survive a restart, so re-issuing a code or hitting another
-- replica does not reset a count. Old events are purged by the sweeper.
CREATE TABLE limit_events (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    lim_key TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX limit_events_key_ix ON limit_events (lim_key, at);
CREATE INDEX limit_events_at_ix ON limit_events (at);
