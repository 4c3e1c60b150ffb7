-- m0015_token_scopes: api token 3, a dashboard's read-only token of Maya's (tokens 1 and 2
-- from m0001 were made before scopes and stay read-write).
INSERT INTO api_tokens (member_id, name, token_hash, created_at, last_used_at, revoked, scope)
VALUES (2, 'wallboard', 'a0a0a0a0000000000000000000000000000000000000000000000000000000a3', '2026-11-09T11:00:00+00:00', NULL, FALSE, 'read');
