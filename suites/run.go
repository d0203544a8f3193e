package suites

import (
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"
)

// Test runs every requirement against cfg.Target, as a Ginkgo suite inside
// the calling test: call it from a func TestX(t *testing.T). Ginkgo's flags
// (-ginkgo.label-filter, -ginkgo.v, -ginkgo.junit-report, ...) apply. Only
// one Test (or Run) per process is supported.
func Test(t ginkgo.GinkgoTestingT, cfg Config) {
	registerSpecs(&cfg)
	gomega.RegisterFailHandler(ginkgo.Fail)
	ginkgo.RunSpecs(t, "chathook conformance")
}

// GinkgoTest adds the requirements to the caller's own Ginkgo suite, inside
// whatever container it is called from. cfg is stored as a pointer: its
// content may still change (e.g. the Target of a receiver started in a
// BeforeSuite) until the first spec runs; the Platform must be set by the
// time GinkgoTest is called, because the per-event specs are built from it.
func GinkgoTest(cfg *Config) {
	registerSpecs(cfg)
}

// RunOptions are the Ginkgo settings of Run; build them from
// ginkgo.GinkgoConfiguration() so Ginkgo's command-line flags apply.
type RunOptions struct {
	Suite    types.SuiteConfig
	Reporter types.ReporterConfig
}

// Run runs the suite like Test and also returns its Summary. It is what
// "chathook conform" calls; t only needs a Fail method.
func Run(t ginkgo.GinkgoTestingT, cfg Config, opt RunOptions) *Summary {
	sc := registerSpecs(&cfg)
	sum := &Summary{Target: cfg.DisplayTarget(), Platform: cfg.Platform}
	ginkgo.ReportAfterSuite("chathook summary", func(r ginkgo.Report) {
		sum.fill(r)
	})
	gomega.RegisterFailHandler(ginkgo.Fail)
	start := time.Now()
	ginkgo.RunSpecs(t, "chathook conformance", opt.Suite, opt.Reporter)
	if sum.Duration == 0 {
		sum.Duration = time.Since(start)
	}
	sum.Seed = sc.seed
	sum.attachFailures(sc)
	if sc.run.Platform != "" {
		sum.Platform = sc.run.Platform
	}
	return sum
}
