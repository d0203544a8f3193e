package receivertest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

// Fixed test values.
const (
	testSecret = "s3cret-Key_0123456789ab"
	testToken  = "tok-5f1e2d3c4b5a"
)

var testNow = time.Date(2026, 8, 19, 10, 17, 5, 0, time.UTC)

func fixedNow() time.Time { return testNow }

// newTestReceiver builds the receiver cfg describes with a fixed clock and no
// simulated work, failing the test on a config error.
func newTestReceiver(t *testing.T, cfg Config) *receiver {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = fixedNow
	}
	r, err := newReceiver(cfg)
	if err != nil {
		t.Fatalf("newReceiver(%v): %v", cfg, err)
	}
	r.work = func(context.Context) {}
	return r
}

// result is a handler's answer.
type result struct {
	status int
	body   string
}

func (r result) String() string { return fmt.Sprintf("%d %s", r.status, strings.TrimSpace(r.body)) }

// do serves req with h in-process.
func do(h http.Handler, req *http.Request) result {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return result{rec.Code, rec.Body.String()}
}

// reqOpt adjusts a test request.
type reqOpt func(*http.Request, []byte)

var deliveryIDs atomic.Int64

// chatwootRequest builds a Chatwoot delivery of body: POST, JSON, a fresh
// X-Chatwoot-Delivery, then opts in order.
func chatwootRequest(body []byte, opts ...reqOpt) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "http://192.0.2.1/webhook", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(mockplatform.HeaderDelivery, fmt.Sprintf("00000000-0000-4000-8000-%012d", deliveryIDs.Add(1)))
	for _, o := range opts {
		o(req, body)
	}
	return req
}

// signedAt signs the request as Chatwoot does, at time at, with secret.
func signedAt(secret string, at time.Time) reqOpt {
	return func(r *http.Request, body []byte) {
		r.Header.Set(mockplatform.HeaderTimestamp, fmt.Sprint(at.Unix()))
		r.Header.Set(mockplatform.HeaderSignature, mockplatform.Sign(secret, at.Unix(), body))
	}
}

func signed() reqOpt { return signedAt(testSecret, testNow) }

// bodyOnlySigned signs the body alone, the issue #13809 mistake.
func bodyOnlySigned(r *http.Request, body []byte) {
	r.Header.Set(mockplatform.HeaderTimestamp, fmt.Sprint(testNow.Unix()))
	m := hmac.New(sha256.New, []byte(testSecret))
	m.Write(body)
	r.Header.Set(mockplatform.HeaderSignature, "sha256="+hex.EncodeToString(m.Sum(nil)))
}

// tampered signs the body, then replaces it with another of the same length.
func tampered(r *http.Request, body []byte) {
	signed()(r, body)
	t := bytes.Replace(body, []byte("hello"), []byte("jello"), 1)
	if bytes.Equal(t, body) {
		panic("tampered: the body holds no \"hello\" to change")
	}
	r.Body = io.NopCloser(bytes.NewReader(t))
	r.ContentLength = int64(len(t))
}

func header(k, v string) reqOpt { return func(r *http.Request, _ []byte) { r.Header.Set(k, v) } }

func method(m string) reqOpt { return func(r *http.Request, _ []byte) { r.Method = m } }

func withContext(ctx context.Context) reqOpt {
	return func(r *http.Request, _ []byte) { *r = *r.WithContext(ctx) }
}

// swiftsellRequest builds a Swiftsell delivery of body: POST, JSON, then
// opts in order.
func swiftsellRequest(body []byte, opts ...reqOpt) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "http://192.0.2.1/webhook", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for _, o := range opts {
		o(req, body)
	}
	return req
}

func withToken(tok string) reqOpt { return header(mockplatform.DefaultTokenHeader, tok) }

