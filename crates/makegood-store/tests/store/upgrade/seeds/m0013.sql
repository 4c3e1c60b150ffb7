-- m0013_reports: MG-2's report columns as the store keeps them; the report state's zone.
UPDATE problems SET tell_stopped_at = '2026-11-03T15:00:00+00:00', tell_due_at = '2026-11-03T11:05:00+00:00', fix_stopped_at = '2026-11-03T15:10:00+00:00', fix_due_at = '2026-11-04T10:05:00+00:00', cadence = '[]' WHERE id = 2;
INSERT INTO report_state (id, zone) VALUES (1, 'Europe/London');
