#!/usr/bin/env node
// BUGGY on purpose: Express-style code that gets the *parsed* body and verifies the HMAC over
// JSON.stringify(body) instead of the raw bytes. Works in most tests, because for most payloads
// JSON.stringify reproduces Ruby's to_json byte for byte -- but Chatwoot (ActiveSupport) escapes
// < > & as \u003c \u003e \u0026 (and U+2028/9), so any message containing them fails verification.
// env: PORT, SECRET
'use strict';
const http = require('http');
const crypto = require('crypto');
const SECRET = process.env.SECRET;

function jsonBody(req, cb) { // a tiny body-parser
  let s = '';
  req.setEncoding('utf8');
  req.on('data', (c) => { s += c; });
  req.on('end', () => { try { cb(null, JSON.parse(s)); } catch (e) { cb(e); } });
}

http.createServer((req, res) => {
  jsonBody(req, (err, body) => {
    if (err) { res.writeHead(400); return res.end('bad json'); }
    const ts = req.headers['x-chatwoot-timestamp'];
    const sig = req.headers['x-chatwoot-signature'] || '';
    if (!ts || Math.abs(Date.now() / 1000 - Number(ts)) > 300) { res.writeHead(401); return res.end('stale'); }
    const expected = 'sha256=' + crypto.createHmac('sha256', SECRET)
      .update(`${ts}.${JSON.stringify(body)}`) // BUG: re-serialized, not the raw body
      .digest('hex');
    if (expected !== sig) { res.writeHead(401); return res.end('bad signature'); }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
