package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/mockplatform/receivertest"
	"github.com/chathook/chathook/suites"
)

func init() {
	c := &command{
		name:    "conform",
		summary: "run the conformance suite against a webhook receiver",
		usage: "chathook conform --target URL|builtin[:VARIANT] --platform P [flags] [--ginkgo.* flags]\n\n" +
			"Ginkgo's flags are accepted too (--ginkgo.v, --ginkgo.focus, --ginkgo.json-report, ...).\n" +
			"Targets named builtin run chathook's reference receivers in-process (variants: chathook receiver --list);\n" +
			"builtin-bot[:VARIANT] runs a reference agent bot on the mock API of --api (variants: correct, self-loop,\n" +
			"updated-as-new, no-dedupe, answers-templates, retry-storm).\n" +
			"List the requirements without running them: --ginkgo.dry-run --ginkgo.v\n" +
			"Exit codes: 0 conformant, 1 a requirement failed, 2 usage error, 3 target unreachable or interrupted.",
		example: `chathook conform --target builtin                       # the built-in correct Chatwoot receiver
chathook conform --target builtin:body-only-hmac        # a broken one: see which requirements fail
CHATHOOK_SECRET=s3cret chathook conform --target http://127.0.0.1:8080/webhooks/chatwoot --platform chatwoot \
    --junit conform.xml --json conform.json --markdown "$GITHUB_STEP_SUMMARY"
CHATHOOK_TOKEN=t0k chathook conform --target https://bot.example.test/hook --platform replycx --label-filter '!concurrency'
# an agent bot acting through the API (its Chatwoot URL http://127.0.0.1:3000, its token bot-tok):
chathook conform --target http://127.0.0.1:8080/bot --platform chatwoot --receiver agent_bot \
    --api 127.0.0.1:3000 --api-token bot-tok --label-filter bot`,
	}
	c.run = func(ctx context.Context, e *env, args []string) error { return runConform(ctx, c, e, args) }
	register(c)
}

type conformFlags struct {
	target, platform, secret, token, placement, receiver, version string
	labelFilter, junit, jsonOut, markdown, caCert                 string
	api, apiToken                                                 string
	apiSettle                                                     time.Duration
	samples, concurrency, accountID, inboxID                      int
	seed                                                          int64
	timeout, tolerance                                            time.Duration
	insecure, hardening, annotations                              bool
	headers                                                       headerList
	events                                                        stringList
}

