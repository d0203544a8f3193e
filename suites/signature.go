package suites

import (
	"bytes"
	"context"
	"fmt"

	"github.com/onsi/ginkgo/v2"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/releases"
)

// signature: a receiver with a secret accepts exactly the deliveries Chatwoot
// signs: HMAC-SHA256(secret, "<timestamp>.<raw body>"), fresh, untampered.
var _ = describe(LabelSignature, 30, func(sc *specContext) {
	signed := func(ctx context.Context, tag string, events ...string) *sent {
		ginkgo.GinkgoHelper()
		if sc.run.Platform != "chatwoot" {
			ginkgo.Skip("signatures are a Chatwoot feature (Swiftsell uses a token)")
		}
		if sc.run.Secret == "" {
			ginkgo.Skip("no secret configured: the receiver does not claim to verify signatures (set --secret or CHATHOOK_SECRET)")
		}
		if sc.unsigned {
			ginkgo.Skip(fmt.Sprintf("Chatwoot never signs %s webhooks: there is no signature to check", sc.run.Receiver))
		}
		if !sc.platform.Signs() {
			k := releases.Kind(sc.run.Receiver)
			first, _ := releases.First(func(r releases.Release) bool { return r.Signs(k) })
			ginkgo.Skip(fmt.Sprintf("Chatwoot %s does not sign %s deliveries (signed from %s)", sc.platform.Release(), sc.run.Receiver, first))
		}
		if len(events) == 0 {
			events = []string{"message_created", "conversation_created", "conversation_updated", sc.cases[0].event}
		}
		ec := sc.pick("a signed delivery", events...)
		return sc.generate(ec.event, "", generator.ProfileRealistic, generator.VersionLatest)
	}
	reject := func(id, text string, fault mockplatform.Fault, why string) {
		sc.it(id, text+" is "+wantReject, func(ctx ginkgo.SpecContext) {
			s := signed(ctx, id)
			s.fault = fault
			why := why
			if fault == mockplatform.StaleTimestamp {
				why += fmt.Sprintf(" (sent: a timestamp %s old, twice --tolerance %s)", 2*sc.run.Tolerance, sc.run.Tolerance)
			}
			sc.check(s, sc.deliver(ctx, s), why+"; it must be "+wantReject, rejected)
			sc.controlSigned(ctx, signed(ctx, id+"-control"))
		})
	}

	sc.it("signature.valid", "a correctly signed delivery is "+wantAck, func(ctx ginkgo.SpecContext) {
		s := signed(ctx, "valid")
		sc.check(s, sc.deliver(ctx, s), `a delivery signed as Chatwoot signs (X-Chatwoot-Signature: sha256=HMAC(secret, "<X-Chatwoot-Timestamp>.<raw body>")) must be `+wantAck, acked)
	})
	reject("signature.missing", "a delivery without signature headers", mockplatform.MissingSignature,
		"a delivery with no X-Chatwoot-Signature and X-Chatwoot-Timestamp cannot be proven to come from the platform")
	reject("signature.wrong-secret", "a delivery signed with another secret", mockplatform.WrongSignature,
		"a signature made with a different secret does not verify")
	reject("signature.body-only", "a delivery signed over the body alone", mockplatform.BodyOnlySignature,
		`Chatwoot signs "<timestamp>.<raw body>", not the body alone: an HMAC of the body only must not verify (Chatwoot issue #13809)`)
	reject("signature.tampered", "a delivery whose body changed after signing", mockplatform.TamperedBody,
		"one byte of the body differs from what was signed")
	reject("signature.stale", "a delivery with a timestamp older than the tolerance", mockplatform.StaleTimestamp,
		"the X-Chatwoot-Timestamp is twice --tolerance old (a replayed delivery); a receiver must bound the timestamp's age (Chatwoot sends Time.now.to_i per attempt and documents no window; "+
			"5 minutes is usual). If your receiver accepts older timestamps on purpose, pass its window with --tolerance")

	sc.signedFor = func(ctx context.Context, tag string) *sent { return signed(ctx, tag) }

	sc.it("signature.raw-bytes", `a signed body whose raw bytes carry \u003c \u003e \u0026 escapes is `+wantAck, func(ctx ginkgo.SpecContext) {
		s := signed(ctx, "raw-bytes", "message_created", "message_updated")
		// A plain message with a sender, so that this checks the raw bytes
		// and nothing robustness.null-sender checks.
		for i := 0; i < 8 && bytes.Contains(s.body, []byte(`"sender":null`)); i++ {
			s = signed(ctx, "raw-bytes", "message_created", "message_updated")
		}
		s = sc.edit(s, `content set to "Tom & Jerry <3 <b>bold</b>", escaped as Chatwoot escapes it`, func(n *node) error {
			return n.set("/content", `"Tom \u0026 Jerry \u003c3 \u003cb\u003ebold\u003c/b\u003e"`)
		})
		if !bytes.Contains(s.body, []byte(`\u003c`)) {
			ginkgo.Fail("harness: the raw-bytes payload lost its escapes")
		}
		sc.mustBeValid(s)
		sc.check(s, sc.deliver(ctx, s), `the signature covers the RAW body bytes, escapes included; a receiver that parses and re-serializes the JSON before verifying computes a different HMAC. It must be `+wantAck, acked)
	})
})

// controlSigned delivers a correctly signed copy after a faulty delivery was
// rejected: a receiver that refuses correct deliveries too proves nothing by
// rejecting a faulty one, so the requirement is inconclusive (skipped), not
// passed.
func (sc *specContext) controlSigned(ctx context.Context, s *sent) {
	ginkgo.GinkgoHelper()
	if d := sc.deliver(ctx, s); !acked(d) {
		ginkgo.Skip(fmt.Sprintf("inconclusive: the receiver also refuses a correctly signed delivery (%s), so its rejection proves nothing; fix [signature.valid] first", outcomeText(d)))
	}
}
