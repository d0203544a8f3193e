// Package load is chathook's load engine: it replays a pool of send-ready
// webhook bodies against a receiver as fast as a number of workers allow
// (closed loop) or at a fixed arrival rate (open loop), and accounts for
// every request exactly once.
//
// # What is sent
//
// Config.Bodies is the pool, built once by the caller (chathook load
// generates and validates it); the send loop cycles over it and never
// generates, validates or encodes JSON. Request i carries Bodies[i%len].
//
// Chatwoot (the default platform) requests carry the headers the platform
// sends (Content-Type and Accept application/json, User-Agent Ruby, Net::HTTP's
// Accept-Encoding), a unique X-Chatwoot-Delivery per request (a per-run random
// UUID with a request counter folded into its last 8 bytes: UUID-shaped,
// version 4 bits set, unique within a run) and, with Config.Secret, a fresh
// X-Chatwoot-Timestamp and X-Chatwoot-Signature computed per request
// ("sha256=" + hex HMAC-SHA256(secret, "<ts>.<body>"), the value
// mockplatform.Sign returns). Swiftsell requests carry Content-Type
// application/json and, with Config.Token, the token in the header
// Config.TokenHeader (default X-Swiftsell-Token, mockplatform's default
// placement); the bodies are expected to be envelopes already.
//
// # Loops and latency
//
// Config.Rate 0 is a closed loop: Config.Concurrency workers each send a
// request as soon as their previous one is answered; latency is measured from
// the moment a request starts. Config.Rate > 0 is an open loop without
// coordinated omission: a scheduler computes the intended send time of
// request i as start + i/Rate and queues it; workers take requests from the
// queue, and latency is measured from the intended time, so time spent
// queued behind busy workers counts. The queue holds at most
// Config.MaxBacklog requests; an arrival that finds it full is not sent and
// is counted in Result.Dropped ("client overloaded"), never skipped silently.
//
// Latencies go into fixed-memory log-linear histograms (see Histogram), one
// per worker, updated with atomic adds on worker-local memory (no lock, no
// allocation) and merged at the end, so memory stays flat however many
// requests a run sends. Only answered requests (any status) are recorded;
// failed requests are counted by cause.
//
// # Accounting
//
// Every request that went out is counted exactly once: as 2xx, as non-2xx
// (by status code) or as an error (by cause): Result.Sent == OK + Non2xx +
// Errors, also for an interrupted run. Causes are mockplatform's:
// refused, timeout, reset, tls, dns, body_too_large, canceled, other.
//
//   - Redirects are not followed: a 3xx is a non-2xx answer counted by its
//     status (Chatwoot 4.14+ follows up to 10; load measures the receiver's
//     own answer).
//   - Response bodies are read and discarded up to Config.MaxResponseBody
//     (default 1 MiB); a longer body is not read further, its connection is
//     closed, and the request counts as an error with cause body_too_large.
//   - Config.Timeout (default 5s) bounds each request: connecting, the TLS
//     handshake, writing, waiting for the headers and reading the body. It is
//     enforced with connection deadlines, armed when the request gets its
//     connection (httptrace GotConn) and cleared when it is done (no
//     per-request timer or context).
//   - When ctx ends (Ctrl-C), no new request starts, requests in flight are
//     canceled and counted with cause canceled, open-loop arrivals still
//     queued are counted in Result.Unsent, and Run returns the partial
//     Result with Interrupted set.
//
// # Cost
//
// Each worker builds its request, header map, body reader and HMAC state
// once and rewrites them per request: the body is an in-memory reader over
// the pool entry (so net/http writes headers and body in one write), the
// delivery id, timestamp and signature are appended into reusable buffers,
// and requests go straight to an http.Transport sized for the run (an idle
// keep-alive connection per worker, no compression, HTTP/1.1). A request
// is reused only after the transport reports it written (httptrace
// WroteRequest); otherwise the worker builds a new one. On loopback this
// sends as fast as a bare net/http client loop posting the same bytes (see
// bench_test.go).
package load
