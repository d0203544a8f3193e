#!/usr/bin/env python3
"""Chatwoot agent bot (outgoing_url of an AgentBot). Answers each incoming contact message once, through
POST {CHATWOOT_URL}/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages (api_access_token header).

Ignores: outgoing messages (agents' and this bot's own replies: Chatwoot sends those to the bot too),
private notes, template messages, message_updated and every non-message event.
Dedupes deliveries by X-Chatwoot-Delivery (Chatwoot retries agent-bot deliveries on 429/500 with the same id)
and, in addition, never answers the same message id twice.

env: PORT, CHATWOOT_URL, API_TOKEN, SECRET (optional: the bot's webhook secret, Chatwoot 4.13+), REPLY (text)
"""
import collections
import hashlib
import hmac
import json
import os
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHATWOOT_URL = os.environ["CHATWOOT_URL"].rstrip("/")
API_TOKEN = os.environ["API_TOKEN"]
SECRET = os.environ.get("SECRET", "").encode()
REPLY = os.environ.get("REPLY", "Thanks for your message! An agent will be with you shortly.")
TOLERANCE = 300


class Seen:
    def __init__(self, cap=10000):
        self.d = collections.OrderedDict()
        self.cap = cap
        self.lock = threading.Lock()

    def first(self, key):
        """True the first time key is offered."""
        with self.lock:
            if key in self.d:
                return False
            self.d[key] = True
            if len(self.d) > self.cap:
                self.d.popitem(last=False)
            return True


deliveries = Seen()
answered = Seen()


def verify(headers, raw):
    if not SECRET:
        return True
    ts = headers.get("X-Chatwoot-Timestamp", "")
    sig = headers.get("X-Chatwoot-Signature", "")
    if not ts.isdigit() or abs(time.time() - int(ts)) > TOLERANCE:
        return False
    mac = hmac.new(SECRET, ts.encode() + b"." + raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest("sha256=" + mac, sig)


def account_id_of(p):
    acc = p.get("account") or {}
    if acc.get("id") is not None:
        return acc["id"]
    conv = p.get("conversation") or {}
    for m in conv.get("messages") or []:
        if isinstance(m, dict) and m.get("account_id") is not None:
            return m["account_id"]
    return None


def should_answer(p):
    if p.get("event") != "message_created":
        return False
    if p.get("message_type") != "incoming":  # string in webhook payloads ("incoming", "outgoing", "template")
        return False
    if p.get("private"):
        return False
    conv = p.get("conversation") or {}
    return conv.get("id") is not None and account_id_of(p) is not None and p.get("id") is not None


def post_reply(account_id, conversation_id):
    url = "%s/api/v1/accounts/%s/conversations/%s/messages" % (CHATWOOT_URL, account_id, conversation_id)
    data = json.dumps({"content": REPLY, "message_type": "outgoing", "private": False}).encode()
    req = urllib.request.Request(url, data=data, method="POST", headers={
        "Content-Type": "application/json", "api_access_token": API_TOKEN})
    try:
        urllib.request.urlopen(req, timeout=10).read()
    except Exception:  # noqa: BLE001 - a failed reply must not take the bot down
        pass


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
        if not verify(self.headers, raw):
            return self.out(401, {"error": "bad signature"})
        try:
            p = json.loads(raw)
        except ValueError:
            return self.out(400, {"error": "invalid json"})
        if not isinstance(p, dict):
            return self.out(400, {"error": "expected object"})
        delivery = self.headers.get("X-Chatwoot-Delivery")
        if delivery and not deliveries.first(delivery):
            return self.out(200, {"ok": True, "duplicate": True})
        if should_answer(p) and answered.first(p["id"]):
            threading.Thread(target=post_reply, args=(account_id_of(p), p["conversation"]["id"]), daemon=True).start()
        return self.out(200, {"ok": True})


ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
