package mockplatform

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"runtime"
	"sync/atomic"
	"time"
)

// Report is the outcome of validating one captured body, as returned by the
// CaptureConfig.Validate function (mockplatform does not validate payloads
// itself; the schemas package does, wired in by the caller).
type Report struct {
	Platform string   `json:"platform,omitempty"`
	Events   []string `json:"events,omitempty"` // event names found in the body, in order
	Errors   []string `json:"errors,omitempty"` // contract violations
	Drift    []string `json:"drift,omitempty"`  // unknown keys: the platform may have added fields
}

// Verdict values.
const (
	VerdictValid     = "valid"
	VerdictInvalid   = "invalid"
	VerdictMissing   = "missing"
	VerdictUnchecked = "unchecked"
)

// Verdict is what the Capturer concluded about a delivery's credentials.
type Verdict struct {
	// Signature is VerdictValid, VerdictInvalid or VerdictUnchecked (no
	// secret configured, or not a Chatwoot delivery); SignatureError says
	// why it is invalid.
	Signature      string `json:"signature"`
	SignatureError string `json:"signature_error,omitempty"`
	// Token is VerdictValid, VerdictInvalid, VerdictMissing or
	// VerdictUnchecked (no token configured, or not a Swiftsell delivery);
	// TokenIn says where the valid token was found: "header", "query" or
	// "body".
	Token   string `json:"token"`
	TokenIn string `json:"token_in,omitempty"`
	// Handshake is true for a Swiftsell handshake.
	Handshake bool `json:"handshake,omitempty"`
}

// Capture records one received delivery.
type Capture struct {
	Seq        int64       `json:"seq"` // 1, 2, ... in order of arrival, unique
	Time       time.Time   `json:"time"`
	RemoteAddr string      `json:"remote_addr"`
	Method     string      `json:"method"`
	URL        string      `json:"url"` // the request URI as received
	Host       string      `json:"host"`
	Header     http.Header `json:"header"`
	Body       []byte      `json:"-"` // exact bytes; nil when the body was too large
	Platform   string      `json:"platform"`
	Event      string      `json:"event"` // first event name, "handshake", or "unknown"
	Verdict    Verdict     `json:"verdict"`
	Report     *Report     `json:"report,omitempty"` // nil without CaptureConfig.Validate
	Status     int         `json:"status"`           // the status answered
	// BodyFile and HeaderFile are the saved files ("" when not saved);
	// SaveErr is the error saving them (the delivery was then answered 503,
	// so that the platform retries, and is not acknowledged). A rejected
	// delivery is saved, if at all, in the quarantine (Quarantined).
	BodyFile    string `json:"-"`
	HeaderFile  string `json:"-"`
	SaveErr     error  `json:"-"`
	Quarantined bool   `json:"-"`
	// ReadErr is why the body could not be read (a short Content-Length,
	// broken chunking, the client gone); such a delivery is answered 400
	// (if the client still listens), never 2xx, and not saved.
	ReadErr error `json:"-"`
	// Unchecked says why an accepted body was not validated ("" when it
	// was, or when there is no validator): the validation backlog was full.
	Unchecked string `json:"-"`
}

// Accepted reports whether the delivery was acknowledged with a 2xx.
func (c *Capture) Accepted() bool { return c.Status >= 200 && c.Status <= 299 }

