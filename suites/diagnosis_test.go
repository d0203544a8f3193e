package suites

import (
	"strings"
	"testing"
)

func TestShapeDiagnosis(t *testing.T) {
	msg := func(sender string, attachments bool) []byte {
		b := `{"account":{"id":1},"message_type":"incoming","sender":` + sender
		if attachments {
			b += `,"attachments":[{"id":1}]`
		}
		return []byte(b + `,"event":"message_created"}`)
	}
	conv := []byte(`{"id":3,"status":"open","event":"conversation_created"}`)
	tests := []struct {
		name string
		outs []outcome
		want string // in the line; "" = no diagnosis
	}{
		{"null sender", []outcome{
			{event: "message_created", body: msg("null", true), status: 500},
			{event: "message_created", body: msg("null", false), status: 500},
			{event: "message_created", body: msg(`{"id":2}`, true), status: 200, ok: true},
			{event: "conversation_created", body: conv, status: 200, ok: true},
		}, "/sender is null"},
		{"absent attachments", []outcome{
			{event: "message_created", body: msg(`{"id":2}`, false), status: 500},
			{event: "message_created", body: msg("null", false), status: 500},
			{event: "message_created", body: msg(`{"id":2}`, true), status: 200, ok: true},
			{event: "conversation_created", body: conv, status: 200, ok: true},
		}, "/attachments is absent"},
		{"every message event", []outcome{
			{event: "message_created", body: msg(`{"id":2}`, false), status: 422, answer: "message_type: want an integer"},
			{event: "message_created", body: msg(`{"id":2}`, true), status: 422},
			{event: "conversation_created", body: conv, status: 200, ok: true},
		}, "every one a message_created delivery"},
		{"no common cause", []outcome{
			{event: "message_created", body: msg(`{"id":2}`, true), status: 500},
			{event: "conversation_created", body: conv, status: 500},
			{event: "message_created", body: msg(`{"id":2}`, true), status: 200, ok: true},
			{event: "conversation_created", body: conv, status: 200, ok: true},
		}, ""},
		{"one failure is not a pattern", []outcome{
			{event: "message_created", body: msg("null", true), status: 500},
			{event: "message_created", body: msg(`{"id":2}`, true), status: 200, ok: true},
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := shapeDiagnosis(tt.outs)
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("shapeDiagnosis = %q\nwant it to contain %q", got, tt.want)
			}
		})
	}
}

func TestRefusalDiagnoses(t *testing.T) {
	sc := &specContext{}
	esc := []byte(`{"content":"Tom \u0026 Jerry","account":{"id":5}}`)
	plain := []byte(`{"content":"Tom and Jerry","account":{"id":5}}`)
	noAccount := []byte(`{"id":9,"status":"open"}`)
	if got := sc.refusedEscapes([]outcome{{body: esc, status: 401}, {body: esc, status: 401}, {body: plain, status: 200, ok: true}}); !strings.Contains(got, "re-serialized") {
		t.Errorf("escapes refused: %q", got)
	}
	if got := sc.refusedEscapes([]outcome{{body: esc, status: 401}, {body: plain, status: 401}}); got != "" {
		t.Errorf("plain bodies refused too: %q; want no escape diagnosis", got)
	}
	if got := sc.refusedAccount([]outcome{{body: plain, status: 403}, {body: esc, status: 403}, {body: noAccount, status: 200, ok: true}}); !strings.Contains(got, "account 5") || !strings.Contains(got, "--account-id") {
		t.Errorf("account refused: %q", got)
	}
	if got := sc.refusedAccount([]outcome{{body: plain, status: 403}, {body: noAccount, status: 403}}); got != "" {
		t.Errorf("everything refused: %q; want no account diagnosis", got)
	}
}
