package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/schemas"
)

func init() {
	c := &command{
		name:    "listen",
		summary: "receive webhooks from a real platform: validate, verify signatures and tokens, answer the handshake, save",
		usage: "chathook listen [--addr 127.0.0.1:8787] [--platform P] [--secret S] [--token T] [--token-placement header|query|body] [--save DIR] [--max-body N] [--tolerance D] [--format text|json] [-v]\n\n" +
			"Every POST is answered as soon as it is saved: 200 (a Swiftsell handshake: 200 with the token as the body),\n" +
			"401 when --secret or --token is set and the delivery's signature or token does not match (checked before\n" +
			"anything costly), 413 over --max-body, 400 when the body could not be read whole (never a 2xx), 503 when\n" +
			"it could not be saved (a full disk: the platform is told to retry, nothing is acknowledged unsaved).\n" +
			"Each accepted body is then validated against the schemas, off the request path (errors and drift are\n" +
			"reported, never refused). Rejected deliveries are not saved with the accepted ones: at most 100 of them\n" +
			"(1 MiB) go to DIR/rejected/. A second run into the same DIR numbers on and keeps what is there. One line per\n" +
			"delivery on stdout: seq, platform/event, status, signature and token verdicts, validation summary; -v adds\n" +
			"every problem; --format json prints one JSON object per delivery. With --save DIR each delivery is saved as\n" +
			"<seq>-<event>.json (the exact body, for \"chathook replay DIR\") and <seq>-<event>.headers.json (the request\n" +
			"headers and verdicts; it holds the token and signature as received: keep it private). The listening URL is\n" +
			"printed on stderr. Ctrl-C stops it gracefully (in-flight deliveries finish; files are never half-written).\n" +
			"Exit 0 after Ctrl-C, 2 on a usage error, 3 when the address cannot be listened on or a delivery could not\n" +
			"be saved.\n\n" +
			"The token is looked for in the header, the query and the body (Swiftsell does not say where it travels);\n" +
			"each line says where it was found, and flags it when that is not --token-placement.\n\n" + swiftsellAssumptions,
		example: `chathook listen --save captures/            # then point the platform's webhook URL at it (through a tunnel)
CHATHOOK_SECRET=s3cret chathook listen --platform chatwoot --addr 127.0.0.1:0 --save captures/
CHATHOOK_TOKEN=t0ken chathook listen --platform replycx --format json | jq .verdict
chathook replay --target http://127.0.0.1:8080/webhooks captures/   # resend what was captured, byte for byte`,
	}
	c.run = func(ctx context.Context, e *env, args []string) error {
		fs := newFlagSet(c, e)
		def := mockplatform.NewCaptureConfig()
		addr := fs.String("addr", "127.0.0.1:8787", "`address` to listen on (loopback by default; port 0: any free port)")
		platform := fs.String("platform", "", "`platform` or alias of the deliveries; default: tell per delivery (Swiftsell when the body has \"events\" or is a handshake)")
		secret := fs.String("secret", "", "Chatwoot signing `secret` to verify (default $CHATHOOK_SECRET); unsigned or wrongly signed deliveries get 401")
		token := fs.String("token", "", "Swiftsell `token` to check (default $CHATHOOK_TOKEN); deliveries without it get 401")
		placement := fs.String("token-placement", mockplatform.TokenInHeader, "where the Swiftsell token is expected: `header` (X-Swiftsell-Token), query or body (\"token\")")
		save := fs.String("save", "", "save every delivery into this `directory` (created if missing)")
		maxBody := fs.Int64("max-body", def.MaxBody, "largest accepted body in `bytes`; larger is answered 413")
		tolerance := fs.Duration("tolerance", def.Tolerance, "accepted age of X-Chatwoot-Timestamp (0 or negative: no staleness check)")
		format := fs.String("format", "text", "output `format`: text (one line per delivery) or json (one JSON object per delivery)")
		verbose := fs.Bool("v", false, "print every validation problem under its delivery line")
		pos, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		if len(pos) > 0 {
			return usageErrorf("unexpected argument %q", pos[0])
		}
		if err := checkFormat(*format); err != nil {
			return err
		}
		switch *placement {
		case mockplatform.TokenInHeader, mockplatform.TokenInQuery, mockplatform.TokenInBody:
		default:
			return usageErrorf("--token-placement %q: want header, query or body", *placement)
		}
		if *maxBody <= 0 {
			return usageErrorf("--max-body must be positive")
		}
		set, err := loadSchemas()
		if err != nil {
			return err
		}
		pname := ""
		if *platform != "" {
			p, err := resolvePlatform(set, *platform)
			if err != nil {
				return err
			}
			pname = p.Name
		}
		cfg := def
		cfg.Platform = pname
		cfg.Secret = secretFrom(*secret, "CHATHOOK_SECRET", e)
		cfg.Token = secretFrom(*token, "CHATHOOK_TOKEN", e)
		cfg.SaveDir = *save
		cfg.ReadHeaderTimeout, cfg.ReadTimeout = serverTimeouts.ReadHeader, serverTimeouts.Read
		cfg.WriteTimeout, cfg.IdleTimeout = serverTimeouts.Write, serverTimeouts.Idle
		cfg.MaxBody = *maxBody
		cfg.Tolerance = *tolerance
		if *tolerance == 0 {
			cfg.Tolerance = -1 // 0 means the default to the library; the user asked for none
		}
		cfg.Validate = func(body []byte) mockplatform.Report {
			return validateReport(set, body, pname)
		}
		pr := &capturePrinter{e: e, json: *format == "json", verbose: *verbose, placement: *placement,
			red: newRedactor(cfg.Secret, cfg.Token)}
		cfg.OnCapture = pr.print
		capt, err := mockplatform.NewCapturer(cfg)
		if err != nil {
			return usageErrorf("%s", trimMP(err))
		}
		if err := checkListenAddr(*addr); err != nil {
			return err
		}
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			return unreachableErrorf("cannot listen on %s: %v", *addr, listenCause(err))
		}
		var notes []string
		if pname == "" {
			notes = append(notes, "platform detected per delivery")
		} else {
			notes = append(notes, pname)
		}
		notes = append(notes, "secret "+redact(cfg.Secret), "token "+redact(cfg.Token))
		if cfg.SaveDir != "" {
			notes = append(notes, "saving to "+cfg.SaveDir)
		}
		fmt.Fprintf(e.stderr, "listening on http://%s (%s)\n", ln.Addr(), strings.Join(notes, ", "))
		if ta, ok := ln.Addr().(*net.TCPAddr); ok && !ta.IP.IsLoopback() {
			fmt.Fprintf(e.stderr, "warning: %s is not a loopback address: anyone who can reach it can post to it\n", ln.Addr())
		}
		serveErr := capt.Serve(ctx, ln)
		pr.close()
		ct := pr.counts()
		summary := fmt.Sprintf("received %d deliveries (%d rejected or invalid)", ct.n, ct.bad)
		if cfg.SaveDir != "" {
			summary += fmt.Sprintf("; %d saved in %s", ct.saved, cfg.SaveDir)
			if ct.quarantined > 0 {
				summary += fmt.Sprintf(" (%d rejected kept in %s)", ct.quarantined, filepath.Join(cfg.SaveDir, mockplatform.QuarantineDir))
			}
			if ct.unsaved > 0 {
				summary += fmt.Sprintf("; %d NOT SAVED (answered 503 so the platform retries)", ct.unsaved)
			}
		}
		if ct.unread > 0 {
			summary += fmt.Sprintf("; %d with a body that could not be read (answered 400)", ct.unread)
		}
		if ct.unchecked > 0 {
			summary += fmt.Sprintf("; %d not validated (validation backlog full)", ct.unchecked)
		}
		fmt.Fprintln(e.stderr, summary)
		if serveErr != nil {
			return unreachableErrorf("%s", trimMP(serveErr))
		}
		if ct.unsaved > 0 {
			return withCode(exitUnreachable, fmt.Errorf("%d deliveries could not be saved", ct.unsaved))
		}
		return nil
	}
	register(c)
}