// CaptureConfig configures a Capturer. Build it with NewCaptureConfig; in
// a CaptureConfig passed to NewCapturer zero values mean the defaults.
type CaptureConfig struct {
	// Platform is PlatformChatwoot, PlatformSwiftsell, or "" (default) to
	// decide per delivery: a handshake or a body with an "events" member is
	// Swiftsell, anything else Chatwoot.
	Platform string
	// Secret, when set, makes every Chatwoot delivery carry a valid
	// signature; one that does not is answered 401 (and still reported,
	// but never saved with the accepted ones and never validated).
	Secret string
	// Tolerance is the accepted distance of X-Chatwoot-Timestamp from now.
	// Default 5 minutes; negative: no staleness check.
	Tolerance time.Duration
	// Token, when set, makes every Swiftsell delivery and handshake carry
	// it, in the header TokenHeader, the query parameter TokenParam or the
	// top-level body member TokenParam (wherever: the real placement is not
	// documented, and the verdict says where it was found); otherwise 401.
	Token       string
	TokenHeader string // default "X-Swiftsell-Token"
	TokenParam  string // default "token"
	// Validate, when set, validates every accepted body (rejected ones are
	// not worth the cost); its Report is recorded. It runs off the request
	// path, after the answer, on at most ValidateWorkers goroutines, with at
	// most ValidateBacklog bytes of bodies waiting (beyond that a body is
	// reported Unchecked, never delayed); a Report keeps at most MaxProblems
	// errors and as many drift lines. A body that fails validation is still
	// answered 200: the platform is not to blame for the receiver's contract.
	Validate        func(body []byte) Report
	ValidateWorkers int   // default runtime.GOMAXPROCS(0)
	ValidateBacklog int64 // bytes; default 64 MiB
	MaxProblems     int   // default 20
	// OnCapture, when set, is called once per delivery, after the answer was
	// sent, the files saved and the body validated, in the order the
	// deliveries were answered, one call at a time, from handler or validation goroutines.
	OnCapture func(Capture)
	// SaveDir, when set, is the directory (created if missing) where each
	// accepted delivery is saved before it is answered, as <seq>-<event>.json
	// (the exact body) and <seq>-<event>.headers.json (the Capture as JSON,
	// without the body), each written to a temporary file and linked into
	// place (never overwriting: a second run into the same directory
	// numbers on after the highest sequence number found). A delivery that
	// cannot be saved is answered 503. Rejected deliveries (401) go to the
	// quarantine SaveDir/rejected/, at most QuarantineCount files and
	// QuarantineBytes bytes of bodies per run (defaults 100 and 1 MiB;
	// negative: no quarantine), so junk cannot fill the disk.
	SaveDir         string
	QuarantineCount int
	QuarantineBytes int64
	// MaxBody is the largest accepted request body in bytes; larger is
	// answered 413. Default 10 MiB.
	MaxBody int64
	// Now is the clock for staleness and Capture.Time. Default time.Now.
	Now func() time.Time
	// Server timeouts used by Serve. Defaults: ReadHeaderTimeout 10s,
	// ReadTimeout 30s, WriteTimeout 30s, IdleTimeout 120s, ShutdownTimeout
	// (the grace period for in-flight requests after ctx ends) 5s.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout, ShutdownTimeout time.Duration
}

// NewCaptureConfig returns a CaptureConfig holding every default.
func NewCaptureConfig() CaptureConfig {
	return CaptureConfig{
		Tolerance:         5 * time.Minute,
		TokenHeader:       DefaultTokenHeader,
		TokenParam:        DefaultTokenParam,
		MaxBody:           10 << 20,
		Now:               time.Now,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		ShutdownTimeout:   5 * time.Second,
		ValidateWorkers:   runtime.GOMAXPROCS(0),
		ValidateBacklog:   64 << 20,
		MaxProblems:       20,
		QuarantineCount:   100,
		QuarantineBytes:   1 << 20,
	}
}

// String describes c with Secret and Token redacted.
func (c CaptureConfig) String() string {
	return fmt.Sprintf("mockplatform.CaptureConfig{Platform:%q Secret:%q Token:%q SaveDir:%q MaxBody:%d Tolerance:%s}",
		c.Platform, Redact(c.Secret), Redact(c.Token), c.SaveDir, c.MaxBody, c.Tolerance)
}

// GoString is String, so %#v does not print secrets either.
func (c CaptureConfig) GoString() string { return c.String() }

// Capturer is an http.Handler that receives real platform deliveries, for
// `chathook listen`. Every POST is recorded; other methods get 405. It is
// safe for concurrent use.
type Capturer struct {
	cfg   CaptureConfig
	seq   atomic.Int64 // last sequence number handed out
	n     atomic.Int64 // deliveries recorded
	store *captureStore
	check *checker
}

