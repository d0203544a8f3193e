package suites_test

import "sort"

// expectedFailures is the exact set of requirements each reference receiver
// fails under the self-test's seed and settings (selftest_test.go). A
// receiver with one defect fails the requirement it breaks and, where the
// defect touches every delivery of some kind, every requirement that
// delivers one (a receiver that crashes on messages without attachments fails
// every spec that sends such a message): that is what it does in production.
func expectedFailures(platform, variant string) []string {
	out := append([]string(nil), expected[platform+"/"+variant]...)
	sort.Strings(out)
	return out
}

// chatwootMessageSpecs are the Chatwoot requirements that deliver at least
// one message event (message_created or message_updated).
var chatwootMessageSpecs = []string{
	"delivery.message_created",
	"delivery.message_updated",
	"idempotency",
	"ordering",
	"robustness.edge",
	"robustness.no-attachments",
	"robustness.no-contact-inbox",
	"robustness.null-sender",
	"robustness.unknown-keys",
	"robustness.versions",
	"signature.raw-bytes",
	"signature.valid",
}

var expected = map[string][]string{
	"chatwoot/correct":  nil,
	"swiftsell/correct": nil,

	// One requirement each.
	"chatwoot/5xx-unknown-events":          {"robustness.unknown-event"},
	"chatwoot/5xx-unknown-keys":            {"robustness.unknown-keys"},
	"chatwoot/crash-missing-contact-inbox": {"robustness.no-contact-inbox"},
	"chatwoot/crash-null-sender":           {"robustness.null-sender"},
	"chatwoot/no-concurrency":              {"concurrency"},
	"chatwoot/no-signature-check":          {"signature.body-only", "signature.missing", "signature.stale", "signature.tampered", "signature.wrong-secret"},
	"chatwoot/no-timestamp-tolerance":      {"signature.stale"},
	"chatwoot/rejects-duplicates":          {"idempotency"},
	"swiftsell/5xx-unknown-events":         {"robustness.unknown-event"},
	"swiftsell/5xx-unknown-keys":           {"robustness.unknown-keys"},
	"swiftsell/batch-of-one":               {"delivery.batch"},
	"swiftsell/no-concurrency":             {"concurrency"},
	"swiftsell/no-token-check":             {"token.missing", "token.wrong"},
	"swiftsell/rejects-duplicates":         {"idempotency"},
	"swiftsell/wrong-handshake-reply":      {"handshake"},

	// Defects that hit every message delivery.
	// Every message delivery without attachments (under this seed, the
	// raw-bytes message has one).
	"chatwoot/crash-missing-attachments": without(chatwootMessageSpecs, "signature.raw-bytes"),
	"chatwoot/strict-message-type-int":   chatwootMessageSpecs,
	"chatwoot/slow-ack":                  chatwootMessageSpecs,

	// Rejects every correctly signed delivery: everything that must be
	// acknowledged fails; the rejections and malformed bodies pass (and the
	// unsigned senders' delivery specs skip: a secret is configured).
	"chatwoot/body-only-hmac": {
		"concurrency",
		"delivery.contact_created",
		"delivery.contact_updated",
		"delivery.conversation_created",
		"delivery.conversation_opened",
		"delivery.conversation_resolved",
		"delivery.conversation_status_changed",
		"delivery.conversation_typing_off",
		"delivery.conversation_typing_on",
		"delivery.conversation_updated",
		"delivery.inbox_created",
		"delivery.inbox_updated",
		"delivery.message_created",
		"delivery.message_updated",
		"delivery.webwidget_triggered",
		"idempotency",
		"ordering",
		"robustness.edge",
		"robustness.no-attachments",
		"robustness.no-contact-inbox",
		"robustness.null-sender",
		"robustness.unknown-event",
		"robustness.unknown-keys",
		"robustness.versions",
		"signature.body-only",
		"signature.raw-bytes",
		"signature.valid",
	},

	// Verifies over JSON.stringify(req.body): fails wherever the raw body
	// carries \u003c \u003e \u0026 escapes (company names with "&", HTML in
	// messages, URLs with query strings), which under this seed is these.
	"chatwoot/reserializes": {
		"concurrency",
		"delivery.conversation_resolved",
		"delivery.conversation_typing_off",
		"delivery.conversation_updated",
		"delivery.inbox_created",
		"delivery.inbox_updated",
		"delivery.webwidget_triggered",
		"robustness.edge",
		"robustness.no-contact-inbox",
		"robustness.unknown-keys",
		"robustness.versions",
		"signature.raw-bytes",
	},

	// Visitors have a null e-mail: every visitor message fails.
	"swiftsell/crash-null-sender": {
		"concurrency",
		"delivery.batch",
		"delivery.message.appointment_booking.response",
		"delivery.message.button.response",
		"delivery.message.calendly.response",
		"delivery.message.file_upload.response",
		"delivery.message.form.response",
		"delivery.message.javascript.response",
		"delivery.message.slider.response",
		"delivery.message.text",
		"ordering",
		"robustness.edge",
		"robustness.null-sender",
		"robustness.unknown-keys",
	},

	// Stalls on every message event.
	"swiftsell/slow-ack": {
		"concurrency",
		"delivery.batch",
		"delivery.message.appointment_booking",
		"delivery.message.appointment_booking.response",
		"delivery.message.audio",
		"delivery.message.button",
		"delivery.message.button.response",
		"delivery.message.calendar",
		"delivery.message.calendly.response",
		"delivery.message.carousel",
		"delivery.message.document",
		"delivery.message.file_upload",
		"delivery.message.file_upload.response",
		"delivery.message.form",
		"delivery.message.form.response",
		"delivery.message.image",
		"delivery.message.javascript",
		"delivery.message.javascript.response",
		"delivery.message.list",
		"delivery.message.slider",
		"delivery.message.slider.response",
		"delivery.message.text",
		"delivery.message.video",
		"ordering",
		"robustness.edge",
		"robustness.null-sender",
		"robustness.unknown-keys",
	},
}

// without returns list less the given ids.
func without(list []string, ids ...string) []string {
	var out []string
	for _, x := range list {
		keep := true
		for _, id := range ids {
			keep = keep && x != id
		}
		if keep {
			out = append(out, x)
		}
	}
	return out
}
