#!/usr/bin/env python3
"""API-channel bridge (Channel::Api webhook_url, Chatwoot 4.13+ signed): Chatwoot <-> an external chat network.

The external thread id is the contact_inbox.source_id the bridge chose when it created the contact
(POST /public/api/v1/inboxes/{id}/contacts). Agent replies (message_created, outgoing, not private) are
forwarded to that thread; every public message event refreshes the thread map.

It relies on a guarantee of Chatwoot's source (4.16.2): a non-private message event always carries
conversation.contact_inbox, because Conversations::EventDataPresenter#webhook_data embeds the last chat message,
whose Message#conversation_push_event_data evaluates `conversation.contact_inbox.source_id` -- with no
contact_inbox that raises and no webhook is sent at all. Conversation-level events may carry contact_inbox null
(no chat message yet), so those are read defensively.

env: PORT, SECRET, TOLERANCE (seconds, default 300)
"""
import hashlib
import hmac
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = os.environ["SECRET"].encode()
TOLERANCE = int(os.environ.get("TOLERANCE", "300"))
threads = {}      # chatwoot conversation display id -> external thread id
outbox = []       # what would be sent to the external network
lock = threading.Lock()


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
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        ts = self.headers.get("X-Chatwoot-Timestamp") or ""
        sig = self.headers.get("X-Chatwoot-Signature") or ""
        if not ts.isdigit() or abs(time.time() - int(ts)) > TOLERANCE:
            return self.out(401, {"error": "unsigned or stale"})
        if not hmac.compare_digest("sha256=" + hmac.new(SECRET, ts.encode() + b"." + raw, hashlib.sha256).hexdigest(), sig):
            return self.out(401, {"error": "bad signature"})
        try:
            p = json.loads(raw)
        except ValueError:
            return self.out(400, {"error": "invalid json"})
        if not isinstance(p, dict):
            return self.out(400, {"error": "expected object"})
        event = p.get("event")
        if event in ("message_created", "message_updated") and not p.get("private"):
            conv = p["conversation"]
            thread = conv["contact_inbox"]["source_id"]          # guaranteed for public message events (see above)
            with lock:
                threads[conv["id"]] = thread
                if event == "message_created" and p.get("message_type") == "outgoing":
                    outbox.append((thread, p.get("content"), [a.get("data_url") for a in p.get("attachments") or [] if a]))
        elif event in ("conversation_created", "conversation_updated", "conversation_status_changed"):
            ci = p.get("contact_inbox") or {}
            if ci.get("source_id"):
                with lock:
                    threads[p.get("id")] = ci["source_id"]
        return self.out(200, {"ok": True})


ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
