-- Logins are unique case-insensitively (issue 23, finding 2): "UFFQMUAAD"
-- beside "uffqmuaad" let an attacker earn the sign-in limiter's trust for a
-- name that folds to the victim's. login_fold is the folded login (logins
-- are ASCII, so lower() is the folding); a sign-in looks it up.
--
-- Accounts that already collide keep working: the oldest of each group gets
-- the folded key, the later ones keep NULL (a unique index ignores NULLs) and
-- sign in by their exact login only. `beian-server admin` lists them as
-- login_collisions in the migration's log (see docs/security.md).
ALTER TABLE accounts ADD COLUMN login_fold TEXT;
UPDATE accounts SET login_fold = lower(login)
WHERE NOT EXISTS (
    SELECT 1 FROM accounts b
    WHERE lower(b.login) = lower(accounts.login)
      AND (b.created_at < accounts.created_at OR (b.created_at = accounts.created_at AND b.id < accounts.id))
);
CREATE UNIQUE INDEX accounts_login_fold_uq ON accounts (login_fold);