func runConform(ctx context.Context, c *command, e *env, args []string) error {
	def := suites.NewConfig()
	var f conformFlags
	fs := newFlagSet(c, e)
	fs.StringVar(&f.target, "target", "", "the receiver's `URL`, or builtin[:VARIANT] for a reference receiver run in-process")
	fs.StringVar(&f.platform, "platform", "", "the receiver's `platform` (name or alias); default chatwoot for builtin targets")
	fs.StringVar(&f.secret, "secret", "", "Chatwoot signing `secret` the receiver verifies (or CHATHOOK_SECRET); none: signature specs skip")
	fs.StringVar(&f.token, "token", "", "Swiftsell `token` the receiver checks (or CHATHOOK_TOKEN); none: token and handshake specs skip")
	fs.StringVar(&f.placement, "token-placement", def.TokenPlacement, "where the Swiftsell token travels: header (X-Swiftsell-Token), query or body (an assumption: Swiftsell does not say)")
	fs.StringVar(&f.receiver, "receiver", def.Receiver, "Chatwoot receiver `kind` imitated: account, api_inbox, agent_bot, or the unsigned automation, macro, installation; only the events that kind gets at --version are sent")
	fs.Var(&f.events, "events", "the account webhook's subscription: only these `events` are sent (comma-separated or repeated; default: every account event of --version)")
	fs.StringVar(&f.version, "version", def.Version, "Chatwoot `release` whose delivery is imitated, X.Y.Z, X.Y (its last patch) or X ("+signedFromText()+")")
	fs.IntVar(&f.samples, "samples", def.Samples, "seeded payloads per event")
	fs.Int64Var(&f.seed, "seed", 0, "`seed` for every payload; 0 draws one (printed)")
	fs.DurationVar(&f.timeout, "timeout", def.Timeout, "the platform's delivery `timeout`")
	fs.DurationVar(&f.tolerance, "tolerance", def.Tolerance, "the signature timestamp age your receiver rejects past; signature.stale sends one twice as old")
	fs.IntVar(&f.concurrency, "concurrency", def.Concurrency, "deliveries sent at once by the concurrency spec")
	fs.IntVar(&f.accountID, "account-id", 0, "Chatwoot account `id` every delivery comes from, to match a receiver bound to one account (0: drawn from the seed, printed)")
	fs.IntVar(&f.inboxID, "inbox-id", 0, "`id` of the receiver's inbox (the API inbox, the agent bot's inbox; for an account webhook every conversation then comes from it; 0: drawn from the seed, printed)")
	fs.BoolVar(&f.hardening, "hardening", false, "also run the hardening requirements (bodies Chatwoot never sends, a future timestamp); without it they do not run and do not count")
	fs.StringVar(&f.labelFilter, "label-filter", "", "run only requirements matching this Ginkgo label `expression`, e.g. 'delivery || signature' or '!concurrency'")
	fs.StringVar(&f.junit, "junit", "", "write a JUnit XML report to `FILE`")
	fs.StringVar(&f.jsonOut, "json", "", "write the JSON summary (per requirement) to `FILE`")
	fs.StringVar(&f.markdown, "markdown", "", "write a Markdown summary to `FILE`; $GITHUB_STEP_SUMMARY is appended to, never overwritten")
	fs.BoolVar(&f.annotations, "github-annotations", false, "print a GitHub Actions ::error line per failed requirement (and a ::warning when interrupted)")
	fs.BoolVar(&f.insecure, "insecure", false, "do not verify the target's TLS certificate")
	fs.StringVar(&f.caCert, "ca-cert", "", "trust this PEM `file`'s CA for an https target")
	fs.Var(&f.headers, "header", "extra request header 'K: V' (repeatable)")
	fs.StringVar(&f.api, "api", "", "serve the mock Chatwoot Application API on `HOST:PORT` and run the bot requirements (label bot); configure the receiver with http://HOST:PORT as its Chatwoot URL")
	fs.StringVar(&f.apiToken, "api-token", "", "the api_access_token the receiver calls the API with (or CHATHOOK_API_TOKEN): the bot's token for --receiver agent_bot, an administrator's otherwise")
	fs.DurationVar(&f.apiSettle, "api-settle", def.APISettle, "how long the receiver may stay silent before its turn counts as over (bot requirements)")
	wait := addWaitFlag(fs)
	// Ginkgo's own flags (--ginkgo.v, --ginkgo.focus, ...) live on the
	// global flag set; accept them here too, without listing them in -h.
	flag.CommandLine.VisitAll(func(fl *flag.Flag) {
		if strings.HasPrefix(fl.Name, "ginkgo.") {
			fs.Var(fl.Value, fl.Name, fl.Usage)
		}
	})
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("unexpected argument %q (flags only)", pos[0])
	}

	cfg := suites.NewConfig()
	cfg.Secret = secretFrom(f.secret, "CHATHOOK_SECRET", e)
	cfg.Token = secretFrom(f.token, "CHATHOOK_TOKEN", e)
	cfg.TokenPlacement, cfg.Receiver, cfg.Version = f.placement, f.receiver, f.version
	cfg.Samples, cfg.Seed, cfg.Timeout, cfg.Concurrency = f.samples, f.seed, f.timeout, f.concurrency
	cfg.Tolerance = f.tolerance
	cfg.API, cfg.APIToken, cfg.APISettle = f.api, secretFrom(f.apiToken, "CHATHOOK_API_TOKEN", e), f.apiSettle
	cfg.AccountID, cfg.InboxID, cfg.Hardening = f.accountID, f.inboxID, f.hardening
	cfg.Events = f.events
	if cfg.Header, err = parseHeaders(f.headers); err != nil {
		return err
	}
	if cfg.TLSConfig, err = clientTLS(f.insecure, f.caCert); err != nil {
		return err
	}
	if f.target == "" {
		return usageErrorf("--target is required (a receiver URL, or builtin)")
	}
	stopBot, err := startBuiltinBot(&f, &cfg, e)
	if err != nil {
		return err
	}
	defer stopBot()
	if f.labelFilter != "" {
		match, err := types.ParseLabelFilter(f.labelFilter)
		if err != nil {
			return usageErrorf("--label-filter %q: %s", f.labelFilter, oneLine(err.Error()))
		}
		// Each requirement carries one label: the filter must match one
		// of them, or nothing would run (checked before anything is sent).
		matches := false
		for _, l := range suites.Labels() {
			if l == suites.LabelHardening && !f.hardening {
				continue
			}
			matches = matches || match([]string{l})
		}
		if !matches && !strings.Contains(f.labelFilter, suites.LabelHardening) {
			return usageErrorf("no requirement matches --label-filter %q (each requirement has one label: %s)", f.labelFilter, strings.Join(suites.Labels(), ", "))
		}
		if !f.hardening && strings.Contains(f.labelFilter, suites.LabelHardening) && !strings.Contains(f.labelFilter, "!"+suites.LabelHardening) {
			return usageErrorf("--label-filter %q selects hardening requirements: add --hardening (they do not run without it)", f.labelFilter)
		}
	}
	for _, r := range []struct{ flag, path string }{{"--junit", f.junit}, {"--json", f.jsonOut}, {"--markdown", f.markdown}} {
		if err := checkReportPath(r.flag, r.path); err != nil {
			return err
		}
	}
	if err := f.checkStdoutReports(); err != nil {
		return err
	}
	{ // check the settings now, before a built-in receiver starts
		probe := cfg
		probe.Target, probe.Platform = "http://127.0.0.1/", f.platform
		if probe.Platform == "" {
			probe.Platform = "chatwoot"
		}
		if err := probe.Validate(); err != nil {
			return usageErrorf("%s", flagNames(err))
		}
	}

	// builtin[:variant]: a reference receiver on a loopback port.
	if variant, ok := strings.CutPrefix(f.target, "builtin"); ok && (variant == "" || variant[0] == ':') {
		variant = strings.TrimPrefix(variant, ":")
		if f.platform == "" {
			f.platform = "chatwoot"
		}
		set, err := loadSchemas()
		if err != nil {
			return err
		}
		p, err := resolvePlatform(set, f.platform)
		if err != nil {
			return err
		}
		// The built-in receiver claims every capability, so every
		// requirement runs: give it a secret and a token if none was set.
		if cfg.Secret == "" && versionSigns(p.Name, cfg) {
			cfg.Secret = "builtin-" + randomHex(12)
		}
		if cfg.Token == "" {
			cfg.Token = "builtin-" + randomHex(12)
		}
		srv, err := receivertest.NewServer(receivertest.Config{
			Platform: p.Name, Variant: variant, Secret: cfg.Secret, Token: cfg.Token,
			TokenPlacement: cfg.TokenPlacement, Tolerance: cfg.Tolerance, SlowDelay: 2 * cfg.Timeout,
			AccountID: cfg.AccountID, Receiver: cfg.Receiver, Version: cfg.Version,
		})
		if err != nil {
			return usageErrorf("--target %s: %v", f.target, err)
		}
		defer srv.Close()
		if variant == "" {
			variant = "correct"
		}
		f.target = srv.URL + "/webhooks/" + p.Name
		fmt.Fprintf(e.stderr, "builtin receiver: %s/%s at %s\n", p.Name, variant, f.target)
	}
	if f.platform == "" {
		return usageErrorf("--platform is required (chatwoot, swiftsell or an alias)")
	}
	cfg.Target, cfg.Platform = f.target, f.platform
	if err := cfg.Validate(); err != nil {
		return usageErrorf("%s", flagNames(err))
	}
	suiteCfg, repCfg := ginkgo.GinkgoConfiguration()
	if !suiteCfg.DryRun {
		if err := waitForTarget(ctx, e.stderr, cfg.Target, *wait); err != nil {
			return err
		}
		if err := smokeCheck(ctx, cfg); err != nil {
			return err
		}
	}
	if cfg.Seed == 0 {
		cfg.Seed = drawSeed()
	}
	fmt.Fprintf(e.stderr, "seed: %d (rerun the same payloads with --seed %d)\n", cfg.Seed, cfg.Seed)
	if w, err := cfg.World(); err == nil {
		fmt.Fprintf(e.stderr, "world: %s\n", w)
	}

	if f.labelFilter != "" {
		suiteCfg.LabelFilter = f.labelFilter
	}
	if os.Getenv("NO_COLOR") != "" || !isTerminal(os.Stdout) {
		repCfg.NoColor = true
	}
	repCfg.SilenceSkips = !repCfg.Verbose && !repCfg.VeryVerbose
	out := newConformOutput(ctx, e, &f)
	restore := out.captureGinkgo()
	sum := suites.Run(&fakeT{}, cfg, suites.RunOptions{Suite: suiteCfg, Reporter: repCfg, Context: ctx})
	restore()
	return out.finish(ctx, sum, suiteCfg.DryRun)
}

