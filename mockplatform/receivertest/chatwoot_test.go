package receivertest

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

// matrixCase is one request sent to every variant of a platform: the correct
// receiver answers want (or any 4xx with any4xx), the variants in except
// answer their own status, and every other variant answers as the correct
// one. So each case checks both that a defect shows and that the other
// variants are otherwise correct.
type matrixCase struct {
	name   string
	req    func() *http.Request // a fresh request per variant
	want   int
	any4xx bool
	except map[string]int
}

// merge returns the union of the status maps, later ones winning.
func merge(ms ...map[string]int) map[string]int {
	out := map[string]int{}
	for _, m := range ms {
		maps.Copy(out, m)
	}
	return out
}

// runMatrix sends every case to a fresh receiver of every variant of cfg's
// platform. The slow-ack variant gets an already-canceled request context, so
// a stall shows as its give-up answer, 503, without waiting.
// defaults give variants an answer for every case whose except does not
// name them.
func runMatrix(t *testing.T, cfg Config, cases []matrixCase, defaults ...map[string]int) {
	t.Helper()
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, variant := range VariantsFor(cfg.withDefaults().Platform) {
		t.Run(variant, func(t *testing.T) {
			for _, tc := range cases {
				c := cfg
				c.Variant = variant
				h := newTestReceiver(t, c)
				req := tc.req()
				if variant == SlowAck {
					withContext(canceled)(req, nil)
				}
				got := do(h, req)
				want, special := tc.except[variant]
				for _, d := range defaults {
					if w, ok := d[variant]; ok && !special && !tc.any4xx && tc.want == http.StatusOK {
						want, special = w, true
					}
				}
				switch {
				case special || !tc.any4xx:
					if !special {
						want = tc.want
					}
					if got.status != want {
						t.Errorf("%s: got %v; want status %d", tc.name, got, want)
					}
				case got.status < 400 || got.status > 499:
					t.Errorf("%s: got %v; want a 4xx", tc.name, got)
				}
			}
		})
	}
}

