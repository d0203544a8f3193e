package receivertest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const burst = 16

// post sends an in-process test request to the server at url.
func post(t *testing.T, url string, req *http.Request) (int, error) {
	t.Helper()
	body, err := io.ReadAll(req.Body)
	if err != nil {
		t.Fatal(err)
	}
	out, err := http.NewRequest(req.Method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	out.Header = req.Header.Clone()
	resp, err := http.DefaultClient.Do(out)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// postBurst sends burst signed Chatwoot deliveries, each with its own
// delivery id, at once and returns their statuses; onStatus, if not nil, sees
// each status as it arrives.
func postBurst(t *testing.T, url string, onStatus func(int)) []int {
	t.Helper()
	statuses := make([]int, burst)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range burst {
		req := chatwootRequest(message(nil), signed())
		wg.Go(func() {
			<-start
			s, err := post(t, url, req)
			if err != nil {
				t.Errorf("delivery %d: %v", i, err)
			}
			statuses[i] = s
			if onStatus != nil {
				onStatus(s)
			}
		})
	}
	close(start)
	wg.Wait()
	return statuses
}

func count(statuses []int, status int) int {
	n := 0
	for _, s := range statuses {
		if s == status {
			n++
		}
	}
	return n
}

func TestConcurrentDeliveries(t *testing.T) {
	t.Run("correct acks all", func(t *testing.T) {
		srv, err := NewServer(Config{Secret: testSecret, Now: fixedNow})
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		if statuses := postBurst(t, srv.URL, nil); count(statuses, http.StatusOK) != burst {
			t.Errorf("statuses %v: want %d 200s", statuses, burst)
		}
	})

	t.Run("no-concurrency refuses overlaps", func(t *testing.T) {
		// The first request to take the lock holds it until every other
		// one has been refused, so the overlap is certain, not timed.
		h := newTestReceiver(t, Config{Variant: NoConcurrency, Secret: testSecret})
		release := make(chan struct{})
		var first atomic.Bool
		h.work = func(context.Context) {
			if first.CompareAndSwap(false, true) {
				select {
				case <-release:
				case <-time.After(time.Minute): // a safety net, not an assertion
				}
			}
		}
		srv := newServer(h)
		defer srv.Close()
		var refused atomic.Int32
		statuses := postBurst(t, srv.URL, func(s int) {
			if s == http.StatusServiceUnavailable && refused.Add(1) == burst-1 {
				close(release)
			}
		})
		if count(statuses, http.StatusOK) != 1 || count(statuses, http.StatusServiceUnavailable) != burst-1 {
			t.Errorf("statuses %v: want one 200 and %d 503s", statuses, burst-1)
		}
	})

	t.Run("no-concurrency takes sequential deliveries", func(t *testing.T) {
		r, err := newReceiver(Config{Variant: NoConcurrency, Secret: testSecret, Now: fixedNow}) // the real ~25 ms of work
		if err != nil {
			t.Fatal(err)
		}
		srv := newServer(r)
		defer srv.Close()
		for i := range 3 {
			if s, err := post(t, srv.URL, chatwootRequest(message(nil), signed())); err != nil || s != http.StatusOK {
				t.Errorf("sequential delivery %d: %d, %v; want 200", i, s, err)
			}
		}
	})
}
