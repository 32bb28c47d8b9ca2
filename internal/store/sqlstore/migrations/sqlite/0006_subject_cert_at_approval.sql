-- Certificate squatting (issue 9 item 5): a draft must not reserve a
-- certificate number, as drafts do not reserve domains (SPEC §3). Only an
-- approved subject holds its number; competing subjects may be drafted and
-- submitted, the reviewer sees them side by side, and the second approval
-- is refused (subject_taken).
DROP INDEX subjects_cert_uq;
CREATE UNIQUE INDEX subjects_cert_uq ON subjects (cert_number) WHERE state IN ('approved', 'change_under_review');
