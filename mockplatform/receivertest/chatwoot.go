package receivertest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/releases"
)

// serveChatwoot handles one Chatwoot delivery whose method, content type and
// size are already checked: signature, parsing, deduplication by
// X-Chatwoot-Delivery, then the bot's work. It returns the reply to send
// with 200, or an error carrying the status.
func (h *receiver) serveChatwoot(r *http.Request, body []byte) (any, error) {
	if err := h.verifyChatwoot(r.Header, body); err != nil {
		return nil, err
	}
	p, err := decodeObject(body)
	if err != nil {
		if h.has(Malformed500) {
			return nil, fail(http.StatusInternalServerError, "cannot parse the delivery: %v", err)
		}
		return nil, err
	}
	event, ok := p["event"].(string)
	if !ok {
		return nil, fail(http.StatusBadRequest, `no string "event" member`)
	}
	if h.has(AccountBound) {
		if id, ok := accountOf(p); ok && id != float64(h.cfg.AccountID) {
			return nil, fail(http.StatusForbidden, "account %v is not the account this endpoint serves", id)
		}
	}
	if h.has(RejectsForeignEvents) {
		if _, known := chatwootEvents[event]; known && !h.sends(event) {
			return nil, fail(http.StatusUnprocessableEntity, "event %s is never sent to a %s receiver", event, h.cfg.Receiver)
		}
	}
	id := r.Header.Get(mockplatform.HeaderDelivery)
	if id != "" && h.seen.has(id) {
		if h.has(RejectsDuplicates) {
			return nil, fail(http.StatusConflict, "delivery %s already processed", id)
		}
		return ack(true), nil
	}
	if err := h.handleChatwoot(event, p); err != nil {
		return nil, err
	}
	if id != "" {
		h.seen.add(id)
	}
	if h.has(SlowAck) && chatwootEvents[event] == shapeMessage && !sleep(r.Context(), h.cfg.SlowDelay) {
		return nil, errGaveUp
	}
	return ack(false), nil
}

// verifyChatwoot checks the signature headers when a secret is configured.
func (h *receiver) verifyChatwoot(hd http.Header, body []byte) error {
	sig, ts := hd.Get(mockplatform.HeaderSignature), hd.Get(mockplatform.HeaderTimestamp)
	if h.has(EmptySecret) {
		// The defect: the secret is not configured, the HMAC key is "".
		if err := mockplatform.Verify("", sig, ts, body, h.cfg.Now(), h.cfg.Tolerance); err != nil {
			return fail(http.StatusUnauthorized, "signature: %v", err)
		}
		return nil
	}
	if h.cfg.Secret == "" || h.has(NoSignatureCheck) {
		return nil
	}
	tolerance := h.cfg.Tolerance
	switch {
	case h.has(BareHexHMAC), h.has(NoTimestampHMAC):
		m := hmac.New(sha256.New, []byte(h.cfg.Secret))
		want := ""
		if h.has(BareHexHMAC) {
			// The defect: the header is compared with the bare hex.
			m.Write([]byte(ts + "."))
			m.Write(body)
			want = hex.EncodeToString(m.Sum(nil))
		} else {
			// The defect: the timestamp is never read: HMAC(".<body>").
			m.Write([]byte("."))
			m.Write(body)
			want = "sha256=" + hex.EncodeToString(m.Sum(nil))
		}
		if sig == "" || !hmac.Equal([]byte(strings.TrimSpace(sig)), []byte(want)) {
			return fail(http.StatusUnauthorized, "signature: mismatch")
		}
		return nil
	case h.has(BodyOnlyHMAC):
		// The defect: HMAC(secret, body), no "<timestamp>." prefix.
		m := hmac.New(sha256.New, []byte(h.cfg.Secret))
		m.Write(body)
		want := "sha256=" + hex.EncodeToString(m.Sum(nil))
		if sig == "" || !hmac.Equal([]byte(strings.TrimSpace(sig)), []byte(want)) {
			return fail(http.StatusUnauthorized, "signature: mismatch")
		}
		return nil
	case h.has(Reserializes):
		// The defect: verify over JSON.stringify(JSON.parse(body)).
		re, err := reencode(body)
		if err != nil {
			return fail(http.StatusBadRequest, "body is not JSON: %v", err)
		}
		body = re
	case h.has(NoTimestampTolerance):
		tolerance = 0 // the defect: the timestamp's age is never checked
	}
	if tolerance < 0 {
		tolerance = 0
	}
	if err := mockplatform.Verify(h.cfg.Secret, sig, ts, body, h.cfg.Now(), tolerance); err != nil {
		return fail(http.StatusUnauthorized, "signature: %v", err)
	}
	return nil
}

