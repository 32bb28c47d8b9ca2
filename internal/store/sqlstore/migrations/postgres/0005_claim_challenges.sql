-- Proof of control for claiming an earlier filing (issue 9 item 3,
-- docs/claims.md): a random token per (filing, claiming account), to be
-- published at http://DOMAIN/.well-known/beian-claim.txt. The old record
-- number is no proof: it is printed in the old site's own footer.
CREATE TABLE claim_challenges (
    site_id    TEXT COLLATE "C" NOT NULL,
    account_id TEXT COLLATE "C" NOT NULL,
    token      TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (site_id, account_id)
);
