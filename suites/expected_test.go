package suites_test

import (
	"sort"

	"github.com/chathook/chathook/mockplatform/receivertest"
)

// selfCase is one run of the suite in the self-test: a receiver (a
// reference variant, or a receiver in another language from
// testdata/receivers, copied from the team's independent receivers), how
// the suite is configured for it, and exactly the requirements it must fail
// under the self-test's seed (selftest_test.go) and a diagnosis it must
// lead with.
//
// A receiver with one defect fails the requirement it breaks and, where the
// defect touches every delivery of some kind, every requirement that
// delivers one (a receiver that crashes on messages without attachments fails
// every spec that sends such a message): that is what it does in production.
type selfCase struct {
	name              string
	platform, variant string
	script            string   // a receiver in testdata/receivers (python3 or node) instead of a variant
	env               []string // extra environment of the script
	receiver          string   // Config.Receiver ("" = account)
	version           string   // Config.Version ("" = latest): a run pinned to a Chatwoot release
	boundAccount      bool     // Config.AccountID = the account the receiver serves
	noCredentials     bool     // the suite is given no secret or token (a forgotten --secret)
	unsignedReceiver  bool     // the receiver verifies no signature (it has no secret)
	hardening         bool
	want              []string // failing requirement ids
	diagnosis         string   // a substring of the diagnosis ("" = none expected when want is empty)
}

func (c selfCase) wantSorted() []string {
	out := append([]string(nil), c.want...)
	sort.Strings(out)
	if len(out) == 0 {
		return nil
	}
	return out
}

func selfCaseByName(name string) (selfCase, bool) {
	for _, c := range selfCases() {
		if c.name == name {
			return c, true
		}
	}
	return selfCase{}, false
}

// refusesSigned are the requirements a receiver fails when it refuses every
// correctly signed delivery of an account webhook: every one that must be
// acknowledged (the rejections are inconclusive, so they skip).
var refusesSigned = []string{
	"concurrency",
	"delivery.contact_created",
	"delivery.contact_updated",
	"delivery.conversation_created",
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
	"robustness.unknown-keys",
	"robustness.versions",
	"signature.raw-bytes",
	"signature.valid",
}

// chatwootMessageSpecs are the account-webhook requirements that deliver at
// least one message event (message_created or message_updated).
var chatwootMessageSpecs = []string{
	"concurrency",
	"delivery.message_created",
	"delivery.message_updated",
	"idempotency",
	"ordering",
	"robustness.edge",
	"robustness.no-attachments",
	"robustness.null-sender",
	"robustness.unknown-keys",
	"robustness.versions",
	"signature.raw-bytes",
	"signature.valid",
}

func selfCases() []selfCase {
	var cases []selfCase
	// Every reference variant, configured as its defect needs.
	for _, platform := range []string{"chatwoot", "swiftsell"} {
		for _, v := range receivertest.VariantsFor(platform) {
			c := selfCase{name: platform + "/" + v, platform: platform, variant: v}
			if w, ok := variantWant[c.name]; ok {
				c.want, c.diagnosis = w.want, w.diagnosis
			}
			switch c.name {
			case "chatwoot/" + receivertest.UnknownEvents5xx, "chatwoot/" + receivertest.RejectsForeignEvents:
				// Only receivers without a subscription filter meet unknown
				// events; an agent bot also never gets contact events.
				c.receiver = "agent_bot"
			case "chatwoot/" + receivertest.AccountBound:
				c.boundAccount = true
			}
			cases = append(cases, c)
		}
	}
	return append(cases, extraCases...)
}

type want struct {
	want      []string
	diagnosis string
}

