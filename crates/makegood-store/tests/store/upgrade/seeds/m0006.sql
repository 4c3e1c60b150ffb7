-- m0006_invitations: Vic, deactivated until they accept, has a pending invitation.
INSERT INTO invitations (member_id, token_hash, created_at, expires_at, used_at)
VALUES (4, 'a11a11a1000000000000000000000000000000000000000000000000000000b1', '2026-11-07T09:00:00+00:00', '2026-11-14T09:00:00+00:00', NULL);
