-- m0004_clock_and_outbox: a business calendar, MG-1's and promise 3's timers (one fired),
-- the outbox (one delivered, one pending with an error), a webhook, a calendar feed; the
-- migration gave every member default preferences: the admin's digest is scheduled.
INSERT INTO calendars (name, spec, created_at)
VALUES ('London office', '{"zone":"Europe/London","hours":{"monday":[{"open":"09:00","close":"17:30"}],"tuesday":[{"open":"09:00","close":"17:30"}],"wednesday":[{"open":"09:00","close":"17:30"}],"thursday":[{"open":"09:00","close":"17:30"}],"friday":[{"open":"09:00","close":"16:00"}],"saturday":[],"sunday":[]},"holidays":["2026-12-25","2026-12-28"]}', '2026-01-05T09:00:00+00:00');

INSERT INTO timers (subject, problem_id, promise_id, clock, transition, at, due_at, fired_at)
VALUES ('problem:1', 1, NULL, 'update', 'warning', '2026-11-02T14:48:00+00:00', '2026-11-03T09:40:00+00:00', '2026-11-02T14:48:05+00:00');
INSERT INTO timers (subject, problem_id, promise_id, clock, transition, at, due_at, fired_at)
VALUES ('problem:1', 1, NULL, 'fix', 'warning', '2026-12-20T09:00:00+00:00', '2026-12-21T09:00:00+00:00', NULL);
INSERT INTO timers (subject, problem_id, promise_id, clock, transition, at, due_at, fired_at)
VALUES ('problem:1', 1, NULL, 'fix', 'breach', '2026-12-21T09:00:00.000001+00:00', '2026-12-21T09:00:00+00:00', NULL);
INSERT INTO timers (subject, problem_id, promise_id, clock, transition, at, due_at, fired_at)
VALUES ('promise:3', NULL, 3, 'promise', 'warning', '2026-12-20T09:00:00+00:00', '2026-12-21T09:00:00+00:00', NULL);
INSERT INTO timers (subject, problem_id, promise_id, clock, transition, at, due_at, fired_at)
VALUES ('promise:3', NULL, 3, 'promise', 'breach', '2026-12-21T09:00:00.000001+00:00', '2026-12-21T09:00:00+00:00', NULL);

INSERT INTO outbox (channel, recipient, problem_id, notice, status, attempts, next_attempt_at, last_error, created_at, delivered_at)
VALUES ('email', 'nora@kestrel.example', 1, '{"type":"customer_update","problem":{"id":1,"number":"MG-1","title":"Invoices exported with the wrong VAT rate"},"to":{"name":"Nora Quinn","email":"nora@kestrel.example","time_zone":"Europe/London"},"from_name":"Sam Patel","body":"Nora, our November export used last year''s VAT rate. This is our mistake; corrected invoices follow.","first":null,"previous":null}', 'delivered', 1, '2026-11-02T09:40:00+00:00', NULL, '2026-11-02T09:40:00+00:00', '2026-11-02T09:40:03+00:00');
INSERT INTO outbox (channel, recipient, problem_id, notice, status, attempts, next_attempt_at, last_error, created_at, delivered_at)
VALUES ('email', 'dana@zephyr.example', 2, '{"type":"customer_update","problem":{"id":2,"number":"MG-2","title":"Card payments failing at Zephyr Leeds"},"to":{"name":"Dana Reyes","email":"dana@zephyr.example","time_zone":"Europe/London"},"from_name":"Alex Morgan","body":"Dana, PayRail has rolled back the terminal firmware; contactless works again.","first":null,"previous":null}', 'pending', 2, '2026-11-03T15:20:00+00:00', 'smtp: connection refused', '2026-11-03T15:00:00+00:00', NULL);

INSERT INTO webhooks (name, url, kind, secret, events, allow_private, active, created_at)
VALUES ('ops channel', 'https://hooks.example/makegood', 'json', 'whsec-seed-0004', '["update","promise_broken"]', FALSE, TRUE, '2026-02-01T09:00:00+00:00');

INSERT INTO calendar_feeds (member_id, token_hash, created_at)
VALUES (3, 'feedfeed000000000000000000000000000000000000000000000000000000f1', '2026-02-02T09:00:00+00:00');

UPDATE member_preferences SET next_digest_at = '2026-11-06T08:00:00+00:00' WHERE member_id = 1;
