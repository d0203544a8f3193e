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
	"os"
	"path/filepath"
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
	// SaveErr is the error saving them.
	BodyFile   string `json:"-"`
	HeaderFile string `json:"-"`
	SaveErr    error  `json:"-"`
}

// CaptureConfig configures a Capturer. Build it with NewCaptureConfig; in
// a CaptureConfig passed to NewCapturer zero values mean the defaults.
type CaptureConfig struct {
	// Platform is PlatformChatwoot, PlatformSwiftsell, or "" (default) to
	// decide per delivery: a handshake or a body with an "events" member is
	// Swiftsell, anything else Chatwoot.
	Platform string
	// Secret, when set, makes every Chatwoot delivery carry a valid
	// signature; one that does not is answered 401 (and still recorded).
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
	// Validate, when set, validates every body; its Report is recorded. A
	// body that fails validation is still answered 200: the platform is not
	// to blame for the receiver's contract.
	Validate func(body []byte) Report
	// OnCapture, when set, is called once per recorded delivery, after the
	// answer was sent and the files saved. It is called concurrently from
	// the handler goroutines.
	OnCapture func(Capture)
	// SaveDir, when set, is the directory (created if missing) where each
	// delivery is saved atomically as <seq>-<event>.json (the exact body) and
	// <seq>-<event>.headers.json (the Capture as JSON, without the body).
	SaveDir string
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
	}
}

// String describes c with Secret and Token redacted.
func (c CaptureConfig) String() string {
	return fmt.Sprintf("mockplatform.CaptureConfig{Platform:%q Secret:%q Token:%q SaveDir:%q MaxBody:%d Tolerance:%s}",
		c.Platform, redact(c.Secret), redact(c.Token), c.SaveDir, c.MaxBody, c.Tolerance)
}

// GoString is String, so %#v does not print secrets either.
func (c CaptureConfig) GoString() string { return c.String() }

// Capturer is an http.Handler that receives real platform deliveries, for
// `chathook listen`. Every POST is recorded; other methods get 405. It is
// safe for concurrent use.
type Capturer struct {
	cfg CaptureConfig
	seq atomic.Int64 // last sequence number handed out
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
	if cfg.SaveDir != "" {
		if err := os.MkdirAll(cfg.SaveDir, 0o700); err != nil {
			return nil, fmt.Errorf("mockplatform: save dir: %w", err)
		}
	}
	return &Capturer{cfg: cfg}, nil
}

func setDur(p *time.Duration, def time.Duration) {
	if *p == 0 {
		*p = def
	}
}

// Count returns how many deliveries have been recorded so far.
func (c *Capturer) Count() int64 { return c.seq.Load() }

// ServeHTTP records one delivery and answers it: 200 (a handshake: 200 with
// the token as the raw body), 401 when a configured secret or token does not
// match, 413 when the body is over MaxBody, 405 for methods other than POST.
func (c *Capturer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, c.cfg.MaxBody))
	var tooLarge *http.MaxBytesError
	if err != nil && !errors.As(err, &tooLarge) {
		return // the client went away; nothing to record
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
	var answer []byte
	switch {
	case tooLarge != nil:
		cp.Status, cp.Event = http.StatusRequestEntityTooLarge, "too_large"
		answer = []byte("request body too large\n")
	default:
		cp.Body = body
		answer = c.judge(r, &cp)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(cp.Status)
	_, _ = w.Write(answer)
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	if c.cfg.SaveDir != "" && cp.Body != nil {
		cp.BodyFile, cp.HeaderFile, cp.SaveErr = c.save(&cp)
	}
	if c.cfg.OnCapture != nil {
		c.cfg.OnCapture(cp)
	}
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
	switch {
	case cp.Verdict.Handshake:
		cp.Event = "handshake"
	default:
		if c.cfg.Validate != nil {
			rep := c.cfg.Validate(cp.Body)
			cp.Report = &rep
			if len(rep.Events) > 0 {
				cp.Event = rep.Events[0]
			}
		}
		if cp.Event == "" {
			cp.Event = sniffEvent(cp.Body, members)
		}
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
// "event", or the first Swiftsell event's event.type.
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
					Type string `json:"type"`
				} `json:"event"`
			} `json:"events"`
		}
		if json.Unmarshal(body, &env) == nil && len(env.Events) > 0 && env.Events[0].Event.Type != "" {
			return env.Events[0].Event.Type
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

// save writes the body and the headers file, each atomically.
func (c *Capturer) save(cp *Capture) (bodyFile, headerFile string, err error) {
	base := fmt.Sprintf("%06d-%s", cp.Seq, cp.Event)
	bodyFile = filepath.Join(c.cfg.SaveDir, base+".json")
	headerFile = filepath.Join(c.cfg.SaveDir, base+".headers.json")
	if err := writeAtomic(bodyFile, cp.Body); err != nil {
		return "", "", err
	}
	meta, err := json.MarshalIndent(cp, "", "  ")
	if err != nil {
		return bodyFile, "", fmt.Errorf("mockplatform: save: %w", err)
	}
	if err := writeAtomic(headerFile, append(meta, '\n')); err != nil {
		return bodyFile, "", err
	}
	return bodyFile, headerFile, nil
}

// writeAtomic writes data to a temporary file in the same directory and
// renames it to name, so name never holds a partial file. (It does not
// fsync: a power loss may lose a capture, a crash of the process cannot
// leave a half-written one.)
func writeAtomic(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), ".capture-*.tmp")
	if err != nil {
		return fmt.Errorf("mockplatform: save: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o600)
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("mockplatform: save: %w", err)
	}
	return nil
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
		return fmt.Errorf("mockplatform: serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	<-errc
	if err != nil {
		srv.Close()
		return fmt.Errorf("mockplatform: shutdown: %w", err)
	}
	return nil
}
