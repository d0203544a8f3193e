package mockplatform_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chathook/chathook/mockplatform"
)

func TestHandshake(t *testing.T) {
	const tok = "tok-123"
	answer := func(code int, body string) func(int, http.ResponseWriter, *http.Request) {
		return func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(code)
			io.WriteString(w, body)
		}
	}
	tests := []struct {
		name       string
		respond    func(int, http.ResponseWriter, *http.Request)
		wantPass   bool
		wantForm   string
		wantReason string
	}{
		{"raw", answer(200, tok), true, mockplatform.FormRaw, ""},
		{"trimmed", answer(200, "  "+tok+"\n"), true, mockplatform.FormTrimmed, ""},
		{"json string", answer(200, `"`+tok+`"`), true, mockplatform.FormJSONString, ""},
		{"json object token", answer(200, `{"token":"`+tok+`"}`), true, "json-object:token", ""},
		{"json object other member", answer(200, ` {"ok":true,"challenge":"`+tok+`"}`), true, "json-object:challenge", ""},
		{"echo of the request body", func(_ int, w http.ResponseWriter, r *http.Request) { io.Copy(w, r.Body) }, true, "json-object:token", ""},
		{"wrong body", answer(200, "ok"), false, "", `body "ok" does not echo the token`},
		{"empty body", answer(200, ""), false, "", `body "" does not echo the token`},
		{"wrong json string", answer(200, `"nope"`), false, "", `does not echo the token`},
		{"object member not a string", answer(200, `{"token":123}`), false, "", `does not echo the token`},
		{"204", answer(204, ""), false, "", "status 204, want 200"},
		{"201 with token", answer(201, tok), false, "", "status 201, want 200"},
		{"500", answer(500, tok), false, "", "status 500, want 200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, tt.respond)
			r, err := newPlatform(t, swiftConfig(mockplatform.TokenInHeader)).Handshake(t.Context(), rc.URL)
			if err != nil {
				t.Fatal(err)
			}
			if r.Passed != tt.wantPass || r.Form != tt.wantForm || !strings.Contains(r.Reason, tt.wantReason) || (tt.wantPass && r.Reason != "") {
				t.Errorf("Handshake = {Passed:%v Form:%q Reason:%q}; want {%v %q %q}", r.Passed, r.Form, r.Reason, tt.wantPass, tt.wantForm, tt.wantReason)
			}
			req := rc.requests()[0]
			if string(req.Body) != `{"token":"tok-123"}` || req.Header.Get("X-Swiftsell-Token") != tok || req.Header.Get("Content-Type") != "application/json" {
				t.Errorf("handshake request body %s, token header %q", req.Body, req.Header.Get("X-Swiftsell-Token"))
			}
			if r.Status != r.Delivery.Status || r.Err != nil {
				t.Errorf("Status %d / Delivery.Status %d, Err %v", r.Status, r.Delivery.Status, r.Err)
			}
		})
	}
}

func TestHandshakeTokenPlacementAndFaults(t *testing.T) {
	echo := func(_ int, w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "tok-123") }
	tests := []struct {
		name      string
		placement string
		fault     mockplatform.Fault
		wantURL   string
		wantBody  string
	}{
		{"query", mockplatform.TokenInQuery, "", "/?token=tok-123", `{"token":"tok-123"}`},
		{"body", mockplatform.TokenInBody, "", "/", `{"token":"tok-123"}`},
		{"wrong token in query", mockplatform.TokenInQuery, mockplatform.WrongToken, "/?token=not-tok-123", `{"token":"not-tok-123"}`},
		{"missing token", mockplatform.TokenInQuery, mockplatform.MissingToken, "/", `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, echo)
			var opts []mockplatform.DeliverOption
			if tt.fault != "" {
				opts = append(opts, mockplatform.WithFault(tt.fault))
			}
			r, err := newPlatform(t, swiftConfig(tt.placement)).Handshake(t.Context(), rc.URL, opts...)
			if err != nil || !r.Passed {
				t.Fatalf("Handshake = %+v, %v", r, err)
			}
			req := rc.requests()[0]
			if req.URL != tt.wantURL || string(req.Body) != tt.wantBody {
				t.Errorf("sent %s %s; want %s %s", req.URL, req.Body, tt.wantURL, tt.wantBody)
			}
		})
	}
}

func TestHandshakeUnreachableAndMisuse(t *testing.T) {
	p := newPlatform(t, swiftConfig(mockplatform.TokenInHeader))
	r, err := p.Handshake(t.Context(), "http://"+closedPort(t))
	if err != nil || r.Passed || mockplatform.CauseOf(r.Err) != mockplatform.CauseRefused || r.Reason != "no answer: refused" {
		t.Errorf("Handshake(closed port) = %+v, %v; want failed, refused", r, err)
	}
	if _, err := newPlatform(t, testConfig()).Handshake(t.Context(), "http://127.0.0.1:1"); !errors.Is(err, mockplatform.ErrInvalidArgument) {
		t.Errorf("chatwoot Handshake error = %v; want ErrInvalidArgument", err)
	}
	noTok := swiftConfig(mockplatform.TokenInHeader)
	noTok.Token = ""
	if _, err := newPlatform(t, noTok).Handshake(t.Context(), "http://127.0.0.1:1"); !errors.Is(err, mockplatform.ErrInvalidArgument) {
		t.Errorf("Handshake without token error = %v; want ErrInvalidArgument", err)
	}
}
