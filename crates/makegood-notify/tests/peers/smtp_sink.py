"""An SMTP sink for makegood-notify's tests: records each message as a JSON line.

usage: smtp_sink.py OUT_FILE [--accept N] [--login USER:PASSWORD]

Listens on 127.0.0.1 on a free port and prints "PORT <n>" on stdout once ready. Each accepted
message is appended to OUT_FILE as {"mail_from", "rcpt_tos", "data"}. With --accept N, the
message after the N-th is never answered: the sink touches OUT_FILE.hang and waits, like a
server that died mid-conversation. With --login, the sink requires SMTP AUTH with exactly
those credentials (over plain loopback, as a test needs) and refuses mail without it.
"""

import argparse
import asyncio
import json
import socket
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, out, accept):
        self.out = out
        self.accept = accept
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        if self.accept is not None and self.count >= self.accept:
            open(self.out + ".hang", "w").close()
            await asyncio.sleep(3600)
        self.count += 1
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": envelope.content.decode("utf-8", "replace"),
        }
        with open(self.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--accept", type=int)
    parser.add_argument("--login")
    args = parser.parse_args()

    auth = {}
    if args.login:
        user, password = args.login.split(":", 1)

        def authenticator(server, session, envelope, mechanism, data):
            ok = (
                isinstance(data, LoginPassword)
                and data.login == user.encode()
                and data.password == password.encode()
            )
            return AuthResult(success=ok)

        auth = dict(
            authenticator=authenticator, auth_required=True, auth_require_tls=False
        )

    port = free_port()
    controller = Controller(
        Sink(args.out, args.accept), hostname="127.0.0.1", port=port, **auth
    )
    controller.start()
    print(f"PORT {port}", flush=True)
    try:
        # Runs until the test kills it or closes stdin.
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
