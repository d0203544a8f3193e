#!/usr/bin/env python3
"""BUGGY on purpose: a correct signed account-webhook receiver (as py_account_hmac.py) whose message handling runs
behind one global lock and calls a slow downstream (CRM/LLM, here 400 ms) before answering. Alone each delivery takes
0.4 s; a burst of concurrent message deliveries (Sidekiq runs WebhookJobs in parallel) queues behind the lock and the
later ones exceed Chatwoot's 5 s timeout (trigger.rb webhook_timeout). Other events are answered at once.
env: PORT, SECRET, DELAY (seconds, default 0.4)"""
import hashlib
import hmac
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = os.environ["SECRET"].encode()
DELAY = float(os.environ.get("DELAY", "0.4"))
crm_lock = threading.Lock()   # BUG: one lock for all messages, held during the slow call


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def out(self, code):
        b = b'{"ok":true}' if code == 200 else b'{"ok":false}'
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        ts = self.headers.get("X-Chatwoot-Timestamp") or ""
        sig = self.headers.get("X-Chatwoot-Signature") or ""
        if not ts.isdigit() or abs(time.time() - int(ts)) > 300:
            return self.out(401)
        if not hmac.compare_digest("sha256=" + hmac.new(SECRET, ts.encode() + b"." + raw, hashlib.sha256).hexdigest(), sig):
            return self.out(401)
        try:
            p = json.loads(raw)
        except ValueError:
            return self.out(400)
        if isinstance(p, dict) and p.get("event") in ("message_created", "message_updated"):
            with crm_lock:
                time.sleep(DELAY)  # push to CRM synchronously
        return self.out(200)


ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
