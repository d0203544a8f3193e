package mockplatform_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chathook/chathook/mockplatform"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// got is one request as a test receiver saw it.
type got struct {
	Method string
	URL    string // request URI
	Host   string
	Header http.Header
	Body   []byte
}

// receiver is a test server that records every request and answers with
// respond(n, w, r), n counting requests from 1.
type receiver struct {
	*httptest.Server
	n    atomic.Int64
	mu   sync.Mutex // guards reqs
	reqs []got
}

func newReceiver(t *testing.T, respond func(n int, w http.ResponseWriter, r *http.Request)) *receiver {
	t.Helper()
	rc := &receiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.reqs = append(rc.reqs, got{Method: r.Method, URL: r.RequestURI, Host: r.Host, Header: r.Header.Clone(), Body: body})
		rc.mu.Unlock()
		n := int(rc.n.Add(1))
		if respond == nil {
			w.WriteHeader(http.StatusOK)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		respond(n, w, r)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) requests() []got {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]got(nil), rc.reqs...)
}

// status answers every request with code.
func status(code int) func(int, http.ResponseWriter, *http.Request) {
	return func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(code) }
}

// statuses answers the n-th request with codes[n-1] (the last one after).
func statuses(codes ...int) func(int, http.ResponseWriter, *http.Request) {
	return func(n int, w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(codes[min(n, len(codes))-1])
	}
}

// fixedClock always returns t.
func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// tickingClock returns start, start+step, start+2*step, ... (safe for
// concurrent use).
func tickingClock(start time.Time, step time.Duration) func() time.Time {
	var n atomic.Int64
	return func() time.Time { return start.Add(time.Duration(n.Add(1)-1) * step) }
}

var epoch = time.Unix(1763177714, 0)

// testConfig is a Config with fast retries and a fixed clock.
func testConfig() mockplatform.Config {
	cfg := mockplatform.NewConfig()
	cfg.RetryWait = time.Millisecond
	cfg.Timeout = 5 * time.Second
	cfg.Now = fixedClock(epoch)
	return cfg
}

func newPlatform(t testing.TB, cfg mockplatform.Config) *mockplatform.Platform {
	t.Helper()
	p, err := mockplatform.New(cfg)
	if err != nil {
		t.Fatalf("New(%v) error = %v", cfg, err)
	}
	t.Cleanup(p.Close)
	return p
}

// deliver calls Deliver and fails the test on an argument error.
func deliver(t *testing.T, p *mockplatform.Platform, target string, body []byte, opts ...mockplatform.DeliverOption) *mockplatform.Delivery {
	t.Helper()
	d, err := p.Deliver(t.Context(), target, body, opts...)
	if err != nil {
		t.Fatalf("Deliver(%q) error = %v", target, err)
	}
	return d
}