// listenCause shortens a listen error to its cause ("address already in use").
func listenCause(err error) error {
	if oe, ok := err.(*net.OpError); ok && oe.Err != nil {
		return oe.Err
	}
	return err
}

// validateReport validates one captured body with the schemas.
func validateReport(set *schemas.Set, body []byte, platform string) mockplatform.Report {
	res, err := set.Validate(body, schemas.Options{Platform: platform})
	if err != nil {
		return mockplatform.Report{Platform: platform, Errors: []string{err.Error()}}
	}
	rep := mockplatform.Report{Platform: res.Platform, Events: res.Events}
	for _, p := range res.Errors {
		rep.Errors = append(rep.Errors, p.String())
	}
	for _, p := range res.Drift {
		rep.Drift = append(rep.Drift, p.String())
	}
	return rep
}

// capturePrinter prints one line (or JSON object) per capture. OnCapture
// runs on the handler goroutines, so it serializes output, and it stops
// printing once the command is returning.
type capturePrinter struct {
	e         *env
	json      bool
	verbose   bool
	placement string
	red       redactor

	mu     sync.Mutex
	closed bool
	ct     captureCounts
}

// captureCounts is what listen's summary reports.
type captureCounts struct {
	n, bad            int // received; rejected or invalid
	saved, unsaved    int // accepted and saved; accepted but answered 503
	quarantined       int
	unread, unchecked int
}

func (p *capturePrinter) close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
}

func (p *capturePrinter) counts() captureCounts {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ct
}

