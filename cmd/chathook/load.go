package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/mockplatform/load"
	"github.com/chathook/chathook/schemas"
)

const (
	defaultLoadDuration = 10 * time.Second
	defaultLoadPool     = 1000
	progressTerminal    = 500 * time.Millisecond // \r-updated line on a terminal
	progressPlain       = 5 * time.Second        // a plain line otherwise (CI logs)
	histogramBins       = 12
)

func init() {
	c := &command{
		name:    "load",
		summary: "load-test a receiver with a pool of valid, signed deliveries; exact accounting and latency percentiles",
		usage: "chathook load --target URL --platform P [--event E]... [--rate R] [--duration D | --requests N] [--concurrency C] [--pool N]\n" +
			"       [--seed S] [--secret S] [--token T] [--timeout D] [--max-p99 D] [--max-error-rate F] [--format text|json]",
		example: `chathook load --target http://localhost:3000/webhooks --platform chatwoot --secret "$SECRET" --duration 30s
chathook load --target http://localhost:3000/hook --platform chatwoot --event message_created --rate 500 --duration 1m --max-p99 50ms
chathook load --target https://bot.example.com/swiftsell --platform replycx --token "$TOKEN" --requests 100000 --concurrency 64
chathook load --target http://localhost:3000/webhooks --platform chatwoot --requests 5000 --max-error-rate 0.1% --format json > load.json

The pool of --pool payloads is generated and validated once, then cycled. --rate 0 (default) is a closed loop
(as fast as --concurrency workers get answers); --rate R is an open loop of R arrivals per second (also 6000/m),
latency measured from each arrival's intended send time, arrivals finding the backlog full reported as dropped.
Redirects are not followed (a 3xx counts as non-2xx); response bodies are read up to 1 MiB (more: body_too_large).
Exit 0: every request 2xx (or within --max-error-rate) and p99 within --max-p99; 1: otherwise; 2: usage;
3: no request answered because the target refused, did not resolve or failed TLS, or the pool could not be built.`,
	}
	c.run = func(ctx context.Context, e *env, args []string) error {
		return runLoad(ctx, c, e, args)
	}
	register(c)
}

type loadFlags struct {
	target, platform string
	events           stringList
	rate             string
	duration         time.Duration
	requests         int64
	concurrency      int
	pool             int
	seed             int64
	profile          string
	secret, token    string
	tokenHeader      string
	placement        string
	timeout          time.Duration
	maxP99           time.Duration
	maxErrorRate     string
	maxBacklog       int
	insecure         bool
	caCert           string
	headers          headerList
	format           string
	progress         bool
	durationSet      bool
}

