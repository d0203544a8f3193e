package receivertest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chathook/chathook/mockplatform"
)

func TestSwiftsellMatrix(t *testing.T) {
	with := func(body []byte, opts ...reqOpt) func() *http.Request {
		return func() *http.Request {
			return swiftsellRequest(body, append([]reqOpt{withToken(testToken)}, opts...)...)
		}
	}
	messageExcept := map[string]int{SlowAck: 503}
	refused := map[string]int{NoTokenCheck: 200}

	visitor := edit(ssAgentMessage, func(m map[string]any) {
		payloadOf(m)["message_by"] = map[string]any{"email": nil, "id": nil, "type": "visitor"}
	})
	batch := []byte(`{"events":[` + strings.TrimSuffix(strings.TrimPrefix(ssStatus, `{"events":[`), `]}`) + `,` +
		strings.TrimSuffix(strings.TrimPrefix(ssNote, `{"events":[`), `]}`) + `]}`)
	if json.Unmarshal(batch, new(struct{ Events [2]json.RawMessage })) != nil {
		t.Fatalf("bad test batch: %s", batch)
	}

	cases := []matrixCase{
		{name: "message", req: with([]byte(ssAgentMessage)), want: 200, except: messageExcept},
		{name: "status", req: with([]byte(ssStatus)), want: 200},
		{name: "batch of two", req: with(batch), want: 200, except: map[string]int{BatchOfOne: 400}},
		{name: "empty batch", req: with([]byte(`{"events":[]}`)), want: 200},
		{name: "visitor message (null email)", req: with(visitor), want: 200,
			except: merge(messageExcept, map[string]int{CrashNullSender: 500})},

		// token
		{name: "missing token", req: func() *http.Request { return swiftsellRequest([]byte(ssStatus)) }, want: 401, except: refused},
		{name: "wrong token", req: func() *http.Request { return swiftsellRequest([]byte(ssStatus), withToken("not-"+testToken)) }, want: 401, except: refused},
		{name: "token in the query, header expected", req: func() *http.Request {
			r := swiftsellRequest([]byte(ssStatus))
			r.URL.RawQuery = "token=" + url.QueryEscape(testToken)
			return r
		}, want: 401, except: merge(refused, map[string]int{TokenInQuery: 200})},

		// handshake (answers are checked in TestSwiftsellHandshake)
		{name: "handshake", req: with([]byte(`{"token":"` + testToken + `"}`)), want: 200, except: map[string]int{TokenInQuery: 200}},
		{name: "handshake with a wrong token", req: with([]byte(`{"token":"nope"}`)), want: 401},

		// robustness
		{name: "unknown event type", req: with(edit(ssStatus, func(m map[string]any) { firstEvent(m)["event"].(map[string]any)["type"] = "rating" })), want: 200,
			except: map[string]int{UnknownEvents5xx: 500}},
		{name: "unknown envelope key", req: with(edit(ssStatus, func(m map[string]any) { m["batch_id"] = 9 })), want: 200,
			except: map[string]int{UnknownKeys5xx: 500}},
		{name: "unknown element key", req: with(edit(ssStatus, func(m map[string]any) { firstEvent(m)["channel"] = "web" })), want: 200,
			except: map[string]int{UnknownKeys5xx: 500}},
		{name: "unknown event key", req: with(edit(ssStatus, func(m map[string]any) { firstEvent(m)["event"].(map[string]any)["id"] = 1 })), want: 200,
			except: map[string]int{UnknownKeys5xx: 500}},
		{name: "unknown payload key", req: with(edit(ssStatus, func(m map[string]any) { payloadOf(m)["reason"] = "spam" })), want: 200,
			except: map[string]int{UnknownKeys5xx: 500}},
		{name: "unknown key deeper", req: with(edit(ssStatus, func(m map[string]any) { payloadOf(m)["closed_by"].(map[string]any)["name"] = "Ana" })), want: 200},
		{name: "element without event", req: with([]byte(`{"events":[{"conversation":{"key":"a","id":1}}]}`)), want: 200,
			except: map[string]int{UnknownEvents5xx: 500}},

		// malformed: 4xx from every variant
		{name: "not JSON", req: with([]byte(`{"events":[`)), any4xx: true},
		{name: "empty body", req: with(nil), any4xx: true},
		{name: "JSON array", req: with([]byte(`[]`)), any4xx: true},
		{name: "no events", req: with([]byte(`{"event":{"type":"status"}}`)), any4xx: true},
		{name: "events not an array", req: with([]byte(`{"events":{"type":"status"}}`)), any4xx: true},
		{name: "wrong content type", req: with([]byte(ssStatus), header("Content-Type", "text/plain")), want: 415},
		{name: "PUT", req: with([]byte(ssStatus), method(http.MethodPut)), want: 405},
	}
	// token-in-query refuses every delivery with the token in the header.
	runMatrix(t, Config{Platform: mockplatform.PlatformSwiftsell, Token: testToken}, cases, map[string]int{TokenInQuery: http.StatusUnauthorized})
}

