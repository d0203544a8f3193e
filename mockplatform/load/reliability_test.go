package load_test

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chathook/chathook/mockplatform/load"
)

// run sends n requests to target with a short timeout and checks the
// accounting and that the run ended within a bound of the timeout.
func run(t *testing.T, cfg load.Config) *load.Result {
	t.Helper()
	if cfg.Bodies == nil {
		cfg.Bodies = pool(t, "chatwoot")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 200 * time.Millisecond
	}
	if cfg.Concurrency == 0 {
		cfg.Concurrency = 4
	}
	// No wall-clock bound here: a hang is caught by the test binary's
	// -timeout, and a loaded CI machine must not turn slowness into a failure.
	res, err := load.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	checkAccounting(t, res)
	if res.Sent != cfg.Requests {
		t.Fatalf("sent %d of %d", res.Sent, cfg.Requests)
	}
	return res
}

// wantOnly asserts that every request failed with cause.
func wantOnly(t *testing.T, res *load.Result, cause string) {
	t.Helper()
	if res.Errors != res.Sent || res.ByCause[cause] != res.Sent {
		t.Fatalf("want all %d requests to fail with %s; got %+v (first errors %+v)", res.Sent, cause, res.ByCause, res.FirstErrors)
	}
	if len(res.FirstErrors) == 0 || res.FirstErrors[0].Cause != cause {
		t.Fatalf("first errors %+v", res.FirstErrors)
	}
}

func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/"
}

func TestRefused(t *testing.T) {
	wantOnly(t, run(t, load.Config{Target: closedPort(t), Requests: 20}), "refused")
}

func TestRefusedOpenLoop(t *testing.T) {
	res := run(t, load.Config{Target: closedPort(t), Requests: 50, Rate: 2000})
	wantOnly(t, res, "refused")
}

func TestResetMidResponse(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial")
		_ = buf.Flush()
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // RST, not FIN
		}
		conn.Close()
	})
	wantOnly(t, run(t, load.Config{Target: srv.URL, Requests: 20}), "reset")
}

func TestClosedBeforeAnswer(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	wantOnly(t, run(t, load.Config{Target: srv.URL, Requests: 20}), "reset")
}

// hang blocks until the client goes away.
func hang(r *http.Request) { <-r.Context().Done() }

func TestHangingHeaders(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		hang(r)
	})
	wantOnly(t, run(t, load.Config{Target: srv.URL, Requests: 8}), "timeout")
}

func TestHangingBody(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("{"))
		_ = http.NewResponseController(w).Flush()
		hang(r)
	})
	wantOnly(t, run(t, load.Config{Target: srv.URL, Requests: 8}), "timeout")
}

func TestHangingAccept(t *testing.T) {
	// A listener that never accepts: connections complete (the backlog)
	// but nothing is ever answered.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	wantOnly(t, run(t, load.Config{Target: "http://" + ln.Addr().String(), Requests: 4}), "timeout")
}

// huge streams a 100 MB body without allocating it, until the client leaves.
func huge(withLength bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		const size = 100 << 20
		if withLength {
			w.Header().Set("Content-Length", strconv.Itoa(size))
		}
		w.WriteHeader(http.StatusOK)
		chunk := make([]byte, 32<<10)
		for n := 0; n < size; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
}

func TestHugeBody(t *testing.T) {
	for _, withLength := range []bool{true, false} {
		t.Run(fmt.Sprint("content-length=", withLength), func(t *testing.T) {
			srv := newServer(t, huge(withLength))
			res := run(t, load.Config{Target: srv.URL, Requests: 6, Timeout: 2 * time.Second})
			wantOnly(t, res, "body_too_large")
		})
	}
	t.Run("under the cap", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			_, _ = w.Write(make([]byte, 100<<10))
		})
		if res := run(t, load.Config{Target: srv.URL, Requests: 6, MaxResponseBody: 200 << 10}); res.OK != 6 {
			t.Fatalf("%+v", res)
		}
	})
}

func TestSelfSignedCertificate(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(minimalHandler))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake errors are the point
	srv.StartTLS()
	defer srv.Close()
	// A TLS handshake under -race on a busy machine can take longer than the
	// 200 ms default of these tests; the verdict must be tls, not timeout.
	wantOnly(t, run(t, load.Config{Target: srv.URL, Requests: 4, Timeout: 10 * time.Second}), "tls")

	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	tlsCfg := srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	tlsCfg.RootCAs = roots
	if res := run(t, load.Config{Target: srv.URL, Requests: 20, TLSConfig: tlsCfg}); res.OK != 20 {
		t.Fatalf("with the CA: %+v", res)
	}
}

func TestPlainHTTPToTLSServer(t *testing.T) {
	srv := newServer(t, minimalHandler)
	wantOnly(t, run(t, load.Config{Target: strings.Replace(srv.URL, "http:", "https:", 1), Requests: 4, Timeout: 10 * time.Second}), "tls")
}

func TestRandomConnectionCloses(t *testing.T) {
	// A receiver that closes a third of its keep-alive connections at
	// random: abruptly after reading the request (a reset), or cleanly
	// with Connection: close after answering (no error).
	var aborted, closed atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		switch rand.IntN(6) {
		case 0:
			aborted.Add(1)
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
			return
		case 1:
			closed.Add(1)
			w.Header().Set("Connection", "close")
		}
		w.WriteHeader(http.StatusOK)
	})
	res := run(t, load.Config{Target: srv.URL, Requests: 600, Concurrency: 8})
	if res.Errors != aborted.Load() || res.ByCause["reset"] != res.Errors || res.OK != 600-aborted.Load() {
		t.Fatalf("server aborted %d, closed %d; result %+v, first errors %+v", aborted.Load(), closed.Load(), res, res.FirstErrors)
	}
}

func TestSlowReceiverUnderTimeout(t *testing.T) {
	// Each answer takes half the timeout: no timeouts, and the deadline of
	// one request never leaks into the next on the same connection (each
	// worker's requests add up to longer than one timeout). The margin is
	// wide so a loaded -race run cannot turn slowness into a timeout.
	const timeout = 2 * time.Second
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(timeout / 2)
		minimalHandler(w, r)
	})
	if res := run(t, load.Config{Target: srv.URL, Requests: 6, Concurrency: 2, Timeout: timeout}); res.OK != 6 {
		t.Fatalf("%+v %+v", res, res.FirstErrors)
	}
}
