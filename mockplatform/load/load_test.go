package load_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/mockplatform/load"
	"github.com/chathook/chathook/mockplatform/receivertest"
)

var uuidShape = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// checkAccounting asserts the invariant every run must keep.
func checkAccounting(t *testing.T, res *load.Result) {
	t.Helper()
	if res.Sent != res.OK+res.Non2xx+res.Errors {
		t.Fatalf("sent %d != ok %d + non2xx %d + errors %d", res.Sent, res.OK, res.Non2xx, res.Errors)
	}
	var byStatus, ok, byCause int64
	for code, n := range res.ByStatus {
		byStatus += n
		if code >= 200 && code <= 299 {
			ok += n
		}
	}
	for _, n := range res.ByCause {
		byCause += n
	}
	if byStatus != res.OK+res.Non2xx || ok != res.OK || byCause != res.Errors {
		t.Fatalf("breakdowns: by status %d (2xx %d), by cause %d; result %+v", byStatus, ok, byCause, res)
	}
	if res.Latency.Count() != res.OK+res.Non2xx {
		t.Fatalf("latency histogram holds %d values, want %d answered", res.Latency.Count(), res.OK+res.Non2xx)
	}
}

func TestChatwootSignedRequests(t *testing.T) {
	bodies := pool(t, "chatwoot")
	const secret = "s3cr3t-key"
	var (
		mu   sync.Mutex
		ids  = map[string]bool{}
		bad  []string
		seen = map[string]int{}
	)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		err := mockplatform.Verify(secret, r.Header.Get(mockplatform.HeaderSignature), r.Header.Get(mockplatform.HeaderTimestamp), body, time.Now(), time.Minute)
		id := r.Header.Get(mockplatform.HeaderDelivery)
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err != nil:
			bad = append(bad, err.Error())
		case !uuidShape.MatchString(id):
			bad = append(bad, "delivery id "+id)
		case ids[id]:
			bad = append(bad, "duplicate delivery id "+id)
		case r.Header.Get("User-Agent") != "Ruby" || r.Header.Get("Content-Type") != "application/json" || r.Header.Get("X-Extra") != "1":
			bad = append(bad, "headers "+r.Header.Get("User-Agent")+" "+r.Header.Get("Content-Type"))
		}
		ids[id] = true
		seen[string(body)]++
		w.WriteHeader(http.StatusAccepted)
	})
	res, err := load.Run(context.Background(), load.Config{
		Target: srv.URL, Bodies: bodies, Secret: secret, Requests: 400, Concurrency: 8,
		Header: http.Header{"x-extra": {"1"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkAccounting(t, res)
	if res.Sent != 400 || res.OK != 400 || res.ByStatus[202] != 400 || len(bad) > 0 {
		t.Fatalf("result %+v; receiver complaints (%d): %.5q", res, len(bad), bad)
	}
	// The pool is cycled: 400 requests over 40 bodies, 10 each.
	for i, b := range bodies {
		if seen[string(b)] != 10 {
			t.Fatalf("body %d sent %d times, want 10", i, seen[string(b)])
		}
	}
}

func TestReferenceReceivers(t *testing.T) {
	for _, tc := range []struct {
		platform string
		cfg      receivertest.Config
	}{
		{mockplatform.PlatformChatwoot, receivertest.Config{Platform: "chatwoot", Variant: "correct", Secret: "abcdef123"}},
		{mockplatform.PlatformSwiftsell, receivertest.Config{Platform: "swiftsell", Variant: "correct", Token: "tok-123456"}},
	} {
		t.Run(tc.platform, func(t *testing.T) {
			srv, err := receivertest.NewServer(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			res, err := load.Run(context.Background(), load.Config{
				Target: srv.URL, Platform: tc.platform, Bodies: pool(t, tc.platform),
				Secret: tc.cfg.Secret, Token: tc.cfg.Token, Requests: 300, Concurrency: 4,
			})
			if err != nil {
				t.Fatal(err)
			}
			checkAccounting(t, res)
			if res.OK != 300 {
				t.Fatalf("the correct receiver refused some requests: %+v", res)
			}
			// Without the credentials the same receiver answers 401.
			res, err = load.Run(context.Background(), load.Config{
				Target: srv.URL, Platform: tc.platform, Bodies: pool(t, tc.platform),
				Secret: "wrong" + tc.cfg.Secret, Requests: 20, Concurrency: 2,
			})
			if err != nil {
				t.Fatal(err)
			}
			checkAccounting(t, res)
			if res.Non2xx != 20 || res.ByStatus[401] != 20 {
				t.Fatalf("want 20 × 401, got %+v", res)
			}
		})
	}
}

func TestStatusesAndRedirects(t *testing.T) {
	var n atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		switch n.Add(1) % 4 {
		case 0:
			w.WriteHeader(http.StatusOK)
		case 1:
			w.WriteHeader(http.StatusNotFound)
		case 2:
			w.WriteHeader(http.StatusInternalServerError)
		case 3: // a redirect loop: load does not follow it
			http.Redirect(w, r, r.URL.Path, http.StatusFound)
		}
	})
	res, err := load.Run(context.Background(), load.Config{Target: srv.URL, Bodies: [][]byte{[]byte(`{}`)}, Requests: 200, Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	checkAccounting(t, res)
	if n.Load() != 200 || res.OK != 50 || res.Non2xx != 150 || res.ByStatus[302] != 50 || res.ByStatus[404] != 50 || res.ByStatus[500] != 50 {
		t.Fatalf("server saw %d; result %+v", n.Load(), res)
	}
	if got := res.ErrorRate(); got != 0.75 {
		t.Fatalf("error rate %v, want 0.75", got)
	}
}

func TestDurationAndProgress(t *testing.T) {
	srv := newServer(t, minimalHandler)
	var snaps atomic.Int64
	var last atomic.Pointer[load.Snapshot]
	res, err := load.Run(context.Background(), load.Config{
		Target: srv.URL, Bodies: pool(t, "chatwoot"), Duration: 300 * time.Millisecond, Concurrency: 4,
		Progress:      func(s load.Snapshot) { snaps.Add(1); last.Store(&s) },
		ProgressEvery: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	checkAccounting(t, res)
	if res.Sent == 0 || res.Errors != 0 || snaps.Load() == 0 {
		t.Fatalf("result %+v, %d snapshots", res, snaps.Load())
	}
	if s := last.Load(); s.Sent > res.Sent || s.InFlight < 0 || s.Elapsed <= 0 {
		t.Fatalf("snapshot %+v after result %+v", s, res)
	}
	if res.Duration < 300*time.Millisecond || res.Throughput() <= 0 {
		t.Fatalf("duration %s, throughput %v", res.Duration, res.Throughput())
	}
}

func TestOpenLoop(t *testing.T) {
	t.Run("paced", func(t *testing.T) {
		srv := newServer(t, minimalHandler)
		start := time.Now()
		res, err := load.Run(context.Background(), load.Config{Target: srv.URL, Bodies: pool(t, "chatwoot"), Rate: 1000, Requests: 200, Concurrency: 4})
		if err != nil {
			t.Fatal(err)
		}
		checkAccounting(t, res)
		// 200 arrivals at 1000/s: the last is due at 199 ms.
		if res.Sent+res.Dropped != 200 || res.Scheduled != 200 || time.Since(start) < 199*time.Millisecond {
			t.Fatalf("result %+v after %s", res, time.Since(start))
		}
	})
	t.Run("overloaded", func(t *testing.T) {
		// One worker, a receiver taking 20 ms, arrivals every 100 µs and a
		// backlog of 5: most arrivals are dropped, and said so; the queued
		// ones wait, and their wait counts in their latency.
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(20 * time.Millisecond)
			minimalHandler(w, r)
		})
		res, err := load.Run(context.Background(), load.Config{Target: srv.URL, Bodies: pool(t, "chatwoot"), Rate: 10000, Requests: 300, Concurrency: 1, MaxBacklog: 5})
		if err != nil {
			t.Fatal(err)
		}
		checkAccounting(t, res)
		if res.Dropped == 0 || res.Sent+res.Dropped != 300 || res.Sent < 5 {
			t.Fatalf("result %+v", res)
		}
		// Without coordinated omission the 5th queued request waited for
		// the 4 before it: at least ~100 ms from its intended time.
		if res.Latency.Max() < 80*time.Millisecond {
			t.Fatalf("max latency %s: queueing delay was not counted", res.Latency.Max())
		}
	})
}

func TestInterrupted(t *testing.T) {
	release := make(chan struct{})
	hung := make(chan struct{}, 64) // buffered: a worker racing the cancel never blocks
	var arrived atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if arrived.Add(1) > 20 {
			hung <- struct{}{}
			select { // hang until the client gives up
			case <-r.Context().Done():
			case <-release:
			}
		}
		w.WriteHeader(http.StatusOK)
	})
	defer close(release)
	for _, rate := range []float64{0, 5000} {
		arrived.Store(0)
		for len(hung) > 0 {
			<-hung
		}
		ctx, cancel := context.WithCancel(context.Background())
		// Cancel once every worker is stuck on a hanging request, however
		// slow the machine is: the verdict must not depend on timing.
		go func() {
			for i := 0; i < 4; i++ {
				<-hung
			}
			cancel()
		}()
		start := time.Now()
		res, err := load.Run(ctx, load.Config{Target: srv.URL, Bodies: pool(t, "chatwoot"), Rate: rate, Duration: time.Minute, Concurrency: 4})
		if err != nil {
			t.Fatal(err)
		}
		checkAccounting(t, res)
		if !res.Interrupted {
			t.Fatalf("rate %v: result %+v after %s", rate, res, time.Since(start))
		}
		// The 4 requests in flight are canceled; a worker may race the
		// cancellation with one more request, canceled too.
		if res.OK < 20 || res.ByCause["canceled"] < 4 || res.ByCause["canceled"] > 8 || res.Errors != res.ByCause["canceled"] {
			t.Fatalf("rate %v: want ≥20 ok and the requests in flight canceled: %+v", rate, res)
		}
		if rate > 0 && res.Scheduled != res.Sent+res.Dropped+res.Unsent {
			t.Fatalf("scheduled %d != sent %d + dropped %d + unsent %d", res.Scheduled, res.Sent, res.Dropped, res.Unsent)
		}
	}
}

func TestInvalidConfig(t *testing.T) {
	body := [][]byte{[]byte(`{}`)}
	for name, cfg := range map[string]load.Config{
		"no target":      {Bodies: body, Requests: 1},
		"ftp target":     {Target: "ftp://x/", Bodies: body, Requests: 1},
		"no bodies":      {Target: "http://127.0.0.1:1/", Requests: 1},
		"empty body":     {Target: "http://127.0.0.1:1/", Bodies: [][]byte{nil}, Requests: 1},
		"no limit":       {Target: "http://127.0.0.1:1/", Bodies: body},
		"bad platform":   {Target: "http://127.0.0.1:1/", Bodies: body, Requests: 1, Platform: "x"},
		"negative rate":  {Target: "http://127.0.0.1:1/", Bodies: body, Requests: 1, Rate: -1},
		"negative count": {Target: "http://127.0.0.1:1/", Bodies: body, Requests: -1},
	} {
		if _, err := load.Run(context.Background(), cfg); !errors.Is(err, load.ErrInvalidConfig) {
			t.Errorf("%s: err %v, want ErrInvalidConfig", name, err)
		}
	}
}
