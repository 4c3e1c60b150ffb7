-- m0016_audit: audit events 1..3 — Alex signs in, makes Sam a supervisor, and a mistyped
-- password for Maya; Maya's address is being backed off after five failures.
INSERT INTO audit_events (at, actor_id, kind, member_id, subject, detail, client_ip)
VALUES ('2026-11-09T08:00:00+00:00', 1, 'sign_in', 1, 'alex@northwind.example', '{}', '203.0.113.7');
INSERT INTO audit_events (at, actor_id, kind, member_id, subject, detail, client_ip)
VALUES ('2026-11-09T08:05:00+00:00', 1, 'role_changed', 3, 'sam@northwind.example', '{"from":"agent","to":"supervisor"}', '203.0.113.7');
INSERT INTO audit_events (at, actor_id, kind, member_id, subject, detail, client_ip)
VALUES ('2026-11-09T08:10:00+00:00', NULL, 'sign_in_failed', NULL, 'maya@northwind.example', '{}', '198.51.100.2');
INSERT INTO login_throttle (key, failures, last_failure_at, locked_until)
VALUES ('email:maya@northwind.example', 5, '2026-11-09T08:10:00+00:00', '2026-11-09T08:11:00+00:00');
