package mockplatform_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/chathook/chathook/mockplatform"
)

// Raw events with odd spacing and escapes: they must arrive byte for byte.
var rawEvents = []string{
	`{"event":{"type":"message","payload":{"message":{"type":"text","text":"\u003chi\u003e"}}},"conversation":{"key":"a1","id":1}}`,
	`{ "event" : {"type":"status","payload":{"status":"Close"}} , "timestamp":"2023-09-01 14:13:32.141788" }`,
	`{"event":{"type":"note","payload":{"note":"Привет 👋"}}}`,
	`{"event":{"type":"variables","payload":{"variables":[{"type":"number","name":"n","value":"123456789"}]}}}`,
	`{"event":{"type":"conversation_labels","payload":{"action":"deleted","labels":[{"id":7}]}}}`,
}

func swiftConfig(placement string) mockplatform.Config {
	cfg := testConfig()
	cfg.Platform, cfg.Token, cfg.TokenPlacement = mockplatform.PlatformSwiftsell, "tok-123", placement
	return cfg
}

func TestSwiftsellTokenPlacement(t *testing.T) {
	envelope := `{"events":[` + rawEvents[0] + `]}`
	tests := []struct {
		placement string
		target    string
		wantURL   string
		wantBody  string
		wantHdr   string
	}{
		{mockplatform.TokenInHeader, "/hook", "/hook", envelope, "tok-123"},
		{mockplatform.TokenInQuery, "/hook", "/hook?token=tok-123", envelope, ""},
		{mockplatform.TokenInQuery, "/hook?a=b", "/hook?a=b&token=tok-123", envelope, ""},
		{mockplatform.TokenInBody, "/hook", "/hook", `{"token":"tok-123","events":[` + rawEvents[0] + `]}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.placement+tt.target, func(t *testing.T) {
			rc := newReceiver(t, nil)
			d := deliver(t, newPlatform(t, swiftConfig(tt.placement)), rc.URL+tt.target, []byte(envelope))
			if !d.OK() {
				t.Fatalf("Status = %d, Err = %v", d.Status, d.Err)
			}
			r := rc.requests()[0]
			if r.URL != tt.wantURL || string(r.Body) != tt.wantBody || r.Header.Get("X-Swiftsell-Token") != tt.wantHdr {
				t.Errorf("sent %s %s header %q; want %s %s header %q", r.URL, r.Body, r.Header.Get("X-Swiftsell-Token"), tt.wantURL, tt.wantBody, tt.wantHdr)
			}
			if r.Header.Get("Content-Type") != "application/json" {
				t.Errorf("Content-Type = %q; want application/json", r.Header.Get("Content-Type"))
			}
			for _, k := range []string{"X-Chatwoot-Delivery", "X-Chatwoot-Timestamp", "X-Chatwoot-Signature"} {
				if _, ok := r.Header[k]; ok {
					t.Errorf("swiftsell sent %s", k)
				}
			}
			if d.DeliveryID != "" {
				t.Errorf("DeliveryID = %q; want none", d.DeliveryID)
			}
		})
	}
}

func TestSwiftsellTokenInBodyReplacesExisting(t *testing.T) {
	rc := newReceiver(t, nil)
	cfg := swiftConfig(mockplatform.TokenInBody)
	cfg.TokenParam = "secret"
	deliver(t, newPlatform(t, cfg), rc.URL, []byte(`{"events":[], "secret" : "old"}`))
	if got, want := string(rc.requests()[0].Body), `{"events":[], "secret" : "tok-123"}`; got != want {
		t.Errorf("body = %s; want %s", got, want)
	}
	if _, err := newPlatform(t, cfg).Deliver(t.Context(), rc.URL, []byte(`[1,2]`)); !errors.Is(err, mockplatform.ErrInvalidArgument) {
		t.Errorf("token in the body of a non-object: err = %v; want ErrInvalidArgument", err)
	}
}

func TestDeliverBatch(t *testing.T) {
	tests := []struct {
		name      string
		batch     int
		bodies    []string
		wantSizes []int
	}{
		{"5 events, batches of 2", 2, rawEvents, []int{2, 2, 1}},
		{"default batch of 1", 0, rawEvents[:3], []int{1, 1, 1}},
		{"one big batch", 10, rawEvents, []int{5}},
		{"envelopes and single events mixed", 2, []string{
			`{"events":[` + rawEvents[0] + `,` + rawEvents[1] + `]}`,
			rawEvents[2],
			" {\"events\":[" + rawEvents[3] + "]} \n",
			rawEvents[4],
		}, []int{2, 2, 1}},
		{"empty envelopes send nothing", 2, []string{`{"events":[]}`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, nil)
			cfg := swiftConfig(mockplatform.TokenInHeader)
			cfg.BatchSize = tt.batch
			bodies := make([][]byte, len(tt.bodies))
			for i, b := range tt.bodies {
				bodies[i] = []byte(b)
			}
			ds, err := newPlatform(t, cfg).DeliverBatch(t.Context(), rc.URL, bodies)
			if err != nil {
				t.Fatal(err)
			}
			reqs := rc.requests()
			if len(ds) != len(tt.wantSizes) || len(reqs) != len(tt.wantSizes) {
				t.Fatalf("deliveries = %d, requests = %d; want %d", len(ds), len(reqs), len(tt.wantSizes))
			}
			var all []string
			for i, r := range reqs {
				var env struct{ Events []json.RawMessage }
				if err := json.Unmarshal(r.Body, &env); err != nil {
					t.Fatalf("POST %d body %s: %v", i+1, r.Body, err)
				}
				if len(env.Events) != tt.wantSizes[i] {
					t.Errorf("POST %d has %d events; want %d", i+1, len(env.Events), tt.wantSizes[i])
				}
				parts := make([]string, len(env.Events))
				for j, e := range env.Events {
					parts[j] = string(e)
					all = append(all, string(e))
				}
				if want := `{"events":[` + strings.Join(parts, ",") + `]}`; string(r.Body) != want {
					t.Errorf("POST %d body = %s; want exactly %s", i+1, r.Body, want)
				}
				if r.Header.Get("X-Swiftsell-Token") != "tok-123" || !ds[i].OK() {
					t.Errorf("POST %d token %q OK %v", i+1, r.Header.Get("X-Swiftsell-Token"), ds[i].OK())
				}
			}
			if tt.wantSizes != nil && strings.Join(all, "\n") != strings.Join(rawEvents[:len(all)], "\n") {
				t.Errorf("events arrived as\n%s\nwant byte-identical\n%s", strings.Join(all, "\n"), strings.Join(rawEvents[:len(all)], "\n"))
			}
		})
	}
}

func TestDeliverBatchRejectsBadBodies(t *testing.T) {
	rc := newReceiver(t, nil)
	p := newPlatform(t, swiftConfig(mockplatform.TokenInHeader))
	for _, b := range []string{`[1]`, `{"events":{}}`, `{"events":null}`, `not json`, `{"a":1} {"b":2}`} {
		if _, err := p.DeliverBatch(t.Context(), rc.URL, [][]byte{[]byte(rawEvents[0]), []byte(b)}); !errors.Is(err, mockplatform.ErrInvalidArgument) {
			t.Errorf("DeliverBatch(%s) error = %v; want ErrInvalidArgument", b, err)
		}
	}
	if n := len(rc.requests()); n != 0 {
		t.Errorf("%d requests sent; want none when a body is invalid", n)
	}
}

func TestDeliverBatchChatwootOnePerPost(t *testing.T) {
	rc := newReceiver(t, nil)
	bodies := [][]byte{[]byte(`{"event":"a"}`), []byte(`{"event":"b"}`)}
	ds, err := newPlatform(t, testConfig()).DeliverBatch(t.Context(), rc.URL, bodies)
	if err != nil || len(ds) != 2 {
		t.Fatalf("DeliverBatch = %d deliveries, %v; want 2", len(ds), err)
	}
	for i, r := range rc.requests() {
		if string(r.Body) != string(bodies[i]) {
			t.Errorf("POST %d body = %s; want %s", i+1, r.Body, bodies[i])
		}
	}
}

func TestSplitEnvelope(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{`{"events":[{"a":1}, {"b" : 2}]}`, []string{`{"a":1}`, `{"b" : 2}`}, false},
		{`  {"a":1}  `, []string{`{"a":1}`}, false},
		{`{"events":[]}`, nil, false},
		{`{"token":"x","events":[1,"s"]}`, []string{`1`, `"s"`}, false},
		{`{"events":"x"}`, nil, true},
		{`[]`, nil, true},
		{``, nil, true},
		{`{"a":1}x`, nil, true},
	}
	for _, tt := range tests {
		got, err := mockplatform.SplitEnvelope([]byte(tt.in))
		if (err != nil) != tt.err {
			t.Errorf("SplitEnvelope(%q) error = %v; want error %v", tt.in, err, tt.err)
			continue
		}
		if len(got) != len(tt.want) {
			t.Errorf("SplitEnvelope(%q) = %q; want %q", tt.in, got, tt.want)
			continue
		}
		for i := range got {
			if string(got[i]) != tt.want[i] {
				t.Errorf("SplitEnvelope(%q)[%d] = %s; want %s", tt.in, i, got[i], tt.want[i])
			}
		}
	}
}

func TestSwiftsellCustomTokenNames(t *testing.T) {
	rc := newReceiver(t, nil)
	cfg := swiftConfig(mockplatform.TokenInHeader)
	cfg.TokenHeader = "X-Replycx-Token"
	deliver(t, newPlatform(t, cfg), rc.URL, []byte(`{"events":[]}`))
	cfg.TokenPlacement, cfg.TokenParam = mockplatform.TokenInQuery, "key"
	deliver(t, newPlatform(t, cfg), rc.URL, []byte(`{"events":[]}`))
	reqs := rc.requests()
	if reqs[0].Header.Get("X-Replycx-Token") != "tok-123" || reqs[1].URL != "/?key=tok-123" {
		t.Errorf("custom names: header %q, url %s", reqs[0].Header.Get("X-Replycx-Token"), reqs[1].URL)
	}
}