func TestSwiftsellHandshake(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  Config
		req  *http.Request
		want string // the reply body, trimmed
	}{
		{"correct", Config{Token: testToken},
			swiftsellRequest([]byte(`{"token":"`+testToken+`"}`), withToken(testToken)), `{"token":"` + testToken + `"}`},
		{"correct, token in the body", Config{Token: testToken, TokenPlacement: mockplatform.TokenInBody},
			swiftsellRequest([]byte(`{"token":"` + testToken + `"}`)), `{"token":"` + testToken + `"}`},
		{"correct, custom body param", Config{Token: testToken, TokenPlacement: mockplatform.TokenInBody, TokenParam: "key"},
			swiftsellRequest([]byte(`{"key":"` + testToken + `","token":"` + testToken + `"}`)), `{"token":"` + testToken + `"}`},
		{"correct, no token configured", Config{},
			swiftsellRequest([]byte(`{"token":"anything"}`)), `{"token":"anything"}`},
		{"no-token-check", Config{Variant: NoTokenCheck, Token: testToken},
			swiftsellRequest([]byte(`{"token":"`+testToken+`"}`), withToken(testToken)), `{"token":"` + testToken + `"}`},
		{"wrong-handshake-reply", Config{Variant: WrongHandshakeReply, Token: testToken},
			swiftsellRequest([]byte(`{"token":"`+testToken+`"}`), withToken(testToken)), `ok`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Platform = mockplatform.PlatformSwiftsell
			got := do(newTestReceiver(t, tt.cfg), tt.req)
			if got.status != 200 || strings.TrimSpace(got.body) != tt.want {
				t.Errorf("got %v; want 200 %s", got, tt.want)
			}
		})
	}
}

func TestSwiftsellTokenPlacements(t *testing.T) {
	body := []byte(ssStatus)
	inBody := func(tok string) []byte {
		return edit(ssStatus, func(m map[string]any) { m["token"] = tok })
	}
	inQuery := func(tok string) reqOpt {
		return func(r *http.Request, _ []byte) { r.URL.RawQuery = "token=" + url.QueryEscape(tok) }
	}
	for _, tt := range []struct {
		name      string
		placement string
		req       func() *http.Request
		want      int
		noCheck   int // the no-token-check variant's answer
	}{
		{"query", mockplatform.TokenInQuery, func() *http.Request { return swiftsellRequest(body, inQuery(testToken)) }, 200, 200},
		{"query, wrong", mockplatform.TokenInQuery, func() *http.Request { return swiftsellRequest(body, inQuery("x")) }, 401, 200},
		{"query, missing", mockplatform.TokenInQuery, func() *http.Request { return swiftsellRequest(body, withToken(testToken)) }, 401, 200},
		{"body", mockplatform.TokenInBody, func() *http.Request { return swiftsellRequest(inBody(testToken)) }, 200, 200},
		{"body, wrong", mockplatform.TokenInBody, func() *http.Request { return swiftsellRequest(inBody("x")) }, 401, 200},
		{"body, missing", mockplatform.TokenInBody, func() *http.Request { return swiftsellRequest(body, inQuery(testToken)) }, 401, 200},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for variant, want := range map[string]int{Correct: tt.want, NoTokenCheck: tt.noCheck, UnknownKeys5xx: tt.want} {
				h := newTestReceiver(t, Config{Platform: mockplatform.PlatformSwiftsell, Variant: variant, Token: testToken, TokenPlacement: tt.placement})
				if got := do(h, tt.req()); got.status != want {
					t.Errorf("%s: got %v; want %d", variant, got, want)
				}
			}
		})
	}
}

func TestSwiftsellIdempotency(t *testing.T) {
	for _, tt := range []struct {
		variant string
		second  int
	}{{Correct, 200}, {RejectsDuplicates, 409}} {
		t.Run(tt.variant, func(t *testing.T) {
			h := newTestReceiver(t, Config{Platform: mockplatform.PlatformSwiftsell, Variant: tt.variant})
			if got := do(h, swiftsellRequest([]byte(ssStatus))); got.status != 200 || strings.Contains(got.body, "duplicate") {
				t.Fatalf("first: got %v; want 200", got)
			}
			got := do(h, swiftsellRequest([]byte(ssStatus)))
			if got.status != tt.second || (tt.second == 200 && !strings.Contains(got.body, `"duplicate":true`)) {
				t.Errorf("second: got %v; want %d", got, tt.second)
			}
			if got := do(h, swiftsellRequest([]byte(ssNote))); got.status != 200 {
				t.Errorf("another body: got %v; want 200", got)
			}
		})
	}
}