func runLoad(ctx context.Context, c *command, e *env, args []string) error {
	fs := newFlagSet(c, e)
	var f loadFlags
	fs.StringVar(&f.target, "target", "", "the receiver's `URL` (http or https)")
	fs.StringVar(&f.platform, "platform", "", "`platform` or alias: chatwoot (bevatel, messagehub, voxsig) or swiftsell (replycx)")
	fs.Var(&f.events, "event", "`event` in the pool (repeatable or comma-separated; Swiftsell kinds as message.KIND; default: every event)")
	fs.StringVar(&f.rate, "rate", "0", "open-loop arrival `rate` per second (also N/m, N/h); 0: closed loop, as fast as --concurrency allows")
	fs.DurationVar(&f.duration, "duration", 0, "how long to send (default 10s unless --requests is given)")
	fs.Int64Var(&f.requests, "requests", 0, "number of requests to send (with --duration too: whichever ends first)")
	fs.IntVar(&f.concurrency, "concurrency", load.DefaultConcurrency, "workers: the most requests in flight at once")
	fs.IntVar(&f.pool, "pool", defaultLoadPool, "payloads generated and validated before sending, then cycled")
	fs.Int64Var(&f.seed, "seed", 0, "generator seed; 0 draws one (printed to stderr as \"seed: S\")")
	fs.StringVar(&f.profile, "profile", generator.ProfileRealistic, "payload profile: "+strings.Join(generator.Profiles(), " | "))
	fs.StringVar(&f.secret, "secret", "", "Chatwoot signing `secret` (default $CHATHOOK_SECRET); none: unsigned")
	fs.StringVar(&f.token, "token", "", "Swiftsell `token` (default $CHATHOOK_TOKEN), sent in --token-header")
	fs.StringVar(&f.tokenHeader, "token-header", mockplatform.DefaultTokenHeader, "`header` carrying the Swiftsell token (with --token-placement header)")
	fs.StringVar(&f.placement, "token-placement", mockplatform.TokenInHeader, "where the Swiftsell token travels: `header` (--token-header) or query (parameter \"token\"), as on send")
	fs.DurationVar(&f.timeout, "timeout", load.DefaultTimeout, "bound on each request (connect, send, answer, body)")
	fs.DurationVar(&f.maxP99, "max-p99", 0, "fail (exit 1) when the p99 latency is above this `duration`; 0: no bound")
	fs.StringVar(&f.maxErrorRate, "max-error-rate", "", "tolerated `fraction` of non-2xx and failed requests, e.g. 0.001 or 0.1%; default: none tolerated")
	fs.IntVar(&f.maxBacklog, "max-backlog", load.DefaultMaxBacklog, "open loop: arrivals queued for a busy worker before new ones are dropped")
	fs.BoolVar(&f.insecure, "insecure", false, "do not verify an https target's certificate")
	fs.StringVar(&f.caCert, "ca-cert", "", "trust the CA certificates in this PEM `file` for an https target")
	fs.Var(&f.headers, "header", "extra request `header` 'Name: value' (repeatable)")
	fs.StringVar(&f.format, "format", "text", "output `format`: text or json (the summary on stdout; progress goes to stderr)")
	world := addWorldFlags(fs, false)
	wait := addWaitFlag(fs)
	fs.BoolVar(&f.progress, "progress", true, "show progress on stderr (a live line on a terminal, a line every 5s otherwise)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("unexpected argument %q", pos[0])
	}
	fs.Visit(func(fl *flag.Flag) { f.durationSet = f.durationSet || fl.Name == "duration" })

	cfg, maxErr, err := f.config(e)
	if err != nil {
		return err
	}
	if err := waitForTarget(ctx, e.stderr, cfg.Target, *wait); err != nil {
		return err
	}
	set, err := loadSchemas()
	if err != nil {
		return err
	}
	p, err := resolvePlatform(set, f.platform)
	if err != nil {
		return err
	}
	cfg.Platform = p.Name
	sels, err := loadEvents(p.Name, f.events)
	if err != nil {
		return err
	}
	if err := world.check(); err != nil {
		return err
	}
	g, err := generator.New(f.seed, append(world.options(generator.ReceiverAccount), generator.WithProfile(f.profile))...)
	if err != nil {
		return usageErrorf("%v", strings.TrimPrefix(err.Error(), "generator: "))
	}
	f.seed = g.Seed()
	fmt.Fprintf(e.stderr, "seed: %d\n", f.seed)
	world.print(e.stderr, g, p.Name)
	if cfg.Bodies, err = buildPool(ctx, set, g, p.Name, sels, f.pool); err != nil {
		return err
	}

	target := mockplatform.RedactURL(cfg.Target, cfg.Secret, cfg.Token)
	var prog *progressPrinter
	if f.progress {
		prog = newProgressPrinter(e.stderr)
		cfg.Progress, cfg.ProgressEvery = prog.print, prog.every
	}
	res, err := load.Run(ctx, cfg)
	if prog != nil {
		prog.done()
	}
	if err != nil {
		return usageErrorf("%v", strings.TrimPrefix(err.Error(), "load: "))
	}
	v := judge(res, f.maxP99, maxErr)
	rep := newLoadReport(res, target, p.Name, f, maxErr, v)
	if f.format == "json" {
		if err := writeJSON(e.stdout, rep); err != nil {
			return withCode(exitUnreachable, err)
		}
	} else {
		writeLoadText(e.stdout, rep, res)
	}
	switch {
	case v.unreachable:
		return &exitError{code: exitUnreachable, err: fmt.Errorf("target unreachable: no request was answered (%s)", v.failures[0])}
	case len(v.failures) > 0:
		return failed()
	case res.Interrupted:
		// The summary above counts every request; the run itself did not
		// finish, as for the other commands interrupted with Ctrl-C.
		return unreachableErrorf("interrupted: partial results above")
	}
	return nil
}