// variantWant holds the failures of the reference variants (none: passes).
var variantWant = map[string]want{
	// One requirement each.
	"chatwoot/5xx-unknown-events":          {[]string{"robustness.unknown-event"}, ""},
	"chatwoot/5xx-unknown-keys":            {[]string{"robustness.unknown-keys"}, "unknown key"},
	"chatwoot/crash-missing-contact-inbox": {[]string{"robustness.no-contact-inbox"}, ""},
	"chatwoot/no-concurrency":              {[]string{"concurrency"}, ""},
	"chatwoot/no-signature-check":          {[]string{"signature.body-only", "signature.missing", "signature.stale", "signature.tampered", "signature.wrong-secret"}, ""},
	"chatwoot/no-timestamp-tolerance":      {[]string{"signature.stale"}, ""},
	"chatwoot/rejects-duplicates":          {[]string{"idempotency"}, ""},
	"swiftsell/5xx-unknown-events":         {[]string{"robustness.unknown-event"}, ""},
	"swiftsell/5xx-unknown-keys":           {[]string{"robustness.unknown-keys"}, ""},
	"swiftsell/batch-of-one":               {[]string{"delivery.batch"}, ""},
	"swiftsell/no-concurrency":             {[]string{"concurrency"}, ""},
	"swiftsell/no-token-check":             {[]string{"token.missing", "token.wrong"}, ""},
	"swiftsell/rejects-duplicates":         {[]string{"idempotency"}, ""},
	"swiftsell/wrong-handshake-reply":      {[]string{"handshake"}, ""},

	// A null sender: the realistic samples have some too (templates,
	// e-mail collect).
	// robustness.versions and robustness.no-attachments meet template
	// messages (null sender) too: the older releases' samples include some.
	"chatwoot/crash-null-sender": {[]string{"delivery.message_created", "robustness.null-sender", "robustness.no-attachments", "robustness.versions"}, "/sender is null"},

	// Defects that hit every message delivery.
	"chatwoot/crash-missing-attachments": {chatwootMessageSpecs, "/attachments is absent"},
	"chatwoot/strict-message-type-int":   {chatwootMessageSpecs, "message_type"},
	"chatwoot/slow-ack":                  {chatwootMessageSpecs, "message_created or message_updated"},

	// Refuse every correctly signed delivery; the diagnosis names the
	// signing mistake.
	"chatwoot/body-only-hmac":    {append([]string{"signature.body-only"}, refusesSigned...), "HMAC of the body alone"},
	"chatwoot/bare-hex-hmac":     {refusesSigned, "bare hex"},
	"chatwoot/no-timestamp-hmac": {refusesSigned, "without the timestamp"},
	"chatwoot/empty-secret":      {refusesSigned, "empty secret"},

	// Verifies over JSON.stringify(req.body): fails wherever the raw body
	// carries \u003c \u003e \u0026 escapes (company names with "&", HTML in
	// messages, URLs with query strings), which under this seed is these.
	"chatwoot/reserializes": {[]string{
		"concurrency",
		"delivery.conversation_typing_off",
		"delivery.conversation_updated",
		"delivery.inbox_created",
		"delivery.inbox_updated",
		"delivery.webwidget_triggered",
		"robustness.edge",
		"robustness.unknown-keys",
		"robustness.versions",
		"signature.raw-bytes",
	}, "re-serialized"},

	// Reads the token from the query: every delivery is refused.
	"swiftsell/token-in-query": {append([]string{"token.valid"}, swiftsellAll...), "--token-placement query"},

	// Visitors have a null e-mail: every visitor message fails.
	"swiftsell/crash-null-sender": {[]string{
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
	}, ""},

	// Stalls on every message event.
	"swiftsell/slow-ack": {swiftsellMessages, ""},
}

var swiftsellMessages = []string{
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
}

// swiftsellAll are the Swiftsell requirements that deliver events with the
// token.
var swiftsellAll = append([]string{
	"delivery.assignee_change",
	"delivery.conversation_create",
	"delivery.conversation_labels",
	"delivery.note",
	"delivery.status",
	"delivery.variables",
	"idempotency",
	"robustness.unknown-event",
}, swiftsellMessages...)

