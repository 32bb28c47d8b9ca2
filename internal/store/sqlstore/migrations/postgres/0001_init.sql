-- The filing desk's schema on PostgreSQL. Keep in step with
-- ../sqlite/0001_init.sql: same tables, columns and index names; only the
-- types differ (times are RFC 3339 text in both, see the package comment).
-- Keys, times and area codes use the "C" collation so that ordering and
-- prefix ranges compare bytes, as SQLite does, whatever the database's
-- default collation.

CREATE TABLE accounts (
    id             TEXT COLLATE "C" PRIMARY KEY,
    login          TEXT COLLATE "C" NOT NULL,
    mobile         TEXT COLLATE "C",           -- NULL: none (admins made by `user add`)
    email          TEXT NOT NULL DEFAULT '',
    email_verified BOOLEAN NOT NULL DEFAULT FALSE,
    password_hash  TEXT NOT NULL DEFAULT '',
    role           TEXT NOT NULL,
    area_prefix    TEXT NOT NULL DEFAULT '',
    created_at     TEXT COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX accounts_login_uq ON accounts (login);
CREATE UNIQUE INDEX accounts_mobile_uq ON accounts (mobile);

CREATE TABLE tokens (
    hash       TEXT COLLATE "C" PRIMARY KEY,
    account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX tokens_account_ix ON tokens (account_id);

CREATE TABLE verification_codes (
    channel    TEXT NOT NULL,
    to_addr    TEXT COLLATE "C" NOT NULL,
    purpose    TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (channel, to_addr, purpose)
);

CREATE TABLE subjects (
    account_id    TEXT COLLATE "C" PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    state         TEXT NOT NULL,
    version       INTEGER NOT NULL,
    data          TEXT NOT NULL,               -- JSON filing.Subject
    cert_number   TEXT COLLATE "C",            -- NULL until known
    area_code     TEXT COLLATE "C" NOT NULL DEFAULT '',
    return_reason TEXT NOT NULL DEFAULT '',
    submitted_at  TEXT COLLATE "C",
    approved_at   TEXT,
    created_at    TEXT COLLATE "C" NOT NULL,
    updated_at    TEXT COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX subjects_cert_uq ON subjects (cert_number);
CREATE INDEX subjects_review_ix ON subjects (state, area_code);

CREATE TABLE sites (
    id                TEXT COLLATE "C" PRIMARY KEY,
    account_id        TEXT COLLATE "C" REFERENCES accounts (id) ON DELETE CASCADE, -- NULL: imported, not pushed yet
    state             TEXT NOT NULL,
    version           INTEGER NOT NULL,
    data              TEXT NOT NULL,           -- JSON filing.Site
    area_code         TEXT COLLATE "C" NOT NULL DEFAULT '',
    record_number     TEXT COLLATE "C",        -- NULL until recorded
    old_record_number TEXT NOT NULL DEFAULT '',
    import_cert       TEXT COLLATE "C" NOT NULL DEFAULT '',
    return_reason     TEXT NOT NULL DEFAULT '',
    late              BOOLEAN NOT NULL DEFAULT FALSE,
    submitted_at      TEXT COLLATE "C",
    recorded_at       TEXT,
    created_at        TEXT COLLATE "C" NOT NULL,
    updated_at        TEXT COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX sites_record_number_uq ON sites (record_number);
CREATE INDEX sites_account_ix ON sites (account_id, state, id);
CREATE INDEX sites_review_ix ON sites (state, area_code);
CREATE INDEX sites_import_cert_ix ON sites (import_cert) WHERE import_cert <> '';

-- One row per domain of a site. reserving and live are copies of facts about
-- the site's state, kept in step by CreateSite/UpdateSite in the same
-- transaction, so that the two partial unique indexes can enforce SPEC §3:
-- a submitted domain belongs to one site platform-wide, and within an account
-- to one non-cancelled site.
CREATE TABLE site_domains (
    site_id    TEXT COLLATE "C" NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    pos        INTEGER NOT NULL,               -- 0 = primary
    domain     TEXT COLLATE "C" NOT NULL,      -- normalised A-label
    account_id TEXT COLLATE "C",
    reserving  BOOLEAN NOT NULL,               -- store.Reserving(site state)
    live       BOOLEAN NOT NULL,               -- site state <> cancelled
    PRIMARY KEY (site_id, domain)
);
CREATE UNIQUE INDEX site_domains_live_uq ON site_domains (domain) WHERE reserving;
CREATE UNIQUE INDEX site_domains_account_uq ON site_domains (account_id, domain) WHERE live;
CREATE INDEX site_domains_domain_ix ON site_domains (domain);

-- Record-number sequences: one row per area, advanced inside the approving
-- transaction, so a rollback gives the number back.
CREATE TABLE area_sequences (
    area_code TEXT COLLATE "C" PRIMARY KEY,
    last_seq  INTEGER NOT NULL
);

CREATE TABLE change_requests (
    id         TEXT COLLATE "C" PRIMARY KEY,
    site_id    TEXT COLLATE "C" NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    state      TEXT NOT NULL,
    proposed   TEXT NOT NULL,                  -- JSON filing.Site
    changes    TEXT NOT NULL DEFAULT '',       -- JSON []api.FieldChange
    reason     TEXT NOT NULL DEFAULT '',
    created_at TEXT COLLATE "C" NOT NULL,
    decided_at TEXT
);
CREATE UNIQUE INDEX change_requests_open_uq ON change_requests (site_id) WHERE state = 'open';

CREATE TABLE notifications (
    id         TEXT COLLATE "C" PRIMARY KEY,
    account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    site_id    TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_at TEXT COLLATE "C" NOT NULL,
    read_at    TEXT
);
CREATE INDEX notifications_account_ix ON notifications (account_id, id);
CREATE INDEX notifications_unread_ix ON notifications (account_id, id) WHERE read_at IS NULL;

CREATE TABLE audit_events (
    id          TEXT COLLATE "C" PRIMARY KEY,
    occurred_at TEXT COLLATE "C" NOT NULL,
    actor_id    TEXT NOT NULL,
    actor_role  TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT COLLATE "C" NOT NULL,
    action      TEXT NOT NULL,
    field       TEXT NOT NULL DEFAULT '',
    old_value   TEXT NOT NULL DEFAULT '',
    new_value   TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_entity_ix ON audit_events (entity_id, id);

CREATE TABLE outbox (
    id      TEXT COLLATE "C" PRIMARY KEY,
    channel TEXT NOT NULL,
    to_addr TEXT COLLATE "C" NOT NULL,
    body    TEXT NOT NULL,
    code    TEXT NOT NULL DEFAULT '',
    sent_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX outbox_to_ix ON outbox (to_addr, id);

CREATE TABLE idempotency (
    account_id   TEXT COLLATE "C" NOT NULL,    -- '' for anonymous requests
    idem_key     TEXT COLLATE "C" NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         BYTEA NOT NULL,
    created_at   TEXT COLLATE "C" NOT NULL,
    CONSTRAINT idempotency_pkey PRIMARY KEY (account_id, idem_key)
);