func TestChatwootMatrix(t *testing.T) {
	signedBody := func(body []byte, opts ...reqOpt) func() *http.Request {
		return func() *http.Request { return chatwootRequest(body, append([]reqOpt{signed()}, opts...)...) }
	}
	// Every correctly signed delivery: body-only-hmac rejects it.
	signedExcept := map[string]int{BodyOnlyHMAC: http.StatusUnauthorized, BareHexHMAC: http.StatusUnauthorized,
		NoTimestampHMAC: http.StatusUnauthorized, EmptySecret: http.StatusUnauthorized}
	// Bodies Chatwoot never sends: 500-on-malformed answers 500.
	malformed := map[string]int{Malformed500: http.StatusInternalServerError}
	// Every signed message event: also strict-message-type-int and slow-ack.
	messageExcept := merge(signedExcept, map[string]int{StrictMessageTypeInt: http.StatusUnprocessableEntity, SlowAck: http.StatusServiceUnavailable})
	// A signature the receiver must refuse: only no-signature-check takes it.
	refused := map[string]int{NoSignatureCheck: http.StatusOK}

	escaped := message(func(m map[string]any) { m["content"] = "<b>Tom & Jerry</b> \u2028 ok" })
	if !strings.Contains(string(escaped), `\u003cb\u003eTom \u0026 Jerry`) || !strings.Contains(string(escaped), `\u2028`) {
		t.Fatalf("test body lacks Chatwoot's escapes: %s", escaped)
	}
	huge := make([]byte, MaxBody+1)
	for i := range huge {
		huge[i] = ' '
	}

	cases := []matrixCase{
		{name: "message signed", req: signedBody(message(nil)), want: 200, except: messageExcept},
		{name: "message_updated signed", req: signedBody(message(func(m map[string]any) { m["event"] = "message_updated" })), want: 200, except: messageExcept},
		{name: "conversation_created signed", req: signedBody(conversationEvent("conversation_created", nil)), want: 200, except: signedExcept},
		{name: "content type with charset", req: signedBody(conversationEvent("conversation_updated", nil), header("Content-Type", "application/json; charset=utf-8")), want: 200, except: signedExcept},
		{name: "outgoing message by an agent", req: signedBody(message(func(m map[string]any) {
			m["message_type"] = "outgoing"
			m["sender"] = map[string]any{"id": 3, "name": "Ana", "email": "ana@cw.test", "type": "user"}
		})), want: 200, except: messageExcept},

		// signatures
		{name: "unsigned", req: func() *http.Request { return chatwootRequest(message(nil)) }, want: 401, except: refused},
		{name: "signature without timestamp", req: signedBody(conversationEvent("conversation_created", nil), header(mockplatform.HeaderTimestamp, "")), want: 401, except: refused},
		{name: "wrong secret", req: func() *http.Request {
			return chatwootRequest(conversationEvent("conversation_created", nil), signedAt("not-"+testSecret, testNow))
		}, want: 401, except: refused},
		{name: "body-only signature", req: func() *http.Request {
			return chatwootRequest(conversationEvent("conversation_created", nil), bodyOnlySigned)
		}, want: 401, except: merge(refused, map[string]int{BodyOnlyHMAC: 200})},
		{name: "tampered body", req: func() *http.Request { return chatwootRequest(message(nil), tampered) },
			want: 401, except: refused},
		{name: "stale timestamp", req: func() *http.Request {
			return chatwootRequest(conversationEvent("conversation_created", nil), signedAt(testSecret, testNow.Add(-10*time.Minute)))
		}, want: 401, except: merge(refused, map[string]int{NoTimestampTolerance: 200})},
		{name: "future timestamp", req: func() *http.Request {
			return chatwootRequest(conversationEvent("conversation_created", nil), signedAt(testSecret, testNow.Add(10*time.Minute)))
		}, want: 401, except: merge(refused, map[string]int{NoTimestampTolerance: 200})},
		{name: "timestamp within tolerance", req: func() *http.Request {
			return chatwootRequest(conversationEvent("conversation_created", nil), signedAt(testSecret, testNow.Add(-4*time.Minute)))
		}, want: 200, except: signedExcept},
		{name: "raw bytes with escapes", req: signedBody(escaped), want: 200,
			except: merge(messageExcept, map[string]int{Reserializes: 401})},

		// robustness
		{name: "unknown event", req: signedBody(conversationEvent("conversation_archived", nil)), want: 200,
			except: merge(signedExcept, map[string]int{UnknownEvents5xx: 500})},
		{name: "unknown event, unknown keys", req: signedBody([]byte(`{"event":"brand_new","id":1,"whatever":{"a":null}}`)), want: 200,
			except: merge(signedExcept, map[string]int{UnknownEvents5xx: 500})},
		{name: "unknown top-level key", req: signedBody(message(func(m map[string]any) { m["status"] = "sent" })), want: 200,
			except: merge(messageExcept, map[string]int{UnknownKeys5xx: 500})},
		{name: "unknown key in conversation", req: signedBody(message(func(m map[string]any) { obj(m["conversation"])["uuid"] = "x" })), want: 200,
			except: merge(messageExcept, map[string]int{UnknownKeys5xx: 500})},
		{name: "unknown key in sender", req: signedBody(message(func(m map[string]any) { obj(m["sender"])["last_activity_at"] = 1 })), want: 200,
			except: merge(messageExcept, map[string]int{UnknownKeys5xx: 500})},
		{name: "unknown key in meta", req: signedBody(conversationEvent("conversation_updated", func(m map[string]any) { obj(m["meta"])["channel"] = "x" })), want: 200,
			except: merge(signedExcept, map[string]int{UnknownKeys5xx: 500})},
		{name: "unknown key deeper (open bag)", req: signedBody(message(func(m map[string]any) { obj(m["content_attributes"])["new_flag"] = true })), want: 200,
			except: messageExcept},
		{name: "optional enterprise keys", req: signedBody(conversationEvent("conversation_updated", func(m map[string]any) {
			m["applied_sla"], m["sla_events"], m["sla_policy_id"], m["changed_attributes"] = nil, []any{}, nil, nil
		})), want: 200, except: signedExcept},
		{name: "null sender", req: signedBody(message(func(m map[string]any) { m["sender"] = nil; m["message_type"] = "template" })), want: 200,
			except: merge(messageExcept, map[string]int{CrashNullSender: 500})},
		{name: "no attachments", req: signedBody(message(func(m map[string]any) { delete(m, "attachments") })), want: 200,
			except: merge(messageExcept, map[string]int{CrashMissingAttachments: 500})},
		{name: "null content, attachments", req: signedBody(message(func(m map[string]any) { m["content"] = nil })), want: 200, except: messageExcept},
		{name: "message conversation without contact_inbox", req: signedBody(message(func(m map[string]any) { delete(obj(m["conversation"]), "contact_inbox") })), want: 200,
			except: merge(messageExcept, map[string]int{CrashMissingContactInbox: 500})},
		{name: "message conversation with null contact_inbox", req: signedBody(message(func(m map[string]any) { obj(m["conversation"])["contact_inbox"] = nil })), want: 200,
			except: merge(messageExcept, map[string]int{CrashMissingContactInbox: 500})},
		{name: "conversation without contact_inbox", req: signedBody(conversationEvent("conversation_status_changed", func(m map[string]any) { delete(m, "contact_inbox") })), want: 200,
			except: merge(signedExcept, map[string]int{CrashMissingContactInbox: 500})},
		{name: "integer message_type (docs era)", req: signedBody(message(func(m map[string]any) { m["message_type"] = 0 })), want: 200,
			except: merge(signedExcept, map[string]int{SlowAck: 503})},
		{name: "typing event", req: signedBody([]byte(`{"event":"conversation_typing_on","user":{"id":3,"name":"Ana","email":"a@cw.test","type":"user"},"conversation":` + cwConversation + `,"is_private":false}`)),
			want: 200, except: signedExcept},

		// malformed: 4xx from every variant
		{name: "not JSON", req: signedBody([]byte(`{"event":"message_created",`)), any4xx: true, except: malformed},
		{name: "empty body", req: signedBody(nil), any4xx: true, except: malformed},
		{name: "JSON array", req: signedBody([]byte(`[{"event":"message_created"}]`)), any4xx: true, except: malformed},
		{name: "JSON string", req: signedBody([]byte(`"message_created"`)), any4xx: true, except: malformed},
		{name: "two objects", req: signedBody([]byte(`{"event":"a"}{"event":"b"}`)), any4xx: true, except: malformed},
		{name: "no event", req: signedBody([]byte(`{"id":1}`)), any4xx: true},
		{name: "event not a string", req: signedBody([]byte(`{"event":7}`)), any4xx: true},
		{name: "wrong content type", req: signedBody(message(nil), header("Content-Type", "text/plain")), want: 415, except: malformed},
		{name: "form content type", req: signedBody(message(nil), header("Content-Type", "application/x-www-form-urlencoded")), want: 415, except: malformed},
		{name: "no content type", req: signedBody(message(nil), header("Content-Type", "")), want: 415, except: malformed},
		{name: "GET", req: signedBody(nil, method(http.MethodGet)), want: 405},
		{name: "too large", req: func() *http.Request { return chatwootRequest(huge) }, want: 413}, // read before verified
	}
	// The test payloads belong to account 7, the one account-bound serves.
	runMatrix(t, Config{Secret: testSecret, AccountID: 7}, cases)
}

