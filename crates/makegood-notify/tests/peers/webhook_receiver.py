"""A webhook receiver for makegood-notify's tests, verifying signatures on its own.

usage: webhook_receiver.py OUT_FILE SECRET [NOW]

Listens on 127.0.0.1 on a free port and prints "PORT <n>" once ready. A POST whose
Makegood-Signature (t=<unix seconds>,v1=<hex HMAC-SHA256(SECRET, "<t>.<body>")>) is valid
and at most 5 minutes from NOW (unix seconds: the test's clock; default the system's) is appended to OUT_FILE as {"path", "event_id", "body"} and answered
204; anything else is answered 401. A POST to /chat is recorded without a signature (chat
webhooks are not signed).
"""

import hashlib
import hmac
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE = 300


def verify(secret, now, header, body):
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        t = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return False
    if abs(now - t) > TOLERANCE:
        return False
    expected = hmac.new(
        secret.encode(), str(t).encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, given)


def main():
    out, secret = sys.argv[1], sys.argv[2]
    now = int(sys.argv[3]) if len(sys.argv) > 3 else None

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            signed = self.path != "/chat"
            if signed and not verify(
                secret,
                time.time() if now is None else now,
                self.headers.get("Makegood-Signature", ""),
                body,
            ):
                self.send_response(401)
                self.end_headers()
                return
            record = {
                "path": self.path,
                "event_id": self.headers.get("Makegood-Event-Id"),
                "body": body.decode(),
            }
            with open(out, "a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