// captureRecord is the JSON form of one capture (secrets in headers
// redacted).
type captureRecord struct {
	Seq       int64                `json:"seq"`
	Time      time.Time            `json:"time"`
	Remote    string               `json:"remote_addr"`
	URL       string               `json:"url"`
	Platform  string               `json:"platform"`
	Event     string               `json:"event"`
	Status    int                  `json:"status"`
	Bytes     int                  `json:"bytes"`
	Verdict   mockplatform.Verdict `json:"verdict"`
	Report    *mockplatform.Report `json:"report,omitempty"`
	Header    map[string][]string  `json:"header"`
	File      string               `json:"file,omitempty"`
	Rejected  bool                 `json:"quarantined,omitempty"` // File is in the quarantine
	SaveError string               `json:"save_error,omitempty"`
	ReadError string               `json:"read_error,omitempty"`
	Unchecked string               `json:"unchecked,omitempty"`
}

func (p *capturePrinter) print(cp mockplatform.Capture) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.ct.n++
	rejected := !cp.Accepted()
	if rejected || (cp.Report != nil && len(cp.Report.Errors) > 0) {
		p.ct.bad++
	}
	switch {
	case cp.SaveErr != nil:
		p.ct.unsaved++
	case cp.Quarantined:
		p.ct.quarantined++
	case cp.BodyFile != "":
		p.ct.saved++
	}
	if cp.ReadErr != nil {
		p.ct.unread++
	}
	if cp.Unchecked != "" {
		p.ct.unchecked++
	}
	if p.json {
		rec := captureRecord{Seq: cp.Seq, Time: cp.Time, Remote: cp.RemoteAddr, URL: p.red.apply(cp.URL),
			Platform: cp.Platform, Event: cp.Event, Status: cp.Status, Bytes: len(cp.Body), Verdict: cp.Verdict,
			Report: cp.Report, Header: map[string][]string{}, File: cp.BodyFile}
		for k, vs := range cp.Header {
			for _, v := range vs {
				rec.Header[k] = append(rec.Header[k], p.red.apply(v))
			}
		}
		if cp.SaveErr != nil {
			rec.SaveError = cp.SaveErr.Error()
		}
		if cp.ReadErr != nil {
			rec.ReadError = cp.ReadErr.Error()
		}
		rec.Rejected, rec.Unchecked = cp.Quarantined, cp.Unchecked
		b, _ := json.Marshal(rec)
		fmt.Fprintf(p.e.stdout, "%s\n", b)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#%d %s/%s -> %d", cp.Seq, orDash(cp.Platform), cp.Event, cp.Status)
	v := cp.Verdict
	switch {
	case v.Signature == mockplatform.VerdictInvalid:
		fmt.Fprintf(&b, " | signature invalid: %s", strings.TrimPrefix(v.SignatureError, "mockplatform: "))
	case v.Signature != mockplatform.VerdictUnchecked:
		fmt.Fprintf(&b, " | signature %s", v.Signature)
	}
	if v.Token != mockplatform.VerdictUnchecked {
		fmt.Fprintf(&b, " | token %s", v.Token)
		if v.TokenIn != "" {
			fmt.Fprintf(&b, " (in %s", v.TokenIn)
			if v.TokenIn != p.placement {
				fmt.Fprintf(&b, "; --token-placement says %s", p.placement)
			}
			b.WriteString(")")
		}
	}
	if v.Handshake {
		b.WriteString(" | handshake answered")
	}
	if r := cp.Report; r != nil {
		switch {
		case len(r.Errors) > 0:
			fmt.Fprintf(&b, " | schema: %d error(s), first %s", len(r.Errors), r.Errors[0])
		default:
			b.WriteString(" | schema: valid")
		}
		if len(r.Drift) > 0 {
			fmt.Fprintf(&b, ", %d drift (unknown keys)", len(r.Drift))
		}
	}
	fmt.Fprintf(&b, " | %d bytes", len(cp.Body))
	if cp.BodyFile != "" && !cp.Quarantined {
		fmt.Fprintf(&b, " | saved %s", filepath.Base(cp.BodyFile))
	}
	if cp.Quarantined {
		fmt.Fprintf(&b, " | kept in %s", mockplatform.QuarantineDir)
	}
	if cp.SaveErr != nil {
		fmt.Fprintf(&b, " | NOT SAVED: %v", cp.SaveErr)
	}
	if cp.ReadErr != nil {
		fmt.Fprintf(&b, " | body not read: %v", cp.ReadErr)
	}
	if cp.Unchecked != "" {
		fmt.Fprintf(&b, " | %s", cp.Unchecked)
	}
	fmt.Fprintln(p.e.stdout, b.String())
	if p.verbose && cp.Report != nil {
		for _, s := range cp.Report.Errors {
			fmt.Fprintf(p.e.stdout, "    error: %s\n", s)
		}
		for _, s := range cp.Report.Drift {
			fmt.Fprintf(p.e.stdout, "    drift: %s\n", s)
		}
	}
}