// Without a secret nothing is signed and no variant checks signatures.
func TestChatwootUnsigned(t *testing.T) {
	cases := []matrixCase{
		{name: "message", req: func() *http.Request { return chatwootRequest(message(nil)) }, want: 200,
			except: map[string]int{StrictMessageTypeInt: 422, SlowAck: 503}},
		{name: "raw bytes with escapes", req: func() *http.Request {
			return chatwootRequest(message(func(m map[string]any) { m["content"] = "<&>" }))
		}, want: 200, except: map[string]int{StrictMessageTypeInt: 422, SlowAck: 503}},
		{name: "garbage signature ignored", req: func() *http.Request {
			return chatwootRequest(conversationEvent("conversation_created", nil), header(mockplatform.HeaderSignature, "sha256=00"))
		}, want: 200},
		{name: "without delivery id (before 4.11.2)", req: func() *http.Request {
			return chatwootRequest(conversationEvent("conversation_created", nil), header(mockplatform.HeaderDelivery, ""))
		}, want: 200},
	}
	// empty-secret verifies with "" although nothing is signed.
	runMatrix(t, Config{AccountID: 7}, cases, map[string]int{EmptySecret: http.StatusUnauthorized})
}

func TestChatwootIdempotency(t *testing.T) {
	for _, tt := range []struct {
		variant string
		second  int
		dup     bool
	}{{Correct, 200, true}, {RejectsDuplicates, 409, false}, {NoSignatureCheck, 200, true}} {
		t.Run(tt.variant, func(t *testing.T) {
			h := newTestReceiver(t, Config{Variant: tt.variant, Secret: testSecret})
			id := header(mockplatform.HeaderDelivery, "6f1b7c9e-0000-4000-8000-000000000001")
			first := do(h, chatwootRequest(message(nil), signed(), id))
			if first.status != 200 || strings.Contains(first.body, "duplicate") {
				t.Fatalf("first delivery: got %v; want 200 without duplicate", first)
			}
			// A retry carries the same id and a new timestamp and signature.
			second := do(h, chatwootRequest(message(nil), signedAt(testSecret, testNow.Add(3*time.Second)), id))
			if second.status != tt.second || strings.Contains(second.body, `"duplicate":true`) != tt.dup {
				t.Errorf("second delivery: got %v; want %d (duplicate %v)", second, tt.second, tt.dup)
			}
			other := do(h, chatwootRequest(message(nil), signed()))
			if other.status != 200 || strings.Contains(other.body, "duplicate") {
				t.Errorf("another delivery id: got %v; want 200 without duplicate", other)
			}
		})
	}
}

