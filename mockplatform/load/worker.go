package load

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

// stats are one worker's counters, written only by it (atomically, so
// progress can read them) and merged at the end.
type stats struct {
	hist   Histogram
	sent   atomic.Int64
	ok     atomic.Int64
	non2xx atomic.Int64
	errs   atomic.Int64
	status [1000]atomic.Int64 // net/http accepts 3-digit codes only
	cause  [numCauses]atomic.Int64
}

// worker sends requests one at a time, reusing one request, header, body
// and HMAC state.
type worker struct {
	r     *runner
	st    *stats
	ctx   context.Context // the run's, with a trace hook that arms the connection deadline
	req   *http.Request
	data  []byte        // the body of the request in flight
	br    *bytes.Reader // reused request body, wrapped in rc
	rc    io.ReadCloser // io.NopCloser(br): a body net/http knows is in memory, so it writes headers and body in one go
	getFn func() (io.ReadCloser, error)

	// written is set by the transport (httptrace WroteRequest) once it has
	// written the request in flight, headers and body: only then may the
	// worker reuse the request, header and body.
	written atomic.Bool

	// Header values this worker rewrites in place per request.
	id, ts, sig []string

	mac    hash.Hash
	sum    [sha256.Size]byte
	sigBuf []byte
	idBuf  [36]byte
	tsBuf  []byte
	lastTS int64
	buf    []byte // response-body sink

	deadline time.Time // of the request in flight
	conn     *dlConn   // the connection whose deadline this worker armed
}

var dot = []byte{'.'}

func newWorker(r *runner) *worker {
	w := &worker{r: r, st: &stats{}, buf: make([]byte, 8<<10)}
	w.ctx = httptrace.WithClientTrace(r.ctx, &httptrace.ClientTrace{
		GotConn:      w.gotConn,
		WroteRequest: func(httptrace.WroteRequestInfo) { w.written.Store(true) },
	})
	w.getFn = w.getBody
	if r.signing {
		w.mac = hmac.New(sha256.New, []byte(r.cfg.Secret))
		w.sigBuf = make([]byte, 0, 7+2*sha256.Size)
	}
	w.rebuild()
	return w
}

// rebuild gives the worker a fresh request, header and body: at start, and
// whenever the transport may still hold the previous ones (an error, or an
// answer that came before the body was written).
func (w *worker) rebuild() {
	r := w.r
	h := r.header.Clone()
	if r.chatwoot {
		w.id = []string{""}
		h[mockplatform.HeaderDelivery] = w.id
		if r.signing {
			w.ts, w.sig = []string{""}, []string{""}
			h[mockplatform.HeaderTimestamp] = w.ts
			h[mockplatform.HeaderSignature] = w.sig
			w.lastTS = -1
		}
	}
	req, err := http.NewRequestWithContext(w.ctx, http.MethodPost, r.url.String(), nil)
	if err != nil { // the URL was parsed and validated by Run
		panic("load: " + err.Error())
	}
	req.Header = h
	req.GetBody = w.getFn
	w.req = req
	w.br = bytes.NewReader(nil)
	w.rc = io.NopCloser(w.br)
}

// getBody is the request's GetBody: the transport calls it, in RoundTrip,
// to resend the body on a new connection.
func (w *worker) getBody() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(w.data)), nil
}

// prepare sets up request seq, sent at now, with body data.
func (w *worker) prepare(seq int64, data []byte, now time.Time) {
	w.data = data
	w.br.Reset(data)
	w.written.Store(false)
	w.req.Body = w.rc
	w.req.ContentLength = int64(len(data))
	if !w.r.chatwoot {
		return
	}
	w.setID(seq)
	if !w.r.signing {
		return
	}
	if ts := now.Unix(); ts != w.lastTS {
		w.tsBuf = strconv.AppendInt(w.tsBuf[:0], ts, 10)
		w.ts[0] = string(w.tsBuf)
		w.lastTS = ts
	}
	w.mac.Reset()
	w.mac.Write(w.tsBuf)
	w.mac.Write(dot)
	w.mac.Write(data)
	w.sigBuf = append(w.sigBuf[:0], "sha256="...)
	w.sigBuf = hex.AppendEncode(w.sigBuf, w.mac.Sum(w.sum[:0]))
	w.sig[0] = string(w.sigBuf)
}

