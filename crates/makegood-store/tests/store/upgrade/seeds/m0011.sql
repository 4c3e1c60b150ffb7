-- m0011_inbound: Nora's reply threaded onto MG-1, with an attachment; a held message.
INSERT INTO inbound_emails (message_id, from_email, from_name, subject, sent_at, received_at, raw, text, reply, sentiment, status, reason, problem_id, contact_id)
VALUES ('<reply-1@kestrel.example>', 'nora@kestrel.example', 'Nora Quinn', 'Re: [MG-1] Invoices exported with the wrong VAT rate', '2026-11-07T08:59:00+00:00', '2026-11-07T09:00:00+00:00', 'From: Nora Quinn <nora@kestrel.example>
Subject: Re: [MG-1] Invoices exported with the wrong VAT rate

Thanks, the corrected invoices are fine.
', 'Thanks, the corrected invoices are fine.', 'Thanks, the corrected invoices are fine.', 440, 'threaded', NULL, 1, 1);
INSERT INTO inbound_emails (message_id, from_email, from_name, subject, sent_at, received_at, raw, text, reply, sentiment, status, reason, problem_id, contact_id)
VALUES ('<offer-9@unknown.example>', 'sales@unknown.example', NULL, 'Grow your business', NULL, '2026-11-07T10:00:00+00:00', 'From: sales@unknown.example
Subject: Grow your business

Buy now.
', 'Buy now.', 'Buy now.', 0, 'held', 'the sender is not a known contact', NULL, NULL);
INSERT INTO inbound_attachments (inbound_id, filename, content_type, size, content)
VALUES (1, 'invoices.csv', 'text/csv', 24, 'invoice,amount
1001,120.00
');
