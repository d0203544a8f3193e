#!/usr/bin/env python3
"""Chatwoot account-webhook receiver (Chatwoot 4.12+ signed deliveries).

Verifies X-Chatwoot-Signature = "sha256=" + hex(HMAC-SHA256(SECRET, "<X-Chatwoot-Timestamp>.<raw body>"))
and rejects timestamps older/newer than TOLERANCE seconds (default 300).

env: PORT (required), SECRET (required), TOLERANCE (optional, seconds)
"""
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = os.environ.get("SECRET", "").encode()
TOLERANCE = int(os.environ.get("TOLERANCE", "300"))
MAX_BODY = 5 * 1024 * 1024


def verify(headers, raw):
    sig = headers.get("X-Chatwoot-Signature", "")
    ts = headers.get("X-Chatwoot-Timestamp", "")
    if not sig.startswith("sha256=") or not ts.isdigit():
        return False, "missing or malformed signature headers"
    if abs(time.time() - int(ts)) > TOLERANCE:
        return False, "timestamp outside tolerance"
    expected = hmac.new(SECRET, ts.encode() + b"." + raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, sig[len("sha256="):]):
        return False, "bad signature"
    return True, ""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def reply(self, code, obj):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return self.reply(400, {"error": "bad content-length"})
        if length > MAX_BODY:
            return self.reply(413, {"error": "too large"})
        raw = self.rfile.read(length) if length else b""
        ok, why = verify(self.headers, raw)
        if not ok:
            return self.reply(401, {"error": why})
        try:
            payload = json.loads(raw)
        except ValueError:
            return self.reply(400, {"error": "invalid json"})
        if not isinstance(payload, dict):
            return self.reply(400, {"error": "expected an object"})
        # real work would be queued here; acknowledge fast
        return self.reply(200, {"ok": True, "event": payload.get("event")})

    def do_GET(self):
        self.reply(200, {"ok": True})


if __name__ == "__main__":
    if not SECRET:
        sys.exit("SECRET is required")
    ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
