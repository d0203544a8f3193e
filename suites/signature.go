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
	signed := func(ctx context.Context, tag string) *sent {
		ginkgo.GinkgoHelper()
		if sc.run.Platform != "chatwoot" {
			ginkgo.Skip("signatures are a Chatwoot feature (Swiftsell uses a token)")
		}
		if sc.run.Secret == "" {
			ginkgo.Skip("no secret configured: the receiver does not claim to verify signatures (set --secret or CHATHOOK_SECRET)")
		}
		if !sc.platform.Signs() {
			k := releases.Kind(sc.run.Receiver)
			first, _ := releases.First(func(r releases.Release) bool { return r.Signs(k) })
			ginkgo.Skip(fmt.Sprintf("Chatwoot %s does not sign %s deliveries (signed from %s)", sc.platform.Release(), sc.run.Receiver, first))
		}
		s := sc.generate("message_created", "", generator.ProfileRealistic, generator.VersionLatest, sc.sampleSeed("signature", tag))
		return s
	}
	reject := func(id, text string, fault mockplatform.Fault, why string) {
		sc.it(id, text+" is "+wantReject, func(ctx ginkgo.SpecContext) {
			s := signed(ctx, id)
			s.fault = fault
			sc.check(s, sc.deliver(ctx, s), why+"; it must be "+wantReject, rejected)
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
		"the timestamp is older than the receiver's tolerance (a replayed delivery); a receiver must bound the timestamp's age (about 5 minutes)")

	sc.it("signature.raw-bytes", `a signed body whose raw bytes carry \u003c \u003e \u0026 escapes is `+wantAck, func(ctx ginkgo.SpecContext) {
		s := signed(ctx, "raw-bytes")
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