// versionSigns reports whether the imitated Chatwoot version and receiver
// kind sign deliveries (a receiver given a secret then verifies them).
func versionSigns(platform string, cfg suites.Config) bool {
	cfg.Platform = platform
	if cfg.Unsigned() {
		return false
	}
	mc := mockplatform.NewConfig()
	mc.Platform, mc.Receiver, mc.Version, mc.Secret = platform, cfg.Receiver, cfg.Version, "probe"
	p, err := mockplatform.New(mc)
	if err != nil {
		return false // the bad flag is reported by Validate
	}
	defer p.Close()
	return p.Signs()
}

// smokeCheck sends one valid delivery so that an unreachable target exits
// 3 at once with the cause, instead of failing every requirement.
func smokeCheck(ctx context.Context, cfg suites.Config) error {
	mc, err := cfg.PlatformConfig()
	if err != nil {
		return usageErrorf("%v", err)
	}
	mc.RetryWait = -1
	p, err := mockplatform.New(mc)
	if err != nil {
		return usageErrorf("%v", err)
	}
	defer p.Close()
	g, err := generator.New(1)
	if err != nil {
		return withCode(exitUnreachable, err)
	}
	// One event the receiver really gets (the first of its events).
	event := "conversation_create"
	if cfg.Platform == "chatwoot" {
		evs, err := cfg.ReceiverEvents()
		if err != nil || len(evs) == 0 {
			return usageErrorf("%v", err)
		}
		event = evs[0]
		for _, ev := range evs {
			if ev == "conversation_created" {
				event = ev
			}
		}
	}
	body, err := g.Payload(cfg.Platform, event, "")
	if err != nil {
		return withCode(exitUnreachable, err)
	}
	var opts []mockplatform.DeliverOption
	if cfg.Unsigned() {
		opts = append(opts, mockplatform.NoDeliveryID())
	}
	d, err := p.Deliver(ctx, cfg.Target, body, opts...)
	if err != nil {
		return usageErrorf("%v", err)
	}
	if d.Err != nil {
		return unreachableErrorf("cannot reach %s: %v (%s)", cfg.DisplayTarget(), d.Err, mockplatform.CauseOf(d.Err))
	}
	return nil
}

