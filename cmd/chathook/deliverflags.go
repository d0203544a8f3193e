package main

// Flags, platform building and output shared by the commands that deliver
// webhooks: send, scenario, replay and handshake.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chathook/chathook/generator"
	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/releases"
	"github.com/chathook/chathook/schemas"
)

// responseSnippet is how many bytes of a response body a delivery line shows.
const responseSnippet = 200

// swiftsellAssumptions is the help text documenting what chathook assumes
// about Swiftsell (its public page does not say).
const swiftsellAssumptions = `Swiftsell assumptions (its public page does not say; each is a setting):
  the token travels in the header X-Swiftsell-Token (--token-placement header, the default),
  the query parameter "token" (query) or a top-level body member "token" (body);
  the handshake is a POST of {"token":"<token>"} (token also placed as configured) and passes
  when the answer is 200 with the token back: raw, trimmed, a JSON string, or a JSON object
  member equal to the token.`

// headerList is a repeatable --header 'Name: value' flag. Unlike stringList
// it does not split on commas: header values may hold them.
type headerList []string

func (l *headerList) String() string { return strings.Join(*l, "; ") }

func (l *headerList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// deliveryFlags are the flags of a delivering command.
type deliveryFlags struct {
	target          string
	platform        string
	secret, token   string
	placement       string
	receiver        string
	version         string
	deliveryVersion string
	timeout         time.Duration
	retryWait       time.Duration
	insecure        bool
	caCert          string
	headers         headerList
	faults          stringList
	format          string
	wait            *time.Duration

	// Resolved by setup.
	cfg        mockplatform.Config // the base config (platform and receiver set per delivery)
	faultOpts  []mockplatform.Fault
	platforms  map[string]*mockplatform.Platform
	chatwoot   bool // whether the Chatwoot flags were registered
	targetText string
}

// addDeliveryFlags registers the common flags on fs. chatwoot adds the flags
// that only Chatwoot deliveries use (secret, receiver, version).
func addDeliveryFlags(fs *flag.FlagSet, chatwoot bool) *deliveryFlags {
	f := &deliveryFlags{chatwoot: chatwoot}
	fs.StringVar(&f.target, "target", "", "the receiver's `URL` (http or https)")
	fs.StringVar(&f.token, "token", "", "Swiftsell `token` to send (default $CHATHOOK_TOKEN)")
	fs.StringVar(&f.placement, "token-placement", mockplatform.TokenInHeader, "where the Swiftsell token travels: `header` (X-Swiftsell-Token), query or body (parameter/member \"token\")")
	fs.DurationVar(&f.timeout, "timeout", 0, "bound on each HTTP request (connect, send, answer); 0: as the Chatwoot release ("+releaseTimeouts()+"; Swiftsell 5s)")
	fs.BoolVar(&f.insecure, "insecure", false, "do not verify an https target's certificate")
	fs.StringVar(&f.caCert, "ca-cert", "", "trust the CA certificates in this PEM `file` for an https target")
	fs.Var(&f.headers, "header", "extra request `header` 'Name: value' (repeatable); replaces a platform header of the same name")
	fs.Var(&f.faults, "fault", "deliberate `fault` (repeatable): "+faultNames())
	fs.StringVar(&f.format, "format", "text", "output `format`: text (one line per delivery) or json (one JSON object per delivery, JSON lines)")
	f.wait = addWaitFlag(fs)
	if chatwoot {
		fs.StringVar(&f.platform, "platform", "", "`platform` or alias: chatwoot (bevatel, messagehub, voxsig) or swiftsell (replycx)")
		fs.StringVar(&f.secret, "secret", "", "Chatwoot signing `secret` (default $CHATHOOK_SECRET); none: unsigned deliveries")
		fs.StringVar(&f.receiver, "receiver", "", "Chatwoot receiver `kind` imitated: account (default), api_inbox, agent_bot (retried on 429/500 from 4.12), automation, macro or installation")
		fs.StringVar(&f.version, "version", "", "Chatwoot `release` imitated, X.Y.Z, X.Y (its last patch) or X, e.g. 4.16 (latest), 4.12.0, 2.4: the delivery (signing, delivery id, User-Agent, redirects, retries) and the generated payload shape")
		fs.StringVar(&f.deliveryVersion, "delivery-version", "", "Chatwoot `version` whose delivery is imitated, when it differs from --version (the payload shape)")
		fs.DurationVar(&f.retryWait, "retry-wait", releases.Latest().Retries(releases.AgentBot).Wait, "pause between agent-bot attempts")
	}
	return f
}

func faultNames() string {
	var names []string
	for _, f := range mockplatform.Faults() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// setup checks the flags and builds the base Config. It must be called
// before platformFor.
func (f *deliveryFlags) setup(e *env) error {
	if err := checkFormat(f.format); err != nil {
		return err
	}
	if f.target == "" {
		return usageErrorf("--target is required (the receiver's URL)")
	}
	u, err := url.Parse(strings.TrimSpace(f.target))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usageErrorf("--target %q is not an absolute http or https URL", mockplatform.RedactURL(f.target, f.secret, f.token))
	}
	if f.timeout < 0 {
		return usageErrorf("--timeout must not be negative")
	}
	for _, name := range f.faults {
		ft, err := mockplatform.ParseFault(name)
		if err != nil {
			return usageErrorf("unknown fault %q (faults: %s)", name, faultNames())
		}
		f.faultOpts = append(f.faultOpts, ft)
	}
	cfg := mockplatform.NewConfig()
	cfg.Secret = secretFrom(f.secret, "CHATHOOK_SECRET", e)
	cfg.Token = secretFrom(f.token, "CHATHOOK_TOKEN", e)
	f.targetText = mockplatform.RedactURL(f.target, cfg.Secret, cfg.Token)
	cfg.TokenPlacement = f.placement
	cfg.Timeout = f.timeout
	if f.retryWait > 0 {
		cfg.RetryWait = f.retryWait
	} else if f.chatwoot {
		cfg.RetryWait = -1
	}
	cfg.CaptureBody = 4 << 10
	if f.receiver != "" {
		cfg.Receiver = f.receiver
	}
	cfg.Version = f.deliveryVersionOrDefault()
	if cfg.Header, err = parseHeaders(f.headers); err != nil {
		return err
	}
	if cfg.TLSConfig, err = clientTLS(f.insecure, f.caCert); err != nil {
		return err
	}
	f.cfg = cfg
	f.platforms = map[string]*mockplatform.Platform{}
	// Build a Chatwoot platform now so a bad --receiver, --version or
	// --token-placement is a usage error before anything is sent.
	for _, p := range []string{mockplatform.PlatformChatwoot, mockplatform.PlatformSwiftsell} {
		if _, err := f.platformFor(p, ""); err != nil {
			return err
		}
	}
	return nil
}

func (f *deliveryFlags) deliveryVersionOrDefault() string {
	switch {
	case f.deliveryVersion != "":
		return f.deliveryVersion
	case f.version != "":
		return f.version
	}
	return "latest"
}

// platformFor returns the (cached) mock platform for a canonical platform
// name and a Chatwoot receiver kind ("" = --receiver or account).
func (f *deliveryFlags) platformFor(platform, receiver string) (*mockplatform.Platform, error) {
	if f.receiver != "" || receiver == "" {
		receiver = f.cfg.Receiver
	}
	key := platform + "/" + receiver
	if p, ok := f.platforms[key]; ok {
		return p, nil
	}
	cfg := f.cfg
	cfg.Platform, cfg.Receiver = platform, receiver
	p, err := mockplatform.New(cfg)
	if err != nil {
		r := strings.NewReplacer("unknown receiver", "--receiver: unknown receiver",
			"unknown token placement", "--token-placement: unknown placement", "version ", "--version ")
		return nil, usageErrorf("%s", r.Replace(trimMP(err)))
	}
	f.platforms[key] = p
	return p, nil
}

// close releases the platforms' idle connections.
// resolvedPlatform is the canonical name of --platform, or "" when it was
// not given and each body's platform is detected.
func (f *deliveryFlags) resolvedPlatform(set *schemas.Set) (string, error) {
	if f.platform == "" {
		return "", nil
	}
	p, err := resolvePlatform(set, f.platform)
	if err != nil {
		return "", err
	}
	return p.Name, nil
}

func (f *deliveryFlags) close() {
	for _, p := range f.platforms {
		p.Close()
	}
}

// options returns the per-delivery options of the flags.
func (f *deliveryFlags) options() []mockplatform.DeliverOption {
	var opts []mockplatform.DeliverOption
	for _, ft := range f.faultOpts {
		opts = append(opts, mockplatform.WithFault(ft))
	}
	return opts
}

// trimMP drops mockplatform's prefixes from an error for the CLI's message.
func trimMP(err error) string {
	s := err.Error()
	for _, p := range []string{"mockplatform: invalid config: ", "mockplatform: invalid argument: ", "mockplatform: "} {
		s = strings.TrimPrefix(s, p)
	}
	return s
}

// redactor hides secrets in text that is printed: a response may echo the
// token (a handshake does), an error may quote it.
type redactor []string

func newRedactor(secrets ...string) redactor {
	var r redactor
	for _, s := range secrets {
		if len(s) >= 3 {
			r = append(r, s)
		}
	}
	return r
}

func (r redactor) apply(s string) string {
	return mockplatform.RedactAll(s, r...)
}

// snippetOf shows at most n bytes of b on one line (cut at a rune start),
// without a trailing line break.
func snippetOf(b []byte, n int) string {
	b = bytes.TrimRight(b, "\r\n")
	if len(b) == 0 {
		return "(empty)"
	}
	s, more := string(b), false
	if len(s) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s, more = s[:cut], true
	}
	s = safeText(s)
	if more {
		s += "…"
	}
	return s
}

