-- m0003_settings: the policies row is the migration's own; a remembered idempotent response.
INSERT INTO idempotency_keys (member_id, key, request_hash, status, body, created_at)
VALUES (3, 'retry-7f3a', 'b1946ac92492d2347c6235b4d2611184', 201, '{"id":5,"what":"Quarterly service review with Dana"}', '2026-11-10T09:00:00+00:00');
