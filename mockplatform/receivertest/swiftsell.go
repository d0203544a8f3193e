package receivertest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"

	"github.com/chathook/chathook/mockplatform"
)

// serveSwiftsell handles one Swiftsell delivery whose method, content type
// and size are already checked: the handshake, or the token check, the
// envelope, deduplication by body hash, then the bot's work. It returns the
// reply to send with 200 ([]byte: raw text), or an error carrying the status.
func (h *receiver) serveSwiftsell(r *http.Request, body []byte) (any, error) {
	p, err := decodeObject(body)
	if err != nil {
		return nil, err
	}
	if tok, ok := h.handshakeToken(p); ok {
		return h.handshake(tok)
	}
	if err := h.checkToken(r, p); err != nil {
		return nil, err
	}
	raw, ok := p["events"]
	if !ok {
		return nil, fail(http.StatusBadRequest, `no "events" member: not a Swiftsell envelope`)
	}
	events, ok := raw.([]any)
	if !ok {
		return nil, fail(http.StatusBadRequest, `"events" is not an array`)
	}
	sum := sha256.Sum256(body)
	key := hex.EncodeToString(sum[:])
	if h.seen.has(key) {
		if h.has(RejectsDuplicates) {
			return nil, fail(http.StatusConflict, "delivery already processed (same body)")
		}
		return ack(true), nil
	}
	if h.has(BatchOfOne) {
		// The defect: written against the examples, which all hold one event.
		if len(events) > 1 {
			return nil, fail(http.StatusBadRequest, "want exactly one event, got %d", len(events))
		}
	}
	if h.has(UnknownKeys5xx) {
		if err := h.checkEnvelopeKeys(p); err != nil {
			return nil, err
		}
	}
	messages := 0
	for i, e := range events {
		typ, err := h.handleSwiftsell(i, obj(e))
		if err != nil {
			return nil, err
		}
		if typ == "message" {
			messages++
		}
	}
	h.seen.add(key)
	if h.has(SlowAck) && messages > 0 && !sleep(r.Context(), h.cfg.SlowDelay) {
		return nil, errGaveUp
	}
	return ack(false), nil
}

// handshakeToken recognizes the handshake: a JSON object whose only member
// is "token" (plus the configured body token member, which carries the same
// token when the token travels in the body), holding a string.
func (h *receiver) handshakeToken(p map[string]any) (string, bool) {
	tok, ok := p["token"].(string)
	if !ok {
		return "", false
	}
	for k := range p {
		if k != "token" && !(k == h.cfg.TokenParam && h.cfg.TokenPlacement == mockplatform.TokenInBody) {
			return "", false
		}
	}
	return tok, true
}

// handshake answers the handshake: 200 with {"token":"<token>"} when the
// token is the configured one (any token when none is configured), 401
// otherwise. The handshake is authenticated by the token it carries, so the
// per-placement check of event deliveries does not apply to it.
func (h *receiver) handshake(tok string) (any, error) {
	if h.cfg.Token != "" && !equalToken(tok, h.cfg.Token) {
		return nil, fail(http.StatusUnauthorized, "handshake: wrong token")
	}
	if h.has(WrongHandshakeReply) {
		return []byte("ok"), nil // the defect: the token is not echoed
	}
	return map[string]any{"token": tok}, nil
}

// checkToken checks an event delivery's token where TokenPlacement says.
func (h *receiver) checkToken(r *http.Request, p map[string]any) error {
	if h.cfg.Token == "" || h.has(NoTokenCheck) {
		return nil
	}
	var got string
	placement := h.cfg.TokenPlacement
	if h.has(TokenInQuery) {
		placement = mockplatform.TokenInQuery // the defect: always the query
	}
	switch placement {
	case mockplatform.TokenInHeader:
		got = r.Header.Get(h.cfg.TokenHeader)
	case mockplatform.TokenInQuery:
		got = r.URL.Query().Get(h.cfg.TokenParam)
	case mockplatform.TokenInBody:
		got = str(p[h.cfg.TokenParam])
	}
	switch {
	case got == "":
		return fail(http.StatusUnauthorized, "token: missing")
	case !equalToken(got, h.cfg.Token):
		return fail(http.StatusUnauthorized, "token: wrong")
	}
	return nil
}

func equalToken(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// handleSwiftsell is the bot's business logic for one event of the batch: it
// reads event.type and the payload a real bot reads, tolerating absent keys,
// nulls and unknown types; each defect variant breaks exactly one of those
// reads. It returns the event type.
func (h *receiver) handleSwiftsell(i int, e map[string]any) (string, error) {
	ev := obj(e["event"])
	typ := str(ev["type"])
	if _, known := ssPayloadKeys[typ]; h.has(UnknownEvents5xx) && !known {
		return typ, fail(http.StatusInternalServerError, "events[%d]: unhandled event type %q", i, typ)
	}
	if h.has(UnknownKeys5xx) {
		if err := checkEventKeys(i, e); err != nil {
			return typ, err
		}
	}
	payload := obj(ev["payload"])
	_ = obj(e["conversation"])["id"]
	_ = obj(e["visitor"])["id"]
	switch typ {
	case "message":
		by := obj(payload["message_by"])
		var email string
		if h.has(CrashNullSender) {
			email = payload["message_by"].(map[string]any)["email"].(string) // the defect: panics on a visitor's null email
		} else {
			email = str(by["email"])
		}
		msg := obj(payload["message"])
		t := turn{event: typ, id: by["id"], messageType: str(by["type"]), senderName: email, content: str(msg["text"])}
		t.decide()
	case "status":
		_ = str(payload["status"])
	case "note":
		_ = str(payload["note"])
	}
	return typ, nil
}

// checkEnvelopeKeys and checkEventKeys are the 5xx-unknown-keys defect for
// Swiftsell: the envelope, each event element, its event and its payload.
func (h *receiver) checkEnvelopeKeys(p map[string]any) error {
	for k := range p {
		if !ssEnvelopeKeys[k] && !(k == h.cfg.TokenParam && h.cfg.TokenPlacement == mockplatform.TokenInBody) {
			return fail(http.StatusInternalServerError, "unknown field %q", k)
		}
	}
	return nil
}

func checkEventKeys(i int, e map[string]any) error {
	if k, ok := unknownKey(e, ssElementKeys); ok {
		return fail(http.StatusInternalServerError, "events[%d]: unknown field %q", i, k)
	}
	ev := obj(e["event"])
	if k, ok := unknownKey(ev, ssEventKeys); ok {
		return fail(http.StatusInternalServerError, "events[%d].event: unknown field %q", i, k)
	}
	if known, ok := ssPayloadKeys[str(ev["type"])]; ok {
		if k, ok := unknownKey(obj(ev["payload"]), known); ok {
			return fail(http.StatusInternalServerError, "events[%d].event.payload: unknown field %q", i, k)
		}
	}
	return nil
}
