// Package suites holds chathook's conformance suites: Ginkgo v2 specs that
// check, requirement by requirement, that a webhook receiver handles a
// platform's deliveries as the real platform expects.
//
// Run them from your own go test:
//
//	func TestReceiver(t *testing.T) {
//		cfg := suites.NewConfig()
//		cfg.Target = "http://127.0.0.1:8080/webhooks/chatwoot"
//		cfg.Platform = "chatwoot"
//		cfg.Secret = os.Getenv("CHATWOOT_WEBHOOK_SECRET")
//		suites.Test(t, cfg)
//	}
//
// or embed them in your Ginkgo suite with GinkgoTest, or run them from CI
// with "chathook conform". Only one Test call per process is supported:
// under the hood it builds and runs a Ginkgo suite, and Ginkgo runs one
// suite per process.
//
// Each requirement is one spec, labelled (delivery, robustness, signature,
// token, handshake, idempotency, ordering, concurrency, and hardening, which
// runs only with Config.Hardening) and named by a stable id in brackets,
// e.g. "[signature.body-only]".
//
// Every delivery of a run comes from one world (one account, the receiver's
// inbox, the same contacts and conversations, growing ids and times; see
// Config.AccountID and Config.InboxID), and only the events the receiver
// kind gets at the configured release (package releases; Config.Receiver,
// Config.Version, Config.Events). Run also leads its Summary with a
// diagnosis when many requirements fail alike (Summary.Diagnosis), probing
// the receiver with the common signing mistakes when it refuses correct
// deliveries. A spec whose capability the
// receiver does not claim (no secret configured: the receiver does not
// verify signatures) is skipped with the reason. Every failure says the
// event, the delivery id, the seed, what was sent, what came back, the
// requirement, and a "chathook send" command that reproduces it.
//
// Importing this package registers no spec: specs are added only by Test or
// GinkgoTest.
package suites