// config checks the flags and builds the engine's Config (without the
// platform and the pool); it returns the error-rate threshold (-1: none).
func (f *loadFlags) config(e *env) (load.Config, float64, error) {
	var cfg load.Config
	if err := checkFormat(f.format); err != nil {
		return cfg, 0, err
	}
	if f.target == "" {
		return cfg, 0, usageErrorf("--target is required (the receiver's URL)")
	}
	u, err := url.Parse(strings.TrimSpace(f.target))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return cfg, 0, usageErrorf("--target %q is not an absolute http or https URL", f.target)
	}
	if f.platform == "" {
		return cfg, 0, usageErrorf("--platform is required (chatwoot, bevatel, messagehub, voxsig, swiftsell, replycx)")
	}
	token := secretFrom(f.token, "CHATHOOK_TOKEN", e)
	if token, err = loadTokenPlacement(u, f.placement, token); err != nil {
		return cfg, 0, err
	}
	rate, err := load.ParseRate(f.rate)
	if err != nil {
		return cfg, 0, usageErrorf("--rate: %v", strings.TrimPrefix(err.Error(), "load: "))
	}
	maxErr := -1.0
	if f.maxErrorRate != "" {
		if maxErr, err = load.ParseFraction(f.maxErrorRate); err != nil {
			return cfg, 0, usageErrorf("--max-error-rate: %v", strings.TrimPrefix(err.Error(), "load: "))
		}
	}
	switch {
	case f.duration < 0, f.durationSet && f.duration == 0:
		return cfg, 0, usageErrorf("--duration must be positive")
	case f.requests < 0:
		return cfg, 0, usageErrorf("--requests must be positive")
	case f.concurrency < 1:
		return cfg, 0, usageErrorf("--concurrency must be at least 1")
	case f.pool < 1:
		return cfg, 0, usageErrorf("--pool must be at least 1")
	case f.timeout <= 0:
		return cfg, 0, usageErrorf("--timeout must be positive")
	case f.maxP99 < 0:
		return cfg, 0, usageErrorf("--max-p99 must not be negative")
	case f.maxBacklog < 1:
		return cfg, 0, usageErrorf("--max-backlog must be at least 1")
	case !validHeaderName(f.tokenHeader):
		return cfg, 0, usageErrorf("--token-header %q is not a header name", f.tokenHeader)
	}
	cfg = load.Config{
		Target:      u.String(),
		Concurrency: f.concurrency,
		Rate:        rate,
		Duration:    f.duration,
		Requests:    f.requests,
		Timeout:     f.timeout,
		MaxBacklog:  f.maxBacklog,
		Secret:      secretFrom(f.secret, "CHATHOOK_SECRET", e),
		Token:       token,
		TokenHeader: f.tokenHeader,
	}
	if cfg.Duration == 0 && cfg.Requests == 0 {
		cfg.Duration = defaultLoadDuration
	}
	if cfg.Header, err = parseHeaders(f.headers); err != nil {
		return cfg, 0, err
	}
	if cfg.TLSConfig, err = clientTLS(f.insecure, f.caCert); err != nil {
		return cfg, 0, err
	}
	return cfg, maxErr, nil
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return true
}

// eventSel is one pool entry kind: an event and, for Swiftsell messages,
// an optional kind.
type eventSel struct{ event, kind string }

func (s eventSel) String() string {
	if s.kind == "" {
		return s.event
	}
	return s.event + "." + s.kind
}

// loadEvents resolves --event values (event or message.KIND) for platform;
// none: every event.
func loadEvents(platform string, names []string) ([]eventSel, error) {
	valid := generator.Events(platform)
	if len(names) == 0 {
		names = valid
	}
	var out []eventSel
	for _, n := range names {
		ev, kind := n, ""
		if !containsString(valid, n) {
			if e, k, ok := strings.Cut(n, "."); ok && containsString(generator.Kinds(platform, e), k) {
				ev, kind = e, k
			} else {
				return nil, usageErrorf("unknown %s event %q (events: %s)", platform, n, strings.Join(valid, ", "))
			}
		}
		out = append(out, eventSel{ev, kind})
	}
	return out, nil
}

