// Package mockplatform delivers webhooks exactly as the chat platforms do, and
// receives them the same way a receiver would.
//
// It is shaped like net/http/httptest: a [Config] with documented defaults
// ([NewConfig]), a [Platform] built from it with [New], and results recorded
// as plain structs ([Delivery], [Attempt], [HandshakeResult], [Capture]).
// It imports only the standard library.
//
// # Chatwoot
//
// [Platform.Deliver] sends one JSON object per POST with the headers of the
// configured Chatwoot version and receiver kind (see reference/chatwoot.md
// §3): Content-Type and Accept application/json, the version's User-Agent,
// Net::HTTP's Accept-Encoding, X-Chatwoot-Delivery (a UUID v4, the same on
// every retry of one delivery), and, when a secret is set and the version
// signs that receiver kind, X-Chatwoot-Timestamp (unix seconds, per attempt)
// and X-Chatwoot-Signature ("sha256=" + lowercase hex HMAC-SHA256 of
// "<timestamp>.<raw body>"). 3xx answers with a Location are followed by
// re-POSTing the same body and headers; agent bots are retried on 429 and
// 500. [Sign] and [Verify] are the signature as pure functions, so receiver
// authors can test their own verification with the same code.
//
// Real Chatwoot (4.14 and later) refuses to deliver to private, loopback and
// link-local addresses unless the installation sets
// SAFE_FETCH_ALLOW_PRIVATE_NETWORK=true. This package posts to any address,
// as such an installation would.
//
// # Swiftsell
//
// Swiftsell deliveries are the {"events":[...]} envelope; [Platform.DeliverBatch]
// packs events into envelopes of [Config.BatchSize]. The token and the
// handshake ([Platform.Handshake]) follow chathook's documented assumptions,
// because Swiftsell's only public page does not say where the token travels or
// what the handshake answer looks like; every one of them is a setting (see
// [Config] and the swiftsell.go doc comments).
//
// # Faults and sequencing
//
// [WithFault] asks for one deliberate mistake (a wrong or missing signature, a
// body-only HMAC, a stale timestamp, a tampered body, a wrong or missing
// token). A duplicate delivery is the same body sent twice with the same
// [WithDeliveryID]; out-of-order delivery is the caller's sequencing: call
// Deliver in the order you want the receiver to see.
//
// # Application API
//
// [NewAPIServer] serves a mock of Chatwoot 4.16.2's Application API (the
// endpoints bots and integrations call) over an [APIWorld], shaped like
// httptest.Server. Authentication, refusals and response bodies follow
// Chatwoot's controllers and jbuilder views; agent-bot tokens reach only
// the bot-accessible endpoints. Every call is recorded ([APICall]); what
// the platform does in reaction (message_created for a created message,
// the status events of toggle_status, the hand-off of a pending
// conversation when an agent bot fails a delivery) is an [APIEvent] handed,
// in order and outside the request, to an [EventSink] that renders and
// delivers it: this package holds the state, not a second copy of
// Chatwoot's webhook encoding (chathook's suites render with its
// generator). Loops are bounded by Chatwoot's per-conversation message
// limit and by APIConfig.MaxEvents, and reported in the [TranscriptEntry]
// list.
//
// # Receiving
//
// [Capturer] is the http.Handler behind `chathook listen`: it verifies
// signatures and tokens, answers the Swiftsell handshake, validates bodies
// through an injected function and saves every delivery byte for byte.
//
// Nothing in this package prints, and secrets are never shown whole in any
// String method or error text.
package mockplatform
