package suites_test

import (
	"os"
	"testing"

	"github.com/onsi/ginkgo/v2"

	"github.com/chathook/chathook/suites"
)

// Run the conformance suite from your receiver's own go test. Start your
// receiver (or point at a running one), say which platform it serves and
// which capabilities it claims (a secret: it verifies signatures).
//
//	go test -run TestWebhookConformance ./... -ginkgo.label-filter='!concurrency'
func ExampleTest() {
	// In your repository this is: func TestWebhookConformance(t *testing.T) { ... }
	var t *testing.T

	cfg := suites.NewConfig()
	cfg.Target = "http://127.0.0.1:8080/webhooks/chatwoot"
	cfg.Platform = "chatwoot"                         // or bevatel, messagehub, voxsig, swiftsell, replycx
	cfg.Secret = os.Getenv("CHATWOOT_WEBHOOK_SECRET") // empty: the signature requirements skip
	cfg.Seed = 42                                     // fixed payloads; 0 draws a seed and reports it
	suites.Test(t, cfg)
}

// Embed the requirements in your own Ginkgo suite, next to your specs.
func ExampleGinkgoTest() {
	cfg := suites.NewConfig()
	cfg.Platform = "swiftsell"
	cfg.Token = os.Getenv("SWIFTSELL_TOKEN")

	var _ = ginkgo.Describe("my webhook receiver", func() {
		ginkgo.BeforeEach(func() {
			cfg.Target = "http://127.0.0.1:8080/hooks/swiftsell" // e.g. a server started in BeforeSuite
		})
		suites.GinkgoTest(&cfg)
	})
}