// NewCapturer validates cfg and, when SaveDir is set, creates it.
func NewCapturer(cfg CaptureConfig) (*Capturer, error) {
	d := NewCaptureConfig()
	if cfg.Tolerance == 0 {
		cfg.Tolerance = d.Tolerance
	}
	if cfg.TokenHeader == "" {
		cfg.TokenHeader = d.TokenHeader
	}
	if cfg.TokenParam == "" {
		cfg.TokenParam = d.TokenParam
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = d.MaxBody
	}
	if cfg.Now == nil {
		cfg.Now = d.Now
	}
	setDur(&cfg.ReadHeaderTimeout, d.ReadHeaderTimeout)
	setDur(&cfg.ReadTimeout, d.ReadTimeout)
	setDur(&cfg.WriteTimeout, d.WriteTimeout)
	setDur(&cfg.IdleTimeout, d.IdleTimeout)
	setDur(&cfg.ShutdownTimeout, d.ShutdownTimeout)
	switch cfg.Platform {
	case "", PlatformChatwoot, PlatformSwiftsell:
	default:
		return nil, fmt.Errorf("%w: unknown platform %q", ErrInvalidConfig, cfg.Platform)
	}
	if cfg.MaxBody < 0 {
		return nil, fmt.Errorf("%w: max body %d is negative", ErrInvalidConfig, cfg.MaxBody)
	}
	if !validHeaderName(cfg.TokenHeader) {
		return nil, fmt.Errorf("%w: token header %q is not a valid header name", ErrInvalidConfig, cfg.TokenHeader)
	}
	if cfg.ValidateWorkers <= 0 {
		cfg.ValidateWorkers = d.ValidateWorkers
	}
	if cfg.ValidateBacklog <= 0 {
		cfg.ValidateBacklog = d.ValidateBacklog
	}
	if cfg.MaxProblems <= 0 {
		cfg.MaxProblems = d.MaxProblems
	}
	if cfg.QuarantineCount == 0 {
		cfg.QuarantineCount = d.QuarantineCount
	}
	if cfg.QuarantineBytes == 0 {
		cfg.QuarantineBytes = d.QuarantineBytes
	}
	c := &Capturer{cfg: cfg}
	if cfg.SaveDir != "" {
		st, last, err := openStore(cfg.SaveDir, cfg.QuarantineCount, cfg.QuarantineBytes)
		if err != nil {
			return nil, err
		}
		c.store = st
		c.seq.Store(last)
	}
	c.check = newChecker(cfg.ValidateWorkers, cfg.ValidateBacklog, c.validated, c.report)
	return c, nil
}

// Close waits for the validations still running and reports their
// captures. Serve calls it; a caller that uses the Capturer as a plain
// http.Handler calls it after its server stopped.
func (c *Capturer) Close() { c.check.close() }

func setDur(p *time.Duration, def time.Duration) {
	if *p == 0 {
		*p = def
	}
}

// Count returns how many deliveries have been recorded so far.
func (c *Capturer) Count() int64 { return c.n.Load() }

