-- m0005_search: the migration indexed MG-1's and MG-2's titles, updates and notes; a note
-- recorded after it (event 14) is indexed as the store would, in the same change.
INSERT INTO events (problem_id, promise_id, at, actor_id, kind, data)
VALUES (1, NULL, '2026-11-06T11:00:00+00:00', 2, 'note', '{"type":"note","body":"Auditor booked for the 18th; credit note waits on her."}');
INSERT INTO problem_text (problem_id, event_id, body)
VALUES (1, 14, 'Auditor booked for the 18th; credit note waits on her.');