// buildPool generates n payloads cycling over sels and validates each
// against the platform's schemas: a generator bug must not become load
// traffic (exit 3, the harness cannot run).
func buildPool(ctx context.Context, set *schemas.Set, g *generator.Generator, platform string, sels []eventSel, n int) ([][]byte, error) {
	pool := make([][]byte, 0, n)
	for i := 0; len(pool) < n; i++ {
		if err := ctx.Err(); err != nil {
			return nil, unreachableErrorf("interrupted while building the pool")
		}
		sel := sels[i%len(sels)]
		body, err := g.Payload(platform, sel.event, sel.kind)
		if errors.Is(err, generator.ErrNotInVersion) && len(sels) > 1 {
			continue
		}
		if err != nil {
			return nil, usageErrorf("%v", strings.TrimPrefix(err.Error(), "generator: "))
		}
		res, err := set.Validate(body, schemas.Options{Platform: platform})
		if err != nil {
			return nil, withCode(exitUnreachable, fmt.Errorf("harness: validating the pool: %w", err))
		}
		if !res.OK(false) {
			return nil, withCode(exitUnreachable, fmt.Errorf("harness: generated payload %d (%s, seed %d) is invalid, not sending it: %s",
				len(pool)+1, sel, g.Seed(), res.Errors[0]))
		}
		pool = append(pool, body)
	}
	return pool, nil
}

// verdict is what the run means for the exit code.
type verdict struct {
	failures    []string // why the run failed; empty: passed
	unreachable bool     // no request answered: refused, dns or tls
}

// judge applies the exit rules: every request 2xx (or the error rate within
// maxErr when given, maxErr >= 0), p99 within maxP99 when set, no dropped
// arrivals. Requests canceled by an interrupt are not failures.
func judge(res *load.Result, maxP99 time.Duration, maxErr float64) verdict {
	var v verdict
	canceled := res.ByCause[string(mockplatform.CauseCanceled)]
	failed := res.Non2xx + res.Errors - canceled
	if res.OK+res.Non2xx == 0 && res.Errors > canceled && len(res.FirstErrors) > 0 {
		switch mockplatform.Cause(res.FirstErrors[0].Cause) {
		case mockplatform.CauseRefused, mockplatform.CauseDNS, mockplatform.CauseTLS:
			v.unreachable = true
			v.failures = append(v.failures, res.FirstErrors[0].Cause+": "+res.FirstErrors[0].Err)
			return v
		}
	}
	counted := res.Sent - canceled
	switch rate := ratio(failed, counted); {
	case maxErr < 0 && failed > 0:
		v.failures = append(v.failures, fmt.Sprintf("%d of %d requests failed (non-2xx or no answer)", failed, counted))
	case maxErr >= 0 && rate > maxErr:
		v.failures = append(v.failures, fmt.Sprintf("error rate %s above --max-error-rate %s", pct(rate), pct(maxErr)))
	}
	if maxP99 > 0 {
		if p99 := res.Latency.Quantile(0.99); p99 > maxP99 {
			v.failures = append(v.failures, fmt.Sprintf("p99 %s above --max-p99 %s", fmtDur(p99), fmtDur(maxP99)))
		}
	}
	if res.Dropped > 0 {
		v.failures = append(v.failures, fmt.Sprintf("%d arrivals dropped: all %d workers busy and the backlog full (raise --concurrency, or the receiver cannot keep up with --rate)", res.Dropped, res.Concurrency))
	}
	if counted == 0 && !res.Interrupted {
		v.failures = append(v.failures, "no request was sent")
	}
	return v
}

