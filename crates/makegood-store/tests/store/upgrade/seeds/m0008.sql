-- m0008_prevention: MG-2's prevention (done, awaiting its check), MG-1 flagged as recurring
-- MG-2, a vendor promise by PayRail, and the organisation's recurrence window set.
INSERT INTO preventions (problem_id, root_cause, cause_category, corrective_action, owner_id, opened_at, due_at, warn_at, check_after_days, status, done_at, check_at, checked_at, checks, created_at, version)
VALUES (2, 'PayRail pushes firmware without notice', 'Vendor change', 'Ask PayRail for a week''s notice of every firmware change', 1, '2026-11-04T09:00:00+00:00', '2026-11-18T09:00:00+00:00', '2026-11-15T15:00:00+00:00', 30, 'done', '2026-11-12T09:00:00+00:00', '2026-12-12T09:00:00+00:00', NULL, '[]', '2026-11-04T09:00:00+00:00', 2);
INSERT INTO recurrences (problem_id, earlier_id, prevention_id, basis, category, flagged_at)
VALUES (1, 2, 1, 'category', 'billing', '2026-11-06T13:00:00+00:00');
INSERT INTO vendor_promises (problem_id, vendor_id, what, recorded_by, made_at, due_at, warn_at, status, ended_at, reason, renegotiated_from, renegotiated_to, version)
VALUES (2, 2, 'A root-cause report on the firmware change', 1, '2026-11-03T15:40:00+00:00', '2026-11-10T15:40:00+00:00', '2026-11-09T06:04:00+00:00', 'kept', '2026-11-09T10:00:00+00:00', NULL, NULL, NULL, 2);
UPDATE organisation SET recurrence_window_days = 120 WHERE id = 1;
