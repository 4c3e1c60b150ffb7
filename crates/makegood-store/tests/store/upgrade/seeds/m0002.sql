-- m0002_problems_and_promises: two problems with their accounts, stakeholders, promises in
-- every state (open, kept, broken, renegotiated and its replacement) and timelines.

-- problem 1 (MG-1): open, ours, owned by Sam, at Kestrel, Nora kept informed.
INSERT INTO problems (title, description, origin, vendor_id, severity, category, owner_id, detected_at, created_at, status, outcome, version, next_warn_at, next_due_at)
VALUES ('Invoices exported with the wrong VAT rate', 'The November export used last year''s VAT table.', 'ours', NULL, 'major', 'billing', 3, '2026-11-02T09:00:00+00:00', '2026-11-02T09:10:00+00:00', 'open', NULL, 4, '2026-12-20T09:00:00+00:00', '2026-12-21T09:00:00+00:00');
-- problem 2 (MG-2): the vendor's, fixed, at Zephyr Retail and its Leeds store.
INSERT INTO problems (title, description, origin, vendor_id, severity, category, owner_id, detected_at, created_at, status, outcome, version, next_warn_at, next_due_at)
VALUES ('Card payments failing at Zephyr Leeds', 'PayRail''s terminals reject contactless cards.', 'vendor', 2, 'critical', 'payments', 1, '2026-11-03T10:00:00+00:00', '2026-11-03T10:05:00+00:00', 'fixed', NULL, 3, NULL, NULL);

INSERT INTO problem_accounts (problem_id, account_id, position) VALUES (1, 1, 0);
INSERT INTO problem_accounts (problem_id, account_id, position) VALUES (2, 2, 0);
INSERT INTO problem_accounts (problem_id, account_id, position) VALUES (2, 3, 1);
INSERT INTO problem_stakeholders (problem_id, contact_id, position) VALUES (1, 1, 0);
INSERT INTO problem_stakeholders (problem_id, contact_id, position) VALUES (2, 2, 0);
INSERT INTO problem_stakeholders (problem_id, contact_id, position) VALUES (2, 3, 1);

-- promises 1..5: 1 kept, 2 renegotiated into 3 (open), 4 broken (all on MG-1 or MG-2),
-- 5 open and on no problem.
INSERT INTO promises (what, made_by, problem_id, made_at, due_at, status, ended_at, reason, renegotiated_from, renegotiated_to, version, warn_at)
VALUES ('Send Nora the corrected invoices', 3, 1, '2026-11-02T10:00:00+00:00', '2026-11-04T10:00:00+00:00', 'kept', '2026-11-03T16:00:00+00:00', NULL, NULL, NULL, 2, '2026-11-04T00:24:00+00:00');
INSERT INTO promises (what, made_by, problem_id, made_at, due_at, status, ended_at, reason, renegotiated_from, renegotiated_to, version, warn_at)
VALUES ('A credit note for the overcharged VAT', 3, 1, '2026-11-02T10:00:00+00:00', '2026-11-06T10:00:00+00:00', 'open', NULL, NULL, NULL, NULL, 1, '2026-11-05T14:48:00+00:00');
INSERT INTO promises (what, made_by, problem_id, made_at, due_at, status, ended_at, reason, renegotiated_from, renegotiated_to, version, warn_at)
VALUES ('A credit note for the overcharged VAT', 3, 1, '2026-11-05T09:00:00+00:00', '2026-12-21T09:00:00+00:00', 'open', NULL, NULL, 2, NULL, 1, '2026-12-20T09:00:00+00:00');
UPDATE promises SET status = 'renegotiated', ended_at = '2026-11-05T09:00:00+00:00', reason = 'Finance needs the auditor''s sign-off; agreed with Nora on the phone', renegotiated_to = 3, version = 2 WHERE id = 2;
INSERT INTO promises (what, made_by, problem_id, made_at, due_at, status, ended_at, reason, renegotiated_from, renegotiated_to, version, warn_at)
VALUES ('Contactless working again at Leeds', 1, 2, '2026-11-03T10:30:00+00:00', '2026-11-03T14:00:00+00:00', 'broken', '2026-11-03T14:00:00+00:00', NULL, NULL, NULL, 2, '2026-11-03T13:18:00+00:00');
INSERT INTO promises (what, made_by, problem_id, made_at, due_at, status, ended_at, reason, renegotiated_from, renegotiated_to, version, warn_at)
VALUES ('Quarterly service review with Dana', 2, NULL, '2026-11-10T09:00:00+00:00', '2026-12-22T09:00:00+00:00', 'open', NULL, NULL, NULL, NULL, 1, '2026-12-21T09:00:00+00:00');