func ratio(a, b int64) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func pct(f float64) string {
	s := strconv.FormatFloat(100*f, 'f', 3, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s + "%"
}

// fmtDur prints a latency with 3 significant digits in a fitting unit.
func fmtDur(d time.Duration) string {
	switch {
	case d < time.Microsecond:
		return strconv.FormatInt(int64(d), 10) + "ns"
	case d < time.Millisecond:
		return sig3(float64(d)/1e3) + "µs"
	case d < time.Second:
		return sig3(float64(d)/1e6) + "ms"
	default:
		return sig3(d.Seconds()) + "s"
	}
}

func sig3(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

// loadReport is the summary, as --format json prints it.
type loadReport struct {
	Target      string           `json:"target"`
	Platform    string           `json:"platform"`
	Seed        int64            `json:"seed,omitempty"`
	Concurrency int              `json:"concurrency"`
	Rate        float64          `json:"rate"` // 0: closed loop
	Pool        int              `json:"pool"`
	Interrupted bool             `json:"interrupted"`
	Requests    loadCounts       `json:"requests"`
	Duration    float64          `json:"duration_seconds"`
	Throughput  float64          `json:"throughput"` // requests per second
	Latency     loadLatency      `json:"latency_ms"`
	Histogram   []loadBin        `json:"histogram"`
	Status      map[string]int64 `json:"status"`
	Errors      map[string]int64 `json:"errors"`
	FirstErrors []loadErr        `json:"first_errors"`
	Thresholds  loadThresholds   `json:"thresholds"`
	Passed      bool             `json:"passed"`
	Failures    []string         `json:"failures"`
}

type loadCounts struct {
	Sent      int64 `json:"sent"`
	OK        int64 `json:"ok"`
	Non2xx    int64 `json:"non2xx"`
	Errors    int64 `json:"errors"`
	Dropped   int64 `json:"dropped"`
	Unsent    int64 `json:"unsent"`
	Scheduled int64 `json:"scheduled"`
}

type loadLatency struct {
	Measured string  `json:"measured_from"` // "start" or "intended send time"
	Count    int64   `json:"count"`
	Min      float64 `json:"min"`
	Mean     float64 `json:"mean"`
	P50      float64 `json:"p50"`
	P90      float64 `json:"p90"`
	P99      float64 `json:"p99"`
	P999     float64 `json:"p99_9"`
	Max      float64 `json:"max"`
}

type loadBin struct {
	From  float64 `json:"from_ms"`
	To    float64 `json:"to_ms"`
	Count int64   `json:"count"`
}

type loadErr struct {
	Cause string `json:"cause"`
	Error string `json:"error"`
}

type loadThresholds struct {
	MaxP99       *float64 `json:"max_p99_ms"`
	MaxErrorRate *float64 `json:"max_error_rate"`
	ErrorRate    float64  `json:"error_rate"`
}

func newLoadReport(res *load.Result, target, platform string, f loadFlags, maxErr float64, v verdict) *loadReport {
	h := res.Latency
	rep := &loadReport{
		Target: target, Platform: platform, Seed: f.seed, Concurrency: res.Concurrency, Rate: res.Rate, Pool: f.pool,
		Interrupted: res.Interrupted,
		Requests:    loadCounts{res.Sent, res.OK, res.Non2xx, res.Errors, res.Dropped, res.Unsent, res.Scheduled},
		Duration:    math.Round(res.Duration.Seconds()*1e3) / 1e3,
		Throughput:  math.Round(res.Throughput()*10) / 10,
		Latency: loadLatency{
			Measured: "start", Count: h.Count(), Min: ms(h.Min()), Mean: ms(h.Mean()),
			P50: ms(h.Quantile(0.5)), P90: ms(h.Quantile(0.9)), P99: ms(h.Quantile(0.99)), P999: ms(h.Quantile(0.999)), Max: ms(h.Max()),
		},
		Histogram:   []loadBin{},
		Status:      map[string]int64{},
		Errors:      res.ByCause,
		FirstErrors: []loadErr{},
		Passed:      len(v.failures) == 0,
		Failures:    v.failures,
	}
	if res.Rate > 0 {
		rep.Latency.Measured = "intended send time"
	}
	for _, b := range h.Bins(histogramBins) {
		rep.Histogram = append(rep.Histogram, loadBin{ms(b.From), ms(b.To), b.Count})
	}
	for code, n := range res.ByStatus {
		rep.Status[strconv.Itoa(code)] = n
	}
	for _, s := range res.FirstErrors {
		rep.FirstErrors = append(rep.FirstErrors, loadErr{s.Cause, s.Err})
	}
	if f.maxP99 > 0 {
		m := ms(f.maxP99)
		rep.Thresholds.MaxP99 = &m
	}
	if maxErr >= 0 {
		rep.Thresholds.MaxErrorRate = &maxErr
	}
	canceled := res.ByCause[string(mockplatform.CauseCanceled)]
	rep.Thresholds.ErrorRate = ratio(res.Non2xx+res.Errors-canceled, res.Sent-canceled)
	if rep.Failures == nil {
		rep.Failures = []string{}
	}
	return rep
}

func writeLoadText(w io.Writer, rep *loadReport, res *load.Result) {
	mode := "closed loop"
	if res.Rate > 0 {
		mode = "open loop at " + strconv.FormatFloat(res.Rate, 'g', -1, 64) + "/s"
	}
	head := fmt.Sprintf("load: %s → %s, %d workers, %s, pool of %d", rep.Platform, rep.Target, res.Concurrency, mode, rep.Pool)
	if res.Interrupted {
		head += " (interrupted: partial results)"
	}
	fmt.Fprintln(w, head)
	r := rep.Requests
	fmt.Fprintf(w, "requests    %d sent in %s (%.1f req/s): %d 2xx, %d non-2xx, %d errors (%s failed)\n",
		r.Sent, res.Duration.Round(time.Millisecond), res.Throughput(), r.OK, r.Non2xx, r.Errors, pct(rep.Thresholds.ErrorRate))
	if res.Rate > 0 {
		fmt.Fprintf(w, "arrivals    %d scheduled: %d sent, %d dropped (client overloaded: all workers busy, backlog full), %d unsent (interrupted)\n",
			r.Scheduled, r.Sent, r.Dropped, r.Unsent)
	}
	h := res.Latency
	if h.Count() > 0 {
		fmt.Fprintf(w, "latency     p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  (mean %s; %d answers, measured from %s)\n",
			fmtDur(h.Quantile(0.5)), fmtDur(h.Quantile(0.9)), fmtDur(h.Quantile(0.99)), fmtDur(h.Quantile(0.999)),
			fmtDur(h.Max()), fmtDur(h.Mean()), h.Count(), rep.Latency.Measured)
		bins := h.Bins(histogramBins)
		var top int64
		for _, b := range bins {
			top = max(top, b.Count)
		}
		fmt.Fprintln(w, "histogram")
		for _, b := range bins {
			bar := int(math.Ceil(40 * float64(b.Count) / float64(top)))
			fmt.Fprintf(w, "  %9s – %-9s %-40s %d\n", fmtDur(b.From), fmtDur(b.To), strings.Repeat("█", bar), b.Count)
		}
	}
	if len(res.ByStatus) > 0 {
		codes := make([]int, 0, len(res.ByStatus))
		for c := range res.ByStatus {
			codes = append(codes, c)
		}
		sort.Ints(codes)
		var parts []string
		for _, c := range codes {
			parts = append(parts, fmt.Sprintf("%d: %d", c, res.ByStatus[c]))
		}
		fmt.Fprintf(w, "status      %s\n", strings.Join(parts, ", "))
	}
	if len(res.ByCause) > 0 {
		causes := make([]string, 0, len(res.ByCause))
		for c := range res.ByCause {
			causes = append(causes, c)
		}
		sort.Strings(causes)
		var parts []string
		for _, c := range causes {
			parts = append(parts, fmt.Sprintf("%s: %d", c, res.ByCause[c]))
		}
		fmt.Fprintf(w, "errors      %s\n", strings.Join(parts, ", "))
		for _, s := range res.FirstErrors {
			fmt.Fprintf(w, "  first: %s: %s\n", s.Cause, s.Err)
		}
	}
	if len(rep.Failures) == 0 {
		fmt.Fprintln(w, "result      ok")
		return
	}
	for _, f := range rep.Failures {
		fmt.Fprintf(w, "FAILED      %s\n", f)
	}
}

// progressPrinter shows a run's progress on stderr: a line rewritten in
// place on a terminal, a plain line every few seconds otherwise.
type progressPrinter struct {
	w        io.Writer
	terminal bool
	every    time.Duration
	mu       sync.Mutex
	width    int // of the last live line, to blank it
}

func newProgressPrinter(w io.Writer) *progressPrinter {
	p := &progressPrinter{w: w, every: progressPlain}
	if f, ok := w.(*os.File); ok && isTerminal(f) {
		p.terminal, p.every = true, progressTerminal
	}
	return p
}

func (p *progressPrinter) print(s load.Snapshot) {
	line := fmt.Sprintf("%6.1fs  %d sent  %.0f req/s  p99 %s  %d errors  %d non-2xx  %d in flight",
		s.Elapsed.Seconds(), s.Sent, s.Rate, fmtDur(s.P99), s.Errors, s.Non2xx, s.InFlight)
	if s.Dropped > 0 {
		line += fmt.Sprintf("  %d dropped", s.Dropped)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.terminal {
		fmt.Fprintln(p.w, "load: "+line)
		return
	}
	pad := max(p.width-len(line), 0)
	fmt.Fprintf(p.w, "\r%s%s", line, strings.Repeat(" ", pad))
	p.width = len(line)
}

// done ends the live line.
func (p *progressPrinter) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.terminal && p.width > 0 {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
	}
}
