// Package receivertest provides reference webhook receivers, the kind of
// handler a chathook user writes, for testing chathook itself, as
// net/http/httptest provides servers for testing HTTP clients.
//
// [NewHandler] and [NewServer] build a receiver for Chatwoot or Swiftsell
// deliveries. The "correct" receiver passes every requirement of chathook's
// conformance suite: it verifies Chatwoot signatures over the raw body in
// constant time, rejects stale timestamps, checks the Swiftsell token,
// answers the Swiftsell handshake, tolerates unknown events, unknown keys,
// nulls and absent optional keys, acknowledges duplicate deliveries, and
// handles concurrent deliveries.
//
// Every other variant (see [Variants]) is the same receiver with exactly one
// defect that real receivers exhibit: a missing signature check, an HMAC over
// a re-serialized body, a crash on a null sender, a slow synchronous
// acknowledgement, and so on. Each variant's [Variant.Breaks] names the
// conformance requirements it must fail; it behaves correctly otherwise. So
// the variants prove that the suite can tell a correct receiver from a broken
// one.
//
// Handlers are safe for concurrent use, read at most 10 MiB of a body
// (413 beyond), never print, and never hang: only the slow-ack variant stalls,
// and it returns as soon as the request's context is canceled.
package receivertest