// safeText escapes line breaks and replaces other control characters (ESC,
// BEL, NUL, C1) in text that came from a receiver or a file, so it cannot
// forge output lines or drive the terminal.
func safeText(s string) string {
	s = strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(s)
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// releaseTimeouts describes Chatwoot's timeouts, the same in every release.
func releaseTimeouts() string {
	t := releases.Latest().Timeouts()
	return fmt.Sprintf("%s to connect, %s per read", t.Open, t.Read)
}

// signedFromText says from which release each configurable receiver kind
// is signed.
func signedFromText() string {
	var parts []string
	for _, k := range []releases.Kind{releases.Account, releases.APIInbox, releases.AgentBot} {
		if r, ok := releases.First(func(r releases.Release) bool { return r.Signs(k) }); ok {
			parts = append(parts, fmt.Sprintf("%s signed from %s", k, r))
		}
	}
	return strings.Join(parts, ", ")
}

// shortError is the innermost useful text of a delivery error: "connection
// refused", "lookup x: no such host", a certificate error, ...
func shortError(err error, timeout time.Duration) string {
	if mockplatform.CauseOf(err) == mockplatform.CauseTimeout {
		if timeout <= 0 {
			return "no answer in time (" + releaseTimeouts() + ", as Chatwoot)"
		}
		return fmt.Sprintf("no answer within %s", timeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		err = oe.Err
	}
	var se *os.SyscallError
	if errors.As(err, &se) && se.Err != nil {
		err = se.Err
	}
	var de *mockplatform.DeliveryError
	if errors.As(err, &de) && de.Err != nil {
		err = de.Err
	}
	return err.Error()
}

// unreachableCause reports whether a delivery's cause means the target could
// not be reached (exit 3): as opposed to a receiver that answered badly
// (reset mid-answer, endless redirects, a huge body: exit 1).
func unreachableCause(c mockplatform.Cause) bool {
	switch c {
	case mockplatform.CauseRefused, mockplatform.CauseDNS, mockplatform.CauseTLS, mockplatform.CauseTimeout:
		return true
	}
	return false
}

// fatalCause reports whether the next deliveries would fail the same way, so
// sending more is pointless.
func fatalCause(c mockplatform.Cause) bool {
	switch c {
	case mockplatform.CauseRefused, mockplatform.CauseDNS, mockplatform.CauseTLS, mockplatform.CauseCanceled:
		return true
	}
	return false
}

// deliveryRecord is one delivery as printed; with --format json it is one
// line of JSON.
type deliveryRecord struct {
	Seq        int      `json:"seq"`
	Source     string   `json:"source,omitempty"` // file, file:line, or "generated"
	Platform   string   `json:"platform"`
	Event      string   `json:"event,omitempty"`
	Receiver   string   `json:"receiver,omitempty"`
	Seed       int64    `json:"seed,omitempty"`
	Duplicate  bool     `json:"duplicate,omitempty"`
	Bytes      int      `json:"bytes"`
	OK         bool     `json:"ok"`
	Status     int      `json:"status"`
	DurationMS float64  `json:"duration_ms"`
	DeliveryID string   `json:"delivery_id,omitempty"`
	Attempts   int      `json:"attempts"`
	Statuses   []int    `json:"attempt_statuses,omitempty"` // when retried
	Signed     bool     `json:"signed,omitempty"`
	Faults     []string `json:"faults,omitempty"`
	Response   string   `json:"response"`
	RespBytes  int64    `json:"response_bytes"`
	Error      string   `json:"error,omitempty"`
	Cause      string   `json:"cause,omitempty"`
}

// tally prints deliveries and counts their outcomes for the exit code.
type tally struct {
	w         io.Writer
	json      bool
	red       redactor
	timeout   time.Duration
	target    string
	total     int // deliveries planned, 0 when unknown
	ok, bad   int
	noAnswer  int
	lastCause mockplatform.Cause
	firstErr  string // first no-answer error, for the final line
	interrupt bool
	timeouts  int // consecutive deliveries that got no answer in time
	// wantReject: faults were sent, so the receiver should reject them
	// with 4xx; a 2xx is then the failure.
	wantReject bool
}

func (f *deliveryFlags) newTally(e *env, total int) *tally {
	return &tally{w: e.stdout, json: f.format == "json", red: newRedactor(f.cfg.Secret, f.cfg.Token),
		timeout: f.timeout, target: f.targetText, total: total, wantReject: len(f.faults) > 0}
}

// sent returns how many deliveries were recorded.
func (t *tally) sent() int { return t.ok + t.bad + t.noAnswer }

// record prints one delivery and counts it. It returns true when the next
// deliveries should not be attempted (the target cannot be reached, or ctx
// ended).
func (t *tally) record(rec deliveryRecord, d *mockplatform.Delivery) (stop bool) {
	rec.Seq = t.sent() + 1
	rec.Status, rec.OK = d.Status, d.OK()
	rec.DurationMS = float64(d.Duration.Microseconds()) / 1000
	rec.DeliveryID = d.DeliveryID
	rec.Attempts = len(d.Attempts)
	rec.Bytes = len(d.Request.Body)
	rec.Signed = d.Request.Header.Get(mockplatform.HeaderSignature) != ""
	if len(d.Attempts) > 1 {
		for _, a := range d.Attempts {
			rec.Statuses = append(rec.Statuses, a.Status)
		}
	}
	last := d.Last()
	rec.Response = t.red.apply(snippetOf(last.Body, responseSnippet))
	if len(last.Body) == 0 {
		rec.Response = ""
	}
	rec.RespBytes = last.BodySize
	cause := mockplatform.CauseOf(d.Err)
	if d.Err != nil {
		rec.Cause = string(cause)
		rec.Error = t.red.apply(shortError(d.Err, t.timeout))
	}
	switch {
	case cause == mockplatform.CauseCanceled:
		t.interrupt = true
		return true // not counted: the user stopped it
	case d.Err != nil && unreachableCause(cause):
		t.noAnswer++
		t.lastCause = cause
		if t.firstErr == "" {
			t.firstErr = fmt.Sprintf("cannot reach %s: %s (%s)", t.target, rec.Error, cause)
		}
	case t.wantReject && d.Err == nil && d.Status >= 400 && d.Status <= 499:
		t.ok++ // the faulty delivery was rejected, as it should be
	case t.wantReject && d.OK():
		t.bad++
		rec.Error = "accepted a delivery with a deliberate fault; it should be rejected with 4xx"
	case d.OK():
		t.ok++
	default:
		t.bad++
	}
	t.print(rec)
	if cause == mockplatform.CauseTimeout {
		t.timeouts++
	} else {
		t.timeouts = 0
	}
	// Two deliveries in a row without an answer: the target is not
	// answering; the rest would wait out the timeout one by one.
	return d.Err != nil && (fatalCause(cause) || t.timeouts >= 2)
}

func (t *tally) print(rec deliveryRecord) {
	if t.json {
		b, _ := json.Marshal(rec)
		fmt.Fprintf(t.w, "%s\n", b)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#%d %s", rec.Seq, rec.Platform)
	if rec.Event != "" {
		fmt.Fprintf(&b, "/%s", safeText(rec.Event))
	}
	if rec.Duplicate {
		b.WriteString(" (duplicate)")
	}
	if rec.Source != "" && rec.Source != "generated" && !strings.HasPrefix(rec.Source, "step ") {
		fmt.Fprintf(&b, " [%s]", safeText(rec.Source))
	}
	dur := time.Duration(rec.DurationMS * float64(time.Millisecond)).Round(100 * time.Microsecond)
	if rec.Error != "" && rec.Status == 0 {
		fmt.Fprintf(&b, " -> no answer (%s) after %s: %s", rec.Cause, dur, rec.Error)
	} else {
		fmt.Fprintf(&b, " -> %d in %s", rec.Status, dur)
		if rec.Error != "" {
			fmt.Fprintf(&b, " (%s: %s)", rec.Cause, rec.Error)
		}
	}
	if rec.DeliveryID != "" {
		fmt.Fprintf(&b, ", delivery %s", rec.DeliveryID)
	}
	if rec.Attempts == 1 {
		b.WriteString(", 1 attempt")
	} else {
		fmt.Fprintf(&b, ", %d attempts %v", rec.Attempts, rec.Statuses)
	}
	if rec.Status != 0 {
		resp := rec.Response
		if resp == "" {
			resp = "(empty)"
		}
		fmt.Fprintf(&b, ", response: %s", resp)
	}
	fmt.Fprintln(t.w, b.String())
}

// finish prints the summary (for several deliveries) and returns the exit
// error: 3 when the target could not be reached or the run was interrupted,
// 1 when a delivery was not answered 2xx (with --fault: not answered 4xx),
// nil otherwise.
func (t *tally) finish(e *env, summary bool) error {
	if summary {
		w := t.w
		if t.json {
			w = e.stderr
		}
		fmt.Fprintf(w, "%d delivered: %d ok (2xx), %d failed, %d not answered", t.sent(), t.ok, t.bad, t.noAnswer)
		if t.total > 0 && t.sent() < t.total {
			fmt.Fprintf(w, "; %d of %d not sent", t.total-t.sent(), t.total)
		}
		fmt.Fprintln(w)
	}
	switch {
	case t.interrupt:
		return unreachableErrorf("interrupted after %d of %d deliveries", t.sent(), max(t.total, t.sent()))
	case t.noAnswer > 0:
		return unreachableErrorf("%s", t.firstErr)
	case t.bad > 0:
		return failed()
	}
	return nil
}

// payloadShape checks a Chatwoot release number for the generator, which
// shapes payloads as that release does (package releases); "" is latest.
func payloadShape(v string) (string, error) {
	if strings.TrimSpace(v) == "" {
		return generator.VersionLatest, nil
	}
	if _, err := releases.Lookup(v); err != nil {
		return "", usageErrorf("--version %q: %v", v, strings.TrimPrefix(err.Error(), "releases: "))
	}
	return v, nil
}

// interrupted records an interruption when ctx has ended.
func interrupted(ctx context.Context, t *tally) bool {
	if ctx.Err() != nil {
		t.interrupt = true
		return true
	}
	return false
}

// jsonObject decodes body into v when it is a JSON object.
func jsonObject(body []byte, v *map[string]any) bool {
	return json.Unmarshal(body, v) == nil && *v != nil
}
