package load_test

// Throughput benchmarks on loopback. Compare load with a bare net/http
// keep-alive client loop posting the same bytes at the same concurrency
// (the floor of what a Go sender does here); the LoadVsBare benchmarks run
// both in the same benchmark, alternately, and report their ratio:
//
//	go test -run '^$' -bench 'LoadVsBare' -benchtime 100000x -count 5 ./mockplatform/load
//
// The client and the receiver share the machine's cores, as they do when a
// developer load-tests a local receiver.

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chathook/chathook/mockplatform"
	"github.com/chathook/chathook/mockplatform/load"
	"github.com/chathook/chathook/mockplatform/receivertest"
)

const benchConcurrency = 32

// bareClient posts n requests, cycling over bodies, from c goroutines with
// a plain keep-alive http.Client: what anyone would write.
func bareClient(tb testing.TB, url string, bodies [][]byte, c int, n int64) time.Duration {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c, DisableCompression: true}}
	defer client.CloseIdleConnections()
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range c {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= n {
					return
				}
				req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(bodies[i%int64(len(bodies))]))
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	d := time.Since(start)
	if failed.Load() > 0 {
		tb.Fatalf("bare client: %d of %d failed", failed.Load(), n)
	}
	return d
}

func runLoad(tb testing.TB, cfg load.Config) time.Duration {
	res, err := load.Run(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	if res.OK != cfg.Requests {
		tb.Fatalf("load: %d of %d ok: %+v %+v", res.OK, cfg.Requests, res, res.FirstErrors)
	}
	return res.Duration
}

func reqPerSec(n int, d time.Duration) float64 { return float64(n) / d.Seconds() }

func minimalServer(b *testing.B) *httptest.Server {
	return newServer(b, minimalHandler)
}

func referenceServer(b *testing.B, secret string) *httptest.Server {
	srv, err := receivertest.NewServer(receivertest.Config{Platform: "chatwoot", Variant: "correct", Secret: secret})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Close)
	return srv
}

func benchLoad(b *testing.B, srv *httptest.Server, secret string) {
	bodies := pool(b, "chatwoot")
	b.ResetTimer()
	d := runLoad(b, load.Config{Target: srv.URL, Bodies: bodies, Secret: secret, Requests: int64(b.N), Concurrency: benchConcurrency})
	b.ReportMetric(reqPerSec(b.N, d), "req/s")
}

func benchBare(b *testing.B, srv *httptest.Server) {
	bodies := pool(b, "chatwoot")
	b.ResetTimer()
	d := bareClient(b, srv.URL, bodies, benchConcurrency, int64(b.N))
	b.ReportMetric(reqPerSec(b.N, d), "req/s")
}

// benchVs runs the bare client and load alternately, b.N requests each,
// and reports both throughputs and load's ratio to the bare client.
func benchVs(b *testing.B, srv *httptest.Server, secret string) {
	bodies := pool(b, "chatwoot")
	// Warm both up (connections, server goroutines) outside the timing.
	bareClient(b, srv.URL, bodies, benchConcurrency, 2000)
	runLoad(b, load.Config{Target: srv.URL, Bodies: bodies, Secret: secret, Requests: 2000, Concurrency: benchConcurrency})
	b.ResetTimer()
	var bare, ld time.Duration
	const rounds = 4 // alternate so drift hits both
	per := max(b.N/rounds, 1)
	for i := range rounds { // and swap which goes first
		if i%2 == 1 {
			ld += runLoad(b, load.Config{Target: srv.URL, Bodies: bodies, Secret: secret, Requests: int64(per), Concurrency: benchConcurrency})
		}
		bare += bareClient(b, srv.URL, bodies, benchConcurrency, int64(per))
		if i%2 == 0 {
			ld += runLoad(b, load.Config{Target: srv.URL, Bodies: bodies, Secret: secret, Requests: int64(per), Concurrency: benchConcurrency})
		}
	}
	bareRate, loadRate := reqPerSec(per*rounds, bare), reqPerSec(per*rounds, ld)
	b.ReportMetric(bareRate, "bare-req/s")
	b.ReportMetric(loadRate, "load-req/s")
	b.ReportMetric(loadRate/bareRate, "load/bare")
}

func BenchmarkLoad_Minimal(b *testing.B)       { benchLoad(b, minimalServer(b), "") }
func BenchmarkLoad_MinimalSigned(b *testing.B) { benchLoad(b, minimalServer(b), "bench-secret") }
func BenchmarkBareClient_Minimal(b *testing.B) { benchBare(b, minimalServer(b)) }

// Reference: the correct reference receiver (decodes and checks every
// payload). Unsigned, so the bare client's requests are accepted too.
func BenchmarkLoad_Reference(b *testing.B) { benchLoad(b, referenceServer(b, ""), "") }
func BenchmarkLoad_ReferenceSigned(b *testing.B) {
	s := "bench-secret"
	benchLoad(b, referenceServer(b, s), s)
}
func BenchmarkBareClient_Reference(b *testing.B) { benchBare(b, referenceServer(b, "")) }

func BenchmarkLoadVsBare_Minimal(b *testing.B)       { benchVs(b, minimalServer(b), "") }
func BenchmarkLoadVsBare_MinimalSigned(b *testing.B) { benchVs(b, minimalServer(b), "bench-secret") }
func BenchmarkLoadVsBare_Reference(b *testing.B)     { benchVs(b, referenceServer(b, ""), "") }

// BenchmarkLoad_Memory sends b.N requests and reports the process's peak
// RSS (VmHWM) after the run, to show it does not grow with the count: run
// it with -benchtime 1000000x in a fresh process (-count 1), e.g.
//
//	go test -run '^$' -bench 'Load_Memory' -benchtime 1000000x ./mockplatform/load
func BenchmarkLoad_Memory(b *testing.B) {
	srv := minimalServer(b)
	bodies := pool(b, "chatwoot")
	b.ResetTimer()
	d := runLoad(b, load.Config{Target: srv.URL, Bodies: bodies, Secret: "bench-secret", Requests: int64(b.N), Concurrency: benchConcurrency})
	b.ReportMetric(reqPerSec(b.N, d), "req/s")
	if kb, ok := vmHWM(); ok {
		b.ReportMetric(float64(kb)/1024, "peak-RSS-MiB")
	}
}

// vmHWM returns the process's peak resident set size in KiB (Linux).
func vmHWM() (int64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// BenchmarkSign compares the engine's per-request signing with
// mockplatform.Sign (fresh HMAC, hex string) on a pool body.
func BenchmarkSign(b *testing.B) {
	body := pool(b, "chatwoot")[0]
	for b.Loop() {
		_ = mockplatform.Sign("bench-secret", 1700000000, body)
	}
}