// ServeHTTP records one delivery and answers it: 200 (a handshake: 200 with
// the token as the raw body), 401 when a configured secret or token does not
// match, 413 when the body is over MaxBody, 400 when the body could not be
// read whole, 503 when an accepted delivery could not be saved, 405 for
// methods other than POST. Credentials are checked before anything costly;
// an acknowledged delivery is already saved.
func (c *Capturer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	cp := Capture{
		Seq:        c.seq.Add(1),
		Time:       c.cfg.Now(),
		RemoteAddr: r.RemoteAddr,
		Method:     r.Method,
		URL:        r.RequestURI,
		Host:       r.Host,
		Header:     r.Header.Clone(),
		Verdict:    Verdict{Signature: VerdictUnchecked, Token: VerdictUnchecked},
	}
	c.n.Add(1)
	var tooLarge *http.MaxBytesError
	var body []byte
	var err error
	if r.ContentLength > c.cfg.MaxBody {
		err = &http.MaxBytesError{Limit: c.cfg.MaxBody} // refused without reading it
	} else {
		body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, c.cfg.MaxBody))
	}
	var answer []byte
	switch {
	case errors.As(err, &tooLarge):
		cp.Status, cp.Event = http.StatusRequestEntityTooLarge, "too_large"
		answer = []byte("request body too large\n")
	case err != nil:
		// Never acknowledge what could not be read: a short Content-Length,
		// broken chunking, a client gone or too slow.
		cp.Status, cp.Event, cp.ReadErr = http.StatusBadRequest, "unreadable", err
		answer = []byte("request body could not be read\n")
	default:
		cp.Body = body
		answer = c.judge(r, &cp)
		switch {
		case cp.Accepted() && c.store != nil:
			if cp.BodyFile, cp.HeaderFile, cp.SaveErr = c.store.save(&cp); cp.SaveErr != nil {
				cp.Status, answer = http.StatusServiceUnavailable, []byte("could not save the delivery; retry later\n")
			}
		case !cp.Accepted() && c.store != nil:
			cp.BodyFile, cp.HeaderFile, cp.Quarantined = c.store.quarantine(&cp)
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if cp.Status >= 400 && cp.Status != http.StatusUnauthorized {
		w.Header().Set("Connection", "close")
	}
	w.WriteHeader(cp.Status)
	_, _ = w.Write(answer)
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	// Validated off the request path; reported in the order answered.
	c.check.submit(cp, c.cfg.Validate != nil && cp.Accepted() && !cp.Verdict.Handshake)
}

func (c *Capturer) report(cp Capture) {
	if c.cfg.OnCapture != nil {
		c.cfg.OnCapture(cp)
	}
}

// validated runs on a checker goroutine: validate and cap the problems.
func (c *Capturer) validated(cp Capture, _ string) Capture {
	rep := c.cfg.Validate(cp.Body)
	rep.Errors = capProblems(rep.Errors, c.cfg.MaxProblems)
	rep.Drift = capProblems(rep.Drift, c.cfg.MaxProblems)
	cp.Report = &rep
	return cp
}

// capProblems keeps at most n problems, the last one saying how many more
// there were.
func capProblems(ps []string, n int) []string {
	if len(ps) <= n {
		return ps
	}
	more := len(ps) - n + 1
	return append(ps[:n-1:n-1], fmt.Sprintf("... and %d more", more))
}

// judge fills in platform, event, verdict, report and status, and returns
// the answer body.
func (c *Capturer) judge(r *http.Request, cp *Capture) []byte {
	members, _ := topMembers(cp.Body) // nil when not an object
	handshakeToken, isHandshake := handshakeBody(cp.Body, members, c.cfg.TokenParam)
	cp.Platform = c.cfg.Platform
	if cp.Platform == "" {
		cp.Platform = PlatformChatwoot
		if isHandshake || hasMember(members, "events") {
			cp.Platform = PlatformSwiftsell
		}
	}
	cp.Status = http.StatusOK
	var answer []byte
	switch cp.Platform {
	case PlatformChatwoot:
		if c.cfg.Secret != "" {
			tol := max(c.cfg.Tolerance, 0)
			err := Verify(c.cfg.Secret, r.Header.Get(HeaderSignature), r.Header.Get(HeaderTimestamp), cp.Body, c.cfg.Now(), tol)
			if err != nil {
				cp.Verdict.Signature, cp.Verdict.SignatureError = VerdictInvalid, err.Error()
				cp.Status, answer = http.StatusUnauthorized, []byte(err.Error()+"\n")
			} else {
				cp.Verdict.Signature = VerdictValid
			}
		}
	case PlatformSwiftsell:
		cp.Verdict.Handshake = isHandshake && c.cfg.Platform != PlatformChatwoot
		if c.cfg.Token != "" {
			cp.Verdict.Token, cp.Verdict.TokenIn = c.checkToken(r, cp.Body, members)
			if cp.Verdict.Token != VerdictValid {
				cp.Status, answer = http.StatusUnauthorized, []byte("mockplatform: token "+cp.Verdict.Token+"\n")
			}
		}
		if cp.Verdict.Handshake && cp.Status == http.StatusOK {
			answer = []byte(handshakeToken)
		}
	}
	if cp.Verdict.Handshake {
		cp.Event = "handshake"
	} else {
		cp.Event = sniffEvent(cp.Body, members)
	}
	cp.Event = fileSafe(cp.Event)
	return answer
}

// handshakeBody reports whether the body is exactly an object with one
// member, param, holding a string; it returns that string.
func handshakeBody(body []byte, ms []member, param string) (string, bool) {
	if len(ms) != 1 || ms[0].key != param {
		return "", false
	}
	var s string
	raw := body[ms[0].start:ms[0].end]
	if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

func hasMember(ms []member, key string) bool {
	for _, m := range ms {
		if m.key == key {
			return true
		}
	}
	return false
}

// checkToken looks for the token in the header, the query and the body.
func (c *Capturer) checkToken(r *http.Request, body []byte, ms []member) (verdict, where string) {
	var seen []struct{ where, v string }
	if v := r.Header.Values(c.cfg.TokenHeader); len(v) > 0 {
		for _, s := range v {
			seen = append(seen, struct{ where, v string }{TokenInHeader, s})
		}
	}
	for _, s := range r.URL.Query()[c.cfg.TokenParam] {
		seen = append(seen, struct{ where, v string }{TokenInQuery, s})
	}
	for _, m := range ms {
		var s string
		if m.key == c.cfg.TokenParam && json.Unmarshal(body[m.start:m.end], &s) == nil {
			seen = append(seen, struct{ where, v string }{TokenInBody, s})
		}
	}
	if len(seen) == 0 {
		return VerdictMissing, ""
	}
	for _, s := range seen {
		if subtle.ConstantTimeCompare([]byte(s.v), []byte(c.cfg.Token)) == 1 {
			return VerdictValid, s.where
		}
	}
	return VerdictInvalid, ""
}

// sniffEvent finds the event name without a validator: Chatwoot's top-level
// "event", or the first Swiftsell event's event.type (with the message kind,
// "message.form").
func sniffEvent(body []byte, ms []member) string {
	for _, m := range ms {
		var s string
		if m.key == "event" && json.Unmarshal(body[m.start:m.end], &s) == nil {
			return s
		}
	}
	if hasMember(ms, "events") {
		var env struct {
			Events []struct {
				Event struct {
					Type    string `json:"type"`
					Payload struct {
						Message struct {
							Type string `json:"type"`
						} `json:"message"`
					} `json:"payload"`
				} `json:"event"`
			} `json:"events"`
		}
		if json.Unmarshal(body, &env) == nil && len(env.Events) > 0 && env.Events[0].Event.Type != "" {
			ev := env.Events[0].Event
			if kind := ev.Payload.Message.Type; ev.Type == "message" && kind != "" {
				return ev.Type + "." + kind // a message's kind, as validation names it
			}
			return ev.Type
		}
	}
	return "unknown"
}

// fileSafe keeps [A-Za-z0-9._-] (others become '_'), at most 64 bytes.
func fileSafe(s string) string {
	b := []byte(s)
	if len(b) > 64 {
		b = b[:64]
	}
	for i, c := range b {
		if !isAlnum(c) && c != '.' && c != '_' && c != '-' {
			b[i] = '_'
		}
	}
	if len(b) == 0 || b[0] == '.' {
		return "unknown"
	}
	return string(b)
}

// Serve serves c on ln until ctx ends, then shuts down gracefully, waiting
// up to ShutdownTimeout for in-flight deliveries. It returns nil after a
// shutdown on ctx, or the error that stopped the server.
func (c *Capturer) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           c,
		ReadHeaderTimeout: c.cfg.ReadHeaderTimeout,
		ReadTimeout:       c.cfg.ReadTimeout,
		WriteTimeout:      c.cfg.WriteTimeout,
		IdleTimeout:       c.cfg.IdleTimeout,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          log.New(io.Discard, "", 0), // libraries never print
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		c.Close()
		return fmt.Errorf("mockplatform: serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	<-errc
	defer c.Close()
	if err != nil {
		srv.Close()
		return fmt.Errorf("mockplatform: shutdown: %w", err)
	}
	return nil
}
