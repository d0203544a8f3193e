package load

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chathook/chathook/mockplatform"
)

// runner is one run's shared state.
type runner struct {
	cfg      Config
	url      *url.URL
	tr       *http.Transport
	ctx      context.Context // canceled when the caller's ctx ends, and after the run
	chatwoot bool
	signing  bool
	header   http.Header // the headers every request carries
	idPrefix [16]byte

	start    time.Time
	end      time.Time // zero: no time limit
	interval float64   // open loop: nanoseconds between arrivals

	seq       atomic.Int64 // closed loop: next request number
	dropped   atomic.Int64
	unsent    atomic.Int64
	scheduled atomic.Int64

	errMu      sync.Mutex
	errN       atomic.Int32
	errSamples []ErrorSample

	workers []*worker
}

// Run sends load as cfg describes and returns the accounting. The error is
// non-nil only for an invalid Config (wrapping ErrInvalidConfig), in which
// case nothing was sent. When ctx ends, Run stops early and returns the
// partial Result with Interrupted set (see the package documentation).
func Run(ctx context.Context, cfg Config) (*Result, error) {
	cfg = cfg.withDefaults()
	u, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := &runner{
		cfg:      cfg,
		url:      u,
		ctx:      runCtx,
		chatwoot: cfg.Platform == mockplatform.PlatformChatwoot,
		header:   baseHeader(cfg),
	}
	r.signing = r.chatwoot && cfg.Secret != ""
	_, _ = rand.Read(r.idPrefix[:]) // never fails (Go 1.24+)
	r.idPrefix[6] = r.idPrefix[6]&0x0f | 0x40
	r.tr = newTransport(cfg)
	defer r.tr.CloseIdleConnections()

	r.workers = make([]*worker, cfg.Concurrency)
	for i := range r.workers {
		r.workers[i] = newWorker(r)
	}
	r.start = time.Now()
	if cfg.Duration > 0 {
		r.end = r.start.Add(cfg.Duration)
	}
	var wg sync.WaitGroup
	if cfg.Rate == 0 {
		for _, w := range r.workers {
			wg.Go(w.closedLoop)
		}
	} else {
		r.interval = 1e9 / cfg.Rate
		q := make(chan int64, cfg.MaxBacklog)
		wg.Go(func() { r.schedule(q) })
		for _, w := range r.workers {
			wg.Go(func() { w.openLoop(q) })
		}
	}
	var pwg sync.WaitGroup
	progressDone := make(chan struct{})
	if cfg.Progress != nil {
		pwg.Go(func() { r.progress(progressDone) })
	}
	wg.Wait()
	end := time.Now()
	close(progressDone)
	pwg.Wait()
	return r.result(end.Sub(r.start), ctx.Err() != nil), nil
}

// baseHeader returns the headers of every request: the platform's, then
// cfg.Header.
func baseHeader(cfg Config) http.Header {
	h := http.Header{"Content-Type": {"application/json"}}
	if cfg.Platform == mockplatform.PlatformChatwoot {
		// As mockplatform's Chatwoot 4.14+ (Net::HTTP via SafeFetch).
		h["Accept"] = []string{"application/json"}
		h["Accept-Encoding"] = []string{"gzip;q=1.0,deflate;q=0.6,identity;q=0.3"}
		h["User-Agent"] = []string{"Ruby"}
	} else if cfg.Token != "" {
		h.Set(cfg.TokenHeader, cfg.Token)
	}
	for k, vs := range cfg.Header {
		h[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	return h
}

// newTransport builds a keep-alive HTTP/1.1 transport sized for the run:
// an idle connection per worker, no proxy, no transparent decompression,
// connections wrapped so a request's deadline can be armed on them.
func newTransport(cfg Config) *http.Transport {
	d := &net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second}
	var tc *tls.Config
	if cfg.TLSConfig != nil {
		tc = cfg.TLSConfig.Clone()
	}
	return &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &dlConn{Conn: c}, nil
		},
		TLSClientConfig:     tc,
		TLSHandshakeTimeout: cfg.Timeout,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
		TLSNextProto:        map[string]func(string, *tls.Conn) http.RoundTripper{},
		MaxIdleConns:        2 * cfg.Concurrency,
		MaxIdleConnsPerHost: 2 * cfg.Concurrency,
		IdleConnTimeout:     90 * time.Second,
		WriteBufferSize:     16 << 10,
	}
}

