-- m0012_customer: portal links (one used), a portal session, surveys (one answered), MG-2's
-- follow-up date, and the held message reviewed.
INSERT INTO portal_links (token_hash, contact_id, problem_id, created_by, created_at, expires_at, used_at, revoked_at)
VALUES ('b0b0b0b0000000000000000000000000000000000000000000000000000000c1', 1, 1, 3, '2026-11-07T09:30:00+00:00', '2026-11-10T09:30:00+00:00', '2026-11-07T10:00:00+00:00', NULL);
INSERT INTO portal_links (token_hash, contact_id, problem_id, created_by, created_at, expires_at, used_at, revoked_at)
VALUES ('b0b0b0b0000000000000000000000000000000000000000000000000000000c2', 2, NULL, NULL, '2026-11-08T09:30:00+00:00', '2026-11-11T09:30:00+00:00', NULL, '2026-11-08T12:00:00+00:00');
INSERT INTO portal_sessions (token_hash, contact_id, csrf_token, created_at, expires_at)
VALUES ('b0b0b0b0000000000000000000000000000000000000000000000000000000d1', 1, 'csrf-portal-0012', '2026-11-07T10:00:00+00:00', '2026-12-31T10:00:00+00:00');
INSERT INTO surveys (problem_id, contact_id, sent_at, answered_at, rating, recommend, comment, sentiment)
VALUES (2, 2, '2026-11-06T15:10:00+00:00', '2026-11-07T08:00:00+00:00', 4, 8, 'Fixed the same day, and you told us straight away.', 650);
INSERT INTO surveys (problem_id, contact_id, sent_at, answered_at, rating, recommend, comment, sentiment)
VALUES (2, 3, '2026-11-06T15:10:00+00:00', NULL, NULL, NULL, NULL, NULL);
UPDATE problems SET follow_up_at = '2026-11-06T15:10:00+00:00' WHERE id = 2;
UPDATE inbound_emails SET reviewed_by = 1, reviewed_at = '2026-11-07T11:00:00+00:00' WHERE id = 2;
