-- m0010_incidents: problem 3 (MG-3) keeps every contact of Zephyr Retail informed; it is
-- indexed for search as the store would.
INSERT INTO problems (title, description, origin, vendor_id, severity, category, owner_id, detected_at, created_at, status, outcome, version, next_warn_at, next_due_at, all_stakeholders)
VALUES ('Stock counts missing for every Zephyr store', 'The nightly stock feed stopped on Sunday.', 'unknown', NULL, 'minor', 'data feeds', 3, '2026-11-08T07:00:00+00:00', '2026-11-08T07:30:00+00:00', 'open', NULL, 1, '2026-11-08T19:00:00+00:00', '2026-11-09T07:30:00+00:00', TRUE);
INSERT INTO problem_accounts (problem_id, account_id, position) VALUES (3, 2, 0);
INSERT INTO events (problem_id, promise_id, at, actor_id, kind, data)
VALUES (3, NULL, '2026-11-08T07:30:00+00:00', 3, 'created', '{"type":"created","title":"Stock counts missing for every Zephyr store","severity":"minor"}');
INSERT INTO problem_text (problem_id, event_id, body)
VALUES (3, NULL, 'Stock counts missing for every Zephyr store');
