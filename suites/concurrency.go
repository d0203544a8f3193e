package suites

import (
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/onsi/ginkgo/v2"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/mockplatform"
)

// concurrency: bursts (a broadcast, a busy WhatsApp group) arrive as
// concurrent deliveries; all must be acknowledged within the timeout.
var _ = describe(LabelConcurrency, 70, func(sc *specContext) {
	sc.it("concurrency", "concurrent deliveries are all "+wantAck, func(ctx ginkgo.SpecContext) {
		n := sc.run.Concurrency
		payloads := make([]*sent, n)
		// Bursts are message events (a broadcast, a busy group chat):
		// every other delivery is a message_created when the receiver gets
		// them, the rest cycle over its events.
		for i := range payloads {
			ec := sc.cases[(i/2)%len(sc.cases)]
			if i%2 == 0 && sc.run.Platform == "chatwoot" && sc.has("message_created") {
				ec = eventCase{event: "message_created"}
			} else if i%2 == 0 && sc.run.Platform == "swiftsell" {
				ec = eventCase{event: "message", kind: "text"}
			}
			payloads[i] = sc.generate(ec.event, ec.kind, generator.ProfileRealistic, generator.VersionLatest)
		}
		results := make([]*mockplatform.Delivery, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range payloads {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				defer ginkgo.GinkgoRecover()
				<-start
				var opts []mockplatform.DeliverOption
				if sc.unsigned {
					opts = append(opts, mockplatform.NoDeliveryID())
				}
				d, err := sc.platform.Deliver(ctx, sc.run.Target, payloads[i].body, opts...)
				if err != nil {
					d = &mockplatform.Delivery{Err: err}
				}
				results[i] = d
			}(i)
		}
		close(start)
		wg.Wait()

		lat := make([]time.Duration, 0, n)
		var failures []string
		for i, d := range results {
			sc.remember(payloads[i])
			sc.abortIfGone(d, payloads[i])
			sc.recordOutcome(payloads[i], d)
			payloads[i].reproduceWith = fmt.Sprintf("%s load --target %s --platform %s --concurrency %d --requests %d --seed %d%s",
				sc.run.Command, sc.run.DisplayTarget(), sc.run.Platform, n, n, sc.seed, credentialFlags(sc.run))
			lat = append(lat, d.Duration)
			if !acked(d) && len(failures) < maxFailuresShown {
				failures = append(failures, sc.failure(payloads[i], d, fmt.Sprintf("each of %d concurrent deliveries must be %s", n, wantAck)))
			}
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		p50, p99 := percentile(lat, 0.50), percentile(lat, 0.99)
		ginkgo.AddReportEntry("latency", fmt.Sprintf("%d concurrent deliveries: p50 %s, p99 %s, max %s", n, p50, p99, lat[len(lat)-1]), ginkgo.ReportEntryVisibilityFailureOrVerbose)
		if len(failures) > 0 {
			failed := 0
			for _, d := range results {
				if !acked(d) {
					failed++
				}
			}
			ginkgo.Fail(fmt.Sprintf("%d of %d concurrent deliveries failed (p50 %s, p99 %s):\n\n%s", failed, n, p50, p99, joinBlocks(failures)))
		}
		if p99 > sc.run.Timeout {
			ginkgo.Fail(fmt.Sprintf("requirement [concurrency]: p99 latency %s exceeds the platform timeout %s", p99, sc.run.Timeout))
		}
	})
})

// percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return sorted[i].Round(time.Microsecond)
}

func joinBlocks(b []string) string {
	out := ""
	for i, s := range b {
		if i > 0 {
			out += "\n\n"
		}
		out += s
	}
	return out
}

// credentialFlags says where a reproduction command gets its credentials.
func credentialFlags(c Config) string {
	switch {
	case c.Platform == "chatwoot" && c.Secret != "":
		return "   (with CHATHOOK_SECRET set)"
	case c.Platform == "swiftsell" && c.Token != "":
		return "   (with CHATHOOK_TOKEN set)"
	}
	return ""
}
