package receivertest

import (
	"slices"
	"strings"

	"github.com/chathook/chathook/mockplatform"
)

// Variant names. Correct is the receiver without defects; every other one is
// the correct receiver with exactly one defect.
const (
	Correct                  = "correct"
	NoSignatureCheck         = "no-signature-check"
	BodyOnlyHMAC             = "body-only-hmac"
	Reserializes             = "reserializes"
	NoTimestampTolerance     = "no-timestamp-tolerance"
	NoTokenCheck             = "no-token-check"
	WrongHandshakeReply      = "wrong-handshake-reply"
	UnknownEvents5xx         = "5xx-unknown-events"
	UnknownKeys5xx           = "5xx-unknown-keys"
	CrashNullSender          = "crash-null-sender"
	CrashMissingAttachments  = "crash-missing-attachments"
	CrashMissingContactInbox = "crash-missing-contact-inbox"
	StrictMessageTypeInt     = "strict-message-type-int"
	SlowAck                  = "slow-ack"
	BatchOfOne               = "batch-of-one"
	NoConcurrency            = "no-concurrency"
	RejectsDuplicates        = "rejects-duplicates"

	// Receivers correct in ways the correct one is not: each must pass.
	AccountBound         = "account-bound"
	Malformed500         = "500-on-malformed"
	RejectsForeignEvents = "4xx-foreign-events"

	// Signing mistakes beyond body-only-hmac, and a token read from the
	// wrong place: each refuses every correct delivery.
	BareHexHMAC     = "bare-hex-hmac"
	NoTimestampHMAC = "no-timestamp-hmac"
	EmptySecret     = "empty-secret"
	TokenInQuery    = "token-in-query"
)

// Variant describes one reference receiver.
type Variant struct {
	Name        string
	Description string   // the receiver's behaviour, one line
	Platforms   []string // the platforms it applies to
	Breaks      string   // the conformance requirement(s) it breaks, one line; "" for correct and sound ones
	// Sound marks a receiver that differs from the correct one but is
	// correct too: it must pass every requirement.
	Sound bool
}

func (v Variant) appliesTo(platform string) bool { return slices.Contains(v.Platforms, platform) }

// Platform sets of the table below.
var (
	onChatwoot  = []string{mockplatform.PlatformChatwoot}
	onSwiftsell = []string{mockplatform.PlatformSwiftsell}
	onBoth      = []string{mockplatform.PlatformChatwoot, mockplatform.PlatformSwiftsell}
)