// A delivery the receiver refused is not remembered: its retry is processed.
func TestChatwootRefusedDeliveryNotRemembered(t *testing.T) {
	h := newTestReceiver(t, Config{Variant: RejectsDuplicates, Secret: testSecret})
	id := header(mockplatform.HeaderDelivery, "6f1b7c9e-0000-4000-8000-000000000002")
	if got := do(h, chatwootRequest(message(nil), signedAt("wrong", testNow), id)); got.status != 401 {
		t.Fatalf("wrongly signed: got %v; want 401", got)
	}
	if got := do(h, chatwootRequest(message(nil), signed(), id)); got.status != 200 {
		t.Errorf("retry: got %v; want 200", got)
	}
}

func TestChatwootAckBody(t *testing.T) {
	h := newTestReceiver(t, Config{})
	got := do(h, chatwootRequest(message(nil)))
	var v map[string]any
	if err := json.Unmarshal([]byte(got.body), &v); err != nil || v["ok"] != true {
		t.Errorf("got %v; want 200 {\"ok\":true}", got)
	}
}

func TestSlowAck(t *testing.T) {
	t.Run("stalls until the request is canceled", func(t *testing.T) {
		h := newTestReceiver(t, Config{Variant: SlowAck, SlowDelay: time.Hour})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan result)
		go func() { done <- do(h, chatwootRequest(message(nil), withContext(ctx))) }()
		cancel()
		if got := <-done; got.status != http.StatusServiceUnavailable {
			t.Errorf("got %v; want 503 after cancellation", got)
		}
	})
	t.Run("acks after the delay", func(t *testing.T) {
		h := newTestReceiver(t, Config{Variant: SlowAck, SlowDelay: time.Nanosecond})
		if got := do(h, chatwootRequest(message(nil))); got.status != 200 {
			t.Errorf("got %v; want 200", got)
		}
	})
	t.Run("other events are not delayed", func(t *testing.T) {
		h := newTestReceiver(t, Config{Variant: SlowAck, SlowDelay: time.Hour})
		if got := do(h, chatwootRequest(conversationEvent("conversation_created", nil))); got.status != 200 {
			t.Errorf("got %v; want 200", got)
		}
	})
}
