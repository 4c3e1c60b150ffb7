-- m0009_playbooks: the billing playbook with its checklist and a template; MG-1 has its
-- first item ticked.
INSERT INTO playbooks (category, category_key, created_at, updated_at)
VALUES ('Billing', 'billing', '2026-02-01T09:00:00+00:00', '2026-03-01T09:00:00+00:00');
INSERT INTO playbook_items (playbook_id, position, text) VALUES (1, 1, 'Call the controller before you email');
INSERT INTO playbook_items (playbook_id, position, text) VALUES (1, 2, 'Say how many invoices are wrong, and by how much');
INSERT INTO playbook_items (playbook_id, position, text) VALUES (1, 3, 'Offer a credit note without being asked');
INSERT INTO playbook_templates (playbook_id, kind, body)
VALUES (1, 'apology', 'Dear {{ contact.first_name }},

I am sorry about {{ problem.title | lower }} ({{ problem.number }}). It is ours to put right.

{{ owner.name }}');
INSERT INTO checklist_ticks (problem_id, item, position, done_by, done_at)
VALUES (1, 'Call the controller before you email', 1, 3, '2026-11-06T14:00:00+00:00');
INSERT INTO events (problem_id, promise_id, at, actor_id, kind, data)
VALUES (1, NULL, '2026-11-06T14:00:00+00:00', 3, 'checklist_item_done', '{"type":"checklist_item_done","position":1,"item":"Call the controller before you email"}');
