package suites

import (
	"context"
	"os"
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
	sc := registerSpecs(&cfg)
	gomega.RegisterFailHandler(ginkgo.Fail)
	suiteCfg, repCfg := ginkgo.GinkgoConfiguration()
	suiteCfg.LabelFilter = LabelFilter(cfg, suiteCfg.LabelFilter)
	passed := ginkgo.RunSpecs(t, "chathook conformance", suiteCfg, repCfg)
	sc.finishRunDir(passed)
}

// LabelFilter is the Ginkgo label filter a run uses: filter, and, unless
// cfg.Hardening, not the hardening requirements (so they neither run nor
// count).
func LabelFilter(cfg Config, filter string) string {
	if cfg.Hardening {
		return filter
	}
	if filter == "" {
		return "!" + LabelHardening
	}
	return "(" + filter + ") && !" + LabelHardening
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
	// Context bounds the diagnosis probes sent after a failed run (nil:
	// context.Background); a canceled run sends none.
	Context context.Context
}

// Run runs the suite like Test and also returns its Summary. It is what
// "chathook conform" calls; t only needs a Fail method.
func Run(t ginkgo.GinkgoTestingT, cfg Config, opt RunOptions) *Summary {
	sc := registerSpecs(&cfg)
	sum := &Summary{Target: cfg.DisplayTarget(), Platform: cfg.Platform}
	if !cfg.Hardening {
		sum.hide = LabelHardening
	}
	ginkgo.ReportAfterSuite("chathook summary", func(r ginkgo.Report) {
		sum.fill(r)
	})
	gomega.RegisterFailHandler(ginkgo.Fail)
	start := time.Now()
	opt.Suite.LabelFilter = LabelFilter(cfg, opt.Suite.LabelFilter)
	ginkgo.RunSpecs(t, "chathook conformance", opt.Suite, opt.Reporter)
	if sum.Duration == 0 {
		sum.Duration = time.Since(start)
	}
	sum.Seed = sc.seed
	sum.RunDir = sc.finishRunDir(sum.Passed)
	if !sum.Passed && !opt.Suite.DryRun {
		ctx := opt.Context
		if ctx == nil {
			ctx = context.Background()
		}
		if ctx.Err() == nil {
			sum.Diagnosis = sc.diagnose(ctx)
		}
	}
	if sc.seed != 0 {
		w := sc.run
		w.Seed = sc.seed
		sum.World, _ = w.runWorld()
	}
	sum.attachFailures(sc)
	if sc.run.Platform != "" {
		sum.Platform = sc.run.Platform
	}
	return sum
}

// finishRunDir removes the run's directory of reproduction bodies when the
// run passed and returns it otherwise ("" when none was made).
func (sc *specContext) finishRunDir(passed bool) string {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.runDir != "" && passed {
		_ = os.RemoveAll(sc.runDir)
		sc.runDir = ""
	}
	return sc.runDir
}
