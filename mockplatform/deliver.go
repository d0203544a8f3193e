package mockplatform

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Delivery records one delivery: the request, every attempt, and the result.
// Fields may be added in future; do not compare whole Deliveries in tests.
type Delivery struct {
	// Request is the request as sent on the first hop of the first attempt.
	Request Request
	// DeliveryID is the X-Chatwoot-Delivery value, "" when none was sent.
	DeliveryID string
	// Attempts holds every attempt in order; there is at least one.
	Attempts []Attempt
	// Status is the final HTTP status of the last attempt, 0 when it got
	// no answer.
	Status int
	// Duration is the wall time of the whole delivery, waits included.
	Duration time.Duration
	// Err is nil when the receiver answered (whatever the status) and a
	// *DeliveryError when it did not (refused, timeout, too many
	// redirects, response body too large, ...). A non-2xx answer is not an
	// Err: check OK or Status.
	Err error
}

// OK reports whether the delivery succeeded as the platform counts success:
// an answer with a 2xx status.
func (d *Delivery) OK() bool { return d.Err == nil && d.Status >= 200 && d.Status <= 299 }

// Last returns the last attempt.
func (d *Delivery) Last() *Attempt { return &d.Attempts[len(d.Attempts)-1] }

// Request is an HTTP request as sent.
type Request struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
}

// Attempt is one try of a delivery, redirects included.
type Attempt struct {
	N         int         // 1-based
	Timestamp int64       // X-Chatwoot-Timestamp sent, 0 when unsigned
	Header    http.Header // request headers of this attempt
	URL       string      // URL that gave the final answer
	Hops      []Hop       // redirects followed, in order
	Status    int         // final status, 0 when there was no answer
	// Response holds the final response's headers, nil without an answer.
	Response http.Header
	// Body is the first Config.CaptureBody bytes of the final response
	// body; BodySize is how many bytes were read in all, and Truncated
	// says whether Body is shorter than that.
	Body      []byte
	BodySize  int64
	Truncated bool
	Duration  time.Duration
	Err       error // *DeliveryError, nil when the receiver answered
}

// Hop is a redirect that was followed.
type Hop struct {
	Status   int    // the 3xx status
	URL      string // the URL that answered it
	Location string // the resolved URL it pointed to
	Method   string // the method sent to Location (a GET has no body)
}

// Deliver sends body to target as the configured platform does and records
// what happened. The body is sent byte for byte (for Swiftsell it should
// already be an {"events":[...]} envelope; see DeliverBatch).
//
// The error is non-nil, wrapping ErrInvalidArgument, only when nothing could
// be sent: target is not an absolute http(s) URL, or an option does not apply
// to the Config. Failures of the delivery itself are data: see Delivery.Err.
// Deliver returns when the delivery is over: every request is bounded by
// Config.Timeout and ctx.
func (p *Platform) Deliver(ctx context.Context, target string, body []byte, opts ...DeliverOption) (*Delivery, error) {
	u, err := parseTarget(target)
	if err != nil {
		return nil, err
	}
	o := collect(opts)
	if err := checkFaults(o.faults); err != nil {
		return nil, err
	}
	pl, err := p.prof.plan(p, u, body, o)
	if err != nil {
		return nil, err
	}
	return p.run(ctx, pl), nil
}

// extraHeader merges Config.Header and the WithHeader options.
func (p *Platform) extraHeader(o *deliverOptions) http.Header {
	h := p.cfg.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	for k, vs := range o.header {
		h[k] = vs
	}
	return h
}

// run performs the attempts of a plan.
func (p *Platform) run(ctx context.Context, pl *plan) *Delivery {
	start := time.Now()
	d := &Delivery{DeliveryID: pl.deliveryID}
	for n := 1; ; n++ {
		at := p.attempt(ctx, pl, n)
		if n == 1 {
			d.Request = Request{Method: http.MethodPost, URL: pl.url.String(), Header: at.Header.Clone(), Body: pl.body}
		}
		d.Attempts = append(d.Attempts, at)
		d.Status, d.Err = at.Status, at.Err
		if at.Err != nil || n >= pl.maxAttempts || pl.retry == nil || !pl.retry(at.Status) {
			break
		}
		wait := p.cfg.RetryWait
		if wait == 0 {
			wait = pl.wait
		}
		if err := sleep(ctx, wait); err != nil {
			d.Err = &DeliveryError{Cause: CauseCanceled, Err: err}
			break
		}
	}
	d.Duration = time.Since(start)
	return d
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// attempt sends one attempt, following redirects as the plan says.
func (p *Platform) attempt(ctx context.Context, pl *plan, n int) Attempt {
	start := time.Now()
	h, ts := pl.attemptHeader(p.cfg.Now())
	at := Attempt{N: n, Timestamp: ts, Header: h.Clone()}
	defer func() { at.Duration = time.Since(start) }()
	cur, method := pl.url, http.MethodPost
	for hop := 0; ; hop++ {
		at.URL = cur.String()
		resp, hopCtx, cancel, err := p.send(ctx, pl, method, cur, h)
		if err != nil {
			at.Err = err
			cancel()
			return at
		}
		loc := resp.Header.Get("Location")
		nextMethod, follow := method, resp.StatusCode >= 300 && resp.StatusCode <= 399 && loc != "" && pl.maxRedirects >= 0
		if follow && pl.redirect != nil {
			nextMethod, follow = pl.redirect(resp.StatusCode, method)
		}
		if follow {
			drain(resp.Body)
			cancel()
			next, err := cur.Parse(loc)
			if err == nil && next.Scheme != "http" && next.Scheme != "https" {
				err = fmt.Errorf("mockplatform: redirect to unsupported scheme %q", next.Scheme)
			}
			if err != nil {
				at.Status = resp.StatusCode
				at.Err = &DeliveryError{Cause: CauseOther, Err: fmt.Errorf("mockplatform: bad redirect location %q: %w", clip(loc, 200), err)}
				return at
			}
			at.Hops = append(at.Hops, Hop{Status: resp.StatusCode, URL: cur.String(), Location: next.String(), Method: nextMethod})
			if len(at.Hops) > pl.maxRedirects {
				at.Status = resp.StatusCode
				at.Err = &DeliveryError{Cause: CauseTooManyRedirects, Err: fmt.Errorf("%w: more than %d", errTooManyRedirects, pl.maxRedirects)}
				return at
			}
			if !sameOrigin(cur, next) && pl.bodyCredential {
				at.Status = resp.StatusCode
				at.Err = &DeliveryError{Cause: CauseOther, Err: fmt.Errorf("mockplatform: redirect to another origin (%s) not followed: "+
					"the token travels in the body", RedactURL(next.Scheme+"://"+next.Host, pl.secrets...))}
				return at
			}
			if !sameOrigin(cur, next) {
				h = h.Clone()
				for _, k := range pl.credentialHeaders { // the platform's own credential never leaves its origin
					h.Del(k)
				}
				if !pl.keepCredentials {
					h.Del("Authorization")
					h.Del("Cookie")
				}
			}
			cur, method = next, nextMethod
			continue
		}
		at.Status = resp.StatusCode
		at.Response = resp.Header
		err = p.readBody(p.idleBody(resp.Body, hopCtx), &at)
		resp.Body.Close()
		if err != nil {
			at.Err = classify(redactURLError(err, pl.secrets...), ctx, hopCtx.ctx)
		}
		cancel()
		return at
	}
}

// hopContext is the context of one request: the whole hop is bounded by
// limits.hop, and an idle body read can end it with errHopTimeout too.
type hopContext struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
}

