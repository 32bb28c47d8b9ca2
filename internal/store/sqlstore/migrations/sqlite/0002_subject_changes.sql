-- A key amendment of an approved hosting subject waits for review like a
-- site's (SPEC §3 "Amendments"): the proposed subject is kept here while
-- the subjects row keeps the approved values. One open request per subject.
CREATE TABLE subject_change_requests (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES subjects (account_id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    state      TEXT NOT NULL,
    proposed   TEXT NOT NULL,                  -- JSON filing.Subject
    changes    TEXT NOT NULL DEFAULT '',       -- JSON []api.FieldChange
    reason     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    decided_at TEXT
);
CREATE UNIQUE INDEX subject_change_requests_open_uq ON subject_change_requests (account_id) WHERE state = 'open';
