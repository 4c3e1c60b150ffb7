-- m0014_failures_and_health: logged failures (one on MG-1), Kestrel owned by Maya, its
-- health history and a review of it once it went red.
INSERT INTO failures (level, what_happened, lesson, problem_id, logged_by, logged_at, version)
VALUES ('idea', 'A shared inbox instead of one owner per problem', 'Nobody answered: everyone thought someone else had it.', NULL, 3, '2026-11-09T09:00:00+00:00', 1);
INSERT INTO failures (level, what_happened, lesson, problem_id, logged_by, logged_at, version)
VALUES ('promise', 'The VAT table was copied, not read from the source', 'Read reference data from where it is kept.', 1, 2, '2026-11-09T10:00:00+00:00', 1);
UPDATE accounts SET owner_id = 2 WHERE id = 1;
INSERT INTO account_health_days (account_id, day, score, band)
VALUES (1, '2026-11-08', 38, 'red');
INSERT INTO account_health_days (account_id, day, score, band)
VALUES (1, '2026-11-09', 52, 'amber');
INSERT INTO account_reviews (account_id, red_since, reviewed_by, reviewed_at)
VALUES (1, '2026-11-08T09:00:00+00:00', 2, '2026-11-08T16:00:00+00:00');