// variants is the table, sorted by name.
var variants = func() []Variant {
	vs := []Variant{
		{Correct, "verifies signatures over the raw body and the token, answers the handshake, tolerates unknown events and keys, nulls and absent keys, acks duplicates and concurrent deliveries",
			onBoth, "", false},
		{NoSignatureCheck, "never verifies X-Chatwoot-Signature: accepts missing, wrong, body-only, tampered and stale signatures",
			onChatwoot, "signature.missing, signature.wrong-secret, signature.body-only, signature.tampered, signature.stale", false},
		{BodyOnlyHMAC, `verifies an HMAC over the body alone, without "<timestamp>." (Chatwoot issue #13809): rejects every correctly signed delivery`,
			onChatwoot, "signature.valid, signature.body-only, signature.raw-bytes, and every requirement delivering signed events", false},
		{Reserializes, "verifies over the re-serialized body (JSON.stringify(req.body)): escapes such as \\u003c \\u003e \\u0026 \\u2028 come back unescaped, so those bodies fail",
			onChatwoot, "signature.raw-bytes, and every delivery whose raw body carries such escapes", false},
		{NoTimestampTolerance, "verifies the HMAC but ignores X-Chatwoot-Timestamp's age",
			onChatwoot, "signature.stale", false},
		{NoTokenCheck, "never checks the token on event deliveries (the handshake is still answered correctly)",
			onSwiftsell, "token.missing, token.wrong", false},
		{WrongHandshakeReply, "answers the handshake 200 with the body \"ok\" instead of echoing the token",
			onSwiftsell, "handshake", false},
		{UnknownEvents5xx, "answers 500 to an event name (chatwoot) or event.type (swiftsell) it does not know",
			onBoth, "robustness.unknown-event", false},
		{UnknownKeys5xx, "answers 500 when a key it does not know appears at the top level or in the first nested objects (chatwoot: conversation, sender, meta; swiftsell: envelope, events[i], event, payload)",
			onBoth, "robustness.unknown-keys", false},
		{CrashNullSender, "crashes (500) on a message whose sender is null (chatwoot: reads sender.name; swiftsell: reads message_by.email as a string)",
			onBoth, "robustness.null-sender, and every requirement delivering such a message (swiftsell: every visitor message)", false},
		{CrashMissingAttachments, "crashes (500) on a message event without an attachments key (iterates attachments unconditionally)",
			onChatwoot, "robustness.no-attachments, and every requirement delivering a message without attachments", false},
		{CrashMissingContactInbox, "crashes (500) when a conversation (top level of conversation events, message.conversation of message events) has no contact_inbox or a null one",
			onChatwoot, "robustness.no-contact-inbox", false},
		{StrictMessageTypeInt, "built from the docs: expects the top-level message_type to be an integer and answers 422 to the string the platform sends",
			onChatwoot, "delivery.message_created, delivery.message_updated, and every requirement delivering a message event", false},
		{SlowAck, "handles message events synchronously (an agent bot calling an LLM) and acks them only after SlowDelay, so they time out",
			onBoth, "delivery of message events, and every requirement delivering one", false},
		{BatchOfOne, "reads only events[0] and answers 400 to an envelope with more than one event",
			onSwiftsell, "delivery.batch (envelopes of more than one event)", false},
		{NoConcurrency, "processes one delivery at a time (each takes about 25 ms) and answers 503 when another is in flight",
			onBoth, "concurrency", false},
		{RejectsDuplicates, "answers 409 to a delivery it has already processed (chatwoot: same X-Chatwoot-Delivery; swiftsell: same body)",
			onBoth, "idempotency", false},
		{AccountBound, "binds its secret to one account (Config.AccountID): answers 403 to a payload that names another account; correct, since a Chatwoot webhook belongs to one account",
			onChatwoot, "", true},
		{Malformed500, "answers 500 to bodies Chatwoot never sends (not JSON, empty, another content type); correct for Chatwoot, fails only the hardening requirements",
			onChatwoot, "", true},
		{RejectsForeignEvents, "answers 422 to a Chatwoot event its receiver kind (Config.Receiver) never gets at Config.Version; correct, since Chatwoot never sends them",
			onChatwoot, "", true},
		{BareHexHMAC, `expects X-Chatwoot-Signature as bare hex, without "sha256=": rejects every correctly signed delivery`,
			onChatwoot, "signature.valid, signature.raw-bytes, and every requirement delivering signed events", false},
		{NoTimestampHMAC, `verifies an HMAC of ".<raw body>" (reads no timestamp): rejects every correctly signed delivery`,
			onChatwoot, "signature.valid, signature.raw-bytes, and every requirement delivering signed events", false},
		{EmptySecret, "has no secret configured and verifies with an empty key: rejects every correctly signed delivery",
			onChatwoot, "signature.valid, signature.raw-bytes, and every requirement delivering signed events", false},
		{TokenInQuery, `reads the token from the query parameter "token" wherever it is configured to travel: rejects every delivery with the token in a header or the body`,
			onSwiftsell, "token.valid, and every requirement delivering events", false},
	}
	slices.SortFunc(vs, func(a, b Variant) int { return strings.Compare(a.Name, b.Name) })
	return vs
}()

// Variants returns every variant, sorted by name, "correct" included.
func Variants() []Variant {
	out := make([]Variant, len(variants))
	for i, v := range variants {
		v.Platforms = slices.Clone(v.Platforms)
		out[i] = v
	}
	return out
}

// VariantsFor returns the sorted names of the variants that apply to
// platform ("chatwoot" or "swiftsell"); nil for an unknown platform.
func VariantsFor(platform string) []string {
	var names []string
	for _, v := range variants {
		if v.appliesTo(platform) {
			names = append(names, v.Name)
		}
	}
	return names
}

func variantByName(name string) (Variant, bool) {
	for _, v := range variants {
		if v.Name == name {
			return v, true
		}
	}
	return Variant{}, false
}
