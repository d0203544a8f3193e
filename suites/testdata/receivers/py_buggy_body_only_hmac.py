#!/usr/bin/env python3
"""BUGGY on purpose: verifies X-Chatwoot-Signature as HMAC-SHA256(SECRET, raw body) -- the body alone,
the way most webhook providers (and many blog posts) do it. Chatwoot signs "<timestamp>.<raw body>",
so every genuine signed delivery is rejected, and the timestamp is never checked (replays pass).
env: PORT, SECRET"""
import hashlib
import hmac
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = os.environ["SECRET"].encode()


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def out(self, code):
        b = b'{"ok":%s}' % (b"true" if code == 200 else b"false")
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        sig = (self.headers.get("X-Chatwoot-Signature") or "").replace("sha256=", "")
        expected = hmac.new(SECRET, raw, hashlib.sha256).hexdigest()  # BUG: Chatwoot signs f"{ts}.{body}"
        if not hmac.compare_digest(expected, sig):
            return self.out(401)
        try:
            json.loads(raw)
        except ValueError:
            return self.out(400)
        return self.out(200)


ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