func (w *worker) closedLoop() {
	r := w.r
	for r.ctx.Err() == nil { // an atomic load; ctx's end cancels r.ctx synchronously
		seq := r.seq.Add(1) - 1
		if r.cfg.Requests > 0 && seq >= r.cfg.Requests {
			return
		}
		now := time.Now()
		if !r.end.IsZero() && !now.Before(r.end) {
			return
		}
		w.do(seq, now, now)
	}
}

func (w *worker) openLoop(q <-chan int64) {
	r := w.r
	for seq := range q {
		if r.ctx.Err() != nil {
			r.unsent.Add(1)
			continue
		}
		intended := r.start.Add(time.Duration(float64(seq) * r.interval))
		w.do(seq, intended, time.Now())
	}
}

// schedule queues request i at its intended time start + i/Rate, without
// ever blocking on the queue: an arrival that finds it full is dropped.
// When it falls behind it queues every due arrival at once; their latency
// still runs from their intended times.
func (r *runner) schedule(q chan<- int64) {
	defer close(q)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	done := r.ctx.Done()
	for i := int64(0); r.cfg.Requests == 0 || i < r.cfg.Requests; i++ {
		due := r.start.Add(time.Duration(float64(i) * r.interval))
		if !r.end.IsZero() && !due.Before(r.end) {
			return
		}
		if wait := time.Until(due); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-done:
				return
			}
		}
		if r.ctx.Err() != nil {
			return
		}
		r.scheduled.Add(1)
		select {
		case q <- i:
		default:
			r.dropped.Add(1)
		}
	}
}

func (r *runner) sample(cause int, err error) {
	if r.errN.Load() >= maxErrorSamples {
		return
	}
	r.errMu.Lock()
	if len(r.errSamples) < maxErrorSamples {
		r.errSamples = append(r.errSamples, ErrorSample{Cause: string(causes[cause]), Err: err.Error()})
		r.errN.Store(int32(len(r.errSamples)))
	}
	r.errMu.Unlock()
}

// totals sums the workers' counters and histograms.
func (r *runner) totals() (s Snapshot, h *Histogram) {
	h = &Histogram{}
	for _, w := range r.workers {
		st := w.st
		// Outcomes before sent, so InFlight is never negative.
		s.OK += st.ok.Load()
		s.Non2xx += st.non2xx.Load()
		s.Errors += st.errs.Load()
		h.Merge(&st.hist)
		s.Sent += st.sent.Load()
	}
	s.Dropped = r.dropped.Load()
	s.InFlight = s.Sent - s.OK - s.Non2xx - s.Errors
	return s, h
}

func (r *runner) progress(done <-chan struct{}) {
	t := time.NewTicker(r.cfg.ProgressEvery)
	defer t.Stop()
	prev, prevHist, prevAt := Snapshot{}, &Histogram{}, r.start
	for {
		select {
		case <-done:
			return
		case now := <-t.C:
			s, h := r.totals()
			s.Elapsed = now.Sub(r.start)
			finished := s.OK + s.Non2xx + s.Errors
			if dt := now.Sub(prevAt).Seconds(); dt > 0 {
				s.Rate = float64(finished-(prev.OK+prev.Non2xx+prev.Errors)) / dt
			}
			s.P99 = h.delta(prevHist).Quantile(0.99)
			r.cfg.Progress(s)
			prev, prevHist, prevAt = s, h, now
		}
	}
}

func (r *runner) result(d time.Duration, interrupted bool) *Result {
	s, h := r.totals()
	res := &Result{
		Sent: s.Sent, OK: s.OK, Non2xx: s.Non2xx, Errors: s.Errors,
		ByStatus: map[int]int64{}, ByCause: map[string]int64{},
		Dropped: s.Dropped, Unsent: r.unsent.Load(), Interrupted: interrupted,
		Duration: d, Latency: h, Concurrency: r.cfg.Concurrency, Rate: r.cfg.Rate,
	}
	res.Scheduled = s.Sent
	if r.cfg.Rate > 0 {
		res.Scheduled = r.scheduled.Load()
	}
	for _, w := range r.workers {
		for code := range w.st.status {
			if n := w.st.status[code].Load(); n > 0 {
				res.ByStatus[code] += n
			}
		}
		for c := range w.st.cause {
			if n := w.st.cause[c].Load(); n > 0 {
				res.ByCause[string(causes[c])] += n
			}
		}
	}
	r.errMu.Lock()
	res.FirstErrors = append([]ErrorSample(nil), r.errSamples...)
	r.errMu.Unlock()
	return res
}
