#!/usr/bin/env python3
"""Strict receiver for a Chatwoot API-inbox webhook_url (Channel::Api), Chatwoot 4.13+ (signed).

- verifies X-Chatwoot-Signature (sha256=HMAC(SECRET, "<ts>.<raw body>")), 401 otherwise
- 422 for event names an API inbox never receives (contact_*, inbox_*, conversation_opened/resolved,
  webwidget_triggered, automation/macro/installation events)
- 500 when the (correctly signed) body is not JSON: Chatwoot always posts payload.to_json,
  so that is a bug on the sender side and we want it loud
- 200 otherwise (also for event names we do not know yet, unless UNKNOWN=reject)

env: PORT, SECRET, TOLERANCE (seconds, default 300), UNKNOWN (accept|reject, default accept)
"""
import hashlib
import hmac
import json
import os
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = os.environ["SECRET"].encode()
TOLERANCE = int(os.environ.get("TOLERANCE", "300"))
REJECT_UNKNOWN = os.environ.get("UNKNOWN", "accept") == "reject"

API_INBOX_EVENTS = {
    "conversation_created", "conversation_updated", "conversation_status_changed",
    "message_created", "message_updated", "conversation_typing_on", "conversation_typing_off",
}
NEVER_FOR_API_INBOX = {
    "contact_created", "contact_updated", "inbox_created", "inbox_updated",
    "conversation_opened", "conversation_resolved", "webwidget_triggered",
    "account_created", "macro.executed",
}


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def out(self, code, obj):
        b = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        ts = self.headers.get("X-Chatwoot-Timestamp") or ""
        sig = self.headers.get("X-Chatwoot-Signature") or ""
        if not ts.isdigit() or not sig.startswith("sha256="):
            return self.out(401, {"error": "unsigned"})
        if abs(time.time() - int(ts)) > TOLERANCE:
            return self.out(401, {"error": "stale"})
        mac = hmac.new(SECRET, ts.encode() + b"." + raw, hashlib.sha256).hexdigest()
        if not hmac.compare_digest("sha256=" + mac, sig):
            return self.out(401, {"error": "bad signature"})
        try:
            p = json.loads(raw)
            event = p["event"]
        except Exception as e:  # noqa: BLE001 - intentionally loud
            return self.out(500, {"error": "cannot parse delivery: %s" % type(e).__name__})
        if event in NEVER_FOR_API_INBOX or event.startswith("automation_event"):
            return self.out(422, {"error": "event %s is not sent to API inboxes" % event})
        if event not in API_INBOX_EVENTS and REJECT_UNKNOWN:
            return self.out(422, {"error": "unknown event %s" % event})
        return self.out(200, {"ok": True})


ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
