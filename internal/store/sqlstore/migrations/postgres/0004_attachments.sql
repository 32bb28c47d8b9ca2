-- Uploaded approval certificates (issue 9 item 2). A site refers to an
-- attachment by this server-issued opaque ID, looked up here and owned by
-- the account that uploaded it; its type and size are what the server read
-- from the bytes, never what a client says. The bytes are one file per
-- content hash in the attachment directory (sha256 + extension).
CREATE TABLE attachments (
    id           TEXT COLLATE "C" PRIMARY KEY,
    account_id   TEXT COLLATE "C" NOT NULL,
    sha256       TEXT COLLATE "C" NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    created_at   TEXT COLLATE "C" NOT NULL
);
CREATE INDEX attachments_account_ix ON attachments (account_id);