// extraCases are runs beyond one per variant: other receiver kinds, the
// hardening label, forgotten credentials, and receivers in other languages.
var extraCases = []selfCase{
	// Every receiver kind against the correct receiver.
	{name: "chatwoot/correct/api_inbox", platform: "chatwoot", variant: "correct", receiver: "api_inbox"},
	{name: "chatwoot/correct/agent_bot", platform: "chatwoot", variant: "correct", receiver: "agent_bot"},
	{name: "chatwoot/correct/automation", platform: "chatwoot", variant: "correct", receiver: "automation", noCredentials: true},
	// Pinned to 2.4.1: its payloads, events and unsigned delivery; a receiver
	// that verifies no signature (2.4 signs nothing) passes.
	{name: "chatwoot/correct/2.4", platform: "chatwoot", variant: "correct", version: "2.4", unsignedReceiver: true, noCredentials: true},
	{name: "chatwoot/correct/macro", platform: "chatwoot", variant: "correct", receiver: "macro", noCredentials: true},
	{name: "chatwoot/correct/installation", platform: "chatwoot", variant: "correct", receiver: "installation", noCredentials: true},
	{name: "chatwoot/4xx-foreign-events/api_inbox", platform: "chatwoot", variant: receivertest.RejectsForeignEvents, receiver: "api_inbox"},

	// Hardening: counted only when asked for.
	{name: "chatwoot/correct/hardening", platform: "chatwoot", variant: "correct", hardening: true},
	{name: "chatwoot/500-on-malformed/hardening", platform: "chatwoot", variant: receivertest.Malformed500, hardening: true,
		want: []string{"hardening.content-type", "hardening.empty", "hardening.not-json"}},
	{name: "chatwoot/no-timestamp-tolerance/hardening", platform: "chatwoot", variant: receivertest.NoTimestampTolerance, hardening: true,
		want: []string{"signature.future", "signature.stale"}},

	// A receiver bound to one account, run without --account-id; a
	// forgotten --secret or --token.
	{name: "chatwoot/account-bound/unpinned", platform: "chatwoot", variant: receivertest.AccountBound, want: refusesSigned, diagnosis: "--account-id"},
	{name: "chatwoot/correct/no-secret", platform: "chatwoot", variant: "correct", noCredentials: true, want: without(refusesSigned, "signature.raw-bytes", "signature.valid"), diagnosis: "--secret"},
	{name: "swiftsell/correct/no-token", platform: "swiftsell", variant: "correct", noCredentials: true, want: swiftsellAll, diagnosis: "--token"},

	// Receivers written by others from Chatwoot's docs and source, in
	// Python and JavaScript (testdata/receivers).
	{name: "py/account_hmac", platform: "chatwoot", script: "py_account_hmac.py"},
	{name: "py/strict_events", platform: "chatwoot", script: "py_strict_events.py", receiver: "api_inbox"},
	{name: "py/api_channel_bridge", platform: "chatwoot", script: "py_api_channel_bridge.py", receiver: "api_inbox"},
	{name: "node/account_tenant", platform: "chatwoot", script: "node_account_tenant.js", boundAccount: true},
	{name: "py/buggy_body_only_hmac", platform: "chatwoot", script: "py_buggy_body_only_hmac.py",
		want: append([]string{"signature.body-only"}, refusesSigned...), diagnosis: "HMAC of the body alone"},
	{name: "py/buggy_null_sender", platform: "chatwoot", script: "py_buggy_null_sender.py",
		want: []string{"delivery.message_created", "robustness.null-sender", "robustness.no-attachments", "robustness.versions"}, diagnosis: "/sender is null"},
	{name: "py/buggy_serial_messages", platform: "chatwoot", script: "py_buggy_serial_messages.py", env: []string{"DELAY=0.25"},
		want: []string{"concurrency"}},
	{name: "node/buggy_reserialize", platform: "chatwoot", script: "node_buggy_reserialize.js", want: []string{
		"concurrency",
		"delivery.conversation_typing_off",
		"delivery.conversation_updated",
		"delivery.inbox_created",
		"delivery.inbox_updated",
		"delivery.webwidget_triggered",
		"robustness.edge",
		"robustness.unknown-keys",
		"robustness.versions",
		"signature.raw-bytes",
	}, diagnosis: "re-serialized"},
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