INSERT INTO promise_contacts (promise_id, contact_id, position) VALUES (1, 1, 0);
INSERT INTO promise_contacts (promise_id, contact_id, position) VALUES (2, 1, 0);
INSERT INTO promise_contacts (promise_id, contact_id, position) VALUES (3, 1, 0);
INSERT INTO promise_contacts (promise_id, contact_id, position) VALUES (4, 2, 0);
INSERT INTO promise_contacts (promise_id, contact_id, position) VALUES (4, 3, 1);
INSERT INTO promise_contacts (promise_id, contact_id, position) VALUES (5, 2, 0);

-- MG-1's timeline: events 1..7.
INSERT INTO events (problem_id, promise_id, at, actor_id, kind, data)
VALUES (1, NULL, '2026-11-02T09:10:00+00:00', 3, 'created', '{"type":"created","title":"Invoices exported with the wrong VAT rate","severity":"major"}');
INSERT INTO events (problem_id, promise_id, at, actor_id, kind, data)
VALUES (1, NULL, '2026-11-02T09:40:00+00:00', 3, 'update', '{"type":"update","body":"Nora, our November export used last year''s VAT rate. This is our mistake; corrected invoices follow."}');
INSERT INTO events (problem_id, promise_id, at, actor_id, kind, data)
VALUES (1, 1, '2026-11-02T10:00:00+00:00', 3, 'promise_made', '{"type":"promise_made","what":"Send Nora the corrected invoices","due_at":"2026-11-04T10:00:00Z"}');
INSERT INTO events (problem_id, promise_id, at, actor_id, kind, data)
VALUES (1, 2, '2026-11-02T10:00:00+00:00', 3, 'promise_made', '{"type":"promise_made","what":"A credit note for the overcharged VAT","due_at":"2026-11-06T10:00:00Z"}');
INSERT INTO events (problem_id, promise_id, at, actor_id, kind, data)
VALUES (1, 1, '2026-11-03T16:00:00+00:00', 3, 'promise_kept', '{"type":"promise_kept"}');
INSERT INTO events (problem_id, promise_id, at, actor_id, kind, data)
VALUES (1, 2, '2026-11-05T09:00:00+00:00', 3, 'promise_renegotiated', '{"type":"promise_renegotiated","new_promise":3,"from_due":"2026-11-06T10:00:00Z","to_due":"2026-12-21T09:00:00Z","reason":"Finance needs the auditor''s sign-off; agreed with Nora on the phone"}');
INSERT INTO events (problem_id, promise_id, at, actor_id, kind, data)
VALUES (1, NULL, '2026-11-05T09:30:00+00:00', 3, 'note', '{"type":"note","body":"The VAT table is now read from the tax service, not a copy."}');
-- MG-2's timeline: events 8..12.
INSERT INTO events (problem_id, promise_id, at, actor_id, kind, data)
VALUES (2, NULL, '2026-11-03T10:05:00+00:00', 1, 'created', '{"type":"created","title":"Card payments failing at Zephyr Leeds","severity":"critical"}');
INSERT INTO events (problem_id, promise_id, at, actor_id, kind, data)
VALUES (2, 4, '2026-11-03T10:30:00+00:00', 1, 'promise_made', '{"type":"promise_made","what":"Contactless working again at Leeds","due_at":"2026-11-03T14:00:00Z"}');
INSERT INTO events (problem_id, promise_id, at, actor_id, kind, data)
VALUES (2, 4, '2026-11-03T14:00:00+00:00', NULL, 'promise_broken', '{"type":"promise_broken","due_at":"2026-11-03T14:00:00Z"}');
INSERT INTO events (problem_id, promise_id, at, actor_id, kind, data)
VALUES (2, NULL, '2026-11-03T15:00:00+00:00', 1, 'update', '{"type":"update","body":"Dana, PayRail has rolled back the terminal firmware; contactless works again."}');
INSERT INTO events (problem_id, promise_id, at, actor_id, kind, data)
VALUES (2, NULL, '2026-11-03T15:10:00+00:00', 1, 'fixed', '{"type":"fixed","summary":"PayRail rolled back the terminal firmware."}');
-- promise 5's own timeline (no problem): event 13.
INSERT INTO events (problem_id, promise_id, at, actor_id, kind, data)
VALUES (NULL, 5, '2026-11-10T09:00:00+00:00', 2, 'promise_made', '{"type":"promise_made","what":"Quarterly service review with Dana","due_at":"2026-12-22T09:00:00Z"}');