// fakeT collects Ginkgo's verdict for a run outside go test.
type fakeT struct{ failed bool }

func (t *fakeT) Fail() { t.failed = true }

// checkReportPath refuses, before the run, a report path that cannot be
// written: its directory must exist and it must not be a directory.
func checkReportPath(flagName, path string) error {
	if path == "" || path == "-" {
		return nil
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return usageErrorf("%s %s: is a directory; want a file name", flagName, path)
	}
	if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
		return usageErrorf("%s %s: directory %s does not exist", flagName, path, filepath.Dir(path))
	}
	return nil
}

// flagNames rewrites a suites config error in terms of conform's flags.
func flagNames(err error) string {
	msg := strings.TrimPrefix(err.Error(), suites.ErrConfig.Error()+": ")
	return strings.NewReplacer("Target ", "--target ", "Platform ", "--platform ", "Samples ", "--samples ",
		"Timeout ", "--timeout ", "Concurrency ", "--concurrency ", "Tolerance ", "--tolerance ", "BatchSize ", "batch size ",
		"AccountID ", "--account-id ", "InboxID ", "--inbox-id ", "Events: ", "--events: ", "Events applies", "--events applies",
		"Receiver ", "--receiver ", "Version ", "--version ", "Secret is set", "--secret is set",
		"APIToken", "--api-token", "APISettle", "--api-settle", "API ", "--api ").Replace(msg)
}

func oneLine(s string) string {
	s = regexp.MustCompile(`\x1b\[[0-9;]*m|\{\{[a-z/]*\}\}`).ReplaceAllString(s, "")
	return strings.Join(strings.Fields(s), " ")
}

func writeReport(path string, write func(io.Writer) error) error {
	if path == "" {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return usageErrorf("cannot write report: %v", unwrapPathError(err))
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func parseHeaders(list []string) (http.Header, error) {
	h := http.Header{}
	for _, kv := range list {
		k, v, ok := strings.Cut(kv, ":")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, usageErrorf("--header %q: want 'Name: value'", kv)
		}
		h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	return h, nil
}

// clientTLS builds the TLS settings for https targets.
func clientTLS(insecure bool, caFile string) (*tls.Config, error) {
	if !insecure && caFile == "" {
		return nil, nil
	}
	tc := &tls.Config{InsecureSkipVerify: insecure} // #nosec G402 -- the user asked for it with --insecure
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, usageErrorf("--ca-cert: %v", unwrapPathError(err))
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, usageErrorf("--ca-cert %s: no PEM certificate in it", caFile)
		}
		tc.RootCAs = pool
	}
	return tc, nil
}

// drawSeed returns a random positive seed.
func drawSeed() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:])>>2) + 1
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
