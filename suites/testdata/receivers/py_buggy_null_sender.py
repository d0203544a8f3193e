#!/usr/bin/env python3
"""BUGGY on purpose: a CRM sync that verifies the signature correctly, then records who wrote each message:
    sender = payload.get("sender", {})   # looks defensive, but Chatwoot sends "sender": null
    name = sender.get("name")           # -> AttributeError -> 500
Chatwoot's Message#webhook_data has sender: sender.try(:webhook_data), null for messages without a sender
(template messages such as CSAT/e-mail collect, system-generated ones). env: PORT, SECRET"""
import hashlib
import hmac
import json
import os
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = os.environ["SECRET"].encode()
CRM = {}


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def out(self, code, msg=b"{}"):
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(msg)))
        self.end_headers()
        self.wfile.write(msg)

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        ts = self.headers.get("X-Chatwoot-Timestamp") or ""
        sig = self.headers.get("X-Chatwoot-Signature") or ""
        if not ts.isdigit() or abs(time.time() - int(ts)) > 300:
            return self.out(401)
        mac = "sha256=" + hmac.new(SECRET, ts.encode() + b"." + raw, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(mac, sig):
            return self.out(401)
        try:
            p = json.loads(raw)
        except ValueError:
            return self.out(400)
        try:
            if p.get("event") in ("message_created", "message_updated"):
                sender = p.get("sender", {})
                CRM[p.get("id")] = {"author": sender.get("name"), "type": sender.get("type", "contact")}  # BUG
        except Exception:
            return self.out(500, b'{"error":"internal"}')
        return self.out(200, b'{"ok":true}')


ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