// handleChatwoot is the bot's business logic: it reads what a real bot reads
// (the event, the message, its sender, conversation, contact inbox and
// attachments), tolerating absent keys and nulls; each defect variant breaks
// exactly one of those reads.
func (h *receiver) handleChatwoot(event string, p map[string]any) error {
	shape, known := chatwootEvents[event]
	if h.has(UnknownEvents5xx) && !known {
		return fail(http.StatusInternalServerError, "unhandled event %q", event)
	}
	if h.has(UnknownKeys5xx) && known {
		if err := checkChatwootKeys(shape, p); err != nil {
			return err
		}
	}
	var t turn
	t.event = event
	t.id = p["id"]
	switch shape {
	case shapeMessage:
		if err := h.readMessage(&t, p); err != nil {
			return err
		}
	case shapeConversation:
		h.readConversation(&t, p)
	}
	t.decide()
	return nil
}

// turn is what the bot extracts from one delivery.
type turn struct {
	event          string
	id             any
	messageType    string
	content        string
	senderName     string
	conversationID any
	contactSource  string
	attachments    int
	reply          string // what the bot would answer; unused beyond deciding
}

func (h *receiver) readMessage(t *turn, p map[string]any) error {
	switch mt := p["message_type"].(type) {
	case string:
		if h.has(StrictMessageTypeInt) {
			// The defect: the docs say message_type is an integer.
			return fail(http.StatusUnprocessableEntity, "message_type: want an integer, got %q", mt)
		}
		t.messageType = mt
	case json.Number:
		t.messageType = mt.String()
	}
	t.content = str(p["content"])
	if h.has(CrashNullSender) {
		t.senderName = str(p["sender"].(map[string]any)["name"]) // the defect: panics when sender is null
	} else {
		t.senderName = str(obj(p["sender"])["name"])
	}
	h.readConversation(t, obj(p["conversation"]))
	if h.has(CrashMissingAttachments) {
		for _, a := range p["attachments"].([]any) { // the defect: panics when the key is absent
			_ = a.(map[string]any)["file_type"]
			t.attachments++
		}
	} else {
		for _, a := range arr(p["attachments"]) {
			_ = str(obj(a)["file_type"])
			t.attachments++
		}
	}
	return nil
}

func (h *receiver) readConversation(t *turn, conv map[string]any) {
	t.conversationID = conv["id"]
	if h.has(CrashMissingContactInbox) {
		t.contactSource = str(conv["contact_inbox"].(map[string]any)["source_id"]) // the defect: panics when absent or null
	} else {
		t.contactSource = str(obj(conv["contact_inbox"])["source_id"])
	}
}

// decide picks the bot's reply: an echo to incoming messages.
func (t *turn) decide() {
	if t.messageType == "incoming" && (t.content != "" || t.attachments > 0) {
		t.reply = "Hi " + t.senderName + ", you said: " + t.content
	}
}

// checkChatwootKeys is the 5xx-unknown-keys defect: a strict decoder that
// fails on a key it was not written for, at the top level or in the first
// nested objects (conversation, sender, meta).
func checkChatwootKeys(shape string, p map[string]any) error {
	if k, ok := unknownKey(p, cwTopKeys[shape]); ok {
		return fail(http.StatusInternalServerError, "unknown field %q", k)
	}
	for name, known := range cwNestedKeys {
		if o, ok := p[name].(map[string]any); ok {
			if k, ok := unknownKey(o, known); ok {
				return fail(http.StatusInternalServerError, "unknown field %q in %s", k, name)
			}
		}
	}
	return nil
}

// accountOf returns the account id a Chatwoot payload names: its account,
// its conversation's or its contact's (typing events and web-widget
// triggers carry it there).
func accountOf(p map[string]any) (float64, bool) {
	for _, o := range []map[string]any{p, obj(p["conversation"]), obj(p["contact"])} {
		switch id := obj(o["account"])["id"].(type) {
		case float64:
			return id, true
		case json.Number:
			if f, err := id.Float64(); err == nil {
				return f, true
			}
		}
	}
	return 0, false
}

// sends reports whether Chatwoot sends event to the configured receiver
// kind at the configured release (package releases).
func (h *receiver) sends(event string) bool {
	k, err := releases.ParseKind(h.cfg.Receiver)
	if err != nil {
		return true
	}
	r, err := releases.Lookup(h.cfg.Version)
	if err != nil {
		return true
	}
	return r.Sends(k, event)
}
