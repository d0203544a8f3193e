#!/usr/bin/env node
// Multi-tenant Chatwoot account-webhook receiver: one webhook secret per Chatwoot account.
// This process serves one tenant: SECRET is the webhook secret of account ACCOUNT_ID.
// A delivery correctly signed but about another account is refused with 403
// (a leaked/misconfigured secret of one tenant must not write into another tenant).
//
// env: PORT, SECRET, ACCOUNT_ID, TOLERANCE (seconds, default 300)
'use strict';
const http = require('http');
const crypto = require('crypto');

const SECRET = process.env.SECRET || '';
const ACCOUNT_ID = Number(process.env.ACCOUNT_ID);
const TOLERANCE = Number(process.env.TOLERANCE || 300);
if (!SECRET || !Number.isInteger(ACCOUNT_ID)) {
  console.error('SECRET and ACCOUNT_ID are required');
  process.exit(2);
}

function verify(req, raw) {
  const sig = req.headers['x-chatwoot-signature'] || '';
  const ts = req.headers['x-chatwoot-timestamp'] || '';
  if (!sig.startsWith('sha256=') || !/^\d+$/.test(ts)) return 'missing signature';
  if (Math.abs(Date.now() / 1000 - Number(ts)) > TOLERANCE) return 'stale timestamp';
  const expected = crypto.createHmac('sha256', SECRET).update(ts + '.').update(raw).digest('hex');
  const got = sig.slice('sha256='.length);
  if (got.length !== expected.length ||
      !crypto.timingSafeEqual(Buffer.from(got), Buffer.from(expected))) return 'bad signature';
  return null;
}

// Where the account id lives, per event family (Chatwoot 4.14.2+ puts `account` on every object;
// older releases lack it on conversation payloads, so fall back to the nested message's account_id).
function accountIdOf(p) {
  const c = (p.conversation && typeof p.conversation === 'object') ? p.conversation : {};
  const candidates = [
    p.account?.id,                   // message_*, contact_*, inbox_*, webwidget_triggered, conversation_* (4.14.2+)
    c.account?.id,                   // conversation_typing_*
    Array.isArray(p.messages) ? p.messages[0]?.account_id : undefined, // conversation_* before 4.14.2
    Array.isArray(c.messages) ? c.messages[0]?.account_id : undefined,
  ];
  for (const v of candidates) if (v !== undefined && v !== null) return Number(v);
  return null;
}

function send(res, code, obj) {
  const b = JSON.stringify(obj);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(b) });
  res.end(b);
}

http.createServer((req, res) => {
  if (req.method !== 'POST') return send(res, 405, { error: 'POST only' });
  const chunks = [];
  let size = 0;
  req.on('data', (c) => { size += c.length; if (size <= 5e6) chunks.push(c); });
  req.on('end', () => {
    if (size > 5e6) return send(res, 413, { error: 'too large' });
    const raw = Buffer.concat(chunks);
    const bad = verify(req, raw);
    if (bad) return send(res, 401, { error: bad });
    let p;
    try { p = JSON.parse(raw.toString('utf8')); } catch (e) { return send(res, 400, { error: 'invalid json' }); }
    if (!p || typeof p !== 'object' || Array.isArray(p)) return send(res, 400, { error: 'expected object' });
    const acc = accountIdOf(p);
    if (acc !== null && acc !== ACCOUNT_ID) return send(res, 403, { error: `account ${acc} is not this tenant` });
    return send(res, 200, { ok: true });
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