// send makes one HTTP request bounded by the Platform's limits. On success
// the caller must close the body and then call cancel.
func (p *Platform) send(ctx context.Context, pl *plan, method string, u *url.URL, h http.Header) (*http.Response, hopContext, context.CancelFunc, error) {
	bounded, stop := context.WithTimeoutCause(ctx, p.limits.hop, errHopTimeout)
	c, cancelCause := context.WithCancelCause(bounded)
	hc := hopContext{ctx: c, cancel: cancelCause}
	cancel := func() { cancelCause(context.Canceled); stop() }
	var body io.Reader = bytes.NewReader(pl.body)
	if method == http.MethodGet {
		body = nil
	}
	req, err := http.NewRequestWithContext(c, method, u.String(), body)
	if err != nil {
		return nil, hc, cancel, &DeliveryError{Cause: CauseOther, Err: err}
	}
	req.Header = h.Clone()
	if method == http.MethodGet {
		req.Header.Del("Content-Length")
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, hc, cancel, classify(redactURLError(err, pl.secrets...), ctx, c)
	}
	return resp, hc, cancel, nil
}

// idleBody bounds each read of a response body by limits.idle, as Net::HTTP's
// read_timeout does; r is returned as is when there is no such bound.
func (p *Platform) idleBody(r io.Reader, hc hopContext) io.Reader {
	if p.limits.idle <= 0 {
		return r
	}
	return &idleReader{r: r, idle: p.limits.idle, cancel: hc.cancel}
}

// idleReader ends its hop with errHopTimeout when one Read takes longer
// than idle.
type idleReader struct {
	r      io.Reader
	idle   time.Duration
	cancel context.CancelCauseFunc
}

func (ir *idleReader) Read(b []byte) (int, error) {
	t := time.AfterFunc(ir.idle, func() { ir.cancel(errHopTimeout) })
	n, err := ir.r.Read(b)
	t.Stop()
	return n, err
}

// readBody reads the response body up to MaxResponseBody, keeping
// CaptureBody bytes in at.
func (p *Platform) readBody(r io.Reader, at *Attempt) error {
	keep := max(p.cfg.CaptureBody, 0)
	cw := &capWriter{keep: keep}
	buf := copyBufs.Get().(*[]byte)
	n, err := io.CopyBuffer(cw, io.LimitReader(r, p.cfg.MaxResponseBody+1), *buf)
	copyBufs.Put(buf)
	at.Body, at.BodySize = cw.buf, n
	at.Truncated = int64(len(cw.buf)) < n
	if err != nil {
		return err
	}
	if n > p.cfg.MaxResponseBody {
		return fmt.Errorf("%w: more than %d bytes", errBodyTooLarge, p.cfg.MaxResponseBody)
	}
	return nil
}

// copyBufs recycles the buffers that read response bodies.
var copyBufs = sync.Pool{New: func() any { b := make([]byte, 16<<10); return &b }}

// capWriter keeps the first keep bytes written and discards the rest.
type capWriter struct {
	keep int
	buf  []byte
}

func (w *capWriter) Write(b []byte) (int, error) {
	if room := w.keep - len(w.buf); room > 0 {
		w.buf = append(w.buf, b[:min(room, len(b))]...)
	}
	return len(b), nil
}

// drain reads a little of an unwanted body so the connection can be reused,
// then closes it.
func drain(rc io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(rc, 64<<10))
	rc.Close()
}

func sameOrigin(a, b *url.URL) bool {
	return a.Scheme == b.Scheme && a.Hostname() == b.Hostname() && port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}
