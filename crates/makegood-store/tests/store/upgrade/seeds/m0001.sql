-- m0001_people_and_parties: the organisation, members, a session, API tokens, accounts
-- (one a location of another), contacts, vendors.
INSERT INTO organisation (id, name, setup_token_hash, setup_token_used, created_at)
VALUES (1, 'Northwind Consulting', NULL, TRUE, '2026-01-05T09:00:00+00:00');

-- members 1..4: an admin, a supervisor, an agent and a deactivated viewer.
INSERT INTO members (name, email, password_hash, role, authority_minor, authority_currency, time_zone, active, created_at)
VALUES ('Alex Morgan', 'alex@northwind.example', '$argon2id$v=19$m=19456,t=2,p=1$c2VlZHNlZWQ$c2VlZGhhc2hzZWVkaGFzaA', 'admin', 1000000, 'EUR', 'Europe/London', TRUE, '2026-01-05T09:00:00+00:00');
INSERT INTO members (name, email, password_hash, role, authority_minor, authority_currency, time_zone, active, created_at)
VALUES ('Maya Ortiz', 'maya@northwind.example', '$argon2id$v=19$m=19456,t=2,p=1$c2VlZHNlZWQ$c2VlZGhhc2hzZWVkaGFzaA', 'supervisor', 500000, 'EUR', 'Europe/Madrid', TRUE, '2026-01-06T09:00:00+00:00');
INSERT INTO members (name, email, password_hash, role, authority_minor, authority_currency, time_zone, active, created_at)
VALUES ('Sam Patel', 'sam@northwind.example', '$argon2id$v=19$m=19456,t=2,p=1$c2VlZHNlZWQ$c2VlZGhhc2hzZWVkaGFzaA', 'agent', 100000, 'EUR', 'Europe/London', TRUE, '2026-01-06T09:30:00+00:00');
INSERT INTO members (name, email, password_hash, role, authority_minor, authority_currency, time_zone, active, created_at)
VALUES ('Vic Viewer', 'vic@northwind.example', NULL, 'viewer', 0, 'EUR', 'UTC', FALSE, '2026-01-07T09:00:00+00:00');

INSERT INTO sessions (token_hash, member_id, csrf_token, expires_at)
VALUES ('5e55104a0000000000000000000000000000000000000000000000000000000a', 3, 'csrf-seed-0001', '2026-12-31T09:00:00+00:00');

-- api tokens 1..2: one in use, one revoked.
INSERT INTO api_tokens (member_id, name, token_hash, created_at, last_used_at, revoked)
VALUES (1, 'deploy script', 'a0a0a0a0000000000000000000000000000000000000000000000000000000a1', '2026-01-10T09:00:00+00:00', '2026-11-01T08:00:00+00:00', FALSE);
INSERT INTO api_tokens (member_id, name, token_hash, created_at, last_used_at, revoked)
VALUES (3, 'old laptop', 'a0a0a0a0000000000000000000000000000000000000000000000000000000a2', '2026-01-11T09:00:00+00:00', NULL, TRUE);

-- accounts 1..3: Kestrel Property, Zephyr Retail, and Zephyr's Leeds store under it.
INSERT INTO accounts (name, parent_id, tier) VALUES ('Kestrel Property', NULL, 'gold');
INSERT INTO accounts (name, parent_id, tier) VALUES ('Zephyr Retail', NULL, NULL);
INSERT INTO accounts (name, parent_id, tier) VALUES ('Zephyr Leeds', 2, NULL);

-- contacts 1..3.
INSERT INTO contacts (account_id, name, role_title, email, phone)
VALUES (1, 'Nora Quinn', 'Controller', 'nora@kestrel.example', '+44 20 7946 0001');
INSERT INTO contacts (account_id, name, role_title, email, phone)
VALUES (2, 'Dana Reyes', 'IT Director', 'dana@zephyr.example', NULL);
INSERT INTO contacts (account_id, name, role_title, email, phone)
VALUES (3, 'Carl Obi', 'Store Manager', NULL, '+44 113 496 0002');

-- vendors 1..2.
INSERT INTO vendors (name, email) VALUES ('Stackhouse Hosting', 'support@stackhouse.example');
INSERT INTO vendors (name, email) VALUES ('PayRail', NULL);