// setID writes the delivery id of request seq: the run's random UUID with
// seq folded (XOR) into its last 8 bytes, version 4 and variant bits set.
// Unique within the run for seq < 2^62.
func (w *worker) setID(seq int64) {
	b := w.r.idPrefix
	binary.BigEndian.PutUint64(b[8:], binary.BigEndian.Uint64(b[8:])^uint64(seq))
	b[8] = b[8]&0x3f | 0x80
	s := w.idBuf[:]
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	w.id[0] = string(s)
}

// do sends request seq and counts its outcome once. Latency runs from
// from (its start, or its intended time in an open loop).
func (w *worker) do(seq int64, from, now time.Time) {
	r := w.r
	data := r.cfg.Bodies[seq%int64(len(r.cfg.Bodies))]
	w.deadline = now.Add(r.cfg.Timeout)
	w.prepare(seq, data, now)
	w.st.sent.Add(1)
	resp, err := r.tr.RoundTrip(w.req)
	if err != nil {
		w.disarm()
		w.fail(classify(err, r.ctx), err)
		w.rebuild()
		return
	}
	tooLarge := resp.ContentLength > r.cfg.MaxResponseBody
	if !tooLarge {
		var n int64
		n, err = w.drain(resp.Body)
		tooLarge = n > r.cfg.MaxResponseBody
	}
	resp.Body.Close()
	end := time.Now()
	w.disarm()
	switch {
	case tooLarge:
		w.fail(causeBodyTooLarge, errBodyTooLarge{r.cfg.MaxResponseBody})
	case err != nil:
		w.fail(classify(err, r.ctx), err)
	default:
		w.st.hist.Record(end.Sub(from))
		code := resp.StatusCode
		if code >= 0 && code < len(w.st.status) {
			w.st.status[code].Add(1)
		}
		if code >= 200 && code <= 299 {
			w.st.ok.Add(1)
		} else {
			w.st.non2xx.Add(1)
		}
	}
	if !w.written.Load() { // answered before the request was written
		w.rebuild()
	}
}

// drain reads and discards a response body, stopping once it exceeds the
// cap; it returns the bytes read.
func (w *worker) drain(b io.Reader) (int64, error) {
	var n int64
	for {
		m, err := b.Read(w.buf)
		n += int64(m)
		switch {
		case n > w.r.cfg.MaxResponseBody, err == io.EOF:
			return n, nil
		case err != nil:
			return n, err
		}
	}
}

func (w *worker) fail(cause int, err error) {
	w.st.errs.Add(1)
	w.st.cause[cause].Add(1)
	w.r.sample(cause, err)
}

type errBodyTooLarge struct{ limit int64 }

func (e errBodyTooLarge) Error() string {
	return "load: response body over " + strconv.FormatInt(e.limit, 10) + " bytes"
}

// gotConn arms the connection's deadline for the request in flight.
func (w *worker) gotConn(info httptrace.GotConnInfo) {
	c := info.Conn
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	dc, ok := c.(*dlConn)
	if !ok {
		return
	}
	if w.conn != nil && w.conn != dc {
		w.conn.disarm(w)
	}
	w.conn = dc
	dc.arm(w, w.deadline)
}

func (w *worker) disarm() {
	if w.conn != nil {
		w.conn.disarm(w)
		w.conn = nil
	}
}

// dlConn is a connection whose deadline bounds the request using it. The
// worker that got it arms the deadline; it clears it when done, unless the
// connection went back to the pool and another worker armed it meanwhile.
type dlConn struct {
	net.Conn
	mu    sync.Mutex
	owner *worker
}

func (c *dlConn) arm(w *worker, t time.Time) {
	c.mu.Lock()
	c.owner = w
	_ = c.Conn.SetDeadline(t)
	c.mu.Unlock()
}

func (c *dlConn) disarm(w *worker) {
	c.mu.Lock()
	if c.owner == w {
		c.owner = nil
		_ = c.Conn.SetDeadline(time.Time{})
	}
	c.mu.Unlock()
}