// edit decodes the JSON object base, applies fn and encodes it again (with
// Go's HTML escaping, as Chatwoot escapes).
func edit(base string, fn func(m map[string]any)) []byte {
	dec := json.NewDecoder(strings.NewReader(base))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		panic(err)
	}
	if fn != nil {
		fn(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

// Hand-built payloads, trimmed to what the receivers read plus a few keys.
const (
	cwConversation = `{"additional_attributes":{},"can_reply":true,"channel":"Channel::WebWidget",` +
		`"contact_inbox":{"id":9113,"contact_id":4021,"inbox_id":12,"source_id":"a3f1c2d4","created_at":"2026-08-19T09:17:05.101Z","updated_at":"2026-08-19T09:17:05.101Z","hmac_verified":false,"pubsub_token":"x1"},` +
		`"id":318,"inbox_id":12,"messages":[],"labels":[],` +
		`"meta":{"sender":{"additional_attributes":{},"custom_attributes":{},"email":null,"id":4021,"identifier":null,"name":"quiet-sun-482","phone_number":null,"thumbnail":"","blocked":false,"type":"contact"},"assignee":null,"assignee_type":null,"team":null,"hmac_verified":false},` +
		`"status":"open","custom_attributes":{},"snoozed_until":null,"unread_count":1,"first_reply_created_at":null,"priority":null,"waiting_since":1787134625,` +
		`"agent_last_seen_at":0,"contact_last_seen_at":0,"last_activity_at":1787134625,"timestamp":1787134625,"created_at":1787134625,"updated_at":1787134625.240474,` +
		`"account":{"id":7,"name":"Lumen Outfitters"}}`
	cwMessage = `{"account":{"id":7,"name":"Lumen Outfitters"},"additional_attributes":{},"content_attributes":{"in_reply_to":null},` +
		`"content_type":"text","content":"hello there","conversation":` + cwConversation + `,"created_at":"2026-08-19T10:17:05.240Z","id":55012,` +
		`"inbox":{"id":12,"name":"Website"},"message_type":"incoming","private":false,` +
		`"sender":{"account":{"id":7,"name":"Lumen Outfitters"},"additional_attributes":{},"avatar":"","custom_attributes":{},"email":null,"id":4021,"identifier":null,"name":"quiet-sun-482","phone_number":null,"thumbnail":"","blocked":false},` +
		`"source_id":null,"attachments":[{"id":901,"message_id":55012,"file_type":"image","account_id":7,"extension":null,"data_url":"https://cw.test/a.png","thumb_url":"https://cw.test/t.png","file_size":1024,"width":null,"height":null}],` +
		`"event":"message_created"}`

	ssAgentMessage = `{"events":[{"event":{"type":"message","payload":{"message_by":{"email":"agent@swiftsell.test","id":"8292","type":"user"},"message":{"type":"text","text":"hello there"}}},` +
		`"conversation":{"key":"42bb83f0","id":7525695},"account":{"key":"VGYh5KEU","id":476,"bot":{"id":8861}},"visitor":{"key":"a569015f","id":826373},"timestamp":"2026-08-19 10:17:05.141788"}]}`
	ssStatus = `{"events":[{"event":{"type":"status","payload":{"closed_by":{"email":"agent@swiftsell.test","id":"8292","type":"user"},"status":"Close"}},` +
		`"conversation":{"key":"42bb83f0","id":7525695},"account":{"key":"VGYh5KEU","id":476,"bot":{"id":8861}},"visitor":{"key":"a569015f","id":826373},"timestamp":"2026-08-19 10:17:06.000001"}]}`
	ssNote = `{"events":[{"event":{"type":"note","payload":{"note_by":{"email":"agent@swiftsell.test","id":"8292","type":"user"},"note":"VIP"}},` +
		`"conversation":{"key":"42bb83f0","id":7525695},"account":{"key":"VGYh5KEU","id":476,"bot":{"id":8861}},"visitor":{"key":"a569015f","id":826373},"timestamp":"2026-08-19 10:17:07.000001"}]}`
)

// conversationEvent returns cwConversation as the body of event.
func conversationEvent(event string, fn func(m map[string]any)) []byte {
	return edit(cwConversation, func(m map[string]any) {
		m["event"] = event
		if fn != nil {
			fn(m)
		}
	})
}

// message returns cwMessage edited by fn.
func message(fn func(m map[string]any)) []byte { return edit(cwMessage, fn) }

// swiftsellEvent returns the first event element of an envelope.
func firstEvent(m map[string]any) map[string]any { return m["events"].([]any)[0].(map[string]any) }

func payloadOf(m map[string]any) map[string]any {
	return firstEvent(m)["event"].(map[string]any)["payload"].(map[string]any)
}

// newServer serves h on 127.0.0.1:0 as NewServer does.
func newServer(h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	return srv
}
