#!/usr/bin/python3
"""A real SMTP server for tests (Debian's python3-aiosmtpd) on loopback.

Usage: smtp_sink.py DIR
Listens on 127.0.0.1 at a free port, prints the port on stdout, and writes every accepted
message to DIR as a JSON file (parsed with Python's own email package, independent of the
code under test): envelope sender and recipients, From/To/Subject/Message-ID headers, the
text body, attachments (content as text when it decodes as UTF-8, else base64) and the raw
message. Files appear atomically (written then renamed). Stops on SIGTERM.
"""
import asyncio
import base64
import email
import email.policy
import json
import os
import signal
import sys

from aiosmtpd.smtp import SMTP


class Handler:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        text = ""
        attachments = []
        for part in msg.walk():
            if part.is_multipart():
                continue
            disposition = part.get_content_disposition()
            payload = part.get_payload(decode=True) or b""
            if disposition == "attachment":
                try:
                    content, encoding = payload.decode("utf-8"), "utf-8"
                except UnicodeDecodeError:
                    content, encoding = base64.b64encode(payload).decode(), "base64"
                attachments.append({
                    "filename": part.get_filename(),
                    "contentType": part.get_content_type(),
                    "params": dict(part.get_params() or []),
                    "content": content,
                    "encoding": encoding,
                })
            elif part.get_content_type() == "text/plain" and not text:
                text = part.get_content()
        self.count += 1
        record = {
            "mailFrom": envelope.mail_from,
            "rcptTos": list(envelope.rcpt_tos),
            "from": str(msg.get("From", "")),
            "to": str(msg.get("To", "")),
            "subject": str(msg.get("Subject", "")),
            "messageId": str(msg.get("Message-ID", "")),
            "date": str(msg.get("Date", "")),
            "text": text,
            "attachments": attachments,
            "raw": raw.decode("utf-8", "replace"),
        }
        name = os.path.join(self.out_dir, "%06d.json" % self.count)
        with open(name + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(name + ".tmp", name)
        return "250 Message accepted for delivery"


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    handler = Handler(out_dir)
    server = loop.run_until_complete(
        loop.create_server(lambda: SMTP(handler, enable_SMTPUTF8=True), "127.0.0.1", 0))
    print(server.sockets[0].getsockname()[1], flush=True)
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.add_signal_handler(signal.SIGINT, loop.stop)
    loop.run_forever()
    server.close()


if __name__ == "__main__":
    main()
